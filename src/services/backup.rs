//! `binhan backup`: a consistent copy of the SQLite database while `serve` runs
//! (the copy itself: `store::backup`), recorded in the audit log as
//! `backup.create`.
//!
//! The keyring is never copied: a backup and its keyring together reveal every
//! survivor's data, so the keyring is backed up separately and kept apart.
//! A PostgreSQL deployment is backed up with `pg_dump` (docs/OPERATIONS.md).

use std::fs::DirBuilder;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use chrono::{NaiveDateTime, Utc};

use super::keys::Progress;
use crate::audit::{Actor, Event, Outcome};
use crate::store::backup::{CopyError, CopyReport, copy_sqlite};
use crate::store::{self, DatabaseUrl, SqliteSettings};

/// The folder of the data folder where backups go by default.
pub const BACKUP_FOLDER: &str = "backups";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "this deployment uses PostgreSQL: back it up with pg_dump as docs/OPERATIONS.md says (\"PostgreSQL: pg_dump and pg_restore\")"
    )]
    Postgres,
    #[error("no SQLite database at {}: nothing to back up (run `binhan init` first)", .0.display())]
    NoDatabase(PathBuf),
    #[error("cannot create the backup folder {}: {reason}", .path.display())]
    Folder { path: PathBuf, reason: String },
    #[error(transparent)]
    Copy(#[from] CopyError),
    #[error(transparent)]
    Connect(#[from] store::ConnectError),
    #[error("the backup was made but its audit event could not be recorded: {0}")]
    Audit(diesel::result::Error),
}

/// A finished backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub path: PathBuf,
    pub copy: CopyReport,
}

/// `<data_dir>/backups/binhan-YYYYMMDD-HHMMSS.sqlite3`, the time in UTC.
pub fn default_destination(data_dir: &Path, now: NaiveDateTime) -> PathBuf {
    data_dir.join(BACKUP_FOLDER).join(format!("binhan-{}.sqlite3", now.format("%Y%m%d-%H%M%S")))
}

/// Copies the SQLite database of `url` to `destination` (a new file, mode 0600;
/// its folder is created with mode 0700 when missing), with progress in pages,
/// and records `backup.create` in the live database's audit log: success with
/// the number of pages, or failure with a reason code. Safe while `serve` runs.
pub fn create(
    url: &DatabaseUrl,
    sqlite: SqliteSettings,
    actor: &Actor,
    destination: &Path,
    progress: &dyn Progress,
) -> Result<BackupReport, BackupError> {
    let source = match url {
        DatabaseUrl::Postgres(_) => return Err(BackupError::Postgres),
        DatabaseUrl::Sqlite(path) => path,
    };
    // Checked before connecting: opening a missing SQLite file would create it.
    if !source.is_file() {
        return Err(BackupError::NoDatabase(source.clone()));
    }
    let mut conn = store::connect(url, sqlite)?;
    let copied = make_folder(destination).and_then(|()| {
        let mut started = false;
        let copied = copy_sqlite(source, destination, sqlite.busy_timeout, &mut |done, total| {
            if !started {
                progress.start(total, "Copying the database (pages)");
                started = true;
            }
            progress.advance(done);
        });
        progress.finish();
        copied.map_err(BackupError::from)
    });
    let now = Utc::now().naive_utc();
    match copied {
        Ok(copy) => {
            let event = Event::new(actor, "backup.create", Outcome::Success, now)
                .because(format!("{} pages", copy.pages));
            store::audit::append(&mut conn, &event).map_err(BackupError::Audit)?;
            Ok(BackupReport { path: destination.to_path_buf(), copy })
        }
        Err(e) => {
            let event = Event::new(actor, "backup.create", Outcome::Failure, now).because(failure_code(&e));
            // The failure is what the operator must see; a failure to record it too
            // (the database may be the problem) does not replace it.
            let _ = store::audit::append(&mut conn, &event);
            Err(e)
        }
    }
}

fn make_folder(destination: &Path) -> Result<(), BackupError> {
    match destination.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(folder) if !folder.is_dir() => DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(folder)
            .map_err(|e| BackupError::Folder { path: folder.to_path_buf(), reason: e.to_string() }),
        _ => Ok(()),
    }
}

fn failure_code(e: &BackupError) -> &'static str {
    match e {
        BackupError::Copy(CopyError::Exists(_)) => "destination_exists",
        BackupError::Copy(CopyError::Check(_)) => "check_failed",
        BackupError::Folder { .. } | BackupError::Copy(CopyError::Write { .. }) => "write_failed",
        _ => "copy_failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_backup_is_named_by_its_time_in_the_backups_folder() {
        let at = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).and_then(|d| d.and_hms_opt(2, 3, 4));
        let Some(at) = at else { panic!("a valid time") };
        assert_eq!(
            default_destination(Path::new("/srv/binhan"), at),
            PathBuf::from("/srv/binhan/backups/binhan-20250701-020304.sqlite3")
        );
    }
}

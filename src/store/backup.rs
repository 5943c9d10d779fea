//! A consistent copy of a live SQLite database, taken while `binhan serve` writes
//! to it.
//!
//! This uses SQLite's online backup API (`sqlite3_backup_*` through
//! `libsqlite3-sys`, the same bundled library diesel links, so there is only one
//! SQLite in the process and its file locks stay coherent) rather than
//! `VACUUM INTO`:
//! - it copies the database page by page in steps, so the command can show how far
//!   it is, where `VACUUM INTO` is one statement that says nothing until it ends;
//! - it copies pages as they are, where `VACUUM INTO` rebuilds every table and
//!   index, which costs far more CPU on a small two-core server that is serving;
//! - the copy is one snapshot: a read transaction opened on the source before the
//!   first step stays open until the last, so in WAL mode writers carry on (their
//!   commits go to the write-ahead log, which the copy does not see) and the backup
//!   never restarts because someone wrote meanwhile.
//!
//! The copy is written to `<destination>.partial` (mode 0600 from its creation),
//! checked with `PRAGMA quick_check`, switched to the rollback journal (one
//! self-contained file, no `-wal` beside it), flushed to disk, and only then
//! linked to its final name, which it never overwrites. With `store::sqlite_wait`
//! and `memory`, this is where the crate's `unsafe` code lives: each call is
//! commented with why it is sound.

use std::ffi::{CStr, CString, c_int};
use std::fs::{self, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::ptr;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use libsqlite3_sys as ffi;

use super::schema::audit_head;

/// Pages copied per step (4 MiB with 4-KiB pages): progress moves often and a
/// step never holds the library for long.
const PAGES_PER_STEP: c_int = 1024;

/// Why a copy could not be made, in one line. Never contains database content.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("{} already exists; a backup never overwrites a file", .0.display())]
    Exists(PathBuf),
    #[error("cannot write {}: {reason}", .path.display())]
    Write { path: PathBuf, reason: String },
    #[error("cannot open the SQLite database {}: {reason}", .path.display())]
    Open { path: PathBuf, reason: String },
    #[error("the copy failed: {0}")]
    Copy(String),
    #[error("the copy failed SQLite's check ({0}); nothing was kept")]
    Check(String),
}

/// What was copied: the size, and the audit chain's head as it stands in the copy
/// (to keep outside the server, see docs/OPERATIONS.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    pub pages: u64,
    pub bytes: u64,
    pub audit_seq: i64,
    pub audit_hash: Vec<u8>,
}

/// Copies the SQLite database at `source` into a new file at `destination`,
/// calling `progress(done, total)` in pages after each step. The destination must
/// not exist; its folder must.
pub fn copy_sqlite(
    source: &Path,
    destination: &Path,
    busy_timeout: Duration,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<CopyReport, CopyError> {
    if destination.exists() {
        return Err(CopyError::Exists(destination.to_path_buf()));
    }
    let partial = partial_path(destination);
    let written = write_partial(source, &partial, busy_timeout, progress)
        .and_then(|pages| check_copy(&partial).map(|(seq, hash)| (pages, seq, hash)))
        .and_then(|found| publish(&partial, destination).map(|bytes| (found, bytes)));
    match written {
        Ok(((pages, audit_seq, audit_hash), bytes)) => Ok(CopyReport { pages, bytes, audit_seq, audit_hash }),
        Err(e) => {
            remove_partial(&partial);
            Err(e)
        }
    }
}

fn partial_path(destination: &Path) -> PathBuf {
    let mut name = destination.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

fn remove_partial(partial: &Path) {
    let _ = fs::remove_file(partial);
    for suffix in ["-journal", "-wal", "-shm"] {
        let mut beside = partial.as_os_str().to_owned();
        beside.push(suffix);
        let _ = fs::remove_file(PathBuf::from(beside));
    }
}

fn write_error(path: &Path, e: &std::io::Error) -> CopyError {
    CopyError::Write { path: path.to_path_buf(), reason: e.to_string() }
}

/// The copy itself, into `partial` (created here, mode 0600). Returns the pages.
fn write_partial(
    source: &Path,
    partial: &Path,
    busy_timeout: Duration,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<u64, CopyError> {
    // Created empty with mode 0600 before SQLite opens it: SQLite takes an empty
    // file as an empty database, and gives its journal the file's mode.
    OpenOptions::new().write(true).create_new(true).mode(0o600).open(partial).map_err(|e| {
        match e.kind() {
            std::io::ErrorKind::AlreadyExists => CopyError::Exists(partial.to_path_buf()),
            _ => write_error(partial, &e),
        }
    })?;
    let timeout_ms = c_int::try_from(busy_timeout.as_millis()).unwrap_or(c_int::MAX);
    let src = Handle::open(source, ffi::SQLITE_OPEN_READWRITE, timeout_ms)?;
    // The snapshot: a read transaction that the backup steps find open and keep.
    src.exec("BEGIN DEFERRED; SELECT count(*) FROM sqlite_schema;").map_err(CopyError::Copy)?;
    let dest = Handle::open(partial, ffi::SQLITE_OPEN_READWRITE, timeout_ms)?;
    let pages = Backup::start(&dest, &src)?.run(busy_timeout, progress)?;
    src.exec("COMMIT").map_err(CopyError::Copy)?;
    Ok(pages)
}

#[derive(QueryableByName)]
struct QuickCheck {
    #[diesel(sql_type = diesel::sql_types::Text)]
    quick_check: String,
}

/// SQLite's own consistency check of the copy, the switch to a rollback journal,
/// and the audit head the copy holds.
fn check_copy(partial: &Path) -> Result<(i64, Vec<u8>), CopyError> {
    let failed = |e: &dyn std::fmt::Display| CopyError::Check(e.to_string());
    let text = partial.to_str().ok_or_else(|| failed(&"the path is not valid UTF-8"))?;
    let mut conn = diesel::SqliteConnection::establish(text).map_err(|e| failed(&e))?;
    conn.batch_execute("PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;").map_err(|e| failed(&e))?;
    let found: Vec<QuickCheck> =
        diesel::sql_query("PRAGMA quick_check").load(&mut conn).map_err(|e| failed(&e))?;
    match found.first() {
        Some(row) if found.len() == 1 && row.quick_check == "ok" => {}
        Some(row) => return Err(failed(&row.quick_check)),
        None => return Err(failed(&"no answer")),
    }
    audit_head::table
        .find(1)
        .select((audit_head::seq, audit_head::hash))
        .first(&mut conn)
        .map_err(|e| failed(&format!("the audit head: {e}")))
}

/// Flushes the copy and gives it its final name without ever replacing a file
/// (a hard link fails when the name is taken), then flushes the folder.
fn publish(partial: &Path, destination: &Path) -> Result<u64, CopyError> {
    let file = fs::File::open(partial).map_err(|e| write_error(partial, &e))?;
    file.sync_all().map_err(|e| write_error(partial, &e))?;
    let bytes = file.metadata().map_err(|e| write_error(partial, &e))?.len();
    fs::hard_link(partial, destination).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => CopyError::Exists(destination.to_path_buf()),
        _ => write_error(destination, &e),
    })?;
    fs::remove_file(partial).map_err(|e| write_error(partial, &e))?;
    if let Some(folder) = destination.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::File::open(folder).and_then(|f| f.sync_all()).map_err(|e| write_error(folder, &e))?;
    }
    Ok(bytes)
}

/// A raw connection, closed on drop.
struct Handle(*mut ffi::sqlite3);

impl Handle {
    fn open(path: &Path, flags: c_int, busy_timeout_ms: c_int) -> Result<Handle, CopyError> {
        let failed = |reason: String| CopyError::Open { path: path.to_path_buf(), reason };
        let text = path.to_str().ok_or_else(|| failed("the path is not valid UTF-8".into()))?;
        let name = CString::new(text).map_err(|_| failed("the path holds a NUL byte".into()))?;
        let mut db = ptr::null_mut();
        // SAFETY: `name` is a NUL-terminated string that outlives the call, `db` a
        // valid place for the handle; a null VFS name means the default VFS.
        let rc = unsafe { ffi::sqlite3_open_v2(name.as_ptr(), &mut db, flags, ptr::null()) };
        // Even on failure SQLite usually returns a handle, which must be closed.
        let handle = Handle(db);
        if rc != ffi::SQLITE_OK {
            return Err(failed(handle.message(rc)));
        }
        // SAFETY: the handle is open.
        unsafe { ffi::sqlite3_busy_timeout(handle.0, busy_timeout_ms) };
        Ok(handle)
    }

    fn exec(&self, sql: &str) -> Result<(), String> {
        let sql = CString::new(sql).map_err(|_| "a NUL byte in SQL".to_string())?;
        // SAFETY: the handle is open, `sql` is NUL-terminated; no callback, no
        // error buffer (the message is read from the handle instead).
        let rc = unsafe { ffi::sqlite3_exec(self.0, sql.as_ptr(), None, ptr::null_mut(), ptr::null_mut()) };
        if rc == ffi::SQLITE_OK { Ok(()) } else { Err(self.message(rc)) }
    }

    /// The handle's last error message, or the generic text of `rc`.
    fn message(&self, rc: c_int) -> String {
        // SAFETY: SQLite returns NUL-terminated strings it owns (static for
        // `errstr`, valid until the next call on the handle for `errmsg`), copied
        // at once; a null handle is only given to `errstr`.
        unsafe {
            let text = if self.0.is_null() { ffi::sqlite3_errstr(rc) } else { ffi::sqlite3_errmsg(self.0) };
            if text.is_null() {
                format!("SQLite error {rc}")
            } else {
                CStr::from_ptr(text).to_string_lossy().into_owned()
            }
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the handle came from `sqlite3_open_v2` and is closed once;
            // every backup object on it was finished before (`Backup` borrows it).
            unsafe { ffi::sqlite3_close(self.0) };
        }
    }
}

/// One backup from `src` into `dest`; both handles outlive it (it borrows them).
struct Backup<'a> {
    raw: *mut ffi::sqlite3_backup,
    dest: &'a Handle,
}

impl<'a> Backup<'a> {
    fn start(dest: &'a Handle, src: &'a Handle) -> Result<Backup<'a>, CopyError> {
        // SAFETY: both handles are open and distinct; "main" is NUL-terminated.
        let raw = unsafe { ffi::sqlite3_backup_init(dest.0, c"main".as_ptr(), src.0, c"main".as_ptr()) };
        if raw.is_null() {
            return Err(CopyError::Copy(dest.message(ffi::SQLITE_ERROR)));
        }
        Ok(Backup { raw, dest })
    }

    /// Steps until done. A busy or locked answer is retried until `busy_timeout`
    /// has passed without any progress.
    fn run(self, busy_timeout: Duration, progress: &mut dyn FnMut(u64, u64)) -> Result<u64, CopyError> {
        let mut waiting_since: Option<Instant> = None;
        loop {
            // SAFETY: `raw` is a live backup object (finished only in `finish`).
            let rc = unsafe { ffi::sqlite3_backup_step(self.raw, PAGES_PER_STEP) };
            // SAFETY: as above; these only read the object's counters.
            let (remaining, total) =
                unsafe { (ffi::sqlite3_backup_remaining(self.raw), ffi::sqlite3_backup_pagecount(self.raw)) };
            let (remaining, total) =
                (u64::try_from(remaining).unwrap_or(0), u64::try_from(total).unwrap_or(0));
            match rc {
                ffi::SQLITE_OK => {
                    waiting_since = None;
                    progress(total.saturating_sub(remaining), total);
                }
                ffi::SQLITE_DONE => {
                    progress(total, total);
                    return self.finish().map(|()| total);
                }
                ffi::SQLITE_BUSY | ffi::SQLITE_LOCKED => {
                    let since = *waiting_since.get_or_insert_with(Instant::now);
                    if since.elapsed() > busy_timeout {
                        let _ = self.finish();
                        return Err(CopyError::Copy("the database stayed locked; try again later".into()));
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                other => {
                    let message = self.dest.message(other);
                    let _ = self.finish();
                    return Err(CopyError::Copy(message));
                }
            }
        }
    }

    fn finish(self) -> Result<(), CopyError> {
        let dest = self.dest;
        let raw = self.raw;
        std::mem::forget(self);
        // SAFETY: `raw` is live and finished exactly once (Drop is skipped above).
        let rc = unsafe { ffi::sqlite3_backup_finish(raw) };
        if rc == ffi::SQLITE_OK { Ok(()) } else { Err(CopyError::Copy(dest.message(rc))) }
    }
}

impl Drop for Backup<'_> {
    fn drop(&mut self) {
        // SAFETY: reached only when `finish` was not called (it forgets `self`).
        unsafe { ffi::sqlite3_backup_finish(self.raw) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(path: &Path) -> diesel::SqliteConnection {
        let mut conn = diesel::SqliteConnection::establish(path.to_str().unwrap()).unwrap();
        conn.batch_execute("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;").unwrap();
        conn
    }

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }

    fn rows(conn: &mut diesel::SqliteConnection) -> i64 {
        diesel::sql_query("SELECT count(*) AS n FROM t").get_result::<Count>(conn).unwrap().n
    }

    /// Writers commit between the copy's steps; the copy is the snapshot of its
    /// first step all the same, whole and checked, and the source keeps the writes.
    #[test]
    fn writes_during_the_copy_do_not_reach_it_nor_restart_it() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("live.sqlite3");
        let mut conn = open(&source);
        conn.batch_execute(
            "CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash BLOB NOT NULL);
             INSERT INTO audit_head VALUES (1, 7, x'0102');
             CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
             INSERT INTO t (body) SELECT randomblob(4000) FROM n;",
        )
        .unwrap();
        let mut writer = open(&source);
        let mut steps = Vec::new();
        let destination = dir.path().join("copy.sqlite3");
        let report = copy_sqlite(&source, &destination, Duration::from_secs(5), &mut |done, total| {
            steps.push((done, total));
            writer
                .batch_execute(
                    "INSERT INTO t (body) VALUES (randomblob(4000)); UPDATE audit_head SET seq = seq + 1;",
                )
                .unwrap();
        })
        .unwrap();
        assert!(steps.len() >= 3, "several steps: {steps:?}");
        assert!(steps.windows(2).all(|w| w[0].0 < w[1].0 || w[1].0 == w[1].1), "{steps:?}");
        assert_eq!((report.audit_seq, report.audit_hash.as_slice()), (7, &[1u8, 2][..]));
        assert_eq!(report.pages, steps.last().unwrap().1);
        assert_eq!(rows(&mut open(&destination)), 3000, "the snapshot, without the writes made meanwhile");
        assert_eq!(rows(&mut conn), 3000 + steps.len() as i64);
        let mode = fs::metadata(&destination).unwrap().permissions();
        assert_eq!(std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777, 0o600);
        assert!(!partial_path(&destination).exists());
        assert!(matches!(
            copy_sqlite(&source, &destination, Duration::from_secs(5), &mut |_, _| {}),
            Err(CopyError::Exists(_))
        ));
    }

    #[test]
    fn the_partial_file_sits_beside_the_destination() {
        assert_eq!(
            partial_path(Path::new("/d/backups/binhan-20250101-000000.sqlite3")),
            PathBuf::from("/d/backups/binhan-20250101-000000.sqlite3.partial")
        );
    }
}

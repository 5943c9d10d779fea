use std::path::PathBuf;

use chrono::Utc;

use super::keys::Bar;
use super::{CliError, sqlite_settings};
use crate::audit::Actor;
use crate::config::Config;
use crate::services::backup::{self, default_destination};

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// The new file to write the copy to [default: <data folder>/backups/binhan-YYYYMMDD-HHMMSS.sqlite3, UTC].
    /// An existing file is never overwritten.
    #[arg(long, value_name = "FILE")]
    pub to: Option<PathBuf>,
}

pub fn run(config: Config, args: BackupArgs) -> Result<(), CliError> {
    let url = config.database_url()?;
    let destination =
        args.to.unwrap_or_else(|| default_destination(&config.data_dir, Utc::now().naive_utc()));
    let report =
        backup::create(&url, sqlite_settings(&config), &Actor::command("backup"), &destination, &Bar::new())?;
    println!(
        "Backed up the database to {} ({} pages, {} bytes, mode 0600).",
        report.path.display(),
        report.copy.pages,
        report.copy.bytes
    );
    println!(
        "Audit head in this backup: event {}, hash {} (keep this line outside the server).",
        report.copy.audit_seq,
        hex::encode(&report.copy.audit_hash)
    );
    let keyring = match config.keyring {
        Some(_) => "the keyring (BINHAN_KEYRING)".to_string(),
        None => format!("the keyring {}", config.keyring_file().display()),
    };
    println!(
        "This backup does not contain the keyring: back up {keyring} separately and never keep the two together."
    );
    Ok(())
}

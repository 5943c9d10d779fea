use chrono::Utc;

use super::keys::Bar;
use super::{CliError, connect};
use crate::config::Config;
use crate::services::erasure::run_retention;

#[derive(Debug, clap::Subcommand)]
pub enum RetentionCommand {
    /// Erase (crypto-shred) the personal data of cases closed longer ago than
    /// BINHAN_RETENTION_YEARS; their anonymized statistics stay.
    Run {
        /// Only count what is due.
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn run(config: Config, command: RetentionCommand) -> Result<(), CliError> {
    let RetentionCommand::Run { dry_run } = command;
    let mut conn = connect(&config)?;
    let now = Utc::now().naive_utc();
    let report = run_retention(
        &mut conn,
        &crate::audit::Actor::command("retention run"),
        config.retention_years,
        now,
        dry_run,
        &Bar::new(),
    )?;
    if dry_run {
        println!(
            "{} closed cases are past the {}-year retention period.",
            report.due, config.retention_years
        );
    } else {
        println!(
            "Erased the personal data of {} cases closed more than {} years ago ({} were due).",
            report.erased, config.retention_years, report.due
        );
    }
    Ok(())
}

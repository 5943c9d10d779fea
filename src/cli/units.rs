use std::path::PathBuf;

use chrono::NaiveDate;

use super::{CliError, connect};
use crate::config::Config;
use crate::domain::admin_units::{ListOptions, UnitCode};
use crate::services::units::import;

#[derive(Debug, clap::Subcommand)]
pub enum UnitsCommand {
    /// Load a unit list or merger mapping (CSV) in one transaction; running it again
    /// changes nothing. Accepted headers: code,name,kind[,parent_code,valid_from,valid_to];
    /// code,name,level,parent_code; old_code,new_code[,type].
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The CSV file (UTF-8, header row).
    pub file: PathBuf,
    /// Province that communes without a parent_code belong to [default: BINHAN_PROVINCE].
    #[arg(long)]
    pub province: Option<String>,
    /// First day the units are in force, YYYY-MM-DD, for rows without valid_from.
    #[arg(long)]
    pub valid_from: Option<NaiveDate>,
    /// Last day the units are in force, YYYY-MM-DD, for rows without valid_to.
    #[arg(long)]
    pub valid_to: Option<NaiveDate>,
    /// Day a merger mapping takes effect [default: 2025-07-01].
    #[arg(long)]
    pub effective: Option<NaiveDate>,
}

pub fn run(config: Config, command: UnitsCommand) -> Result<(), CliError> {
    let UnitsCommand::Import(args) = command;
    let province = UnitCode::parse(args.province.as_deref().unwrap_or(&config.province))
        .map_err(|e| CliError::Failed(format!("--province: {e}")))?;
    let bytes = std::fs::read(&args.file)
        .map_err(|e| CliError::Failed(format!("cannot read {}: {e}", args.file.display())))?;
    let options = ListOptions {
        province,
        valid_from: args.valid_from,
        valid_to: args.valid_to,
        effective: args.effective,
    };
    let mut conn = connect(&config)?;
    let report = import(&mut conn, &bytes, &options)
        .map_err(|e| CliError::Failed(format!("{}: {e}; nothing was imported", args.file.display())))?;
    println!(
        "{}: {} added, {} updated, {} unchanged",
        args.file.display(),
        report.added,
        report.updated,
        report.unchanged
    );
    Ok(())
}

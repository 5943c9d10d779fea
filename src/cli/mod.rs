//! The `binhan` command line. Thin: each subcommand parses, calls a service and
//! prints what happened in words an operator understands.

mod audit;
mod backup;
mod demo;
mod init;
mod keys;
mod retention;
mod serve;
mod units;
mod user;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError, SETTINGS};
use crate::store::{self, DbConn, PoolSettings, SqliteSettings};

#[derive(Debug, Parser)]
#[command(name = "binhan", version, about = "Bình An: case management for violence referrals")]
pub struct Cli {
    /// A TOML configuration file (settings are also read from BINHAN_* variables).
    #[arg(long, global = true, env = "BINHAN_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web pages and the JSON API.
    Serve(serve::ServeArgs),
    /// Apply the database migrations that have not run yet.
    Migrate,
    /// Prepare a new deployment: data folder, database and administrative units.
    Init(init::InitArgs),
    /// Start a ready-to-try instance with demo data in a fresh data folder.
    Demo(demo::DemoArgs),
    /// Administrative units (provinces, districts, communes).
    #[command(subcommand)]
    Units(units::UnitsCommand),
    /// The access policies: validate them strictly against their schema.
    #[command(subcommand)]
    Policies(PoliciesCommand),
    /// The audit log: verify its hash chain.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Accounts: add, disable, reset-password, list.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Encryption keys: status, rotation, retirement, blind indexes.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// A consistent copy of the SQLite database, safe while `serve` runs (never the
    /// keyring; PostgreSQL is backed up with pg_dump, see docs/OPERATIONS.md).
    Backup(backup::BackupArgs),
    /// Erasure of cases past the retention period.
    #[command(subcommand)]
    Retention(retention::RetentionCommand),
    /// The Committee's statistics: recount the monthly tallies from the cases.
    #[command(subcommand)]
    Stats(StatsCommand),
    /// List every setting with its environment variable, default and meaning.
    Config,
}

#[derive(Debug, Subcommand)]
pub enum PoliciesCommand {
    /// Validate the policies (built in, BINHAN_POLICIES_DIR, or --dir).
    Check {
        /// A folder with schema.cedarschema and *.cedar files.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum StatsCommand {
    /// Recount every monthly tally of the statistics from the cases, in one
    /// transaction (after loading cases by other means than intake).
    Rebuild,
}

/// A failure of a command, printed as one line.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Connect(#[from] store::ConnectError),
    #[error(transparent)]
    Keys(#[from] crate::services::keys::KeysError),
    #[error(transparent)]
    Account(#[from] crate::services::accounts::AccountError),
    #[error(transparent)]
    Policy(#[from] crate::authz::PolicyError),
    #[error(transparent)]
    Backup(#[from] crate::services::backup::BackupError),
    #[error("{0}")]
    Failed(String),
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    if let Command::Config = cli.command {
        print_settings();
        return Ok(());
    }
    let config = Config::load(cli.config)?;
    match cli.command {
        Command::Serve(args) => serve::run(config, args),
        Command::Migrate => {
            let mut conn = connect(&config)?;
            let report = store::migrations::run_pending(&mut conn)?;
            print_migrations(&report);
            recompute_next_due(&mut conn, &config)
        }
        Command::Init(args) => init::run(config, args),
        Command::Demo(args) => demo::run(config, args),
        Command::Units(command) => units::run(config, command),
        Command::Keys(command) => keys::run(config, command),
        Command::User(command) => user::run(config, command),
        Command::Audit(command) => audit::run(config, command),
        Command::Policies(PoliciesCommand::Check { dir }) => {
            let source = match dir {
                Some(dir) => crate::authz::PolicySource::Folder(dir),
                None => config.policy_source(),
            };
            crate::authz::Policies::load(&source)?;
            println!("The access policies are valid against their schema (strict validation).");
            Ok(())
        }
        Command::Backup(args) => backup::run(config, args),
        Command::Retention(command) => retention::run(config, command),
        Command::Stats(StatsCommand::Rebuild) => {
            let mut conn = connect(&config)?;
            let actor = crate::audit::Actor::command("stats rebuild");
            let counted =
                crate::services::stats::tallies::rebuild(&mut conn, &actor, chrono::Utc::now().naive_utc())
                    .map_err(store::StoreError::from)?;
            println!("Counted {counted} cases in the statistics' monthly tallies.");
            Ok(())
        }
        Command::Config => unreachable!("handled above"),
    }
}

pub(crate) fn pool_settings(config: &Config) -> PoolSettings {
    PoolSettings { size: config.db_pool_size, sqlite: sqlite_settings(config), ..PoolSettings::default() }
}

/// The pool of a process that serves: SQLite's write-ahead log is written back
/// by the server's checkpointer, not by the requests' commits.
pub(crate) fn serving_pool_settings(config: &Config) -> PoolSettings {
    let mut settings = pool_settings(config);
    settings.sqlite.background_checkpoints = true;
    settings
}

fn sqlite_settings(config: &Config) -> SqliteSettings {
    SqliteSettings {
        busy_timeout: std::time::Duration::from_millis(config.sqlite_busy_timeout_ms.into()),
        ..SqliteSettings::default()
    }
}

/// One connection for a command-line task.
pub(crate) fn connect(config: &Config) -> Result<DbConn, CliError> {
    Ok(store::connect(&config.database_url()?, sqlite_settings(config))?)
}

/// The lists' sort key of every case, recomputed from its facts with the holidays
/// configured now (working days cannot be counted in SQL): for the cases of a
/// database older than the key, and after a change of the holidays. Writes only
/// the keys that changed.
pub(crate) fn recompute_next_due(conn: &mut store::DbConn, config: &Config) -> Result<(), CliError> {
    let holidays = config.holidays()?;
    let changed =
        crate::services::cases::clock::refresh_all(conn, &holidays).map_err(store::StoreError::from)?;
    if changed > 0 {
        tracing::info!(changed, "deadlines of the case lists recomputed");
    }
    Ok(())
}

pub(crate) fn print_migrations(report: &store::migrations::MigrationReport) {
    if report.applied.is_empty() {
        println!("Database schema is current ({} migrations applied earlier).", report.already_current);
    } else {
        for name in &report.applied {
            println!("Applied migration {name}");
        }
        println!(
            "Database schema is current: {} applied now, {} earlier.",
            report.applied.len(),
            report.already_current
        );
    }
}

fn print_settings() {
    for setting in SETTINGS {
        let default = setting.default.unwrap_or("(none)");
        println!("{}  (TOML: {}; default: {default})", setting.env_var(), setting.key);
        for line in setting.doc.lines() {
            println!("    {}", line.trim());
        }
    }
    println!("Any setting can also be read from a file named by BINHAN_<SETTING>_FILE (for secrets).");
}

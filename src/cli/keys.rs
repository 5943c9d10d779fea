use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::{CliError, connect};
use crate::audit::Actor;
use crate::config::Config;
use crate::crypto::KekId;
use crate::services::keys::{self, Keys, KeysError, Progress, RotateOptions};

#[derive(Debug, clap::Subcommand)]
pub enum KeysCommand {
    /// Show each key-encryption key, its state and how many data keys it wraps.
    Status,
    /// Make a new primary key-encryption key and re-wrap every data key under it.
    /// Safe while the server runs; if interrupted, run it again to continue.
    Rotate {
        /// Data keys re-wrapped per transaction.
        #[arg(long, default_value_t = 500)]
        batch_size: i64,
        /// Milliseconds to pause between transactions, to go easy on a busy server.
        #[arg(long, default_value_t = 0)]
        pause_ms: u64,
    },
    /// Retire a key-encryption key: its material is destroyed, so backups wrapped
    /// under it become unreadable. Refused while any data key still uses it.
    Retire {
        /// The key id, as shown by `binhan keys status`.
        id: u32,
    },
    /// Recompute every blind index (after the index key changed).
    Reindex {
        /// Replace the blind-index key with a new random one first.
        #[arg(long)]
        new_key: bool,
    },
}

/// A progress bar on the terminal; nothing when output goes elsewhere.
pub(crate) struct Bar(ProgressBar);

impl Bar {
    pub(crate) fn new() -> Self {
        Bar(ProgressBar::hidden())
    }
}

impl Progress for Bar {
    fn start(&self, total: u64, message: &str) {
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            self.0.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        self.0.set_length(total);
        if let Ok(style) = ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} ({eta} left)") {
            self.0.set_style(style);
        }
        self.0.set_message(message.to_string());
    }
    fn advance(&self, done: u64) {
        self.0.set_position(done);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

fn keyring_file(config: &Config) -> Result<std::path::PathBuf, CliError> {
    if config.keyring.is_some() {
        return Err(KeysError::NeedsFile("this command").into());
    }
    Ok(config.keyring_file())
}

pub fn run(config: Config, command: KeysCommand) -> Result<(), CliError> {
    let mut conn = connect(&config)?;
    match command {
        KeysCommand::Status => {
            let keys = Keys::load(config.keyring.as_ref().map(|s| s.expose()), &config.keyring_file())?;
            let status = keys::status(&mut conn, &keys.keyring())?;
            println!("{:<6} {:<13} {:>10}", "key", "state", "data keys");
            for k in &status.keks {
                println!("{:<6} {:<13} {:>10}", k.kek.0, k.state.as_str(), k.data_keys);
            }
            for (kek, count) in &status.orphaned {
                println!("{:<6} {:<13} {:>10}", kek.0, "MISSING", count);
            }
            println!("Erased (shredded) data keys: {}", status.shredded);
        }
        KeysCommand::Rotate { batch_size, pause_ms } => {
            let file = keyring_file(&config)?;
            let options =
                RotateOptions { batch_size: batch_size.max(1), pause: Duration::from_millis(pause_ms) };
            let report =
                keys::rotate(&mut conn, &Actor::command("keys rotate"), &file, options, &Bar::new())?;
            match report.new_primary {
                Some(kek) => println!("New primary key-encryption key: {kek}."),
                None => println!("Continued the unfinished rotation to key {}.", report.primary),
            }
            println!(
                "Re-wrapped {} data keys under key {}. Older keys can now be retired with `binhan keys retire ID`.",
                report.rewrapped, report.primary
            );
        }
        KeysCommand::Retire { id } => {
            keys::retire(&mut conn, &Actor::command("keys retire"), &keyring_file(&config)?, KekId(id))?;
            println!("Key {id} is retired and its material destroyed.");
        }
        KeysCommand::Reindex { new_key } => {
            let done = keys::reindex(
                &mut conn,
                &Actor::command("keys reindex"),
                &keyring_file(&config)?,
                new_key,
                500,
                &Bar::new(),
            )?;
            println!("Recomputed the blind indexes of {done} survivors.");
        }
    }
    Ok(())
}

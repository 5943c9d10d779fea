use std::io::Read;

use chrono::Utc;
use zeroize::Zeroizing;

use super::{CliError, connect};
use crate::audit::Actor;
use crate::config::Config;
use crate::domain::role::Role;
use crate::services::accounts::{self, NewAccount};
use crate::services::keys::Keys;

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Create an account at once, without a supervisor's confirmation: the
    /// break-glass path (the first supervisor of a new deployment is made so).
    /// Without --password-stdin a one-time enrolment code is printed once (valid
    /// 72 hours): hand it over in person; with it she chooses her own password.
    /// A password given on standard input is hers and is kept.
    Add {
        /// Sign-in name: 3 to 32 characters a-z, 0-9, dot, dash, underscore.
        username: String,
        /// The person's name as colleagues know it.
        #[arg(long)]
        name: String,
        /// social_worker, supervisor, safe_house_staff, committee_member or admin.
        #[arg(long)]
        role: Role,
        /// A commune she works in (5-digit code); repeat for several.
        #[arg(long = "commune")]
        communes: Vec<String>,
        /// The safe house of safe-house staff: its id or its exact name (an
        /// active house; `binhan user list` and the administrator's pages show them).
        #[arg(long)]
        safe_house: Option<String>,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account; its sessions end at once.
    Disable { username: String },
    /// End an account's password and sessions; a one-time enrolment code (printed
    /// once) lets its owner choose a new one.
    ResetPassword { username: String },
    /// Remove an account's second factor (a lost phone); her next sign-in sets up a
    /// new one. Her sessions and recovery codes end.
    ResetSecondFactor { username: String },
    /// End the sessions of one account, or with --all of every account: they sign
    /// in again; nothing else changes.
    EndSessions {
        /// The account whose sessions end.
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        username: Option<String>,
        /// End every session of every account.
        #[arg(long)]
        all: bool,
    },
    /// List the accounts.
    List,
}

impl clap::builder::ValueParserFactory for Role {
    type Parser = clap::builder::ValueParser;
    fn value_parser() -> Self::Parser {
        clap::builder::ValueParser::new(|text: &str| text.parse::<Role>().map_err(|e| e.to_string()))
    }
}

pub fn run(config: Config, command: UserCommand) -> Result<(), CliError> {
    let mut conn = connect(&config)?;
    let now = Utc::now().naive_utc();
    match command {
        UserCommand::Add { username, name, role, communes, safe_house, password_stdin } => {
            let password = if password_stdin {
                let mut text = Zeroizing::new(String::new());
                std::io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|e| CliError::Failed(format!("cannot read the password: {e}")))?;
                Some(Zeroizing::new(text.trim_end_matches(['\r', '\n']).to_string()))
            } else {
                None
            };
            let keys = Keys::load(config.keyring.as_ref().map(|s| s.expose()), &config.keyring_file())?;
            // Never wrap a new key under a keyring that is not this database's.
            crate::services::keys::verify_and_record_canaries(&mut conn, &keys.keyring())?;
            let input = NewAccount {
                username,
                display_name: name,
                role,
                communes,
                safe_house_id: safe_house,
                enrolment_code: password.is_none(),
                password,
            };
            let (user, generated) =
                accounts::create(&mut conn, &keys, &Actor::command("user add"), &input, now)?;
            println!("Created {} account {}.", user.role, user.username);
            if let Some(code) = generated {
                println!("Enrolment code (shown once, valid 72 hours): {}", code.as_str());
                println!("Hand it over in person: with it she chooses her own password at /enrol.");
            }
            println!("This is the server's break-glass path: the audit log records it as such.");
            if user.role.requires_second_factor() || config.second_factor_for_all {
                println!("At first sign-in she sets up the second factor with an authenticator app.");
            }
        }
        UserCommand::Disable { username } => {
            accounts::disable(&mut conn, &Actor::command("user disable"), &username, now)?;
            println!("Disabled {username}; its sessions have ended.");
        }
        UserCommand::ResetPassword { username } => {
            let password =
                accounts::reset_password(&mut conn, &Actor::command("user reset-password"), &username, now)?;
            println!("Enrolment code for {username} (shown once, valid 72 hours): {}", password.as_str());
            println!(
                "Its password and sessions have ended: with the code she chooses a new password at /enrol."
            );
        }
        UserCommand::ResetSecondFactor { username } => {
            accounts::reset_second_factor(
                &mut conn,
                &Actor::command("user reset-second-factor"),
                &username,
                now,
            )?;
            println!(
                "The second factor of {username} is removed; at the next sign-in she sets up a new one."
            );
        }
        UserCommand::EndSessions { username: Some(username), .. } => {
            accounts::end_sessions(&mut conn, &Actor::command("user end-sessions"), &username, now)?;
            println!("The sessions of {username} have ended.");
        }
        UserCommand::EndSessions { username: None, .. } => {
            let ended =
                accounts::end_all_sessions(&mut conn, &Actor::command("user end-sessions --all"), now)?;
            println!("{ended} sessions have ended; everyone signs in again.");
        }
        UserCommand::List => {
            println!("{:<20} {:<18} {:<9} {:<6} scope", "username", "role", "state", "2FA");
            for summary in accounts::list(&mut conn, now)? {
                let user = &summary.user;
                let scope = match (&summary.safe_house, user.communes.is_empty()) {
                    (Some(house), _) => format!("safe house {house}"),
                    (None, false) => format!("communes {}", user.communes.join(" ")),
                    (None, true) => "province".into(),
                };
                println!(
                    "{:<20} {:<18} {:<9} {:<6} {scope}",
                    user.username,
                    user.role.as_str(),
                    summary.state.as_str(),
                    if user.second_factor { "yes" } else { "no" }
                );
            }
        }
    }
    Ok(())
}

use super::{CliError, connect};
use crate::config::Config;
use crate::store::audit::{VerifyError, verify};

#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain of the audit log and name the first broken link.
    Verify,
}

pub fn run(config: Config, command: AuditCommand) -> Result<(), CliError> {
    let AuditCommand::Verify = command;
    let mut conn = connect(&config)?;
    match verify(&mut conn) {
        Ok(events) => {
            println!("The audit log is intact: {events} events, every link verified.");
            Ok(())
        }
        Err(VerifyError::Broken(broken)) => {
            Err(CliError::Failed(format!("the audit log is broken at {broken}")))
        }
        Err(VerifyError::Query(e)) => Err(CliError::Store(e.into())),
    }
}

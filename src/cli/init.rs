use super::{CliError, connect, print_migrations};
use crate::config::Config;
use crate::services;
use crate::store::migrations;

#[derive(Debug, clap::Args)]
pub struct InitArgs {}

pub fn run(config: Config, _args: InitArgs) -> Result<(), CliError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        CliError::Failed(format!(
            "cannot create the data folder {}: {e}",
            config.data_dir.display()
        ))
    })?;
    let mut conn = connect(&config)?;
    print_migrations(&migrations::run_pending(&mut conn)?);
    load_ha_tinh(&mut conn)?;
    Ok(())
}

pub(crate) fn load_ha_tinh(conn: &mut crate::store::DbConn) -> Result<(), CliError> {
    let reports =
        services::units::import_ha_tinh(conn).map_err(|e| CliError::Failed(e.to_string()))?;
    for (file, r) in reports {
        println!(
            "Units {file}: {} added, {} updated, {} unchanged",
            r.added, r.updated, r.unchanged
        );
    }
    Ok(())
}

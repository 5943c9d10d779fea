use super::{CliError, connect, print_migrations};
use crate::config::Config;
use crate::services;
use crate::services::keys::{self, KeyringSource, Keys};
use crate::store::migrations;

#[derive(Debug, clap::Args)]
pub struct InitArgs {}

pub fn run(config: Config, _args: InitArgs) -> Result<(), CliError> {
    create_private_dir(&config.data_dir)?;
    let mut conn = connect(&config)?;
    print_migrations(&migrations::run_pending(&mut conn)?);
    prepare_keys(&config, &mut conn)?;
    load_ha_tinh(&mut conn)?;
    Ok(())
}

/// The keyring (created on first use when it lives in a file) and its canaries.
pub(crate) fn prepare_keys(config: &Config, conn: &mut crate::store::DbConn) -> Result<Keys, CliError> {
    let keys = match &config.keyring {
        Some(text) => Keys::load(Some(text.expose()), &config.keyring_file())?,
        None => {
            let file = config.keyring_file();
            let (keyring, created) = keys::create_or_load_file(&file)?;
            if created {
                println!(
                    "Created the keyring {} (mode 0600). Keep a copy in a safe place, apart from database backups.",
                    file.display()
                );
            }
            Keys::new(keyring, KeyringSource::File(file))
        }
    };
    keys::verify_and_record_canaries(conn, &keys.keyring())?;
    Ok(keys)
}

pub(crate) fn load_ha_tinh(conn: &mut crate::store::DbConn) -> Result<(), CliError> {
    let reports = services::units::import_ha_tinh(conn).map_err(|e| CliError::Failed(e.to_string()))?;
    for (file, r) in reports {
        println!("Units {file}: {} added, {} updated, {} unchanged", r.added, r.updated, r.unchanged);
    }
    Ok(())
}

/// The data folder holds the database (and by default the keyring): only the
/// service's own user may enter it.
pub(crate) fn create_private_dir(dir: &std::path::Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::Failed(format!("cannot create the data folder {}: {e}", dir.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| {
            CliError::Failed(format!("cannot restrict the data folder {}: {e}", dir.display()))
        })?;
    }
    Ok(())
}

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::{CliError, print_migrations, serve, serving_pool_settings};
use crate::config::Config;
use crate::services::demo::{self, DemoWorld};
use crate::services::keys::Keys;
use crate::store::{self, migrations};

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Folder for the demo data; must not exist yet. Default: a new folder under the
    /// system's temporary folder.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

/// A fresh, ready instance: its own data folder and SQLite database, migrated, with
/// Hà Tĩnh's administrative units, then served.
pub fn run(mut config: Config, args: DemoArgs) -> Result<(), CliError> {
    let data_dir = match args.data_dir {
        Some(dir) if dir.exists() => {
            return Err(CliError::Failed(format!(
                "{} already exists: the demo starts in a fresh folder",
                dir.display()
            )));
        }
        Some(dir) => dir,
        None => std::env::temp_dir().join(format!("binhan-demo-{}", uuid::Uuid::now_v7().simple())),
    };
    super::init::create_private_dir(&data_dir)?;
    config.data_dir = data_dir.clone();
    config.database_url = None;
    config.keyring = None;
    config.keyring_path = None;
    crate::telemetry::init(config.log_format, &config.log);

    let pool = store::open_pool(&config.database_url()?, serving_pool_settings(&config))?;
    let keys;
    let mut accounts;
    {
        let mut conn = pool.get().map_err(store::StoreError::from)?;
        print_migrations(&migrations::run_pending(&mut conn)?);
        keys = Arc::new(super::init::prepare_keys(&config, &mut conn)?);
        super::init::load_ha_tinh(&mut conn)?;
        accounts = demo::create_accounts(&mut conn, &keys, chrono::Utc::now().naive_utc())?;
        let staff = seed_cases(&config, &mut conn, &keys)?;
        // Listed as the journeys list them: worker, supervisor, staff, committee, admin.
        accounts.insert(2.min(accounts.len()), staff);
    }
    println!();
    println!("Bình An demo: http://{}/", config.bind);
    println!("Data folder: {} (delete it when done)", data_dir.display());
    println!();
    println!("Demo accounts (fictional; new passwords at every demo start):");
    println!(
        "  {:<18} {:<9} {:<21} second factor (TOTP secret for an authenticator app)",
        "role", "username", "password"
    );
    for account in &accounts {
        println!(
            "  {:<18} {:<9} {:<21} {}",
            account.role.as_str(),
            account.username,
            account.password.as_str(),
            account.second_factor_secret.as_ref().map_or("-", |s| s.as_str())
        );
    }
    println!();
    println!("Stop with Ctrl-C.");
    serve::serve(config, pool, keys)
}

/// The safe houses and their staff member, then the province's fictional cases of
/// the last two years, with a progress bar.
fn seed_cases(
    config: &Config,
    conn: &mut store::DbConn,
    keys: &Arc<Keys>,
) -> Result<demo::DemoAccount, CliError> {
    let world = DemoWorld {
        province: config.province.clone(),
        keys: keys.clone(),
        policies: Arc::new(crate::authz::Policies::load(&config.policy_source())?),
        holidays: Arc::new(config.holidays()?),
    };
    let now = chrono::Utc::now();
    demo::create_safe_houses(conn, &world, now)
        .map_err(|e| CliError::Failed(format!("the demo safe houses could not be created: {e}")))?;
    let staff = demo::create_house_staff(conn, keys, now.naive_utc())?;
    let started = Instant::now();
    let created = demo::seed_cases(conn, &world, now, &super::keys::Bar::new())
        .map_err(|e| CliError::Failed(format!("the demo data could not be created: {e}")))?;
    demo::seed_stays(conn, &world, now)
        .map_err(|e| CliError::Failed(format!("the demo's safe-house stays could not be created: {e}")))?;
    println!(
        "Demo data: {created} fictional cases over the last two years ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    Ok(staff)
}

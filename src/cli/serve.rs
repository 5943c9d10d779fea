use std::sync::Arc;
use std::time::Duration;

use actix_web::HttpServer;

use super::{CliError, print_migrations, serving_pool_settings};
use crate::config::Config;
use crate::http::{AppState, app};
use crate::services::keys::{self, Keys};
use crate::store::{self, migrations};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Apply pending migrations before serving (same as BINHAN_MIGRATE_ON_START=true).
    #[arg(long)]
    pub migrate: bool,
}

pub fn run(config: Config, args: ServeArgs) -> Result<(), CliError> {
    crate::telemetry::init(config.log_format, &config.log);
    config.check_serving()?;
    let url = config.database_url()?;
    let pool = store::open_pool(&url, serving_pool_settings(&config))?;
    let keys = Keys::load(config.keyring.as_ref().map(|s| s.expose()), &config.keyring_file())?;
    {
        let mut conn = pool.get().map_err(store::StoreError::from)?;
        if args.migrate || config.migrate_on_start {
            print_migrations(&migrations::run_pending(&mut conn)?);
        }
        let pending = migrations::pending_count(&mut conn)?;
        if pending > 0 {
            return Err(CliError::Failed(format!(
                "{pending} database migrations are pending: run `binhan migrate`, or start with `binhan serve --migrate`"
            )));
        }
        // A wrong keyring stops the server here, before any data is read.
        keys::verify_and_record_canaries(&mut conn, &keys.keyring())?;
        super::recompute_next_due(&mut conn, &config)?;
    }
    serve(config, pool, keys)
}

/// Serves until Ctrl-C or SIGTERM, then finishes requests in flight and returns.
/// `keys` may be shared already (the demo seeds its cases with them first).
pub fn serve(config: Config, pool: store::Pool, keys: impl Into<Arc<Keys>>) -> Result<(), CliError> {
    // An invalid policy stops the server here, with the validator's message.
    let policies = crate::authz::Policies::load(&config.policy_source())?;
    // Checked again here for the demo, which serves without `run`.
    config.check_serving()?;
    let bind = config.bind;
    let workers = match config.workers {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };
    let shutdown = Duration::from_secs(config.shutdown_timeout_s);
    // Stops (with a last checkpoint) when serving ends.
    let _checkpointer =
        store::Checkpointer::start(&config.database_url()?, super::serving_pool_settings(&config).sqlite)?;
    let state = AppState::new(pool, config, keys, policies);
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        // Listen for the stop signals before serving: a signal that arrived before
        // a handler was registered would kill the process instead of stopping it.
        let stop = StopSignals::register();
        let server = HttpServer::new(move || app(state.clone()))
            .workers(workers)
            .shutdown_timeout(shutdown.as_secs())
            .disable_signals()
            .bind(bind)
            .map_err(|e| {
                CliError::Failed(format!("cannot listen on {bind}: {}", lower_first(&e.to_string())))
            })?
            .run();
        let handle = server.handle();
        actix_web::rt::spawn(async move {
            let signal = stop.recv().await;
            tracing::info!(signal, "stopping: finishing requests in flight");
            handle.stop(true).await;
        });
        tracing::info!(%bind, workers, "Bình An is serving");
        server.await.map_err(|e| CliError::Failed(format!("server stopped: {e}")))?;
        tracing::info!("Bình An stopped");
        Ok(())
    })
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// Ctrl-C and SIGTERM both stop the server gracefully (actix's own handling treats
/// Ctrl-C as a forced stop that drops requests in flight).
struct StopSignals {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl StopSignals {
    #[cfg(unix)]
    fn register() -> Self {
        use tokio::signal::unix::{SignalKind, signal};
        StopSignals {
            interrupt: signal(SignalKind::interrupt()).ok(),
            terminate: signal(SignalKind::terminate()).ok(),
        }
    }

    #[cfg(not(unix))]
    fn register() -> Self {
        StopSignals {}
    }

    #[cfg(unix)]
    async fn recv(mut self) -> &'static str {
        match (&mut self.interrupt, &mut self.terminate) {
            (Some(interrupt), Some(terminate)) => tokio::select! {
                _ = interrupt.recv() => "SIGINT",
                _ = terminate.recv() => "SIGTERM",
            },
            _ => {
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }

    #[cfg(not(unix))]
    async fn recv(self) -> &'static str {
        let _ = tokio::signal::ctrl_c().await;
        "SIGINT"
    }
}

use std::sync::Arc;
use std::time::Duration;

use actix_http::error::DispatchError;
use actix_http::{HttpService, KeepAlive, Protocol};
use actix_service::{IntoServiceFactory, ServiceFactoryExt, fn_service, map_config};
use actix_web::dev::AppConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::{CliError, print_migrations, serving_pool_settings};
use crate::config::Config;
use crate::error::AppError;
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
        // actix-web's HttpServer, built by hand to put one step before actix's
        // HTTP parser (see `refuse_long_request_line`); the settings are HttpServer's
        // defaults.
        let server = actix_web::dev::Server::build()
            .workers(workers)
            .shutdown_timeout(shutdown.as_secs())
            .disable_signals()
            .bind("binhan", bind, move || {
                let http = HttpService::build()
                    .keep_alive(KeepAlive::default())
                    .client_request_timeout(Duration::from_secs(5))
                    .client_disconnect_timeout(Duration::from_secs(1))
                    .local_addr(bind)
                    .finish(map_config(app(state.clone()).into_factory(), move |_| AppConfig::default()));
                fn_service(|mut io: TcpStream| async move {
                    let _ = io.set_nodelay(true);
                    refuse_long_request_line(&mut io).await?;
                    let peer = io.peer_addr().ok();
                    Ok::<_, DispatchError>((io, Protocol::Http1, peer))
                })
                .and_then(http)
            })
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

/// The longest request line let through to actix's parser: a URI of
/// `MAX_URI_BYTES` (which the app refuses itself) and the method and version.
const MAX_REQUEST_LINE: usize = crate::http::middleware::MAX_URI_BYTES + 64;

/// A URI over 64 KB cannot be held by the `http` crate, so actix's parser answers
/// it with a bare 400 that no middleware sees. Before actix reads the first
/// request of a connection, its request line is looked at (without being
/// consumed): one longer than `MAX_REQUEST_LINE` gets 414 with a problem+json body
/// and the connection is closed. Later requests of a kept-alive connection are not
/// looked at; the app's own limit (`middleware::uri_length`) answers those up to
/// 64 KB, and only a longer one there still gets actix's bare 400.
async fn refuse_long_request_line(io: &mut TcpStream) -> Result<(), DispatchError> {
    let mut buf = vec![0u8; MAX_REQUEST_LINE + 1];
    // A slow client is actix's to time out (client_request_timeout).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let mut seen = 0;
    loop {
        let Ok(n) = io.peek(&mut buf).await else { return Ok(()) };
        if n == 0 || buf[..n].contains(&b'\n') || tokio::time::Instant::now() > deadline {
            return Ok(());
        }
        if n > MAX_REQUEST_LINE {
            break;
        }
        if n == seen {
            // Nothing new yet: peek would answer at once with the same bytes.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        seen = n;
    }
    // As the request line of the app's log, without a route (there is none).
    tracing::info!(status = 414, "request refused before parsing: request line too long");
    let body = serde_json::to_string(&AppError::UriTooLong.problem()).unwrap_or_default();
    let answer = format!(
        "HTTP/1.1 414 URI Too Long\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\n\
         x-content-type-options: nosniff\r\ncache-control: no-store\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    io.write_all(answer.as_bytes()).await.map_err(DispatchError::Io)?;
    // Read what the client is still sending (up to a limit) before closing, or the
    // close would reset the connection and the client could lose the answer.
    let drained = tokio::time::timeout(Duration::from_secs(1), async {
        let mut total = 0;
        while total < 1024 * 1024 {
            match io.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) if buf[..n].windows(4).any(|w| w == b"\r\n\r\n") => break,
                Ok(n) => total += n,
            }
        }
    });
    let _ = drained.await;
    let _ = io.shutdown().await;
    Err(DispatchError::Io(std::io::Error::other("request line too long")))
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

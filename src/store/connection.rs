use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use super::url::{DatabaseUrl, PgTarget};

/// One connection to either backend: the rest of the code is written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConn = r2d2::PooledConnection<ConnectionManager>;

/// Why a database could not be opened, in one line an operator can act on.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum ConnectError {
    #[error("cannot open the SQLite database {path}: {reason}")]
    Sqlite { path: String, reason: String },
    #[error("PostgreSQL at {target} is unreachable: {reason}")]
    Unreachable { target: String, reason: String },
    #[error("PostgreSQL at {target} rejected the password of user {user}")]
    WrongPassword { target: String, user: String },
    #[error("PostgreSQL at {target} refused the connection: {reason}")]
    Refused { target: String, reason: String },
}

/// Connection settings that apply to every SQLite connection.
#[derive(Debug, Clone, Copy)]
pub struct SqliteSettings {
    pub busy_timeout: Duration,
    /// Commits never write the write-ahead log back into the database file
    /// (`wal_autocheckpoint = 0`): a [`super::Checkpointer`] does, from a thread of
    /// its own. For the server; a command that writes alone keeps SQLite's default.
    pub background_checkpoints: bool,
}

impl Default for SqliteSettings {
    fn default() -> Self {
        SqliteSettings { busy_timeout: Duration::from_secs(5), background_checkpoints: false }
    }
}

pub fn connect(url: &DatabaseUrl, sqlite: SqliteSettings) -> Result<DbConn, ConnectError> {
    match url {
        DatabaseUrl::Sqlite(path) => connect_sqlite(path, sqlite).map(DbConn::Sqlite),
        DatabaseUrl::Postgres(url) => diesel::PgConnection::establish(url.expose())
            .map(DbConn::Postgres)
            .map_err(|e| classify_pg_error(url.expose(), &e.to_string())),
    }
}

fn connect_sqlite(path: &Path, settings: SqliteSettings) -> Result<diesel::SqliteConnection, ConnectError> {
    let failed = |reason: String| ConnectError::Sqlite { path: path.display().to_string(), reason };
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !folder.is_dir()
    {
        return Err(failed(format!(
            "the folder {} does not exist (run `binhan init` first)",
            folder.display()
        )));
    }
    let path_text = path.to_str().ok_or_else(|| failed("the path is not valid UTF-8".into()))?;
    // Concurrent writers wait their turn (see `sqlite_wait`: not with `PRAGMA
    // busy_timeout`, whose pauses grow to 100 ms).
    let waits_in_short_steps = super::sqlite_wait::install(settings.busy_timeout);
    let mut conn =
        diesel::SqliteConnection::establish(path_text).map_err(|e| failed(first_line(&e.to_string())))?;
    if !waits_in_short_steps {
        conn.batch_execute(&format!("PRAGMA busy_timeout = {};", settings.busy_timeout.as_millis()))
            .map_err(|e| failed(first_line(&e.to_string())))?;
    }
    // WAL lets readers work while one writer commits; FULL makes a commit survive
    // power loss (its cost is measured in docs/PERFORMANCE.md); secure_delete
    // overwrites freed content, so a shredded data key leaves no bytes behind in
    // free pages.
    conn.batch_execute(
        "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
         PRAGMA secure_delete = ON;",
    )
    .map_err(|e| failed(first_line(&e.to_string())))?;
    if settings.background_checkpoints {
        // The log file is cut back to 64 MiB whenever it starts again from the top,
        // so a burst of writes does not leave a large file behind.
        conn.batch_execute("PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;")
            .map_err(|e| failed(first_line(&e.to_string())))?;
    }
    Ok(conn)
}

/// libpq's messages are multi-line and start with the server address; this keeps the
/// sentence that says what went wrong and never includes the password.
fn classify_pg_error(url: &str, message: &str) -> ConnectError {
    let target = PgTarget::of(url);
    let reason = message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("unknown error")
        .rsplit("failed: ")
        .next()
        .unwrap_or_default()
        .trim_start_matches("FATAL:")
        .trim()
        .to_string();
    let lower = message.to_ascii_lowercase();
    let where_ = format!("{}/{}", target.host_port, target.database);
    if lower.contains("password authentication failed") || lower.contains("no password supplied") {
        ConnectError::WrongPassword { target: where_, user: target.user }
    } else if lower.contains("connection refused")
        || lower.contains("could not connect")
        || lower.contains("timeout expired")
        || lower.contains("could not translate host name")
        || lower.contains("no route to host")
        || lower.contains("network is unreachable")
    {
        ConnectError::Unreachable { target: where_, reason }
    } else {
        ConnectError::Refused { target: where_, reason }
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or_default().trim().to_string()
}

/// Opens connections for the pool through [`connect`], so the backend is chosen by
/// our URL parsing and SQLite gets its settings on every connection.
#[derive(Debug)]
pub struct ConnectionManager {
    url: DatabaseUrl,
    sqlite: SqliteSettings,
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConn;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConn, ConnectError> {
        connect(&self.url, self.sqlite)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1").map_err(|e| ConnectError::Refused {
            target: self.url.redacted(),
            reason: first_line(&e.to_string()),
        })
    }

    /// A connection that lost its server (PostgreSQL stopped or restarted, the
    /// network cut) leaves the pool instead of failing every later request it
    /// serves. Cheap: diesel's rule for pools, which asks nothing of the server.
    /// After a query failed on a dead PostgreSQL connection, libpq no longer knows
    /// its transaction status and diesel marks its transaction manager broken; a
    /// transaction left open counts too.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        std::thread::panicking() || diesel::r2d2::R2D2Connection::is_broken(conn)
    }
}

/// Whether a connection whose work just failed lost its database. Diesel does not
/// mark every failure broken (a statement that could not even be prepared leaves
/// the connection looking healthy), so when its rule does not tell, one
/// `SELECT 1` does: on a dead connection it fails, which marks the connection
/// broken and the pool drops it when it comes back.
pub fn connection_lost(conn: &mut DbConn) -> bool {
    diesel::r2d2::R2D2Connection::is_broken(conn) || conn.batch_execute("SELECT 1").is_err()
}

/// After one connection was lost, the idle ones most likely were too (the database
/// restarted): each is tried once, and those that fail leave the pool, so that the
/// next requests open fresh connections instead of failing one after another.
pub fn drop_lost_connections(pool: &Pool) {
    let mut tried = Vec::new();
    while let Some(mut conn) = pool.try_get() {
        // A failure marks the connection broken; the pool drops it when it comes back.
        let _ = conn.batch_execute("SELECT 1");
        tried.push(conn);
    }
}

#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    pub size: u32,
    /// How long a request waits for a connection before the server answers 503.
    pub checkout_timeout: Duration,
    pub sqlite: SqliteSettings,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings { size: 8, checkout_timeout: Duration::from_secs(5), sqlite: SqliteSettings::default() }
    }
}

/// Opens one connection first, so a wrong password or an unreachable server is
/// reported at once with its real cause, then builds the pool around it.
pub fn open_pool(url: &DatabaseUrl, settings: PoolSettings) -> Result<Pool, ConnectError> {
    let first = connect(url, settings.sqlite)?;
    drop(first);
    let manager = ConnectionManager { url: url.clone(), sqlite: settings.sqlite };
    Ok(r2d2::Pool::builder()
        .max_size(settings.size)
        .min_idle(Some(0))
        .connection_timeout(settings.checkout_timeout)
        .test_on_check_out(false)
        .error_handler(Box::new(LogPoolErrors))
        .build_unchecked(manager))
}

#[derive(Debug)]
struct LogPoolErrors;

impl r2d2::HandleError<ConnectError> for LogPoolErrors {
    fn handle_error(&self, error: ConnectError) {
        tracing::warn!(%error, "database connection failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_messages_become_one_line_with_the_cause() {
        let url = "postgres://app:pw@db:5433/binhan";
        let wrong = classify_pg_error(
            url,
            "connection to server at \"db\" (10.0.0.5), port 5433 failed: FATAL:  password authentication failed for user \"app\"\n",
        );
        assert_eq!(wrong.to_string(), "PostgreSQL at db:5433/binhan rejected the password of user app");
        let down = classify_pg_error(
            url,
            "connection to server at \"db\" (10.0.0.5), port 5433 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n",
        );
        assert_eq!(down.to_string(), "PostgreSQL at db:5433/binhan is unreachable: Connection refused");
        let missing = classify_pg_error(
            url,
            "connection to server at \"db\", port 5433 failed: FATAL:  database \"binhan\" does not exist\n",
        );
        assert_eq!(
            missing.to_string(),
            "PostgreSQL at db:5433/binhan refused the connection: database \"binhan\" does not exist"
        );
    }
}

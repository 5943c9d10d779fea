//! Storage: connections to SQLite or PostgreSQL, migrations and queries. Knows
//! nothing of HTTP.

pub mod account_changes;
pub mod admin_units;
pub mod audit;
pub mod backup;
pub mod case_lists;
pub mod case_work;
pub mod cases;
mod checkpointer;
pub mod closed;
mod connection;
pub mod duplicates;
pub mod keys;
pub mod migrations;
pub mod placements;
pub mod schema;
pub mod sealed;
pub mod sessions;
mod sqlite_wait;
pub mod stats;
pub mod stay_notes;
mod url;
pub mod users;

pub use checkpointer::Checkpointer;
pub use connection::{
    ConnectError, ConnectionManager, DbConn, Pool, PoolSettings, PooledConn, SqliteSettings, connect,
    connection_lost, drop_lost_connections, open_pool,
};
pub use sqlite_wait::SQLITE_BUSY_MESSAGE;
pub use url::{Backend, DatabaseUrl, UrlError};

/// A storage failure. Connection problems keep their one-line cause.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error("the database is busy or unreachable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("migration failed: {0}")]
    Migration(String),
}

impl StoreError {
    fn migration(e: Box<dyn std::error::Error + Send + Sync>) -> Self {
        StoreError::Migration(e.to_string())
    }
}

impl From<r2d2::Error> for StoreError {
    fn from(e: r2d2::Error) -> Self {
        StoreError::Unavailable(e.to_string())
    }
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Sqlite(_) => Backend::Sqlite,
            DbConn::Postgres(_) => Backend::Postgres,
        }
    }

    /// Commits that do not wait for the disk, on this connection only, for loading
    /// data that can be made again (the demo's cases): a power cut may lose the
    /// last commits but never corrupts the database (SQLite in WAL mode with
    /// `synchronous=NORMAL`; PostgreSQL with `synchronous_commit=off`). `false`
    /// restores the durable default before the connection goes back to the pool.
    pub fn set_relaxed_commits(&mut self, relaxed: bool) -> diesel::QueryResult<()> {
        use diesel::connection::SimpleConnection;
        match (self, relaxed) {
            (DbConn::Sqlite(c), true) => c.batch_execute("PRAGMA synchronous = NORMAL"),
            (DbConn::Sqlite(c), false) => c.batch_execute("PRAGMA synchronous = FULL"),
            (DbConn::Postgres(c), true) => c.batch_execute("SET synchronous_commit = off"),
            (DbConn::Postgres(c), false) => c.batch_execute("RESET synchronous_commit"),
        }
    }
}

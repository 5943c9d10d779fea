//! Writes SQLite's write-ahead log back into the database file from a thread of
//! its own, so that no request waits for it.
//!
//! By default the connection whose commit takes the log past 1,000 pages copies
//! them into the database file and syncs it, inside that request: the slowest
//! requests of the load test were those (docs/PERFORMANCE.md). The server's
//! connections turn that off (`SqliteSettings::background_checkpoints`) and this
//! thread checkpoints every 200 ms in `PASSIVE` mode, which waits for no reader or
//! writer: what readers still use stays in the log for the next round, and once
//! everything is copied the next writer starts the log again from its beginning.

use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use diesel::connection::SimpleConnection;

use super::{ConnectError, DatabaseUrl, SqliteSettings, connect};

/// How often the log is written back.
pub const EVERY: Duration = Duration::from_millis(200);

/// The running checkpointer of a SQLite database; stops when dropped, after a
/// last checkpoint.
pub struct Checkpointer {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts checkpointing `url`'s database; None for PostgreSQL.
    pub fn start(url: &DatabaseUrl, settings: SqliteSettings) -> Result<Option<Checkpointer>, ConnectError> {
        if !matches!(url, DatabaseUrl::Sqlite(_)) {
            return Ok(None);
        }
        let mut conn = connect(url, settings)?;
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let stopping = stop.clone();
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                let (stopped, wake) = &*stopping;
                let mut done = stopped.lock().unwrap_or_else(|e| e.into_inner());
                while !*done {
                    done = wake.wait_timeout(done, EVERY).unwrap_or_else(|e| e.into_inner()).0;
                    if let Err(error) = conn.batch_execute("PRAGMA wal_checkpoint(PASSIVE);") {
                        tracing::warn!(%error, "checkpoint of the write-ahead log failed; trying again");
                    }
                }
            })
            .map_err(|e| ConnectError::Sqlite { path: url.redacted(), reason: e.to_string() })?;
        Ok(Some(Checkpointer { stop, thread: Some(thread) }))
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        let (stopped, wake) = &*self.stop;
        *stopped.lock().unwrap_or_else(|e| e.into_inner()) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

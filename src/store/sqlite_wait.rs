//! How a SQLite connection waits while another holds the write lock.
//!
//! SQLite's own busy timeout (`PRAGMA busy_timeout`) sleeps 1, 2, 5, 10, 15, 20,
//! 25, 25, 25, 50, 50 and then 100 ms between tries. Under load that is where the
//! slowest requests come from: a transaction that commits in a millisecond makes a
//! waiting request sleep up to 100 ms more, and a request can lose the race several
//! times in a row (measured in docs/PERFORMANCE.md, load test). This handler tries
//! again after 20 µs, doubling to at most 500 µs, until the same total timeout is
//! spent, so a waiting request starts about as soon as the lock is free.
//!
//! The handler is set on every connection this process opens, through SQLite's
//! auto-extension hook (`sqlite3_auto_extension`, from `libsqlite3-sys`, the same
//! bundled library diesel links), because diesel does not expose a connection's
//! handle. With `store::backup`, this is where the crate's `unsafe` code lives.

use std::cell::Cell;
use std::ffi::{c_char, c_int, c_void};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use libsqlite3_sys as ffi;

static REGISTERED: OnceLock<bool> = OnceLock::new();

/// SQLite's words (for `SQLITE_BUSY`) when a connection gave up waiting for the
/// write lock.
pub const SQLITE_BUSY_MESSAGE: &str = "database is locked";

thread_local! {
    /// The total wait, in µs, of the connections this thread opens next: SQLite
    /// calls `on_open` on the opening thread, which hands it to the connection's
    /// handler.
    static TIMEOUT_MICROS: Cell<u64> = const { Cell::new(5_000_000) };
    /// When this thread's current wait began (a thread runs one statement at a
    /// time, so one wait at a time).
    static WAIT_STARTED: Cell<Option<Instant>> = const { Cell::new(None) };
}

const FIRST_PAUSE_MICROS: u64 = 20;
const LONGEST_PAUSE_MICROS: u64 = 500;

/// Makes the SQLite connections this thread opens from now on wait with
/// [`wait_turn`], for at most `timeout` in all. False if SQLite refused the hook:
/// the caller then sets SQLite's own busy timeout instead.
pub fn install(timeout: Duration) -> bool {
    TIMEOUT_MICROS.set(u64::try_from(timeout.as_micros()).unwrap_or(u64::MAX));
    *REGISTERED.get_or_init(|| {
        // SAFETY: `on_open` has the signature SQLite calls an auto-extension with
        // (the bindings type it as such), is a plain function that lives as long as
        // the process, and registering it only appends to SQLite's list.
        let code = unsafe { ffi::sqlite3_auto_extension(Some(on_open)) };
        if code != ffi::SQLITE_OK {
            tracing::warn!(code, "SQLite refused the busy handler: its own busy timeout is used");
        }
        code == ffi::SQLITE_OK
    })
}

/// Called by SQLite on each new connection: sets its busy handler.
unsafe extern "C" fn on_open(
    db: *mut ffi::sqlite3,
    _error: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    // The handler's argument carries the timeout itself, not a pointer to it.
    let timeout =
        std::ptr::without_provenance_mut(usize::try_from(TIMEOUT_MICROS.get()).unwrap_or(usize::MAX));
    // SAFETY: SQLite passes the connection being opened, valid for this call;
    // `wait_turn` never dereferences its argument.
    unsafe { ffi::sqlite3_busy_handler(db, Some(wait_turn), timeout) }
}

/// SQLite's busy callback: `timeout` is the connection's total wait in µs, `tries`
/// how many times it was called for this lock. Returns 1 to try again after a
/// short pause, 0 to give up.
unsafe extern "C" fn wait_turn(timeout: *mut c_void, tries: c_int) -> c_int {
    let tries = u64::try_from(tries).unwrap_or(0);
    let now = Instant::now();
    if tries == 0 {
        WAIT_STARTED.set(Some(now));
    }
    let waited = now.saturating_duration_since(WAIT_STARTED.get().unwrap_or(now));
    let pause = Duration::from_micros(pause_micros(tries));
    let timeout = Duration::from_micros(u64::try_from(timeout.addr()).unwrap_or(u64::MAX));
    if waited + pause > timeout {
        return 0;
    }
    std::thread::sleep(pause);
    1
}

/// The pause before try `tries + 1`: 20 µs, doubling, at most 500 µs.
fn pause_micros(tries: u64) -> u64 {
    FIRST_PAUSE_MICROS.saturating_mul(1 << tries.min(10)).min(LONGEST_PAUSE_MICROS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_start_short_and_stay_under_a_millisecond() {
        let pauses: Vec<u64> = (0..8).map(pause_micros).collect();
        assert_eq!(pauses, [20, 40, 80, 160, 320, 500, 500, 500]);
    }
}

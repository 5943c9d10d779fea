//! Keys at work: the process keyring, key canaries, status, rotation, retirement
//! and blind-index recomputation. Data keys are only ever stored wrapped.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use chrono::Utc;
use diesel::Connection;

use crate::audit::{Actor, Event, Outcome};
use crate::crypto::{BlindIndexer, CryptoError, KekId, KekState, Keyring};
use crate::store::keys as store;
use crate::store::{DbConn, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the keyring lacks key-encryption key {kek}, which still wraps {count} data keys")]
    MissingKek { kek: KekId, count: i64 },
    #[error(
        "key-encryption key {kek} still wraps {count} data keys: run `binhan keys rotate` to finish moving them"
    )]
    StillInUse { kek: KekId, count: i64 },
    #[error(
        "key-encryption key {primary} became primary {seconds} s ago: wait {wait} s so that running servers stop wrapping under key {kek}, then retire it"
    )]
    TooSoon { kek: KekId, primary: KekId, seconds: i64, wait: i64 },
    #[error("{0} needs a keyring file; the keyring was given in BINHAN_KEYRING")]
    NeedsFile(&'static str),
    #[error("no keyring at {}: run `binhan init` to create one, or set BINHAN_KEYRING_PATH", .0.display())]
    NoKeyring(PathBuf),
}

impl From<diesel::result::Error> for KeysError {
    fn from(e: diesel::result::Error) -> Self {
        KeysError::Store(StoreError::Query(e))
    }
}

/// Where the keyring comes from.
#[derive(Debug, Clone)]
pub enum KeyringSource {
    File(PathBuf),
    /// TOML text from the environment; never written back.
    Text,
}

/// The keyring of a running process. When its file changes (a rotation by
/// `binhan keys rotate` while the server runs), the next use reloads it, so new
/// data keys are wrapped under the new primary and re-wrapped ones still open.
pub struct Keys {
    current: RwLock<Arc<Keyring>>,
    source: KeyringSource,
    checked: Mutex<FileCheck>,
}

struct FileCheck {
    at: Instant,
    modified: Option<SystemTime>,
}

/// How often a running process looks at the keyring file's modification time.
const RELOAD_CHECK_EVERY: Duration = Duration::from_secs(1);

impl Keys {
    pub fn new(keyring: Keyring, source: KeyringSource) -> Self {
        let modified = match &source {
            KeyringSource::File(path) => modified(path),
            KeyringSource::Text => None,
        };
        Keys {
            current: RwLock::new(Arc::new(keyring)),
            source,
            checked: Mutex::new(FileCheck { at: Instant::now(), modified }),
        }
    }

    /// Loads the keyring named by the configuration: the text in BINHAN_KEYRING,
    /// or the file (which must have mode 0600).
    pub fn load(text: Option<&str>, file: &Path) -> Result<Self, KeysError> {
        match text {
            Some(text) => Ok(Keys::new(Keyring::from_toml_str(text)?, KeyringSource::Text)),
            None if !file.exists() => Err(KeysError::NoKeyring(file.to_path_buf())),
            None => Ok(Keys::new(Keyring::load_file(file)?, KeyringSource::File(file.to_path_buf()))),
        }
    }

    /// The keyring to use now.
    pub fn keyring(&self) -> Arc<Keyring> {
        self.reload_if_changed();
        match self.current.read() {
            Ok(current) => Arc::clone(&current),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    pub fn indexer(&self) -> BlindIndexer {
        self.keyring().blind_indexer()
    }

    pub fn source(&self) -> &KeyringSource {
        &self.source
    }

    fn reload_if_changed(&self) {
        let KeyringSource::File(path) = &self.source else { return };
        let Ok(mut check) = self.checked.lock() else { return };
        if check.at.elapsed() < RELOAD_CHECK_EVERY {
            return;
        }
        check.at = Instant::now();
        let now_modified = modified(path);
        if now_modified == check.modified {
            return;
        }
        match Keyring::load_file(path) {
            Ok(keyring) => {
                check.modified = now_modified;
                let Ok(mut current) = self.current.write() else { return };
                // A rotation adds a key and keeps the others; a file swapped for a
                // different keyring would wrap new data keys that nothing can open.
                if !current.continues_as(&keyring) {
                    tracing::error!(
                        "keyring file changed to a different keyring: ignored, keeping the keys in use"
                    );
                    return;
                }
                *current = Arc::new(keyring);
                tracing::info!("keyring file changed: reloaded");
            }
            // A half-written or unreadable file: keep the keyring we have.
            Err(error) => tracing::warn!(%error, "keyring file changed but could not be loaded"),
        }
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Creates the keyring file for a new deployment, or loads the one already there.
pub fn create_or_load_file(path: &Path) -> Result<(Keyring, bool), KeysError> {
    if path.exists() {
        return Ok((Keyring::load_file(path)?, false));
    }
    let keyring = Keyring::generate()?;
    keyring.write_file(path)?;
    Ok((keyring, true))
}

/// Checks the keyring against the database's canaries, then records a canary for
/// every live key that has none. A wrong keyring is refused before any data is read.
pub fn verify_and_record_canaries(conn: &mut DbConn, keyring: &Keyring) -> Result<(), KeysError> {
    let states = keyring.ids_and_states();
    let state_of = |id: KekId| states.iter().find(|(k, _)| *k == id).map(|(_, s)| *s);
    let canaries = store::canaries(conn)?;
    for (kek, canary) in &canaries {
        match state_of(*kek) {
            Some(KekState::Primary | KekState::DecryptOnly) => keyring.check_canary(*kek, canary)?,
            Some(KekState::Retired) => {}
            None => {
                let count = store::count_under(conn, *kek)?;
                if count > 0 {
                    return Err(KeysError::MissingKek { kek: *kek, count });
                }
            }
        }
    }
    let now = Utc::now().naive_utc();
    for (kek, state) in states {
        if state != KekState::Retired && !canaries.iter().any(|(id, _)| *id == kek) {
            // No canary yet, but data keys under this id: the keyring must open them
            // before its canary is trusted to say so from now on.
            if let Some((owner, wrapped)) = store::one_under(conn, kek)? {
                keyring.unwrap(&wrapped, &owner).map_err(|_| CryptoError::WrongKeyring(kek))?;
            }
            store::put_canary(conn, kek, &keyring.make_canary(kek)?, now)?;
        }
    }
    Ok(())
}

/// One line of `binhan keys status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KekStatus {
    pub kek: KekId,
    pub state: KekState,
    pub data_keys: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeysStatus {
    pub keks: Vec<KekStatus>,
    pub shredded: i64,
    /// Data keys wrapped under a KEK the keyring does not have.
    pub orphaned: Vec<(KekId, i64)>,
}

pub fn status(conn: &mut DbConn, keyring: &Keyring) -> Result<KeysStatus, KeysError> {
    let (live, shredded) = store::count_by_kek(conn)?;
    let count = |id: KekId| live.iter().find(|(k, _)| *k == id).map_or(0, |(_, n)| *n);
    let keks: Vec<_> = keyring
        .ids_and_states()
        .into_iter()
        .map(|(kek, state)| KekStatus { kek, state, data_keys: count(kek) })
        .collect();
    let orphaned = live.into_iter().filter(|(k, _)| !keks.iter().any(|s| s.kek == *k)).collect();
    Ok(KeysStatus { keks, shredded, orphaned })
}

/// Receives the progress of long key work.
pub trait Progress {
    fn start(&self, total: u64, message: &str);
    fn advance(&self, done: u64);
    fn finish(&self);
}

/// No progress shown (tests, library callers).
pub struct Quiet;

impl Progress for Quiet {
    fn start(&self, _: u64, _: &str) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

#[derive(Debug, Clone, Copy)]
pub struct RotateOptions {
    /// Data keys re-wrapped per transaction: short transactions keep a running
    /// server responsive.
    pub batch_size: i64,
    /// Pause between batches, to go easier on a busy server.
    pub pause: Duration,
}

impl Default for RotateOptions {
    fn default() -> Self {
        RotateOptions { batch_size: 500, pause: Duration::ZERO }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotateReport {
    /// The new primary, when this run created it; None when it continued an
    /// interrupted rotation.
    pub new_primary: Option<KekId>,
    pub primary: KekId,
    pub rewrapped: u64,
}

/// Makes a new primary KEK (unless an earlier rotation is unfinished) and re-wraps
/// every data key under it, in short transactions. Killed half-way, running it
/// again continues where it stopped.
pub fn rotate(
    conn: &mut DbConn,
    actor: &Actor,
    keyring_file: &Path,
    options: RotateOptions,
    progress: &dyn Progress,
) -> Result<RotateReport, KeysError> {
    let mut keyring = Keyring::load_file(keyring_file)?;
    verify_and_record_canaries(conn, &keyring)?;
    let mut new_primary = None;
    if store::count_not_under(conn, keyring.primary_id())? == 0 {
        let next = keyring.with_new_primary()?;
        // The canary goes in first: a keyring file naming a KEK the database has no
        // canary for would be unverifiable.
        store::put_canary(
            conn,
            next.primary_id(),
            &next.make_canary(next.primary_id())?,
            Utc::now().naive_utc(),
        )?;
        next.replace_file(keyring_file)?;
        new_primary = Some(next.primary_id());
        keyring = next;
    }
    let primary = keyring.primary_id();
    let total = store::count_not_under(conn, primary)?;
    progress.start(u64::try_from(total).unwrap_or(0), "re-wrapping data keys");
    let mut rewrapped = 0u64;
    loop {
        let done_now = conn.transaction(|conn| -> Result<u64, KeysError> {
            // Write first (design §3): a server committing meanwhile cannot turn
            // this batch's late writes into "database is locked".
            crate::store::audit::hold_head(conn)?;
            let batch = store::batch_not_under(conn, primary, options.batch_size)?;
            let mut done = 0;
            for (owner, wrapped) in &batch {
                let new = keyring.rewrap(wrapped, owner)?;
                if store::replace_wrapped(conn, owner, wrapped, &new)? {
                    done += 1;
                }
            }
            Ok(if batch.is_empty() { u64::MAX } else { done })
        })?;
        if done_now == u64::MAX {
            break;
        }
        rewrapped += done_now;
        progress.advance(rewrapped);
        if !options.pause.is_zero() {
            std::thread::sleep(options.pause);
        }
    }
    progress.finish();
    let reason = format!("primary {primary}, {rewrapped} data keys re-wrapped");
    key_event(conn, actor, "keys.rotate", reason)?;
    Ok(RotateReport { new_primary, primary, rewrapped })
}

/// Retires a KEK for good: its material is removed from the keyring file, so
/// backups holding data keys wrapped under it can no longer be read. Refused
/// while any data key still uses it.
/// How long after a rotation before the old key may be retired: running servers
/// look at the keyring file every second; this leaves them ample time to stop
/// wrapping new data keys under the old primary.
pub const RETIRE_AFTER: Duration = Duration::from_secs(10);

pub fn retire(conn: &mut DbConn, actor: &Actor, keyring_file: &Path, kek: KekId) -> Result<(), KeysError> {
    let keyring = Keyring::load_file(keyring_file)?;
    let count = store::count_under(conn, kek)?;
    if count > 0 {
        return Err(KeysError::StillInUse { kek, count });
    }
    let primary = keyring.primary_id();
    if let Some(since) = store::canary_created_at(conn, primary)? {
        let seconds = (Utc::now().naive_utc() - since).num_seconds();
        let wait = i64::try_from(RETIRE_AFTER.as_secs()).unwrap_or(10);
        if kek != primary && seconds < wait {
            return Err(KeysError::TooSoon { kek, primary, seconds, wait: wait - seconds });
        }
    }
    keyring.retire(kek)?.replace_file(keyring_file)?;
    key_event(conn, actor, "keys.retire", format!("key {kek}"))
}

fn key_event(
    conn: &mut DbConn,
    actor: &Actor,
    action: &'static str,
    reason: String,
) -> Result<(), KeysError> {
    let event = Event::new(actor, action, Outcome::Success, Utc::now().naive_utc()).because(reason);
    crate::store::audit::append(conn, &event)?;
    Ok(())
}

/// Recomputes every survivor's blind indexes with the keyring's index key; with
/// `new_key`, first replaces that key in the keyring file. Idempotent: killed
/// half-way, run it again. Searches miss the rows not yet recomputed meanwhile.
pub fn reindex(
    conn: &mut DbConn,
    actor: &Actor,
    keyring_file: &Path,
    new_key: bool,
    batch_size: i64,
    progress: &dyn Progress,
) -> Result<u64, KeysError> {
    let mut keyring = Keyring::load_file(keyring_file)?;
    verify_and_record_canaries(conn, &keyring)?;
    if new_key {
        let next = keyring.with_new_index_key()?;
        next.replace_file(keyring_file)?;
        keyring = next;
    }
    let keys = Keys::new(keyring, KeyringSource::File(keyring_file.to_path_buf()));
    let indexer = keys.indexer();
    let total = crate::store::cases::count(conn)?;
    progress.start(u64::try_from(total).unwrap_or(0), "recomputing blind indexes");
    let mut after = String::new();
    let mut done = 0u64;
    loop {
        let rows = crate::store::cases::survivors_after(conn, &after, batch_size)?;
        let Some(last) = rows.last() else { break };
        after = last.case_id.clone();
        conn.transaction(|conn| -> Result<(), KeysError> {
            crate::store::audit::hold_head(conn)?;
            for row in &rows {
                let indexes = survivor_indexes_of_row(conn, &keys, &indexer, row)?;
                let [name, phone, id_number, name_year] = indexes.as_ref().map_or([None; 4], |i| {
                    [i[0].as_deref(), i[1].as_deref(), i[2].as_deref(), i[3].as_deref()]
                });
                crate::store::cases::set_indexes(conn, &row.case_id, name, phone, id_number)?;
                crate::store::case_work::set_name_year_index(conn, &row.case_id, name_year)?;
            }
            Ok(())
        })?;
        done += rows.len() as u64;
        progress.advance(done);
    }
    progress.finish();
    key_event(conn, actor, "keys.reindex", format!("{done} survivors, new key: {new_key}"))?;
    Ok(done)
}

/// The indexes a stored survivor should have; None once erased.
fn survivor_indexes_of_row(
    conn: &mut DbConn,
    keys: &Keys,
    indexer: &BlindIndexer,
    row: &crate::store::cases::SurvivorRow,
) -> Result<Option<[Option<Vec<u8>>; 4]>, KeysError> {
    use super::sealing::{OwnerKey, Revealed};
    use crate::crypto::{FieldRef, KeyOwner, OwnerKind};
    let Ok(case_id) = row.case_id.parse() else { return Ok(None) };
    let Revealed::Value(key) = OwnerKey::open(conn, keys, KeyOwner::new(OwnerKind::Case, case_id))? else {
        return Ok(None);
    };
    let open = |column, blob: &Option<crate::crypto::SealedBlob>| {
        blob.as_ref().map(|b| key.open_text(FieldRef::new("survivors", column, case_id), b)).transpose()
    };
    let name = key.open_text(FieldRef::new("survivors", "full_name", case_id), &row.full_name)?;
    let phone = open("phone", &row.phone)?;
    let id_number = open("id_number", &row.id_number)?;
    let birth_date = open("birth_date", &row.birth_date)?;
    let [name_index, phone_index, id_number_index] = super::cases::survivor_indexes(
        indexer,
        &name,
        phone.as_deref().map(String::as_str),
        id_number.as_deref().map(String::as_str),
    );
    let name_year = birth_date.and_then(|birth| super::cases::name_year_index(keys, &name, &birth));
    Ok(Some([name_index, phone_index, id_number_index, name_year]))
}

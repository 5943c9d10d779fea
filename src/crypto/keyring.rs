//! The keyring: key-encryption keys (KEKs) with their states, and the blind-index root key.
//!
//! It lives outside the database (file or environment) so that a stolen
//! database or backup holds only ciphertext and wrapped keys.
//!
//! A retired KEK keeps its id and state but loses its key material: that is
//! what makes old wrapped data keys in backups unreadable, and keeping the id
//! stops it from ever being reused.

use std::collections::BTreeMap;
use std::fmt;

use super::CryptoError;
use super::cipher::AeadKey;
use super::secret_key::Key256;

/// Identifier of a key-encryption key, stored beside every wrapped data key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KekId(pub u32);

impl fmt::Display for KekId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What a key-encryption key may still be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KekState {
    /// Wraps new data keys and unwraps. Exactly one per keyring.
    Primary,
    /// Unwraps only: kept until every data key has been re-wrapped under the primary.
    DecryptOnly,
    /// Gone: its key material has been destroyed.
    Retired,
}

impl KekState {
    /// The spelling used in the keyring file.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            KekState::Primary => "primary",
            KekState::DecryptOnly => "decrypt_only",
            KekState::Retired => "retired",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "primary" => Some(KekState::Primary),
            "decrypt_only" => Some(KekState::DecryptOnly),
            "retired" => Some(KekState::Retired),
            _ => None,
        }
    }
}

impl fmt::Display for KekState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One KEK. The key is present exactly when the state is not `Retired`
/// (enforced by `Keyring::assemble`).
#[derive(Clone)]
pub(crate) struct Kek {
    pub(crate) state: KekState,
    pub(crate) key: Option<AeadKey>,
}

/// Key-encryption keys and the blind-index root key. Cheap to share behind an `Arc`.
#[derive(Clone)]
pub struct Keyring {
    keks: BTreeMap<KekId, Kek>,
    primary: KekId,
    index_key: Key256,
}

impl Keyring {
    /// The only way to build a keyring: checks the invariants every other method relies on.
    pub(crate) fn assemble(keks: BTreeMap<KekId, Kek>, index_key: Key256) -> Result<Self, CryptoError> {
        let mut primaries = keks.iter().filter(|(_, kek)| kek.state == KekState::Primary).map(|(id, _)| *id);
        let primary = match (primaries.next(), primaries.next()) {
            (Some(id), None) => id,
            (None, _) => {
                return Err(CryptoError::KeyringFormat("no primary key-encryption key".into()));
            }
            (Some(_), Some(_)) => {
                return Err(CryptoError::KeyringFormat("more than one primary key-encryption key".into()));
            }
        };
        for (id, kek) in &keks {
            match (kek.state, kek.key.is_some()) {
                (KekState::Retired, true) => {
                    return Err(CryptoError::KeyringFormat(format!(
                        "kek {id} is retired but still has key material; remove its key"
                    )));
                }
                (KekState::Primary | KekState::DecryptOnly, false) => {
                    return Err(CryptoError::KeyringFormat(format!("kek {id} has no key")));
                }
                _ => {}
            }
        }
        Ok(Self { keks, primary, index_key })
    }

    /// A new keyring: a random primary KEK with id 1 and a random blind-index key.
    ///
    /// # Errors
    /// [`CryptoError::Rng`] if the operating system cannot provide randomness.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut keks = BTreeMap::new();
        keks.insert(KekId(1), Kek { state: KekState::Primary, key: Some(AeadKey::random()?) });
        Self::assemble(keks, Key256::random()?)
    }

    /// A copy where the current primary becomes decrypt-only and a fresh random
    /// KEK, with an id above every id ever used, becomes primary.
    ///
    /// # Errors
    /// [`CryptoError::Rng`], or [`CryptoError::KekIdExhausted`] after id `u32::MAX`.
    pub fn with_new_primary(&self) -> Result<Self, CryptoError> {
        let max = self.keks.keys().next_back().map_or(0, |id| id.0);
        let new_id = KekId(max.checked_add(1).ok_or(CryptoError::KekIdExhausted)?);
        let mut keks = self.keks.clone();
        for kek in keks.values_mut() {
            if kek.state == KekState::Primary {
                kek.state = KekState::DecryptOnly;
            }
        }
        keks.insert(new_id, Kek { state: KekState::Primary, key: Some(AeadKey::random()?) });
        Self::assemble(keks, self.index_key.clone())
    }

    /// A copy where `id` is retired and its key material destroyed. Retiring an
    /// already retired KEK changes nothing.
    ///
    /// Only call this once no stored data key is wrapped under `id`: those data
    /// keys become unreadable forever.
    ///
    /// # Errors
    /// [`CryptoError::UnknownKek`], or [`CryptoError::PrimaryKek`] for the primary.
    pub fn retire(&self, id: KekId) -> Result<Self, CryptoError> {
        let kek = self.keks.get(&id).ok_or(CryptoError::UnknownKek(id))?;
        if kek.state == KekState::Primary {
            return Err(CryptoError::PrimaryKek(id));
        }
        let mut keks = self.keks.clone();
        keks.insert(id, Kek { state: KekState::Retired, key: None });
        Self::assemble(keks, self.index_key.clone())
    }

    /// A copy with a new random blind-index root key, for `binhan keys reindex
    /// --new-key`: every stored blind index must then be recomputed.
    ///
    /// # Errors
    /// [`CryptoError::Rng`].
    pub fn with_new_index_key(&self) -> Result<Self, CryptoError> {
        Self::assemble(self.keks.clone(), Key256::random()?)
    }

    /// Whether `other` can stand in for this keyring: every key-encryption key both
    /// still hold has the same material (compared in constant time). A keyring file
    /// swapped for another one fails this; a rotation (a new key added, old ones
    /// kept or retired) passes.
    #[must_use]
    pub fn continues_as(&self, other: &Keyring) -> bool {
        let mut same = 0u8;
        for (id, kek) in &self.keks {
            if let (Some(mine), Some(Some(theirs))) = (&kek.key, other.keks.get(id).map(|k| &k.key)) {
                let (a, b) = (mine.key().expose(), theirs.key().expose());
                same |= a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y));
            }
        }
        same == 0
    }

    /// The KEK that wraps new data keys.
    #[must_use]
    pub fn primary_id(&self) -> KekId {
        self.primary
    }

    /// Every KEK id with its state, in id order.
    #[must_use]
    pub fn ids_and_states(&self) -> Vec<(KekId, KekState)> {
        self.keks.iter().map(|(id, kek)| (*id, kek.state)).collect()
    }

    /// The key of a KEK that may decrypt (primary or decrypt-only).
    pub(crate) fn usable_kek(&self, id: KekId) -> Result<&AeadKey, CryptoError> {
        let kek = self.keks.get(&id).ok_or(CryptoError::UnknownKek(id))?;
        kek.key.as_ref().ok_or(CryptoError::RetiredKek(id))
    }

    pub(crate) fn primary_kek(&self) -> Result<&AeadKey, CryptoError> {
        self.usable_kek(self.primary)
    }

    pub(crate) fn keks(&self) -> &BTreeMap<KekId, Kek> {
        &self.keks
    }

    pub(crate) fn index_key(&self) -> &Key256 {
        &self.index_key
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("keks", &self.ids_and_states())
            .field("primary", &self.primary)
            .field("blind_index_key", &"[REDACTED]")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keyring_has_one_primary_with_id_1() {
        let keyring = Keyring::generate().unwrap();
        assert_eq!(keyring.primary_id(), KekId(1));
        assert_eq!(keyring.ids_and_states(), vec![(KekId(1), KekState::Primary)]);
    }

    #[test]
    fn new_primary_takes_next_id_and_demotes_the_old_one() {
        let keyring = Keyring::generate().unwrap().with_new_primary().unwrap();
        assert_eq!(keyring.primary_id(), KekId(2));
        assert_eq!(
            keyring.ids_and_states(),
            vec![(KekId(1), KekState::DecryptOnly), (KekId(2), KekState::Primary)]
        );
    }

    #[test]
    fn retired_ids_are_never_reused() {
        let keyring = Keyring::generate()
            .unwrap()
            .with_new_primary()
            .unwrap()
            .retire(KekId(1))
            .unwrap()
            .with_new_primary()
            .unwrap()
            .retire(KekId(2))
            .unwrap()
            .with_new_primary()
            .unwrap();
        assert_eq!(keyring.primary_id(), KekId(4));
    }

    #[test]
    fn retiring_destroys_key_material() {
        let keyring = Keyring::generate().unwrap().with_new_primary().unwrap().retire(KekId(1)).unwrap();
        assert_eq!(keyring.usable_kek(KekId(1)).err(), Some(CryptoError::RetiredKek(KekId(1))));
        assert!(keyring.keks()[&KekId(1)].key.is_none());
    }

    #[test]
    fn primary_cannot_be_retired() {
        let keyring = Keyring::generate().unwrap();
        assert_eq!(keyring.retire(KekId(1)).err(), Some(CryptoError::PrimaryKek(KekId(1))));
    }

    #[test]
    fn retiring_an_unknown_kek_is_an_error() {
        let keyring = Keyring::generate().unwrap();
        assert_eq!(keyring.retire(KekId(9)).err(), Some(CryptoError::UnknownKek(KekId(9))));
    }

    #[test]
    fn a_rotated_keyring_continues_the_old_one_and_another_does_not() {
        let old = Keyring::generate().unwrap();
        let rotated = old.with_new_primary().unwrap();
        assert!(old.continues_as(&rotated));
        assert!(
            old.continues_as(&rotated.retire(old.primary_id()).unwrap()),
            "retired keys have no material to compare"
        );
        assert!(!old.continues_as(&Keyring::generate().unwrap()), "a different key 1");
    }

    #[test]
    fn keyring_debug_shows_no_key_material() {
        let keyring = Keyring::generate().unwrap().with_new_primary().unwrap();
        let shown = format!("{keyring:?}");
        for kek in keyring.keks().values() {
            let hex = kek.key.as_ref().unwrap().key().to_hex();
            assert!(!shown.contains(hex.as_str()));
        }
        assert!(!shown.contains(keyring.index_key().to_hex().as_str()));
        assert!(shown.contains("REDACTED"));
    }
}

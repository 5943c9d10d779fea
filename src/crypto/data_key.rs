//! Data keys (DEKs): one random AES-256 key per owner record, stored only
//! wrapped (encrypted) under a key-encryption key.
//!
//! Deleting an owner's wrapped key makes all its sealed fields unreadable for
//! good (crypto-shredding); rotating KEKs re-wraps these few bytes per record
//! instead of re-encrypting every field.
//!
//! Wrapped form: `version (1) | nonce (12) | encrypted key (32) | tag (16)`, with
//! associated data binding the format version, the owner (kind and id) and the
//! KEK id, so a wrapped key copied to another record does not unwrap.

use std::fmt;

use uuid::Uuid;

use super::CryptoError;
use super::cipher::{AeadKey, NONCE_LEN, TAG_LEN};
use super::keyring::{KekId, Keyring};
use super::secret_key::{KEY_LEN, Key256};

/// Version byte of the wrapped-key format.
const WRAP_VERSION: u8 = 1;

/// Separates wrapped-key associated data from the other uses of KEKs (canaries).
const WRAP_PURPOSE: u8 = 2;

/// Length of a wrapped data key in the current format.
pub const WRAPPED_KEY_LEN: usize = 1 + NONCE_LEN + KEY_LEN + TAG_LEN;

/// A random AES-256 data key. Wiped from memory on drop; never printed.
#[derive(Clone)]
pub struct DataKey(pub(crate) AeadKey);

impl DataKey {
    /// A fresh random data key, for a new owner record.
    ///
    /// # Errors
    /// [`CryptoError::Rng`] if the operating system cannot provide randomness.
    pub fn generate() -> Result<Self, CryptoError> {
        AeadKey::random().map(Self)
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey([REDACTED])")
    }
}

/// The kinds of record that own a data key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OwnerKind {
    /// A case: the survivor's identity, story and everything recorded about her.
    Case,
    /// A user account (TOTP secret).
    User,
    /// A safe house (street address).
    SafeHouse,
}

impl OwnerKind {
    /// Stable tag in the associated data; never renumber.
    fn tag(self) -> u8 {
        match self {
            OwnerKind::Case => 1,
            OwnerKind::User => 2,
            OwnerKind::SafeHouse => 3,
        }
    }
}

/// The record a data key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyOwner {
    /// What kind of record.
    pub kind: OwnerKind,
    /// The record's id.
    pub id: Uuid,
}

impl KeyOwner {
    /// The owner `kind` with id `id`.
    #[must_use]
    pub fn new(kind: OwnerKind, id: Uuid) -> Self {
        Self { kind, id }
    }
}

/// A data key encrypted under the KEK `kek_id`, as stored in `case_keys` and the like.
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedDataKey {
    /// The KEK that wrapped it.
    pub kek_id: KekId,
    /// `version | nonce | encrypted key | tag`.
    pub bytes: Vec<u8>,
}

impl fmt::Debug for WrappedDataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WrappedDataKey")
            .field("kek_id", &self.kek_id)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// Fixed-width fields only, so no two (owner, KEK) pairs encode alike.
fn wrap_aad(owner: &KeyOwner, kek_id: KekId) -> [u8; 23] {
    let mut aad = [0u8; 23];
    aad[0] = WRAP_VERSION;
    aad[1] = WRAP_PURPOSE;
    aad[2] = owner.kind.tag();
    aad[3..19].copy_from_slice(owner.id.as_bytes());
    aad[19..23].copy_from_slice(&kek_id.0.to_be_bytes());
    aad
}

impl Keyring {
    /// Wraps `key` for `owner` under the primary KEK.
    ///
    /// # Errors
    /// [`CryptoError::Rng`] if no nonce can be drawn.
    pub fn wrap(&self, key: &DataKey, owner: &KeyOwner) -> Result<WrappedDataKey, CryptoError> {
        let kek_id = self.primary_id();
        let kek = self.primary_kek()?;
        let mut bytes = Vec::with_capacity(WRAPPED_KEY_LEN);
        bytes.push(WRAP_VERSION);
        kek.seal_append(&wrap_aad(owner, kek_id), key.0.key().expose(), &mut bytes)?;
        Ok(WrappedDataKey { kek_id, bytes })
    }

    /// Unwraps the data key of `owner`, under a primary or decrypt-only KEK.
    ///
    /// # Errors
    /// [`CryptoError::UnknownKek`], [`CryptoError::RetiredKek`],
    /// [`CryptoError::Tampered`] (another owner's key, or modified bytes),
    /// [`CryptoError::MalformedBlob`], [`CryptoError::UnsupportedVersion`].
    pub fn unwrap(&self, wrapped: &WrappedDataKey, owner: &KeyOwner) -> Result<DataKey, CryptoError> {
        let kek = self.usable_kek(wrapped.kek_id)?;
        let (&version, sealed) = wrapped.bytes.split_first().ok_or(CryptoError::MalformedBlob)?;
        if version != WRAP_VERSION {
            return Err(CryptoError::UnsupportedVersion(version));
        }
        let plain = kek.open(&wrap_aad(owner, wrapped.kek_id), sealed)?;
        // Authentic but not 32 bytes: written by something other than `wrap`.
        let key = Key256::from_slice(&plain).ok_or(CryptoError::MalformedBlob)?;
        Ok(DataKey(AeadKey::new(key)))
    }

    /// Re-wraps a data key under the current primary KEK (key rotation). The data
    /// key itself, and so every field sealed with it, is unchanged.
    ///
    /// # Errors
    /// As [`Keyring::unwrap`] and [`Keyring::wrap`].
    pub fn rewrap(&self, wrapped: &WrappedDataKey, owner: &KeyOwner) -> Result<WrappedDataKey, CryptoError> {
        self.wrap(&self.unwrap(wrapped, owner)?, owner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case_owner() -> KeyOwner {
        KeyOwner::new(OwnerKind::Case, Uuid::now_v7())
    }

    #[test]
    fn wrap_then_unwrap_gives_the_same_key() {
        let keyring = Keyring::generate().unwrap();
        let owner = case_owner();
        let key = DataKey::generate().unwrap();
        let wrapped = keyring.wrap(&key, &owner).unwrap();
        assert_eq!(wrapped.kek_id, KekId(1));
        assert_eq!(wrapped.bytes.len(), WRAPPED_KEY_LEN);
        let back = keyring.unwrap(&wrapped, &owner).unwrap();
        assert_eq!(back.0.key().expose(), key.0.key().expose());
    }

    #[test]
    fn wrapped_key_moved_to_another_owner_fails_to_unwrap() {
        let keyring = Keyring::generate().unwrap();
        let owner = case_owner();
        let wrapped = keyring.wrap(&DataKey::generate().unwrap(), &owner).unwrap();
        let other_case = case_owner();
        let same_id_other_kind = KeyOwner::new(OwnerKind::SafeHouse, owner.id);
        for other in [other_case, same_id_other_kind] {
            assert_eq!(keyring.unwrap(&wrapped, &other).err(), Some(CryptoError::Tampered));
        }
    }

    #[test]
    fn wrapped_key_relabelled_with_another_kek_id_fails() {
        let keyring = Keyring::generate().unwrap().with_new_primary().unwrap();
        let owner = case_owner();
        let mut wrapped = keyring.wrap(&DataKey::generate().unwrap(), &owner).unwrap();
        wrapped.kek_id = KekId(1);
        assert_eq!(keyring.unwrap(&wrapped, &owner).err(), Some(CryptoError::Tampered));
    }

    #[test]
    fn flipping_any_byte_of_a_wrapped_key_fails_with_a_typed_error() {
        let keyring = Keyring::generate().unwrap();
        let owner = case_owner();
        let wrapped = keyring.wrap(&DataKey::generate().unwrap(), &owner).unwrap();
        for position in 0..wrapped.bytes.len() {
            let mut bad = wrapped.clone();
            bad.bytes[position] ^= 0x01;
            let err = keyring.unwrap(&bad, &owner).unwrap_err();
            assert!(
                matches!(err, CryptoError::Tampered | CryptoError::UnsupportedVersion(_)),
                "byte {position}: {err:?}"
            );
        }
    }

    #[test]
    fn truncated_wrapped_keys_are_malformed_not_a_panic() {
        let keyring = Keyring::generate().unwrap();
        let owner = case_owner();
        let wrapped = keyring.wrap(&DataKey::generate().unwrap(), &owner).unwrap();
        for len in 0..wrapped.bytes.len() {
            let cut = WrappedDataKey { kek_id: wrapped.kek_id, bytes: wrapped.bytes[..len].to_vec() };
            assert!(keyring.unwrap(&cut, &owner).is_err());
        }
    }

    #[test]
    fn after_new_primary_old_wrapped_keys_still_unwrap_and_rewrap_moves_them() {
        let old = Keyring::generate().unwrap();
        let owner = case_owner();
        let key = DataKey::generate().unwrap();
        let wrapped = old.wrap(&key, &owner).unwrap();

        let rotated = old.with_new_primary().unwrap();
        let back = rotated.unwrap(&wrapped, &owner).unwrap();
        assert_eq!(back.0.key().expose(), key.0.key().expose());

        let rewrapped = rotated.rewrap(&wrapped, &owner).unwrap();
        assert_eq!(rewrapped.kek_id, KekId(2));
        let back = rotated.unwrap(&rewrapped, &owner).unwrap();
        assert_eq!(back.0.key().expose(), key.0.key().expose());
    }

    #[test]
    fn retired_kek_refuses_to_unwrap() {
        let old = Keyring::generate().unwrap();
        let owner = case_owner();
        let wrapped = old.wrap(&DataKey::generate().unwrap(), &owner).unwrap();
        let retired = old.with_new_primary().unwrap().retire(KekId(1)).unwrap();
        assert_eq!(retired.unwrap(&wrapped, &owner).err(), Some(CryptoError::RetiredKek(KekId(1))));
    }

    #[test]
    fn unknown_kek_refuses_to_unwrap() {
        let keyring = Keyring::generate().unwrap();
        let owner = case_owner();
        let mut wrapped = keyring.wrap(&DataKey::generate().unwrap(), &owner).unwrap();
        wrapped.kek_id = KekId(42);
        assert_eq!(keyring.unwrap(&wrapped, &owner).err(), Some(CryptoError::UnknownKek(KekId(42))));
    }

    #[test]
    fn another_keyring_cannot_unwrap() {
        let owner = case_owner();
        let wrapped = Keyring::generate().unwrap().wrap(&DataKey::generate().unwrap(), &owner).unwrap();
        assert_eq!(Keyring::generate().unwrap().unwrap(&wrapped, &owner).err(), Some(CryptoError::Tampered));
    }

    #[test]
    fn data_key_debug_does_not_show_the_key() {
        let key = DataKey::generate().unwrap();
        let shown = format!("{key:?}");
        assert!(!shown.contains(key.0.key().to_hex().as_str()));
        assert!(!shown.contains(&format!("{:?}", key.0.key().expose())));
        assert_eq!(shown, "DataKey([REDACTED])");
    }
}

//! The stored form of an encrypted field:
//! `version (1) = 1 | key id (4, big-endian) | nonce (12) | ciphertext | tag (16)`.
//!
//! `SealedBlob` is the only type the store accepts for a personal-data column.
//! Outside this module it can be made only by sealing, or from bytes read back
//! from the database, so plaintext cannot be written to such a column by mistake:
//! it does not type-check.

use std::fmt;

use super::CryptoError;
use super::cipher::{NONCE_LEN, TAG_LEN};

/// Current version of the field format.
pub(crate) const BLOB_VERSION: u8 = 1;

/// `version | key id`: what precedes the AES-GCM frame.
pub(crate) const HEADER_LEN: usize = 1 + 4;

/// Length of a blob sealing an empty value.
pub const MIN_BLOB_LEN: usize = HEADER_LEN + NONCE_LEN + TAG_LEN;

/// An encrypted field value. Says nothing about the plaintext but its length.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedBlob(Vec<u8>);

/// A blob split into its parts, after checking version and length.
pub(crate) struct BlobParts<'a> {
    pub(crate) key_id: u32,
    /// `nonce | ciphertext | tag`.
    pub(crate) sealed: &'a [u8],
}

impl SealedBlob {
    /// Only sealing builds one from scratch (see `field.rs`).
    pub(crate) fn from_sealed_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// Wraps bytes read back from the database. They are checked when opened:
    /// this gives no way to read them without the data key.
    #[must_use]
    pub fn from_stored(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The bytes to store.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes to store, by value.
    #[must_use]
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// The data key id recorded in the blob, to pick the key that opens it.
    ///
    /// # Errors
    /// [`CryptoError::MalformedBlob`] or [`CryptoError::UnsupportedVersion`].
    pub fn key_id(&self) -> Result<u32, CryptoError> {
        self.parts().map(|parts| parts.key_id)
    }

    /// Never panics, whatever the bytes.
    pub(crate) fn parts(&self) -> Result<BlobParts<'_>, CryptoError> {
        let (&version, rest) = self.0.split_first().ok_or(CryptoError::MalformedBlob)?;
        if version != BLOB_VERSION {
            return Err(CryptoError::UnsupportedVersion(version));
        }
        let (key_id, sealed) = rest.split_first_chunk::<4>().ok_or(CryptoError::MalformedBlob)?;
        if sealed.len() < NONCE_LEN + TAG_LEN {
            return Err(CryptoError::MalformedBlob);
        }
        Ok(BlobParts { key_id: u32::from_be_bytes(*key_id), sealed })
    }
}

impl fmt::Debug for SealedBlob {
    /// Length only: ciphertext in logs is noise, and a lead for an attacker.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealedBlob").field("len", &self.0.len()).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn empty_blob_is_malformed() {
        assert_eq!(SealedBlob::from_stored(vec![]).key_id(), Err(CryptoError::MalformedBlob));
    }

    #[test]
    fn wrong_version_is_reported_as_such() {
        let mut bytes = vec![0u8; MIN_BLOB_LEN];
        bytes[0] = 2;
        assert_eq!(SealedBlob::from_stored(bytes).key_id(), Err(CryptoError::UnsupportedVersion(2)));
    }

    #[test]
    fn every_truncation_of_a_minimal_blob_is_malformed() {
        let mut bytes = vec![0u8; MIN_BLOB_LEN];
        bytes[0] = BLOB_VERSION;
        bytes[1..5].copy_from_slice(&7u32.to_be_bytes());
        assert_eq!(SealedBlob::from_stored(bytes.clone()).key_id(), Ok(7));
        for len in 1..MIN_BLOB_LEN {
            assert_eq!(
                SealedBlob::from_stored(bytes[..len].to_vec()).key_id(),
                Err(CryptoError::MalformedBlob),
                "length {len}"
            );
        }
    }

    #[test]
    fn debug_shows_only_the_length() {
        let blob = SealedBlob::from_stored(b"\x01\0\0\0\x01secret-looking".to_vec());
        assert_eq!(format!("{blob:?}"), "SealedBlob { len: 19, .. }");
    }

    proptest! {
        #[test]
        fn parsing_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = SealedBlob::from_stored(bytes).key_id();
        }
    }
}

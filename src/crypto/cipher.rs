//! AES-256-GCM with a fresh random nonce per message: the one primitive under
//! field blobs, wrapped data keys and key canaries.
//!
//! Random 96-bit nonces are safe while a key seals far fewer than 2^32 messages
//! (NIST SP 800-38D). Data keys are per case and key-encryption keys wrap one
//! data key per record, so both stay many orders of magnitude below that.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce, Tag};
use zeroize::{Zeroize, Zeroizing};

use super::CryptoError;
use super::secret_key::Key256;

pub(crate) const NONCE_LEN: usize = 12;
pub(crate) const TAG_LEN: usize = 16;

/// A secret key together with its expanded AES key schedule, kept so that each
/// message does not pay for key expansion again. Both are wiped on drop
/// (aes-gcm's `zeroize` feature).
#[derive(Clone)]
pub(crate) struct AeadKey {
    key: Key256,
    cipher: Box<Aes256Gcm>,
}

impl AeadKey {
    pub(crate) fn new(key: Key256) -> Self {
        let cipher = Box::new(Aes256Gcm::new(key.expose().into()));
        Self { key, cipher }
    }

    pub(crate) fn random() -> Result<Self, CryptoError> {
        Key256::random().map(Self::new)
    }

    pub(crate) fn key(&self) -> &Key256 {
        &self.key
    }

    /// Appends `nonce | ciphertext | tag` to `out`.
    ///
    /// The plaintext is copied into `out` and encrypted in place; the capacity is
    /// reserved first so that no reallocation leaves a plaintext copy in freed memory.
    pub(crate) fn seal_append(
        &self,
        aad: &[u8],
        plaintext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), CryptoError> {
        let nonce = super::nonce::random_nonce()?;
        out.reserve(NONCE_LEN + plaintext.len() + TAG_LEN);
        let frame_start = out.len();
        out.extend_from_slice(&nonce);
        let body_start = out.len();
        out.extend_from_slice(plaintext);
        match self.cipher.encrypt_inout_detached((&nonce).into(), aad, (&mut out[body_start..]).into()) {
            Ok(tag) => {
                out.extend_from_slice(&tag);
                Ok(())
            }
            Err(_) => {
                // Only reachable past GCM's 64 GiB plaintext limit; leave nothing behind.
                out[body_start..].zeroize();
                out.truncate(frame_start);
                Err(CryptoError::TooLong)
            }
        }
    }

    /// Opens `nonce | ciphertext | tag` into a buffer that is wiped when dropped.
    pub(crate) fn open(&self, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let (nonce, rest) = sealed.split_first_chunk::<NONCE_LEN>().ok_or(CryptoError::MalformedBlob)?;
        let (ciphertext, tag) = rest.split_last_chunk::<TAG_LEN>().ok_or(CryptoError::MalformedBlob)?;
        let nonce: &Nonce<_> = nonce.into();
        let tag: &Tag = tag.into();
        let mut plaintext = Zeroizing::new(ciphertext.to_vec());
        self.cipher
            .decrypt_inout_detached(nonce, aad, plaintext.as_mut_slice().into(), tag)
            .map_err(|_| CryptoError::Tampered)?;
        Ok(plaintext)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_frame_is_nonce_ciphertext_tag() {
        let key = AeadKey::random().unwrap();
        let mut out = vec![0xAA];
        key.seal_append(b"aad", b"hello", &mut out).unwrap();
        assert_eq!(out.len(), 1 + NONCE_LEN + 5 + TAG_LEN);
        assert_eq!(out[0], 0xAA);
        assert_eq!(&*key.open(b"aad", &out[1..]).unwrap(), b"hello");
    }

    #[test]
    fn other_associated_data_is_tampered() {
        let key = AeadKey::random().unwrap();
        let mut out = Vec::new();
        key.seal_append(b"here", b"x", &mut out).unwrap();
        assert_eq!(key.open(b"there", &out), Err(CryptoError::Tampered));
    }

    #[test]
    fn short_input_is_malformed_not_a_panic() {
        let key = AeadKey::random().unwrap();
        for len in 0..NONCE_LEN + TAG_LEN {
            assert_eq!(key.open(b"", &vec![0; len]), Err(CryptoError::MalformedBlob));
        }
    }
}

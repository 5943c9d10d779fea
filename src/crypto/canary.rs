//! Key canaries: a fixed text sealed under each KEK when it is created and
//! stored in the database, so that start-up can tell a wrong keyring (which
//! would read nothing and wrap new keys nobody can open) from a right one,
//! before touching any record.
//!
//! Form: `version (1) | nonce (12) | encrypted text | tag (16)`.

use super::CryptoError;
use super::keyring::{KekId, Keyring};

const CANARY_VERSION: u8 = 1;

/// Separates canary associated data from wrapped data keys under the same KEK.
const CANARY_PURPOSE: u8 = 3;

const CANARY_TEXT: &[u8] = b"binhan key canary v1";

fn canary_aad(kek_id: KekId) -> [u8; 6] {
    let mut aad = [0u8; 6];
    aad[0] = CANARY_VERSION;
    aad[1] = CANARY_PURPOSE;
    aad[2..6].copy_from_slice(&kek_id.0.to_be_bytes());
    aad
}

impl Keyring {
    /// Seals the canary text under KEK `kek_id`, to be stored beside the data.
    ///
    /// # Errors
    /// [`CryptoError::UnknownKek`], [`CryptoError::RetiredKek`], [`CryptoError::Rng`].
    pub fn make_canary(&self, kek_id: KekId) -> Result<Vec<u8>, CryptoError> {
        let kek = self.usable_kek(kek_id)?;
        let mut canary = vec![CANARY_VERSION];
        kek.seal_append(&canary_aad(kek_id), CANARY_TEXT, &mut canary)?;
        Ok(canary)
    }

    /// Checks a stored canary against KEK `kek_id` of this keyring.
    ///
    /// # Errors
    /// [`CryptoError::WrongKeyring`] if the key is not the one that sealed it;
    /// [`CryptoError::UnknownKek`] or [`CryptoError::RetiredKek`] if this keyring
    /// has no usable key with that id; [`CryptoError::MalformedBlob`] or
    /// [`CryptoError::UnsupportedVersion`] if the stored bytes are not a canary.
    pub fn check_canary(&self, kek_id: KekId, canary: &[u8]) -> Result<(), CryptoError> {
        let kek = self.usable_kek(kek_id)?;
        let (&version, sealed) = canary.split_first().ok_or(CryptoError::MalformedBlob)?;
        if version != CANARY_VERSION {
            return Err(CryptoError::UnsupportedVersion(version));
        }
        match kek.open(&canary_aad(kek_id), sealed) {
            Ok(text) if text.as_slice() == CANARY_TEXT => Ok(()),
            Ok(_) | Err(CryptoError::Tampered) => Err(CryptoError::WrongKeyring(kek_id)),
            Err(other) => Err(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canary_checks_with_the_keyring_that_made_it() {
        let keyring = Keyring::generate().unwrap();
        let canary = keyring.make_canary(KekId(1)).unwrap();
        assert_eq!(keyring.check_canary(KekId(1), &canary), Ok(()));
    }

    #[test]
    fn wrong_keyring_fails_the_canary_check() {
        let right = Keyring::generate().unwrap();
        let wrong = Keyring::generate().unwrap();
        let canary = right.make_canary(KekId(1)).unwrap();
        assert_eq!(wrong.check_canary(KekId(1), &canary), Err(CryptoError::WrongKeyring(KekId(1))));
    }

    #[test]
    fn canary_of_one_kek_does_not_pass_for_another() {
        let keyring = Keyring::generate().unwrap().with_new_primary().unwrap();
        let canary = keyring.make_canary(KekId(1)).unwrap();
        assert_eq!(keyring.check_canary(KekId(2), &canary), Err(CryptoError::WrongKeyring(KekId(2))));
    }

    #[test]
    fn canary_still_checks_after_the_kek_becomes_decrypt_only() {
        let keyring = Keyring::generate().unwrap();
        let canary = keyring.make_canary(KekId(1)).unwrap();
        let rotated = keyring.with_new_primary().unwrap();
        assert_eq!(rotated.check_canary(KekId(1), &canary), Ok(()));
    }

    #[test]
    fn garbage_canaries_are_errors_not_panics() {
        let keyring = Keyring::generate().unwrap();
        assert_eq!(keyring.check_canary(KekId(1), &[]), Err(CryptoError::MalformedBlob));
        assert_eq!(keyring.check_canary(KekId(1), &[9, 0, 0]), Err(CryptoError::UnsupportedVersion(9)));
        assert_eq!(keyring.check_canary(KekId(1), &[CANARY_VERSION, 0, 0]), Err(CryptoError::MalformedBlob));
        assert_eq!(keyring.check_canary(KekId(5), &[CANARY_VERSION]), Err(CryptoError::UnknownKek(KekId(5))));
    }
}

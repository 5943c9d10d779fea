//! 256-bit secret key material: wiped when dropped, never printed.

use std::fmt;

use secrecy::{ExposeSecret, SecretBox};
use zeroize::Zeroizing;

use super::CryptoError;

/// Length of every secret key in this module (AES-256, HMAC-SHA256 root).
pub(crate) const KEY_LEN: usize = 32;

/// 32 secret bytes. Boxed so that moving the owner never leaves stray copies on the stack.
pub(crate) struct Key256(SecretBox<[u8; KEY_LEN]>);

impl Key256 {
    /// Fresh key from the operating system's RNG.
    pub(crate) fn random() -> Result<Self, CryptoError> {
        let mut failed = false;
        let key = SecretBox::init_with_mut(|bytes: &mut [u8; KEY_LEN]| {
            failed = getrandom::fill(bytes).is_err();
        });
        if failed {
            return Err(CryptoError::Rng);
        }
        Ok(Self(key))
    }

    /// Copies `bytes` into a new key; `None` unless it is exactly 32 bytes.
    pub(crate) fn from_slice(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != KEY_LEN {
            return None;
        }
        Some(Self(SecretBox::init_with_mut(|key: &mut [u8; KEY_LEN]| {
            key.copy_from_slice(bytes);
        })))
    }

    /// Parses 64 hexadecimal digits. Returns `None` rather than the decoder's
    /// error, which would quote the offending character of the key.
    pub(crate) fn from_hex(hex: &str) -> Option<Self> {
        if hex.len() != 2 * KEY_LEN {
            return None;
        }
        let mut ok = false;
        let key = SecretBox::init_with_mut(|key: &mut [u8; KEY_LEN]| {
            ok = hex::decode_to_slice(hex, key).is_ok();
        });
        ok.then_some(Self(key))
    }

    /// Lowercase hex, in a buffer sized up front so no reallocation leaves a copy behind.
    pub(crate) fn to_hex(&self) -> Zeroizing<String> {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = Zeroizing::new(String::with_capacity(2 * KEY_LEN));
        for byte in self.expose() {
            out.push(char::from(DIGITS[usize::from(byte >> 4)]));
            out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
        }
        out
    }

    pub(crate) fn expose(&self) -> &[u8; KEY_LEN] {
        self.0.expose_secret()
    }
}

impl Clone for Key256 {
    fn clone(&self) -> Self {
        // secrecy does not clone arrays; copy straight into the new box.
        Self(SecretBox::init_with_mut(|copy: &mut [u8; KEY_LEN]| {
            copy.copy_from_slice(self.expose());
        }))
    }
}

impl fmt::Debug for Key256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key256([REDACTED])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_rejects_wrong_lengths() {
        let key = Key256::random().unwrap();
        let hex = key.to_hex();
        assert_eq!(hex.len(), 64);
        let back = Key256::from_hex(&hex).unwrap();
        assert_eq!(back.expose(), key.expose());
        assert!(Key256::from_hex(&hex[..62]).is_none());
        assert!(Key256::from_hex(&"zz".repeat(32)).is_none());
    }

    #[test]
    fn random_keys_differ() {
        assert_ne!(Key256::random().unwrap().expose(), Key256::random().unwrap().expose());
    }

    #[test]
    fn debug_is_redacted() {
        let key = Key256::random().unwrap();
        let shown = format!("{key:?}");
        assert!(!shown.contains(key.to_hex().as_str()));
        assert!(shown.contains("REDACTED"));
    }
}

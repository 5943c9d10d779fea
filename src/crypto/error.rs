//! What can go wrong in the crypto layer.
//!
//! Messages name what failed and where (a key id, a file path), never a key,
//! a plaintext or a ciphertext: they end up in logs and on operators' screens.

use std::path::PathBuf;

use super::KekId;

/// A failure to seal, open, wrap, unwrap or load keys.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// Authentication failed: wrong key, wrong place (row, column, owner) or
    /// modified bytes. AES-GCM cannot tell these apart, on purpose.
    #[error("decryption failed: wrong key or place, or the ciphertext was modified")]
    Tampered,
    /// Too short to be a ciphertext of this format.
    #[error("malformed ciphertext")]
    MalformedBlob,
    /// A format version this build does not know.
    #[error("unsupported ciphertext format version {0}")]
    UnsupportedVersion(u8),
    /// The key-encryption key is not in the keyring.
    #[error("key-encryption key {0} is not in the keyring")]
    UnknownKek(KekId),
    /// The key-encryption key was retired: its material is gone.
    #[error("key-encryption key {0} is retired")]
    RetiredKek(KekId),
    /// The primary key-encryption key cannot be retired: make another primary first.
    #[error("key-encryption key {0} is the primary and cannot be retired")]
    PrimaryKek(KekId),
    /// Every key-encryption key id is taken (ids are never reused).
    #[error("no key-encryption key id left")]
    KekIdExhausted,
    /// The key canary does not open: this keyring is not the one the data was written with.
    #[error("wrong keyring: the key canary of key-encryption key {0} does not decrypt")]
    WrongKeyring(KekId),
    /// The keyring file could not be read or written, or its permissions are unsafe.
    #[error("keyring file {}: {reason}", path.display())]
    KeyringFile {
        /// The file concerned.
        path: PathBuf,
        /// What was wrong with it.
        reason: String,
    },
    /// The keyring text is not a valid keyring.
    #[error("keyring format: {0}")]
    KeyringFormat(String),
    /// A value sealed as text did not decrypt to UTF-8.
    #[error("decrypted value is not valid UTF-8")]
    NotUtf8,
    /// The plaintext is beyond what AES-GCM can encrypt under one nonce (64 GiB).
    #[error("value too long to encrypt")]
    TooLong,
    /// The operating system's random number generator failed.
    #[error("the operating system random number generator failed")]
    Rng,
}

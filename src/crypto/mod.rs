//! Field-level encryption (DESIGN.md section 4): envelope encryption of personal
//! data, key canaries and blind indexes. Pure: no database, no HTTP, no files
//! except the keyring's own.
//!
//! - A [`Keyring`] holds key-encryption keys (KEKs) and the blind-index root key.
//! - Each owner record (case, user, safe house) has one random [`DataKey`],
//!   stored only as a [`WrappedDataKey`] under a KEK.
//! - Each personal-data field is a [`SealedBlob`], bound to its [`FieldRef`].
//! - [`BlindIndexer`] gives equality search over normalized values.

mod blind_index;
mod blob;
mod canary;
mod cipher;
mod data_key;
mod error;
mod field;
mod keyring;
mod keyring_file;
mod keyring_toml;
mod nonce;
mod normalize;
pub mod random;
mod secret_key;

pub use blind_index::{BLIND_INDEX_LEN, BlindIndex, BlindIndexer};
pub use blob::{MIN_BLOB_LEN, SealedBlob};
pub use data_key::{DataKey, KeyOwner, OwnerKind, WRAPPED_KEY_LEN, WrappedDataKey};
pub use error::CryptoError;
pub use field::FieldRef;
pub use keyring::{KekId, KekState, Keyring};
pub use normalize::{normalize_id_number, normalize_name, normalize_phone};

#[cfg(test)]
mod tests {
    use super::*;

    fn shared_across_server_threads<T: Send + Sync>() {}

    #[test]
    fn keys_can_be_shared_across_threads() {
        shared_across_server_threads::<Keyring>();
        shared_across_server_threads::<DataKey>();
        shared_across_server_threads::<BlindIndexer>();
        shared_across_server_threads::<SealedBlob>();
    }
}

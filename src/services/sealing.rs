//! Sealing and opening the personal data of one owner record (a case, a user, a
//! safe house) with its data key.

use chrono::NaiveDateTime;
use zeroize::Zeroizing;

use super::keys::{Keys, KeysError};
use crate::crypto::{DataKey, FieldRef, KeyOwner, SealedBlob};
use crate::store::DbConn;
use crate::store::keys::{self as store, StoredKey};

/// Which data key of its owner sealed a blob. Owners have one data key; the
/// number leaves room to re-key an owner without a format change.
pub const DATA_KEY_GENERATION: u32 = 1;

/// A value read from a sealed field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revealed<T> {
    Value(T),
    /// The owner's data key was crypto-shredded: the value is gone for good.
    Erased,
}

impl<T> Revealed<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Revealed::Value(v) => Some(v),
            Revealed::Erased => None,
        }
    }
}

/// An owner's data key, unwrapped for the length of one operation.
pub struct OwnerKey {
    owner: KeyOwner,
    key: DataKey,
}

impl OwnerKey {
    /// A new data key for a new owner, stored wrapped under the primary KEK.
    pub fn create(
        conn: &mut DbConn,
        keys: &Keys,
        owner: KeyOwner,
        now: NaiveDateTime,
    ) -> Result<Self, KeysError> {
        let key = DataKey::generate()?;
        let wrapped = keys.keyring().wrap(&key, &owner)?;
        store::insert_data_key(conn, &owner, &wrapped, now)?;
        Ok(OwnerKey { owner, key })
    }

    /// The owner's data key, or `Erased` when it was shredded.
    pub fn open(conn: &mut DbConn, keys: &Keys, owner: KeyOwner) -> Result<Revealed<Self>, KeysError> {
        match store::load_data_key(conn, &owner)? {
            Some(StoredKey::Wrapped(wrapped)) => {
                let key = keys.keyring().unwrap(&wrapped, &owner)?;
                Ok(Revealed::Value(OwnerKey { owner, key }))
            }
            Some(StoredKey::Shredded { .. }) => Ok(Revealed::Erased),
            None => Err(KeysError::Store(crate::store::StoreError::Query(diesel::result::Error::NotFound))),
        }
    }

    pub fn owner(&self) -> &KeyOwner {
        &self.owner
    }

    pub fn seal(&self, field: FieldRef, text: &str) -> Result<SealedBlob, KeysError> {
        Ok(self.key.seal_str(DATA_KEY_GENERATION, &field, text)?)
    }

    pub fn seal_opt(&self, field: FieldRef, text: Option<&str>) -> Result<Option<SealedBlob>, KeysError> {
        text.map(|t| self.seal(field, t)).transpose()
    }

    /// Opens a sealed text. A blob that fails to open (moved, modified, wrong key)
    /// is an error, logged and counted by the caller, never an empty value.
    pub fn open_text(&self, field: FieldRef, blob: &SealedBlob) -> Result<Zeroizing<String>, KeysError> {
        self.key.open_string(blob, &field).map_err(|e| {
            tracing::error!(table = field.table, column = field.column, row = %field.row, error = %e, "sealed field failed to open");
            KeysError::Crypto(e)
        })
    }
}

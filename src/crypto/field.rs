//! Sealing and opening one field value with its owner's data key.
//!
//! The associated data binds the ciphertext to its place (table, column, row)
//! and to the key id, so a blob copied to another row or column, or relabelled
//! with another key id, fails to open instead of showing someone else's data.

use uuid::Uuid;
use zeroize::{Zeroize, Zeroizing};

use super::CryptoError;
use super::blob::{BLOB_VERSION, HEADER_LEN, SealedBlob};
use super::cipher::{NONCE_LEN, TAG_LEN};
use super::data_key::DataKey;

/// Separates field associated data from the KEK-level uses (wrapped keys, canaries).
const FIELD_PURPOSE: u8 = 1;

/// Where a sealed value lives: the place its ciphertext is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldRef {
    /// Table name, as in the schema.
    pub table: &'static str,
    /// Column name, as in the schema.
    pub column: &'static str,
    /// The row's id.
    pub row: Uuid,
}

impl FieldRef {
    /// The column `column` of row `row` of table `table`.
    #[must_use]
    pub fn new(table: &'static str, column: &'static str, row: Uuid) -> Self {
        Self { table, column, row }
    }

    /// `version | purpose | len(table) | table | len(column) | column | row | key id`,
    /// lengths as u16. Names are length-prefixed so that no two places encode alike
    /// (`("ab", "c")` vs `("a", "bc")`). Kept short: GHASH covers every byte of it
    /// on every seal and open.
    fn associated_data(&self, key_id: u32) -> AssociatedData {
        let mut aad = AssociatedData::default();
        aad.push(&[BLOB_VERSION, FIELD_PURPOSE]);
        for name in [self.table, self.column] {
            // Table and column names are short identifiers of the schema; a longer
            // one is cut at u16::MAX in the prefix only, the name itself is whole.
            let len = u16::try_from(name.len()).unwrap_or(u16::MAX);
            aad.push(&len.to_be_bytes());
            aad.push(name.as_bytes());
        }
        aad.push(self.row.as_bytes());
        aad.push(&key_id.to_be_bytes());
        aad
    }
}

/// Associated data built on the stack: sealing a case's fields allocates nothing
/// for it. Falls back to the heap for unusually long names.
#[derive(PartialEq, Eq, Debug)]
struct AssociatedData {
    inline: [u8; 96],
    len: usize,
    heap: Option<Vec<u8>>,
}

impl Default for AssociatedData {
    fn default() -> Self {
        AssociatedData { inline: [0; 96], len: 0, heap: None }
    }
}

impl AssociatedData {
    fn push(&mut self, bytes: &[u8]) {
        if let Some(heap) = &mut self.heap {
            heap.extend_from_slice(bytes);
        } else if self.len + bytes.len() <= self.inline.len() {
            self.inline[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        } else {
            let mut heap = self.inline[..self.len].to_vec();
            heap.extend_from_slice(bytes);
            self.heap = Some(heap);
        }
    }

    fn as_slice(&self) -> &[u8] {
        self.heap.as_deref().unwrap_or(&self.inline[..self.len])
    }
}

impl DataKey {
    /// Seals `plaintext` for `field`, recording `key_id` (which data key of the
    /// owner this is) in the blob. A fresh random nonce per call.
    ///
    /// # Errors
    /// [`CryptoError::Rng`] if no nonce can be drawn; [`CryptoError::TooLong`]
    /// past AES-GCM's 64 GiB limit.
    pub fn seal(&self, key_id: u32, field: &FieldRef, plaintext: &[u8]) -> Result<SealedBlob, CryptoError> {
        let mut bytes = Vec::with_capacity(HEADER_LEN + NONCE_LEN + plaintext.len() + TAG_LEN);
        bytes.push(BLOB_VERSION);
        bytes.extend_from_slice(&key_id.to_be_bytes());
        self.0.seal_append(field.associated_data(key_id).as_slice(), plaintext, &mut bytes)?;
        Ok(SealedBlob::from_sealed_bytes(bytes))
    }

    /// Opens a blob sealed for `field`. The plaintext is wiped when dropped.
    ///
    /// # Errors
    /// [`CryptoError::Tampered`] for a wrong key, a wrong place or modified bytes;
    /// [`CryptoError::MalformedBlob`]; [`CryptoError::UnsupportedVersion`].
    pub fn open(&self, blob: &SealedBlob, field: &FieldRef) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let parts = blob.parts()?;
        self.0.open(field.associated_data(parts.key_id).as_slice(), parts.sealed)
    }

    /// Seals a text value.
    ///
    /// # Errors
    /// As [`DataKey::seal`].
    pub fn seal_str(&self, key_id: u32, field: &FieldRef, text: &str) -> Result<SealedBlob, CryptoError> {
        self.seal(key_id, field, text.as_bytes())
    }

    /// Opens a text value.
    ///
    /// # Errors
    /// As [`DataKey::open`], and [`CryptoError::NotUtf8`].
    pub fn open_string(&self, blob: &SealedBlob, field: &FieldRef) -> Result<Zeroizing<String>, CryptoError> {
        let mut bytes = self.open(blob, field)?;
        // Moved, not copied, into the String; on failure the bytes are wiped.
        match String::from_utf8(std::mem::take(&mut *bytes)) {
            Ok(text) => Ok(Zeroizing::new(text)),
            Err(err) => {
                err.into_bytes().zeroize();
                Err(CryptoError::NotUtf8)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use proptest::prelude::*;

    use super::super::blob::MIN_BLOB_LEN;
    use super::*;

    fn name_of(row: Uuid) -> FieldRef {
        FieldRef::new("cases", "survivor_name", row)
    }

    #[test]
    fn seal_then_open_gives_back_the_text() {
        let key = DataKey::generate().unwrap();
        let field = name_of(Uuid::now_v7());
        for text in ["Nguyễn Thị Hoa", "", "0912 345 678", "Đặng Văn Đức"] {
            let blob = key.seal_str(1, &field, text).unwrap();
            assert_eq!(key.open_string(&blob, &field).unwrap().as_str(), text);
        }
    }

    #[test]
    fn blob_layout_is_version_key_id_nonce_ciphertext_tag() {
        let key = DataKey::generate().unwrap();
        let field = name_of(Uuid::now_v7());
        let blob = key.seal(0x0102_0304, &field, b"abc").unwrap();
        let bytes = blob.as_bytes();
        assert_eq!(bytes.len(), MIN_BLOB_LEN + 3);
        assert_eq!(bytes[0], 1);
        assert_eq!(&bytes[1..5], &[1, 2, 3, 4]);
        assert_eq!(blob.key_id(), Ok(0x0102_0304));
        assert!(!bytes.windows(3).any(|w| w == b"abc"));
    }

    #[test]
    fn flipping_any_single_byte_of_a_blob_fails_with_a_typed_error() {
        let key = DataKey::generate().unwrap();
        let field = name_of(Uuid::now_v7());
        let blob = key.seal_str(1, &field, "Nguyễn Thị Hoa, xã Cẩm Xuyên").unwrap();
        for position in 0..blob.as_bytes().len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut bytes = blob.as_bytes().to_vec();
                bytes[position] ^= flip;
                let err = key.open(&SealedBlob::from_stored(bytes), &field).unwrap_err();
                let expected = if position == 0 {
                    CryptoError::UnsupportedVersion(1 ^ flip)
                } else {
                    CryptoError::Tampered
                };
                assert_eq!(err, expected, "byte {position} xor {flip:#x}");
            }
        }
    }

    #[test]
    fn blob_moved_to_another_row_fails() {
        let key = DataKey::generate().unwrap();
        let blob = key.seal_str(1, &name_of(Uuid::now_v7()), "Nguyễn Thị Hoa").unwrap();
        assert_eq!(key.open(&blob, &name_of(Uuid::now_v7())).unwrap_err(), CryptoError::Tampered);
    }

    #[test]
    fn blob_moved_to_another_column_of_the_same_row_fails() {
        let key = DataKey::generate().unwrap();
        let row = Uuid::now_v7();
        let blob = key.seal_str(1, &FieldRef::new("cases", "survivor_name", row), "Hoa").unwrap();
        let phone = FieldRef::new("cases", "survivor_phone", row);
        assert_eq!(key.open(&blob, &phone).unwrap_err(), CryptoError::Tampered);
        let other_table = FieldRef::new("case_notes", "survivor_name", row);
        assert_eq!(key.open(&blob, &other_table).unwrap_err(), CryptoError::Tampered);
    }

    #[test]
    fn names_are_length_prefixed_so_shifting_a_boundary_changes_the_place() {
        let row = Uuid::now_v7();
        let a = FieldRef::new("ab", "c", row).associated_data(1);
        let b = FieldRef::new("a", "bc", row).associated_data(1);
        assert_ne!(a.as_slice(), b.as_slice());
        let long = "x".repeat(200);
        let long: &'static str = Box::leak(long.into_boxed_str());
        let heap = FieldRef::new(long, "c", row).associated_data(1);
        assert!(heap.as_slice().len() > 200, "long names spill to the heap whole");
        let key = DataKey::generate().unwrap();
        let blob = key.seal(1, &FieldRef::new("ab", "c", row), b"x").unwrap();
        assert!(key.open(&blob, &FieldRef::new("a", "bc", row)).is_err());
    }

    #[test]
    fn another_data_key_cannot_open() {
        let field = name_of(Uuid::now_v7());
        let blob = DataKey::generate().unwrap().seal_str(1, &field, "Hoa").unwrap();
        assert_eq!(DataKey::generate().unwrap().open(&blob, &field).unwrap_err(), CryptoError::Tampered);
    }

    #[test]
    fn truncated_and_empty_blobs_are_errors_not_panics() {
        let key = DataKey::generate().unwrap();
        let field = name_of(Uuid::now_v7());
        let blob = key.seal_str(1, &field, "Hoa").unwrap();
        for len in 0..blob.as_bytes().len() {
            let cut = SealedBlob::from_stored(blob.as_bytes()[..len].to_vec());
            let err = key.open(&cut, &field).unwrap_err();
            assert!(
                matches!(err, CryptoError::MalformedBlob | CryptoError::Tampered),
                "length {len}: {err:?}"
            );
        }
    }

    #[test]
    fn non_utf8_plaintext_opened_as_string_is_a_typed_error() {
        let key = DataKey::generate().unwrap();
        let field = name_of(Uuid::now_v7());
        let blob = key.seal(1, &field, &[0xff, 0xfe]).unwrap();
        assert_eq!(key.open_string(&blob, &field).unwrap_err(), CryptoError::NotUtf8);
    }

    #[test]
    fn a_million_seals_under_one_key_repeat_no_nonce() {
        let key = DataKey::generate().unwrap();
        let field = name_of(Uuid::now_v7());
        let mut nonces = HashSet::with_capacity(1_000_000);
        for _ in 0..1_000_000 {
            let blob = key.seal(1, &field, b"x").unwrap();
            let mut nonce = [0u8; NONCE_LEN];
            nonce.copy_from_slice(&blob.as_bytes()[HEADER_LEN..HEADER_LEN + NONCE_LEN]);
            assert!(nonces.insert(nonce), "nonce repeated");
        }
        assert_eq!(nonces.len(), 1_000_000);
    }

    fn vietnamese_text() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9 ,.\\-àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵĐĂÂÊÔƠƯ\u{300}\u{301}\u{303}\u{309}\u{323}]{0,80}"
    }

    proptest! {
        #[test]
        fn seal_open_round_trips_any_unicode(text in any::<String>()) {
            let key = DataKey::generate().unwrap();
            let field = name_of(Uuid::now_v7());
            let blob = key.seal_str(7, &field, &text).unwrap();
            let opened = key.open_string(&blob, &field).unwrap();
            prop_assert_eq!(opened.as_str(), text.as_str());
        }

        #[test]
        fn seal_open_round_trips_vietnamese_text(text in vietnamese_text()) {
            let key = DataKey::generate().unwrap();
            let field = name_of(Uuid::now_v7());
            let blob = key.seal_str(1, &field, &text).unwrap();
            let opened = key.open_string(&blob, &field).unwrap();
            prop_assert_eq!(opened.as_str(), text.as_str());
        }

        #[test]
        fn opening_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            let key = DataKey::generate().unwrap();
            let opened = key.open(&SealedBlob::from_stored(bytes), &name_of(Uuid::nil()));
            prop_assert!(opened.is_err());
        }
    }
}

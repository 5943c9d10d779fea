//! Blind indexes: keyed hashes of normalized values, for duplicate detection
//! and exact search without decrypting.
//!
//! HMAC-SHA256 under a key derived per (table, column) from the keyring's
//! index root key, truncated to 128 bits. Per-column keys mean equal values in
//! two columns (a survivor's and a perpetrator's phone) do not link. The index
//! reveals equality within a column and nothing else; without the root key it
//! cannot be brute-forced from the small space of names and phone numbers.

use std::fmt;

use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::keyring::Keyring;
use super::normalize::{normalize_id_number, normalize_name, normalize_phone};
use super::secret_key::{KEY_LEN, Key256};

/// Bytes kept of the HMAC output: collisions stay negligible (2^-64 at 2^32 values).
pub const BLIND_INDEX_LEN: usize = 16;

/// HKDF info prefix; bump the version to re-derive every column key.
const INFO_PREFIX: &str = "binhan blind index v1";

/// A blind index value, as stored beside its sealed field.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct BlindIndex([u8; BLIND_INDEX_LEN]);

impl BlindIndex {
    /// The bytes to store or compare.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; BLIND_INDEX_LEN] {
        &self.0
    }

    /// An index read back from the database, for comparison.
    #[must_use]
    pub fn from_bytes(bytes: [u8; BLIND_INDEX_LEN]) -> Self {
        Self(bytes)
    }
}

impl fmt::Debug for BlindIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlindIndex({})", hex::encode(self.0))
    }
}

/// Computes blind indexes from the keyring's index root key.
#[derive(Clone)]
pub struct BlindIndexer {
    root: Key256,
}

impl fmt::Debug for BlindIndexer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BlindIndexer([REDACTED])")
    }
}

impl BlindIndexer {
    /// An indexer using `keyring`'s blind-index root key.
    #[must_use]
    pub fn new(keyring: &Keyring) -> Self {
        Self { root: keyring.index_key().clone() }
    }

    /// The index of an already normalized value in `table.column`; `None` for
    /// an empty value, which must not index (all blanks would look like one person).
    ///
    /// Table and column are schema identifiers and never contain `|`, so the
    /// HKDF info `"binhan blind index v1|table|column"` is unambiguous.
    #[must_use]
    pub fn index(&self, table: &str, column: &str, normalized: &str) -> Option<BlindIndex> {
        debug_assert!(!table.contains('|') && !column.contains('|'), "schema identifiers do not contain '|'");
        if normalized.is_empty() {
            return None;
        }
        let column_key = self.column_key(table, column);
        // HMAC takes keys of any length: this cannot fail.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(column_key.as_slice())
            .expect("HMAC accepts keys of any length");
        mac.update(normalized.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut index = [0u8; BLIND_INDEX_LEN];
        index.copy_from_slice(&digest[..BLIND_INDEX_LEN]);
        Some(BlindIndex(index))
    }

    /// [`normalize_name`], then [`BlindIndexer::index`].
    #[must_use]
    pub fn index_name(&self, table: &str, column: &str, name: &str) -> Option<BlindIndex> {
        self.index(table, column, &normalize_name(name))
    }

    /// [`normalize_phone`], then [`BlindIndexer::index`].
    #[must_use]
    pub fn index_phone(&self, table: &str, column: &str, phone: &str) -> Option<BlindIndex> {
        self.index(table, column, &normalize_phone(phone))
    }

    /// [`normalize_id_number`], then [`BlindIndexer::index`].
    #[must_use]
    pub fn index_id_number(&self, table: &str, column: &str, id: &str) -> Option<BlindIndex> {
        self.index(table, column, &normalize_id_number(id))
    }

    fn column_key(&self, table: &str, column: &str) -> Zeroizing<[u8; KEY_LEN]> {
        let hkdf = Hkdf::<Sha256>::new(None, self.root.expose());
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        // 32 bytes is far below HKDF-SHA256's 8160-byte limit: this cannot fail.
        hkdf.expand_multi_info(
            &[INFO_PREFIX.as_bytes(), b"|", table.as_bytes(), b"|", column.as_bytes()],
            key.as_mut_slice(),
        )
        .expect("32 bytes is within HKDF-SHA256's output limit");
        key
    }
}

impl Keyring {
    /// A blind indexer with this keyring's index root key.
    #[must_use]
    pub fn blind_indexer(&self) -> BlindIndexer {
        BlindIndexer::new(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indexer() -> BlindIndexer {
        Keyring::generate().unwrap().blind_indexer()
    }

    fn name_index(indexer: &BlindIndexer, name: &str) -> Option<BlindIndex> {
        indexer.index_name("cases", "survivor_name", name)
    }

    #[test]
    fn spellings_of_one_name_share_an_index() {
        let indexer = indexer();
        let hoa = name_index(&indexer, "Nguyễn Thị Hoa").unwrap();
        assert_eq!(name_index(&indexer, "nguyen thi  hoa"), Some(hoa));
        assert_eq!(name_index(&indexer, "NGUYỄN THỊ HOA"), Some(hoa));
    }

    #[test]
    fn nfc_and_nfd_forms_of_a_name_share_an_index() {
        let indexer = indexer();
        let nfc = "Nguy\u{1EC5}n Th\u{1ECB} H\u{F2}a";
        let nfd = "Nguye\u{302}\u{303}n Thi\u{323} Ho\u{300}a";
        assert_eq!(nfc, "Nguyễn Thị Hòa");
        assert_eq!(name_index(&indexer, nfc), name_index(&indexer, nfd));
        // "Hoà" with the mark on the other vowel, as some keyboards type it.
        assert_eq!(name_index(&indexer, "Nguyễn Thị Hòa"), name_index(&indexer, "Nguyễn Thị Hoà"));
    }

    #[test]
    fn different_names_differ() {
        let indexer = indexer();
        assert_ne!(name_index(&indexer, "Nguyễn Thị Hoa"), name_index(&indexer, "Nguyễn Thị Hương"));
    }

    #[test]
    fn same_value_in_different_columns_differs() {
        let indexer = indexer();
        let survivor = indexer.index_phone("cases", "survivor_phone", "0912345678");
        let perpetrator = indexer.index_phone("cases", "perpetrator_phone", "0912345678");
        let other_table = indexer.index_phone("contacts", "survivor_phone", "0912345678");
        assert!(survivor.is_some());
        assert_ne!(survivor, perpetrator);
        assert_ne!(survivor, other_table);
    }

    #[test]
    fn phone_forms_share_an_index() {
        let indexer = indexer();
        let forms = ["+84 912 345 678", "0084912345678", "84912345678", "0912345678"];
        let first = indexer.index_phone("cases", "survivor_phone", forms[0]);
        assert!(first.is_some());
        for form in forms {
            assert_eq!(indexer.index_phone("cases", "survivor_phone", form), first, "{form}");
        }
    }

    #[test]
    fn id_number_forms_share_an_index() {
        let indexer = indexer();
        assert_eq!(
            indexer.index_id_number("cases", "survivor_id_number", "042 195 012 345"),
            indexer.index_id_number("cases", "survivor_id_number", "042195012345")
        );
    }

    #[test]
    fn empty_values_have_no_index() {
        let indexer = indexer();
        assert_eq!(indexer.index("cases", "survivor_name", ""), None);
        assert_eq!(name_index(&indexer, "   "), None);
        assert_eq!(indexer.index_phone("cases", "survivor_phone", "—"), None);
    }

    #[test]
    fn another_keyring_gives_other_indexes() {
        assert_ne!(name_index(&indexer(), "Nguyễn Thị Hoa"), name_index(&indexer(), "Nguyễn Thị Hoa"));
    }

    #[test]
    fn index_is_stable_for_a_given_root_key() {
        let keyring = Keyring::generate().unwrap();
        let text = keyring.to_toml_string();
        let reloaded = Keyring::from_toml_str(&text).unwrap();
        assert_eq!(name_index(&keyring.blind_indexer(), "Hoa"), name_index(&reloaded.blind_indexer(), "Hoa"));
    }

    #[test]
    fn indexer_debug_is_redacted() {
        let keyring = Keyring::generate().unwrap();
        let shown = format!("{:?}", keyring.blind_indexer());
        assert!(!shown.contains(keyring.index_key().to_hex().as_str()));
    }

    #[test]
    fn known_answer_pins_the_derivation() {
        // A fixed root key of 32 bytes 0x01: changing the info string, the HKDF
        // use or the truncation would silently orphan every stored index.
        let keyring = Keyring::from_toml_str(&format!(
            "[[kek]]\nid = 1\nstate = \"primary\"\nkey = \"{}\"\n[blind_index]\nkey = \"{}\"\n",
            "00".repeat(32),
            "01".repeat(32)
        ))
        .unwrap();
        let index = keyring.blind_indexer().index("cases", "survivor_name", "nguyen thi hoa").unwrap();
        assert_eq!(hex::encode(index.as_bytes()), KNOWN_ANSWER);
    }

    // Computed independently with Python's hmac module (RFC 5869 HKDF, then HMAC).
    const KNOWN_ANSWER: &str = "d6a604f3ba5a2474967a2a9ec729c474";
}

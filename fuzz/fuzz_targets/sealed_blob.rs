//! The sealed-blob parser and opener: any bytes read back from a personal-data
//! column are refused cleanly (never a panic, never opened without the key that
//! sealed them), and any plaintext sealed opens to itself.
#![no_main]

use std::sync::OnceLock;

use binhan::crypto::{DataKey, FieldRef, SealedBlob};
use libfuzzer_sys::fuzz_target;

fn key() -> &'static DataKey {
    static KEY: OnceLock<DataKey> = OnceLock::new();
    KEY.get_or_init(|| DataKey::generate().expect("a data key"))
}

fuzz_target!(|data: &[u8]| {
    let field = FieldRef::new("survivors", "full_name", uuid::Uuid::nil());
    let blob = SealedBlob::from_stored(data.to_vec());
    let _ = blob.key_id();
    assert!(key().open(&blob, &field).is_err(), "bytes nobody sealed opened");
    assert!(key().open_string(&blob, &field).is_err());

    let sealed = key().seal(7, &field, data).expect("sealing");
    assert_eq!(sealed.key_id(), Ok(7));
    assert_eq!(&key().open(&sealed, &field).expect("opening what was sealed")[..], data);
    let other = FieldRef::new("survivors", "phone", uuid::Uuid::nil());
    assert!(key().open(&sealed, &other).is_err(), "a blob opened as another field");
});

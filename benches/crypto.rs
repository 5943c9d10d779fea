//! Cost of field encryption, for docs/PERFORMANCE.md.
//!
//! - `seal_open_case_15_fields`: sealing then opening a typical case's ~15
//!   personal-data fields of ~100 bytes, against raw AES-256-GCM over the same
//!   bytes in the same group, so the framing overhead ratio comes from one run,
//!   and the cost of the OS RNG calls for the 15 nonces, which is most of the gap.
//! - `rewrap_100k_data_keys`: the work of `binhan keys rotate` for 100,000 records.

use std::hint::black_box;

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{Aead, KeyInit, Nonce, Payload};
use binhan::crypto::{DataKey, FieldRef, KeyOwner, Keyring, OwnerKind, WrappedDataKey};
use criterion::{Criterion, Throughput};
use uuid::Uuid;

const CASE_COLUMNS: [&str; 15] = [
    "survivor_name",
    "survivor_other_names",
    "survivor_birth_date",
    "survivor_phone",
    "survivor_address",
    "survivor_id_number",
    "guardian_name",
    "guardian_phone",
    "perpetrator_name",
    "perpetrator_phone",
    "perpetrator_address",
    "incident_narrative",
    "incident_place",
    "safety_plan",
    "safe_contact",
];

const FIELD_LEN: usize = 100;

fn field_values() -> Vec<Vec<u8>> {
    let text = "Nguyễn Thị Hoa, thôn Trung Phú, xã Cẩm Xuyên, Hà Tĩnh; gọi sau 18 giờ, mật mã: hoa sen. ";
    CASE_COLUMNS
        .iter()
        .map(|column| {
            let mut value = format!("{column}: {text}").into_bytes();
            value.resize(FIELD_LEN, b'.');
            value
        })
        .collect()
}

pub fn seal_open_case_15_fields(c: &mut Criterion) {
    let values = field_values();
    let row = Uuid::now_v7();
    let fields: Vec<FieldRef> =
        CASE_COLUMNS.iter().map(|column| FieldRef::new("cases", column, row)).collect();
    let key = DataKey::generate().expect("OS RNG");

    // The baseline: one cipher, a fixed nonce, no associated data, no framing.
    let raw = Aes256Gcm::new(&[7u8; 32].into());
    let raw_nonce: Nonce<Aes256Gcm> = [9u8; 12].into();

    let mut group = c.benchmark_group("seal_open_case_15_fields");
    group.throughput(Throughput::Bytes((FIELD_LEN * CASE_COLUMNS.len()) as u64));
    group.bench_function("sealed_blob_with_field_aad", |b| {
        b.iter(|| {
            for (field, value) in fields.iter().zip(&values) {
                let blob = key.seal(1, field, black_box(value)).expect("seal");
                let opened = key.open(black_box(&blob), field).expect("open");
                black_box(opened);
            }
        });
    });
    group.bench_function("raw_aes_gcm_15_fields", |b| {
        b.iter(|| {
            for value in &values {
                let sealed = raw.encrypt(&raw_nonce, black_box(value.as_slice())).expect("encrypt");
                let opened = raw.decrypt(&raw_nonce, black_box(sealed.as_slice())).expect("decrypt");
                black_box(opened);
            }
        });
    });
    // The same raw calls over the same associated data as the sealed blobs bind
    // (format, table, column, row, key id): what remains between this line and the
    // first is the framing itself (header, nonce, buffers).
    let aads: Vec<Vec<u8>> = CASE_COLUMNS.iter().map(|column| same_aad("survivors", column)).collect();
    group.bench_function("raw_aes_gcm_15_fields_same_aad", |b| {
        b.iter(|| {
            for (value, aad) in values.iter().zip(&aads) {
                let payload = Payload { msg: black_box(value.as_slice()), aad };
                let sealed = raw.encrypt(&raw_nonce, payload).expect("encrypt");
                let payload = Payload { msg: black_box(sealed.as_slice()), aad };
                black_box(raw.decrypt(&raw_nonce, payload).expect("decrypt"));
            }
        });
    });
    // What the per-value random nonce alone costs (one OS RNG call each), to
    // read the gap between the two lines above.
    group.bench_function("os_rng_15_nonces", |b| {
        b.iter(|| {
            for _ in 0..CASE_COLUMNS.len() {
                let mut nonce = [0u8; 12];
                getrandom::fill(&mut nonce).expect("OS RNG");
                black_box(nonce);
            }
        });
    });
    group.finish();
}

/// Associated data of the same length as a sealed field's (see `crypto::field`).
fn same_aad(table: &str, column: &str) -> Vec<u8> {
    let mut aad = vec![1, 1];
    for name in [table, column] {
        aad.extend_from_slice(&(name.len() as u16).to_be_bytes());
        aad.extend_from_slice(name.as_bytes());
    }
    aad.extend_from_slice(Uuid::now_v7().as_bytes());
    aad.extend_from_slice(&1u32.to_be_bytes());
    aad
}

pub fn rewrap_100k_data_keys(c: &mut Criterion) {
    const COUNT: usize = 100_000;
    let old = Keyring::generate().expect("OS RNG");
    let records: Vec<(KeyOwner, WrappedDataKey)> = (0..COUNT)
        .map(|_| {
            let owner = KeyOwner::new(OwnerKind::Case, Uuid::now_v7());
            let key = DataKey::generate().expect("OS RNG");
            let wrapped = old.wrap(&key, &owner).expect("wrap");
            (owner, wrapped)
        })
        .collect();
    let rotated = old.with_new_primary().expect("OS RNG");

    let mut group = c.benchmark_group("rewrap_100k_data_keys");
    group.sample_size(10);
    group.throughput(Throughput::Elements(COUNT as u64));
    group.bench_function("unwrap_and_wrap_under_new_primary", |b| {
        b.iter(|| {
            for (owner, wrapped) in &records {
                black_box(rotated.rewrap(black_box(wrapped), owner).expect("rewrap"));
            }
        });
    });
    group.finish();
}

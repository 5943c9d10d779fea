//! Criterion benchmarks: `cargo bench --bench core`. Figures and the commands that
//! reproduce them are in docs/PERFORMANCE.md.

use criterion::{criterion_group, criterion_main};

mod crypto;
mod lists;
mod policies;
mod province;
mod statistics;
mod storage;

criterion_group!(crypto_benches, crypto::seal_open_case_15_fields, crypto::rewrap_100k_data_keys);
criterion_group!(storage_benches, storage::commit_cost, storage::commune_lookup);
criterion_group!(policy_benches, policies::decision);
criterion_group!(statistics_benches, statistics::summary_over_a_million_cases);
criterion_group!(list_benches, lists::supervisor_pages_over_10k_cases);
criterion_main!(crypto_benches, policy_benches, storage_benches, statistics_benches, list_benches);

//! Criterion benchmarks: `cargo bench --bench core`. Figures and the commands that
//! reproduce them are in docs/PERFORMANCE.md.

use criterion::{criterion_group, criterion_main};

mod storage;

criterion_group!(
    storage_benches,
    storage::commit_cost,
    storage::commune_lookup
);
criterion_main!(storage_benches);

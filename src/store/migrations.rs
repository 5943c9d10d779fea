use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::{DbConn, StoreError};

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// What `binhan migrate` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MigrationReport {
    pub applied: Vec<String>,
    pub already_current: usize,
}

/// Each backend has its own folder of migrations with the same names; this is the
/// one place that chooses between them.
macro_rules! with_harness {
    ($conn:expr, |$h:ident, $m:ident| $body:expr) => {
        match $conn {
            DbConn::Sqlite($h) => {
                let $m = SQLITE;
                $body
            }
            DbConn::Postgres($h) => {
                let $m = POSTGRES;
                $body
            }
        }
    };
}

pub fn run_pending(conn: &mut DbConn) -> Result<MigrationReport, StoreError> {
    with_harness!(conn, |harness, migrations| {
        let applied_before = harness.applied_migrations().map_err(StoreError::migration)?.len();
        let applied = harness.run_pending_migrations(migrations).map_err(StoreError::migration)?;
        Ok(MigrationReport {
            applied: applied.iter().map(|v| v.to_string()).collect(),
            already_current: applied_before,
        })
    })
}

pub fn pending_count(conn: &mut DbConn) -> Result<usize, StoreError> {
    with_harness!(conn, |harness, migrations| {
        Ok(harness.pending_migrations(migrations).map_err(StoreError::migration)?.len())
    })
}

/// Names of all migrations the binary carries, oldest first.
pub fn known() -> Vec<String> {
    use diesel::migration::MigrationSource;
    let sqlite: Vec<_> = MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE)
        .map(|ms| ms.iter().map(|m| m.name().to_string()).collect())
        .unwrap_or_default();
    sqlite
}

//! What the benchmarks over a generated province share: a migrated SQLite
//! database with Hà Tĩnh's units, and a province-wide caller of a role on the
//! bench's fixed day (6 December 2026).

use std::path::Path;
use std::sync::Arc;

use binhan::authz::{Policies, PolicySource, Principal};
use binhan::domain::role::Role;
use binhan::services::cases::access::Caller;
use binhan::services::keys::{KeyringSource, Keys};
use binhan::store::{self, DatabaseUrl, DbConn, SqliteSettings, migrations};
use chrono::{TimeZone, Utc};

/// A migrated SQLite database at `file` holding Hà Tĩnh's administrative units.
pub fn database(file: &Path) -> DbConn {
    let url = DatabaseUrl::Sqlite(file.to_path_buf());
    let mut conn = store::connect(&url, SqliteSettings::default()).expect("open SQLite");
    migrations::run_pending(&mut conn).expect("migrate");
    binhan::services::units::import_ha_tinh(&mut conn).expect("units");
    conn
}

/// A caller of `role` with the whole province in scope, on the bench's day.
pub fn caller(role: Role, id: &str) -> Caller {
    let keyring = binhan::crypto::Keyring::generate().expect("keyring");
    Caller {
        principal: Principal {
            id: id.into(),
            role,
            communes: Vec::new(),
            safe_house: None,
            province: "42".into(),
        },
        actor: binhan::audit::Actor::command("bench"),
        now: Utc.with_ymd_and_hms(2026, 12, 6, 3, 0, 0).single().expect("now"),
        policies: Arc::new(Policies::load(&PolicySource::BuiltIn).expect("policies")),
        keys: Arc::new(Keys::new(keyring, KeyringSource::Text)),
        holidays: Arc::new(Default::default()),
    }
}

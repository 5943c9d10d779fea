//! `schema.rs` is written by hand for both backends; these tests fail as soon as it
//! and the migrations disagree.

use binhan::store::{Backend, DbConn, migrations, schema::*};
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::on_both_backends;

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

fn names(conn: &mut DbConn, sql: &str) -> Vec<String> {
    diesel::sql_query(sql).load::<Name>(conn).expect(sql).into_iter().map(|n| n.name).collect()
}

fn database_tables(conn: &mut DbConn) -> Vec<String> {
    let sql = match conn.backend() {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
                            AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT table_name AS name FROM information_schema.tables \
                              WHERE table_schema = current_schema() AND table_name <> '__diesel_schema_migrations' ORDER BY table_name"
        }
    };
    names(conn, sql)
}

fn database_columns(conn: &mut DbConn, table: &str) -> Vec<String> {
    let sql = match conn.backend() {
        Backend::Sqlite => format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"),
        Backend::Postgres => format!(
            "SELECT column_name AS name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = '{table}' ORDER BY ordinal_position"
        ),
    };
    names(conn, &sql)
}

/// Column names as schema.rs declares them, read from the SQL diesel generates.
fn declared_columns(select_sql: &str) -> Vec<String> {
    let list = select_sql.trim_start_matches("SELECT ").split(" FROM ").next().unwrap_or_default();
    list.split(", ").map(|c| c.rsplit('.').next().unwrap_or(c).trim_matches('`').to_string()).collect()
}

/// Selects every declared column of every table on the real database.
macro_rules! check_tables {
    ($conn:expr, $($table:ident),+ $(,)?) => {{
        let mut declared = Vec::new();
        $(
            let select = $table::table.select($table::all_columns);
            let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&select).to_string();
            select.execute($conn).unwrap_or_else(|e| panic!("{}: {e}", stringify!($table)));
            declared.push((stringify!($table).to_string(), declared_columns(&sql)));
        )+
        declared
    }};
}

on_both_backends! {
    fn every_column_of_every_table_matches_the_migrations(db: TestDb) {
        let mut conn = db.migrated();
        let declared = check_tables!(
            &mut conn,
            admin_units,
            admin_unit_successions,
            key_canaries,
            data_keys,
            cases,
            survivors,
            case_counters,
            users,
            user_communes,
            recovery_codes,
            sessions,
            audit_events,
            audit_head,
            incidents,
            incident_codes,
            perpetrators,
            case_transitions,
            risk_assessments,
            consents,
            protection_measures,
            service_providers,
            approvals,
            referrals,
            case_notes,
            safe_houses,
            placements,
            stay_notes,
            stat_tallies,
            possible_duplicates,
            case_links,
            account_changes,
            enrolment_codes,
        );
        let mut declared_tables: Vec<_> = declared.iter().map(|(t, _)| t.clone()).collect();
        declared_tables.sort();
        assert_eq!(declared_tables, database_tables(&mut conn), "tables in schema.rs vs the database");
        for (table, columns) in declared {
            assert_eq!(columns, database_columns(&mut conn, &table), "columns of {table}");
        }
    }
}

on_both_backends! {
    fn migrating_twice_applies_nothing_the_second_time(db: TestDb) {
        let mut conn = db.conn();
        let first = migrations::run_pending(&mut conn).unwrap();
        assert_eq!(first.applied.len(), migrations::known().len());
        let second = migrations::run_pending(&mut conn).unwrap();
        assert!(second.applied.is_empty());
        assert_eq!(migrations::pending_count(&mut conn).unwrap(), 0);
    }
}

#[test]
fn both_backends_have_migrations_of_the_same_names() {
    let list = |backend: &str| {
        let mut names: Vec<_> =
            std::fs::read_dir(format!("{}/migrations/{backend}", env!("CARGO_MANIFEST_DIR")))
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
        names.sort();
        names
    };
    assert_eq!(list("sqlite"), list("postgres"));
}

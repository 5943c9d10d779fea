use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn defaults_serve_one_machine_with_sqlite_in_the_data_folder() {
    let config = Config::from_sources(&[], None).unwrap();
    assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
    assert_eq!(config.database_url().unwrap(), DatabaseUrl::Sqlite("data/binhan.sqlite3".into()));
}

#[test]
fn an_environment_variable_overrides_the_toml_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("binhan.toml");
    std::fs::write(&file, "bind = \"0.0.0.0:9000\"\ndb_pool_size = 3\n").unwrap();
    let config = Config::from_sources(&env(&[("BINHAN_DB_POOL_SIZE", "5")]), Some(&file)).unwrap();
    assert_eq!(config.bind.port(), 9000);
    assert_eq!(config.db_pool_size, 5);
}

#[test]
fn a_secret_is_read_from_the_file_named_by_its_file_variable() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("db-url");
    std::fs::write(
        &secret,
        "postgres://app:s3cret@db:5432/binhan?sslmode=verify-full&sslrootcert=/etc/ca.pem\n",
    )
    .unwrap();
    let config =
        Config::from_sources(&env(&[("BINHAN_DATABASE_URL_FILE", secret.to_str().unwrap())]), None).unwrap();
    assert!(matches!(config.database_url().unwrap(), DatabaseUrl::Postgres(_)));
    assert!(!format!("{config:?}").contains("s3cret"), "secrets never reach Debug output");
}

#[test]
fn an_invalid_value_names_the_setting_and_what_is_wrong() {
    let err = Config::from_sources(&env(&[("BINHAN_DB_POOL_SIZE", "many")]), None).unwrap_err();
    assert_eq!(err.setting, "BINHAN_DB_POOL_SIZE");
    assert!(err.problem.contains("whole number"), "{err}");

    let err = Config::from_sources(&env(&[("BINHAN_BIND", "localhost")]), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "setting BINHAN_BIND: must be an address and port such as 127.0.0.1:8080, not \"localhost\""
    );
}

#[test]
fn a_misspelt_setting_is_refused() {
    let err = Config::from_sources(&env(&[("BINHAN_BIN", "127.0.0.1:1")]), None).unwrap_err();
    assert_eq!(err.setting, "BINHAN_BIN");
}

#[test]
fn an_unknown_database_scheme_is_refused_at_start_up() {
    let err = Config::from_sources(&env(&[("BINHAN_DATABASE_URL", "mysql://x@y/z")]), None).unwrap_err();
    assert_eq!(err.setting, "BINHAN_DATABASE_URL");
    assert!(err.problem.contains("mysql"), "{err}");
}

#[test]
fn a_missing_secret_file_is_named() {
    let err =
        Config::from_sources(&env(&[("BINHAN_DATABASE_URL_FILE", "/nonexistent/x")]), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "setting BINHAN_DATABASE_URL_FILE: cannot read the file it names: no such file"
    );
}

#[test]
fn configured_holidays_join_the_fixed_date_ones() {
    let config =
        Config::from_sources(&env(&[("BINHAN_PUBLIC_HOLIDAYS", "2026-02-16, 2026-02-17")]), None).unwrap();
    let holidays = config.holidays().unwrap();
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert!(!holidays.is_working_day(day(2026, 2, 16)), "configured (a Monday of Tết)");
    assert!(!holidays.is_working_day(day(2026, 9, 2)), "National Day, built in");
    assert!(holidays.is_working_day(day(2026, 2, 18)));
}

#[test]
fn a_holiday_that_is_not_a_date_is_named() {
    let err = Config::from_sources(&env(&[("BINHAN_PUBLIC_HOLIDAYS", "2026-02-30")]), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "setting BINHAN_PUBLIC_HOLIDAYS: \"2026-02-30\" is not a date like 2026-02-16"
    );
}

#[test]
fn a_remote_postgresql_without_verified_tls_stops_start_up_naming_the_setting() {
    let url = "postgres://app:s3cret-long@db.internal:5432/binhan?sslmode=require";
    let err = Config::from_sources(&env(&[("BINHAN_DATABASE_URL", url)]), None).unwrap_err();
    assert_eq!(err.setting, "BINHAN_DATABASE_URL");
    assert!(err.problem.contains("sslmode=verify-full"), "{err}");
    assert!(!err.problem.contains("s3cret"), "the password is never shown: {err}");
}

//! Administrative units: Hà Tĩnh's shipped lists and `binhan units import`.

use std::time::Duration;

use binhan::domain::admin_units::{ListOptions, UnitCode};
use binhan::services::units::{ImportError, ImportReport, import, import_ha_tinh};
use binhan::store::admin_units::{commune_on, count_in_force, successors_of};
use chrono::NaiveDate;

use crate::on_both_backends;
use crate::support::process::{binhan, run_within};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn options() -> ListOptions {
    ListOptions {
        province: UnitCode::parse("42").unwrap(),
        valid_from: None,
        valid_to: None,
        effective: None,
    }
}

fn counts(pairs: Vec<(String, i64)>) -> Vec<(&'static str, i64)> {
    pairs
        .into_iter()
        .map(|(kind, n)| {
            (
                ["district", "phuong", "province", "thi_tran", "xa"]
                    .into_iter()
                    .find(|k| *k == kind)
                    .unwrap(),
                n,
            )
        })
        .collect()
}

on_both_backends! {
    fn after_the_reform_ha_tinh_has_60_xa_and_9_phuong(db: TestDb) {
        let mut conn = db.migrated();
        import_ha_tinh(&mut conn).unwrap();
        assert_eq!(
            counts(count_in_force(&mut conn, day(2025, 7, 1)).unwrap()),
            [("phuong", 9), ("province", 1), ("xa", 60)]
        );
        assert_eq!(
            counts(count_in_force(&mut conn, day(2025, 3, 1)).unwrap()),
            [("district", 12), ("phuong", 25), ("province", 1), ("thi_tran", 14), ("xa", 170)]
        );
    }
}

on_both_backends! {
    fn a_code_names_the_unit_in_force_on_the_day_asked(db: TestDb) {
        let mut conn = db.migrated();
        import_ha_tinh(&mut conn).unwrap();
        let before = commune_on(&mut conn, "18073", day(2025, 5, 1)).unwrap().unwrap();
        let after = commune_on(&mut conn, "18073", day(2025, 8, 1)).unwrap().unwrap();
        assert_eq!(before.0, "Nam Hà");
        assert_eq!(after.0, "Thành Sen");
        assert_eq!(commune_on(&mut conn, "99999", day(2025, 8, 1)).unwrap(), None);
    }
}

on_both_backends! {
    fn a_split_commune_has_each_successor_marked_partial(db: TestDb) {
        let mut conn = db.migrated();
        import_ha_tinh(&mut conn).unwrap();
        let successors = successors_of(&mut conn, "18082").unwrap();
        assert_eq!(successors.len(), 2);
        assert!(successors.iter().all(|(_, share)| share == "partial"));
        assert_eq!(successors_of(&mut conn, "18077").unwrap(), [("18073".to_string(), "full".to_string())]);
    }
}

on_both_backends! {
    fn importing_the_same_lists_twice_changes_nothing(db: TestDb) {
        let mut conn = db.migrated();
        import_ha_tinh(&mut conn).unwrap();
        let again = import_ha_tinh(&mut conn).unwrap();
        for (file, report) in again {
            assert_eq!((report.added, report.updated), (0, 0), "{file}");
            assert!(report.unchanged > 0, "{file}");
        }
    }
}

on_both_backends! {
    fn a_changed_name_is_updated_in_place(db: TestDb) {
        let mut conn = db.migrated();
        import(&mut conn, "code,name,kind\n42,Hà Tĩnh,province\n".as_bytes(), &options()).unwrap();
        let report = import(&mut conn, "code,name,kind\n42,Tỉnh Hà Tĩnh,province\n".as_bytes(), &options()).unwrap();
        assert_eq!(report, ImportReport { added: 0, updated: 1, unchanged: 0 });
    }
}

on_both_backends! {
    fn a_row_naming_an_unknown_parent_fails_the_whole_file(db: TestDb) {
        let mut conn = db.migrated();
        let text = "code,name,kind,parent_code\n42,Hà Tĩnh,province,\n18073,Thành Sen,phuong,42\n18100,Trần Phú,phuong,43\n";
        let err = import(&mut conn, text.as_bytes(), &options()).unwrap_err();
        let ImportError::List(err) = err else { panic!("{err}") };
        assert_eq!(err.line, 4);
        assert!(err.reason.contains("43"), "{err}");
        assert!(count_in_force(&mut conn, day(2025, 8, 1)).unwrap().is_empty(), "nothing of the file was kept");
    }
}

fn reference(file: &str) -> String {
    format!("{}/reference/ha-tinh/{file}", env!("CARGO_MANIFEST_DIR"))
}

fn cli(db: &crate::support::db::TestDb, args: &[&str]) -> (bool, String, String) {
    let mut cmd = binhan();
    cmd.env("BINHAN_DATABASE_URL", &db.url_text).args(args);
    let out = run_within(cmd, Duration::from_secs(60));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

on_both_backends! {
    fn the_units_import_command_loads_the_lists_once(db: TestDb) {
        let (ok, out, err) = cli(&db, &["migrate"]);
        assert!(ok, "{err}");
        assert!(out.contains("Database schema is current"), "{out}");
        for (file, added) in [
            ("hatinh_province.csv", 1),
            ("hatinh_units_pre2025.csv", 221),
            ("hatinh_communes_2025.csv", 69),
            ("hatinh_merge_2025.csv", 212),
        ] {
            let (ok, out, err) = cli(&db, &["units", "import", &reference(file)]);
            assert!(ok, "{err}");
            assert!(out.contains(&format!(": {added} added, 0 updated, 0 unchanged")), "{out}");
        }
        let (ok, out, _) = cli(&db, &["units", "import", &reference("hatinh_communes_2025.csv")]);
        assert!(ok);
        assert!(out.contains(": 0 added, 0 updated, 69 unchanged"), "{out}");
    }
}

on_both_backends! {
    fn the_units_import_command_refuses_a_broken_file_and_names_the_line(db: TestDb) {
        assert!(cli(&db, &["migrate"]).0);
        let broken = db.dir.path().join("broken.csv");
        std::fs::write(&broken, "code,name,kind\n42,Hà Tĩnh,province\n18073,Thành Sen,phuong\n18100,Trần Phú,phường\n").unwrap();
        let (ok, out, err) = cli(&db, &["units", "import", broken.to_str().unwrap()]);
        assert!(!ok);
        assert!(out.is_empty(), "{out}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("line 4: kind \"phường\" is not one of"), "{err}");
        assert!(err.contains("nothing was imported"), "{err}");
        let (_, out, _) = cli(&db, &["units", "import", &reference("hatinh_province.csv")]);
        assert!(out.contains(": 1 added"), "the broken file left nothing behind: {out}");
    }
}

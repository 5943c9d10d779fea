//! The CSV reader behind `binhan units import`: any file is a unit list, a merger
//! mapping or an error with its line, never a panic. The first byte picks the
//! options a command line could give.
#![no_main]

use binhan::domain::admin_units::{ListOptions, UnitCode, parse_unit_list};
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (options, csv) = match data.split_first() {
        Some((&flags, rest)) => (flags, rest),
        None => (0, data),
    };
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let options = ListOptions {
        province: UnitCode::parse(if options & 1 == 0 { "42" } else { "01" }).expect("a province code"),
        valid_from: if options & 2 == 0 { None } else { day(2025, 7, 1) },
        valid_to: if options & 4 == 0 { None } else { day(2025, 6, 30) },
        effective: if options & 8 == 0 { None } else { day(2025, 7, 1) },
    };
    let _ = parse_unit_list(csv, &options);
});

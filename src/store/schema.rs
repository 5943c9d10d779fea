//! The tables, written once for both backends. A test selects every column of
//! every table on SQLite and PostgreSQL, so drift from the migrations fails CI.

diesel::table! {
    admin_units (id) {
        id -> Integer,
        code -> Text,
        name -> Text,
        kind -> Text,
        parent_code -> Nullable<Text>,
        valid_from -> Nullable<Date>,
        valid_to -> Nullable<Date>,
    }
}

diesel::table! {
    admin_unit_successions (old_code, new_code, effective) {
        old_code -> Text,
        new_code -> Text,
        effective -> Date,
        share -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(admin_units, admin_unit_successions);

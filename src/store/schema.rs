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

diesel::table! {
    key_canaries (kek_id) {
        kek_id -> BigInt,
        canary -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    data_keys (owner_kind, owner_id) {
        owner_kind -> Text,
        owner_id -> Text,
        kek_id -> Nullable<BigInt>,
        wrapped -> Nullable<Binary>,
        created_at -> Timestamp,
        shredded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    cases (id) {
        id -> Text,
        case_number -> Text,
        commune_code -> Text,
        status -> Text,
        reported_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        assigned_to -> Nullable<Text>,
        report_source -> Text,
        report_channel -> Text,
        immediate_danger -> Bool,
        risk_level -> Nullable<Text>,
        closure_reason -> Nullable<Text>,
        first_action_at -> Nullable<Timestamp>,
        plan_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        next_due_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::store::sealed::Sealed;

    survivors (case_id) {
        case_id -> Text,
        full_name -> Sealed,
        other_names -> Nullable<Sealed>,
        birth_date -> Nullable<Sealed>,
        phone -> Nullable<Sealed>,
        address -> Nullable<Sealed>,
        id_number -> Nullable<Sealed>,
        guardian_name -> Nullable<Sealed>,
        guardian_phone -> Nullable<Sealed>,
        name_index -> Nullable<Binary>,
        phone_index -> Nullable<Binary>,
        id_number_index -> Nullable<Binary>,
        sex -> Text,
        age_group -> Text,
        is_child -> Bool,
        has_disability -> Bool,
        safe_contact -> Nullable<Sealed>,
        name_year_index -> Nullable<Binary>,
    }
}

diesel::joinable!(survivors -> cases (case_id));

diesel::table! {
    case_counters (scope) {
        scope -> Text,
        last_number -> Integer,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::store::sealed::Sealed;

    users (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        role -> Text,
        safe_house_id -> Nullable<Text>,
        password_hash -> Text,
        password_changed_at -> Timestamp,
        totp_secret -> Nullable<Sealed>,
        totp_last_step -> Nullable<BigInt>,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        must_change_password -> Bool,
    }
}

diesel::table! {
    user_communes (user_id, commune_code) {
        user_id -> Text,
        commune_code -> Text,
    }
}

diesel::table! {
    recovery_codes (user_id, code_hash) {
        user_id -> Text,
        code_hash -> Binary,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Binary,
        user_id -> Text,
        csrf_token -> Text,
        stage -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        locked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    account_changes (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        role -> Nullable<Text>,
        communes -> Nullable<Text>,
        safe_house_id -> Nullable<Text>,
        requested_by -> Text,
        requested_at -> Timestamp,
        status -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    enrolment_codes (user_id) {
        user_id -> Text,
        code_hash -> Binary,
        issued_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::joinable!(account_changes -> users (user_id));
diesel::joinable!(enrolment_codes -> users (user_id));

diesel::joinable!(user_communes -> users (user_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(sessions -> users (user_id));

diesel::table! {
    audit_events (seq) {
        seq -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        actor_role -> Nullable<Text>,
        action -> Text,
        resource_type -> Nullable<Text>,
        resource_id -> Nullable<Text>,
        outcome -> Text,
        request_id -> Nullable<Text>,
        reason -> Nullable<Text>,
        prev_hash -> Binary,
        hash -> Binary,
        client_addr -> Nullable<Text>,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Binary,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::store::sealed::Sealed;

    incidents (case_id) {
        case_id -> Text,
        occurred_on -> Nullable<Date>,
        gbv_type -> Nullable<Text>,
        gbv_context -> Nullable<Text>,
        narrative -> Nullable<Sealed>,
        place -> Nullable<Sealed>,
    }
}

diesel::table! {
    incident_codes (case_id, list, code) {
        case_id -> Text,
        list -> Text,
        code -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::store::sealed::Sealed;

    perpetrators (case_id) {
        case_id -> Text,
        full_name -> Nullable<Sealed>,
        sex -> Text,
        relationship -> Text,
        commune_code -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::store::sealed::Sealed;

    case_transitions (id) {
        id -> Text,
        case_id -> Text,
        from_status -> Text,
        to_status -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        reason -> Nullable<Text>,
        comment -> Nullable<Sealed>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::store::sealed::Sealed;

    risk_assessments (id) {
        id -> Text,
        case_id -> Text,
        level -> Text,
        factors -> Nullable<Sealed>,
        assessed_by -> Nullable<Text>,
        assessed_at -> Timestamp,
        note -> Nullable<Sealed>,
    }
}

diesel::table! {
    consents (id) {
        id -> Text,
        case_id -> Text,
        purpose -> Text,
        given_by -> Text,
        given_at -> Timestamp,
        recorded_by -> Nullable<Text>,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawn_by -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::store::sealed::Sealed;

    protection_measures (id) {
        id -> Text,
        case_id -> Text,
        measure_type -> Text,
        ordered_by -> Nullable<Text>,
        starts_at -> Timestamp,
        ends_at -> Nullable<Timestamp>,
        details -> Nullable<Sealed>,
        recorded_by -> Nullable<Text>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    service_providers (id) {
        id -> Text,
        name -> Text,
        service_type -> Text,
        commune_code -> Nullable<Text>,
        active -> Bool,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::store::sealed::Sealed;

    approvals (id) {
        id -> Text,
        case_id -> Text,
        kind -> Text,
        status -> Text,
        purpose -> Nullable<Text>,
        closure_reason -> Nullable<Text>,
        reason -> Nullable<Sealed>,
        requested_by -> Nullable<Text>,
        requested_at -> Timestamp,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        comment -> Nullable<Sealed>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::store::sealed::Sealed;

    referrals (id) {
        id -> Text,
        case_id -> Text,
        provider_id -> Text,
        service_type -> Text,
        status -> Text,
        override_id -> Nullable<Text>,
        note -> Nullable<Sealed>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::store::sealed::Sealed;

    case_notes (id) {
        id -> Text,
        case_id -> Text,
        kind -> Text,
        body -> Sealed,
        due_at -> Nullable<Timestamp>,
        done_at -> Nullable<Timestamp>,
        author_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::store::sealed::Sealed;

    stay_notes (id) {
        id -> Text,
        placement_id -> Text,
        author_id -> Nullable<Text>,
        body -> Sealed,
        created_at -> Timestamp,
    }
}

diesel::joinable!(referrals -> service_providers (provider_id));
diesel::joinable!(approvals -> cases (case_id));

diesel::table! {
    use diesel::sql_types::*;
    use crate::store::sealed::Sealed;

    safe_houses (id) {
        id -> Text,
        name -> Text,
        commune_code -> Text,
        kind -> Text,
        capacity -> Integer,
        accepts_children -> Bool,
        accessible -> Bool,
        active -> Bool,
        address -> Nullable<Sealed>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        phone -> Nullable<Sealed>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::store::sealed::Sealed;

    placements (id) {
        id -> Text,
        case_id -> Text,
        safe_house_id -> Text,
        status -> Text,
        beds -> Integer,
        children -> Text,
        alias -> Nullable<Sealed>,
        needs -> Nullable<Sealed>,
        near_perpetrator_reason -> Nullable<Sealed>,
        override_id -> Nullable<Text>,
        expected_end_on -> Nullable<Date>,
        requested_by -> Nullable<Text>,
        requested_at -> Timestamp,
        hold_expires_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decline_reason -> Nullable<Text>,
        checked_in_at -> Nullable<Timestamp>,
        checked_out_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        cancelled_at -> Nullable<Timestamp>,
        version -> Integer,
    }
}

diesel::joinable!(placements -> safe_houses (safe_house_id));
diesel::joinable!(placements -> cases (case_id));

diesel::table! {
    stat_tallies (month, dimension, commune_code, row_key, col_key) {
        month -> Integer,
        commune_code -> Text,
        dimension -> Text,
        row_key -> Text,
        col_key -> Text,
        cases -> Integer,
    }
}

diesel::table! {
    possible_duplicates (id) {
        id -> Text,
        new_case_id -> Text,
        existing_case_id -> Text,
        reasons -> Text,
        status -> Text,
        created_at -> Timestamp,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    case_links (id) {
        id -> Text,
        case_id -> Text,
        other_id -> Text,
        duplicate_id -> Nullable<Text>,
        linked_by -> Nullable<Text>,
        linked_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    admin_units,
    admin_unit_successions,
    key_canaries,
    data_keys,
    cases,
    survivors,
    case_counters,
    users,
    account_changes,
    enrolment_codes,
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
);

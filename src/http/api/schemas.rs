//! The schemas of fields that take a code of a closed list: a string that is one
//! of the list's codes, read from the list itself, so the OpenAPI document names
//! every code the service accepts and a client (or a fuzzer) knows what else is
//! refused. Used with `#[schema(schema_with = …)]` on request bodies.

use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
use utoipa::openapi::{Array, Object};

use crate::domain::age::AgeGroup;
use crate::domain::lifecycle::CaseStatus;
use crate::domain::referral::ReferralStatus;
use crate::domain::risk::RiskFactor;
use crate::domain::vocabulary::{
    CheckOutOutcome, ClosureReason, ConsentGiver, ConsentPurpose, DeclineReason, MeasureType, NoteKind,
    OrderedBy, SafeHouseKind,
};

/// A string, one of `codes`; with `nullable`, null too (the field may be left out).
fn one_of(codes: impl Iterator<Item = &'static str>, nullable: bool) -> Object {
    let codes: Vec<serde_json::Value> = codes.map(serde_json::Value::from).collect();
    if nullable {
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .enum_values(Some(codes.into_iter().chain([serde_json::Value::Null])))
            .build()
    } else {
        ObjectBuilder::new().schema_type(Type::String).enum_values(Some(codes)).build()
    }
}

/// Declares each schema function: a code of the list (`one`), a code or null
/// (`maybe`), a list of codes (`many`).
macro_rules! closed_lists {
    ($($name:ident: $shape:ident $list:ty;)+) => {
        $(closed_lists!(@ $shape $name $list);)+
    };
    (@ one $name:ident $list:ty) => {
        pub fn $name() -> Object {
            one_of(<$list>::ALL.iter().map(|c| c.as_str()), false)
        }
    };
    (@ maybe $name:ident $list:ty) => {
        pub fn $name() -> Object {
            one_of(<$list>::ALL.iter().map(|c| c.as_str()), true)
        }
    };
    (@ many $name:ident $list:ty) => {
        pub fn $name() -> Array {
            ArrayBuilder::new().items(one_of(<$list>::ALL.iter().map(|c| c.as_str()), false)).build()
        }
    };
}

/// A note's kind: note or follow_up; empty, as left out, is a note.
pub fn note_kind_or_empty() -> Object {
    one_of(NoteKind::ALL.iter().map(|c| c.as_str()).chain([""]), false)
}

/// How a supervisor reconciles a possible duplicate: link or dismiss.
pub fn reconcile_decision() -> Object {
    one_of(["link", "dismiss"].into_iter(), false)
}

/// Why two cases may be one survivor's: name_birth, phone, id_number.
pub fn match_reasons() -> Array {
    use crate::services::cases::duplicates::MatchReason;
    ArrayBuilder::new().items(one_of(MatchReason::ALL.iter().map(|r| r.as_str()), false)).build()
}

closed_lists! {
    age_groups: many AgeGroup;
    case_status: one CaseStatus;
    maybe_check_out_outcome: maybe CheckOutOutcome;
    closure_reason: one ClosureReason;
    maybe_closure_reason: maybe ClosureReason;
    consent_giver: one ConsentGiver;
    consent_purpose: one ConsentPurpose;
    maybe_decline_reason: maybe DeclineReason;
    measure_type: one MeasureType;
    maybe_ordered_by: maybe OrderedBy;
    referral_status: one ReferralStatus;
    risk_factors: many RiskFactor;
    safe_house_kind: one SafeHouseKind;
}

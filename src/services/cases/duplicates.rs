//! Possible duplicates across scopes (issue 17). The duplicate check answers only
//! about cases the caller may see; a case recorded by someone who may not see an
//! older case of the same survivor becomes, in the intake's own transaction, an
//! item for a supervisor whose scope covers both: the two cases and why they
//! match (reason codes), never what matched. The supervisor links the two cases
//! (each case page then shows the other to whoever may see it) or dismisses the
//! item; each decision is audited in its transaction, with ids only.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::Connection;
use uuid::Uuid;

use super::SurvivorIdentity;
use super::access::{Caller, CaseError};
use super::listing::CaseSummary;
use crate::audit::{Event, Outcome};
use crate::authz::{Action, CaseFacts, Resource};
use crate::services::keys::Keys;
use crate::store::DbConn;
use crate::store::cases::IndexColumn;
use crate::store::duplicates::{self as store, CaseLinkRow, PossibleDuplicateRow};

/// Why two cases may be the same survivor's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchReason {
    /// The same name (however written) and birth year.
    NameBirth,
    Phone,
    IdNumber,
}

impl MatchReason {
    pub const ALL: [MatchReason; 3] = [MatchReason::NameBirth, MatchReason::Phone, MatchReason::IdNumber];

    pub fn as_str(self) -> &'static str {
        match self {
            MatchReason::NameBirth => "name_birth",
            MatchReason::Phone => "phone",
            MatchReason::IdNumber => "id_number",
        }
    }

    pub fn parse(code: &str) -> Option<MatchReason> {
        MatchReason::ALL.into_iter().find(|r| r.as_str() == code)
    }
}

/// Who a survivor is, as far as matching goes: the birth date as ISO text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Probe<'a> {
    pub full_name: &'a str,
    pub birth_date: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub id_number: Option<&'a str>,
}

/// Every case whose survivor matches, by the blind indexes, with the reasons.
/// The same three queries run whatever they find.
pub fn matching(
    conn: &mut DbConn,
    keys: &Keys,
    probe: &Probe<'_>,
) -> Result<BTreeMap<String, Vec<MatchReason>>, CaseError> {
    let indexer = keys.indexer();
    let mut found: BTreeMap<String, Vec<MatchReason>> = BTreeMap::new();
    let mut add = |ids: Vec<String>, reason: MatchReason| {
        for id in ids {
            let reasons = found.entry(id).or_default();
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
    };
    if let Some(index) =
        probe.birth_date.and_then(|birth| super::name_year_index(keys, probe.full_name, birth))
    {
        add(crate::store::case_work::find_by_name_year(conn, &index)?, MatchReason::NameBirth);
    }
    let phone = probe.phone.filter(|p| !p.trim().is_empty());
    if let Some(index) = phone.and_then(|p| indexer.index_phone("survivors", "phone_index", p)) {
        add(
            crate::store::cases::find_by_index(conn, IndexColumn::Phone, index.as_bytes())?,
            MatchReason::Phone,
        );
    }
    let id_number = probe.id_number.filter(|i| !i.trim().is_empty());
    if let Some(index) = id_number.and_then(|i| indexer.index_id_number("survivors", "id_number_index", i)) {
        add(
            crate::store::cases::find_by_index(conn, IndexColumn::IdNumber, index.as_bytes())?,
            MatchReason::IdNumber,
        );
    }
    for reasons in found.values_mut() {
        reasons.sort();
    }
    Ok(found)
}

/// At intake, in its transaction: each older case matching the new one that the
/// person recording it may not see becomes an open item for a supervisor. Nothing
/// of it shows in her answer. Its audit event is on the item, not on the case,
/// so the new case's own history does not hint at it either.
pub(super) fn flag_at_intake(
    conn: &mut DbConn,
    caller: &Caller,
    new_case_id: &str,
    who: &SurvivorIdentity<String>,
) -> Result<(), CaseError> {
    let probe = Probe {
        full_name: &who.full_name,
        birth_date: who.birth_date.as_deref(),
        phone: who.phone.as_deref(),
        id_number: who.id_number.as_deref(),
    };
    let mut found = matching(conn, &caller.keys, &probe)?;
    found.remove(new_case_id);
    let ids: Vec<String> = found.keys().cloned().collect();
    for (case, profile) in crate::store::case_work::cases_with_profiles(conn, &ids)? {
        if caller.may(Action::CaseRead, &case, &profile) {
            continue;
        }
        let id = Uuid::now_v7();
        let reasons = found.get(&case.id).map(|r| codes(r)).unwrap_or_default();
        store::insert(
            conn,
            &PossibleDuplicateRow {
                id: id.to_string(),
                new_case_id: new_case_id.to_string(),
                existing_case_id: case.id.clone(),
                reasons,
                status: "open".into(),
                created_at: caller.now_naive(),
                decided_by: None,
                decided_at: None,
            },
        )?;
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, "case.duplicate_flag", Outcome::Success, caller.now_naive())
                .on("possible_duplicate", id),
        )?;
    }
    Ok(())
}

fn codes(reasons: &[MatchReason]) -> String {
    reasons.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
}

/// One of the two cases of an item: ids and codes only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSide {
    pub id: String,
    pub case_number: String,
    pub commune_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PossibleDuplicate {
    pub id: String,
    /// The case recorded last, by someone who could not see the other.
    pub new_case: CaseSide,
    pub existing_case: CaseSide,
    pub reasons: Vec<MatchReason>,
    pub created_at: DateTime<Utc>,
}

/// How a supervisor reconciles an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reconcile {
    /// The same survivor: the two cases are linked.
    Link,
    /// Not the same survivor: the item is closed, nothing else changes.
    Dismiss,
}

impl Reconcile {
    pub fn parse(text: &str) -> Option<Reconcile> {
        match text {
            "link" => Some(Reconcile::Link),
            "dismiss" => Some(Reconcile::Dismiss),
            _ => None,
        }
    }

    fn status(self) -> &'static str {
        match self {
            Reconcile::Link => "linked",
            Reconcile::Dismiss => "dismissed",
        }
    }

    fn action(self) -> &'static str {
        match self {
            Reconcile::Link => "case.duplicate_link",
            Reconcile::Dismiss => "case.duplicate_dismiss",
        }
    }
}

/// May the caller reconcile duplicates at all (a case of the province as it
/// would be)? Everyone else is told there is nothing here.
fn may_reconcile_any(caller: &Caller) -> bool {
    let resource = Resource::Case(CaseFacts {
        id: String::new(),
        commune: String::new(),
        province: caller.principal.province.clone(),
        assigned_to: None,
        child: false,
        status: "intake".into(),
    });
    caller.policies.is_allowed(&caller.principal, Action::CaseReconcileDuplicate, &resource)
}

/// The items of `rows` whose two cases the caller may reconcile.
fn visible_items(
    conn: &mut DbConn,
    caller: &Caller,
    rows: Vec<PossibleDuplicateRow>,
) -> Result<Vec<PossibleDuplicate>, CaseError> {
    let mut ids: Vec<String> =
        rows.iter().flat_map(|r| [r.new_case_id.clone(), r.existing_case_id.clone()]).collect();
    ids.sort();
    ids.dedup();
    let sides: BTreeMap<String, CaseSide> = crate::store::case_work::cases_with_profiles(conn, &ids)?
        .into_iter()
        .filter(|(case, profile)| caller.may(Action::CaseReconcileDuplicate, case, profile))
        .map(|(case, _)| {
            let side = CaseSide {
                id: case.id.clone(),
                case_number: case.case_number.clone(),
                commune_code: case.commune_code.clone(),
            };
            (case.id, side)
        })
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(PossibleDuplicate {
                new_case: sides.get(&row.new_case_id)?.clone(),
                existing_case: sides.get(&row.existing_case_id)?.clone(),
                reasons: row.reasons.split(',').filter_map(MatchReason::parse).collect(),
                created_at: row.created_at.and_utc(),
                id: row.id,
            })
        })
        .collect())
}

/// The open items the caller may reconcile, oldest first. For anyone who may
/// reconcile nothing, the list is not found (and the refusal audited).
pub fn open_items(conn: &mut DbConn, caller: &Caller) -> Result<Vec<PossibleDuplicate>, CaseError> {
    if !may_reconcile_any(caller) {
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, "case.duplicate_list", Outcome::Denied, caller.now_naive())
                .because("not_found"),
        )?;
        return Err(CaseError::NotFound);
    }
    let rows = store::open_items(conn)?;
    visible_items(conn, caller, rows)
}

/// Links the two cases of an item, or dismisses it: the item is decided once, in
/// one transaction with its audit event. An item the caller may not reconcile
/// (either case outside her scope) is not found, whatever the decision asked
/// (`None`: neither link nor dismiss, refused once the item is found).
pub fn reconcile(
    conn: &mut DbConn,
    caller: &Caller,
    item_id: Uuid,
    decision: Option<Reconcile>,
) -> Result<Reconcile, CaseError> {
    let result = conn.transaction(|conn| {
        if !may_reconcile_any(caller) {
            return Err(CaseError::NotFound);
        }
        let row = store::item(conn, &item_id.to_string())?.ok_or(CaseError::NotFound)?;
        let item = visible_items(conn, caller, vec![row.clone()])?.pop().ok_or(CaseError::NotFound)?;
        let Some(decision) = decision else {
            return Err(CaseError::invalid("decision", "is link or dismiss"));
        };
        let now = caller.now_naive();
        let by = caller.user_id();
        if !store::decide(conn, &item.id, decision.status(), by.as_deref(), now)? {
            return Err(CaseError::AlreadyDecided);
        }
        if decision == Reconcile::Link {
            store::insert_link(
                conn,
                &CaseLinkRow {
                    id: Uuid::now_v7().to_string(),
                    case_id: row.new_case_id.clone(),
                    other_id: row.existing_case_id.clone(),
                    duplicate_id: Some(row.id.clone()),
                    linked_by: by,
                    linked_at: now,
                },
            )?;
        }
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, decision.action(), Outcome::Success, now)
                .on("possible_duplicate", item_id),
        )?;
        Ok(decision)
    });
    match result {
        Err(CaseError::NotFound) => Err(super::access::not_found(
            conn,
            caller,
            Action::CaseReconcileDuplicate,
            "possible_duplicate",
            item_id,
        )),
        other => other,
    }
}

/// The cases linked to this one that the caller may read ("Hồ sơ liên quan").
/// For a case the caller may not read, nothing.
pub fn related(conn: &mut DbConn, caller: &Caller, case_id: &str) -> Result<Vec<CaseSummary>, CaseError> {
    let Some((case, profile)) = crate::store::case_work::case_with_profile(conn, case_id)? else {
        return Ok(Vec::new());
    };
    if !caller.may(Action::CaseRead, &case, &profile) {
        return Ok(Vec::new());
    }
    let ids = store::linked_to(conn, case_id)?;
    super::listing::summaries(conn, caller, &ids)
}

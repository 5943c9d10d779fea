//! Registering and keeping safe houses (administrators): the street address and
//! the telephone number sealed under the house's own data key, everything else
//! plain. An edit is made from the version the administrator read; a house with
//! open placements is not deactivated.

use diesel::Connection;
use uuid::Uuid;

use crate::audit::{Event, Outcome};
use crate::authz::{Action, Resource, SafeHouseFacts};
use crate::crypto::{FieldRef, KeyOwner, OwnerKind};
use crate::domain::intake::{FieldProblem, MAX_PLACE_CHARS, check_text, is_commune_code, is_phone_number};
use crate::domain::vocabulary::{Code, SafeHouseKind};
use crate::services::cases::access::{Caller, CaseError};
use crate::services::sealing::{OwnerKey, Revealed};
use crate::store::DbConn;
use crate::store::placements::{self as store, HouseChanges, HouseRow};

#[derive(Debug, Clone, Default)]
pub struct NewHouse {
    pub name: String,
    pub commune_code: String,
    pub kind: String,
    pub capacity: i32,
    pub accepts_children: bool,
    pub accessible: bool,
    /// Sealed. On an edit, empty keeps what is registered.
    pub address: String,
    /// Sealed. On an edit, empty keeps what is registered.
    pub phone: String,
}

/// Why an edit or a deactivation of a house was not made.
#[derive(Debug, thiserror::Error)]
pub enum HouseError {
    #[error(transparent)]
    Case(#[from] CaseError),
    /// Someone saved the house first; nothing was written.
    #[error("the safe house was changed by someone else (now at version {current})")]
    Stale { current: i32 },
    /// Requests, holds or residents wait for the house's answer or check-out.
    #[error("the safe house has {open} open placement(s): answer or end them first")]
    OpenPlacements { open: i64 },
}

impl From<diesel::result::Error> for HouseError {
    fn from(e: diesel::result::Error) -> Self {
        HouseError::Case(e.into())
    }
}

impl From<crate::services::keys::KeysError> for HouseError {
    fn from(e: crate::services::keys::KeysError) -> Self {
        HouseError::Case(e.into())
    }
}

/// Asks the policies whether the caller manages safe houses; a refusal is audited.
fn may_manage(conn: &mut DbConn, caller: &Caller, house: Option<Uuid>) -> Result<(), CaseError> {
    let resource = Resource::SafeHouse(SafeHouseFacts {
        id: house.map(|id| id.to_string()).unwrap_or_default(),
        province: caller.principal.province.clone(),
    });
    if caller.policies.is_allowed(&caller.principal, Action::SafeHouseManage, &resource) {
        return Ok(());
    }
    let mut event =
        Event::new(&caller.actor, Action::SafeHouseManage.as_str(), Outcome::Denied, caller.now_naive())
            .because("forbidden");
    if let Some(id) = house {
        event = event.on("safe_house", id);
    }
    crate::store::audit::append(conn, &event)?;
    Err(CaseError::Forbidden)
}

/// Checks a house's fields; gives its kind.
fn check_house(conn: &mut DbConn, caller: &Caller, house: &NewHouse) -> Result<SafeHouseKind, CaseError> {
    let mut problems: Vec<FieldProblem> = Vec::new();
    problems.extend(check_text("name", &house.name, 120, true, false).err());
    problems.extend(check_text("address", &house.address, MAX_PLACE_CHARS, false, false).err());
    if !house.phone.trim().is_empty() && !is_phone_number(&house.phone) {
        problems.push(FieldProblem {
            field: "phone",
            message: "is not a phone number (digits, spaces, + - . ( ) only)".into(),
        });
    }
    if !is_commune_code(house.commune_code.trim()) {
        problems
            .push(FieldProblem { field: "commune_code", message: "must be a 5-digit commune code".into() });
    }
    let kind = SafeHouseKind::from_code(house.kind.trim());
    if kind.is_none() {
        problems.push(FieldProblem {
            field: "kind",
            message: format!("choose one of: {}", SafeHouseKind::listed()),
        });
    }
    if !(1..=500).contains(&house.capacity) {
        problems.push(FieldProblem { field: "capacity", message: "must be from 1 to 500 beds".into() });
    }
    let Some(kind) = kind.filter(|_| problems.is_empty()) else {
        return Err(CaseError::Invalid(problems));
    };
    let today = caller.now.with_timezone(&crate::domain::deadlines::vietnam()).date_naive();
    if crate::store::admin_units::commune_on(conn, house.commune_code.trim(), today)?.is_none() {
        return Err(CaseError::invalid("commune_code", "is not a commune in force"));
    }
    Ok(kind)
}

/// Seals what was typed in the address and the phone (empty: left as it is).
fn seal_contacts(conn: &mut DbConn, key: &OwnerKey, id: Uuid, house: &NewHouse) -> Result<(), CaseError> {
    let id_text = id.to_string();
    if !house.address.trim().is_empty() {
        let sealed = key.seal(FieldRef::new("safe_houses", "address", id), house.address.trim())?;
        store::set_house_address(conn, &id_text, &sealed)?;
    }
    if !house.phone.trim().is_empty() {
        let sealed = key.seal(FieldRef::new("safe_houses", "phone", id), house.phone.trim())?;
        store::set_house_phone(conn, &id_text, &sealed)?;
    }
    Ok(())
}

/// Registers a house; `id` may be given (the demo's fixed house), else a new one.
pub fn create_house(
    conn: &mut DbConn,
    caller: &Caller,
    house: &NewHouse,
    id: Option<Uuid>,
) -> Result<Uuid, CaseError> {
    may_manage(conn, caller, None)?;
    let kind = check_house(conn, caller, house)?;
    let id = id.unwrap_or_else(Uuid::now_v7);
    let now = caller.now_naive();
    conn.transaction(|conn| {
        let key = OwnerKey::create(conn, &caller.keys, KeyOwner::new(OwnerKind::SafeHouse, id), now)?;
        store::insert_house(
            conn,
            &HouseRow {
                id: id.to_string(),
                name: house.name.trim().into(),
                commune_code: house.commune_code.trim().into(),
                kind: kind.as_str().into(),
                capacity: house.capacity,
                accepts_children: house.accepts_children,
                accessible: house.accessible,
                active: true,
                address: None,
                version: 1,
                created_at: now,
                updated_at: now,
            },
        )?;
        seal_contacts(conn, &key, id, house)?;
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, Action::SafeHouseManage.as_str(), Outcome::Success, now)
                .on("safe_house", id),
        )?;
        Ok(id)
    })
}

/// A registered house as its edit form shows it: never the address or the phone,
/// only whether each is registered.
#[derive(Debug, Clone)]
pub struct HouseForEdit {
    pub house: NewHouse,
    pub active: bool,
    pub version: i32,
    pub has_address: bool,
    pub has_phone: bool,
}

/// A house to edit (administrators); `NotFound` when there is none.
pub fn house_for_edit(conn: &mut DbConn, caller: &Caller, id: Uuid) -> Result<HouseForEdit, CaseError> {
    may_manage(conn, caller, Some(id))?;
    let row = store::house(conn, &id.to_string())?.ok_or(CaseError::NotFound)?;
    let has_phone = store::house_has_phone(conn, &row.id)?;
    Ok(HouseForEdit {
        has_address: row.address.is_some(),
        has_phone,
        active: row.active,
        version: row.version,
        house: NewHouse {
            name: row.name,
            commune_code: row.commune_code,
            kind: row.kind,
            capacity: row.capacity,
            accepts_children: row.accepts_children,
            accessible: row.accessible,
            address: String::new(),
            phone: String::new(),
        },
    })
}

/// Edits a house read at `version`: a later save by someone else is refused
/// (`Stale`), nothing written. The edit and its audit event are one transaction.
pub fn update_house(
    conn: &mut DbConn,
    caller: &Caller,
    id: Uuid,
    version: i32,
    house: &NewHouse,
) -> Result<(), HouseError> {
    may_manage(conn, caller, Some(id))?;
    let kind = check_house(conn, caller, house)?;
    let now = caller.now_naive();
    let id_text = id.to_string();
    conn.transaction(|conn| {
        let current = store::house(conn, &id_text)?.ok_or(CaseError::NotFound)?;
        let changes = HouseChanges {
            name: house.name.trim(),
            commune_code: house.commune_code.trim(),
            kind: kind.as_str(),
            capacity: house.capacity,
            accepts_children: house.accepts_children,
            accessible: house.accessible,
        };
        if !store::update_house(conn, &id_text, version, &changes, now)? {
            return Err(HouseError::Stale { current: current.version });
        }
        if !house.address.trim().is_empty() || !house.phone.trim().is_empty() {
            let key = match OwnerKey::open(conn, &caller.keys, KeyOwner::new(OwnerKind::SafeHouse, id))? {
                Revealed::Value(key) => key,
                Revealed::Erased => return Err(CaseError::NotFound.into()),
            };
            seal_contacts(conn, &key, id, house)?;
        }
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, Action::SafeHouseManage.as_str(), Outcome::Success, now)
                .on("safe_house", id)
                .because("edit"),
        )?;
        Ok(())
    })
}

/// Deactivates a house read at `version`: it takes no new request and no new
/// staff account. Refused while it has open placements (requests to answer,
/// places held, residents): those people would be left with a house nobody
/// manages, so each is answered, cancelled or checked out first.
pub fn deactivate_house(
    conn: &mut DbConn,
    caller: &Caller,
    id: Uuid,
    version: i32,
) -> Result<(), HouseError> {
    may_manage(conn, caller, Some(id))?;
    let now = caller.now_naive();
    let id_text = id.to_string();
    conn.transaction(|conn| {
        // Write first: the house row is held, so no placement starts meanwhile.
        if !store::hold_house(conn, &id_text, now)? {
            return Err(CaseError::NotFound.into());
        }
        let current = store::house(conn, &id_text)?.ok_or(CaseError::NotFound)?;
        if current.version != version {
            return Err(HouseError::Stale { current: current.version });
        }
        let open = store::open_placements_of_house(conn, &id_text)?;
        if open > 0 {
            return Err(HouseError::OpenPlacements { open });
        }
        if !current.active {
            // Already done: nothing changes, so nothing is recorded.
            return Ok(());
        }
        if !store::deactivate_house(conn, &id_text, version, now)? {
            return Err(HouseError::Stale { current: current.version });
        }
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, Action::SafeHouseManage.as_str(), Outcome::Success, now)
                .on("safe_house", id)
                .because("deactivate"),
        )?;
        Ok(())
    })
}

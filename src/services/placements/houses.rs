//! Registering safe houses (administrators): the street address sealed under the
//! house's own data key, everything else plain.

use diesel::Connection;
use uuid::Uuid;

use crate::audit::{Event, Outcome};
use crate::authz::{Action, Resource, SafeHouseFacts};
use crate::crypto::{FieldRef, KeyOwner, OwnerKind};
use crate::domain::intake::{FieldProblem, MAX_PLACE_CHARS, check_text, is_commune_code};
use crate::domain::vocabulary::{Code, SafeHouseKind};
use crate::services::cases::access::{Caller, CaseError};
use crate::services::sealing::OwnerKey;
use crate::store::DbConn;
use crate::store::placements::{self as store, HouseRow};

#[derive(Debug, Clone, Default)]
pub struct NewHouse {
    pub name: String,
    pub commune_code: String,
    pub kind: String,
    pub capacity: i32,
    pub accepts_children: bool,
    pub accessible: bool,
    pub address: String,
}

/// Registers a house; `id` may be given (the demo's fixed house), else a new one.
pub fn create_house(
    conn: &mut DbConn,
    caller: &Caller,
    house: &NewHouse,
    id: Option<Uuid>,
) -> Result<Uuid, CaseError> {
    let resource = Resource::SafeHouse(SafeHouseFacts {
        id: String::new(),
        province: caller.principal.province.clone(),
    });
    if !caller.policies.is_allowed(&caller.principal, Action::SafeHouseManage, &resource) {
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, Action::SafeHouseManage.as_str(), Outcome::Denied, caller.now_naive())
                .because("forbidden"),
        )?;
        return Err(CaseError::Forbidden);
    }
    let mut problems: Vec<FieldProblem> = Vec::new();
    problems.extend(check_text("name", &house.name, 120, true, false).err());
    problems.extend(check_text("address", &house.address, MAX_PLACE_CHARS, false, false).err());
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
    if !problems.is_empty() {
        return Err(CaseError::Invalid(problems));
    }
    let today = caller.now.with_timezone(&crate::domain::deadlines::vietnam()).date_naive();
    if crate::store::admin_units::commune_on(conn, house.commune_code.trim(), today)?.is_none() {
        return Err(CaseError::invalid("commune_code", "is not a commune in force"));
    }
    let id = id.unwrap_or_else(Uuid::now_v7);
    let now = caller.now_naive();
    conn.transaction(|conn| {
        let key = OwnerKey::create(conn, &caller.keys, KeyOwner::new(OwnerKind::SafeHouse, id), now)?;
        let address = match house.address.trim() {
            "" => None,
            text => Some(key.seal(FieldRef::new("safe_houses", "address", id), text)?),
        };
        store::insert_house(
            conn,
            &HouseRow {
                id: id.to_string(),
                name: house.name.trim().into(),
                commune_code: house.commune_code.trim().into(),
                kind: kind.map(SafeHouseKind::as_str).unwrap_or_default().into(),
                capacity: house.capacity,
                accepts_children: house.accepts_children,
                accessible: house.accessible,
                active: true,
                address,
                version: 1,
                created_at: now,
                updated_at: now,
            },
        )?;
        crate::store::audit::append(
            conn,
            &Event::new(&caller.actor, Action::SafeHouseManage.as_str(), Outcome::Success, now)
                .on("safe_house", id),
        )?;
        Ok(id)
    })
}

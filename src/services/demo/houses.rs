//! The demo's safe houses (journeys 1 and 2): Cô Mai's trusted address next to
//! Thành Sen, a community safe house, the provincial social work centre, and a
//! small trusted address that takes no children. Fictional names and addresses.

use uuid::Uuid;

use super::cases::{DemoError, DemoWorld, account};
use crate::audit::Actor;
use crate::authz::Principal;
use crate::services::cases::access::Caller;
use crate::services::placements::houses::{NewHouse, create_house};
use crate::store::DbConn;

/// (fixed id or none, name, commune, kind, beds, takes children, accessible, address)
type DemoHouse =
    (Option<&'static str>, &'static str, &'static str, &'static str, i32, bool, bool, &'static str);

const HOUSES: [DemoHouse; 4] = [
    (
        Some(super::DEMO_SAFE_HOUSE),
        "Địa chỉ tin cậy Trần Phú",
        "18100",
        "trusted_address",
        3,
        true,
        false,
        "Số 7 ngõ 12 đường Hà Huy Tập, phường Trần Phú",
    ),
    (
        None,
        "Nhà tạm lánh cộng đồng Thạch Hà",
        "18562",
        "community_safe_house",
        6,
        true,
        true,
        "Thôn Đông, xã Thạch Hà",
    ),
    (
        None,
        "Trung tâm Công tác xã hội tỉnh Hà Tĩnh",
        "18073",
        "social_protection_centre",
        20,
        true,
        true,
        "Số 2 đường Nguyễn Du, phường Thành Sen",
    ),
    (None, "Địa chỉ tin cậy Cẩm Xuyên", "18673", "trusted_address", 2, false, false, "Xóm 3, xã Cẩm Xuyên"),
];

/// Registers the demo's houses as its administrator.
pub fn create_safe_houses(
    conn: &mut DbConn,
    world: &DemoWorld,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, DemoError> {
    let quantri = account(conn, "quantri")?;
    let admin = Caller {
        principal: Principal::of(&quantri, &world.province),
        actor: Actor::user(quantri.id, quantri.role, Some("cli:demo".into())),
        now,
        policies: world.policies.clone(),
        keys: world.keys.clone(),
        holidays: world.holidays.clone(),
    };
    for (id, name, commune, kind, capacity, children, accessible, address) in HOUSES {
        let house = NewHouse {
            name: name.into(),
            commune_code: commune.into(),
            kind: kind.into(),
            capacity,
            accepts_children: children,
            accessible,
            address: address.into(),
            phone: String::new(),
        };
        let id = id.map(|text| text.parse::<Uuid>().expect("the demo house id is a UUID"));
        create_house(conn, &admin, &house, id).map_err(|source| DemoError::Step {
            case: 0,
            work: "safe house",
            source,
        })?;
    }
    Ok(HOUSES.len())
}

//! Keeping a registered safe house (administrators): an edit of the whole house
//! made from the version read, and deactivation, refused while the house has open
//! placements. Registering one is `POST /safe-houses` (`placements::create_house`).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::cases::record_id;
use crate::error::{AppError, Problem};
use crate::http::caller::caller;
use crate::http::session::SignedIn;
use crate::http::{AppState, blocking};
use crate::services::placements::houses::{self, HouseError, NewHouse};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseEditBody {
    /// The version the edit was made from; a later save by someone else refuses it.
    #[serde(deserialize_with = "super::body::version")]
    version: i32,
    name: String,
    commune_code: String,
    #[schema(schema_with = super::schemas::safe_house_kind)]
    kind: String,
    #[serde(deserialize_with = "super::body::capacity")]
    #[schema(minimum = 1, maximum = 500)]
    capacity: i32,
    #[serde(default)]
    accepts_children: bool,
    #[serde(default)]
    accessible: bool,
    /// A new street address (sealed); empty or absent keeps the registered one.
    #[serde(default)]
    address: String,
    /// A new telephone number (sealed); empty or absent keeps the registered one.
    #[serde(default)]
    phone: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseVersionBody {
    #[serde(deserialize_with = "super::body::version")]
    version: i32,
}

fn refusal(error: HouseError) -> AppError {
    match error {
        HouseError::Case(e) => e.into(),
        HouseError::Stale { current } => AppError::Refused {
            code: "stale_version",
            title: "Nơi tạm lánh vừa được người khác lưu (changed by someone else)",
            detail: format!(
                "Nơi tạm lánh đã được lưu bởi người khác sau khi bạn mở nó: hãy xem lại và lưu lại. \
                 Someone saved this safe house after you read it (now version {current}): review and save again."
            ),
            allowed: Vec::new(),
            current_version: Some(current),
        },
        HouseError::OpenPlacements { open } => AppError::Refused {
            code: "open_placements",
            title: "Nơi tạm lánh còn lượt tạm lánh chưa kết thúc (open placements)",
            detail: format!(
                "Còn {open} lượt tạm lánh chưa kết thúc (đề nghị đang chờ, chỗ đang giữ, người đang ở): \
                 nhân viên nhà tạm lánh cần trả lời hoặc kết thúc trước. {open} open placement(s) \
                 (waiting requests, held places, residents): the house's staff answer or end them first."
            ),
            allowed: Vec::new(),
            current_version: None,
        },
    }
}

/// PATCH /api/v1/safe-houses/{id} — edits a house (administrators).
#[utoipa::path(patch, path = "/api/v1/safe-houses/{id}", tag = "placements", request_body = HouseEditBody,
    params(("id" = String, Path, description = "The safe house")),
    responses((status = 204, description = "Saved"), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Saved by someone else since `version` (`stale_version`, with `current_version`)", body = Problem),
        (status = 422, body = Problem)))]
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<HouseEditBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let b = body.into_inner();
    let house = NewHouse {
        name: b.name,
        commune_code: b.commune_code,
        kind: b.kind,
        capacity: b.capacity,
        accepts_children: b.accepts_children,
        accessible: b.accessible,
        address: b.address,
        phone: b.phone,
    };
    let who = caller(&req, &state, &session.0);
    blocking(&state, move |conn| Ok(houses::update_house(conn, &who, id, b.version, &house)))
        .await?
        .map_err(refusal)?;
    Ok(HttpResponse::NoContent().finish())
}

/// POST /api/v1/safe-houses/{id}/deactivation — the house takes no new request and
/// no new staff account; refused while it has open placements.
#[utoipa::path(post, path = "/api/v1/safe-houses/{id}/deactivation", tag = "placements", request_body = HouseVersionBody,
    params(("id" = String, Path, description = "The safe house")),
    responses((status = 204, description = "Deactivated"), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Open placements (`open_placements`), or saved by someone else since `version` (`stale_version`)", body = Problem)))]
pub async fn deactivate(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<HouseVersionBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let version = body.into_inner().version;
    let who = caller(&req, &state, &session.0);
    blocking(&state, move |conn| Ok(houses::deactivate_house(conn, &who, id, version)))
        .await?
        .map_err(refusal)?;
    Ok(HttpResponse::NoContent().finish())
}

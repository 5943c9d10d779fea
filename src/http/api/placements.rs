//! Safe houses and placements on the JSON API (design §9, §11).

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cases::{record_id, run};
use uuid::Uuid;

use crate::error::{AppError, Problem};
use crate::http::AppState;
use crate::http::caller::caller;
use crate::http::session::SignedIn;
use crate::services::cases::access::{Caller, CaseError};
use crate::services::placements::boards::{self, HouseAvailability, HouseBoard, hold_of};
use crate::services::placements::handling::{self, Stepped};
use crate::services::placements::houses::{self, NewHouse};
use crate::services::placements::request::{self, PlacementRequest};
use crate::services::placements::{Identity, PlacementView};

#[derive(Serialize, ToSchema)]
pub struct HouseJson {
    id: String,
    name: String,
    commune_code: String,
    /// trusted_address, community_safe_house, social_protection_centre
    kind: String,
    capacity: i32,
    free: i32,
    waiting: usize,
    accepts_children: bool,
    accessible: bool,
}

impl From<HouseAvailability> for HouseJson {
    fn from(h: HouseAvailability) -> Self {
        HouseJson {
            id: h.id,
            name: h.name,
            commune_code: h.commune_code,
            kind: h.kind,
            capacity: h.capacity,
            free: h.free,
            waiting: h.waiting,
            accepts_children: h.accepts_children,
            accessible: h.accessible,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Availability {
    houses: Vec<HouseJson>,
}

/// GET /api/v1/safe-houses — free beds by house (never an address).
#[utoipa::path(get, path = "/api/v1/safe-houses", tag = "placements",
    responses((status = 200, body = Availability), (status = 403, body = Problem)))]
pub async fn availability(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
) -> Result<HttpResponse, AppError> {
    let houses = run(&state, caller(&req, &state, &session.0), boards::availability).await?;
    Ok(HttpResponse::Ok().json(Availability { houses: houses.into_iter().map(HouseJson::from).collect() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseBody {
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
    /// The street address (sealed; shown to the house's staff and supervisors).
    #[serde(default)]
    address: String,
    /// The house's telephone number (sealed).
    #[serde(default)]
    phone: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedHouse {
    id: String,
}

/// POST /api/v1/safe-houses — registers a safe house (administrators).
#[utoipa::path(post, path = "/api/v1/safe-houses", tag = "placements", request_body = HouseBody,
    responses((status = 201, body = CreatedHouse), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_house(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    body: web::Json<HouseBody>,
) -> Result<HttpResponse, AppError> {
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
    let id = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        houses::create_house(conn, who, &house, None)
    })
    .await?;
    Ok(HttpResponse::Created().json(CreatedHouse { id: id.to_string() }))
}

#[derive(Serialize, ToSchema)]
pub struct IdentityJson {
    full_name: String,
    phone: Option<String>,
}

/// A placement, as the reader may see it: staff of the house see the minimum,
/// and the name and phone only from acceptance until check-out.
#[derive(Serialize, ToSchema)]
pub struct PlacementJson {
    id: String,
    safe_house_id: String,
    safe_house_name: String,
    /// As of now: requested, accepted, hold_expired (accepted, but the hold ran
    /// out before check-in: the beds are free again and she cannot be checked in
    /// until the house accepts again), declined, checked_in, checked_out, cancelled
    status: &'static str,
    beds: i32,
    /// Age groups of the children who come with her.
    children: Vec<String>,
    alias: Option<String>,
    needs: Option<String>,
    sex: String,
    age_group: String,
    risk_level: Option<String>,
    expected_end_on: Option<NaiveDate>,
    requested_at: DateTime<Utc>,
    hold_expires_at: Option<DateTime<Utc>>,
    checked_in_at: Option<DateTime<Utc>>,
    checked_out_at: Option<DateTime<Utc>>,
    decline_reason: Option<String>,
    outcome: Option<String>,
    /// A stay past its expected end.
    overdue: bool,
    version: i32,
    identity: Option<IdentityJson>,
    /// The house's street address (the case's worker, once the house accepted).
    address: Option<String>,
    /// Notes during the stay, oldest first: for the case's worker and
    /// supervisors, and for the house's staff while she stays; else empty.
    notes: Vec<StayNoteJson>,
}

#[derive(Serialize, ToSchema)]
pub struct StayNoteJson {
    id: String,
    /// The display name of who wrote it.
    author: Option<String>,
    created_at: DateTime<Utc>,
    text: String,
}

impl From<PlacementView> for PlacementJson {
    fn from(p: PlacementView) -> Self {
        PlacementJson {
            id: p.id,
            safe_house_id: p.safe_house_id,
            safe_house_name: p.safe_house_name,
            status: p.status.as_str(),
            beds: p.beds,
            children: p.children,
            alias: p.alias,
            needs: p.needs,
            sex: p.sex,
            age_group: p.age_group,
            risk_level: p.risk_level,
            expected_end_on: p.expected_end_on,
            requested_at: p.requested_at,
            hold_expires_at: p.hold_expires_at,
            checked_in_at: p.checked_in_at,
            checked_out_at: p.checked_out_at,
            decline_reason: p.decline_reason,
            outcome: p.outcome,
            overdue: p.overdue,
            version: p.version,
            identity: p.identity.map(|Identity { full_name, phone }| IdentityJson { full_name, phone }),
            address: p.address,
            notes: p
                .notes
                .into_iter()
                .map(|n| StayNoteJson { id: n.id, author: n.author, created_at: n.created_at, text: n.text })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BoardJson {
    house: HouseJson,
    address: Option<String>,
    placements: Vec<PlacementJson>,
}

impl From<HouseBoard> for BoardJson {
    fn from(b: HouseBoard) -> Self {
        BoardJson {
            house: b.house.into(),
            address: b.address,
            placements: b.placements.into_iter().map(PlacementJson::from).collect(),
        }
    }
}

/// GET /api/v1/placements — the board of the caller's own safe house (staff).
#[utoipa::path(get, path = "/api/v1/placements", tag = "placements",
    responses((status = 200, body = BoardJson), (status = 403, body = Problem)))]
pub async fn own_board(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
) -> Result<HttpResponse, AppError> {
    let board = run(&state, caller(&req, &state, &session.0), boards::own_board).await?;
    Ok(HttpResponse::Ok().json(BoardJson::from(board)))
}

/// GET /api/v1/safe-houses/{id}/board — a house's board (its staff, supervisors).
#[utoipa::path(get, path = "/api/v1/safe-houses/{id}/board", tag = "placements", params(("id" = String, Path)),
    responses((status = 200, body = BoardJson), (status = 404, body = Problem)))]
pub async fn board(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let house = record_id(&id)?.to_string();
    let board = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        boards::house_board(conn, who, &house)
    })
    .await?;
    Ok(HttpResponse::Ok().json(BoardJson::from(board)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlacementBody {
    safe_house_id: String,
    /// What the house will call her: never her name.
    alias: String,
    /// Age groups of the children who come with her (one bed each).
    #[serde(default)]
    #[schema(schema_with = super::schemas::age_groups)]
    children: Vec<String>,
    needs: Option<String>,
    expected_end_on: Option<NaiveDate>,
    /// Required when the house is in the commune where the perpetrator lives.
    near_perpetrator_reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedPlacement {
    id: String,
}

/// POST /api/v1/cases/{id}/placements — asks a safe house for beds. A case holds
/// one open placement at a time: a second request answers 409 `placement_open`
/// with the open one's `placement_id` and `placement_status`; to move her, the
/// house checks her out with the outcome `transferred`, then ask again.
#[utoipa::path(post, path = "/api/v1/cases/{id}/placements", tag = "placements", request_body = PlacementBody,
    params(("id" = String, Path)),
    responses((status = 201, body = CreatedPlacement), (status = 404, body = Problem),
        (status = 409, description = "Consent missing, case closed, house inactive, more people than beds, or an open placement already (placement_open, with placement_id)", body = Problem),
        (status = 422, body = Problem)))]
pub async fn request(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<PlacementBody>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let b = body.into_inner();
    let asked = PlacementRequest {
        safe_house_id: b.safe_house_id,
        alias: b.alias,
        children: b.children,
        needs: b.needs,
        expected_end_on: b.expected_end_on,
        near_perpetrator_reason: b.near_perpetrator_reason,
    };
    let placement = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        request::request_placement(conn, who, id, &asked)
    })
    .await?;
    Ok(HttpResponse::Created().json(CreatedPlacement { id: placement.to_string() }))
}

#[derive(Serialize, ToSchema)]
pub struct CasePlacements {
    placements: Vec<PlacementJson>,
}

/// GET /api/v1/cases/{id}/placements — a case's placements, for its worker.
#[utoipa::path(get, path = "/api/v1/cases/{id}/placements", tag = "placements", params(("id" = String, Path)),
    responses((status = 200, body = CasePlacements), (status = 404, body = Problem)))]
pub async fn of_case(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let views = run(&state, caller(&req, &state, &session.0), move |conn, who| {
        boards::case_placements(conn, who, id)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .json(CasePlacements { placements: views.into_iter().map(PlacementJson::from).collect() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    /// The version the person saw.
    #[serde(deserialize_with = "super::body::version")]
    version: i32,
    /// decline: no_bed, cannot_meet_needs, safety_concern, other.
    #[schema(schema_with = super::schemas::maybe_decline_reason)]
    reason: Option<String>,
    /// check-out: returned_home_safely, with_relatives, social_protection_centre, transferred, other.
    #[schema(schema_with = super::schemas::maybe_check_out_outcome)]
    outcome: Option<String>,
}

/// The body of a step that takes nothing but the version (accept, check in,
/// cancel): a reason or an outcome there is an unknown field, refused as such.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionBody {
    /// The version the person saw.
    #[serde(deserialize_with = "super::body::version")]
    version: i32,
}

#[derive(Serialize, ToSchema)]
pub struct StepAnswer {
    status: &'static str,
    version: i32,
}

fn stepped(s: Stepped) -> HttpResponse {
    HttpResponse::Ok().json(StepAnswer { status: s.status.as_str(), version: s.version })
}

/// Runs one step of a placement as the caller, with the configured hold.
async fn step_placement<B: Send + 'static>(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<B>,
    work: fn(&mut crate::store::DbConn, &Caller, Uuid, &B, chrono::Duration) -> Result<Stepped, CaseError>,
) -> Result<HttpResponse, AppError> {
    let id = record_id(&id)?;
    let body = body.into_inner();
    let hold = hold_of(state.config.placement_hold_hours);
    let done =
        run(&state, caller(&req, &state, &session.0), move |conn, who| work(conn, who, id, &body, hold))
            .await?;
    Ok(stepped(done))
}

/// POST /api/v1/placements/{id}/accept — the house accepts; the beds are held
/// until check-in or until the hold runs out.
#[utoipa::path(post, path = "/api/v1/placements/{id}/accept", tag = "placements", request_body = VersionBody,
    params(("id" = String, Path)),
    responses((status = 200, body = StepAnswer), (status = 404, body = Problem),
        (status = 409, description = "Not from this status (allowed ones listed), stale version, or not enough free beds", body = Problem)))]
pub async fn accept(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<VersionBody>,
) -> Result<HttpResponse, AppError> {
    step_placement(req, state, session, id, body, |conn, who, id, b, hold| {
        handling::accept(conn, who, id, b.version, hold)
    })
    .await
}

/// POST /api/v1/placements/{id}/decline — the house declines, with a reason code.
#[utoipa::path(post, path = "/api/v1/placements/{id}/decline", tag = "placements", request_body = StepBody,
    params(("id" = String, Path)),
    responses((status = 200, body = StepAnswer), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn decline(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<StepBody>,
) -> Result<HttpResponse, AppError> {
    step_placement(req, state, session, id, body, |conn, who, id, b, _| {
        handling::decline(conn, who, id, b.version, b.reason.as_deref().unwrap_or(""))
    })
    .await
}

/// POST /api/v1/placements/{id}/check-in — she arrived. A hold that ran out
/// (`hold_expired`) is refused: the house accepts again first.
#[utoipa::path(post, path = "/api/v1/placements/{id}/check-in", tag = "placements", request_body = VersionBody,
    params(("id" = String, Path)),
    responses((status = 200, body = StepAnswer), (status = 404, body = Problem),
        (status = 409, description = "Not from this status (a hold that ran out is held again first: `allowed` lists accepted), stale version, or not enough free beds", body = Problem)))]
pub async fn check_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<VersionBody>,
) -> Result<HttpResponse, AppError> {
    step_placement(req, state, session, id, body, |conn, who, id, b, _| {
        handling::check_in(conn, who, id, b.version)
    })
    .await
}

/// POST /api/v1/placements/{id}/check-out — she left, with the outcome.
#[utoipa::path(post, path = "/api/v1/placements/{id}/check-out", tag = "placements", request_body = StepBody,
    params(("id" = String, Path)),
    responses((status = 200, body = StepAnswer), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn check_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<StepBody>,
) -> Result<HttpResponse, AppError> {
    step_placement(req, state, session, id, body, |conn, who, id, b, _| {
        handling::check_out(conn, who, id, b.version, b.outcome.as_deref().unwrap_or(""))
    })
    .await
}

/// POST /api/v1/placements/{id}/cancel — the case's worker withdraws a request or a hold.
#[utoipa::path(post, path = "/api/v1/placements/{id}/cancel", tag = "placements", request_body = VersionBody,
    params(("id" = String, Path)),
    responses((status = 200, body = StepAnswer), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn cancel(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: SignedIn,
    id: web::Path<String>,
    body: web::Json<VersionBody>,
) -> Result<HttpResponse, AppError> {
    step_placement(req, state, session, id, body, |conn, who, id, b, _| {
        handling::cancel(conn, who, id, b.version)
    })
    .await
}

//! A safe house's own board for its staff: free beds, the requests waiting
//! (one tap to accept, decline with a reason), the beds held and until when, the
//! women staying (name and phone only while the services give them) with check-in
//! and check-out, and stays past their expected end flagged. Staff reach their own
//! house only: another house's placement is a 404, as if it did not exist.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::house_lines;
use super::views::{BoardGroup, HouseBoardPage, HouseGlanceLine, PlacementLine};
use crate::domain::placement::PlacementStatus;
use crate::domain::role::Role;
use crate::domain::vocabulary::{CheckOutOutcome, DeclineReason};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::caller::caller;
use crate::http::pages::bridge::Member;
use crate::http::pages::cases::{
    checked_form, commune_names, explain, labelled, record_id, refusal_page, run,
};
use crate::http::pages::{PageContext, render, render_error, see_other};
use crate::http::session::current_session;
use crate::services::cases::access::CaseError;
use crate::services::placements::boards::{self, hold_of};
use crate::services::placements::handling;

/// How many ended placements the board still lists.
const PAST_SHOWN: usize = 10;

/// The steps of the board: (path word, what the notice says after it).
pub const DONE: [(&str, &str); 4] = [
    ("accept", "board-done-accept"),
    ("decline", "board-done-decline"),
    ("check-in", "board-done-check-in"),
    ("check-out", "board-done-check-out"),
];

#[derive(Deserialize)]
pub struct BoardQuery {
    done: Option<String>,
}

/// The house of the signed-in staff member; `None` for everyone else.
fn own_house(member: &Member) -> Option<String> {
    (member.session.user.role == Role::SafeHouseStaff)
        .then(|| member.session.user.safe_house_id.clone())
        .flatten()
}

/// GET /placements
pub async fn page(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<BoardQuery>,
) -> Result<HttpResponse, AppError> {
    let done = query.done.as_deref().and_then(|d| DONE.iter().find(|(name, _)| *name == d));
    let notice = match query.done.as_deref() {
        Some("note") => member.ctx.t("board-done-note"),
        _ => done.map(|(_, key)| member.ctx.t(key)).unwrap_or_default(),
    };
    board(&state, &member, notice, String::new(), StatusCode::OK, NoteDraft::default()).await
}

/// A note during a stay that was refused, shown again in its form: (placement
/// id, what was typed).
#[derive(Default)]
pub struct NoteDraft {
    pub placement: String,
    pub text: String,
}

pub(super) async fn board(
    state: &AppState,
    member: &Member,
    notice: String,
    message: String,
    status: StatusCode,
    draft: NoteDraft,
) -> Result<HttpResponse, AppError> {
    let Some(house) = own_house(member) else { return Ok(render_error(&member.ctx, StatusCode::NOT_FOUND)) };
    let board = match run(state, member, move |conn, who| boards::house_board(conn, who, &house)).await? {
        Ok(board) => board,
        Err(e) => return refusal_page(member, e),
    };
    let names = commune_names(state).await?;
    let mut ctx = member.ctx.clone();
    ctx.path = "/placements".into();
    let ctx = &ctx;
    let (mut requests, mut holds, mut expired, mut residents, mut past) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for p in &board.placements {
        let line = PlacementLine::new(ctx, p);
        match p.status {
            PlacementStatus::Requested => requests.push(line),
            PlacementStatus::Accepted => holds.push(line),
            PlacementStatus::HoldExpired => expired.push(line),
            PlacementStatus::CheckedIn => residents.push(line),
            PlacementStatus::Declined | PlacementStatus::CheckedOut | PlacementStatus::Cancelled => {
                past.push(line)
            }
        }
    }
    // The house's placements come newest first: the stays that ended last are
    // the ones staff still think of.
    past.truncate(PAST_SHOWN);
    let house = house_lines(ctx, std::slice::from_ref(&board.house), &names).remove(0);
    let mut groups = vec![
        BoardGroup {
            id: "requests",
            heading: ctx.t("board-requests-heading"),
            none: ctx.t("board-requests-none"),
            lines: requests,
            steps: vec![("accept", ctx.t("board-accept")), ("decline", ctx.t("board-decline"))],
        },
        BoardGroup {
            id: "holds",
            heading: ctx.t("board-holds-heading"),
            none: ctx.t("board-holds-none"),
            lines: holds,
            steps: vec![("check-in", ctx.t("board-check-in"))],
        },
    ];
    // A hold that ran out is never checked in as it is: the house holds the beds
    // again first (if they are free). Listed only when there is one.
    if !expired.is_empty() {
        groups.push(BoardGroup {
            id: "expired",
            heading: ctx.t("board-expired-heading"),
            none: String::new(),
            lines: expired,
            steps: vec![("accept", ctx.t("board-hold-again"))],
        });
    }
    groups.push(BoardGroup {
        id: "residents",
        heading: ctx.t("board-residents-heading"),
        none: ctx.t("board-residents-none"),
        lines: residents,
        steps: vec![("check-out", ctx.t("board-check-out"))],
    });
    let page = HouseBoardPage {
        ctx,
        title: ctx.t("page-house-board"),
        house,
        address: board.address.unwrap_or_default(),
        notice,
        message,
        groups,
        past,
        note_draft: draft,
        decline_reasons: labelled::<DeclineReason>(ctx, "decline-reason"),
        outcomes: labelled::<CheckOutOutcome>(ctx, "check-out-outcome"),
    };
    Ok(render(status, &page))
}

/// POST /placements/{id}/{step} — a step of the house, with the version its staff
/// saw; back to the board, saying what was done or why it was refused.
pub async fn step(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(String, String)>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, step) = path.into_inner();
    let (Some(id), Some(&(done, _))) = (record_id(&id), DONE.iter().find(|(name, _)| *name == step)) else {
        return Ok(render_error(&member.ctx, StatusCode::NOT_FOUND));
    };
    let posted = match checked_form(&member, fields) {
        Ok(posted) => posted,
        Err(refused) => return Ok(*refused),
    };
    let version: i32 = posted.one("version").parse().unwrap_or(0);
    let (reason, outcome) = (posted.one("reason"), posted.one("outcome"));
    let hold = hold_of(state.config.placement_hold_hours);
    let result = run(&state, &member, move |conn, who| {
        let id: Uuid = id;
        match done {
            "accept" => handling::accept(conn, who, id, version, hold),
            "decline" => handling::decline(conn, who, id, version, &reason),
            "check-in" => handling::check_in(conn, who, id, version),
            _ => handling::check_out(conn, who, id, version, &outcome),
        }
    })
    .await?;
    match result {
        Ok(_) => Ok(see_other(&format!("/placements?done={done}"))),
        Err(error) => refused(&state, &member, error).await,
    }
}

async fn refused(state: &AppState, member: &Member, error: CaseError) -> Result<HttpResponse, AppError> {
    let Some((status, message, problems)) = explain(&member.ctx, &error) else {
        return refusal_page(member, error);
    };
    let message = std::iter::once(message).chain(problems).collect::<Vec<_>>().join(" ");
    board(state, member, String::new(), message, status, NoteDraft::default()).await
}

/// What a house's staff see on their home page: their house's free places and
/// how many requests, holds and residents it has (no one's details). Nothing for
/// other roles.
pub async fn glance(req: &HttpRequest, ctx: &PageContext) -> Result<Option<HouseGlanceLine>, AppError> {
    if ctx.user.as_ref().map(|u| u.role) != Some(Role::SafeHouseStaff) {
        return Ok(None);
    }
    let Some(session) = current_session(req).await? else { return Ok(None) };
    let Some(state) = req.app_data::<web::Data<AppState>>() else { return Ok(None) };
    let who = caller(req, state, &session);
    let found = crate::http::blocking(state, move |conn| {
        crate::services::placements::glance::own_house(conn, &who).map_err(AppError::from)
    })
    .await?;
    let Some(found) = found else { return Ok(None) };
    let names = commune_names(state).await?;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(house_lines(ctx, std::slice::from_ref(&found.house), &names).pop().map(|house| HouseGlanceLine {
        house,
        requests: count(found.requests),
        holds: count(found.holds),
        expired_holds: count(found.expired_holds),
        residents: count(found.residents),
    }))
}

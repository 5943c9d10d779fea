//! GET /safe-houses — free beds by house, for social workers and supervisors:
//! the commune, the kind, children and access, the requests waiting; never an
//! address.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::house_lines;
use super::views::AvailabilityPage;
use crate::error::AppError;
use crate::http::AppState;
use crate::http::pages::bridge::Member;
use crate::http::pages::cases::{commune_names, refusal_page, run};
use crate::http::pages::render;
use crate::services::placements::boards;

pub async fn page(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, AppError> {
    let houses = match run(&state, &member, boards::availability).await? {
        Ok(houses) => houses,
        Err(e) => return refusal_page(&member, e),
    };
    let names = commune_names(&state).await?;
    let ctx = &member.ctx;
    let mut houses = house_lines(ctx, &houses, &names);
    // The most free beds first: tonight, that is what she looks for.
    houses.sort_by_key(|h| std::cmp::Reverse(h.free));
    let page = AvailabilityPage { ctx, title: ctx.t("page-safe-houses"), houses };
    Ok(render(StatusCode::OK, &page))
}

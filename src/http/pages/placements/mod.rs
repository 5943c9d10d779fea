//! The placement pages (design §9): the availability board for workers and
//! supervisors, and a safe house's own board for its staff, with the steps they
//! take (accept, decline, check in, check out). A case's placements and the
//! request form are on the case page (`cases::placements`).
//!
//! | route | handler |
//! |---|---|
//! | `GET /safe-houses` | `availability` |
//! | `GET /placements`, `POST /placements/{id}/{accept\|decline\|check-in\|check-out}` | `house` |
//! | `POST /placements/{id}/notes` (a note during a stay) | `notes` |

mod availability;
mod house;
mod notes;
pub mod views;

use actix_web::web;

pub use house::glance;

use super::cases::commune_name;
use super::context::PageContext;
use crate::services::placements::boards::HouseAvailability;
use std::collections::HashMap;
use views::HouseLine;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/safe-houses", web::get().to(availability::page))
        .route("/placements", web::get().to(house::page))
        .route("/placements/{id}/notes", web::post().to(notes::write))
        .route("/placements/{id}/{step}", web::post().to(house::step));
}

/// Every message key these pages pick at run time (for the catalog's test).
pub fn dynamic_keys() -> Vec<&'static str> {
    house::DONE.iter().map(|(_, key)| *key).collect()
}

/// The houses in words, each with its commune's name.
pub fn house_lines(
    ctx: &PageContext,
    houses: &[HouseAvailability],
    names: &HashMap<String, String>,
) -> Vec<HouseLine> {
    houses.iter().map(|h| HouseLine::new(h, ctx, commune_name(names, &h.commune_code))).collect()
}

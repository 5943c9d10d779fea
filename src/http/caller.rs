//! The [`Caller`] of case work, made from a request's session and the app state.

use actix_web::HttpRequest;
use chrono::Utc;

use super::AppState;
use super::session::actor;
use crate::authz::Principal;
use crate::services::auth::Authenticated;
use crate::services::cases::access::Caller;

pub fn caller(req: &HttpRequest, state: &AppState, session: &Authenticated) -> Caller {
    Caller {
        principal: Principal::of(&session.user, &state.config.province),
        actor: actor(req, Some(session)),
        now: Utc::now(),
        policies: state.policies.clone(),
        keys: state.keys.clone(),
        holidays: state.holidays.clone(),
    }
}

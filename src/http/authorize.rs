//! Asking the policies from a handler: allowed, or refused with 404/403 and a
//! `denied` audit event (design §7: every denied request is an event).

use actix_web::HttpRequest;
use chrono::Utc;

use super::session::actor;
use super::{AppState, blocking};
use crate::audit::{Event, Outcome};
use crate::authz::{Action, Principal, Resource};
use crate::error::AppError;
use crate::services::auth::Authenticated;

pub async fn authorize(
    req: &HttpRequest,
    state: &AppState,
    session: &Authenticated,
    action: Action,
    resource: &Resource,
    resource_ref: Option<(&'static str, String)>,
) -> Result<(), AppError> {
    let principal = Principal::of(&session.user, &state.config.province);
    let Err(refusal) = state.policies.require(&principal, action, resource) else {
        return Ok(());
    };
    let mut event =
        Event::new(&actor(req, Some(session)), action.as_str(), Outcome::Denied, Utc::now().naive_utc())
            .because(refusal.code());
    event.resource = resource_ref;
    blocking(state, move |conn| {
        crate::store::audit::append(conn, &event).map_err(crate::store::StoreError::from)?;
        Ok(())
    })
    .await?;
    Err(refusal)
}

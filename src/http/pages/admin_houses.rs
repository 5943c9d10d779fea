//! The administrator's safe-house pages: the list of houses (no address, no phone:
//! the administrator registers them and never reads them back), registering a
//! house, editing it (from the version she read) and deactivating it. Every
//! handler asks the policies first, so a refused person never sees a form's
//! validation.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use uuid::Uuid;

use super::bridge::Member;
use super::cases::{Posted, caller_of, checked_form, commune_names, field_text};
use super::context::PageContext;
use super::i18n::Lang;
use super::{render, render_error, see_other};
use crate::authz::{Action, Resource, SafeHouseFacts};
use crate::domain::vocabulary::{Code, SafeHouseKind};
use crate::error::AppError;
use crate::http::authorize::authorize;
use crate::http::{AppState, blocking};
use crate::services::cases::access::CaseError;
use crate::services::placements::houses::{
    HouseError, HouseForEdit, NewHouse, create_house, deactivate_house, house_for_edit, update_house,
};

pub struct HouseRow {
    pub id: String,
    pub name: String,
    pub commune: String,
    pub kind: String,
    pub capacity: i32,
    pub accepts_children: bool,
    pub accessible: bool,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "admin_houses.html")]
pub struct HousesPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub rows: Vec<HouseRow>,
    /// The message of what was just done (named in the URL, no personal data).
    pub notice: Option<String>,
}

/// What the form edits: a new house, or a registered one at a version.
pub struct Editing {
    pub id: String,
    pub version: i32,
    pub has_address: bool,
    pub has_phone: bool,
}

#[derive(Template)]
#[template(path = "admin_house_form.html")]
pub struct HouseFormPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub form: NewHouse,
    pub editing: Option<Editing>,
    /// (code, name) of the communes in force.
    pub communes: Vec<(String, String)>,
    pub kinds: Vec<(&'static str, String)>,
    /// (field, message) of a refused form.
    pub errors: Vec<(String, String)>,
    /// Someone else saved the house first: what to do now.
    pub stale: bool,
}

impl HouseFormPage<'_> {
    pub fn error(&self, field: &str) -> String {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone()).unwrap_or_default()
    }

    pub fn action(&self) -> String {
        match &self.editing {
            Some(editing) => format!("/admin/safe-houses/{}", editing.id),
            None => "/admin/safe-houses".into(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_house_deactivate.html")]
pub struct DeactivatePage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub id: String,
    pub name: String,
    pub version: i32,
    /// Why it was refused, when it was.
    pub refusal: Option<String>,
}

/// Asks the policies whether this person manages safe houses (administrators);
/// a refusal is a `denied` audit event and the 403 page.
async fn refused(
    state: &AppState,
    member: &Member,
    house: Option<&str>,
) -> Result<Option<HttpResponse>, AppError> {
    let resource = Resource::SafeHouse(SafeHouseFacts {
        id: house.unwrap_or_default().to_string(),
        province: state.config.province.clone(),
    });
    let reference = house.map(|id| ("safe_house", id.to_string()));
    match authorize(&member.req, state, &member.session, Action::SafeHouseManage, &resource, reference).await
    {
        Ok(()) => Ok(None),
        Err(AppError::Forbidden | AppError::NotFound) => {
            Ok(Some(render_error(&member.ctx, StatusCode::FORBIDDEN)))
        }
        Err(e) => Err(e),
    }
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    done: Option<String>,
}

/// The message of a notice after an action.
fn notice_key(done: &str) -> Option<&'static str> {
    match done {
        "created" => Some("admin-house-created"),
        "updated" => Some("admin-house-updated"),
        "deactivated" => Some("admin-house-deactivated"),
        _ => None,
    }
}

/// GET /admin/safe-houses
pub async fn list(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = refused(&state, &member, None).await? {
        return Ok(refused);
    }
    let names = commune_names(&state).await?;
    let houses = blocking(&state, |conn| {
        Ok(crate::store::placements::houses(conn).map_err(crate::store::StoreError::from)?)
    })
    .await?;
    let ctx = &member.ctx;
    let rows = houses
        .into_iter()
        .map(|h| HouseRow {
            commune: names.get(&h.commune_code).cloned().unwrap_or(h.commune_code),
            kind: ctx.label("safe-house-kind", &h.kind),
            id: h.id,
            name: h.name,
            capacity: h.capacity,
            accepts_children: h.accepts_children,
            accessible: h.accessible,
            active: h.active,
        })
        .collect();
    let notice = query.done.as_deref().and_then(notice_key).map(|key| ctx.t(key));
    let page = HousesPage { ctx, title: ctx.t("page-admin-houses"), rows, notice };
    Ok(render(StatusCode::OK, &page))
}

async fn form_page(
    state: &AppState,
    member: &Member,
    form: NewHouse,
    editing: Option<Editing>,
    errors: Vec<(String, String)>,
    stale: bool,
) -> Result<HttpResponse, AppError> {
    let ctx = &member.ctx;
    let mut communes: Vec<(String, String)> = commune_names(state).await?.into_iter().collect();
    communes.sort_by(|a, b| {
        super::admin::vietnamese_sort_key(&a.1).cmp(&super::admin::vietnamese_sort_key(&b.1))
    });
    let kinds =
        SafeHouseKind::ALL.iter().map(|k| (k.code(), ctx.label("safe-house-kind", k.code()))).collect();
    let title = ctx.t(if editing.is_some() { "page-admin-house-edit" } else { "page-admin-house-new" });
    let status = if errors.is_empty() && !stale {
        StatusCode::OK
    } else if stale {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = HouseFormPage { ctx, title, form, editing, communes, kinds, errors, stale };
    Ok(render(status, &page))
}

/// GET /admin/safe-houses/new
pub async fn new_form(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, AppError> {
    if let Some(refused) = refused(&state, &member, None).await? {
        return Ok(refused);
    }
    let form =
        NewHouse { capacity: 2, kind: SafeHouseKind::TrustedAddress.code().into(), ..NewHouse::default() };
    form_page(&state, &member, form, None, Vec::new(), false).await
}

/// The house as typed; a capacity that is not a number is kept as 0 and named.
fn house_of(posted: &Posted) -> (NewHouse, Option<(String, String)>) {
    let capacity = posted.one("capacity").parse::<i32>();
    let house = NewHouse {
        name: posted.one("name"),
        commune_code: posted.one("commune_code"),
        kind: posted.one("kind"),
        capacity: *capacity.as_ref().unwrap_or(&0),
        accepts_children: posted.one("accepts_children") == "yes",
        accessible: posted.one("accessible") == "yes",
        address: posted.one("address"),
        phone: posted.one("phone"),
    };
    (house, capacity.is_err().then(|| ("capacity".to_string(), String::new())))
}

fn messages(ctx: &PageContext, problems: &[crate::domain::intake::FieldProblem]) -> Vec<(String, String)> {
    problems
        .iter()
        .map(|p| {
            let text = match p.field {
                "capacity" => ctx.t("admin-house-capacity"),
                "phone" => ctx.t("admin-house-phone-error"),
                _ => field_text(ctx, &p.message),
            };
            (p.field.to_string(), text)
        })
        .collect()
}

/// POST /admin/safe-houses
pub async fn create(
    state: web::Data<AppState>,
    member: Member,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = refused(&state, &member, None).await? {
        return Ok(refused);
    }
    let posted = match checked_form(&member, fields) {
        Ok(posted) => posted,
        Err(refused) => return Ok(*refused),
    };
    let (house, unreadable) = house_of(&posted);
    if unreadable.is_some() {
        let errors = vec![("capacity".to_string(), member.ctx.t("admin-house-capacity"))];
        return form_page(&state, &member, house, None, errors, false).await;
    }
    let asked = house.clone();
    let who = caller_of(&state, &member);
    match blocking(&state, move |conn| Ok(create_house(conn, &who, &asked, None))).await? {
        Ok(_) => Ok(see_other("/admin/safe-houses?done=created")),
        Err(CaseError::Invalid(problems)) => {
            let errors = messages(&member.ctx, &problems);
            form_page(&state, &member, house, None, errors, false).await
        }
        Err(CaseError::Forbidden) => Ok(render_error(&member.ctx, StatusCode::FORBIDDEN)),
        Err(other) => Err(other.into()),
    }
}

/// The house named in the path, as its edit form shows it.
async fn registered(
    state: &AppState,
    member: &Member,
    id: &str,
) -> Result<Result<(Uuid, HouseForEdit), HttpResponse>, AppError> {
    let Ok(house_id) = id.parse::<Uuid>() else {
        return Ok(Err(render_error(&member.ctx, StatusCode::NOT_FOUND)));
    };
    let who = caller_of(state, member);
    match blocking(state, move |conn| Ok(house_for_edit(conn, &who, house_id))).await? {
        Ok(found) => Ok(Ok((house_id, found))),
        Err(CaseError::NotFound) => Ok(Err(render_error(&member.ctx, StatusCode::NOT_FOUND))),
        Err(CaseError::Forbidden) => Ok(Err(render_error(&member.ctx, StatusCode::FORBIDDEN))),
        Err(other) => Err(other.into()),
    }
}

fn editing_of(id: Uuid, found: &HouseForEdit) -> Editing {
    Editing {
        id: id.to_string(),
        version: found.version,
        has_address: found.has_address,
        has_phone: found.has_phone,
    }
}

/// GET /admin/safe-houses/{id}
pub async fn edit_form(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = refused(&state, &member, Some(&id)).await? {
        return Ok(refused);
    }
    let (house_id, found) = match registered(&state, &member, &id).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let editing = editing_of(house_id, &found);
    form_page(&state, &member, found.house, Some(editing), Vec::new(), false).await
}

/// POST /admin/safe-houses/{id} — saves an edit made from the version in the form.
pub async fn update(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<String>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = refused(&state, &member, Some(&id)).await? {
        return Ok(refused);
    }
    let posted = match checked_form(&member, fields) {
        Ok(posted) => posted,
        Err(refused) => return Ok(*refused),
    };
    let (house_id, found) = match registered(&state, &member, &id).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let version: i32 = posted.one("version").parse().unwrap_or(0);
    let mut editing = editing_of(house_id, &found);
    // The form keeps the version it was read at: a save after someone else's is
    // refused, not merged.
    editing.version = version;
    let (house, unreadable) = house_of(&posted);
    if unreadable.is_some() {
        let errors = vec![("capacity".to_string(), member.ctx.t("admin-house-capacity"))];
        return form_page(&state, &member, house, Some(editing), errors, false).await;
    }
    let asked = house.clone();
    let who = caller_of(&state, &member);
    let outcome =
        blocking(&state, move |conn| Ok(update_house(conn, &who, house_id, version, &asked))).await?;
    match outcome {
        Ok(()) => Ok(see_other("/admin/safe-houses?done=updated")),
        Err(HouseError::Case(CaseError::Invalid(problems))) => {
            let errors = messages(&member.ctx, &problems);
            form_page(&state, &member, house, Some(editing), errors, false).await
        }
        Err(HouseError::Stale { current }) => {
            // What she typed stays; the form now carries the version stored, so
            // a second save, after checking, goes through.
            editing.version = current;
            form_page(&state, &member, house, Some(editing), Vec::new(), true).await
        }
        Err(HouseError::Case(CaseError::NotFound)) => Ok(render_error(&member.ctx, StatusCode::NOT_FOUND)),
        Err(HouseError::Case(CaseError::Forbidden)) => Ok(render_error(&member.ctx, StatusCode::FORBIDDEN)),
        Err(other) => Err(house_failure(other)),
    }
}

fn house_failure(error: HouseError) -> AppError {
    match error {
        HouseError::Case(e) => e.into(),
        other => AppError::Internal(other.to_string()),
    }
}

/// GET /admin/safe-houses/{id}/deactivate — asks first.
pub async fn confirm_deactivate(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = refused(&state, &member, Some(&id)).await? {
        return Ok(refused);
    }
    let (house_id, found) = match registered(&state, &member, &id).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let ctx = &member.ctx;
    let page = DeactivatePage {
        ctx,
        title: ctx.t("page-admin-house-deactivate"),
        id: house_id.to_string(),
        name: found.house.name,
        version: found.version,
        refusal: None,
    };
    Ok(render(StatusCode::OK, &page))
}

/// POST /admin/safe-houses/{id}/deactivate — refused while the house has open
/// placements (the page says how many and what to do).
pub async fn deactivate(
    state: web::Data<AppState>,
    member: Member,
    id: web::Path<String>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = refused(&state, &member, Some(&id)).await? {
        return Ok(refused);
    }
    let posted = match checked_form(&member, fields) {
        Ok(posted) => posted,
        Err(refused) => return Ok(*refused),
    };
    let (house_id, found) = match registered(&state, &member, &id).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let version: i32 = posted.one("version").parse().unwrap_or(0);
    let who = caller_of(&state, &member);
    let outcome = blocking(&state, move |conn| Ok(deactivate_house(conn, &who, house_id, version))).await?;
    let ctx = &member.ctx;
    let (status, refusal, version) = match outcome {
        Ok(()) => return Ok(see_other("/admin/safe-houses?done=deactivated")),
        Err(HouseError::OpenPlacements { open }) => (
            StatusCode::CONFLICT,
            ctx.t_count("admin-house-deactivate-open", "count", &u32::try_from(open).unwrap_or(u32::MAX)),
            found.version,
        ),
        Err(HouseError::Stale { current }) => (StatusCode::CONFLICT, ctx.t("admin-house-stale"), current),
        Err(HouseError::Case(CaseError::NotFound)) => return Ok(render_error(ctx, StatusCode::NOT_FOUND)),
        Err(HouseError::Case(CaseError::Forbidden)) => return Ok(render_error(ctx, StatusCode::FORBIDDEN)),
        Err(other) => return Err(house_failure(other)),
    };
    let page = DeactivatePage {
        ctx,
        title: ctx.t("page-admin-house-deactivate"),
        id: house_id.to_string(),
        name: found.house.name,
        version,
        refusal: Some(refusal),
    };
    Ok(render(status, &page))
}

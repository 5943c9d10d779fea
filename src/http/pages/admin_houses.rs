//! The administrator's safe-house pages: the list of houses (no address: the
//! administrator registers it and never reads it back) and registering a house.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::bridge::Member;
use super::cases::{Posted, checked_form, commune_names, field_text, run};
use super::context::PageContext;
use super::i18n::Lang;
use super::{render, render_error, see_other};
use crate::authz::{Action, Resource, SafeHouseFacts};
use crate::domain::vocabulary::{Code, SafeHouseKind};
use crate::error::AppError;
use crate::http::AppState;
use crate::services::cases::access::CaseError;
use crate::services::placements::houses::{NewHouse, create_house};

pub struct HouseRow {
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
    pub notice: bool,
}

#[derive(Template)]
#[template(path = "admin_house_form.html")]
pub struct HouseFormPage<'a> {
    pub ctx: &'a PageContext,
    pub title: String,
    pub form: NewHouse,
    /// (code, name) of the communes in force.
    pub communes: Vec<(String, String)>,
    pub kinds: Vec<(&'static str, String)>,
    /// (field, message) of a refused form.
    pub errors: Vec<(String, String)>,
}

impl HouseFormPage<'_> {
    pub fn error(&self, field: &str) -> String {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone()).unwrap_or_default()
    }
}

/// Whether the policies let this person manage safe houses (administrators).
fn may_manage(state: &AppState, member: &Member) -> bool {
    let resource =
        Resource::SafeHouse(SafeHouseFacts { id: String::new(), province: state.config.province.clone() });
    let principal = crate::authz::Principal::of(&member.session.user, &state.config.province);
    state.policies.is_allowed(&principal, Action::SafeHouseManage, &resource)
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    done: Option<String>,
}

/// GET /admin/safe-houses
pub async fn list(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    if !may_manage(&state, &member) {
        return Ok(render_error(&member.ctx, StatusCode::FORBIDDEN));
    }
    let names = commune_names(&state).await?;
    let houses = crate::http::blocking(&state, |conn| {
        Ok(crate::store::placements::houses(conn).map_err(crate::store::StoreError::from)?)
    })
    .await?;
    let ctx = &member.ctx;
    let rows = houses
        .into_iter()
        .map(|h| HouseRow {
            commune: names.get(&h.commune_code).cloned().unwrap_or(h.commune_code),
            kind: ctx.label("safe-house-kind", &h.kind),
            name: h.name,
            capacity: h.capacity,
            accepts_children: h.accepts_children,
            accessible: h.accessible,
            active: h.active,
        })
        .collect();
    let page = HousesPage { ctx, title: ctx.t("page-admin-houses"), rows, notice: query.done.is_some() };
    Ok(render(StatusCode::OK, &page))
}

async fn form_page(
    state: &AppState,
    member: &Member,
    form: NewHouse,
    errors: Vec<(String, String)>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let ctx = &member.ctx;
    let mut communes: Vec<(String, String)> = commune_names(state).await?.into_iter().collect();
    communes.sort_by(|a, b| {
        super::admin::vietnamese_sort_key(&a.1).cmp(&super::admin::vietnamese_sort_key(&b.1))
    });
    let kinds =
        SafeHouseKind::ALL.iter().map(|k| (k.code(), ctx.label("safe-house-kind", k.code()))).collect();
    let page = HouseFormPage { ctx, title: ctx.t("page-admin-house-new"), form, communes, kinds, errors };
    Ok(render(status, &page))
}

/// GET /admin/safe-houses/new
pub async fn new_form(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, AppError> {
    if !may_manage(&state, &member) {
        return Ok(render_error(&member.ctx, StatusCode::FORBIDDEN));
    }
    let form =
        NewHouse { capacity: 2, kind: SafeHouseKind::TrustedAddress.code().into(), ..NewHouse::default() };
    form_page(&state, &member, form, Vec::new(), StatusCode::OK).await
}

fn house_of(posted: &Posted) -> Result<NewHouse, (String, String)> {
    let capacity = posted.one("capacity");
    Ok(NewHouse {
        name: posted.one("name"),
        commune_code: posted.one("commune_code"),
        kind: posted.one("kind"),
        capacity: capacity.parse().map_err(|_| ("capacity".to_string(), capacity.clone()))?,
        accepts_children: posted.one("accepts_children") == "yes",
        accessible: posted.one("accessible") == "yes",
        address: posted.one("address"),
    })
}

/// POST /admin/safe-houses
pub async fn create(
    state: web::Data<AppState>,
    member: Member,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let posted = match checked_form(&member, fields) {
        Ok(posted) => posted,
        Err(refused) => return Ok(*refused),
    };
    let house = match house_of(&posted) {
        Ok(house) => house,
        Err(_) => {
            let typed = NewHouse {
                name: posted.one("name"),
                commune_code: posted.one("commune_code"),
                kind: posted.one("kind"),
                capacity: 0,
                accepts_children: posted.one("accepts_children") == "yes",
                accessible: posted.one("accessible") == "yes",
                address: posted.one("address"),
            };
            let errors = vec![("capacity".to_string(), member.ctx.t("admin-house-capacity"))];
            return form_page(&state, &member, typed, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let asked = house.clone();
    match run(&state, &member, move |conn, who| create_house(conn, who, &asked, None)).await? {
        Ok(_) => Ok(see_other("/admin/safe-houses?done=created")),
        Err(CaseError::Invalid(problems)) => {
            let errors = problems
                .iter()
                .map(|p| {
                    let text = if p.field == "capacity" {
                        member.ctx.t("admin-house-capacity")
                    } else {
                        field_text(&member.ctx, &p.message)
                    };
                    (p.field.to_string(), text)
                })
                .collect();
            form_page(&state, &member, house, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(CaseError::Forbidden) => Ok(render_error(&member.ctx, StatusCode::FORBIDDEN)),
        Err(other) => Err(other.into()),
    }
}

//! What every page needs to know about the request it answers: the language, who
//! is signed in (if anyone), the CSRF token of its forms and where it is.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use super::i18n::{Lang, catalog};
use crate::domain::role::Role;
use crate::http::AppState;

/// The signed-in person as pages show them. Put into the request's extensions by
/// the session layer (`req.extensions_mut().insert(user_view)`); every page then
/// shows the signed-in layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserView {
    /// The name colleagues know this account by (a staff member, never a survivor).
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
}

/// Where a user may work, named as they would say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Names of the communes or wards assigned (social worker, local committee).
    Communes(Vec<String>),
    /// Name of the one safe house (safe-house staff).
    SafeHouse(String),
    /// Name of the province (supervisor, provincial committee).
    Province(String),
    /// The whole system (administrator).
    System,
}

/// The CSRF token of the session, rendered into every POST form as the hidden field
/// `csrf_token`. Put into the request's extensions by the session layer; empty
/// until then.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsrfToken(pub String);

/// Put into a request's extensions by the session bridge when the session's screen
/// is locked.
#[derive(Debug, Clone, Copy)]
pub struct ScreenLockedMark;

/// Minutes without input after which the screen locks, when no setting says otherwise.
pub const DEFAULT_SCREEN_LOCK_MINUTES: u32 = 5;

/// Everything a template needs besides its own content.
#[derive(Debug, Clone)]
pub struct PageContext {
    pub lang: Lang,
    /// `None` on the pages of someone not signed in.
    pub user: Option<UserView>,
    /// Rendered as `<input type="hidden" name="csrf_token">` in every POST form.
    pub csrf_token: String,
    /// The path of this page without its query (which may hold a search term), so
    /// the language switch can come back here.
    pub path: String,
    /// Minutes of inactivity before the screen locks itself.
    pub screen_lock_minutes: u32,
    /// The session's screen is locked: the page shows nothing but the lock.
    pub locked: bool,
    /// The request came from the page's script (`X-Binhan-Swap: 1`) to swap in
    /// what `<main>` holds: the layout renders nothing else.
    pub fragment: bool,
}

/// The header the page's script sends when it wants only `<main>`'s content.
pub const SWAP_HEADER: &str = "x-binhan-swap";

impl PageContext {
    /// A page for someone not signed in, at `path`.
    pub fn new(lang: Lang, path: &str) -> Self {
        PageContext {
            lang,
            user: None,
            csrf_token: String::new(),
            path: path.to_string(),
            screen_lock_minutes: DEFAULT_SCREEN_LOCK_MINUTES,
            locked: false,
            fragment: false,
        }
    }

    /// The context of a request: language from cookie or browser, and the user and
    /// CSRF token the session layer put into the request's extensions.
    pub fn for_request(req: &HttpRequest) -> Self {
        let mut ctx = PageContext::new(Lang::of_request(req), req.path());
        if let Some(state) = req.app_data::<web::Data<AppState>>() {
            ctx.screen_lock_minutes = state.config.screen_lock_minutes;
        }
        let extensions = req.extensions();
        ctx.user = extensions.get::<UserView>().cloned();
        ctx.locked = extensions.get::<ScreenLockedMark>().is_some();
        ctx.fragment = req.headers().get(SWAP_HEADER).is_some_and(|v| v.as_bytes() == b"1");
        if let Some(CsrfToken(token)) = extensions.get::<CsrfToken>() {
            ctx.csrf_token.clone_from(token);
        }
        ctx
    }

    pub fn with_user(mut self, user: UserView) -> Self {
        self.user = Some(user);
        self
    }

    pub fn with_csrf_token(mut self, token: impl Into<String>) -> Self {
        self.csrf_token = token.into();
        self
    }

    /// The message `key` in the page's language.
    /// The label of a code of a closed list (`ctx.label("status", "intake")`).
    pub fn label(&self, list: &str, code: &str) -> String {
        self.t(&super::vocab::label_key(list, code))
    }

    /// A case's risk level, or "not assessed" when nobody assessed it: never a
    /// level nobody chose.
    pub fn risk_label(&self, level: Option<&str>) -> String {
        level.map_or_else(|| self.t("risk-level-unassessed"), |l| self.label("risk-level", l))
    }

    pub fn t(&self, key: &str) -> String {
        catalog().message(self.lang, key)
    }

    /// The message `key` with one placeable `{ $name }` set to `value`.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        catalog().message_with(self.lang, key, &[(name, value)])
    }

    /// The message `key` with several placeables set.
    pub fn t_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        catalog().message_with(self.lang, key, args)
    }

    /// The message `key` with the number `n` as `{ $name }` (plural forms).
    pub fn t_count(&self, key: &str, name: &str, n: &u32) -> String {
        catalog().message_count(self.lang, key, name, u64::from(*n))
    }

    /// The address of a static file, with its version so a new release is fetched
    /// at once despite the browser's cache.
    pub fn asset(&self, name: &str) -> String {
        super::assets::href(name)
    }

    /// The role of the signed-in user in the glossary's words, or nothing.
    pub fn role_name(&self) -> String {
        self.user.as_ref().map(|user| self.t(role_key(user.role))).unwrap_or_default()
    }

    /// How the home page names the signed-in user's scope ("Xã, phường phụ trách",
    /// "Nhà tạm lánh" or "Phạm vi"), or nothing.
    pub fn scope_term(&self) -> String {
        match self.user.as_ref().map(|user| &user.scope) {
            None => String::new(),
            Some(Scope::Communes(_)) => self.t("scope-term-communes"),
            Some(Scope::SafeHouse(_)) => self.t("scope-term-safe-house"),
            Some(Scope::Province(_) | Scope::System) => self.t("scope-term-general"),
        }
    }

    /// The signed-in user's scope: the names of the communes or the safe house, the
    /// province, or the whole system; nothing when no one is signed in.
    pub fn scope_label(&self) -> String {
        match self.user.as_ref().map(|user| &user.scope) {
            None => String::new(),
            Some(Scope::Communes(names)) => names.join(", "),
            Some(Scope::SafeHouse(name)) => name.clone(),
            Some(Scope::Province(name)) => self.t1("scope-province", "name", name),
            Some(Scope::System) => self.t("scope-system"),
        }
    }

    /// The link that switches this page to `lang` and comes back to it.
    pub fn lang_switch_href(&self, lang: Lang) -> String {
        format!("/lang/{}?next={}", lang.code(), encode_query_value(&self.path))
    }

    /// The signed-in user's navigation leads to `href` (a home page offers its
    /// first step at once, without the menu).
    pub fn reaches(&self, href: &str) -> bool {
        self.user.as_ref().is_some_and(|user| nav_links(user.role).iter().any(|(h, _)| *h == href))
    }

    /// The navigation of the signed-in user: only pages that exist.
    pub fn nav(&self) -> Vec<NavLink> {
        let Some(user) = &self.user else {
            return Vec::new();
        };
        let links = nav_links(user.role);
        let within =
            |href: &str| self.path == href || (href != "/" && self.path.starts_with(&format!("{href}/")));
        // The most specific link is the current one: /cases/new is not also /cases.
        let current =
            links.iter().map(|(href, _)| *href).filter(|href| within(href)).max_by_key(|href| href.len());
        links
            .iter()
            .map(|&(href, key)| NavLink { href, label: self.t(key), current: current == Some(href) })
            .collect()
    }
}

impl FromRequest for PageContext {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(PageContext::for_request(req)))
    }
}

/// One entry of the navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavLink {
    pub href: &'static str,
    pub label: String,
    /// This is the page being shown (`aria-current="page"`).
    pub current: bool,
}

/// The pages each role can reach, as (path, message key). Later issues add theirs.
pub fn nav_links(role: Role) -> &'static [(&'static str, &'static str)] {
    match role {
        Role::SocialWorker => &[
            ("/", "nav-home"),
            ("/cases", "nav-cases"),
            ("/cases/new", "nav-intake"),
            ("/safe-houses", "nav-safe-houses"),
            ("/account", "nav-account"),
        ],
        Role::Supervisor => &[
            ("/", "nav-home"),
            ("/cases", "nav-cases"),
            ("/cases/new", "nav-intake"),
            ("/safe-houses", "nav-safe-houses"),
            ("/approvals", "nav-approvals"),
            ("/account-changes", "nav-account-changes"),
            ("/overview", "nav-overview"),
            ("/reports", "nav-reports"),
            ("/account", "nav-account"),
        ],
        Role::SafeHouseStaff => {
            &[("/", "nav-home"), ("/placements", "nav-placements"), ("/account", "nav-account")]
        }
        Role::CommitteeMember => {
            &[("/", "nav-home"), ("/reports", "nav-reports"), ("/account", "nav-account")]
        }
        // The link follows the role; the pages themselves ask the policies (user.manage).
        Role::Admin => &[
            ("/", "nav-home"),
            ("/admin/users", "nav-admin-users"),
            ("/admin/safe-houses", "nav-admin-houses"),
            ("/account", "nav-account"),
        ],
    }
}

/// The message key of a role's name.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::SocialWorker => "role-social_worker",
        Role::Supervisor => "role-supervisor",
        Role::SafeHouseStaff => "role-safe_house_staff",
        Role::CommitteeMember => "role-committee_member",
        Role::Admin => "role-admin",
    }
}

/// Percent-encodes everything but unreserved characters and `/` (RFC 3986).
fn encode_query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_switch_link_carries_the_path_encoded() {
        let ctx = PageContext::new(Lang::Vi, "/a b&c");
        assert_eq!(ctx.lang_switch_href(Lang::En), "/lang/en?next=/a%20b%26c");
    }

    #[test]
    fn someone_not_signed_in_has_no_navigation_role_or_scope() {
        let ctx = PageContext::new(Lang::Vi, "/login");
        assert!(ctx.nav().is_empty());
        assert_eq!(ctx.role_name(), "");
        assert_eq!(ctx.scope_term(), "");
        assert_eq!(ctx.scope_label(), "");
    }

    #[test]
    fn the_scope_names_every_assigned_commune() {
        let ctx = PageContext::new(Lang::Vi, "/").with_user(UserView {
            display_name: "Cán bộ thử".into(),
            role: Role::SocialWorker,
            scope: Scope::Communes(vec!["Xã Cẩm Xuyên".into(), "Phường Thành Sen".into()]),
        });
        assert_eq!(ctx.scope_term(), "Xã, phường phụ trách");
        assert_eq!(ctx.scope_label(), "Xã Cẩm Xuyên, Phường Thành Sen");
        assert_eq!(ctx.nav()[0].href, "/");
        assert!(ctx.nav()[0].current);
    }
}

//! The session cookie, who is signed in, where a request comes from, and the
//! checks that keep other sites from acting with a user's cookie.

use std::collections::HashMap;
use std::future::{Ready, ready};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use chrono::Utc;

use super::{AppState, blocking};
use crate::error::AppError;
use crate::services::auth::{self, AuthSettings, Authenticated, Stage};

/// The session cookie's name. The `__Host-` prefix makes browsers keep it only
/// when it is Secure, has Path=/ and no Domain, and was set by this very host: a
/// neighbouring subdomain, or anyone on plain HTTP, cannot plant a session cookie
/// of their choosing (session fixation, login CSRF).
pub const SESSION_COOKIE: &str = "__Host-binhan_session";

/// The name when `cookie_secure` is off (plain HTTP to an address browsers do not
/// count as secure): browsers drop a `__Host-` cookie that is not Secure, so the
/// prefix goes too. Only a request's configured name is ever read.
const PLAIN_SESSION_COOKIE: &str = "binhan_session";

/// The name the session cookie carries under the `cookie_secure` setting.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure { SESSION_COOKIE } else { PLAIN_SESSION_COOKIE }
}

/// The session token a request's cookie carries (None when absent or empty).
pub fn session_token(req: &HttpRequest) -> Option<String> {
    let secure = req.app_data::<web::Data<AppState>>().is_none_or(|s| s.config.cookie_secure);
    req.cookie(session_cookie_name(secure)).map(|c| c.value().to_string()).filter(|t| !t.is_empty())
}

/// The cookie that carries a new session's token: never readable by scripts,
/// never sent by another site, never over plain HTTP (browsers count 127.0.0.1
/// and localhost as secure).
pub fn session_cookie(token: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(session_cookie_name(secure), token.to_string())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish()
}

/// A cookie that makes the browser forget the session.
pub fn cleared_session_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = session_cookie("", secure);
    cookie.set_max_age(time::Duration::ZERO);
    cookie
}

/// The session of this request, found once and kept in the request's extensions.
#[derive(Clone)]
struct FoundSession(Option<Authenticated>);

/// Looks the cookie's session up (once per request).
pub async fn current_session(req: &HttpRequest) -> Result<Option<Authenticated>, AppError> {
    if let Some(found) = req.extensions().get::<FoundSession>() {
        return Ok(found.0.clone());
    }
    let Some(token) = session_token(req) else {
        return Ok(None);
    };
    let state = state(req)?;
    let settings = AuthSettings::from_config(&state.config);
    let found = blocking(&state, move |conn| {
        Ok(auth::authenticate(conn, &settings, &token, Utc::now().naive_utc())?)
    })
    .await?;
    req.extensions_mut().insert(FoundSession(found.clone()));
    Ok(found)
}

pub fn state(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>().cloned().ok_or_else(|| AppError::Internal("no app state".into()))
}

/// Declares an extractor that admits the request's session when `admits` says so,
/// else answers 401 (no session) or what `admits` returns.
macro_rules! session_extractor {
    ($(#[$doc:meta])* $name:ident, $admits:expr) => {
        $(#[$doc])*
        pub struct $name(pub Authenticated);

        impl FromRequest for $name {
            type Error = AppError;
            type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, AppError>>>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let req = req.clone();
                Box::pin(async move {
                    let session = current_session(&req).await?.ok_or(AppError::Unauthenticated)?;
                    let admits: fn(&Authenticated) -> Result<(), AppError> = $admits;
                    admits(&session).map(|()| $name(session))
                })
            }
        }
    };
}

/// A full session: second factor done where required, screen not locked.
fn full_session(session: &Authenticated) -> Result<(), AppError> {
    match session.stage {
        // Half-signed-in (second factor not set up yet): only the set-up pages.
        Stage::EnrolSecondFactor => Err(AppError::Forbidden),
        // A password an administrator gave: only choosing her own.
        Stage::ChangePassword => Err(AppError::PasswordChangeRequired),
        Stage::Full => Ok(()),
    }
}

session_extractor!(
    /// A signed-in user with a full session whose screen is not locked.
    SignedIn,
    |s| {
        full_session(s)?;
        if s.locked { Err(AppError::ScreenLocked) } else { Ok(()) }
    }
);

session_extractor!(
    /// A full session whose screen may be locked: for locking and unlocking.
    SignedInLockedOrNot,
    full_session
);

session_extractor!(
    /// Any session, including one that must still set up its second factor or
    /// choose its password.
    AnySession,
    |_| Ok(())
);

session_extractor!(
    /// A session that may set up its second factor: a full one, or one waiting
    /// for it; not one whose password is still the administrator's (the password
    /// comes first).
    SettingUpSecondFactor,
    |s| if s.stage == Stage::ChangePassword { Err(AppError::PasswordChangeRequired) } else { Ok(()) }
);

session_extractor!(
    /// A session that may change its own password: a full one whose screen is not
    /// locked, or one that must choose its password before anything else.
    ChangingPassword,
    |s| match s.stage {
        Stage::ChangePassword => Ok(()),
        _ => {
            full_session(s)?;
            if s.locked { Err(AppError::ScreenLocked) } else { Ok(()) }
        }
    }
);

/// The address a request comes from: the socket's peer, or, when that peer is a
/// trusted proxy, the last address in X-Forwarded-For that is not a trusted proxy.
pub struct ClientAddr(pub Option<IpAddr>);

impl FromRequest for ClientAddr {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trusted =
            state(req).ok().and_then(|s| s.config.trusted_proxy_addresses().ok()).unwrap_or_default();
        ready(Ok(ClientAddr(client_addr(req, &trusted))))
    }
}

pub fn client_addr(req: &HttpRequest, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    // All X-Forwarded-For lines in order (a proxy may add its own line rather than
    // extend the client's), read from the right: each trusted proxy vouches for the
    // hop before it; the first hop that is not a trusted proxy is the client. A hop
    // that is not an address ends the trust: it stands for the proxy that sent it.
    let hops: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|line| line.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(addr) if trusted.contains(&addr) => client = addr,
            Ok(addr) => return Some(addr),
            Err(_) => return Some(client),
        }
    }
    Some(client)
}

/// Sign-in attempts per client address, counted in one-minute windows. Per
/// process: with several instances each counts its own, and the per-account
/// lockout (in the database) still holds across all.
pub struct LoginThrottle {
    per_minute: u32,
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl LoginThrottle {
    pub fn new(per_minute: u32) -> Self {
        LoginThrottle { per_minute, windows: Mutex::new(HashMap::new()) }
    }

    /// Counts an attempt; false when the address has used up its minute.
    pub fn allow(&self, addr: Option<IpAddr>) -> bool {
        let Some(addr) = addr else { return true };
        let Ok(mut windows) = self.windows.lock() else { return true };
        let now = Instant::now();
        if windows.len() > 10_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let window = windows.entry(addr).or_insert((now, 0));
        if now.duration_since(window.0) >= Duration::from_secs(60) {
            *window = (now, 0);
        }
        window.1 += 1;
        window.1 <= self.per_minute
    }
}

/// Refuses a state-changing request that another site made the browser send:
/// `Sec-Fetch-Site: cross-site`, or an `Origin` other than ours. Requests without
/// either header come from programs, which cannot carry a browser's cookie.
///
/// `Sec-Fetch-Site: same-origin` is the browser's own word (no page can set it) and
/// is believed: under our `Referrer-Policy: no-referrer` a browser sends
/// `Origin: null` with a plain form POST, so the `Origin` alone would refuse every
/// form of the site.
pub fn check_same_origin(req: &HttpRequest, public_origin: Option<&str>) -> Result<(), AppError> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    match header("sec-fetch-site") {
        Some("cross-site") => return Err(AppError::Forbidden),
        Some("same-origin") => return Ok(()),
        _ => {}
    }
    let Some(origin) = header("origin") else { return Ok(()) };
    let allowed = match public_origin {
        Some(origin) => origin.trim_end_matches('/').to_string(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    };
    if origin == allowed { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Who is acting in this request, for audit events: the signed-in user (if any)
/// and the request id.
pub fn actor(req: &HttpRequest, session: Option<&Authenticated>) -> crate::audit::Actor {
    let request_id = req.extensions().get::<super::middleware::RequestId>().map(|id| id.0.clone());
    let trusted = state(req).ok().and_then(|s| s.config.trusted_proxy_addresses().ok()).unwrap_or_default();
    let client_addr = client_addr(req, &trusted).map(|a| a.to_string());
    match session {
        Some(s) => crate::audit::Actor {
            client_addr,
            ..crate::audit::Actor::user(s.user.id, s.user.role, request_id)
        },
        None => crate::audit::Actor { request_id, client_addr, ..Default::default() },
    }
}

/// Whether a token sent with a form is the one expected, compared in constant time
/// (over SHA-256 digests, so neither the content nor the length leaks through
/// timing). An empty expected token never matches.
pub fn tokens_match(expected: &str, given: &str) -> bool {
    use ctutils::CtEq;
    use sha2::{Digest, Sha256};
    let expected_digest: [u8; 32] = Sha256::digest(expected.as_bytes()).into();
    let given_digest: [u8; 32] = Sha256::digest(given.as_bytes()).into();
    let matched = !expected.is_empty() && expected_digest.ct_eq(&given_digest).to_bool();
    if !matched {
        // A security event (ASVS 16.3.3): a forged or stale form. No token is logged.
        tracing::warn!(given = !given.is_empty(), "form token missing or wrong: request refused");
    }
    matched
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::{check_same_origin, tokens_match};

    #[test]
    fn a_form_post_of_this_site_passes_though_its_origin_is_null() {
        // What a browser sends for a form POST under Referrer-Policy: no-referrer.
        let own_form = TestRequest::post()
            .insert_header(("origin", "null"))
            .insert_header(("sec-fetch-site", "same-origin"))
            .to_http_request();
        assert!(check_same_origin(&own_form, None).is_ok());
        let sandboxed = TestRequest::post().insert_header(("origin", "null")).to_http_request();
        assert!(check_same_origin(&sandboxed, None).is_err(), "a null origin without the browser's word");
        let foreign = TestRequest::post()
            .insert_header(("origin", "null"))
            .insert_header(("sec-fetch-site", "cross-site"))
            .to_http_request();
        assert!(check_same_origin(&foreign, None).is_err());
        let sibling = TestRequest::post()
            .insert_header(("origin", "https://other.example.vn"))
            .insert_header(("sec-fetch-site", "same-site"))
            .to_http_request();
        assert!(check_same_origin(&sibling, Some("https://binhan.example.vn")).is_err());
    }

    #[test]
    fn only_the_same_non_empty_token_matches() {
        assert!(tokens_match("abc123", "abc123"));
        assert!(!tokens_match("abc123", "abc124"));
        assert!(!tokens_match("abc123", "abc12"));
        assert!(!tokens_match("abc123", ""));
        assert!(!tokens_match("", ""));
    }
}

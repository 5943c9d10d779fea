//! Error pages: a browser that asks for HTML gets a page in its language instead of
//! the `application/problem+json` that API clients get.

use std::future::Future;

use actix_web::Error;
use actix_web::HttpResponse;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue, VARY};

use super::context::PageContext;
use super::views::{ErrorPage, error_keys};

/// The error page for `status`, in the language of `ctx`.
pub fn render_error(ctx: &PageContext, status: StatusCode) -> HttpResponse {
    let (title_key, text_key) = error_keys(status.as_u16());
    let page = ErrorPage { ctx, title: ctx.t(title_key), explanation: ctx.t(text_key) };
    super::render(status, &page)
}

/// Middleware: replaces a problem+json error answer with the HTML error page when
/// the request comes from a browser page (it accepts `text/html`) and is not for the
/// API or the health checks. Headers the handler set (such as `Allow`) are kept.
/// Every HTML answer varies with `X-Binhan-Swap` (the page's script asks for
/// `<main>`'s content alone), so no cache confuses the two.
pub fn html_errors<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<EitherBody<B>>, Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    let page_path = is_page_path(req.path());
    let wants_html = accepts_html(req.headers()) && page_path;
    let response = srv.call(req);
    async move {
        let mut res = response.await?;
        if !(wants_html && is_problem(&res)) {
            if page_path && is_html(res.headers()) {
                res.headers_mut().append(VARY, HeaderValue::from_static(super::context::SWAP_HEADER));
            }
            return Ok(res.map_into_left_body());
        }
        let ctx = PageContext::for_request(res.request());
        let mut page = render_error(&ctx, res.status());
        for (name, value) in res.headers() {
            if name != CONTENT_TYPE && name != CONTENT_LENGTH {
                page.headers_mut().append(name.clone(), value.clone());
            }
        }
        page.headers_mut().append(VARY, HeaderValue::from_static(super::context::SWAP_HEADER));
        Ok(res.into_response(page).map_into_right_body())
    }
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers.get_all(ACCEPT).filter_map(|value| value.to_str().ok()).any(|value| value.contains("text/html"))
}

/// Machines read the API and the health checks: they keep problem+json.
fn is_page_path(path: &str) -> bool {
    !(path == "/api" || path.starts_with("/api/") || matches!(path, "/healthz" | "/readyz" | "/metrics"))
}

fn is_html(headers: &HeaderMap) -> bool {
    headers.get(CONTENT_TYPE).is_some_and(|value| value.as_bytes().starts_with(b"text/html"))
}

fn is_problem<B>(res: &ServiceResponse<B>) -> bool {
    res.status().as_u16() >= 400
        && res
            .headers()
            .get(CONTENT_TYPE)
            .is_some_and(|value| value.as_bytes().starts_with(b"application/problem+json"))
}

use std::future::Future;
use std::time::Instant;

use actix_web::ResponseError;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::DefaultHeaders;
use actix_web::{Error, HttpMessage};

use crate::error::AppError;
use tracing::Instrument;

/// The headers of design §5 on every response. A handler may set its own
/// `Cache-Control` (static assets); everything else is never stored by a browser.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
             base-uri 'none'",
        ))
        .add(("Cache-Control", "no-store"))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("Cross-Origin-Resource-Policy", "same-origin"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"))
        .add(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
}

/// The id of the request being served, for audit events.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Gives every request an id, returned in `X-Request-Id` and carried by every log
/// line written while serving it. Only the route pattern is logged, never the path
/// or query, so no value typed by a user can reach the log.
pub fn request_id<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<B>, Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    let id = uuid::Uuid::now_v7().simple().to_string();
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id);
    let method = req.method().clone();
    let started = Instant::now();
    let response = span.in_scope(|| srv.call(req));
    async move {
        let mut res = response.await?;
        if let Ok(value) = HeaderValue::from_str(&id) {
            res.headers_mut().insert(REQUEST_ID, value);
        }
        let route = res.request().match_pattern().unwrap_or_else(|| "(no route)".into());
        tracing::info!(
            %method,
            route,
            status = res.status().as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "request"
        );
        Ok(res)
    }
    .instrument(span)
}

/// The longest URI (path and query) answered by the app: longer than any link of
/// the site; a longer one is refused with 414 and a problem, before any session
/// lookup. (Past 64 KB a URI cannot even be parsed; `serve` answers those at the
/// connection, see `cli::serve::refuse_long_request_line`.)
pub const MAX_URI_BYTES: usize = 16 * 1024;

/// Refuses a request whose URI is longer than [`MAX_URI_BYTES`].
pub fn uri_length<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<EitherBody<B>>, Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    let too_long = req.uri().path_and_query().is_some_and(|p| p.as_str().len() > MAX_URI_BYTES);
    let outcome = if too_long {
        Err(req.into_response(AppError::UriTooLong.error_response()))
    } else {
        Ok(srv.call(req))
    };
    async move {
        match outcome {
            Ok(response) => response.await.map(ServiceResponse::map_into_left_body),
            Err(refused) => Ok(refused.map_into_right_body()),
        }
    }
}

/// Refuses state-changing requests made by another site (see
/// `session::check_same_origin`) before any handler runs. The refusal is a
/// response, so the outer middleware still adds its headers and request id.
pub fn same_origin<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<EitherBody<B>>, Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    let public_origin = req
        .app_data::<actix_web::web::Data<super::AppState>>()
        .and_then(|state| state.config.public_origin.clone());
    let outcome = match super::session::check_same_origin(req.request(), public_origin.as_deref()) {
        Ok(()) => Ok(srv.call(req)),
        Err(refused) => {
            // A security event (ASVS 16.3.3); the origin is not logged (it is the
            // client's text).
            tracing::warn!(method = %req.method(), "cross-site request refused");
            Err(req.into_response(refused.error_response()))
        }
    };
    async move {
        match outcome {
            Ok(response) => response.await.map(ServiceResponse::map_into_left_body),
            Err(refused) => Ok(refused.map_into_right_body()),
        }
    }
}

/// The last resort (ASVS 16.5.4): a handler that panics answers the generic 500
/// problem (a page for a browser, through `html_errors`) with the security headers
/// and its request id, the panic is logged at error level, and the worker goes on
/// serving. Without it the connection would end without an answer.
pub fn catch_panics<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<EitherBody<B>>, Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::task::Poll;

    // The request itself cannot be kept (routing needs it unshared): its method,
    // address and headers are, to answer on a request of the same shape.
    let (method, uri, headers) = (req.method().clone(), req.uri().clone(), req.headers().clone());
    let call = catch_unwind(AssertUnwindSafe(|| srv.call(req)));
    async move {
        let outcome = match call {
            Ok(future) => {
                let mut future = Box::pin(future);
                std::future::poll_fn(move |cx| {
                    match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
                        Ok(Poll::Ready(result)) => Poll::Ready(Ok(result)),
                        Ok(Poll::Pending) => Poll::Pending,
                        Err(_) => Poll::Ready(Err(())),
                    }
                })
                .await
            }
            Err(_) => Err(()),
        };
        match outcome {
            Ok(result) => result.map(ServiceResponse::map_into_left_body),
            Err(()) => {
                tracing::error!(%method, "request handler panicked");
                let mut shape = actix_web::test::TestRequest::default().method(method).uri(&uri.to_string());
                for (name, value) in &headers {
                    shape = shape.append_header((name.clone(), value.clone()));
                }
                let answer = crate::error::AppError::Internal("handler panicked".into()).error_response();
                Ok(ServiceResponse::new(shape.to_http_request(), answer).map_into_right_body())
            }
        }
    }
}

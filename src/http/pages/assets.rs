//! The stylesheet, script and icon, embedded in the binary and served with a
//! content hash (as `ETag` and in the `?v=` of their links). A link with the
//! current hash names content that never changes, so a phone keeps it for a year
//! and never asks again on a slow line; any other link gets a one-hour cache.

use std::sync::LazyLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// One static file.
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static [u8],
    /// First 16 hex digits of the SHA-256 of the body.
    pub hash: String,
}

const FILES: [(&str, &str, &[u8]); 3] = [
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../../frontend/static/app.css")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../../../frontend/static/app.js")),
    ("favicon.svg", "image/svg+xml", include_bytes!("../../../frontend/static/favicon.svg")),
];

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    FILES
        .into_iter()
        .map(|(name, content_type, body)| Asset {
            name,
            content_type,
            body,
            hash: hex::encode(&Sha256::digest(body)[..8]),
        })
        .collect()
});

pub fn find(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|asset| asset.name == name)
}

/// The link to a static file; a name that is not one gives a link that answers 404.
pub fn href(file: &str) -> String {
    match find(file) {
        Some(asset) => format!("/static/{}?v={}", asset.name, asset.hash),
        None => {
            // File names come from the templates, never from a request.
            tracing::warn!(file, "link to an unknown static file");
            format!("/static/{file}")
        }
    }
}

pub const FOR_GOOD: &str = "public, max-age=31536000, immutable";
pub const FOR_AN_HOUR: &str = "public, max-age=3600";

#[derive(serde::Deserialize)]
struct Version {
    v: String,
}

/// GET /static/{name}
pub async fn serve(req: HttpRequest, name: web::Path<String>) -> Result<HttpResponse, AppError> {
    let asset = find(&name).ok_or(AppError::NotFound)?;
    let etag = format!("\"{}\"", asset.hash);
    let versioned = web::Query::<Version>::from_query(req.query_string()).is_ok_and(|q| q.v == asset.hash);
    let cache = ("Cache-Control", if versioned { FOR_GOOD } else { FOR_AN_HOUR });
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag));
    if unchanged {
        return Ok(HttpResponse::NotModified()
            .insert_header(cache)
            .insert_header((header::ETAG, etag))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type)))
        .insert_header(cache)
        .insert_header((header::ETAG, etag))
        .body(asset.body))
}

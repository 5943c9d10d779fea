//! Reading JSON bodies so that every problem is named: [`Loose`] fields never fail
//! to deserialize, so all wrongly typed fields of a body are reported at once; and
//! a body that is not JSON at all gets a problem that says so. Neither ever echoes
//! the value sent (it may be a name).

use actix_web::error::JsonPayloadError;
use actix_web::{HttpRequest, web};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::error::{AppError, FieldError};

/// The largest JSON body accepted: room for a long narrative (its own limit,
/// 20,000 characters, is checked and named by validation, which needs the body
/// read first).
pub const JSON_LIMIT: usize = 2 * 1024 * 1024;

pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default().limit(JSON_LIMIT).error_handler(json_error)
}

fn json_error(error: JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    let problem = match &error {
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            AppError::TooLarge
        }
        JsonPayloadError::ContentType => AppError::BadRequest(vec![FieldError {
            field: "body".into(),
            message: "send JSON with Content-Type: application/json".into(),
        }]),
        JsonPayloadError::Deserialize(e) if unknown_field(&e.to_string()).is_some() => {
            AppError::BadRequest(vec![FieldError {
                field: unknown_field(&e.to_string()).unwrap_or_default(),
                message: "is not a field of this request".into(),
            }])
        }
        JsonPayloadError::Deserialize(e) => AppError::BadRequest(vec![FieldError {
            field: "body".into(),
            message: match e.classify() {
                serde_json::error::Category::Data => {
                    "must be a JSON object with the documented fields and types".into()
                }
                _ => format!("is not valid JSON in UTF-8 (line {}, column {})", e.line(), e.column()),
            },
        }]),
        _ => AppError::BadRequest(vec![FieldError {
            field: "body".into(),
            message: "could not be read".into(),
        }]),
    };
    problem.into()
}

/// The name of an unknown field serde refused, when it is a plain identifier (a
/// key that is anything else may be text someone typed: it is not repeated).
fn unknown_field(message: &str) -> Option<String> {
    let name = message.strip_prefix("unknown field `")?.split('`').next()?;
    let plain =
        !name.is_empty() && name.len() <= 40 && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    plain.then(|| name.to_string())
}

/// A field as sent: missing (or null), of the expected type, or of another type.
#[derive(Debug, Clone, Default)]
pub enum Loose<T> {
    #[default]
    Missing,
    Given(T),
    Wrong,
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Loose<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        if value.is_null() {
            return Ok(Loose::Missing);
        }
        Ok(serde_json::from_value(value).map_or(Loose::Wrong, Loose::Given))
    }
}

/// Collects the wrongly typed fields of a body while taking its values out.
#[derive(Default)]
pub struct Fields {
    pub errors: Vec<FieldError>,
}

impl Fields {
    pub fn take<T>(&mut self, field: &str, value: Loose<T>, expected: &str) -> Option<T> {
        match value {
            Loose::Missing => None,
            Loose::Given(v) => Some(v),
            Loose::Wrong => {
                self.errors.push(FieldError { field: field.into(), message: format!("must be {expected}") });
                None
            }
        }
    }

    pub fn text(&mut self, field: &str, value: Loose<String>) -> String {
        self.take(field, value, "text").unwrap_or_default()
    }

    pub fn flag(&mut self, field: &str, value: Loose<bool>) -> bool {
        self.take(field, value, "true or false").unwrap_or(false)
    }

    pub fn codes(&mut self, field: &str, value: Loose<Vec<String>>) -> Vec<String> {
        self.take(field, value, "a list of codes").unwrap_or_default()
    }

    pub fn date(&mut self, field: &str, value: Loose<chrono::NaiveDate>) -> Option<chrono::NaiveDate> {
        self.take(field, value, "a date like 2026-11-20")
    }

    pub fn time(
        &mut self,
        field: &str,
        value: Loose<chrono::DateTime<chrono::Utc>>,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        self.take(field, value, "a date and time like 2026-11-20T17:00:00+07:00")
    }

    /// 400 naming every wrongly typed field, if there was one.
    pub fn finish(self) -> Result<(), AppError> {
        if self.errors.is_empty() { Ok(()) } else { Err(AppError::BadRequest(self.errors)) }
    }
}

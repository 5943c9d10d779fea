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

/// Query strings that cannot be read (an unknown parameter, a number that is
/// not one) get a problem too, naming the parameter only when it is a plain name.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, _| {
        let field = unknown_field(&error.to_string());
        let message = if field.is_some() {
            "is not a parameter of this request"
        } else {
            "has a parameter that is not documented, or not of its type"
        };
        AppError::BadRequest(vec![FieldError {
            field: field.unwrap_or_else(|| "query".into()),
            message: message.into(),
        }])
        .into()
    })
}

fn json_error(error: JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    problem(&error).into()
}

/// The problem a body that could not be read gets.
pub(super) fn problem(error: &JsonPayloadError) -> AppError {
    match error {
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
        JsonPayloadError::Deserialize(e) if named_refusal(&e.to_string()).is_some() => {
            let message = e.to_string();
            let (field, kind) = named_refusal(&message).unwrap_or_default();
            let field = field.to_string();
            if kind == OUT_OF_RANGE {
                // A number, but none this field can take: invalid rather than unreadable.
                AppError::Invalid(vec![FieldError {
                    field,
                    message: "is out of range (a whole number from -2147483648 to 2147483647)".into(),
                }])
            } else {
                AppError::BadRequest(vec![FieldError { field, message: "must be a whole number".into() }])
            }
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
    }
}

/// The name of an unknown field serde refused, when it is a plain identifier (a
/// key that is anything else may be text someone typed: it is not repeated).
fn unknown_field(message: &str) -> Option<String> {
    let name = message.strip_prefix("unknown field `")?.split('`').next()?;
    let plain =
        !name.is_empty() && name.len() <= 40 && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    plain.then(|| name.to_string())
}

/// `version` of a body, read as [`whole`] does; a problem names the field.
pub fn version<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    named_whole(deserializer, "version")
}

/// `capacity` of a body, read as [`whole`] does; a problem names the field.
pub fn capacity<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    named_whole(deserializer, "capacity")
}

/// How a named integer field's refusal travels through serde_json's error (which
/// knows no field path) to [`problem`]: "field `NAME`: KIND".
const NAMED_FIELD: &str = "field `";
const OUT_OF_RANGE: &str = "out of range";
const NOT_WHOLE: &str = "not a whole number";

fn named_whole<'de, D: Deserializer<'de>>(deserializer: D, field: &'static str) -> Result<i32, D::Error> {
    let refused = |kind: &str| serde::de::Error::custom(format!("{NAMED_FIELD}{field}`: {kind}"));
    match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::Number(number) => match whole_number(&number) {
            Some(n) => Ok(n),
            None if number.as_f64().is_some_and(|f| f.fract() == 0.0)
                || number.is_i64()
                || number.is_u64() =>
            {
                Err(refused(OUT_OF_RANGE))
            }
            None => Err(refused(NOT_WHOLE)),
        },
        _ => Err(refused(NOT_WHOLE)),
    }
}

/// The field and kind of a refusal of [`named_whole`], from serde_json's message.
fn named_refusal(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix(NAMED_FIELD)?;
    let (field, rest) = rest.split_once("`: ")?;
    [OUT_OF_RANGE, NOT_WHOLE].into_iter().find(|kind| rest.starts_with(kind)).map(|kind| (field, kind))
}

/// An integer body field as JSON Schema counts one: `7` or `7.0` (a whole number
/// that a client's JSON writer spelled with a fraction is the same integer, and
/// the OpenAPI document admits it); `7.5`, a string or an integer out of range is
/// refused like any wrongly typed field.
pub fn whole<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i32, D::Error> {
    let number = serde_json::Number::deserialize(deserializer)?;
    whole_number(&number).ok_or_else(|| serde::de::Error::custom("expected an integer"))
}

fn whole_number(number: &serde_json::Number) -> Option<i32> {
    if let Some(n) = number.as_i64() {
        return i32::try_from(n).ok();
    }
    let float = number.as_f64()?;
    let in_range = (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&float);
    // Whole and in range: the cast is exact.
    (in_range && float.fract() == 0.0).then_some(float as i32)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Versioned {
        #[serde(deserialize_with = "whole")]
        version: i32,
    }

    fn version(json: &str) -> Option<i32> {
        serde_json::from_str::<Versioned>(json).ok().map(|v| v.version)
    }

    #[test]
    fn an_integer_may_be_spelled_as_a_whole_float() {
        assert_eq!(version(r#"{"version": 7}"#), Some(7));
        assert_eq!(version(r#"{"version": 7.0}"#), Some(7));
        assert_eq!(version(r#"{"version": -2097153.0}"#), Some(-2_097_153));
        assert_eq!(version(r#"{"version": 7.5}"#), None);
        assert_eq!(version(r#"{"version": "7"}"#), None);
        assert_eq!(version(r#"{"version": 1e300}"#), None);
        assert_eq!(version(r#"{"version": 2147483648}"#), None);
        assert_eq!(version(r#"{"version": null}"#), None);
    }
}

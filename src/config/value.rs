use std::net::SocketAddr;
use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};

/// Turns the text of a setting (or its absence) into a typed value; the error says
/// what a valid value looks like.
pub trait FromSetting: Sized {
    fn from_setting(value: Option<&str>) -> Result<Self, String>;
}

fn required(value: Option<&str>) -> Result<&str, String> {
    value.ok_or_else(|| "is required".to_string())
}

impl<T: FromSetting> FromSetting for Option<T> {
    fn from_setting(value: Option<&str>) -> Result<Self, String> {
        match value {
            None | Some("") => Ok(None),
            some => T::from_setting(some).map(Some),
        }
    }
}

impl FromSetting for String {
    fn from_setting(value: Option<&str>) -> Result<Self, String> {
        required(value).map(str::to_string)
    }
}

impl FromSetting for PathBuf {
    fn from_setting(value: Option<&str>) -> Result<Self, String> {
        let value = required(value)?;
        if value.is_empty() {
            return Err("must not be empty".into());
        }
        Ok(PathBuf::from(value))
    }
}

macro_rules! number_setting {
    ($($ty:ty),+) => {$(
        impl FromSetting for $ty {
            fn from_setting(value: Option<&str>) -> Result<Self, String> {
                let value = required(value)?;
                value.trim().parse().map_err(|_| {
                    format!("must be a whole number from 0 to {}, not {value:?}", <$ty>::MAX)
                })
            }
        }
    )+};
}
number_setting!(u32, u64, usize);

impl FromSetting for bool {
    fn from_setting(value: Option<&str>) -> Result<Self, String> {
        match required(value)?.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" => Ok(false),
            other => Err(format!("must be true or false, not {other:?}")),
        }
    }
}

impl FromSetting for SocketAddr {
    fn from_setting(value: Option<&str>) -> Result<Self, String> {
        let value = required(value)?;
        value
            .trim()
            .parse()
            .map_err(|_| format!("must be an address and port such as 127.0.0.1:8080, not {value:?}"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl FromSetting for LogFormat {
    fn from_setting(value: Option<&str>) -> Result<Self, String> {
        match required(value)?.trim() {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => Err(format!("must be text or json, not {other:?}")),
        }
    }
}

/// A setting that must never be printed: its Debug output is redacted and its
/// memory is zeroized when dropped.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    pub fn new(value: &str) -> Self {
        Secret(SecretString::from(value))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl FromSetting for Secret {
    fn from_setting(value: Option<&str>) -> Result<Self, String> {
        required(value).map(Secret::new)
    }
}

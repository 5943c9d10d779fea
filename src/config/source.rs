use std::collections::BTreeMap;
use std::path::Path;

use super::{ConfigError, FromSetting, SettingDoc};

/// Setting values as text, gathered from the environment and the TOML file.
#[derive(Debug, Default)]
pub struct RawSettings {
    values: BTreeMap<String, Found>,
}

#[derive(Debug)]
struct Found {
    value: String,
    /// Where the value came from, as the operator would name it.
    origin: String,
}

impl RawSettings {
    pub fn collect(env: &[(String, String)], file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut raw = RawSettings::default();
        if let Some(path) = file {
            raw.read_toml(path)?;
        }
        // `_FILE` first, so that a direct variable wins over it.
        for (name, value) in env {
            let Some(key) = name.strip_prefix("BINHAN_").and_then(|k| k.strip_suffix("_FILE")) else {
                continue;
            };
            let contents = std::fs::read_to_string(value).map_err(|e| ConfigError {
                setting: name.clone(),
                problem: format!("cannot read the file it names: {}", io_reason(&e)),
            })?;
            raw.set(key, contents.trim_end_matches(['\r', '\n']).to_string(), name);
        }
        for (name, value) in env {
            let Some(key) = name.strip_prefix("BINHAN_") else {
                continue;
            };
            if key.ends_with("_FILE") || key == "CONFIG" {
                continue;
            }
            raw.set(key, value.clone(), name);
        }
        Ok(raw)
    }

    fn set(&mut self, key: &str, value: String, origin: &str) {
        let found = Found { value, origin: origin.to_string() };
        self.values.insert(key.to_ascii_lowercase(), found);
    }

    fn read_toml(&mut self, path: &Path) -> Result<(), ConfigError> {
        let file_setting = || format!("config file {}", path.display());
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            setting: file_setting(),
            problem: format!("cannot be read: {}", io_reason(&e)),
        })?;
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| ConfigError {
            setting: file_setting(),
            problem: format!("is not valid TOML: {}", e.message()),
        })?;
        for (key, value) in table {
            let text = match value {
                toml::Value::String(s) => s,
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                toml::Value::Float(f) => f.to_string(),
                other => {
                    return Err(ConfigError {
                        setting: format!("{key} in {}", file_setting()),
                        problem: format!("must be a string, number or boolean, not {}", other.type_str()),
                    });
                }
            };
            let origin = format!("{key} in {}", file_setting());
            self.set(&key, text, &origin);
        }
        Ok(())
    }

    /// A misspelt setting is refused rather than silently ignored.
    pub fn reject_unknown(&self, known: &[SettingDoc]) -> Result<(), ConfigError> {
        match self.values.iter().find(|(key, _)| !known.iter().any(|s| s.key == key.as_str())) {
            Some((_, found)) => Err(ConfigError {
                setting: found.origin.clone(),
                problem: "is not a setting of Bình An (see `binhan config`)".into(),
            }),
            None => Ok(()),
        }
    }

    pub fn get<T: FromSetting>(&self, key: &str, default: Option<&str>) -> Result<T, ConfigError> {
        let env_name = format!("BINHAN_{}", key.to_ascii_uppercase());
        let (value, origin) = match self.values.get(key) {
            Some(found) => (Some(found.value.as_str()), found.origin.as_str()),
            None => (default, env_name.as_str()),
        };
        T::from_setting(value).map_err(|problem| ConfigError { setting: origin.to_string(), problem })
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

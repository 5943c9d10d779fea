//! Configuration: every setting is declared once, in [`settings!`] below, with its
//! type, default and documentation. Values come from (highest first) `BINHAN_<KEY>`,
//! `BINHAN_<KEY>_FILE` (a file holding the value, for secrets), the TOML file, then
//! the default. An invalid value stops start-up with one line naming the setting.

mod source;
mod value;

use std::net::SocketAddr;
use std::path::PathBuf;

pub use source::RawSettings;
pub use value::{FromSetting, LogFormat, Secret};

use crate::store::DatabaseUrl;

/// A setting that could not be used, named as the operator would type it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("setting {setting}: {problem}")]
pub struct ConfigError {
    pub setting: String,
    pub problem: String,
}

/// What the documentation of a setting says, for `binhan config` and the README.
pub struct SettingDoc {
    pub key: &'static str,
    pub default: Option<&'static str>,
    pub doc: &'static str,
}

impl SettingDoc {
    pub fn env_var(&self) -> String {
        format!("BINHAN_{}", self.key.to_ascii_uppercase())
    }
}

macro_rules! settings {
    ($( $(#[doc = $doc:literal])+ $key:ident : $ty:ty = $default:expr ; )+) => {
        /// The resolved configuration of one Bình An process.
        #[derive(Debug, Clone)]
        pub struct Config {
            $( $(#[doc = $doc])+ pub $key: $ty, )+
        }

        /// Every setting, in declaration order.
        pub const SETTINGS: &[SettingDoc] = &[
            $( SettingDoc { key: stringify!($key), default: $default, doc: concat!($($doc, "\n"),+) }, )+
        ];

        impl Config {
            fn from_raw(raw: &RawSettings) -> Result<Self, ConfigError> {
                raw.reject_unknown(SETTINGS)?;
                Ok(Config { $( $key: raw.get::<$ty>(stringify!($key), $default)?, )+ })
            }
        }
    };
}

settings! {
    /// Folder for the SQLite database, the keyring and backups.
    data_dir: PathBuf = Some("data");
    /// Database URL: `sqlite://PATH` (or a plain path) or `postgres://USER:PASSWORD@HOST:PORT/DB`.
    /// Default: the SQLite file `binhan.sqlite3` in the data folder.
    database_url: Option<Secret> = None;
    /// Connections kept in the pool.
    db_pool_size: u32 = Some("8");
    /// Milliseconds a SQLite writer waits for a lock before giving up.
    sqlite_busy_timeout_ms: u32 = Some("5000");
    /// Address and port the web server listens on.
    bind: SocketAddr = Some("127.0.0.1:8080");
    /// HTTP worker threads; 0 means one per CPU core.
    workers: usize = Some("0");
    /// Seconds to finish requests in flight after Ctrl-C or SIGTERM.
    shutdown_timeout_s: u64 = Some("30");
    /// Apply pending migrations when `serve` starts.
    migrate_on_start: bool = Some("false");
    /// Log format: `text` or `json`.
    log_format: LogFormat = Some("text");
    /// Log filter, as in `RUST_LOG` (for example `info` or `binhan=debug,info`).
    log: String = Some("info");
    /// Code of the province this deployment serves (42 is Hà Tĩnh).
    province: String = Some("42");
    /// The keyring file (mode 0600). Default: `keyring.toml` in the data folder.
    /// Keep it out of database backups: a backup and its keyring together reveal everything.
    keyring_path: Option<PathBuf> = None;
    /// The keyring itself, as TOML text, instead of a file (for container secrets).
    /// `binhan keys rotate` and `retire` need a file.
    keyring: Option<Secret> = None;
    /// Years after a case is closed before its personal data is crypto-shredded by
    /// `binhan retention run`; its anonymized statistics stay.
    retention_years: u32 = Some("10");
    /// Minutes without a request after which a session ends.
    session_idle_minutes: u32 = Some("15");
    /// Hours after sign-in after which a session ends, active or not.
    session_max_hours: u32 = Some("10");
    /// Wrong passwords or codes in a row that lock an account.
    login_max_failures: u32 = Some("5");
    /// Minutes a locked account stays locked.
    login_lock_minutes: u32 = Some("15");
    /// Sign-in attempts allowed per client address per minute.
    login_attempts_per_minute: u32 = Some("20");
    /// Case searches and duplicate checks allowed per account per minute, counted
    /// from the audit log so the limit holds across instances; 0 means no limit.
    lookups_per_minute: u32 = Some("30");
    /// Require a second factor (TOTP) of every role, not only of supervisors,
    /// administrators and committee members.
    second_factor_for_all: bool = Some("false");
    /// Addresses of reverse proxies whose X-Forwarded-For is believed, comma-separated.
    /// From anyone else the header is ignored.
    trusted_proxies: String = Some("");
    /// The origin users reach Bình An at, such as https://binhan.example.vn. API calls
    /// carrying another Origin are refused. Required when `bind` is not a loopback
    /// address; on loopback the default is the request's own host.
    public_origin: Option<String> = None;
    /// Send the session cookie only over HTTPS (browsers treat 127.0.0.1 and
    /// localhost as secure, so the demo works with it on).
    cookie_secure: bool = Some("true");
    /// Public holidays besides the fixed-date ones (1/1, 30/4, 1/5, 2/9, 3/9), as
    /// comma-separated YYYY-MM-DD: Tết and the Hùng Kings' day move with the lunar
    /// calendar and the Government's yearly decision. Working-day deadlines skip them.
    public_holidays: String = Some("");
    /// A folder with `schema.cedarschema` and `*.cedar` access policies to use instead
    /// of the policies built into the binary (validated strictly at start-up).
    policies_dir: Option<PathBuf> = None;
    /// Minutes without input after which a signed-in page locks its screen (1 to 60).
    screen_lock_minutes: u32 = Some("5");
    /// Hours an accepted placement holds its beds before check-in (1 to 168); then
    /// the beds are free again by themselves.
    placement_hold_hours: u32 = Some("24");
    /// Months of the 6-month report (due before 10 June), as `FIRST..LAST`: `12..5` is
    /// December of the year before to May.
    report_half_year: String = Some("12..5");
    /// Months of the annual report (due before 10 November): `11..10` is November of
    /// the year before to October.
    report_annual: String = Some("11..10");
    /// k of the statistics: a table cell of 1 to k−1 cases is hidden, with as many
    /// other cells as it takes for it not to be worked out from the totals (2 to 20).
    disclosure_threshold: u64 = Some("5");
}

impl Config {
    /// Reads the process environment and the TOML file named by `config_file`
    /// (or by `BINHAN_CONFIG`).
    pub fn load(config_file: Option<PathBuf>) -> Result<Self, ConfigError> {
        let env: Vec<(String, String)> = std::env::vars().collect();
        let file = config_file.or_else(|| std::env::var_os("BINHAN_CONFIG").map(PathBuf::from));
        Self::from_sources(&env, file.as_deref())
    }

    /// Builds the configuration from explicit sources, so tests need not touch the
    /// process environment.
    pub fn from_sources(
        env: &[(String, String)],
        file: Option<&std::path::Path>,
    ) -> Result<Self, ConfigError> {
        let raw = RawSettings::collect(env, file)?;
        let config = Self::from_raw(&raw)?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), ConfigError> {
        let bad = |setting: &str, problem: &str| ConfigError {
            setting: format!("BINHAN_{}", setting.to_ascii_uppercase()),
            problem: problem.to_string(),
        };
        if self.db_pool_size == 0 {
            return Err(bad("db_pool_size", "must be at least 1"));
        }
        if self.province.len() != 2 || !self.province.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("province", "must be a 2-digit province code, such as 42"));
        }
        if self.session_idle_minutes == 0 || self.session_max_hours == 0 {
            return Err(bad("session_idle_minutes", "session limits must be at least 1"));
        }
        if self.login_max_failures == 0 {
            return Err(bad("login_max_failures", "must be at least 1"));
        }
        self.trusted_proxy_addresses()?;
        self.holidays()?;
        if !(1..=168).contains(&self.placement_hold_hours) {
            return Err(bad("placement_hold_hours", "must be from 1 to 168"));
        }
        if !(1..=60).contains(&self.screen_lock_minutes) {
            return Err(bad("screen_lock_minutes", "must be from 1 to 60"));
        }
        if let Some(origin) = &self.public_origin {
            let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
            let rest = rest.map(|host| host.trim_end_matches('/'));
            if rest.is_none_or(|host| host.is_empty() || host.contains(['/', '?', '#', ' '])) {
                return Err(bad(
                    "public_origin",
                    "must be a scheme and host without a path, such as https://binhan.example.vn",
                ));
            }
        }
        self.database_url()?;
        self.stats_rules()?;
        Ok(())
    }

    /// What `serve` needs besides the settings every command checks: bound to an
    /// address other people reach (anything but loopback), the origin users reach
    /// Bình An at must be named, since without it the Origin check of state-changing
    /// requests compares against the Host header, which the client chooses.
    pub fn check_serving(&self) -> Result<(), ConfigError> {
        if self.public_origin.is_none() && !self.bind.ip().is_loopback() {
            return Err(ConfigError {
                setting: "BINHAN_PUBLIC_ORIGIN".into(),
                problem: format!(
                    "must be set (such as https://binhan.example.vn) to serve on {}, an address other than loopback",
                    self.bind
                ),
            });
        }
        Ok(())
    }

    /// The reporting calendar and disclosure threshold of the statistics.
    pub fn stats_rules(&self) -> Result<crate::services::stats::StatsRules, ConfigError> {
        use crate::domain::reporting::{PeriodRule, ReportCalendar};
        let bad = |setting: &str, problem: String| ConfigError {
            setting: format!("BINHAN_{}", setting.to_ascii_uppercase()),
            problem,
        };
        let half_year = PeriodRule::parse(&self.report_half_year).map_err(|p| bad("report_half_year", p))?;
        let annual = PeriodRule::parse(&self.report_annual).map_err(|p| bad("report_annual", p))?;
        let calendar =
            ReportCalendar::new(half_year, annual).map_err(|e| bad("report_half_year", e.to_string()))?;
        if !(2..=20).contains(&self.disclosure_threshold) {
            return Err(bad("disclosure_threshold", "must be from 2 to 20".into()));
        }
        Ok(crate::services::stats::StatsRules { calendar, threshold: self.disclosure_threshold })
    }

    /// The database to use: the configured URL, or SQLite in the data folder.
    pub fn database_url(&self) -> Result<DatabaseUrl, ConfigError> {
        match &self.database_url {
            Some(url) => {
                let bad = |problem: String| ConfigError { setting: "BINHAN_DATABASE_URL".into(), problem };
                let url = DatabaseUrl::parse(url.expose()).map_err(|e| bad(e.to_string()))?;
                match url.remote_problem() {
                    Some(problem) => Err(bad(problem.to_string())),
                    None => Ok(url),
                }
            }
            None => Ok(DatabaseUrl::Sqlite(self.data_dir.join("binhan.sqlite3"))),
        }
    }

    /// The proxies whose X-Forwarded-For header is believed.
    pub fn trusted_proxy_addresses(&self) -> Result<Vec<std::net::IpAddr>, ConfigError> {
        self.trusted_proxies
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| {
                a.parse().map_err(|_| ConfigError {
                    setting: "BINHAN_TRUSTED_PROXIES".into(),
                    problem: format!("{a:?} is not an IP address"),
                })
            })
            .collect()
    }

    /// The public holidays: the fixed-date ones of the years around now, and the
    /// configured ones.
    pub fn holidays(&self) -> Result<crate::domain::deadlines::Holidays, ConfigError> {
        use chrono::Datelike;
        let configured = self
            .public_holidays
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| {
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| ConfigError {
                    setting: "BINHAN_PUBLIC_HOLIDAYS".into(),
                    problem: format!("{d:?} is not a date like 2026-02-16"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let year = chrono::Utc::now().year();
        Ok(crate::domain::deadlines::Holidays::fixed_dates(year - 5..=year + 5)
            .with(&crate::domain::deadlines::Holidays::new(configured)))
    }

    /// Where the access policies come from.
    pub fn policy_source(&self) -> crate::authz::PolicySource {
        match &self.policies_dir {
            Some(dir) => crate::authz::PolicySource::Folder(dir.clone()),
            None => crate::authz::PolicySource::BuiltIn,
        }
    }

    /// Where the keyring file is.
    pub fn keyring_file(&self) -> PathBuf {
        self.keyring_path.clone().unwrap_or_else(|| self.data_dir.join("keyring.toml"))
    }

    /// A configuration for a given data folder with every other setting at its default.
    pub fn for_data_dir(data_dir: PathBuf) -> Self {
        let mut config = Self::from_sources(&[], None).expect("the defaults are valid");
        config.data_dir = data_dir;
        config
    }
}

#[cfg(test)]
mod tests;

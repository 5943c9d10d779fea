use std::path::PathBuf;

use crate::config::Secret;

/// Which database to open. The backend is chosen here, from the scheme, so that a
/// connection failure can be reported as what it is (diesel's own multi-backend
/// `establish` only says "Invalid connection url for multiconnection").
#[derive(Debug, Clone)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(Secret),
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UrlError {
    #[error("unknown scheme {0:?}: use sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE")]
    UnknownScheme(String),
    #[error("the SQLite path is empty")]
    EmptyPath,
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, UrlError> {
        let url = url.trim();
        match url.split_once("://") {
            Some(("sqlite", path)) => Self::sqlite_path(path),
            Some(("postgres" | "postgresql", _)) => Ok(DatabaseUrl::Postgres(Secret::new(url))),
            Some((scheme, _)) => Err(UrlError::UnknownScheme(scheme.to_string())),
            None => match url.strip_prefix("sqlite:") {
                Some(path) => Self::sqlite_path(path),
                None if url.contains(':') && !url.starts_with('/') && !url.starts_with('.') => {
                    let scheme = url.split(':').next().unwrap_or_default();
                    Err(UrlError::UnknownScheme(scheme.to_string()))
                }
                None => Self::sqlite_path(url),
            },
        }
    }

    fn sqlite_path(path: &str) -> Result<Self, UrlError> {
        if path.is_empty() {
            return Err(UrlError::EmptyPath);
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    /// Where the database is, safe to print: a PostgreSQL password is never shown.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => {
                let target = PgTarget::of(url.expose());
                format!("postgres://{}@{}/{}", target.user, target.host_port, target.database)
            }
        }
    }
}

impl DatabaseUrl {
    /// Why this URL may not be used to reach a database on another machine, or
    /// None (ASVS 12.3.1, 12.3.2, 12.3.4, 13.2.3). A PostgreSQL server that is not
    /// on this machine (not a loopback address, `localhost` or a unix socket) must be
    /// reached with `sslmode=verify-full` (encrypted, its certificate and name
    /// checked) against the internal CA named by `sslrootcert`, and not with an
    /// empty or default password. SQLite is a local file.
    pub fn remote_problem(&self) -> Option<&'static str> {
        let DatabaseUrl::Postgres(url) = self else { return None };
        let url = url.expose();
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
        let params: Vec<(&str, &str)> = query.split('&').filter_map(|p| p.split_once('=')).collect();
        let param = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| *v);
        let (userinfo, location) = before_query.rsplit_once('@').unwrap_or(("", before_query));
        let host_port = location.split('/').next().unwrap_or_default();
        let host = match param("host") {
            Some(host) => host.to_string(),
            None if host_port.starts_with('[') => {
                host_port.trim_start_matches('[').split(']').next().unwrap_or_default().to_string()
            }
            None => host_port.rsplit_once(':').map_or(host_port, |(h, _)| h).to_string(),
        };
        let local = host.is_empty()
            || host == "localhost"
            || host.starts_with('/')
            || host.starts_with("%2F")
            || host.starts_with("%2f")
            || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
        if local {
            return None;
        }
        if param("sslmode") != Some("verify-full") {
            return Some("a PostgreSQL server on another machine needs sslmode=verify-full in the URL");
        }
        if param("sslrootcert").is_none_or(str::is_empty) {
            return Some("a PostgreSQL server on another machine needs sslrootcert=PATH (its CA) in the URL");
        }
        let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
        let client_certificate = param("sslcert").is_some_and(|c| !c.is_empty());
        if password.is_empty() && !client_certificate {
            return Some(
                "a PostgreSQL server on another machine needs a password or a client certificate (sslcert)",
            );
        }
        let default = ["postgres", "password", "admin", "root", "changeme", "binhan"];
        if !password.is_empty() && (default.contains(&password) || password == user) {
            return Some("the PostgreSQL password is a default one: choose a long random password");
        }
        None
    }
}

impl PartialEq for DatabaseUrl {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (DatabaseUrl::Sqlite(a), DatabaseUrl::Sqlite(b)) => a == b,
            (DatabaseUrl::Postgres(a), DatabaseUrl::Postgres(b)) => a.expose() == b.expose(),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        })
    }
}

/// The parts of a PostgreSQL URL that may appear in a message.
pub(crate) struct PgTarget {
    pub user: String,
    pub host_port: String,
    pub database: String,
}

impl PgTarget {
    pub fn of(url: &str) -> Self {
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        let (userinfo, location) = rest.rsplit_once('@').unwrap_or(("", rest));
        let user = userinfo.split(':').next().unwrap_or_default();
        let location = location.split('?').next().unwrap_or_default();
        let (host_port, database) = location.split_once('/').unwrap_or((location, ""));
        let host_port = if host_port.is_empty() { "localhost" } else { host_port };
        let host_port =
            if host_port.contains(':') { host_port.to_string() } else { format!("{host_port}:5432") };
        PgTarget {
            user: if user.is_empty() { "(default)".into() } else { user.to_string() },
            host_port,
            database: database.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_choose_the_backend() {
        assert_eq!(DatabaseUrl::parse("sqlite://data/x.db").unwrap().backend(), Backend::Sqlite);
        assert_eq!(DatabaseUrl::parse("./x.db").unwrap().backend(), Backend::Sqlite);
        assert_eq!(DatabaseUrl::parse("/var/x.db").unwrap().backend(), Backend::Sqlite);
        assert_eq!(DatabaseUrl::parse("x.db").unwrap().backend(), Backend::Sqlite);
        assert_eq!(DatabaseUrl::parse("postgresql://u@h/db").unwrap().backend(), Backend::Postgres);
    }

    #[test]
    fn an_unknown_scheme_is_named() {
        assert_eq!(
            DatabaseUrl::parse("mysql://root@localhost/db").unwrap_err(),
            UrlError::UnknownScheme("mysql".into())
        );
        assert_eq!(DatabaseUrl::parse("redis:6379").unwrap_err(), UrlError::UnknownScheme("redis".into()));
    }

    fn problem(url: &str) -> Option<&'static str> {
        DatabaseUrl::parse(url).unwrap().remote_problem()
    }

    #[test]
    fn a_local_postgresql_or_socket_may_go_without_tls() {
        assert_eq!(problem("postgres://postgres@127.0.0.1:5432/test"), None);
        assert_eq!(problem("postgres://app:pw@localhost/binhan"), None);
        assert_eq!(problem("postgres://app:pw@[::1]:5432/binhan"), None);
        assert_eq!(problem("postgres://app@%2Frun%2Fpostgresql/binhan"), None);
        assert_eq!(problem("postgres:///binhan?host=/run/postgresql"), None);
        assert_eq!(problem("sqlite://data/binhan.sqlite3"), None);
    }

    #[test]
    fn a_remote_postgresql_without_verified_tls_is_refused() {
        let strong = "pw-7c1f0e9a2b";
        for url in [
            format!("postgres://app:{strong}@db.internal:5432/binhan"),
            format!("postgres://app:{strong}@db.internal/binhan?sslmode=require&sslrootcert=/etc/ca.pem"),
            format!("postgres://app:{strong}@10.0.0.5/binhan?sslmode=verify-ca&sslrootcert=/etc/ca.pem"),
            format!("postgres://app:{strong}@db.internal/binhan?sslmode=verify-full"),
            format!("postgres://app:{strong}@127.0.0.1/binhan?host=db.internal&sslmode=disable"),
        ] {
            assert!(problem(&url).is_some(), "{url}");
        }
        let good = format!(
            "postgres://app:{strong}@db.internal:5432/binhan?sslmode=verify-full&sslrootcert=/etc/ca.pem"
        );
        assert_eq!(problem(&good), None);
    }

    #[test]
    fn a_remote_postgresql_with_a_default_or_empty_password_is_refused() {
        let tls = "sslmode=verify-full&sslrootcert=/etc/ca.pem";
        for url in [
            format!("postgres://postgres:postgres@db.internal/binhan?{tls}"),
            format!("postgres://app:app@db.internal/binhan?{tls}"),
            format!("postgres://app@db.internal/binhan?{tls}"),
            format!("postgres://app:@db.internal/binhan?{tls}"),
        ] {
            assert!(problem(&url).is_some(), "{url}");
        }
        let certificate =
            format!("postgres://app@db.internal/binhan?{tls}&sslcert=/etc/app.crt&sslkey=/etc/app.key");
        assert_eq!(problem(&certificate), None, "a client certificate needs no password");
    }

    #[test]
    fn the_password_is_never_shown() {
        let url = DatabaseUrl::parse("postgres://app:hunter2@db.local/binhan?sslmode=require").unwrap();
        assert_eq!(url.redacted(), "postgres://app@db.local:5432/binhan");
    }
}

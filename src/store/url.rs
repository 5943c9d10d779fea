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

    #[test]
    fn the_password_is_never_shown() {
        let url = DatabaseUrl::parse("postgres://app:hunter2@db.local/binhan?sslmode=require").unwrap();
        assert_eq!(url.redacted(), "postgres://app@db.local:5432/binhan");
    }
}

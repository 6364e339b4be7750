//! Where the data lives: the `--database-url` value, parsed, and shown
//! without its password.

use std::path::PathBuf;

/// Where the data lives, parsed from `--database-url`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` url, kept whole for the driver
    /// (it may carry a password: show it only through `redact_url`).
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<DatabaseUrl, String> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() || path.starts_with(":memory:") {
                return Err(
                    "an SQLite database url needs a file path, e.g. sqlite://stockroom.db".into(),
                );
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(
                path.split('?').next().unwrap_or(path),
            )));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_owned()));
        }
        Err(format!(
            "unknown database url scheme in `{}`; use sqlite://FILE or postgres://…",
            redact_url(url)
        ))
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            DatabaseUrl::Postgres(url) => {
                f.debug_tuple("Postgres").field(&redact_url(url)).finish()
            }
        }
    }
}

/// A database url with any password replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_a_database_url_is_redacted() {
        assert_eq!(
            redact_url("postgres://shop:s3cret@db:5432/x"),
            "postgres://shop:***@db:5432/x"
        );
        assert_eq!(redact_url("postgres://shop@db/x"), "postgres://shop@db/x");
        assert_eq!(redact_url("sqlite://stockroom.db"), "sqlite://stockroom.db");
    }

    #[test]
    fn sqlite_urls_name_a_file() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://shop.db"),
            Ok(DatabaseUrl::Sqlite("shop.db".into()))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/s.db"),
            Ok(DatabaseUrl::Sqlite("/var/lib/s.db".into()))
        );
        assert!(DatabaseUrl::parse("sqlite::memory:").is_err());
        assert!(DatabaseUrl::parse("mysql://x").is_err());
    }

    #[test]
    fn postgres_urls_are_kept_whole_for_the_driver() {
        for url in [
            "postgres://shop:s3cret@db:5432/shop?options=-c%20search_path%3Dx",
            "postgresql://db/shop",
        ] {
            assert_eq!(
                DatabaseUrl::parse(url),
                Ok(DatabaseUrl::Postgres(url.into()))
            );
        }
    }
}

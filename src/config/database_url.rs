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

/// A database url with any password replaced by `***`, for messages and
/// logs: the one in `user:password@`, and the value of a `password`
/// parameter (`?password=…`, which the driver reads too).
pub fn redact_url(url: &str) -> String {
    let url = &redact_password_parameters(url);
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

/// The url with the value of every query parameter whose name (decoded)
/// holds `password` replaced by `***`.
fn redact_password_parameters(url: &str) -> String {
    let Some((head, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| {
            let name = form_urlencoded::parse(pair.as_bytes())
                .next()
                .map(|(name, _)| name.to_ascii_lowercase())
                .unwrap_or_default();
            match pair.split_once('=') {
                Some((raw_name, _)) if name.contains("password") => format!("{raw_name}=***"),
                _ => pair.to_owned(),
            }
        })
        .collect();
    format!("{head}?{}", pairs.join("&"))
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
    fn a_password_given_as_a_url_parameter_is_redacted() {
        assert_eq!(
            redact_url("postgres://shop@db/x?password=s3cret&sslmode=disable"),
            "postgres://shop@db/x?password=***&sslmode=disable"
        );
        assert_eq!(
            redact_url("postgresql://db/x?application_name=a&password=s3cret"),
            "postgresql://db/x?application_name=a&password=***"
        );
        // Spelled with escapes, the driver still reads it as the password.
        assert_eq!(
            redact_url("postgres://db/x?pass%77ord=s3cret"),
            "postgres://db/x?pass%77ord=***"
        );
        assert_eq!(
            redact_url("postgres://shop:pw@db/x?password=s3cret"),
            "postgres://shop:***@db/x?password=***"
        );
        for url in [
            "postgres://db/x?password=s3cret",
            "postgres://u@db/x?application_name=a@b&password=s3cret",
        ] {
            assert!(!redact_url(url).contains("s3cret"), "{url}");
        }
        assert_eq!(
            redact_url("postgres://db/x?sslmode=disable"),
            "postgres://db/x?sslmode=disable"
        );
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

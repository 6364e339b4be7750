//! A secret setting (a token, a password in a url): usable by the code,
//! never shown by `Debug`, so never in a log line.

/// A secret setting: usable, never shown by `Debug` (so never in a log line).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"***\"")
    }
}

impl std::str::FromStr for Secret {
    type Err = String;

    fn from_str(value: &str) -> Result<Secret, String> {
        if value.trim().is_empty() {
            Err("a secret cannot be empty".into())
        } else {
            Ok(Secret(value.to_owned()))
        }
    }
}

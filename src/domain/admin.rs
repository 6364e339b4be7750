//! The people who run the shop: who changes the catalog, the stock and the
//! orders, in which role, known by a session or an API token.

use super::ValidationError;
use super::invalid::required_text;
use super::limits::ADMIN_NAME_CHARS_MAX;
use super::staff::Role;

/// An authenticated admin; its name is the actor of everything it changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Admin {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// A newly created admin and its bearer token, if one was made, shown this once.
pub struct NewAdmin {
    pub admin: Admin,
    pub token: Option<String>,
}

impl std::fmt::Debug for NewAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAdmin")
            .field("admin", &self.admin)
            .field("token", &"***")
            .finish()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminInfo {
    pub name: String,
    pub role: Role,
    pub created_at: String,
    pub last_seen_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// The name a new admin may take: required text, at most `ADMIN_NAME_CHARS_MAX` characters.
pub fn admin_name(name: &str) -> Result<String, ValidationError> {
    required_text("name", Some(name), ADMIN_NAME_CHARS_MAX).map_err(ValidationError::one)
}

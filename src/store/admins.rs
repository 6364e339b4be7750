//! Admins above the backends: the SQL both databases run for admins and
//! their trail, the name check, and tokens that read
//! `sra_<admin id>_<secret>` (the id finds the row, the secret's hash is
//! compared in constant time).

use super::row::StoredRow;
use super::tokens::{new_token, token_matches};
use super::{Admin, AdminInfo, NewAdmin, Resource, StoreError};
use crate::domain::ValidationError;
use crate::domain::invalid::required_text;
use crate::domain::limits::ADMIN_NAME_CHARS_MAX;

const ADMIN_TOKEN_PREFIX: &str = "sra_";

/// A new admin: id, name, token hash, when.
pub const INSERT_ADMIN: &str =
    "insert into admins (id, name, token_hash, created_at) values ($1, $2, $3, $4)";

/// Revokes, at `$1`, the admin named `$2` unless already revoked.
pub const REVOKE_ADMIN: &str =
    "update admins set revoked_at = $1 where name = $2 and revoked_at is null";

/// Every admin, in creation order, read by `admin_info_row`.
pub const ADMINS: &str = "select name, created_at, revoked_at from admins order by id";

/// The name and token hash of the admin `$1`, unless revoked.
pub const ADMIN_BY_ID: &str =
    "select name, token_hash from admins where id = $1 and revoked_at is null";

/// Remembers an admin action that changed something: actor, action, subject, when.
pub const INSERT_ADMIN_ACTION: &str =
    "insert into admin_actions (actor, action, subject, created_at) values ($1, $2, $3, $4)";

/// The name a new admin may take: required text, at most `ADMIN_NAME_CHARS_MAX` characters.
pub fn admin_name(name: &str) -> Result<String, StoreError> {
    Ok(required_text("name", Some(name), ADMIN_NAME_CHARS_MAX).map_err(ValidationError::one)?)
}

/// The admin `id` named `name`, with a new token that names the id.
pub fn new_admin(id: i64, name: &str) -> NewAdmin {
    NewAdmin {
        admin: Admin {
            id,
            name: name.to_owned(),
        },
        token: new_token(&format!("{ADMIN_TOKEN_PREFIX}{id}_")),
    }
}

/// The admin id a token names, if it reads like an admin token at all.
pub fn token_admin_id(token: &str) -> Option<i64> {
    token
        .strip_prefix(ADMIN_TOKEN_PREFIX)
        .and_then(|rest| rest.split_once('_'))
        .and_then(|(id, _)| id.parse::<i64>().ok())
}

/// The admin `id` if it was `found` (name, token hash) and `token` is its token.
pub fn authenticated(id: i64, found: Option<(String, String)>, token: &str) -> Option<Admin> {
    found
        .filter(|(_, hash)| token_matches(token, hash))
        .map(|(name, _)| Admin { id, name })
}

/// Whether revoking `name` changed a row; none is an unknown (or already revoked) admin.
pub fn revoked(rows_changed: u64, name: &str) -> Result<(), StoreError> {
    if rows_changed == 0 {
        Err(StoreError::not_found(Resource::Admin, name))
    } else {
        Ok(())
    }
}

/// A row of `ADMINS`.
pub fn admin_info_row(row: &impl StoredRow) -> Result<AdminInfo, StoreError> {
    Ok(AdminInfo {
        name: row.value(0)?,
        created_at: row.value(1)?,
        revoked_at: row.value(2)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tokens::hash_token;

    #[test]
    fn a_new_admin_token_names_its_admin_and_opens_only_with_its_hash() {
        let created = new_admin(7, "awa");
        assert_eq!(token_admin_id(&created.token), Some(7));
        let found = Some(("awa".to_owned(), hash_token(&created.token)));
        assert_eq!(
            authenticated(7, found.clone(), &created.token),
            Some(created.admin)
        );
        assert_eq!(authenticated(7, found, &new_admin(7, "awa").token), None);
        assert_eq!(token_admin_id("sro_7_x"), None);
        assert_eq!(token_admin_id("sra_x_y"), None);
    }
}

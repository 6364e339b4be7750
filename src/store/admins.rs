//! Admins above the backends: created with a token shown once, found by
//! that token's hash, revoked, listed; and the trail of what they change.

use super::db::{Db, Param};
use super::row::Row;
use super::{Resource, StoreError};
use crate::domain::admin::{Admin, AdminInfo, NewAdmin};
use crate::domain::time;
use crate::domain::tokens::{hash_token, new_admin_token, token_matches};

/// A new admin: id, name, token hash, when.
const INSERT_ADMIN: &str =
    "insert into admins (id, name, token_hash, created_at) values ($1, $2, $3, $4)";

/// Revokes, at `$1`, the admin named `$2` unless already revoked.
const REVOKE_ADMIN: &str =
    "update admins set revoked_at = $1 where name = $2 and revoked_at is null";

/// Every admin, in creation order, read by `admin_info_row`.
const ADMINS: &str = "select name, created_at, revoked_at from admins order by id";

/// The name and token hash of the admin `$1`, unless revoked.
const ADMIN_BY_ID: &str =
    "select name, token_hash from admins where id = $1 and revoked_at is null";

/// Remembers an admin action that changed something: actor, action, subject, when.
const INSERT_ADMIN_ACTION: &str =
    "insert into admin_actions (actor, action, subject, created_at) values ($1, $2, $3, $4)";

/// A new admin named `name`, with its token. The id is drawn first because
/// the token carries it; the unique name refuses a second admin of the same
/// name, even one created at the same moment on another instance.
pub async fn create<D: Db>(db: &D, name: &str) -> Result<NewAdmin, D::Error> {
    let id: i64 = db.one(D::NEXT_ADMIN_ID, &[], |row| row.value(0)).await?;
    let created = NewAdmin {
        admin: Admin {
            id,
            name: name.to_owned(),
        },
        token: new_admin_token(id),
    };
    let params: [&dyn Param; 4] = [&id, &name, &hash_token(&created.token), &time::now()];
    let taken = || StoreError::already_exists("name", name);
    db.write_unique(INSERT_ADMIN, &params, taken).await?;
    Ok(created)
}

/// Revokes the admin `name`; `NotFound` if there is none, or it was revoked.
pub async fn revoke<D: Db>(db: &D, name: &str) -> Result<(), D::Error> {
    let changed = db.write(REVOKE_ADMIN, &[&time::now(), &name]).await?;
    if changed == 0 {
        return Err(StoreError::not_found(Resource::Admin, name).into());
    }
    Ok(())
}

pub async fn list<D: Db>(db: &D) -> Result<Vec<AdminInfo>, D::Error> {
    db.all(ADMINS, &[], admin_info_row).await
}

/// The admin `id`, if `token` is its token and it is not revoked.
pub async fn authenticate<D: Db>(db: &D, id: i64, token: &str) -> Result<Option<Admin>, D::Error> {
    let found: Option<(String, String)> = db
        .first(ADMIN_BY_ID, &[&id], |row| {
            Ok((row.value(0)?, row.value(1)?))
        })
        .await?;
    Ok(found
        .filter(|(_, hash)| token_matches(token, hash))
        .map(|(name, _)| Admin { id, name }))
}

/// Remembers an admin action that changed something, with its actor.
pub async fn record_action<D: Db>(
    db: &D,
    actor: &str,
    action: &str,
    subject: &str,
    at: &str,
) -> Result<(), D::Error> {
    let params: [&dyn Param; 4] = [&actor, &action, &subject, &at];
    db.write(INSERT_ADMIN_ACTION, &params).await?;
    Ok(())
}

/// A row of `ADMINS`.
fn admin_info_row(row: &Row) -> Result<AdminInfo, StoreError> {
    Ok(AdminInfo {
        name: row.value(0)?,
        created_at: row.value(1)?,
        revoked_at: row.value(2)?,
    })
}

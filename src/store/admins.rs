//! The people who run the shop, above the backends: created with an API
//! token or a setup link, found by a token's hash, listed, revoked (never
//! the last owner); and the trail of what they change.

use super::db::{Db, Param, Writes};
use super::row::Row;
use super::{Resource, StoreError};
use crate::domain::admin::{Admin, AdminInfo, NewAdmin};
use crate::domain::staff::Role;
use crate::domain::time;
use crate::domain::tokens::{hash_token, new_admin_token, token_matches};

/// A new person: id, name, role, token hash (or null), when.
const INSERT_ADMIN: &str = "insert into admins (id, name, role, token_hash, created_at)
    values ($1, $2, $3, $4, $5)";

/// Revokes, at `$1`, the person named `$2` unless already revoked.
const REVOKE_ADMIN: &str =
    "update admins set revoked_at = $1 where name = $2 and revoked_at is null";

/// Ends, at `$1`, the open sessions of everyone revoked…
const END_SESSIONS_OF_REVOKED: &str = "update admin_sessions set ended_at = $1
    where ended_at is null and admin_id in (select id from admins where revoked_at is not null)";

/// …and voids their unused setup links.
const VOID_SETUP_OF_REVOKED: &str = "update setup_tokens set used_at = $1
    where used_at is null and admin_id in (select id from admins where revoked_at is not null)";

/// The active owners, locked (on PostgreSQL) so that two owners revoking
/// each other at once cannot leave the shop with none.
const ACTIVE_OWNERS: &str =
    "select name from admins where role = 'owner' and revoked_at is null order by id";

/// The role of the active person `$1`.
const ROLE_OF: &str = "select role from admins where name = $1 and revoked_at is null";

/// Everyone, in creation order, read by `admin_info_row`.
const ADMINS: &str =
    "select name, role, created_at, last_seen_at, revoked_at from admins order by id";

/// The name, role and token hash of the person `$1`, unless revoked.
const ADMIN_BY_ID: &str = "select name, role, token_hash, last_seen_at from admins
    where id = $1 and revoked_at is null";

/// Notes at `$1` that the person `$2` was seen.
const TOUCH_ADMIN: &str = "update admins set last_seen_at = $1 where id = $2";

/// Remembers an admin action that changed something: actor, action,
/// subject, when, and what it was before and became (JSON, or null).
const INSERT_ADMIN_ACTION: &str = "insert into admin_actions
    (actor, action, subject, created_at, before, after) values ($1, $2, $3, $4, $5, $6)";

/// A new person named `name` with `role`, with an API token when
/// `with_token`. The id is drawn first because the token carries it; the
/// unique name refuses a second person of the same name, even one created
/// at the same moment on another instance.
pub async fn create<D: Db>(
    db: &D,
    name: &str,
    role: Role,
    with_token: bool,
) -> Result<NewAdmin, D::Error> {
    let id: i64 = db.one(D::NEXT_ADMIN_ID, &[], |row| row.value(0)).await?;
    let token = with_token.then(|| new_admin_token(id));
    let token_hash = token.as_deref().map(hash_token);
    let params: [&dyn Param; 5] = [&id, &name, &role.as_str(), &token_hash, &time::now()];
    let taken = || StoreError::already_exists("name", name);
    db.write_unique(INSERT_ADMIN, &params, taken).await?;
    Ok(NewAdmin {
        admin: Admin {
            id,
            name: name.to_owned(),
            role,
        },
        token,
    })
}

/// Revokes the person `name`: their sessions, token and setup links end in
/// the same transaction. `NotFound` if there is none or they were revoked;
/// `LastOwner` if they are the last active owner.
pub async fn revoke<D: Writes>(db: &D, name: &str) -> Result<(), D::Error> {
    let owners: Vec<String> = db
        .all(&D::locking(ACTIVE_OWNERS, true), &[], |row| row.value(0))
        .await?;
    let role: Option<String> = db.first(ROLE_OF, &[&name], |row| row.value(0)).await?;
    let Some(role) = role else {
        return Err(StoreError::not_found(Resource::Admin, name).into());
    };
    if role == Role::Owner.as_str() && owners.len() <= 1 {
        return Err(StoreError::LastOwner.into());
    }
    let now = time::now();
    db.write(REVOKE_ADMIN, &[&now, &name]).await?;
    db.write(END_SESSIONS_OF_REVOKED, &[&now]).await?;
    db.write(VOID_SETUP_OF_REVOKED, &[&now]).await?;
    Ok(())
}

pub async fn list<D: Db>(db: &D) -> Result<Vec<AdminInfo>, D::Error> {
    db.all(ADMINS, &[], admin_info_row).await
}

/// The person `id`, if `token` is their API token and they are not
/// revoked, with when they were last seen.
pub async fn authenticate<D: Db>(
    db: &D,
    id: i64,
    token: &str,
) -> Result<Option<(Admin, Option<String>)>, D::Error> {
    let found = db
        .first(ADMIN_BY_ID, &[&id], |row| {
            let hash: Option<String> = row.value(2)?;
            let admin = Admin {
                id,
                name: row.value(0)?,
                role: role_of(row, 1)?,
            };
            Ok((admin, hash, row.value::<Option<String>>(3)?))
        })
        .await?;
    Ok(found.and_then(|(admin, hash, seen)| {
        hash.filter(|hash| token_matches(token, hash))
            .map(|_| (admin, seen))
    }))
}

/// Notes that the person `id` was seen now.
pub async fn touch<D: Db>(db: &D, id: i64) -> Result<(), D::Error> {
    db.write(TOUCH_ADMIN, &[&time::now(), &id]).await?;
    Ok(())
}

/// An admin change to remember: who did what to which thing, when, and
/// what it was before and became (JSON) where the verb knows.
pub struct Action<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub at: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Remembers an admin action that changed something, with its actor.
pub async fn record_action<D: Db>(
    db: &D,
    actor: &str,
    action: &str,
    subject: &str,
    at: &str,
) -> Result<(), D::Error> {
    record(
        db,
        &Action {
            actor,
            action,
            subject,
            at,
            before: None,
            after: None,
        },
    )
    .await
}

/// Remembers an admin change with what it was before and what it became,
/// each written as JSON.
pub async fn record_change<D: Db>(
    db: &D,
    (actor, action, subject, at): (&str, &str, &str, &str),
    before: Option<&impl serde::Serialize>,
    after: Option<&impl serde::Serialize>,
) -> Result<(), D::Error> {
    let action = Action {
        actor,
        action,
        subject,
        at,
        before: before.and_then(|v| serde_json::to_string(v).ok()),
        after: after.and_then(|v| serde_json::to_string(v).ok()),
    };
    record(db, &action).await
}

/// Remembers an admin action with its before and after.
pub async fn record<D: Db>(db: &D, action: &Action<'_>) -> Result<(), D::Error> {
    let params: [&dyn Param; 6] = [
        &action.actor,
        &action.action,
        &action.subject,
        &action.at,
        &action.before,
        &action.after,
    ];
    db.write(INSERT_ADMIN_ACTION, &params).await?;
    Ok(())
}

/// The role written in column `index`.
pub fn role_of(row: &Row, index: usize) -> Result<Role, StoreError> {
    let role: String = row.value(index)?;
    role.parse()
        .map_err(|_| StoreError::Internal(format!("unknown role `{role}` in admins")))
}

/// A row of `ADMINS`.
fn admin_info_row(row: &Row) -> Result<AdminInfo, StoreError> {
    Ok(AdminInfo {
        name: row.value(0)?,
        role: role_of(row, 1)?,
        created_at: row.value(2)?,
        last_seen_at: row.value(3)?,
        revoked_at: row.value(4)?,
    })
}

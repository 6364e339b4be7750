//! Admins on PostgreSQL: created with a token shown once, found by that token's hash.

use super::PgStore;
use super::rows::duplicate_or;
use super::sql::{execute, query, query_one, query_opt};
use crate::domain::invalid::required_text;
use crate::domain::limits::ADMIN_NAME_CHARS_MAX;
use crate::domain::{ValidationError, time};
use crate::store::tokens::{hash_token, new_token, token_matches};
use crate::store::{Admin, AdminInfo, NewAdmin, Resource, StoreError};

/// Admin tokens read `sra_<admin id>_<secret>`: the id finds the row, the
/// secret's hash is compared in constant time.
const ADMIN_TOKEN_PREFIX: &str = "sra_";

impl PgStore {
    pub async fn create_admin(&self, name: &str) -> Result<NewAdmin, StoreError> {
        let name = required_text("name", Some(name), ADMIN_NAME_CHARS_MAX)
            .map_err(ValidationError::one)?;
        self.write(name.as_str(), |tx, name| {
            Box::pin(async move {
                // The id is drawn first because the token carries it; the
                // unique name refuses a second admin of the same name, even
                // one created at the same moment on another instance.
                let id: i64 = query_one(
                    tx,
                    "select nextval(pg_get_serial_sequence('admins', 'id'))",
                    &[],
                )
                .await?
                .try_get(0)?;
                let token = new_token(&format!("{ADMIN_TOKEN_PREFIX}{id}_"));
                execute(
                    tx,
                    "insert into admins (id, name, token_hash, created_at) values ($1, $2, $3, $4)",
                    &[&id, &name, &hash_token(&token), &time::now()],
                )
                .await
                .map_err(|e| duplicate_or(e.into(), "name", name))?;
                Ok(NewAdmin {
                    admin: Admin {
                        id,
                        name: name.to_owned(),
                    },
                    token,
                })
            })
        })
        .await
    }

    pub async fn revoke_admin(&self, name: &str) -> Result<(), StoreError> {
        self.write(name, |tx, name| {
            Box::pin(async move {
                let changed = execute(
                    tx,
                    "update admins set revoked_at = $2 where name = $1 and revoked_at is null",
                    &[&name, &time::now()],
                )
                .await?;
                if changed == 0 {
                    Err(StoreError::not_found(Resource::Admin, name).into())
                } else {
                    Ok(())
                }
            })
        })
        .await
    }

    pub async fn list_admins(&self) -> Result<Vec<AdminInfo>, StoreError> {
        self.read(&(), |client, ()| {
            Box::pin(async move {
                let rows = query(
                    client,
                    "select name, created_at, revoked_at from admins order by id",
                    &[],
                )
                .await?;
                Ok(rows
                    .iter()
                    .map(|row| {
                        Ok(AdminInfo {
                            name: row.try_get(0)?,
                            created_at: row.try_get(1)?,
                            revoked_at: row.try_get(2)?,
                        })
                    })
                    .collect::<Result<_, tokio_postgres::Error>>()?)
            })
        })
        .await
    }

    pub async fn authenticate_admin(&self, token: &str) -> Result<Option<Admin>, StoreError> {
        let Some(id) = token
            .strip_prefix(ADMIN_TOKEN_PREFIX)
            .and_then(|rest| rest.split_once('_'))
            .and_then(|(id, _)| id.parse::<i64>().ok())
        else {
            return Ok(None);
        };
        self.read(&(id, token), |client, (id, token)| {
            Box::pin(async move {
                let found = query_opt(
                    client,
                    "select name, token_hash from admins where id = $1 and revoked_at is null",
                    &[id],
                )
                .await?;
                let Some(row) = found else {
                    return Ok(None);
                };
                let (name, hash): (String, String) = (row.try_get(0)?, row.try_get(1)?);
                Ok(token_matches(token, &hash).then_some(Admin { id: *id, name }))
            })
        })
        .await
    }
}

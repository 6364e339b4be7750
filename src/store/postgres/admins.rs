//! Admins on PostgreSQL: created with a token shown once, found by that token's hash.

use super::PgStore;
use super::rows::{all, duplicate_or, first};
use super::sql::{execute, query_one};
use crate::domain::time;
use crate::store::admins::{
    ADMIN_BY_ID, ADMINS, INSERT_ADMIN, REVOKE_ADMIN, admin_info_row, admin_name, authenticated,
    new_admin, revoked, token_admin_id,
};
use crate::store::row::StoredRow;
use crate::store::tokens::hash_token;
use crate::store::{Admin, AdminInfo, NewAdmin, StoreError};

impl PgStore {
    pub async fn create_admin(&self, name: &str) -> Result<NewAdmin, StoreError> {
        let name = admin_name(name)?;
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
                let created = new_admin(id, name);
                let hash = hash_token(&created.token);
                execute(tx, INSERT_ADMIN, &[&id, &name, &hash, &time::now()])
                    .await
                    .map_err(|e| duplicate_or(e.into(), "name", name))?;
                Ok(created)
            })
        })
        .await
    }

    pub async fn revoke_admin(&self, name: &str) -> Result<(), StoreError> {
        self.write(name, |tx, name| {
            Box::pin(async move {
                let changed = execute(tx, REVOKE_ADMIN, &[&time::now(), &name]).await?;
                Ok(revoked(changed, name)?)
            })
        })
        .await
    }

    pub async fn list_admins(&self) -> Result<Vec<AdminInfo>, StoreError> {
        self.read(&(), |client, ()| {
            Box::pin(all(client, ADMINS, &[], admin_info_row))
        })
        .await
    }

    pub async fn authenticate_admin(&self, token: &str) -> Result<Option<Admin>, StoreError> {
        let Some(id) = token_admin_id(token) else {
            return Ok(None);
        };
        self.read(&(id, token), |client, (id, token)| {
            Box::pin(async move {
                let found = first(client, ADMIN_BY_ID, &[id], |row| {
                    Ok((row.value(0)?, row.value(1)?))
                })
                .await?;
                Ok(authenticated(*id, found, token))
            })
        })
        .await
    }
}

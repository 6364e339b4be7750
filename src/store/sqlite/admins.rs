//! Admins on SQLite: created with a token shown once, found by that token's hash.

use rusqlite::params;

use super::SqliteStore;
use super::rows::{all, duplicate_or, first, one};
use crate::domain::time;
use crate::store::admins::{
    ADMIN_BY_ID, ADMINS, INSERT_ADMIN, REVOKE_ADMIN, admin_info_row, admin_name, authenticated,
    new_admin, revoked, token_admin_id,
};
use crate::store::row::StoredRow;
use crate::store::tokens::hash_token;
use crate::store::{Admin, AdminInfo, NewAdmin, StoreError};

impl SqliteStore {
    pub async fn create_admin(&self, name: &str) -> Result<NewAdmin, StoreError> {
        let name = admin_name(name)?;
        self.write(move |conn| {
            // The id is picked first because the token carries it; the
            // writer is alone to write, so the next one is free.
            let id = one(
                conn,
                "select coalesce(max(id), 0) + 1 from admins",
                [],
                |row| row.value(0),
            )?;
            let created = new_admin(id, &name);
            let at = time::now();
            let hash = hash_token(&created.token);
            conn.prepare_cached(INSERT_ADMIN)?
                .execute(params![created.admin.id, name, hash, at])
                .map_err(|e| duplicate_or(e, "name", &name))?;
            Ok(created)
        })
        .await
    }

    pub async fn revoke_admin(&self, name: &str) -> Result<(), StoreError> {
        let name = name.to_owned();
        self.write(move |conn| {
            let changed = conn
                .prepare_cached(REVOKE_ADMIN)?
                .execute(params![time::now(), name])?;
            revoked(changed as u64, &name)
        })
        .await
    }

    pub async fn list_admins(&self) -> Result<Vec<AdminInfo>, StoreError> {
        self.read(|conn| all(conn, ADMINS, [], |row| admin_info_row(row)))
            .await
    }

    pub async fn authenticate_admin(&self, token: &str) -> Result<Option<Admin>, StoreError> {
        let Some(id) = token_admin_id(token) else {
            return Ok(None);
        };
        let token = token.to_owned();
        self.read(move |conn| {
            let found = first(conn, ADMIN_BY_ID, [id], |row| {
                Ok((row.value(0)?, row.value(1)?))
            })?;
            Ok(authenticated(id, found, &token))
        })
        .await
    }
}

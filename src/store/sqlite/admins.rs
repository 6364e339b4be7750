//! Admins on SQLite: created with a token shown once, found by that token's hash.

use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use crate::domain::invalid::required_text;
use crate::domain::limits::ADMIN_NAME_CHARS_MAX;
use crate::domain::{ValidationError, time};
use crate::store::tokens::{hash_token, new_token, token_matches};
use crate::store::{Admin, AdminInfo, NewAdmin, Resource, StoreError};

/// Admin tokens read `sra_<admin id>_<secret>`: the id finds the row, the
/// secret's hash is compared in constant time.
const ADMIN_TOKEN_PREFIX: &str = "sra_";

impl SqliteStore {
    pub async fn create_admin(&self, name: &str) -> Result<NewAdmin, StoreError> {
        let name = required_text("name", Some(name), ADMIN_NAME_CHARS_MAX)
            .map_err(ValidationError::one)?;
        self.write(move |conn| {
            let taken = conn
                .prepare_cached("select 1 from admins where name = ?1")?
                .exists([&name])?;
            if taken {
                return Err(StoreError::AlreadyExists {
                    field: "name",
                    value: name.clone(),
                });
            }
            let id: i64 = conn
                .prepare_cached("select coalesce(max(id), 0) + 1 from admins")?
                .query_row([], |r| r.get(0))?;
            let token = new_token(&format!("{ADMIN_TOKEN_PREFIX}{id}_"));
            conn.prepare_cached(
                "insert into admins (id, name, token_hash, created_at) values (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id, name, hash_token(&token), time::now()])?;
            Ok(NewAdmin {
                admin: Admin {
                    id,
                    name: name.clone(),
                },
                token,
            })
        })
        .await
    }

    pub async fn revoke_admin(&self, name: &str) -> Result<(), StoreError> {
        let name = name.to_owned();
        self.write(move |conn| {
            let changed = conn
                .prepare_cached(
                    "update admins set revoked_at = ?2 where name = ?1 and revoked_at is null",
                )?
                .execute(params![name, time::now()])?;
            if changed == 0 {
                Err(StoreError::not_found(Resource::Admin, name.clone()))
            } else {
                Ok(())
            }
        })
        .await
    }

    pub async fn list_admins(&self) -> Result<Vec<AdminInfo>, StoreError> {
        self.read(|conn| {
            let mut statement =
                conn.prepare_cached("select name, created_at, revoked_at from admins order by id")?;
            let rows = statement.query_map([], |row| {
                Ok(AdminInfo {
                    name: row.get(0)?,
                    created_at: row.get(1)?,
                    revoked_at: row.get(2)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
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
        let token = token.to_owned();
        self.read(move |conn| {
            let found = conn
                .prepare_cached(
                    "select name, token_hash from admins where id = ?1 and revoked_at is null",
                )?
                .query_row([id], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
                })
                .optional()?;
            Ok(found
                .filter(|(_, hash)| token_matches(&token, hash))
                .map(|(name, _)| Admin { id, name }))
        })
        .await
    }
}

//! The store's verbs for the people who run the shop: accounts, API
//! tokens, setup links, sessions and failed sign-ins (`admins.rs` and
//! `sessions.rs` hold their SQL).

use chrono::Duration;

use super::admins::{self, Action};
use super::db::on_either;
use super::sessions::{self, OpenSession, Person};
use super::{Resource, Store, StoreError};
use crate::domain::admin::{Admin, AdminInfo, NewAdmin, admin_name};
use crate::domain::sign_in::Failures;
use crate::domain::staff::{Role, new_setup_token};
use crate::domain::time;
use crate::domain::tokens::token_admin_id;

/// A one-time link to choose a password: the token (shown once) and until when it works.
#[derive(Clone)]
pub struct SetupLink {
    pub token: String,
    pub expires_at: String,
}

impl std::fmt::Debug for SetupLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetupLink")
            .field("token", &"***")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl SetupLink {
    fn new(valid_for: Duration) -> SetupLink {
        SetupLink {
            token: new_setup_token(),
            expires_at: time::format(chrono::Utc::now() + valid_for),
        }
    }
}

impl Store {
    /// A new person with an API token, shown once (`stockroom admin create`).
    pub async fn create_admin(&self, name: &str, role: Role) -> Result<NewAdmin, StoreError> {
        let name = admin_name(name)?;
        on_either!(write, self, (name, role), |db, (name, role)| {
            admins::create(db, name, *role, true)
        })
    }

    /// A new person without a token, who chooses a password through the
    /// setup link answered; `actor` invited them.
    pub async fn invite(
        &self,
        name: &str,
        role: Role,
        actor: &str,
        valid_for: Duration,
    ) -> Result<(Admin, SetupLink), StoreError> {
        let name = admin_name(name)?;
        let link = SetupLink::new(valid_for);
        let data = (name, role, actor.to_owned(), link);
        on_either!(
            write,
            self,
            data,
            |db, (name, role, actor, link)| async move {
                let created = admins::create(db, name, *role, false).await?;
                let id = created.admin.id;
                sessions::create_setup(db, id, &link.token, &link.expires_at).await?;
                let after = serde_json::json!({"name": name, "role": role}).to_string();
                let action = Action {
                    actor,
                    action: "staff.invite",
                    subject: name,
                    at: &time::now(),
                    before: None,
                    after: Some(after),
                };
                admins::record(db, &action).await?;
                Ok((created.admin, link.clone()))
            }
        )
    }

    /// A new setup link for the person `name`, whose password and sessions
    /// end: the one who forgot it, or whose phone was lost, starts again.
    pub async fn reset_password(
        &self,
        name: &str,
        actor: &str,
        valid_for: Duration,
    ) -> Result<SetupLink, StoreError> {
        let link = SetupLink::new(valid_for);
        let data = (name.to_owned(), actor.to_owned(), link);
        on_either!(write, self, data, |db, (name, actor, link)| async move {
            let found = sessions::person_named(db, name).await?;
            let person =
                found.ok_or_else(|| StoreError::not_found(Resource::Admin, name.as_str()))?;
            let id = person.admin.id;
            sessions::clear_password(db, id).await?;
            sessions::create_setup(db, id, &link.token, &link.expires_at).await?;
            let action = Action {
                actor,
                action: "staff.reset",
                subject: &person.admin.name,
                at: &time::now(),
                before: None,
                after: None,
            };
            admins::record(db, &action).await?;
            Ok(link.clone())
        })
    }

    /// Revokes the person `name`: their sessions, token and links end at once.
    pub async fn revoke_admin(&self, name: &str, actor: &str) -> Result<(), StoreError> {
        let data = (name.to_owned(), actor.to_owned());
        on_either!(write, self, data, |db, (name, actor)| async move {
            admins::revoke(db, name).await?;
            let action = Action {
                actor,
                action: "staff.revoke",
                subject: name,
                at: &time::now(),
                before: Some(serde_json::json!({"revoked": false}).to_string()),
                after: Some(serde_json::json!({"revoked": true}).to_string()),
            };
            admins::record(db, &action).await
        })
    }

    pub async fn list_admins(&self) -> Result<Vec<AdminInfo>, StoreError> {
        on_either!(read, self, (), |db, ()| admins::list(db))
    }

    /// The person holding this API token, if it is valid and not revoked;
    /// when they were last seen is noted to the minute.
    pub async fn authenticate_admin(&self, token: &str) -> Result<Option<Admin>, StoreError> {
        let Some(id) = token_admin_id(token) else {
            return Ok(None);
        };
        let data = (id, token.to_owned());
        let found = on_either!(read, self, data, |db, (id, token)| {
            admins::authenticate(db, *id, token)
        })?;
        let Some((admin, last_seen)) = found else {
            return Ok(None);
        };
        if stale(last_seen.as_deref()) {
            on_either!(write, self, admin.id, |db, id| admins::touch(db, *id))?;
        }
        Ok(Some(admin))
    }

    /// The person a valid setup link is for.
    pub async fn setup_person(&self, token: &str) -> Result<Option<Admin>, StoreError> {
        on_either!(read, self, token.to_owned(), |db, token| {
            sessions::setup_person(db, token)
        })
    }

    /// Uses a setup link to set its person's password (already hashed).
    pub async fn use_setup(&self, token: &str, password_hash: String) -> Result<(), StoreError> {
        let data = (token.to_owned(), password_hash);
        on_either!(write, self, data, |db, (token, hash)| {
            sessions::use_setup(db, token, hash)
        })
    }

    /// The unrevoked person named `name` (in any case), with their password hash.
    pub async fn person_named(&self, name: &str) -> Result<Option<Person>, StoreError> {
        on_either!(read, self, name.to_owned(), |db, name| {
            sessions::person_named(db, name)
        })
    }

    /// The unrevoked person `id`, with their password hash.
    pub async fn person(&self, id: i64) -> Result<Option<Person>, StoreError> {
        on_either!(read, self, id, |db, id| sessions::person(db, *id))
    }

    /// Sets a person's new password (hashed); their other sessions end.
    pub async fn change_password(
        &self,
        admin_id: i64,
        password_hash: String,
        keep_session: String,
    ) -> Result<(), StoreError> {
        let data = (admin_id, password_hash, keep_session);
        on_either!(write, self, data, |db, (id, hash, keep)| {
            sessions::change_password(db, *id, hash, keep)
        })
    }

    /// A new session for `admin`, kept as `token_hash`.
    pub async fn start_session(&self, admin: &Admin, token_hash: String) -> Result<(), StoreError> {
        let data = (admin.clone(), token_hash);
        on_either!(write, self, data, |db, (admin, hash)| {
            sessions::start_session(db, admin, hash)
        })
    }

    /// The open session kept as `token_hash`; its use is noted to the minute.
    pub async fn session(&self, token_hash: &str) -> Result<Option<OpenSession>, StoreError> {
        on_either!(read, self, token_hash.to_owned(), |db, hash| {
            sessions::session(db, hash)
        })
    }

    /// Notes that a session was used now.
    pub async fn touch_session(&self, admin_id: i64, token_hash: &str) -> Result<(), StoreError> {
        let data = (admin_id, token_hash.to_owned());
        on_either!(write, self, data, |db, (id, hash)| {
            sessions::touch_session(db, *id, hash)
        })
    }

    /// Ends the session kept as `token_hash` (sign-out).
    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        on_either!(write, self, token_hash.to_owned(), |db, hash| {
            sessions::end_session(db, hash)
        })
    }

    /// The failed sign-ins counted for a name and for an address.
    pub async fn sign_in_failures(
        &self,
        name: &str,
        address: &str,
    ) -> Result<(Option<Failures>, Option<Failures>), StoreError> {
        let data = (name.to_owned(), address.to_owned());
        on_either!(read, self, data, |db, (name, address)| {
            sessions::failures(db, name, address)
        })
    }

    /// One more failed sign-in for a name and an address, each
    /// `(forgotten)` starting its count again; failures last made before
    /// `prune_before` are forgotten.
    pub async fn add_sign_in_failures(
        &self,
        name: (&str, bool),
        address: (&str, bool),
        prune_before: String,
    ) -> Result<(), StoreError> {
        let subjects = vec![
            (sessions::name_subject(name.0), name.1),
            (sessions::address_subject(address.0), address.1),
        ];
        on_either!(write, self, (subjects, prune_before), |db,
                                                           (
            subjects,
            prune,
        )| {
            sessions::add_failures(db, subjects, prune)
        })
    }
}

/// Last-seen times are written to the minute, not on every request.
const LAST_SEEN_RESOLUTION: Duration = Duration::minutes(1);

/// Whether a last-seen time is old enough to be written again.
pub fn stale_since(last_seen: chrono::DateTime<chrono::Utc>) -> bool {
    chrono::Utc::now() - last_seen > LAST_SEEN_RESOLUTION
}

/// Whether a stored last-seen time is old enough, or unknown.
fn stale(last_seen: Option<&str>) -> bool {
    last_seen
        .and_then(|at| time::parse("at", at).ok())
        .is_none_or(stale_since)
}

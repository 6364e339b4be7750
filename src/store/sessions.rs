//! Signing in, above the backends: one-time setup links, passwords' hashes,
//! sessions kept server-side so that every instance knows them, and the
//! counts of failed sign-ins. What a password is, whether a session has
//! expired and how long a sign-in waits are decided in `domain/`; this file
//! reads and writes them.

use chrono::{DateTime, Duration, Utc};

use super::admins::role_of;
use super::db::{Db, Param, Writes};
use super::row::Row;
use super::{Resource, StoreError};
use crate::domain::admin::Admin;
use crate::domain::sign_in::{Failures, SignInLimits};
use crate::domain::time;
use crate::domain::tokens::hash_token;

/// A setup link `$1` (hash) for the person `$2`, made at `$3`, valid until `$4`.
const INSERT_SETUP: &str = "insert into setup_tokens (token_hash, admin_id, created_at, expires_at)
    values ($1, $2, $3, $4)";

/// Voids, at `$1`, the unused setup links of the person `$2`.
const VOID_SETUP_OF: &str =
    "update setup_tokens set used_at = $1 where admin_id = $2 and used_at is null";

/// The person a setup link `$1` (hash) is for, if it is unused, unexpired
/// at `$2` and its person not revoked.
const SETUP_PERSON: &str = "select a.id, a.name, a.role from setup_tokens t
    join admins a on a.id = t.admin_id
    where t.token_hash = $1 and t.used_at is null and t.expires_at > $2 and a.revoked_at is null";

/// Uses, at `$1`, the setup link `$2` (hash) if still valid.
const USE_SETUP: &str = "update setup_tokens set used_at = $1
    where token_hash = $2 and used_at is null and expires_at > $1";

/// The person `$2`'s new password hash `$1`.
const SET_PASSWORD: &str = "update admins set password_hash = $1 where id = $2";

/// No password for the person `$1`, until a setup link gives one.
const CLEAR_PASSWORD: &str = "update admins set password_hash = null where id = $1";

/// The person `$1` by id, with their password hash, unless revoked.
const PERSON_BY_ID: &str =
    "select id, name, role, password_hash from admins where id = $1 and revoked_at is null";

/// Every unrevoked person, with their password hash, oldest first: a shop
/// has a handful, and names are compared in Rust, whose case folding knows
/// accents where SQLite's `lower` does not.
const PERSONS: &str = "select id, name, role, password_hash from admins
    where revoked_at is null order by id";

/// A new session `$1` (hash) of the person `$2`, started at `$3`.
const INSERT_SESSION: &str = "insert into admin_sessions
    (token_hash, admin_id, created_at, last_seen_at) values ($1, $2, $3, $3)";

/// The open session `$1` (hash), its person unrevoked, read by `session_row`.
const SESSION: &str = "select a.id, a.name, a.role, s.created_at, s.last_seen_at
    from admin_sessions s join admins a on a.id = s.admin_id
    where s.token_hash = $1 and s.ended_at is null and a.revoked_at is null";

/// Notes at `$1` that the session `$2` (hash) was used.
const TOUCH_SESSION: &str = "update admin_sessions set last_seen_at = $1 where token_hash = $2";

/// Ends, at `$1`, the session `$2` (hash).
const END_SESSION: &str =
    "update admin_sessions set ended_at = $1 where token_hash = $2 and ended_at is null";

/// Ends, at `$1`, every open session of the person `$2` but the session `$3` (hash).
const END_OTHER_SESSIONS: &str = "update admin_sessions set ended_at = $1
    where admin_id = $2 and ended_at is null and token_hash <> $3";

/// The failures counted for the subjects `$1` and `$2`. `failures` is an
/// `integer` (32 bits) on PostgreSQL, and the store reads and binds 64-bit
/// integers only: the casts here and below say so to both databases.
const FAILURES: &str = "select subject, cast(failures as bigint), last_failed_at
    from sign_in_failures where subject = $1 or subject = $2";

/// One more failure for the subject `$1` at `$2`; the count starts again
/// when `$3` is 1 (the previous ones are forgotten).
const ADD_FAILURE: &str = "insert into sign_in_failures (subject, failures, last_failed_at)
    values ($1, 1, $2)
    on conflict (subject) do update set last_failed_at = excluded.last_failed_at,
        failures = case when cast($3 as bigint) = 1 then 1
            else sign_in_failures.failures + 1 end";

/// Forgets the failures of the subject `$1` (a name that signed in).
const FORGET_FAILURES: &str = "delete from sign_in_failures where subject = $1";

/// Takes back one of the subject `$1`'s failures: the row goes when it held
/// only one (`FORGET_LAST_FAILURE`, first), else its count goes down.
const FORGET_LAST_FAILURE: &str =
    "delete from sign_in_failures where subject = $1 and failures = 1";
const TAKE_BACK_FAILURE: &str =
    "update sign_in_failures set failures = failures - 1 where subject = $1 and failures > 1";

/// Forgets failures older than `$1`, so that the table holds only the window's.
const PRUNE_FAILURES: &str = "delete from sign_in_failures where last_failed_at < $1";

/// A person as sign-in reads them: who, and their password's hash if set.
pub struct Person {
    pub admin: Admin,
    pub password_hash: Option<String>,
}

/// An open session as read: whose, and when it started and was last used.
pub struct OpenSession {
    pub admin: Admin,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// A new setup link `token` for the person `admin_id`, valid until
/// `expires_at`; the person's older unused links are voided.
pub async fn create_setup<D: Db>(
    db: &D,
    admin_id: i64,
    token: &str,
    expires_at: &str,
) -> Result<(), D::Error> {
    let now = time::now();
    db.write(VOID_SETUP_OF, &[&now, &admin_id]).await?;
    let params: [&dyn Param; 4] = [&hash_token(token), &admin_id, &now, &expires_at];
    db.write(INSERT_SETUP, &params).await?;
    Ok(())
}

/// The person a valid setup link is for.
pub async fn setup_person<D: Db>(db: &D, token: &str) -> Result<Option<Admin>, D::Error> {
    let params: [&dyn Param; 2] = [&hash_token(token), &time::now()];
    db.first(SETUP_PERSON, &params, |row| {
        Ok(Admin {
            id: row.value(0)?,
            name: row.value(1)?,
            role: role_of(row, 2)?,
        })
    })
    .await
}

/// Clears the person's password and ends all their sessions.
pub async fn clear_password<D: Db>(db: &D, admin_id: i64) -> Result<(), D::Error> {
    db.write(CLEAR_PASSWORD, &[&admin_id]).await?;
    db.write(END_OTHER_SESSIONS, &[&time::now(), &admin_id, &""])
        .await?;
    Ok(())
}

/// Uses the setup link `token` to set `password_hash` for its person;
/// `NotFound` if the link was used, expired or revoked meanwhile.
pub async fn use_setup<D: Db>(db: &D, token: &str, password_hash: &str) -> Result<(), D::Error> {
    let Some(person) = setup_person(db, token).await? else {
        return Err(StoreError::not_found(Resource::SetupLink, "").into());
    };
    let now = time::now();
    if db.write(USE_SETUP, &[&now, &hash_token(token)]).await? == 0 {
        return Err(StoreError::not_found(Resource::SetupLink, "").into());
    }
    db.write(SET_PASSWORD, &[&password_hash, &person.id])
        .await?;
    // The password chosen through a link replaces the old one: sessions
    // opened with the old one end.
    db.write(END_OTHER_SESSIONS, &[&now, &person.id, &""])
        .await?;
    Ok(())
}

/// The unrevoked person named `name`, in any case ("Aya" signs in as
/// "aya": a phone's keyboard capitalises), with their password hash.
pub async fn person_named<D: Db>(db: &D, name: &str) -> Result<Option<Person>, D::Error> {
    let wanted = name.trim().to_lowercase();
    let persons = db.all(PERSONS, &[], person_row).await?;
    Ok(persons
        .into_iter()
        .find(|p| p.admin.name.to_lowercase() == wanted))
}

/// The unrevoked person `id`, with their password hash.
pub async fn person<D: Db>(db: &D, id: i64) -> Result<Option<Person>, D::Error> {
    db.first(PERSON_BY_ID, &[&id], person_row).await
}

/// Sets the person's new password and ends their sessions but `keep` (a
/// session token's hash, or none).
pub async fn change_password<D: Db>(
    db: &D,
    admin_id: i64,
    password_hash: &str,
    keep: &str,
) -> Result<(), D::Error> {
    db.write(SET_PASSWORD, &[&password_hash, &admin_id]).await?;
    db.write(END_OTHER_SESSIONS, &[&time::now(), &admin_id, &keep])
        .await?;
    Ok(())
}

/// A new session for the person `admin_id`, kept as `token_hash`; the
/// name's failures are forgotten (they were consecutive ones).
pub async fn start_session<D: Db>(db: &D, admin: &Admin, token_hash: &str) -> Result<(), D::Error> {
    let now = time::now();
    db.write(INSERT_SESSION, &[&token_hash, &admin.id, &now])
        .await?;
    db.write(FORGET_FAILURES, &[&name_subject(&admin.name)])
        .await?;
    super::admins::touch(db, admin.id).await
}

/// The open session kept as `token_hash`, if its person is not revoked.
pub async fn session<D: Db>(db: &D, token_hash: &str) -> Result<Option<OpenSession>, D::Error> {
    db.first(SESSION, &[&token_hash], |row| {
        Ok(OpenSession {
            admin: Admin {
                id: row.value(0)?,
                name: row.value(1)?,
                role: role_of(row, 2)?,
            },
            created_at: instant(row, 3)?,
            last_seen_at: instant(row, 4)?,
        })
    })
    .await
}

/// Notes that the session and its person were used now.
pub async fn touch_session<D: Db>(db: &D, admin_id: i64, token_hash: &str) -> Result<(), D::Error> {
    db.write(TOUCH_SESSION, &[&time::now(), &token_hash])
        .await?;
    super::admins::touch(db, admin_id).await
}

/// Ends the session kept as `token_hash`.
pub async fn end_session<D: Db>(db: &D, token_hash: &str) -> Result<(), D::Error> {
    db.write(END_SESSION, &[&time::now(), &token_hash]).await?;
    Ok(())
}

/// The subject under which a name's failures are counted.
pub fn name_subject(name: &str) -> String {
    format!("name:{}", name.to_lowercase())
}

/// The subject under which an address's failures are counted.
pub fn address_subject(address: &str) -> String {
    format!("address:{address}")
}

/// Counts a sign-in attempt of `name` from `address` as a failure before
/// its password is checked, unless one of them must wait: then how long,
/// and nothing is counted. The counts are locked, read and written in one
/// transaction, so that attempts sent at once are counted one after the
/// other and no more than the threshold get their password checked. A
/// sign-in that succeeds takes its failure back (`take_back_failure`).
pub async fn count_attempt<D: Writes>(
    db: &D,
    (name, address): (&str, &str),
    limits: &SignInLimits,
) -> Result<Option<Duration>, D::Error> {
    db.lock_sign_in_failures().await?;
    // Once the lock is held, so that no failure already counted is later.
    let now = Utc::now();
    let (name, address) = (name_subject(name), address_subject(address));
    let rows: Vec<(String, Failures)> = db
        .all(FAILURES, &[&name, &address], |row| {
            let count: i64 = row.value(1)?;
            let failures = Failures {
                count: u32::try_from(count).unwrap_or(u32::MAX),
                last_at: instant(row, 2)?,
            };
            Ok((row.value(0)?, failures))
        })
        .await?;
    let find = |subject: &str| rows.iter().find(|(s, _)| s == subject).map(|(_, f)| *f);
    let subjects = [
        (name.as_str(), limits.name_failures_max),
        (address.as_str(), limits.address_failures_max),
    ];
    let wait = subjects
        .iter()
        .filter_map(|(subject, max)| limits.wait(find(subject), *max, now))
        .max();
    if wait.is_some() {
        return Ok(wait);
    }
    let at = time::format(now);
    for (subject, max) in subjects {
        let restart = find(subject).is_none_or(|f| limits.forgotten(&f, max, now));
        db.write(ADD_FAILURE, &[&subject, &at, &i64::from(restart)])
            .await?;
    }
    let prune_before = time::format(now - limits.window - limits.longest_wait);
    db.write(PRUNE_FAILURES, &[&prune_before]).await?;
    Ok(None)
}

/// Takes back the failure counted in advance for `address` by a sign-in
/// that succeeded.
pub async fn take_back_failure<D: Db>(db: &D, address: &str) -> Result<(), D::Error> {
    let subject = address_subject(address);
    db.write(FORGET_LAST_FAILURE, &[&subject]).await?;
    db.write(TAKE_BACK_FAILURE, &[&subject]).await?;
    Ok(())
}

/// A row of `PERSONS` or `PERSON_BY_ID`.
fn person_row(row: &Row) -> Result<Person, StoreError> {
    Ok(Person {
        admin: Admin {
            id: row.value(0)?,
            name: row.value(1)?,
            role: role_of(row, 2)?,
        },
        password_hash: row.value(3)?,
    })
}

/// The time written in column `index`.
fn instant(row: &Row, index: usize) -> Result<DateTime<Utc>, StoreError> {
    let text: String = row.value(index)?;
    time::parse("at", &text).map_err(|_| StoreError::Internal(format!("`{text}` is not a time")))
}

//! "Me prévenir": people waiting for a sold-out size, each told once when
//! it comes back. The signup is marked told in the transaction that
//! queues its message (the stock change's), so nobody is told twice, and
//! the message is delivered at least once by the workers.

use std::time::Duration;

use super::catalog::color_from_stored;
use super::db::{Db, Param, Writes};
use super::deliveries::{self, NewDelivery};
use super::stock::level_if_known;
use super::{Resource, StoreError};
use crate::domain::delivery::Channel;
use crate::domain::time;
use crate::domain::tokens::new_token;
use crate::domain::waitlist::{Contact, WaitlistMessage};

/// Signups one phone or e-mail may make in `SIGNUP_WINDOW`.
pub const SIGNUPS_PER_CONTACT: i64 = 10;
/// The window `SIGNUPS_PER_CONTACT` counts over, in seconds.
pub const SIGNUP_WINDOW_SECS: u64 = 3600;
const SIGNUP_WINDOW: Duration = Duration::from_secs(SIGNUP_WINDOW_SECS);

/// Whether the sku `$1` is a retired variant or of a product not for sale.
const FOR_SALE: &str =
    "select cast(case when p.status = 'active' and v.retired = 0 then 1 else 0 end
    as bigint) from variants v join products p on p.id = v.product_id where v.sku = $1";

/// Signups of the phone `$1` or the e-mail `$2` since `$3`.
const RECENT_SIGNUPS: &str = "select cast(count(*) as bigint) from waitlist
    where (phone = $1 or email = $2) and created_at >= $3";

/// One person waiting for the sku `$2`, unless they already wait for it.
const INSERT_SIGNUP: &str = "insert into waitlist (id, sku, phone, email, token, created_at)
    values ($1, $2, $3, $4, $5, $6) on conflict do nothing";

/// The people waiting for the sku `$1`, in the order they signed up.
const WAITING: &str = "select id, phone, email, token from waitlist
    where sku = $1 and notified_at is null and unsubscribed_at is null order by created_at, id";

/// Marks the signup `$2` told at `$1`.
const MARK_TOLD: &str = "update waitlist set notified_at = $1 where id = $2";

/// Ends, at `$1`, the signup whose link carries `$2`.
const UNSUBSCRIBE: &str = "update waitlist set unsubscribed_at = $1
    where token = $2 and unsubscribed_at is null";

/// Whether a link's token is known.
const TOKEN_KNOWN: &str = "select cast(count(*) as bigint) from waitlist where token = $1";

/// Why a signup was not taken.
#[derive(Debug, PartialEq, Eq)]
pub enum SignupRefused {
    /// The size is on sale with units on hand: buy it instead.
    InStock,
    /// The size is not for sale at all.
    NotForSale,
    /// This phone or e-mail signed up `SIGNUPS_PER_CONTACT` times this hour.
    TooMany,
}

/// Adds `contact` to the people waiting for `sku`; signing up twice for
/// one size is one signup.
pub async fn sign_up<D: Writes>(
    db: &D,
    sku: &str,
    contact: &Contact,
) -> Result<Result<(), SignupRefused>, D::Error> {
    let Some(available) = level_if_known(db, sku, true).await? else {
        return Err(StoreError::not_found(Resource::Sku, sku).into());
    };
    let for_sale: i64 = db.one(FOR_SALE, &[&sku], |row| row.value(0)).await?;
    if for_sale != 1 {
        return Ok(Err(SignupRefused::NotForSale));
    }
    if available > 0 {
        return Ok(Err(SignupRefused::InStock));
    }
    let (phone, email) = contact.columns();
    let since = time::format(chrono::Utc::now() - SIGNUP_WINDOW);
    let params: [&dyn Param; 3] = [&phone, &email, &since];
    let recent: i64 = db.one(RECENT_SIGNUPS, &params, |row| row.value(0)).await?;
    if recent >= SIGNUPS_PER_CONTACT {
        return Ok(Err(SignupRefused::TooMany));
    }
    let (id, token, now) = (uuid::Uuid::now_v7().to_string(), new_token(""), time::now());
    let params: [&dyn Param; 6] = [&id, &sku, &phone, &email, &token, &now];
    db.write(INSERT_SIGNUP, &params).await?;
    Ok(Ok(()))
}

/// Queues one message for each person waiting for `sku`, marking each
/// told: called in the transaction that brings it back in stock.
pub async fn queue_back_in_stock<D: Db>(db: &D, sku: &str, at: &str) -> Result<(), D::Error> {
    let waiting = db
        .all(WAITING, &[&sku], |row| {
            let (phone, email): (Option<String>, Option<String>) = (row.value(1)?, row.value(2)?);
            Ok((
                row.value::<String>(0)?,
                phone,
                email,
                row.value::<String>(3)?,
            ))
        })
        .await?;
    for (id, phone, email, token) in waiting {
        db.write(MARK_TOLD, &[&at, &id]).await?;
        let (channel, recipient) = match (phone, email) {
            (Some(phone), _) => (Channel::Sms, phone),
            (None, Some(email)) => (Channel::Email, email),
            (None, None) => continue, // the table's check forbids it
        };
        let message = WaitlistMessage::BackInStock {
            sku: sku.to_owned(),
            token,
        };
        let delivery = NewDelivery::to_person(channel, &recipient, &message);
        deliveries::insert(db, &delivery, at).await?;
    }
    Ok(())
}

/// Ends the signup whose unsubscribe link carries `token`; `NotFound` for
/// a token nobody was given. Ending it twice is fine.
pub async fn unsubscribe<D: Db>(db: &D, token: &str) -> Result<(), D::Error> {
    let known: i64 = db.one(TOKEN_KNOWN, &[&token], |row| row.value(0)).await?;
    if known == 0 {
        return Err(StoreError::not_found(Resource::WaitlistLink, "").into());
    }
    let now = time::now();
    db.write(UNSUBSCRIBE, &[&now, &token]).await?;
    Ok(())
}

/// A variant as a message names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantForMessage {
    pub title: String,
    pub slug: String,
    pub size: String,
    pub color: Option<String>,
}

const VARIANT_FOR_MESSAGE: &str = "select p.title, p.slug, v.size, v.color
    from variants v join products p on p.id = v.product_id where v.sku = $1";

/// What a message names of `sku`, if it exists.
pub async fn variant_for_message<D: Db>(
    db: &D,
    sku: &str,
) -> Result<Option<VariantForMessage>, D::Error> {
    db.first(VARIANT_FOR_MESSAGE, &[&sku], |row| {
        Ok(VariantForMessage {
            title: row.value(0)?,
            slug: row.value(1)?,
            size: row.value(2)?,
            color: color_from_stored(row.value(3)?),
        })
    })
    .await
}

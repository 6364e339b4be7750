//! Customers' phones brought to E.164 form once, at the first start after
//! migration V4 (which says why in SQL's stead): each order's normalised
//! phone and each customer's count, so that the per-customer limit counts
//! the orders placed under old spellings of a number against that number.

use super::customers::ADD_COUNT;
use super::db::{Param, Writes};
use super::row::pair_row;
use super::settings::shop_country;
use crate::domain::phone::Phone;

/// `settings.phones_form` once the rows are in E.164 form.
const E164_FORM: i64 = 2;

/// The settings row's form, locked: instances that start together take
/// turns, and the second finds the work done.
const FORM: &str = "select phones_form, default_country, default_country_code
    from settings where id = 1";

const SET_FORM: &str = "update settings set phones_form = $1, default_country = $2,
    default_country_code = $3 where id = 1";

/// Every distinct normalised phone of the orders (one per customer).
const ORDER_PHONES: &str = "select distinct customer_phone_normalised from orders";

/// An index for the renames only: the schema has none on the column
/// (migration V2 dropped it), and each rename would scan every order.
const INDEX_ORDER_PHONES: &str =
    "create index orders_by_phone_to_migrate on orders (customer_phone_normalised)";
const DROP_INDEX: &str = "drop index orders_by_phone_to_migrate";

const RENAME_ORDER_PHONE: &str =
    "update orders set customer_phone_normalised = $1 where customer_phone_normalised = $2";

const CUSTOMERS: &str = "select phone, orders_counted from customers";

const FORGET_CUSTOMER: &str = "delete from customers where phone = $1";

/// What bringing the phones to E.164 form changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PhonesMigrated {
    /// Distinct stored phones of orders that read as another number.
    pub order_phones: usize,
    /// Customers' rows merged into another number's.
    pub customers: usize,
}

/// Brings the stored phones to E.164 form for the shop's country, and
/// writes the country the older calling code named; nothing if they are
/// already. One transaction: run again after a failure, it starts over.
pub async fn bring_to_e164<D: Writes>(db: &D) -> Result<PhonesMigrated, D::Error> {
    let (form, stored, code) = db
        .one(&D::locking(FORM, true), &[], |row| {
            Ok((
                row.value::<i64>(0)?,
                row.value::<Option<String>>(1)?,
                row.value::<String>(2)?,
            ))
        })
        .await?;
    if form >= E164_FORM {
        return Ok(PhonesMigrated::default());
    }
    let country = shop_country(stored, &code)?;
    let params: [&dyn Param; 3] = [&E164_FORM, &country.code(), &country.calling_code()];
    db.write(SET_FORM, &params).await?;
    let phones = db.all(ORDER_PHONES, &[], |row| row.value(0)).await?;
    // The stored phones that read as another number, with that number.
    let renames: Vec<(String, Phone)> = phones
        .into_iter()
        .filter_map(|old: String| Phone::renamed(&old, country).map(|new| (old, new)))
        .collect();
    if !renames.is_empty() {
        db.write(INDEX_ORDER_PHONES, &[]).await?;
        for (old, new) in &renames {
            db.write(RENAME_ORDER_PHONE, &[&new.as_str(), old]).await?;
        }
        db.write(DROP_INDEX, &[]).await?;
    }
    // A renamed customer's count joins the number's: the rows renamed are
    // never numbers in E.164 form, so none is both renamed and joined.
    let mut customers = 0;
    for (old, counted) in db.all(CUSTOMERS, &[], pair_row).await? {
        if let Some(new) = Phone::renamed(&old, country) {
            db.write(FORGET_CUSTOMER, &[&old]).await?;
            db.write(ADD_COUNT, &[&new.as_str(), &counted]).await?;
            customers += 1;
        }
    }
    Ok(PhonesMigrated {
        order_phones: renames.len(),
        customers,
    })
}

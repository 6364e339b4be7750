//! What a cancelled or returned line gives back besides its stock: its
//! units to its drop while the drop runs (and to the customer's count in
//! it, so the cap counts what they keep), and a preorder line's places
//! still waiting for stock. Above the backends, in the transaction of the
//! cancellation or the return.

use super::db::{Param, Writes};

/// Gives `$1` units of the sku `$3` back to the drop `$2`, if it ends
/// after `$4`.
const BACK_TO_DROP: &str = "update drop_lines set remaining = remaining + $1
    where drop_id = $2 and sku = $3
      and exists (select 1 from drops where id = $2 and ends_at > $4)";

/// Takes `$1` units off the count, in the drop `$2`, of the customer of the
/// order `$3`, if the drop ends after `$4`.
const UNCOUNT_DROP_UNITS: &str = "update drop_customers set units = units - $1
    where drop_id = $2
      and phone = (select customer_phone_normalised from orders where id = $3)
      and units >= $1
      and exists (select 1 from drops where id = $2 and ends_at > $4)";

/// Frees `$1` preorder places of the sku `$2`.
const FREE_PLACES: &str =
    "update stock set preorder_waiting = preorder_waiting - $1 where sku = $2";

/// A line of a drop that came back: `to_drop` units back in the drop
/// (those back on the shelf) and `uncounted` off the customer's count,
/// while the drop runs at `now`; after it, nothing (the units went back to
/// stock as any other).
pub struct BackToDrop<'a> {
    pub order_id: &'a str,
    pub drop_id: &'a str,
    pub sku: &'a str,
    pub to_drop: i64,
    pub uncounted: i64,
}

pub async fn to_drop<D: Writes>(db: &D, back: BackToDrop<'_>, now: &str) -> Result<(), D::Error> {
    if back.to_drop > 0 {
        let params: [&dyn Param; 4] = [&back.to_drop, &back.drop_id, &back.sku, &now];
        db.write(BACK_TO_DROP, &params).await?;
    }
    if back.uncounted > 0 {
        let params: [&dyn Param; 4] = [&back.uncounted, &back.drop_id, &back.order_id, &now];
        db.write(UNCOUNT_DROP_UNITS, &params).await?;
    }
    Ok(())
}

/// Frees the places of a cancelled preorder line's units still waiting.
pub async fn free_places<D: Writes>(db: &D, sku: &str, waiting: i64) -> Result<(), D::Error> {
    if waiting > 0 {
        db.write(FREE_PLACES, &[&waiting, &sku]).await?;
    }
    Ok(())
}

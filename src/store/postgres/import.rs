//! What a catalog import does first on PostgreSQL, where instances import
//! and take orders side by side: it waits for any other import, and locks
//! the rows its plan reads until it commits.

use deadpool_postgres::Transaction;

use super::sql::execute;
use super::transaction::TxError;

/// The advisory lock that lets one import at a time run, across instances:
/// a second import waits, then plans over what the first wrote. One per
/// schema (a shop is a schema, and the tests run one shop per schema): the
/// lock's class is this key, its object the schema's name hashed.
const IMPORT_LOCK_CLASS: i32 = 0x5354_494d; // "STIM"
const IMPORT_LOCK: &str = "select pg_advisory_xact_lock($1, hashtext(current_schema()))";

/// The products whose slug is in `$1`, locked in slug order.
const LOCK_PRODUCTS: &str = "select id from products where slug = any($1) order by slug for update";

/// The stock rows of those products' variants and of the skus in `$2`,
/// locked in sku order, the order in which checkouts lock stock rows.
const LOCK_STOCK: &str = "select s.sku from variants v join stock s on s.sku = v.sku
    where v.product_id in (select id from products where slug = any($1)) or v.sku = any($2)
    order by s.sku for update of s";

/// Takes the import's lock, then locks the products the file names by
/// slug and the stock rows of their variants and of the skus it names: an
/// edit or a checkout meanwhile waits, so the plan's stock levels are
/// still the levels when its adjustments are written.
pub async fn lock_catalog(
    tx: &Transaction<'_>,
    slugs: &[&str],
    skus: &[&str],
) -> Result<(), TxError> {
    execute(tx, IMPORT_LOCK, &[&IMPORT_LOCK_CLASS]).await?;
    execute(tx, LOCK_PRODUCTS, &[&slugs]).await?;
    execute(tx, LOCK_STOCK, &[&slugs, &skus]).await?;
    Ok(())
}

//! The CSV catalog import: one transaction, every contradicted line named,
//! the same summary and ledger movements on both databases, and a second
//! run that changes nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use stockroom::domain::catalog_csv;
use stockroom::domain::catalog_csv::ImportProduct;
use stockroom::domain::catalog_import::{IMPORT_NOTE, ImportSummary};
use stockroom::domain::page::MovementFilter;
use stockroom::domain::product::Product;
use stockroom::domain::stock::{Movement, MovementKind};
use stockroom::store::StoreError;

use crate::harness::{TestStore, phone, placed, rush};
use crate::on_both_databases;

on_both_databases!(
    an_import_creates_the_catalog_with_initial_movements_and_a_second_run_changes_nothing,
    a_changed_level_is_an_adjustment_from_the_level_sales_left,
    every_line_the_database_contradicts_is_named_and_nothing_is_written,
    variants_that_swap_sizes_are_refused_by_line,
    an_import_during_a_rush_of_checkouts_keeps_the_ledger_equal_to_the_stock,
    a_dry_run_answers_what_the_import_would_do_and_writes_nothing,
);

const HEADER: &str =
    "slug,title,category,description,price,old_price,image_url,size,color,sku,stock";

fn file(lines: &[&str]) -> Vec<ImportProduct> {
    catalog_csv::parse(format!("{HEADER}\n{}\n", lines.join("\n")).as_bytes())
        .expect("a good file")
        .products
}

impl TestStore {
    async fn import(&self, products: Vec<ImportProduct>) -> Result<ImportSummary, StoreError> {
        self.store
            .import_catalog(products, &self.admin.name, false, Box::new(|_| {}))
            .await
    }

    async fn every_movement(&self) -> Vec<Movement> {
        let filter = MovementFilter {
            limit: 1000,
            ..MovementFilter::default()
        };
        self.store.movements(filter).await.expect("movements").items
    }

    async fn catalog(&self) -> Vec<Product> {
        self.store.list_products(false).await.expect("products")
    }
}

async fn an_import_creates_the_catalog_with_initial_movements_and_a_second_run_changes_nothing(
    t: TestStore,
) {
    let good = [
        "robe-ete,Robe d'été,robes,\"Légère, en coton\",15000,18000,/img/robe.jpg,M,,,5",
        "robe-ete,Robe d'été,robes,\"Légère, en coton\",15000,18000,/img/robe.jpg,L,,,",
        "chemise,Chemise,chemises,,12000,,,M,Blanc,CHEMISE-M-BLANC,4",
    ];
    let applied = Arc::new(AtomicU64::new(0));
    let seen = applied.clone();
    let summary = t
        .store
        .import_catalog(
            file(&good),
            &t.admin.name,
            false,
            Box::new(move |done| seen.store(done, Ordering::SeqCst)),
        )
        .await
        .expect("the import");
    assert_eq!(
        summary,
        ImportSummary {
            products_created: 2,
            variants_created: 3,
            ..ImportSummary::default()
        }
    );
    assert_eq!(applied.load(Ordering::SeqCst), 2, "progress per product");
    let robe = t.store.product("robe-ete").await.expect("the robe");
    assert_eq!((robe.price, robe.old_price), (15000, Some(18000)));
    let levels: Vec<(&str, i64)> = robe
        .variants
        .iter()
        .map(|v| (v.sku.as_str(), v.available))
        .collect();
    assert_eq!(levels, [("ROBE-ETE-M", 5), ("ROBE-ETE-L", 0)]);
    let movements = t.every_movement().await;
    assert_eq!(movements.len(), 3, "one initial movement per variant");
    for m in &movements {
        assert_eq!(m.kind, MovementKind::Initial);
        assert_eq!(m.quantity, m.available_after);
        assert_eq!(m.actor.as_deref(), Some(t.admin.name.as_str()));
        assert_eq!(m.note.as_deref(), Some(IMPORT_NOTE));
    }

    let before = t.catalog().await;
    let again = t.import(file(&good)).await.expect("the second import");
    assert_eq!(again, ImportSummary::default());
    assert_eq!(t.catalog().await, before, "versions and levels unchanged");
    assert_eq!(t.every_movement().await.len(), 3);
    t.assert_consistent().await;
}

async fn a_changed_level_is_an_adjustment_from_the_level_sales_left(t: TestStore) {
    t.import(file(&["robe,Robe,,,15000,,,M,,,5"]))
        .await
        .expect("the first import");
    t.buy(phone(1), &[("ROBE-M", 2)]).await.expect("an order");
    let version = t.store.product("robe").await.expect("the robe").version;

    let summary = t
        .import(file(&["robe,Robe longue,,,15000,,,M,Rouge,ROBE-M,9"]))
        .await
        .expect("the recount");
    assert_eq!(
        summary,
        ImportSummary {
            products_updated: 1,
            variants_updated: 1,
            stock_changed: 1,
            ..ImportSummary::default()
        }
    );
    let robe = t.store.product("robe").await.expect("the robe");
    assert_eq!(robe.title, "Robe longue");
    assert_eq!(robe.version, version + 1, "an edit's new ETag");
    assert_eq!(robe.variants[0].color.as_deref(), Some("Rouge"));
    assert_eq!(t.available("ROBE-M").await, 9);
    let adjustment = &t.every_movement().await[0];
    assert_eq!(adjustment.kind, MovementKind::Adjustment);
    assert_eq!(
        (adjustment.quantity, adjustment.available_after),
        (6, 9),
        "from the 3 left after the sale"
    );
    assert_eq!(adjustment.note.as_deref(), Some(IMPORT_NOTE));
    t.assert_consistent().await;
}

async fn every_line_the_database_contradicts_is_named_and_nothing_is_written(t: TestStore) {
    let jupe = t.product("jupe", &[("S", 3)]).await;
    let before = (t.catalog().await, t.every_movement().await);
    let refused = t
        .import(file(&[
            "robe,Robe,,,15000,,,M,,,5",
            &format!("robe,Robe,,,15000,,,L,,{},1", jupe[0]),
            "jupe,Robe jupe,,,15000,,,S,,JUPE-SMALL,2",
            "veste,Veste,,,30000,,,M,,,1",
        ]))
        .await
        .expect_err("contradicted lines");
    let StoreError::ImportRefused(invalid) = refused else {
        panic!("a refusal by line, got {refused:?}");
    };
    let lines: Vec<u64> = invalid.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4], "{invalid:?}");
    assert!(invalid[0].en.contains("belongs to another product"));
    assert!(invalid[1].en.contains("already has size S"));
    assert_eq!((t.catalog().await, t.every_movement().await), before);
}

// The final sizes are distinct, but the first variant written meets the
// other's size before it moves: the database refuses it, named by line.
async fn variants_that_swap_sizes_are_refused_by_line(t: TestStore) {
    t.import(file(&[
        "robe,Robe,,,15000,,,M,,A,1",
        "robe,Robe,,,15000,,,L,,B,1",
    ]))
    .await
    .expect("the first import");
    let before = t.catalog().await;
    let refused = t
        .import(file(&[
            "robe,Robe,,,15000,,,L,,A,1",
            "robe,Robe,,,15000,,,M,,B,1",
        ]))
        .await
        .expect_err("a swap");
    let StoreError::ImportRefused(invalid) = refused else {
        panic!("a refusal by line, got {refused:?}");
    };
    assert_eq!(invalid[0].line, 2, "{invalid:?}");
    assert_eq!(t.catalog().await, before);
}

// Twenty buyers take one unit each while an import sets the level to 50.
// Whatever the interleaving, the import's adjustment must be the difference
// from the level at the instant it is written, so the ledger still sums to
// the stock; on PostgreSQL that holds because the import locks the stock
// rows it plans over.
async fn an_import_during_a_rush_of_checkouts_keeps_the_ledger_equal_to_the_stock(t: TestStore) {
    let skus = t.product("rush", &[("M", 100)]).await;
    let sku = skus[0].clone();
    let line = format!("rush,Robe rush,,,15000,,,M,,{sku},50");
    let import = {
        let (store, actor) = (t.store.clone(), t.admin.name.clone());
        tokio::spawn(async move {
            store
                .import_catalog(file(&[line.as_str()]), &actor, false, Box::new(|_| {}))
                .await
        })
    };
    let buyers = (0..20)
        .map(|i| (phone(i), vec![(sku.clone(), 1)]))
        .collect();
    let outcomes = rush(&t, buyers).await;
    let summary = import.await.expect("the import ran").expect("the import");
    assert_eq!(summary.stock_changed, 1);
    assert_eq!(placed(&outcomes).len(), 20, "50 units or more for everyone");
    let available = t.available(&sku).await;
    assert!((30..=50).contains(&available), "{available}");
    t.assert_consistent().await;
}

// A dry run runs the very import, then rolls it back: the same summary as
// the import that follows, the database's own refusals included, and not
// a row or a movement left behind.
async fn a_dry_run_answers_what_the_import_would_do_and_writes_nothing(t: TestStore) {
    let lines = ["robe,Robe,,,15000,,,M,,A,1", "robe,Robe,,,15000,,,L,,B,3"];
    let before = (t.catalog().await, t.every_movement().await);
    let dry = t
        .store
        .import_catalog(file(&lines), &t.admin.name, true, Box::new(|_| {}))
        .await
        .expect("a dry run");
    assert_eq!(dry.products_created, 1);
    assert_eq!((t.catalog().await, t.every_movement().await), before);
    let applied = t.import(file(&lines)).await.expect("the import");
    assert_eq!(applied, dry);

    let swap = ["robe,Robe,,,15000,,,L,,A,1", "robe,Robe,,,15000,,,M,,B,1"];
    let refused = t
        .store
        .import_catalog(file(&swap), &t.admin.name, true, Box::new(|_| {}))
        .await
        .expect_err("a swap refused in a dry run too");
    assert!(
        matches!(refused, StoreError::ImportRefused(_)),
        "{refused:?}"
    );
}

//! The stockroom as the owner uses it: a delivery of six sizes received in
//! one form becomes one receipt and six restocks; a count interrupted by a
//! sale flags that line, she recounts it, and the sale stays.

use reqwest::Method;
use serde_json::{Value, json};

use crate::chrome::{Chrome, Session, browser_tools};
use crate::screenshots::assert_fits;
use crate::shop::{OWNER_PASSWORD, Shop, sign_in, spawn_shop};
use stockroom::demo::OWNER;

/// The sizes received: the dress's four and the skirt's S and M.
pub const RECEIVED: [(&str, i64); 6] = [
    ("ROBE-ETE-S", 2),
    ("ROBE-ETE-M", 3),
    ("ROBE-ETE-L", 4),
    ("ROBE-ETE-XL", 5),
    ("JUPE-PLISSEE-S", 1),
    ("JUPE-PLISSEE-M", 6),
];

/// Searches `words` in the delivery form and adds the product `slug`.
pub async fn add_product(owner: &Session, words: &str, slug: &str) {
    owner.fill("#r-search", words).await;
    owner
        .wait_for(
            &format!("document.getElementById('r-results').dataset.q === '{words}'"),
            "the search's results",
        )
        .await;
    let button = format!("#r-results button[data-slug=\"{slug}\"]:not([disabled])");
    owner.click(&button).await;
    owner
        .wait_for(
            &format!("!!document.querySelector('.receipt-product[data-slug=\"{slug}\"]')"),
            "the product's sizes in the form",
        )
        .await;
}

/// The delivery form filled with `RECEIVED`, not yet sent.
pub async fn fill_the_delivery(owner: &Session) {
    owner.open("/admin#/reception", "reception").await;
    owner.fill("#r-reference", "BL-2026-114").await;
    owner.fill("#r-supplier", "Atelier Adjamé").await;
    add_product(owner, "robe", "robe-ete").await;
    add_product(owner, "jupe", "jupe-plissee").await;
    for (sku, quantity) in RECEIVED {
        owner
            .fill(&format!("#q-{sku}"), &quantity.to_string())
            .await;
    }
    owner
        .wait_for(
            "document.getElementById('r-total').textContent.includes('21')",
            "the total of 21 units",
        )
        .await;
}

async fn restocks(shop: &Shop) -> Vec<Value> {
    let page = shop
        .get("/api/v1/admin/stock/movements?kind=restock&limit=500")
        .await;
    page["movements"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_delivery_of_six_sizes_is_one_receipt_and_six_restocks() {
    let Some(tools) = browser_tools("a_delivery_of_six_sizes") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let owner = chrome.session(&shop, 1280, 900).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;
    let before: Vec<i64> = levels_of(&shop).await;

    fill_the_delivery(&owner).await;
    owner.check_accessibility("the delivery form filled").await;
    owner.click("#r-submit").await;
    owner
        .wait_for(
            "(document.body.dataset.ready || '').startsWith('receptions/')",
            "the receipt",
        )
        .await;
    owner.check_accessibility("the receipt").await;
    owner.wait_toast("Réception BL-2026-114 enregistrée").await;
    let lines = owner
        .eval("document.querySelectorAll('#receipt-lines tbody tr').length")
        .await;
    assert_eq!(lines, 6);

    owner.open("/admin#/receptions", "receptions").await;
    let rows = owner
        .eval("document.querySelectorAll('#receipts tbody tr[data-id]').length")
        .await;
    assert_eq!(rows, 1, "one receipt in the list");
    assert_eq!(owner.text("#receipts tbody tr td:nth-child(5)").await, "21");

    let restocks = restocks(&shop).await;
    assert_eq!(restocks.len(), 6, "{restocks:#?}");
    let receipt = restocks[0]["receipt_id"].as_str().expect("a receipt id");
    assert!(restocks.iter().all(|m| m["receipt_id"] == receipt));
    for ((sku, quantity), was) in RECEIVED.iter().zip(before) {
        assert_eq!(shop.available(sku).await, was + quantity, "{sku}");
    }

    // The ledger shows each restock's delivery.
    owner
        .open("/admin#/mouvements?kind=restock", "mouvements")
        .await;
    let links = owner
        .eval("[...document.querySelectorAll('#movements .receipt-link')].filter(a => a.textContent.includes('BL-2026-114')).length")
        .await;
    assert_eq!(links, 6);
    owner.assert_no_console_errors();
    chrome.close().await;
}

/// The stock of each received size, in `RECEIVED`'s order.
async fn levels_of(shop: &Shop) -> Vec<i64> {
    let mut levels = Vec::new();
    for (sku, _) in RECEIVED {
        levels.push(shop.available(sku).await);
    }
    levels
}

#[tokio::test]
async fn a_count_interrupted_by_a_sale_flags_the_line_and_the_sale_stays() {
    let Some(tools) = browser_tools("a_count_interrupted_by_a_sale") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let owner = chrome.session(&shop, 360, 780).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;

    // She counts 4 dresses in M (the page says 5) and 1 skirt in S (2).
    owner.open("/admin#/inventaire", "inventaire").await;
    assert_fits(&owner, 360, "the count").await;
    owner.fill("#c-ROBE-ETE-M", "4").await;
    owner.fill("#c-JUPE-PLISSEE-S", "1").await;
    // A buyer takes a dress in M meanwhile.
    let order = json!({"customer": {"name": "Awa", "phone": "0700000077"},
                       "lines": [{"sku": "ROBE-ETE-M", "quantity": 1}]});
    let (status, body) = shop
        .send(Method::POST, "/api/v1/orders", &order, None)
        .await;
    assert_eq!(status, 201, "{body}");

    owner.click("#c-submit").await;
    owner.wait_ready("inventaire/stale").await;
    let stale = owner
        .eval("[...document.querySelectorAll('.count-row.stale')].map(r => r.dataset.sku)")
        .await;
    assert_eq!(stale, json!(["ROBE-ETE-M"]));
    assert_eq!(
        owner
            .text(".count-row[data-sku=\"ROBE-ETE-M\"] .count-stock")
            .await,
        "4"
    );
    assert_fits(&owner, 360, "the count with a stale line").await;
    assert_eq!(shop.available("JUPE-PLISSEE-S").await, 2, "nothing applied");

    // She recounts: 3 left on the shelf now.
    owner.fill("#c-ROBE-ETE-M", "3").await;
    owner.click("#c-submit").await;
    owner.wait_ready("inventaire/saved").await;
    owner.wait_toast("Comptage enregistré").await;
    assert_eq!(shop.available("ROBE-ETE-M").await, 3);
    assert_eq!(shop.available("JUPE-PLISSEE-S").await, 1);
    let sales = shop
        .get("/api/v1/admin/stock/movements?kind=sale&sku=ROBE-ETE-M")
        .await;
    assert_eq!(sales["movements"].as_array().map(Vec::len), Some(1));
    owner.assert_no_console_errors();
    chrome.close().await;
}

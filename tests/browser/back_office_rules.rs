//! The back office's catalog and rules: create a product, adjust its stock
//! with a reason, move an order along the allowed statuses, save the
//! settings, set the audit's reference date, lose the session mid-way.

use reqwest::Method;
use serde_json::json;

use crate::chrome::{Chrome, browser_tools};
use crate::shop::{OWNER_PASSWORD, sign_in, spawn_shop};
use stockroom::demo::OWNER;

#[tokio::test]
async fn an_admin_creates_a_product_adjusts_it_moves_an_order_on_and_sets_the_rules() {
    let Some(tools) = browser_tools("an_admin_creates_a_product") else {
        return;
    };
    let shop = spawn_shop().await;
    let (status, placed) = shop
        .send(
            Method::POST,
            "/api/v1/orders",
            &json!({"customer": {"name": "Adjoua", "phone": "0708091011"},
                    "lines": [{"sku": "ROBE-ETE-S", "quantity": 1}]}),
            None,
        )
        .await;
    assert_eq!(status, 201);
    let number = placed["order"]["number"]
        .as_str()
        .expect("a number")
        .to_owned();
    let chrome = Chrome::launch(&tools).await;
    let admin = chrome.session(&shop, 1280, 900).await;
    sign_in(&admin, OWNER, OWNER_PASSWORD).await;

    // A new product with two sizes; the storefront sells it at once.
    admin.click("#new-product").await;
    admin
        .wait_for("!!document.getElementById('p-title')", "the product form")
        .await;
    admin.fill("#p-title", "Foulard en wax").await;
    admin.fill("#p-category", "accessoires").await;
    admin.fill("#p-price", "4500").await;
    admin
        .fill("#variant-rows tr:nth-child(1) .v-stock", "6")
        .await;
    admin
        .fill("#variant-rows tr:nth-child(2) .v-stock", "2")
        .await;
    admin
        .click("#variant-rows tr:nth-child(3) .link-button")
        .await;
    admin.click("#save-product").await;
    admin.wait_toast("Produit « Foulard en wax » créé.").await;
    admin.wait_ready("produits").await;
    assert_eq!(shop.available("FOULARD-EN-WAX-S").await, 6);

    // An adjustment needs a reason, and lands in the ledger with it.
    admin
        .click(".stock-chip[data-sku=\"FOULARD-EN-WAX-M\"] .adjust")
        .await;
    admin.fill("#stock-quantity", "-1").await;
    admin.click("#stock-dialog button[type=submit]").await;
    admin
        .wait_for(
            "document.querySelector('#stock-dialog .field-error')?.textContent.includes('motif')",
            "the reason is required",
        )
        .await;
    admin
        .check_accessibility("the adjustment dialog with its error")
        .await;
    admin.fill("#stock-note", "Article abîmé").await;
    admin.click("#stock-dialog button[type=submit]").await;
    admin
        .wait_toast("Foulard en wax (taille M) : 1 en stock.")
        .await;
    admin
        .open("/admin#/mouvements?kind=adjustment", "mouvements")
        .await;
    let row = admin.text("#movements tr[data-kind=adjustment]").await;
    assert!(
        row.contains("FOULARD-EN-WAX-M") && row.contains("−1") && row.contains("Article abîmé"),
        "{row}"
    );
    assert_eq!(admin.eval("document.querySelectorAll('#movements tbody tr:not([data-kind=adjustment])').length").await, 0);

    // The order moves on along the allowed statuses only.
    admin
        .open("/admin#/commandes?status=pending", "commandes")
        .await;
    admin
        .click(&format!("#orders tr[data-number=\"{number}\"] a"))
        .await;
    admin
        .wait_for(
            "!!document.querySelector('button[data-status=confirmed]')",
            "the order's actions",
        )
        .await;
    assert_eq!(
        admin
            .eval("document.querySelector('button[data-status=shipped]')")
            .await,
        serde_json::Value::Null
    );
    admin.click("button[data-status=confirmed]").await;
    admin
        .wait_for(
            "document.getElementById('order-status')?.textContent.includes('Confirmée')",
            "the order confirmed",
        )
        .await;
    assert!(
        admin
            .eval("!!document.querySelector('button[data-status=processing]')")
            .await
            == true
    );

    // The rules: one order per customer, low stock at 50 %.
    admin.open("/admin#/reglages", "reglages").await;
    admin.fill("#s-limit", "1").await;
    admin.fill("#s-percent", "50").await;
    admin.click("#settings-form button[type=submit]").await;
    admin.wait_toast("Réglages enregistrés.").await;
    let settings = shop.get("/api/v1/admin/settings").await;
    assert_eq!(settings["order_limit_per_customer"], 1);
    assert_eq!(settings["low_stock_percent"], 50);

    // Counting restarts from the current stock, after a confirmation.
    admin.open("/admin#/verification", "verification").await;
    admin.click("#audit-reference").await;
    admin
        .wait_for("!!document.querySelector('dialog[open]')", "the question")
        .await;
    admin
        .check_accessibility("the question before counting restarts")
        .await;
    admin.click("dialog [data-confirm=yes]").await;
    admin
        .wait_toast("Les comptes repartent de maintenant.")
        .await;
    assert!(
        admin
            .text("#reference-date")
            .await
            .contains("Comptes depuis le")
    );
    assert!(admin.text("#audit-banner").await.contains("Tout concorde"));

    // A session that ends elsewhere (here, signed out behind the page's
    // back) brings the sign-in back at the next action, saying why in
    // plain words (the API's sentence speaks of tokens, for scripts).
    admin
        .eval("fetch('/api/v1/auth/logout', { method: 'POST' }).then(() => { location.hash = '#/commandes'; return true; })")
        .await;
    admin.wait_ready("signin").await;
    assert!(
        admin
            .text("#signin-error")
            .await
            .contains("Votre session a pris fin")
    );
    admin.assert_no_console_errors();
    chrome.close().await;
}

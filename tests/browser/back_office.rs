//! The back office as staff use it: sign in, restock, read the ledger,
//! cancel an order and see its stock back, edit a product someone else
//! edited first, audit, export the CSV, sign out.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::chrome::{Chrome, browser_tools};
use crate::shop::{OWNER_PASSWORD, spawn_shop};

#[tokio::test]
async fn an_admin_restocks_cancels_an_order_and_finds_the_system_consistent() {
    let Some(tools) = browser_tools("an_admin_restocks") else {
        return;
    };
    let shop = spawn_shop().await;
    // A buyer took 2 of the 3 pleated skirts in M.
    let (status, placed) = shop
        .send(
            Method::POST,
            "/api/v1/orders",
            &json!({"customer": {"name": "Aya B.", "phone": "0701020304"},
                    "lines": [{"sku": "JUPE-PLISSEE-M", "quantity": 2}]}),
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

    // A wrong password is refused with the API's words; the right one opens the products.
    admin.open("/admin", "signin").await;
    admin.fill("#signin-name", "Demo").await;
    admin
        .fill("#signin-password", "pas le bon mot de passe")
        .await;
    admin.click("#sign-in").await;
    admin
        .wait_for("document.getElementById('signin-error').textContent.includes('Identifiant ou mot de passe incorrect')", "the 401 detail")
        .await;
    admin.fill("#signin-password", OWNER_PASSWORD).await;
    admin.click("#sign-in").await;
    admin.wait_ready("produits").await;
    let chip = |sku: &str| format!(".stock-chip[data-sku=\"{sku}\"]");
    assert_eq!(
        admin
            .text(&format!("{} .chip-qty", chip("JUPE-PLISSEE-M")))
            .await,
        "1"
    );
    assert_eq!(
        admin
            .eval(&format!(
                "document.querySelector('{}').classList.contains('out')",
                chip("BOUBOU-BRODE-M").replace('\'', "\\'")
            ))
            .await,
        true,
        "a sold-out size is marked"
    );
    admin.screenshot("admin-1-products").await;

    // Restock with "+": 4 units of the dress in XL, with a note.
    admin
        .click(&format!("{} .restock", chip("ROBE-ETE-XL")))
        .await;
    admin.check_accessibility("the restock dialog").await;
    admin.fill("#stock-quantity", "4").await;
    admin.fill("#stock-note", "Arrivage du mardi").await;
    admin.click("#stock-dialog button[type=submit]").await;
    admin
        .wait_toast("Robe d'été (taille XL) : 4 en stock.")
        .await;
    admin
        .wait_for(
            &format!(
                "document.querySelector('{} .chip-qty')?.textContent === '4'",
                chip("ROBE-ETE-XL").replace('\'', "\\'")
            ),
            "4 in XL",
        )
        .await;

    // The movement is in the history, with its actor and note.
    admin
        .click(&format!("{} .chip-link", chip("ROBE-ETE-XL")))
        .await;
    admin.wait_ready("mouvements").await;
    let restock_row = "#movements tr[data-kind=restock][data-sku=\"ROBE-ETE-XL\"]";
    admin
        .wait_for(
            &format!(
                "!!document.querySelector('{}')",
                restock_row.replace('\'', "\\'")
            ),
            "the restock row",
        )
        .await;
    assert_eq!(
        admin.text("#movement-scope").await,
        "Historique de Robe d'été (taille XL). Voir tous les mouvements"
    );
    let row = admin.text(restock_row).await;
    assert!(
        row.contains("+4") && row.contains("demo") && row.contains("Arrivage du mardi"),
        "{row}"
    );
    admin.screenshot("admin-2-movements").await;

    // Cancel the order, with a confirmation; its 2 skirts go back to stock.
    admin.click("#admin-nav a[href=\"#/commandes\"]").await;
    admin.wait_ready("commandes").await;
    admin
        .click(&format!("#orders tr[data-number=\"{number}\"] a"))
        .await;
    admin
        .wait_for(
            "!!document.querySelector('button[data-status=cancelled]')",
            "the cancel button",
        )
        .await;
    admin.click("button[data-status=cancelled]").await;
    admin
        .wait_for("!!document.querySelector('dialog[open]')", "the question")
        .await;
    admin
        .check_accessibility("the question before cancelling")
        .await;
    admin.click("dialog [data-confirm=yes]").await;
    admin
        .wait_for(
            "document.getElementById('order-status')?.textContent.includes('Annulée')",
            "the order cancelled",
        )
        .await;
    admin.screenshot("admin-3-order-cancelled").await;
    admin.click("#admin-nav a[href=\"#/produits\"]").await;
    admin.wait_ready("produits").await;
    assert_eq!(
        admin
            .text(&format!("{} .chip-qty", chip("JUPE-PLISSEE-M")))
            .await,
        "3"
    );
    assert_eq!(shop.available("JUPE-PLISSEE-M").await, 3);

    // Someone else edits the dress first: this edit gets a clear 412 message.
    admin
        .open("/admin#/produits/robe-ete", "produits/robe-ete")
        .await;
    admin
        .wait_for("!!document.getElementById('p-title')", "the product form")
        .await;
    let etag = shop
        .client
        .get(format!("{}/api/v1/admin/products/robe-ete", shop.address))
        .bearer_auth(&shop.admin_token)
        .send()
        .await
        .expect("the product")
        .headers()["etag"]
        .to_str()
        .expect("an ETag")
        .to_owned();
    let (status, _) = shop
        .send(
            Method::PATCH,
            "/api/v1/admin/products/robe-ete",
            &json!({"price": 14000}),
            Some(&etag),
        )
        .await;
    assert_eq!(status, 200);
    admin.fill("#p-title", "Robe d'été fleurie").await;
    admin.click("#save-product").await;
    admin
        .wait_for(
            "document.getElementById('product-alert')?.textContent.includes('modifié par quelqu')",
            "the 412 message",
        )
        .await;
    admin.click("#reload-product").await;
    admin
        .wait_for(
            "document.getElementById('p-price')?.value === '14000'",
            "the reloaded product",
        )
        .await;

    // The audit: everything adds up, and the CSV downloads.
    admin.click("#admin-nav a[href=\"#/verification\"]").await;
    admin.wait_ready("verification").await;
    assert!(admin.text("#audit-banner").await.contains("Tout concorde"));
    admin.screenshot("admin-4-audit").await;
    admin.click("#audit-csv").await;
    let csv = wait_for_download(admin.downloads.path()).await;
    assert!(csv.starts_with("Référence,Produit,Taille"), "{csv}");
    assert!(csv.contains("ROBE-ETE-XL"));

    // Signing out ends the session on the server: the cookie opens nothing.
    admin.click("#sign-out").await;
    admin.wait_ready("signin").await;
    assert_eq!(
        admin
            .eval("fetch('/api/v1/auth/me').then((r) => r.status)")
            .await,
        401
    );
    admin.assert_no_console_errors();
    chrome.close().await;
}

/// The text of the first finished download in `dir`.
pub async fn wait_for_download(dir: &std::path::Path) -> String {
    let start = Instant::now();
    loop {
        let done = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "csv"));
        if let Some(path) = done {
            return std::fs::read_to_string(path).expect("the CSV reads");
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no CSV was downloaded"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

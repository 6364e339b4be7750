//! The pages as a person sees them on a desktop and on a 360 px phone:
//! nothing overflows sideways, and the README's pictures are made here.

use std::path::{Path, PathBuf};

use reqwest::Method;
use serde_json::json;

use crate::chrome::{Chrome, Session, browser_tools};
use crate::photos::{PALETTES, fabric};
use crate::receiving::fill_the_delivery;
use crate::shop::{OWNER_PASSWORD, Shop, sign_in, spawn_shop};
use stockroom::demo::OWNER;

/// Copies a screenshot into `docs/screenshots/` when asked to refresh them.
pub fn publish(shot: &Path, name: &str) {
    if std::env::var_os("STOCKROOM_DOCS_SCREENSHOTS").is_none() {
        return;
    }
    let docs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&docs).expect("the docs folder");
    std::fs::copy(shot, docs.join(format!("{name}.png"))).expect("the screenshot is copied");
}

/// A product with three photos, on a desktop: the picture of the README.
#[tokio::test]
async fn a_product_with_its_gallery_is_pictured() {
    let Some(tools) = browser_tools("a_product_with_its_gallery") else {
        return;
    };
    let shop = spawn_shop().await;
    for (palette, alt) in PALETTES.iter().zip([
        "Robe d'été en wax orange et indigo, de face",
        "La même robe, de dos",
        "Détail du tissu",
    ]) {
        shop.upload_photo("robe-ete", &fabric(1200, 1200, *palette), alt)
            .await;
    }
    let chrome = Chrome::launch(&tools).await;
    let desktop = chrome.session(&shop, 1280, 900).await;

    desktop.open("/#/produit/robe-ete", "produit").await;
    desktop
        .wait_for(
            "[...document.images].every(i => i.complete && i.naturalWidth > 0)",
            "the photos",
        )
        .await;

    assert_fits(&desktop, 1280, "the product page with its gallery").await;
    publish(
        &desktop.screenshot_window("product-gallery").await,
        "product-gallery",
    );
    desktop.assert_no_console_errors();
    chrome.close().await;
}

/// Sales, a restock, a cancellation and an adjustment, so that the audit
/// has something to show.
async fn give_the_shop_a_day(shop: &Shop) {
    let order = |phone: &str, lines: serde_json::Value| json!({"customer": {"name": "Cliente", "phone": phone}, "lines": lines});
    let mut placed = Vec::new();
    for (phone, lines) in [
        (
            "0700000001",
            json!([{"sku": "T-SHIRT-COTON-BIO-XL", "quantity": 5}]),
        ),
        ("0700000002", json!([{"sku": "ROBE-ETE-M", "quantity": 2}])),
        (
            "0700000003",
            json!([{"sku": "CHEMISE-EN-LIN-BLEU-M", "quantity": 1}]),
        ),
    ] {
        let (status, body) = shop
            .send(Method::POST, "/api/v1/orders", &order(phone, lines), None)
            .await;
        assert_eq!(status, 201, "{body}");
        placed.push(body["order"]["id"].as_str().expect("an id").to_owned());
    }
    for (path, body) in [
        (
            "/api/v1/admin/stock/ROBE-ETE-XL/restock".to_owned(),
            json!({"quantity": 4, "note": "Arrivage"}),
        ),
        (
            "/api/v1/admin/stock/JUPE-PLISSEE-S/adjust".to_owned(),
            json!({"delta": -1, "reason": "Article abîmé"}),
        ),
        (
            format!("/api/v1/admin/orders/{}/status", placed[2]),
            json!({"status": "cancelled"}),
        ),
    ] {
        let (status, answer) = shop.send(Method::POST, &path, &body, None).await;
        assert_eq!(status, 200, "{path}: {answer}");
    }
}

/// Fails unless the page is at most `width` px wide: nothing overflows sideways.
pub async fn assert_fits(session: &Session, width: i64, what: &str) {
    let scroll = session.eval("document.documentElement.scrollWidth").await;
    assert!(
        scroll.as_i64().unwrap_or(i64::MAX) <= width,
        "{what} is {scroll} px wide in a {width} px window"
    );
}

#[tokio::test]
async fn the_storefront_and_the_audit_fit_a_desktop_and_a_phone() {
    let Some(tools) = browser_tools("the_storefront_fits") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;

    let desktop = chrome.session(&shop, 1280, 900).await;
    desktop.open("/", "home").await;
    desktop
        .wait_for(
            "[...document.images].every(i => i.complete)",
            "the pictures",
        )
        .await;
    publish(
        &desktop.screenshot_window("storefront-desktop").await,
        "storefront-desktop",
    );
    assert_fits(&desktop, 1280, "the storefront").await;
    desktop.click("#lang-switch").await;
    desktop.wait_ready("home").await;
    assert_eq!(
        desktop
            .text(".card[data-slug=\"boubou-brode\"] .badge")
            .await,
        "Sold out"
    );
    desktop.screenshot_window("storefront-desktop-en").await;

    let phone = chrome.session(&shop, 360, 780).await;
    for (path, view, name) in [
        ("/", "home", "storefront-phone"),
        ("/#/produit/robe-ete", "produit", "product-phone"),
        ("/admin", "signin", "admin-signin-phone"),
    ] {
        phone.open(path, view).await;
        phone
            .wait_for(
                "[...document.images].every(i => i.complete)",
                "the pictures",
            )
            .await;
        assert_fits(&phone, 360, name).await;
        let shot = phone.screenshot(name).await;
        if name != "admin-signin-phone" {
            publish(&shot, name);
        }
    }

    // Colours first, then the sizes of that colour.
    phone.open("/#/produit/chemise-en-lin", "produit").await;
    phone.click("label[for=\"color-1\"]").await;
    phone
        .wait_for(
            "!!document.getElementById('size-CHEMISE-EN-LIN-BLEU-M') && !document.getElementById('size-CHEMISE-EN-LIN-BLANC-M')",
            "the blue sizes",
        )
        .await;
    phone
        .click("label[for=\"size-CHEMISE-EN-LIN-BLEU-M\"]")
        .await;
    phone.screenshot("product-colours-phone").await;

    give_the_shop_a_day(&shop).await;
    let admin = chrome.session(&shop, 1280, 900).await;
    sign_in(&admin, OWNER, OWNER_PASSWORD).await;
    admin.open("/admin#/verification", "verification").await;
    publish(&admin.screenshot("audit-desktop").await, "audit-desktop");
    admin.resize(360, 780).await;
    for (path, view) in [
        ("/admin#/verification", "verification"),
        ("/admin#/produits", "produits"),
        ("/admin#/commandes", "commandes"),
        ("/admin#/equipe", "equipe"),
        ("/admin#/compte", "compte"),
        ("/admin#/reglages", "reglages"),
    ] {
        admin.open(path, view).await;
        assert_fits(&admin, 360, view).await;
        admin.screenshot(&format!("admin-{view}-phone")).await;
    }
    for session in [&desktop, &phone, &admin] {
        session.assert_no_console_errors();
    }
    chrome.close().await;
}

#[tokio::test]
async fn the_receipt_form_and_the_count_grid_fit_a_desktop_and_a_phone() {
    let Some(tools) = browser_tools("the_receipt_form_fits") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let admin = chrome.session(&shop, 1280, 900).await;
    sign_in(&admin, OWNER, OWNER_PASSWORD).await;

    fill_the_delivery(&admin).await;
    assert_fits(&admin, 1280, "the delivery form").await;
    publish(&admin.screenshot("receipt-form").await, "receipt-form");

    // The count as it looks when a sale came in while she counted.
    admin.open("/admin#/inventaire", "inventaire").await;
    admin.fill("#c-ROBE-ETE-S", "3").await;
    admin.fill("#c-ROBE-ETE-M", "4").await;
    admin.fill("#c-CHEMISE-EN-LIN-BLANC-M", "3").await;
    let order = json!({"customer": {"name": "Awa", "phone": "0700000088"},
                       "lines": [{"sku": "ROBE-ETE-M", "quantity": 1}]});
    let (status, body) = shop
        .send(Method::POST, "/api/v1/orders", &order, None)
        .await;
    assert_eq!(status, 201, "{body}");
    admin.click("#c-submit").await;
    admin.wait_ready("inventaire/stale").await;
    assert_fits(&admin, 1280, "the count").await;
    admin.eval("window.scrollTo(0, 0); true").await;
    publish(&admin.screenshot_window("count-grid").await, "count-grid");

    admin.resize(360, 780).await;
    fill_the_delivery(&admin).await;
    assert_fits(&admin, 360, "the delivery form").await;
    admin.screenshot("receipt-form-phone").await;
    for (path, view) in [
        ("/admin#/inventaire", "inventaire"),
        ("/admin#/receptions", "receptions"),
    ] {
        admin.open(path, view).await;
        assert_fits(&admin, 360, view).await;
        admin.screenshot(&format!("admin-{view}-phone")).await;
    }
    admin.assert_no_console_errors();
    chrome.close().await;
}

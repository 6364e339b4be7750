//! Every page of the storefront and of the back office, signed in and not,
//! on a desktop and on a 360 px phone, with the dialogs and the messages a
//! mistake brings: each fits its window sideways and passes the
//! accessibility check (`Session::wait_ready` runs it on every view; the
//! dialogs and error states are checked where they open). The other tests
//! see most pages at one size only, and a few not at all.

use reqwest::Method;
use serde_json::json;

use crate::chrome::{Chrome, Session, browser_tools};
use crate::screenshots::assert_fits;
use crate::shop::{OWNER_PASSWORD, Shop, spawn_shop};
use stockroom::demo::OWNER;

const SIZES: [(i64, i64); 2] = [(1280, 900), (360, 780)];

#[tokio::test]
async fn every_page_fits_and_passes_the_accessibility_check_on_a_desktop_and_a_phone() {
    let Some(tools) = browser_tools("every_page") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    for (width, height) in SIZES {
        let buyer = chrome.session(&shop, width, height).await;
        walk_the_storefront(&buyer, width).await;
        buyer.assert_no_console_errors();
        let admin = chrome.session(&shop, width, height).await;
        walk_the_back_office(&shop, &admin, width).await;
        admin.assert_no_console_errors();
    }
    chrome.close().await;
}

/// Opens `path`, waits for `view` (checked on the way), and measures it.
async fn visit(session: &Session, width: i64, path: &str, view: &str) {
    session.open(path, view).await;
    assert_fits(session, width, path).await;
}

/// The pages without a cart, then one order from the product to its follow-up.
async fn walk_the_storefront(buyer: &Session, width: i64) {
    for (path, view) in [
        ("/", "home"),
        ("/#/panier", "panier"),
        ("/#/commandes", "commandes"),
        ("/#/produit/introuvable", "produit"),
        ("/#/desinscription/un-lien", "desinscription"),
        ("/#/nulle-part", "nulle-part"),
    ] {
        visit(buyer, width, path, view).await;
    }

    visit(buyer, width, "/#/produit/chemise-en-lin", "produit").await;
    buyer.click("#add-to-cart").await;
    buyer
        .wait_for(
            "document.getElementById('size-error').textContent.length > 0",
            "the size asked for",
        )
        .await;
    buyer
        .check_accessibility("the product page asking for a size")
        .await;
    buyer
        .click("label[for=\"size-CHEMISE-EN-LIN-BLANC-M\"]")
        .await;
    buyer.click("#add-to-cart").await;
    buyer
        .wait_for(
            "document.getElementById('cart-count').textContent === '1'",
            "1 in the cart",
        )
        .await;

    buyer.click("#cart-link").await;
    buyer.wait_ready("panier").await;
    assert_fits(buyer, width, "the cart").await;
    buyer.click("#checkout").await;
    buyer.wait_ready("commande").await;
    buyer.click("#place-order").await;
    buyer
        .wait_for(
            "document.getElementById('f-name-error').textContent.length > 0",
            "the name asked for",
        )
        .await;
    buyer
        .check_accessibility("the checkout form with its errors")
        .await;
    assert_fits(buyer, width, "the checkout").await;
    buyer.fill("#f-name", "Mariam Traoré").await;
    buyer.fill("#f-phone", "07 00 00 00 31").await;
    buyer.click("#zone-boutique").await;
    buyer.click("#place-order").await;
    buyer.wait_ready("merci").await;
    assert_fits(buyer, width, "the confirmation").await;
    buyer.click("#track-link").await;
    buyer.wait_ready("suivi").await;
    assert_fits(buyer, width, "the order's page").await;
    visit(buyer, width, "/#/commandes", "commandes").await;

    // The same in English: the page's language follows.
    buyer.click("#lang-switch").await;
    buyer.wait_ready("commandes").await;
    assert_eq!(buyer.eval("document.documentElement.lang").await, "en");

    // An address the server does not know: its French page, not JSON.
    visit(buyer, width, "/robe-introuvable", "introuvable").await;
}

/// The sign-in with its error, every section, one order, and the dialogs.
async fn walk_the_back_office(shop: &Shop, admin: &Session, width: i64) {
    let (status, placed) = shop
        .send(
            Method::POST,
            "/api/v1/orders",
            &json!({"customer": {"name": "Akissi", "phone": format!("07 08 09 10 {:02}", width % 100)},
                    "lines": [{"sku": "JUPE-PLISSEE-M", "quantity": 1}]}),
            None,
        )
        .await;
    assert_eq!(status, 201, "{placed}");
    let order = placed["order"]["id"].as_str().expect("an id").to_owned();

    visit(admin, width, "/admin", "signin").await;
    admin.click("#sign-in").await;
    admin
        .wait_for(
            "document.getElementById('signin-error').textContent.length > 0",
            "the name asked for",
        )
        .await;
    admin
        .check_accessibility("the sign-in with its error")
        .await;
    admin.fill("#signin-name", OWNER).await;
    admin.fill("#signin-password", OWNER_PASSWORD).await;
    admin.click("#sign-in").await;
    admin.wait_ready("produits").await;
    assert_fits(admin, width, "the products").await;

    // The restock dialog, and the adjustment dialog refusing a change without a reason.
    let chip = ".stock-chip[data-sku=\"ROBE-ETE-XL\"]";
    admin.click(&format!("{chip} .restock")).await;
    admin
        .wait_for(
            "!!document.querySelector('#stock-dialog[open]')",
            "the restock dialog",
        )
        .await;
    admin.check_accessibility("the restock dialog").await;
    admin.click("#stock-dialog .btn-ghost").await;
    admin.click(&format!("{chip} .adjust")).await;
    admin.fill("#stock-quantity", "-1").await;
    admin.click("#stock-dialog button[type=submit]").await;
    admin
        .wait_for(
            "document.querySelector('#stock-dialog .field-error')?.textContent.length > 0",
            "the reason asked for",
        )
        .await;
    admin
        .check_accessibility("the adjustment dialog with its error")
        .await;
    admin.click("#stock-dialog .btn-ghost").await;

    let order_view = format!("commandes/{order}");
    let order_path = format!("/admin#/{order_view}");
    for (path, view) in [
        ("/admin#/produits/nouveau", "produits/nouveau"),
        ("/admin#/produits/robe-ete", "produits/robe-ete"),
        ("/admin#/reception", "reception"),
        ("/admin#/receptions", "receptions"),
        ("/admin#/inventaire", "inventaire"),
        ("/admin#/mouvements", "mouvements"),
        ("/admin#/commandes", "commandes"),
        ("/admin#/precommandes", "precommandes"),
        (order_path.as_str(), order_view.as_str()),
        ("/admin#/verification", "verification"),
        ("/admin#/reglages", "reglages"),
        ("/admin#/reglages/notifications", "reglages/notifications"),
        ("/admin#/reglages/webhooks", "reglages/webhooks"),
        ("/admin#/reglages/journal", "reglages/journal"),
        ("/admin#/csv", "csv"),
        ("/admin#/equipe", "equipe"),
        ("/admin#/compte", "compte"),
        ("/admin#/nulle-part", "nulle-part"),
    ] {
        visit(admin, width, path, view).await;
    }

    // The page a setup link opens, and its refusal of a short password.
    let (status, invited) = shop
        .send(
            Method::POST,
            "/api/v1/admin/staff",
            &json!({"name": format!("Awa {width}"), "role": "staff"}),
            None,
        )
        .await;
    assert_eq!(status, 201, "{invited}");
    let token = invited["setup_token"].as_str().expect("a token");
    visit(admin, width, &format!("/admin/setup#{token}"), "setup").await;
    admin.fill("#setup-password", "court").await;
    admin.fill("#setup-again", "court").await;
    admin.click("#setup-submit").await;
    admin
        .wait_for(
            "document.getElementById('setup-error').textContent.length > 0",
            "the password rule",
        )
        .await;
    admin
        .check_accessibility("the setup page with its error")
        .await;

    // The question before an order is cancelled, answered "no".
    admin.open(&order_path, &order_view).await;
    admin.click("button[data-status=cancelled]").await;
    admin
        .wait_for(
            "!!document.querySelector('dialog[open] [data-confirm=yes]')",
            "the confirmation",
        )
        .await;
    admin
        .check_accessibility("the question before cancelling")
        .await;
    admin.click("dialog[open] .btn-ghost").await;
}

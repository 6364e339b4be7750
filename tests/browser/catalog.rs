//! The catalog in the back office, as the owner uses it: find a product,
//! add a size to it with its opening stock and see a buyer order it, take a
//! size off sale, and keep a draft out of the shop.

use crate::buyer::{Buyer, buy};
use crate::chrome::{Chrome, browser_tools};
use crate::shop::{OWNER_PASSWORD, sign_in, spawn_shop};
use stockroom::demo::OWNER;

#[tokio::test]
async fn the_owner_adds_a_size_a_buyer_orders_it_and_a_retired_size_leaves_the_shop() {
    let Some(tools) = browser_tools("the_owner_adds_a_size") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let owner = chrome.session(&shop, 1280, 900).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;

    // The search finds the skirt without its accent; the draft filter finds nothing yet.
    owner.fill("#product-search", "plissee").await;
    owner.click("form.filters button[type=submit]").await;
    owner
        .wait_for(
            "document.querySelectorAll('#admin-products > li').length === 1 && document.querySelector('#admin-products > li').dataset.slug === 'jupe-plissee'",
            "the skirt alone",
        )
        .await;

    // A size XL with 3 units, added from the product's page.
    owner
        .open("/admin#/produits/jupe-plissee", "produits/jupe-plissee")
        .await;
    owner.fill("#new-size", "XL").await;
    owner.fill("#new-stock", "3").await;
    owner.click("#add-size").await;
    owner
        .wait_toast("XL ajoutée avec 3 articles en stock")
        .await;
    owner
        .wait_for(
            "!!document.querySelector('.variant-item[data-sku=\"JUPE-PLISSEE-XL\"]')",
            "the new size in the list",
        )
        .await;
    owner
        .check_accessibility("the sizes after adding one")
        .await;
    owner.screenshot("admin-sizes").await;

    // A buyer sees it and orders 2.
    let buyer = chrome.session(&shop, 360, 780).await;
    let mariam = Buyer {
        name: "Mariam T.",
        phone: "07 00 00 00 09",
        address: Some("Yopougon, Sideci"),
        zone: "yopougon",
    };
    buy(&buyer, "jupe-plissee", "JUPE-PLISSEE-XL", 2, &mariam).await;
    assert_eq!(shop.available("JUPE-PLISSEE-XL").await, 1);

    // The last unit is written off, then the size is taken off sale: the
    // shop no longer offers it, the back office still lists it.
    let (status, _) = shop
        .send(
            reqwest::Method::POST,
            "/api/v1/admin/stock/JUPE-PLISSEE-XL/adjust",
            &serde_json::json!({"set": 0, "reason": "abîmé"}),
            None,
        )
        .await;
    assert_eq!(status, 200);
    owner
        .open("/admin#/produits/jupe-plissee", "produits/jupe-plissee")
        .await;
    owner
        .click(".variant-item[data-sku=\"JUPE-PLISSEE-XL\"] .retire")
        .await;
    owner.wait_toast("XL est retirée de la vente").await;
    owner
        .wait_for(
            "document.querySelector('.variant-item[data-sku=\"JUPE-PLISSEE-XL\"]')?.classList.contains('retired')",
            "the size marked retired",
        )
        .await;
    buyer.open("/#/produit/jupe-plissee", "produit").await;
    assert_eq!(
        buyer
            .eval("!!document.querySelector('label[for=\"size-JUPE-PLISSEE-XL\"]')")
            .await,
        false,
        "a retired size is not offered"
    );

    // As a draft, the skirt leaves the shop and comes back when active.
    owner
        .open("/admin#/produits/jupe-plissee", "produits/jupe-plissee")
        .await;
    owner
        .eval("const s = document.getElementById('p-status'); s.value = 'draft'; true")
        .await;
    owner.click("#save-product").await;
    owner.wait_ready("produits").await;
    owner
        .wait_for(
            "document.querySelector('#admin-products > li[data-slug=\"jupe-plissee\"] .badge-draft')?.textContent === 'Brouillon'",
            "the draft marked in the list",
        )
        .await;
    let (status, _) = shop
        .send(
            reqwest::Method::GET,
            "/api/v1/products/jupe-plissee",
            &serde_json::Value::Null,
            None,
        )
        .await;
    assert_eq!(status, 404, "a draft is not public");
    owner.assert_no_console_errors();
    buyer.assert_no_console_errors();
    chrome.close().await;
}

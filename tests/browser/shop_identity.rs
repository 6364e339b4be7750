//! The shop made hers: a fresh shop shows none of the demo's words and
//! tells its owner where to name it; the name and phone she saves are on
//! the storefront; a price changed while a buyer checks out is shown and
//! confirmed, never charged unseen; the delivery fee is in the total; and
//! a buyer finds her order again from another browser.

use reqwest::Method;
use serde_json::json;

use crate::buyer::{Buyer, cart_to_checkout, fill_checkout};
use crate::chrome::{Chrome, Session, browser_tools};
use crate::shop::{OWNER_PASSWORD, Shop, sign_in, spawn_fresh_shop, spawn_shop};
use stockroom::demo::OWNER;

/// Words only the demo shop may show.
const DEMO_WORDS: [&str; 5] = ["Akwaba", "Cocody", "Abidjan", "ivoirienne", "wax"];

async fn page_text(session: &Session) -> String {
    session
        .eval("document.body.innerText")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_fresh_shop_is_neutral_until_its_owner_names_it() {
    let Some(tools) = browser_tools("a_fresh_shop_is_neutral") else {
        return;
    };
    let shop = spawn_fresh_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let buyer = chrome.session(&shop, 360, 780).await;

    buyer.open("/", "home").await;
    buyer
        .wait_for(
            "!!document.getElementById('first-run')",
            "the first-run page",
        )
        .await;
    let text = page_text(&buyer).await;
    for word in DEMO_WORDS {
        assert!(!text.contains(word), "`{word}` on a fresh shop: {text}");
    }
    buyer.check_accessibility("a fresh shop's first page").await;

    let owner = chrome.session(&shop, 360, 780).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;
    owner.open("/admin#/reglages", "reglages").await;
    owner.fill("#shop-name", "Chez Mariam").await;
    owner.fill("#shop-phone", "+225 07 11 22 33 44").await;
    owner.click("#add-zone").await;
    owner.fill("#zone-name-0", "Marcory").await;
    owner.fill("#zone-fee-0", "-5").await;
    owner.click("#shop-save").await;
    // A bad fee is named next to its zone, in French.
    owner
        .wait_for(
            "document.getElementById('zone-error-0').textContent.includes('0')",
            "the fee's error beside it",
        )
        .await;
    owner
        .check_accessibility("the shop's form with an error")
        .await;
    owner.fill("#zone-fee-0", "1000").await;
    owner.click("#shop-save").await;
    owner.wait_toast("Boutique enregistrée.").await;
    owner
        .wait_for(
            "document.getElementById('brand-name').textContent === 'Chez Mariam'",
            "the back office's header renamed",
        )
        .await;
    owner.screenshot("admin-shop-settings").await;

    buyer.open("/", "home").await;
    buyer
        .wait_for(
            "document.getElementById('brand-name').textContent === 'Chez Mariam'",
            "the storefront's header",
        )
        .await;
    assert_eq!(
        buyer
            .eval(
                "document.querySelector('#footer-identity a[href^=\"tel:\"]').getAttribute('href')"
            )
            .await,
        "tel:+2250711223344"
    );
    assert!(buyer.text("title").await.starts_with("Chez Mariam"));
    // A bad price is named next to its field, in her words, never the parser's.
    owner
        .open("/admin#/produits/nouveau", "produits/nouveau")
        .await;
    owner.fill("#p-title", "Robe wax").await;
    owner.fill("#p-price", "12.5").await;
    owner.click("#save-product").await;
    let said = owner
        .wait_for(
            "document.getElementById('p-price-server-error')?.textContent",
            "the price's error beside it",
        )
        .await;
    let said = said.as_str().unwrap_or_default().to_owned();
    assert!(said.contains("nombre entier"), "{said}");
    for jargon in ["price", "invalid", "i64", "column"] {
        assert!(!said.contains(jargon), "{said}");
    }
    assert_eq!(
        owner.eval("document.activeElement.id").await,
        "p-price",
        "the field in error has the focus"
    );
    owner
        .check_accessibility("a product form with an error beside its field")
        .await;

    // On her phone the menu folds and every section fits the screen.
    owner.open("/admin#/commandes", "commandes").await;
    owner.click("#menu-toggle").await;
    let fits = owner
        .eval(
            "[...document.querySelectorAll('#admin-nav a')].filter((a) => a.offsetParent).every((a) => a.getBoundingClientRect().right <= 360)
             && document.documentElement.scrollWidth <= 360",
        )
        .await;
    assert_eq!(fits, true, "the menu and the orders fit 360 px");
    owner
        .check_accessibility("the back office's menu on a phone")
        .await;
    owner.click("#admin-nav a[href=\"#/mouvements\"]").await;
    owner.wait_ready("mouvements").await;
    assert_eq!(
        owner
            .eval("document.getElementById('admin-nav').classList.contains('open')")
            .await,
        false,
        "the menu folds after a move"
    );
    let shop_now = shop.get("/api/v1/shop").await;
    assert_eq!(
        shop_now["delivery_zones"],
        json!([{"id": "marcory", "name": "Marcory", "fee": 1000}])
    );
    buyer.assert_no_console_errors();
    chrome.close().await;
}

/// The dress's price, through the API as the owner would change it.
async fn set_dress_price(shop: &Shop, price: i64) {
    let product = shop.get("/api/v1/admin/products/robe-ete").await;
    let id = product["id"].as_str().expect("an id").to_owned();
    let response = shop
        .client
        .get(format!("{}/api/v1/admin/products/{id}", shop.address))
        .bearer_auth(&shop.admin_token)
        .send()
        .await
        .expect("sent");
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("an ETag")
        .to_owned();
    let (status, body) = shop
        .send(
            Method::PATCH,
            &format!("/api/v1/admin/products/{id}"),
            &json!({"price": price}),
            Some(&etag),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_price_changed_during_checkout_is_shown_and_confirmed_and_the_order_is_found_elsewhere() {
    let Some(tools) = browser_tools("a_price_changed_during_checkout") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let buyer = chrome.session(&shop, 360, 780).await;

    cart_to_checkout(&buyer, "robe-ete", "ROBE-ETE-M", 1).await;
    let awa = Buyer {
        name: "Awa Koné",
        phone: "07 00 00 00 42",
        address: None,
        zone: "cocody",
    };
    fill_checkout(&buyer, &awa).await;
    assert_eq!(buyer.text("#checkout-total").await, "16 500 FCFA");

    // A toast stays out of the way of the confirm button, wherever it is on screen.
    for block in ["end", "center", "nearest"] {
        let overlap = buyer
            .eval(&format!(
                "(async () => {{
                    const button = document.getElementById('place-order');
                    button.scrollIntoView({{ block: '{block}' }});
                    const {{ toast }} = await import('/assets/common.js');
                    const shown = toast('Stock insuffisant pour la taille M.');
                    const a = shown.getBoundingClientRect(), b = button.getBoundingClientRect();
                    shown.remove();
                    return a.right > b.left && b.right > a.left && a.bottom > b.top && b.bottom > a.top;
                }})()"
            ))
            .await;
        assert_eq!(overlap, false, "a toast over the confirm button ({block})");
    }

    // The owner raises the price while the buyer fills the form.
    set_dress_price(&shop, 16000).await;
    buyer.click("#place-order").await;
    buyer
        .wait_for(
            "!!document.getElementById('price-alert')",
            "the price change told",
        )
        .await;
    let told = buyer.text("#price-alert").await;
    assert!(
        told.contains("15 000 FCFA avant") && told.contains("16 000 FCFA maintenant"),
        "{told}"
    );
    assert!(told.contains("17 500 FCFA"), "the new total in {told}");
    assert_eq!(buyer.text("#checkout-total").await, "17 500 FCFA");
    assert_eq!(
        buyer.eval("document.getElementById('f-name').value").await,
        "Awa Koné",
        "the form kept"
    );
    buyer
        .check_accessibility("the checkout after a price change")
        .await;
    buyer.screenshot("checkout-price-changed").await;
    let orders = shop.get("/api/v1/admin/orders").await;
    assert_eq!(
        orders["orders"].as_array().map(Vec::len),
        Some(0),
        "nothing charged unseen"
    );

    // She confirms again and is charged what she was shown.
    buyer.click("#place-order").await;
    buyer.wait_ready("merci").await;
    assert!(buyer.text("#order-delivery").await.contains("1 500 FCFA"));
    let number = buyer.text("#order-number").await;
    let orders = shop.get("/api/v1/admin/orders").await;
    assert_eq!(orders["orders"][0]["total"], 17500);
    assert_eq!(orders["orders"][0]["delivery_fee"], 1500);

    // From another browser, with her number and her phone written another way.
    let elsewhere = chrome.session(&shop, 1280, 900).await;
    elsewhere.open("/#/commandes", "commandes").await;
    elsewhere.fill("#lookup-number", "SR-0000").await;
    elsewhere.fill("#lookup-phone", "+225 0700000042").await;
    elsewhere.click("#lookup-submit").await;
    elsewhere
        .wait_for(
            "document.getElementById('lookup-error').textContent.includes('Aucune commande')",
            "a wrong number refused",
        )
        .await;
    elsewhere.fill("#lookup-number", &number).await;
    elsewhere.click("#lookup-submit").await;
    elsewhere.wait_ready("suivi").await;
    assert_eq!(elsewhere.text("#order-number").await, number);
    elsewhere
        .check_accessibility("an order found by number and phone")
        .await;
    buyer.assert_no_console_errors();
    elsewhere.assert_no_console_errors();
    chrome.close().await;
}

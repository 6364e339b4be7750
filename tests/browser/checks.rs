//! Checks that agree: the checkout page asks the server about a phone and
//! an e-mail instead of copying its rules, so both give the same answer; a
//! refusal that sends the buyer to the shop gives its phone and WhatsApp;
//! and an old price not above the price is named beside its field in the
//! back office.

use reqwest::Method;
use serde_json::{Value, json};

use crate::chrome::{Chrome, Session, browser_tools};
use crate::shop::{OWNER_PASSWORD, Shop, sign_in, spawn_shop};
use stockroom::demo::OWNER;

/// The server's own sentence for one customer field, as the order gives it.
async fn server_says(shop: &Shop, field: &str, value: &str) -> String {
    let answer: Value = shop
        .client
        .post(format!("{}/api/v1/customer/check", shop.address))
        .json(&json!({ field: value }))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    answer["errors"][0]["detail"]
        .as_str()
        .unwrap_or_else(|| panic!("{value} refused: {answer}"))
        .to_owned()
}

/// Types `value` in the checkout's field `name` and waits for what the page says beside it.
async fn page_says(buyer: &Session, name: &str, value: &str) -> String {
    buyer.fill(&format!("#f-{name}"), value).await;
    let said = buyer
        .wait_for(
            &format!(
                "document.getElementById('f-{name}').getAttribute('aria-invalid') === 'true'
                 && document.getElementById('f-{name}-error').textContent"
            ),
            &format!("the page's answer on {value}"),
        )
        .await;
    said.as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn the_checkout_asks_the_server_about_phones_and_emails_and_a_refusal_shows_the_shops_links()
{
    let Some(tools) = browser_tools("the_checkout_asks_the_server") else {
        return;
    };
    let shop = spawn_shop().await;
    // One order per customer, and this customer has had hers.
    let (status, body) = shop
        .send(
            Method::PUT,
            "/api/v1/admin/settings",
            &json!({"order_limit_per_customer": 1}),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = shop
        .send(
            Method::POST,
            "/api/v1/orders",
            &json!({"customer": {"name": "Awa", "phone": "+2250700000042"},
                    "lines": [{"sku": "ROBE-ETE-M", "quantity": 1}]}),
            None,
        )
        .await;
    assert_eq!(status, 201, "{body}");

    let chrome = Chrome::launch(&tools).await;
    let buyer = chrome.session(&shop, 360, 780).await;
    buyer.open("/#/produit/robe-ete", "produit").await;
    buyer.click("label[for=\"size-ROBE-ETE-S\"]").await;
    buyer.click("#add-to-cart").await;
    buyer
        .wait_for(
            "document.getElementById('cart-count').textContent === '1'",
            "1 in the cart",
        )
        .await;
    buyer.click("#cart-link").await;
    buyer.wait_ready("panier").await;
    buyer.click("#checkout").await;
    buyer.wait_ready("commande").await;

    // Two spellings the page once took and the server refused: the page
    // now says what the server says, word for word.
    for phone in ["07 00 00 00", "00000000"] {
        let said = page_says(&buyer, "phone", phone).await;
        assert_eq!(said, server_says(&shop, "phone", phone).await);
        assert!(said.contains("n'est pas valide"), "{said}");
    }
    let said = page_says(&buyer, "email", "awa@").await;
    assert_eq!(said, server_says(&shop, "email", "awa@").await);
    assert!(said.contains("il manque le domaine"), "{said}");
    buyer
        .check_accessibility("the checkout with a phone and an e-mail refused")
        .await;
    buyer.screenshot("checkout-phone-refused").await;

    buyer.fill("#f-name", "Awa Koné").await;
    buyer.fill("#f-phone", "07 00 00 00 42").await;
    buyer.fill("#f-email", "awa@example.ci").await;
    buyer
        .wait_for(
            "!document.querySelector('#checkout-form [aria-invalid]')
             && document.getElementById('f-phone-error').textContent === ''
             && document.getElementById('f-email-error').textContent === ''",
            "the accepted phone and e-mail without an error",
        )
        .await;
    buyer.click("#zone-cocody").await;
    buyer.click("#place-order").await;

    // Her second order is past the shop's limit: the shop's phone and
    // WhatsApp are under the refusal, as links.
    buyer
        .wait_for(
            "!!document.querySelector('#order-contact a[href^=\"tel:\"]')",
            "the shop's links under the refusal",
        )
        .await;
    assert!(
        buyer
            .text("#order-error")
            .await
            .contains("contactez la boutique")
    );
    let links = buyer
        .eval(
            "[...document.querySelectorAll('#order-contact a')].map((a) => a.getAttribute('href'))",
        )
        .await;
    assert_eq!(
        links,
        json!(["tel:+2250700000000", "https://wa.me/2250700000000"])
    );
    buyer
        .check_accessibility("a refusal with the shop's links")
        .await;
    buyer.screenshot("checkout-limit-contact").await;
    assert_eq!(shop.order_count().await, 1, "nothing more was sold");
    buyer.assert_no_console_errors();
    chrome.close().await;
}

#[tokio::test]
async fn an_old_price_not_above_the_price_is_named_beside_its_field() {
    let Some(tools) = browser_tools("an_old_price_not_above_the_price") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let owner = chrome.session(&shop, 360, 780).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;
    owner
        .open("/admin#/produits/nouveau", "produits/nouveau")
        .await;
    owner.fill("#p-title", "Pagne tissé").await;
    owner.fill("#p-price", "15000").await;
    owner.fill("#p-old-price", "12000").await;
    owner.click("#save-product").await;
    let said = owner
        .wait_for(
            "document.getElementById('p-old-price-server-error')?.textContent",
            "the old price's error beside it",
        )
        .await;
    let said = said.as_str().unwrap_or_default();
    assert!(
        said.starts_with("L'ancien prix (12000) doit être plus élevé que le prix (15000)"),
        "{said}"
    );
    assert_eq!(
        owner.eval("document.activeElement.id").await,
        "p-old-price",
        "the field in error has the focus"
    );
    owner
        .check_accessibility("the product form with the old price refused")
        .await;
    owner.screenshot("product-old-price-refused").await;
    owner.fill("#p-old-price", "18000").await;
    owner.click("#save-product").await;
    owner.wait_ready("produits").await;
    let product = shop.get("/api/v1/admin/products/pagne-tisse").await;
    assert_eq!(
        (product["price"].clone(), product["old_price"].clone()),
        (json!(15000), json!(18000))
    );
    chrome.close().await;
}

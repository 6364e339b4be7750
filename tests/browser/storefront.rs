//! The storefront as buyers use it: find, pick a size, be refused beyond
//! the stock (levels 1 and 2), order once even on a double click, follow
//! the order; and two buyers racing for the last unit.

use reqwest::Method;
use serde_json::json;

use crate::buyer::{Buyer, cart_count, cart_to_checkout, fill_checkout};
use crate::chrome::{Chrome, browser_tools};
use crate::shop::spawn_shop;

/// The demo's summer dress: S 3, M 5, L 1, XL 0.
const DRESS_M: &str = "ROBE-ETE-M";
const DRESS_L: &str = "ROBE-ETE-L";

/// A buyer of Cocody, delivered near the pharmacy.
fn in_cocody<'a>(name: &'a str, phone: &'a str) -> Buyer<'a> {
    Buyer {
        name,
        phone,
        address: Some("Cocody Angré, près de la pharmacie"),
        zone: "cocody",
    }
}

#[tokio::test]
async fn a_buyer_is_refused_beyond_the_stock_then_orders_once_and_follows_the_order() {
    let Some(tools) = browser_tools("a_buyer_orders") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let buyer = chrome.session(&shop, 1280, 900).await;

    // The buyer finds the dress with the search box.
    buyer.open("/", "home").await;
    buyer.fill("#search", "robe").await;
    buyer
        .wait_for(
            "document.querySelectorAll('#product-grid .card').length === 1 && !!document.querySelector('.card[data-slug=\"robe-ete\"]')",
            "only the dress in the grid",
        )
        .await;
    assert!(
        buyer
            .text(".card[data-slug=\"robe-ete\"] .price")
            .await
            .contains("15 000 FCFA")
    );
    buyer.click(".card[data-slug=\"robe-ete\"] a").await;
    buyer.wait_ready("produit").await;
    assert_eq!(
        buyer
            .eval("document.getElementById('size-ROBE-ETE-XL').disabled")
            .await,
        true,
        "the sold-out size is offered disabled"
    );

    // Level 1: 6 of size M when 5 are left is refused, with the shop's toast.
    buyer.click("label[for=\"size-ROBE-ETE-M\"]").await;
    buyer.fill("#qty", "6").await;
    buyer.click("#add-to-cart").await;
    buyer
        .wait_toast("Stock insuffisant : il ne reste plus que 5 articles en taille M.")
        .await;
    assert_eq!(cart_count(&buyer).await, 0, "nothing was added");
    buyer.fill("#qty", "2").await;
    buyer.click("#add-to-cart").await;
    buyer
        .wait_for(
            "document.getElementById('cart-count').textContent === '2'",
            "2 in the cart",
        )
        .await;
    buyer.screenshot("buyer-1-product").await;

    // Level 2: asking for 9 in the cart is capped at 5, with the same toast.
    buyer.click("#cart-link").await;
    buyer.wait_ready("panier").await;
    let quantity = format!(".cart-line[data-sku=\"{DRESS_M}\"] .qty-input");
    buyer.fill(&quantity, "9").await;
    buyer
        .wait_toast("Stock insuffisant : il ne reste plus que 5 articles en taille M.")
        .await;
    buyer
        .wait_for(
            &format!(
                "document.querySelector('{}').value === '5'",
                quantity.replace('\'', "\\'")
            ),
            "the quantity capped at 5",
        )
        .await;
    buyer.screenshot("buyer-2-cart-capped").await;
    buyer.fill(&quantity, "2").await;
    buyer
        .wait_for(
            "document.getElementById('cart-count').textContent === '2'",
            "2 in the cart again",
        )
        .await;

    // The cart survives a reload.
    buyer.open("/#/panier", "panier").await;
    assert_eq!(cart_count(&buyer).await, 2);

    // Level 3: the stock fell to 1 meanwhile, so the order is blocked with
    // the line's message; once the stock is back, the cart goes through.
    let set_stock = |n: i64| json!({"set": n, "reason": "Inventaire"});
    let adjust = format!("/api/v1/admin/stock/{DRESS_M}/adjust");
    assert_eq!(
        shop.send(Method::POST, &adjust, &set_stock(1), None)
            .await
            .0,
        200
    );
    buyer.click("#checkout").await;
    buyer
        .wait_for(
            "document.getElementById('cart-alert') && document.querySelector('.line-msg')",
            "the level-3 block",
        )
        .await;
    assert_eq!(
        buyer.text(".line-msg").await,
        "Stock insuffisant : il ne reste plus qu'un article en taille M."
    );
    assert_eq!(cart_count(&buyer).await, 2, "the cart is kept as it was");
    assert_eq!(
        shop.send(Method::POST, &adjust, &set_stock(5), None)
            .await
            .0,
        200
    );

    // Level 3 passes; the form checks its fields as the server would.
    buyer.click("#checkout").await;
    buyer.wait_ready("commande").await;
    buyer.click("#place-order").await;
    buyer
        .wait_for(
            "document.getElementById('f-name-error').textContent.length > 0",
            "the name is required",
        )
        .await;
    assert_eq!(shop.order_count().await, 0);
    fill_checkout(&buyer, &in_cocody("Awa Koné", "12")).await;
    buyer.click("#place-order").await;
    buyer
        .wait_for(
            "document.getElementById('f-phone-error').textContent.includes('+225')",
            "the phone is refused",
        )
        .await;
    buyer.fill("#f-phone", "07 00 00 00 01").await;

    // Level 4, submitted twice at once: one attempt, one key, one order.
    buyer
        .eval("const f = document.getElementById('checkout-form'); f.requestSubmit(); f.requestSubmit(); true")
        .await;
    buyer.wait_ready("merci").await;
    let number = buyer.text("#order-number").await;
    assert!(number.starts_with("SR-"), "an order number, got {number}");
    assert_eq!(cart_count(&buyer).await, 0, "the cart is empty");
    assert_eq!(
        buyer
            .eval("document.getElementById('cart-count').hidden")
            .await,
        true
    );
    assert_eq!(
        shop.order_count().await,
        1,
        "a double submit makes one order"
    );
    assert_eq!(shop.available(DRESS_M).await, 3);
    buyer.screenshot("buyer-3-confirmation").await;

    // The buyer follows the order, then reads the shop in English.
    buyer.click("#track-link").await;
    buyer.wait_ready("suivi").await;
    assert_eq!(buyer.text("#order-status").await, "En attente");
    buyer.screenshot("buyer-4-tracking").await;
    assert_eq!(buyer.text("#order-number").await, number);
    buyer.click("#lang-switch").await;
    buyer.wait_ready("suivi").await;
    assert_eq!(buyer.text("#order-status").await, "Pending");
    assert_eq!(buyer.eval("document.documentElement.lang").await, "en");

    // The API answers in English too (Accept-Language): level 1 again, 4 of the 3 left.
    buyer.open("/#/produit/robe-ete", "produit").await;
    buyer.click("label[for=\"size-ROBE-ETE-M\"]").await;
    buyer.fill("#qty", "4").await;
    buyer.click("#add-to-cart").await;
    buyer
        .wait_toast("Not enough stock: only 3 items are left in size M.")
        .await;
    buyer.assert_no_console_errors();
    chrome.close().await;
}

#[tokio::test]
async fn two_buyers_race_for_the_last_unit_and_exactly_one_gets_it() {
    let Some(tools) = browser_tools("two_buyers_race") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    // Two browser contexts: two phones, two carts.
    let awa = chrome.session(&shop, 1280, 900).await;
    let koffi = chrome.session(&shop, 360, 780).await;
    for (buyer, name, phone) in [
        (&awa, "Awa Koné", "+225 07 00 00 00 11"),
        (&koffi, "Koffi Yao", "05 00 00 00 22"),
    ] {
        cart_to_checkout(buyer, "robe-ete", DRESS_L, 1).await;
        fill_checkout(buyer, &in_cocody(name, phone)).await;
    }
    koffi.screenshot("race-checkout-phone").await;

    // Both press "Confirmer" in the same instant; the server decides.
    let submit = "document.getElementById('checkout-form').requestSubmit(); true";
    tokio::join!(awa.eval(submit), koffi.eval(submit));
    let outcome = "document.body.dataset.ready === 'merci' ? 'won' : (!document.getElementById('order-alert')?.hidden ? 'lost' : '')";
    let (a, k) = tokio::join!(
        awa.wait_for(outcome, "Awa's answer"),
        koffi.wait_for(outcome, "Koffi's answer")
    );
    let mut outcomes = [
        a.as_str().unwrap_or_default(),
        k.as_str().unwrap_or_default(),
    ];
    outcomes.sort_unstable();
    assert_eq!(
        outcomes,
        ["lost", "won"],
        "exactly one buyer gets the last unit"
    );

    let loser = if a == "lost" { &awa } else { &koffi };
    let message = loser.text("#order-error").await;
    assert_eq!(message, "Robe d'été (taille L) n'est plus disponible.");
    assert_eq!(cart_count(loser).await, 1, "the loser's cart is intact");
    assert_eq!(loser.text("#cart-count").await, "1");
    loser.screenshot("race-loser").await;
    assert_eq!(shop.available(DRESS_L).await, 0);
    assert_eq!(shop.order_count().await, 1);
    awa.assert_no_console_errors();
    koffi.assert_no_console_errors();
    chrome.close().await;
}

//! A drop's page in the browser: the countdown opens the buy buttons at
//! the server's start time, not the phone's (the server runs an hour
//! ahead, as `serve --demo --clock-offset 3600` starts it); a buyer at the
//! drop's cap sees the drop's own message; the page before and during the
//! drop and the back office's drops fit a phone and a desktop, pass the
//! accessibility check, and are pictured for the docs.

use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, TimeDelta, Timelike, Utc};
use reqwest::Method;
use serde_json::{Value, json};

use crate::buyer::{Buyer, fill_checkout};
use crate::chrome::{Chrome, Session, browser_tools};
use crate::screenshots::{assert_fits, publish};
use crate::shop::{OWNER_PASSWORD, Shop, sign_in, spawn_shop, spawn_shop_ahead};
use stockroom::demo::OWNER;

/// How far ahead of the browser the server's clock runs in the countdown test.
const SERVER_AHEAD_SECS: i64 = 3600;

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Schedules the drop `slug` on two demo sizes, `[starts_at, ends_at)`.
async fn schedule(shop: &Shop, slug: &str, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, hidden: bool, cap: i64) -> Value {
    let body = json!({
        "name": "Capsule wax de Noël", "slug": slug,
        "starts_at": rfc3339(starts_at), "ends_at": rfc3339(ends_at),
        "hidden_until_start": hidden, "max_units_per_customer": cap,
        "lines": [
            {"sku": "ENSEMBLE-PAGNE-WAX-M", "units": 3, "price": 17500},
            {"sku": "T-SHIRT-COTON-BIO-M", "units": 8, "percent_off": 20},
        ],
    });
    let (status, drop) = shop.send(Method::POST, "/api/v1/admin/drops", &body, None).await;
    assert_eq!(status, 201, "{drop}");
    drop
}

/// An order of `quantity` of `sku` placed from the drop `slug`'s page by
/// the `buyer`-th buyer; answers its status.
async fn order_from_drop(shop: &Shop, buyer: u32, sku: &str, quantity: i64, slug: &str) -> u16 {
    let body = json!({
        "customer": {"name": format!("Cliente {buyer}"), "phone": format!("+22507010203{buyer:02}")},
        "delivery": {"address": "Cocody, Abidjan"},
        "lines": [{"sku": sku, "quantity": quantity}],
        "drop": slug,
    });
    let response = shop
        .client
        .post(format!("{}/api/v1/orders", shop.address))
        .json(&body)
        .send()
        .await
        .expect("the order is sent");
    response.status().as_u16()
}

/// Whether the first buy button can be pressed.
async fn buy_open(session: &Session) -> bool {
    session
        .eval("(() => { const b = document.querySelector('.drop-buy'); return !!b && !b.disabled; })()")
        .await
        == Value::Bool(true)
}

#[tokio::test]
async fn the_countdown_opens_the_buttons_at_the_servers_start_not_the_phones() {
    let Some(tools) = browser_tools("the_countdown_opens_the_buttons") else {
        return;
    };
    let shop = spawn_shop_ahead(SERVER_AHEAD_SECS).await;
    // The server's clock is an hour ahead: its start is 8 s from now for
    // the server, an hour and 8 s from now for the phone's clock.
    let server_now = Utc::now() + TimeDelta::seconds(SERVER_AHEAD_SECS);
    let starts_at = server_now + TimeDelta::seconds(8);
    schedule(&shop, "capsule", starts_at, starts_at + TimeDelta::hours(2), false, 2).await;
    let opens = Instant::now() + Duration::from_secs(8);
    let chrome = Chrome::launch(&tools).await;
    let buyer = chrome.session(&shop, 360, 780).await;

    buyer.open("/drop/capsule", "drop").await;
    assert_eq!(buyer.eval("location.hash").await, "#/drop/capsule");
    assert!(!buy_open(&buyer).await, "closed before the start");
    let countdown = buyer.text("#drop-countdown").await;
    assert!(countdown.ends_with(" s") && !countdown.contains(" h"), "counts seconds to the server's start: {countdown}");
    assert_eq!(buyer.text(".drop-buy").await, "À l’ouverture");

    buyer.wait_for("(() => { const b = document.querySelector('.drop-buy'); return !!b && !b.disabled; })()", "the buttons open").await;
    let opened_at = Instant::now();
    let early = opens.saturating_duration_since(opened_at);
    let late = opened_at.saturating_duration_since(opens);
    assert!(early < Duration::from_millis(600), "opened {early:?} before the server's start");
    assert!(late < Duration::from_millis(1500), "opened {late:?} after the server's start");
    assert_eq!(buyer.text(".drop-buy").await, "Acheter");
    assert_eq!(buyer.eval("document.getElementById('drop-status').dataset.phase").await, "live");
    buyer.check_accessibility("the drop, open").await;
    buyer.assert_no_console_errors();
    chrome.close().await;
}

#[tokio::test]
async fn a_buyer_at_the_drops_cap_is_told_so_in_the_drops_words() {
    let Some(tools) = browser_tools("a_buyer_at_the_drops_cap") else {
        return;
    };
    let shop = spawn_shop().await;
    let now = Utc::now();
    schedule(&shop, "capsule", now - TimeDelta::minutes(1), now + TimeDelta::hours(1), true, 1).await;
    let chrome = Chrome::launch(&tools).await;
    let buyer = chrome.session(&shop, 360, 780).await;
    let who = Buyer { name: "Awa Koné", phone: "07 01 02 03 04", address: Some("Cocody, Abidjan"), zone: "cocody" };

    // The first unit, at the drop's price.
    buyer.open("/drop/capsule", "drop").await;
    buyer.click(".drop-buy[data-sku=\"ENSEMBLE-PAGNE-WAX-M\"]").await;
    buyer.wait_ready("commande").await;
    assert!(buyer.text("#order-summary").await.contains("17 500"), "the drop's price");
    fill_checkout(&buyer, &who).await;
    buyer.click("#place-order").await;
    buyer.wait_ready("merci").await;
    let orders = shop.get("/api/v1/admin/orders").await;
    assert_eq!(orders["orders"][0]["lines"][0]["unit_price"], 17500);

    // A second one, past the cap of one per person.
    buyer.open("/drop/capsule", "drop").await;
    buyer.click(".drop-buy[data-sku=\"T-SHIRT-COTON-BIO-M\"]").await;
    buyer.wait_ready("commande").await;
    fill_checkout(&buyer, &who).await;
    buyer.click("#place-order").await;
    buyer.wait_for("!document.getElementById('order-alert').hidden", "the refusal").await;
    let said = buyer.text("#order-error").await;
    assert!(said.contains("« Capsule wax de Noël » est limitée à un article par personne"), "{said}");
    buyer.check_accessibility("the checkout refused at the drop's cap").await;
    assert_eq!(shop.order_count().await, 1);
    buyer.assert_no_console_errors();
    chrome.close().await;
}

#[tokio::test]
async fn a_drops_pages_fit_a_phone_and_a_desktop_before_and_during_the_drop() {
    let Some(tools) = browser_tools("a_drops_pages_fit") else {
        return;
    };
    let shop = spawn_shop().await;
    let now = Utc::now();
    // Round hours read better in the pictures: the evening of the day after
    // tomorrow, and this hour for the one running.
    let evening = (now + TimeDelta::days(2)).date_naive().and_hms_opt(18, 0, 0).expect("a time").and_utc();
    schedule(&shop, "capsule", evening, evening + TimeDelta::hours(4), false, 2).await;
    let this_hour = now.date_naive().and_hms_opt(now.hour(), 0, 0).expect("a time").and_utc();
    let (status, live) = shop
        .send(Method::POST, "/api/v1/admin/drops", &json!({
            "name": "Soldes de la chemise", "slug": "soldes-chemise",
            "starts_at": rfc3339(this_hour), "ends_at": rfc3339(this_hour + TimeDelta::hours(3)),
            "hidden_until_start": false, "max_units_per_customer": 2,
            "lines": [
                {"sku": "CHEMISE-EN-LIN-BLANC-M", "units": 4, "percent_off": 25},
                {"sku": "CHEMISE-EN-LIN-BLANC-L", "units": 6, "percent_off": 25},
                {"sku": "CHEMISE-EN-LIN-BLEU-M", "units": 2, "percent_off": 25},
            ],
        }), None)
        .await;
    assert_eq!(status, 201, "{live}");
    // A few buyers, one of them past the cap, for the live page's figures.
    for (buyer, sku, quantity, expected) in [
        (1, "CHEMISE-EN-LIN-BLANC-M", 2, 201),
        (2, "CHEMISE-EN-LIN-BLANC-L", 1, 201),
        (3, "CHEMISE-EN-LIN-BLEU-M", 2, 201),
        (1, "CHEMISE-EN-LIN-BLANC-L", 1, 409),
    ] {
        assert_eq!(order_from_drop(&shop, buyer, sku, quantity, "soldes-chemise").await, expected);
    }
    let chrome = Chrome::launch(&tools).await;
    for (width, height) in [(1280, 900), (360, 780)] {
        let buyer = chrome.session(&shop, width, height).await;
        buyer.open("/drop/capsule", "drop").await;
        assert_fits(&buyer, width, "the drop before its start").await;
        buyer.wait_for("[...document.images].every(i => i.complete)", "the pictures").await;
        let before = buyer.screenshot_window(&format!("drop-before-{width}")).await;
        buyer.open("/drop/soldes-chemise", "drop").await;
        assert_fits(&buyer, width, "the drop during it").await;
        buyer.wait_for("[...document.images].every(i => i.complete)", "the pictures").await;
        let during = buyer.screenshot_window(&format!("drop-during-{width}")).await;
        if width == 360 {
            publish(&before, "drop-before-phone");
            publish(&during, "drop-during-phone");
        } else {
            publish(&before, "drop-before");
            publish(&during, "drop-during");
        }
        buyer.open("/drop/introuvable", "drop").await;
        buyer.assert_no_console_errors();

        let admin = chrome.session(&shop, width, height).await;
        sign_in(&admin, OWNER, OWNER_PASSWORD).await;
        admin.open("/admin#/ventes-flash", "ventes-flash").await;
        assert_fits(&admin, width, "the drops").await;
        admin.screenshot(&format!("drops-{width}")).await;
        admin.open("/admin#/ventes-flash/nouvelle", "ventes-flash/nouvelle").await;
        assert_fits(&admin, width, "the drop form").await;
        admin.screenshot(&format!("drop-form-{width}")).await;
        let id = live["id"].as_str().expect("an id");
        admin.open(&format!("/admin#/ventes-flash/{id}"), &format!("ventes-flash/{id}")).await;
        assert_fits(&admin, width, "the live drop").await;
        if width == 1280 {
            publish(&admin.screenshot_window("drop-live-admin").await, "drop-live-admin");
        }
        admin.assert_no_console_errors();
    }
    chrome.close().await;
}

#[tokio::test]
async fn the_owner_schedules_a_drop_follows_it_and_ends_it_early() {
    let Some(tools) = browser_tools("the_owner_schedules_a_drop") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let admin = chrome.session(&shop, 360, 780).await;
    sign_in(&admin, OWNER, OWNER_PASSWORD).await;

    admin.open("/admin#/ventes-flash/nouvelle", "ventes-flash/nouvelle").await;
    admin.fill("#d-name", "Vente du samedi").await;
    assert_eq!(admin.eval("document.getElementById('d-slug').value").await, "vente-du-samedi");
    admin.fill("#d-search", "t-shirt").await;
    admin.wait_for("document.getElementById('d-results').dataset.q === 't-shirt'", "the search").await;
    admin.click("#d-results button[data-slug]").await;
    admin.click("#d-results button[data-sku=\"T-SHIRT-COTON-BIO-M\"]").await;
    admin.fill("#d-lines input[type=number]", "50").await;
    admin.click("#d-submit").await;
    // More units than the stock: the server's sentence beside the field.
    admin.wait_for("document.querySelector('#d-lines .field-error.from-server')", "the refusal").await;
    let said = admin.text("#d-lines .field-error.from-server").await;
    assert!(said.contains("n'a que 10 articles en stock"), "{said}");
    admin.check_accessibility("the drop form refused").await;
    admin.fill("#d-lines input[type=number]", "5").await;
    admin.click("#d-submit").await;
    admin
        .wait_for(
            "/^ventes-flash\\/[0-9a-f-]+$/.test(document.body.dataset.ready)",
            "the drop's live page",
        )
        .await;
    admin.check_accessibility("the drop's live page").await;
    admin.wait_for("document.querySelector('#drop-lines td[data-remaining]')", "its lines").await;
    assert_eq!(admin.text("#drop-status").await, "À venir");

    admin.click("#drop-end").await;
    admin.wait_for("document.querySelector('dialog[open]')", "the confirmation").await;
    admin.check_accessibility("the end's confirmation").await;
    admin.click("dialog[open] [data-confirm=\"yes\"]").await;
    admin.wait_toast("est arrêtée").await;
    admin.wait_for("document.getElementById('drop-status')?.textContent === 'Terminée'", "the drop ended").await;
    let drops = shop.get("/api/v1/admin/drops").await;
    assert_eq!(drops["drops"][0]["status"], "ended");
    admin.assert_no_console_errors();
    chrome.close().await;
}

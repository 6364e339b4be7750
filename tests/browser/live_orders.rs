//! New orders heard live in the back office: with the products page open,
//! an order placed on the storefront in another browser puts a badge on
//! "Commandes" within 2 seconds and tells screen readers its number; the
//! orders list clears the count, offers the sound (off until asked, then
//! remembered) and says which orders came in while it was on screen.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;

use crate::buyer::{Buyer, buy};
use crate::chrome::{Chrome, Session, browser_tools};
use crate::shop::{OWNER_PASSWORD, Shop, sign_in, spawn_shop};
use stockroom::demo::OWNER;

/// How long the badge may take to show an order, from its confirmation.
const BADGE_WITHIN: Duration = Duration::from_secs(2);

/// Waits until the badge on "Commandes" says `count`; fails past `BADGE_WITHIN`.
async fn badge_within(admin: &Session, count: i64, since: Instant) {
    let js = format!(
        "document.querySelector('#admin-nav a[href=\"#/commandes\"] .nav-badge [aria-hidden]')?.textContent === '{count}'"
    );
    loop {
        if admin.eval(&js).await == true {
            return;
        }
        assert!(
            since.elapsed() <= BADGE_WITHIN,
            "the badge did not say {count} within {BADGE_WITHIN:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// An order of one unit through the API, as a buyer on another phone; its number.
async fn order_by_api(shop: &Shop, phone: &str) -> String {
    let (status, body) = shop
        .send(
            Method::POST,
            "/api/v1/orders",
            &json!({"customer": {"name": "Fatou", "phone": phone},
                    "lines": [{"sku": "JUPE-PLISSEE-M", "quantity": 1}]}),
            None,
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["order"]["number"]
        .as_str()
        .expect("a number")
        .to_owned()
}

#[tokio::test]
async fn an_order_from_another_browser_shows_on_the_back_office_within_two_seconds() {
    let Some(tools) = browser_tools("an_order_shows_within_two_seconds") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let admin = chrome.session(&shop, 1280, 900).await;
    sign_in(&admin, OWNER, OWNER_PASSWORD).await;
    admin
        .wait_for(
            "document.body.dataset.live === 'open'",
            "the events' stream open",
        )
        .await;
    assert_eq!(
        admin.eval("!!document.querySelector('.nav-badge')").await,
        false,
        "no badge before any order"
    );

    // Awa orders on her phone, in a browser of her own.
    let buyer = chrome.session(&shop, 360, 780).await;
    let awa = Buyer {
        name: "Awa Koné",
        phone: "07 00 00 00 61",
        address: Some("Cocody Angré"),
        zone: "cocody",
    };
    let number = buy(&buyer, "robe-ete", "ROBE-ETE-M", 1, &awa).await;
    badge_within(&admin, 1, Instant::now()).await;
    assert_eq!(
        admin.text("#live-announce").await,
        format!("Nouvelle commande {number}")
    );
    assert_eq!(
        admin
            .text("#admin-nav a[href=\"#/commandes\"] .nav-badge .sr-only")
            .await,
        "(une nouvelle commande)",
        "the link's name says it to screen readers"
    );
    assert_eq!(
        admin.text("#menu-toggle .nav-badge").await,
        "1 (une nouvelle commande)",
        "the folded menu of a phone shows it too"
    );
    assert!(
        admin
            .eval("document.title")
            .await
            .as_str()
            .is_some_and(|t| t.starts_with("(1) "))
    );
    admin
        .check_accessibility("the back office with its badge")
        .await;

    let second = order_by_api(&shop, "07 00 00 00 62").await;
    badge_within(&admin, 2, Instant::now()).await;
    assert_eq!(
        admin.text("#live-announce").await,
        format!("Nouvelle commande {second}")
    );
    assert_eq!(
        admin.eval("document.body.dataset.beeps || '0'").await,
        "0",
        "no sound unless asked for"
    );

    // The orders list clears the count and offers the sound.
    admin.click("#admin-nav a[href=\"#/commandes\"]").await;
    admin.wait_ready("commandes").await;
    assert_eq!(
        admin.eval("!!document.querySelector('.nav-badge')").await,
        false
    );
    assert_eq!(
        admin
            .eval("document.getElementById('order-sound').checked")
            .await,
        false
    );
    admin.click("#order-sound").await;
    admin
        .wait_for(
            "document.body.dataset.beeps === '1'",
            "the beep heard once as a sample",
        )
        .await;

    // An order while the list is on screen: said above the list, with a beep.
    let third = order_by_api(&shop, "07 00 00 00 63").await;
    badge_within(&admin, 1, Instant::now()).await;
    admin
        .wait_for(
            "document.body.dataset.beeps === '2'",
            "a beep for the new order",
        )
        .await;
    assert!(admin.text("#orders-arrived").await.contains(&third));
    admin
        .check_accessibility("the orders list with a new order")
        .await;
    admin.click("#orders-reload").await;
    admin
        .wait_for(
            &format!("!!document.querySelector('#orders tr[data-number=\"{third}\"]')"),
            "the new order in the list",
        )
        .await;
    assert_eq!(
        admin.eval("!!document.querySelector('.nav-badge')").await,
        false
    );

    // The sound stays chosen on this device.
    admin.open("/admin#/commandes", "commandes").await;
    assert_eq!(
        admin
            .eval("document.getElementById('order-sound').checked")
            .await,
        true
    );
    admin.assert_no_console_errors();
    buyer.assert_no_console_errors();
    chrome.close().await;
}

/// What each tab says of the stream: `open` (it holds it) or `shared`.
async fn stream_states(tabs: &[Session]) -> Vec<String> {
    let mut states = Vec::new();
    for tab in tabs {
        let state = tab.eval("document.body.dataset.live || ''").await;
        states.push(state.as_str().unwrap_or_default().to_owned());
    }
    states
}

/// Waits until one tab of `tabs` holds the stream and the others share
/// it; answers the index of the one that holds it.
async fn one_stream(tabs: &[Session]) -> usize {
    let start = Instant::now();
    loop {
        let states = stream_states(tabs).await;
        let open: Vec<usize> = (0..states.len()).filter(|&i| states[i] == "open").collect();
        if open.len() == 1 && states.iter().all(|s| s == "open" || s == "shared") {
            return open[0];
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no single stream among the tabs: {states:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until every tab's badge says `count`, within `BADGE_WITHIN`.
async fn badges_within(tabs: &[Session], count: i64) {
    let since = Instant::now();
    for tab in tabs {
        badge_within(tab, count, since).await;
    }
}

#[tokio::test]
async fn eight_tabs_of_the_back_office_share_one_stream_and_each_shows_the_badge() {
    let Some(tools) = browser_tools("eight_tabs_share_one_stream") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let first = chrome.session(&shop, 1280, 900).await;
    sign_in(&first, OWNER, OWNER_PASSWORD).await;
    // Chromium allows six connections to one site: with a stream per tab,
    // the seventh tab would never load.
    let mut tabs = vec![first];
    for _ in 1..8 {
        let tab = chrome.tab(&shop, &tabs[0], 1280, 900).await;
        tab.open("/admin#/produits", "produits").await;
        tabs.push(tab);
    }
    let holder = one_stream(&tabs).await;

    let number = order_by_api(&shop, "07 00 00 00 71").await;
    badges_within(&tabs, 1).await;
    for tab in &tabs {
        assert_eq!(
            tab.text("#live-announce").await,
            format!("Nouvelle commande {number}")
        );
    }

    // The tab that holds the stream is closed: another takes it over.
    let closed = tabs.remove(holder);
    closed.page.clone().close().await.expect("the tab closes");
    one_stream(&tabs).await;
    order_by_api(&shop, "07 00 00 00 72").await;
    badges_within(&tabs, 2).await;
    for tab in &tabs {
        tab.assert_no_console_errors();
    }
    chrome.close().await;
}

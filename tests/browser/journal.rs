//! The events' journal: what happened, newest first, in words with links;
//! older pages until the first event, each event once; a filter by type;
//! an event that happens while the journal is open arrives on top.

use reqwest::Method;
use serde_json::{Value, json};

use crate::chrome::{Chrome, browser_tools};
use crate::screenshots::assert_fits;
use crate::shop::{OWNER_PASSWORD, Shop, sign_in, spawn_shop};
use stockroom::demo::OWNER;

const VIEW: &str = "reglages/journal";

async fn post(shop: &Shop, path: &str, body: Value) -> Value {
    let (status, answer) = shop.send(Method::POST, path, &body, None).await;
    assert!(status == 200 || status == 201, "{path}: {status} {answer}");
    answer
}

async fn order(shop: &Shop, i: usize, sku: &str) -> Value {
    post(
        shop,
        "/api/v1/orders",
        json!({"customer": {"name": "Cliente", "phone": format!("07 01 02 {:02} {:02}", i / 100, i % 100)},
               "lines": [{"sku": sku, "quantity": 1}]}),
    )
    .await["order"]
        .clone()
}

/// Every event of the log, oldest first, as the API pages them.
async fn every_event(shop: &Shop) -> Vec<Value> {
    let mut events = Vec::new();
    let mut after = 0;
    loop {
        let page = shop
            .get(&format!("/api/v1/admin/events?after={after}&limit=500"))
            .await;
        let got = page["events"].as_array().cloned().unwrap_or_default();
        if got.is_empty() {
            return events;
        }
        after = page["next_after"].as_i64().expect("next_after");
        events.extend(got);
    }
}

/// The ids the journal shows, top to bottom.
async fn shown_ids(admin: &crate::chrome::Session) -> Vec<i64> {
    let ids = admin
        .eval("[...document.querySelectorAll('#event-list > li')].map(li => Number(li.dataset.id))")
        .await;
    ids.as_array()
        .expect("a list")
        .iter()
        .map(|id| id.as_i64().expect("an id"))
        .collect()
}

#[tokio::test]
async fn the_journal_tells_every_event_newest_first_with_older_pages_and_live_ones() {
    let Some(tools) = browser_tools("the_journal_tells_every_event") else {
        return;
    };
    let shop = spawn_shop().await;
    // Enough events for several pages: seventy orders of a size restocked
    // for them, a size sold out, one back in stock, an order confirmed.
    post(
        &shop,
        "/api/v1/admin/stock/ROBE-ETE-S/restock",
        json!({"quantity": 500, "note": "Arrivage"}),
    )
    .await;
    for i in 0..70 {
        order(&shop, i, "ROBE-ETE-S").await;
    }
    let last_l = order(&shop, 70, "ROBE-ETE-L").await;
    post(
        &shop,
        "/api/v1/admin/stock/ROBE-ETE-XL/restock",
        json!({"quantity": 4, "note": "Arrivage"}),
    )
    .await;
    let id = last_l["id"].as_str().expect("an id");
    post(
        &shop,
        &format!("/api/v1/admin/orders/{id}/status"),
        json!({"status": "confirmed"}),
    )
    .await;
    let events = every_event(&shop).await;
    assert!(events.len() > 72, "{} events", events.len());

    let chrome = Chrome::launch(&tools).await;
    let admin = chrome.session(&shop, 1280, 900).await;
    sign_in(&admin, OWNER, OWNER_PASSWORD).await;
    admin.open("/admin#/reglages/journal", VIEW).await;
    admin.screenshot_window("journal-1280").await;
    let number = last_l["number"].as_str().expect("a number");
    assert_eq!(
        admin.text("#event-list > li:nth-child(1) p").await,
        format!("Commande {number} : confirmée")
    );
    assert_eq!(
        admin.text("#event-list > li:nth-child(2) p").await,
        "De retour en stock : Robe d'été XL, 4 articles"
    );
    assert_eq!(
        admin
            .text("#event-list > li[data-type=\"stock.sold_out\"] p")
            .await,
        "Taille épuisée : Robe d'été L"
    );
    assert_eq!(
        admin
            .eval("document.querySelector('#event-list > li[data-type=\"stock.sold_out\"] a').getAttribute('href')")
            .await,
        "#/mouvements?sku=ROBE-ETE-L"
    );

    // Older pages down to the first event: each event once, newest first.
    while admin
        .eval("!document.getElementById('journal-older').hidden")
        .await
        == true
    {
        let before = shown_ids(&admin).await.len();
        admin.click("#journal-older").await;
        admin
            .wait_for(
                &format!("document.querySelectorAll('#event-list > li').length > {before}"),
                "an older page",
            )
            .await;
    }
    assert_eq!(admin.text("#journal-status").await, "Début du journal.");
    let shown = shown_ids(&admin).await;
    let mut expected: Vec<i64> = events
        .iter()
        .map(|e| e["id"].as_i64().expect("an id"))
        .collect();
    expected.reverse();
    assert_eq!(shown, expected, "every event once, newest first");
    admin.check_accessibility("the whole journal").await;

    // The order's link leads to it.
    admin
        .click("#event-list > li:nth-child(1) a.event-link")
        .await;
    admin.wait_ready(&format!("commandes/{id}")).await;

    // One type only, through the filter.
    admin
        .open("/admin#/reglages/journal?type=stock.sold_out", VIEW)
        .await;
    let types = admin
        .eval("[...document.querySelectorAll('#event-list > li')].map(li => li.dataset.type)")
        .await;
    assert_eq!(types, json!(["stock.sold_out"]));

    // On a phone, an order placed while the journal is open arrives on top.
    admin.resize(360, 780).await;
    admin.open("/admin#/reglages/journal", VIEW).await;
    assert_fits(&admin, 360, "the journal").await;
    admin
        .wait_for(
            "document.body.dataset.live === 'open'",
            "the events' stream open",
        )
        .await;
    let fresh = order(&shop, 71, "ROBE-ETE-S").await;
    let fresh_number = fresh["number"].as_str().expect("a number");
    admin
        .wait_for(
            &format!("document.querySelector('#event-list > li.fresh p')?.textContent === 'Nouvelle commande {fresh_number}'"),
            "the new order on top",
        )
        .await;
    assert_eq!(
        admin
            .eval("document.querySelector('#event-list > li').classList.contains('fresh')")
            .await,
        true
    );
    admin
        .check_accessibility("the journal with a new event")
        .await;
    admin.screenshot_window("journal-360").await;
    admin.assert_no_console_errors();
    chrome.close().await;
}

/// Staff read the journal; the notifications and the webhooks are the
/// owner's: not in their tabs, and said so if reached by their address.
#[tokio::test]
async fn staff_read_the_journal_but_not_the_owners_settings() {
    let Some(tools) = browser_tools("staff_read_the_journal") else {
        return;
    };
    let shop = spawn_shop().await;
    let invited = post(
        &shop,
        "/api/v1/admin/staff",
        json!({"name": "Aïcha", "role": "staff"}),
    )
    .await;
    let password = "le pagne bleu de maman";
    let (status, answer) = shop
        .send(
            Method::POST,
            "/api/v1/auth/setup",
            &json!({"token": invited["setup_token"], "password": password}),
            None,
        )
        .await;
    assert_eq!(status, 204, "{answer}");
    order(&shop, 1, "ROBE-ETE-M").await;

    let chrome = Chrome::launch(&tools).await;
    let staff = chrome.session(&shop, 360, 780).await;
    sign_in(&staff, "Aïcha", password).await;
    staff.open("/admin#/reglages/journal", VIEW).await;
    assert_eq!(
        staff
            .eval("[...document.querySelectorAll('.settings-tabs a')].map(a => a.textContent)")
            .await,
        json!(["Boutique et règles", "Journal des événements"])
    );
    assert!(
        staff
            .text("#event-list > li p")
            .await
            .starts_with("Nouvelle commande SR-")
    );
    for (path, view) in [
        ("/admin#/reglages/notifications", "reglages/notifications"),
        ("/admin#/reglages/webhooks", "reglages/webhooks"),
    ] {
        staff.open(path, view).await;
        assert_eq!(
            staff.text("#owner-only").await,
            "Cette page est réservée au rôle « propriétaire »."
        );
    }
    staff.assert_no_console_errors();
    chrome.close().await;
}

//! "Me prévenir" on the storefront: a buyer leaves a number for a sold-out
//! size (a wrong one refused next to the field, in the server's words),
//! then an e-mail for it; the page says she is told once; a product sold
//! out in every size offers the form at once. The link of the message
//! opens a page that changes nothing until its button is pressed.

use reqwest::Method;
use serde_json::json;

use crate::chrome::{Chrome, Session, browser_tools};
use crate::screenshots::{assert_fits, publish};
use crate::shop::{Shop, spawn_shop};

/// The demo's sold-out size of the summer dress.
const SOLD_OUT: &str = "ROBE-ETE-XL";

/// Signups waiting for `sku`: (phone, e-mail, unsubscribed).
fn signups(shop: &Shop, sku: &str) -> Vec<(Option<String>, Option<String>, bool)> {
    let db = shop.database();
    let mut query = db
        .prepare("select phone, email, unsubscribed_at is not null from waitlist where sku = ?1 order by created_at")
        .expect("a query");
    query
        .query_map([sku], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("signups")
}

async fn submit_and_wait_error(buyer: &Session, what: &str) -> String {
    buyer.click("#notify-submit").await;
    buyer
        .wait_for(
            "document.getElementById('notify-error').textContent.length > 0",
            what,
        )
        .await;
    buyer.text("#notify-error").await
}

#[tokio::test]
async fn a_buyer_asks_to_be_told_once_when_a_sold_out_size_is_back() {
    let Some(tools) = browser_tools("a_buyer_asks_to_be_told") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let buyer = chrome.session(&shop, 360, 780).await;
    buyer.open("/#/produit/robe-ete", "produit").await;
    assert_eq!(
        buyer.text("#notify-title").await,
        "La taille XL est épuisée ?"
    );
    assert_eq!(
        buyer
            .eval("document.getElementById('notify-form').hidden")
            .await,
        true,
        "the form waits for the button"
    );
    buyer.click("#notify-open").await;
    assert_eq!(
        buyer
            .eval("document.getElementById('notify-open').hidden")
            .await,
        true,
        "one “Me prévenir” button at a time"
    );
    assert_eq!(
        buyer.text("#notify-once").await,
        "Nous vous prévenons une seule fois quand la taille XL revient. Ce message ne réserve pas d’article : les premiers à commander sont servis."
    );
    assert_eq!(
        buyer
            .eval("document.getElementById('notify-contact').type")
            .await,
        "tel"
    );

    // Nothing typed, then a number that is none: each said next to the field.
    let empty = submit_and_wait_error(&buyer, "the number asked for").await;
    assert_eq!(empty, "Indiquez votre numéro de téléphone.");
    buyer.fill("#notify-contact", "12").await;
    let refused = submit_and_wait_error(&buyer, "the number refused").await;
    assert!(refused.contains("numéro"), "{refused}");
    assert_eq!(
        buyer
            .eval("document.getElementById('notify-contact').getAttribute('aria-invalid')")
            .await,
        "true"
    );
    buyer
        .check_accessibility("“Me prévenir” with its error")
        .await;

    buyer.fill("#notify-contact", "07 08 09 10 11").await;
    buyer.click("#notify-submit").await;
    buyer
        .wait_for(
            "document.getElementById('notify-done').hidden === false",
            "the signup confirmed",
        )
        .await;
    assert_eq!(
        buyer.text("#notify-done").await,
        "C’est noté : nous vous prévenons une seule fois, par SMS au 07 08 09 10 11, quand la taille XL revient. Me prévenir pour une autre taille"
    );
    buyer.check_accessibility("“Me prévenir” done").await;
    assert_fits(&buyer, 360, "the product page with “Me prévenir”").await;
    assert_eq!(
        signups(&shop, SOLD_OUT),
        [(Some("+2250708091011".to_owned()), None, false)]
    );

    // The same size by e-mail: a wrong address in the server's words, then a good one.
    buyer.click("#notify-another").await;
    buyer.click("label[for=\"notify-by-email\"]").await;
    assert_eq!(
        buyer
            .eval("document.getElementById('notify-contact').type")
            .await,
        "email"
    );
    buyer.fill("#notify-contact", "awa@exemple").await;
    let refused = submit_and_wait_error(&buyer, "the address refused").await;
    assert!(
        refused.contains("« awa@exemple » n'est pas valide"),
        "the server's sentence: {refused}"
    );
    buyer.fill("#notify-contact", "awa@exemple.ci").await;
    picture_the_form(&buyer).await;
    buyer.click("#notify-submit").await;
    buyer
        .wait_for(
            "document.getElementById('notify-done').textContent.includes('par e-mail à awa@exemple.ci')",
            "the e-mail signup confirmed",
        )
        .await;
    assert_eq!(signups(&shop, SOLD_OUT).len(), 2);

    a_product_sold_out_in_every_size_offers_the_form_at_once(&shop, &buyer).await;
    buyer.assert_no_console_errors();
    chrome.close().await;
}

/// Nothing left to buy: the form is open, and the buyer picks her size.
async fn a_product_sold_out_in_every_size_offers_the_form_at_once(shop: &Shop, buyer: &Session) {
    buyer.open("/#/produit/boubou-brode", "produit").await;
    assert_eq!(
        buyer.text("#notify-title").await,
        "Tout est épuisé pour l’instant"
    );
    assert_eq!(
        buyer
            .eval("document.getElementById('notify-form').hidden")
            .await,
        false
    );
    buyer
        .click("label[for=\"notify-size-BOUBOU-BRODE-L\"]")
        .await;
    assert!(
        buyer
            .text("#notify-once")
            .await
            .starts_with("Nous vous prévenons une seule fois quand la taille L revient.")
    );
    buyer.fill("#notify-contact", "05 06 07 08 09").await;
    buyer.click("#notify-submit").await;
    buyer
        .wait_for(
            "document.getElementById('notify-done').textContent.includes('quand la taille L revient')",
            "the signup for size L confirmed",
        )
        .await;
    buyer
        .check_accessibility("“Me prévenir” on a product sold out")
        .await;
    assert_eq!(signups(shop, "BOUBOU-BRODE-L").len(), 1);
    assert!(signups(shop, "BOUBOU-BRODE-M").is_empty());
}

/// The form filled in, on a phone and on a desktop.
async fn picture_the_form(buyer: &Session) {
    buyer
        .eval("document.getElementById('notify-me').scrollIntoView({block: 'center'})")
        .await;
    publish(&buyer.screenshot_window("notify-me-360").await, "notify-me");
    buyer.resize(1280, 900).await;
    buyer
        .check_accessibility("“Me prévenir” on a desktop")
        .await;
    assert_fits(buyer, 1280, "the product page with “Me prévenir”").await;
    buyer.screenshot("notify-me-1280").await;
    buyer.resize(360, 780).await;
}

/// A shop of its own: signups and unsubscriptions share one limit per
/// client address (five at once), which the first test used up.
#[tokio::test]
async fn the_link_of_the_message_ends_the_alert_with_a_button_not_with_the_visit() {
    let Some(tools) = browser_tools("the_link_of_the_message_ends_the_alert") else {
        return;
    };
    let shop = spawn_shop().await;
    for body in [
        json!({"sku": SOLD_OUT, "phone": "07 08 09 10 11"}),
        json!({"sku": SOLD_OUT, "email": "awa@exemple.ci"}),
    ] {
        let (status, answer) = shop
            .send(
                Method::POST,
                "/api/v1/products/robe-ete/waitlist",
                &body,
                None,
            )
            .await;
        assert_eq!(status, 202, "{answer}");
    }
    let chrome = Chrome::launch(&tools).await;
    let buyer = chrome.session(&shop, 360, 780).await;
    let token: String = shop
        .database()
        .query_row(
            "select token from waitlist where phone is not null",
            [],
            |row| row.get(0),
        )
        .expect("the phone's token");

    // Opening the link changes nothing (a link previewer opens it too).
    buyer
        .open(&format!("/#/desinscription/{token}"), "desinscription")
        .await;
    assert_eq!(buyer.text("h1").await, "Ne plus recevoir d’alerte");
    assert!(
        !signups(&shop, SOLD_OUT)[0].2,
        "still waiting after the visit"
    );
    assert_fits(&buyer, 360, "the unsubscribe page").await;

    buyer.click("#unsubscribe").await;
    buyer
        .wait_for(
            "document.getElementById('unsubscribe-status').textContent.includes('C’est fait')",
            "the alert ended",
        )
        .await;
    buyer.check_accessibility("the alert ended").await;
    let after = signups(&shop, SOLD_OUT);
    assert!(after[0].2, "the phone's signup is ended");
    assert!(!after[1].2, "the e-mail's signup still waits");

    // A token nobody was given: the server's sentence, and the button stays.
    buyer
        .open("/#/desinscription/inconnu", "desinscription")
        .await;
    buyer.click("#unsubscribe").await;
    buyer
        .wait_for(
            "!!document.querySelector('#unsubscribe-status .alert-error')",
            "the unknown link refused",
        )
        .await;
    buyer
        .check_accessibility("the unsubscribe page with its error")
        .await;
    buyer.assert_no_console_errors();
    chrome.close().await;
}

//! The owner's webhooks in the browser: a wrong address refused next to its
//! field, a new webhook's secret shown once, a test delivery that arrives
//! signed and shows in its deliveries, a failed one tried again, and a
//! webhook deleted after a question.

use std::time::Duration;

use crate::chrome::{Chrome, Session, browser_tools};
use crate::receivers::{Answer, HttpReceiver};
use crate::screenshots::{assert_fits, publish};
use crate::shop::{OWNER_PASSWORD, Shop, sign_in, spawn_shop};
use stockroom::demo::OWNER;

const VIEW: &str = "reglages/webhooks";

#[tokio::test]
async fn a_webhook_shows_its_secret_once_and_its_test_arrives_signed() {
    let Some(tools) = browser_tools("a_webhook_shows_its_secret_once") else {
        return;
    };
    let shop = spawn_shop().await;
    let hooks = HttpReceiver::start().await;
    let chrome = Chrome::launch(&tools).await;
    let owner = chrome.session(&shop, 1280, 900).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;
    owner.open("/admin#/reglages/webhooks", VIEW).await;
    assert!(owner.text("#webhook-list").await.contains("Aucun webhook"));

    // An address that is not a web address is refused next to its field.
    owner.fill("#wh-url", "ftp://tableur.exemple.ci/in").await;
    owner.click("#webhook-form button[type=submit]").await;
    owner
        .wait_for(
            "document.getElementById('wh-url-server-error')?.textContent.length > 0",
            "the address refused next to its field",
        )
        .await;
    assert_eq!(
        owner
            .eval("document.getElementById('wh-url').getAttribute('aria-invalid')")
            .await,
        "true"
    );
    owner
        .check_accessibility("the webhook form with its error")
        .await;

    // With no event ticked, the page says so under the list of events.
    owner.fill("#wh-url", &hooks.url("/commandes")).await;
    owner.click("#wh-events-0").await;
    owner.click("#webhook-form button[type=submit]").await;
    owner
        .wait_for(
            "document.querySelector('#wh-events > .field-error')?.textContent.includes('au moins un événement')",
            "the events asked for",
        )
        .await;

    owner.click("#wh-events-0").await;
    owner.click("#wh-events-6").await;
    owner.fill("#wh-description", "Tableur des commandes").await;
    owner.click("#webhook-form button[type=submit]").await;
    let secret = owner
        .wait_for(
            "document.getElementById('webhook-secret')?.value",
            "the new webhook's secret",
        )
        .await;
    let secret = secret.as_str().expect("a secret").to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert!(
        owner
            .text("#webhook-secret-once")
            .await
            .contains("ne sera plus jamais affiché")
    );
    owner.check_accessibility("the new webhook's secret").await;
    let card = owner.text("#webhook-list .webhook-card").await;
    assert!(card.contains("Tableur des commandes"), "{card}");
    assert!(card.contains("Nouvelle commande, Taille épuisée"), "{card}");
    picture_the_secret(&owner).await;

    // The list the API gives has no secret; the page opened again neither.
    let listed = shop.get("/api/v1/admin/webhooks").await;
    assert_eq!(listed["webhooks"].as_array().map(Vec::len), Some(1));
    assert!(!listed.to_string().contains(&secret));
    let id = listed["webhooks"][0]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    owner.open("/admin#/reglages/webhooks", VIEW).await;
    assert_eq!(
        owner
            .eval("document.getElementById('webhook-secret') === null && !document.body.innerText.includes('whsec_')")
            .await,
        true,
        "the secret is not shown again"
    );

    // "Tester": the test event arrives signed with that secret and shows
    // as received in the webhook's deliveries.
    owner.click(".webhook-card .test").await;
    let received = hooks.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(received.len(), 1);
    received[0]
        .verify_webhook(&secret)
        .expect("a Standard Webhooks signature");
    assert_eq!(received[0].json()["type"], "test");
    owner
        .wait_for(
            &format!("document.querySelector('#deliveries-{id} tr[data-status=delivered]')?.textContent.includes('HTTP 200')"),
            "the test delivery received",
        )
        .await;
    assert!(
        owner
            .text(&format!("#deliveries-{id} tr[data-status=delivered]"))
            .await
            .contains("Message de test")
    );
    owner
        .check_accessibility("a webhook with its deliveries")
        .await;

    a_failed_delivery_is_tried_again(&shop, &owner, &hooks, &id).await;

    // "Supprimer" asks first, then the webhook is gone.
    owner.click(".webhook-card .delete").await;
    owner
        .wait_for(
            "!!document.querySelector('dialog[open] [data-confirm=yes]')",
            "the question before deleting",
        )
        .await;
    owner
        .check_accessibility("the question before deleting a webhook")
        .await;
    owner.click("dialog[open] [data-confirm=yes]").await;
    owner
        .wait_toast("Webhook « Tableur des commandes » supprimé.")
        .await;
    assert!(owner.text("#webhook-list").await.contains("Aucun webhook"));
    let listed = shop.get("/api/v1/admin/webhooks").await;
    assert_eq!(listed["webhooks"].as_array().map(Vec::len), Some(0));
    owner.assert_no_console_errors();
    chrome.close().await;
}

/// The receiver answers 500: the delivery waits for its next attempt with
/// the error said; a day of failures later (written straight into the
/// database) it has failed, and "Réessayer" sends it again.
async fn a_failed_delivery_is_tried_again(
    shop: &Shop,
    owner: &Session,
    hooks: &HttpReceiver,
    id: &str,
) {
    hooks.set_answer(Answer::Status(500));
    owner.click(".webhook-card .test").await;
    let row = format!("#deliveries-{id} tr[data-status=pending]");
    owner
        .wait_for(
            &format!("document.querySelector('{row}')?.textContent.includes('HTTP 500')"),
            "the refused delivery waiting for its next attempt",
        )
        .await;
    let text = owner.text(&row).await;
    assert!(text.contains("prochain essai"), "{text}");
    shop.database()
        .execute(
            "update deliveries set status = 'failed' where status = 'pending'",
            [],
        )
        .expect("a day of failures");
    hooks.set_answer(Answer::Status(200));
    owner.open("/admin#/reglages/webhooks", VIEW).await;
    owner.click(".webhook-card .show-deliveries").await;
    owner
        .click(&format!("#deliveries-{id} tr[data-status=failed] .retry"))
        .await;
    owner
        .wait_toast("Envoi remis en file : il part dans un instant.")
        .await;
    owner
        .wait_for(
            &format!("document.querySelectorAll('#deliveries-{id} tr[data-status=delivered]').length === 2"),
            "the failed delivery received once tried again",
        )
        .await;
}

/// The secret as the owner sees it, on a desktop and on a phone.
async fn picture_the_secret(owner: &Session) {
    owner.screenshot("webhook-secret-1280").await;
    owner.resize(360, 780).await;
    owner
        .check_accessibility("the new webhook's secret on a phone")
        .await;
    assert_fits(owner, 360, "the webhooks page with a secret").await;
    owner
        .eval("document.getElementById('webhook-secret-box').scrollIntoView()")
        .await;
    publish(
        &owner.screenshot_window("webhook-secret-360").await,
        "webhook-secret",
    );
    owner.resize(1280, 900).await;
}

//! The owner's notification channels in the browser: the e-mail form
//! refused field by field in the server's words, then saved, its password
//! kept behind stars; a test e-mail that reaches a real SMTP server and
//! shows in the channel's deliveries; the SMS gateway filled from the
//! example, then pointed at a receiver, its key kept though shown masked.

use std::time::Duration;

use crate::chrome::{Chrome, Session, browser_tools};
use crate::receivers::{HttpReceiver, SmtpReceiver};
use crate::screenshots::{assert_fits, publish};
use crate::shop::{OWNER_PASSWORD, sign_in, spawn_shop};
use stockroom::demo::OWNER;

const VIEW: &str = "reglages/notifications";

async fn save(owner: &Session, channel: &str) {
    owner
        .click(&format!("#{channel}-form button[type=submit]"))
        .await;
}

#[tokio::test]
async fn the_notifications_form_saves_and_says_what_is_wrong_next_to_each_field() {
    let Some(tools) = browser_tools("the_notifications_form_saves") else {
        return;
    };
    let shop = spawn_shop().await;
    let mail = SmtpReceiver::start().await;
    let gateway = HttpReceiver::start().await;
    let chrome = Chrome::launch(&tools).await;
    let owner = chrome.session(&shop, 1280, 900).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;
    owner.open("/admin#/reglages/notifications", VIEW).await;
    assert!(
        owner
            .text("#email-state")
            .await
            .contains("Pas encore réglé")
    );
    assert!(
        owner
            .text("label[for=\"email-tls-starttls\"] + .hint")
            .await
            .contains("se chiffre avant")
    );

    // Wrong values: each refusal next to its field, named by its label.
    owner.fill("#email-host", "smtp://mail.exemple.ci").await;
    owner.fill("#email-from", "la boutique").await;
    owner
        .fill("#email-to", "awa@exemple.ci, pas-une-adresse")
        .await;
    save(&owner, "email").await;
    owner
        .wait_for(
            "document.getElementById('email-host-server-error')?.textContent.includes('sans « smtp:// »')",
            "the server's name refused next to it",
        )
        .await;
    assert!(
        owner
            .text("#email-from-server-error")
            .await
            .contains("L'expéditeur « la boutique » n'est pas valide")
    );
    assert!(
        owner
            .text("#email-to-server-error")
            .await
            .contains("« pas-une-adresse »")
    );
    assert!(
        owner
            .text("#email-form .alert-error")
            .await
            .contains("Corrigez les champs signalés")
    );
    owner
        .check_accessibility("the e-mail form with its errors")
        .await;
    picture_the_page(&owner).await;

    // Right values: saved, with an account whose password comes back as stars.
    owner.fill("#email-host", "127.0.0.1").await;
    owner.click("#email-tls-none").await;
    owner.fill("#email-port", &mail.port().to_string()).await;
    owner.fill("#email-user", "boutique").await;
    owner.fill("#email-password", "mot-de-passe-smtp").await;
    owner
        .fill("#email-from", "Chez Awa <boutique@exemple.ci>")
        .await;
    owner.fill("#email-to", "awa@exemple.ci").await;
    save(&owner, "email").await;
    owner.wait_toast("Réglages des e-mails enregistrés.").await;
    let saved = shop.get("/api/v1/admin/notifications").await;
    assert_eq!(saved["email"]["host"], "127.0.0.1");
    assert_eq!(saved["email"]["password"], "********");
    assert_eq!(
        saved["email"]["events"],
        serde_json::json!(["order.created"])
    );

    // Opened again, the password is stars; sent back as they are, it is kept.
    owner.open("/admin#/reglages/notifications", VIEW).await;
    assert_eq!(
        owner
            .eval("document.getElementById('email-password').value")
            .await,
        "********"
    );
    assert!(owner.text("#email-state").await.contains("127.0.0.1"));
    owner.click("#email-form .test").await;
    let mails = mail.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 1, "the test e-mail arrives");
    assert!(mails[0].subject().starts_with("Test des notifications"));
    assert_eq!(
        mail.logins(),
        [("boutique".to_owned(), "mot-de-passe-smtp".to_owned())],
        "the stored password was used"
    );
    owner
        .wait_for(
            "!!document.querySelector('#email-deliveries tr[data-status=delivered]')",
            "the test e-mail in the deliveries",
        )
        .await;
    assert!(
        owner
            .text("#email-deliveries tr[data-status=delivered]")
            .await
            .contains("Message de test")
    );

    the_sms_gateway_is_filled_from_the_example_then_keeps_its_key(&owner, &gateway).await;
    owner.assert_no_console_errors();
    chrome.close().await;
}

async fn the_sms_gateway_is_filled_from_the_example_then_keeps_its_key(
    owner: &Session,
    gateway: &HttpReceiver,
) {
    // The owner closes the e-mail's message first: a toast lies over the
    // top of the window, where a field scrolled into view lands.
    close_toasts(owner).await;
    owner.click("#sms-example summary").await;
    owner.click("#sms-example-fill").await;
    assert_eq!(
        owner
            .eval("document.getElementById('sms-body').value")
            .await,
        r#"{"to": "{to}", "text": "{message}", "sender": "MABOUTIQUE"}"#
    );
    assert_eq!(
        owner
            .eval("document.getElementById('sms-header-value-0').value")
            .await,
        "Bearer VOTRE_CLE"
    );

    // A body that names a word the gateway does not know is refused next to it.
    owner
        .fill("#sms-body", r#"{"to": "{phone}", "text": "{message}"}"#)
        .await;
    owner.fill("#sms-to", "07 08 09 10 11").await;
    save(owner, "sms").await;
    owner
        .wait_for(
            "document.getElementById('sms-body-server-error')?.textContent.includes('{phone}')",
            "the unknown placeholder refused next to the body",
        )
        .await;
    owner
        .check_accessibility("the SMS form with its error")
        .await;

    // The receiver as the gateway, with its key in the address.
    let url = format!(
        "{}?key=cle-secrete&to={{to}}&text={{message}}",
        gateway.url("/send")
    );
    // The field is above the window now (the refusal took the focus
    // lower): brought to the middle, where the sticky header is not.
    owner
        .eval("document.getElementById('sms-url').scrollIntoView({block: 'center'})")
        .await;
    owner.fill("#sms-url", &url).await;
    owner.click("label[for=\"sms-method-GET\"]").await;
    owner.click("#sms-headers .btn-danger-ghost").await;
    owner.fill("#sms-body", "").await;
    save(owner, "sms").await;
    owner.wait_toast("Réglages des SMS enregistrés.").await;
    assert_eq!(
        owner.eval("document.getElementById('sms-url').value").await,
        format!(
            "{}?key=********&to={{to}}&text={{message}}",
            gateway.url("/send")
        ),
        "the key is shown masked"
    );

    // Saved again as shown, then tested: the gateway gets the real key.
    close_toasts(owner).await;
    save(owner, "sms").await;
    owner.wait_toast("Réglages des SMS enregistrés.").await;
    owner.click("#sms-form .test").await;
    let texts = gateway.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(texts.len(), 1, "the test text reaches the gateway");
    let query = texts[0].query();
    assert!(
        query.contains(&("key".to_owned(), "cle-secrete".to_owned())),
        "{query:?}"
    );
    assert!(
        query.contains(&("to".to_owned(), "+2250708091011".to_owned())),
        "{query:?}"
    );
    owner
        .wait_for(
            "!!document.querySelector('#sms-deliveries tr[data-status=delivered]')",
            "the test text in the deliveries",
        )
        .await;
}

async fn close_toasts(owner: &Session) {
    while owner
        .eval("!!document.querySelector('#toasts .toast-close')")
        .await
        == true
    {
        owner.click("#toasts .toast-close").await;
    }
}

/// The page with its refusals, on a desktop and on a phone.
async fn picture_the_page(owner: &Session) {
    owner.screenshot("notifications-settings-1280").await;
    owner.resize(360, 780).await;
    owner
        .check_accessibility("the notifications page on a phone")
        .await;
    assert_fits(owner, 360, "the notifications page").await;
    // The server's name refused, and the connection's security in words.
    owner
        .eval("document.getElementById('email-host').closest('.field').scrollIntoView()")
        .await;
    publish(
        &owner.screenshot_window("notifications-settings-360").await,
        "notifications-settings",
    );
    owner.screenshot("notifications-settings-360-full").await;
    owner.resize(1280, 900).await;
}

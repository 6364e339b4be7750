//! The shop's team in the browser: the owner invites an assistant, who
//! chooses her password through the link in a browser of her own, signs in,
//! restocks a size, cannot reach the team page; the owner revokes her and
//! her open page signs out at its next action.

use crate::chrome::{Chrome, browser_tools};
use crate::shop::{OWNER_PASSWORD, sign_in, spawn_shop};
use stockroom::demo::OWNER;

#[tokio::test]
async fn the_owner_invites_an_assistant_who_restocks_until_her_access_is_revoked() {
    let Some(tools) = browser_tools("the_owner_invites_an_assistant") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let owner = chrome.session(&shop, 1280, 900).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;

    // The owner invites Aïcha as staff: the link is shown once.
    owner.open("/admin#/equipe", "equipe").await;
    owner.fill("#invite-name", "Aïcha").await;
    owner.click("#invite-form button[type=submit]").await;
    let link = owner
        .wait_for(
            "document.getElementById('setup-url')?.value",
            "the invitation link",
        )
        .await;
    let link = link.as_str().expect("a link").to_owned();
    assert!(
        link.starts_with(&format!("{}/admin/setup#sru_", shop.address)),
        "{link}"
    );
    assert!(
        owner
            .text("#staff-list [data-name=\"Aïcha\"]")
            .await
            .contains("Employé")
    );

    // Aïcha opens the link on her own phone: a too-short password is
    // refused with the rule, a good one signs her in.
    let assistant = chrome.session(&shop, 360, 780).await;
    let fragment = link.split_once('#').expect("a fragment").1;
    assistant
        .open(&format!("/admin/setup#{fragment}"), "setup")
        .await;
    assistant.fill("#setup-password", "court").await;
    assistant.fill("#setup-again", "court").await;
    assistant.click("#setup-submit").await;
    assistant
        .wait_for(
            "document.getElementById('setup-error').textContent.includes('au moins 10 caractères')",
            "the password rule",
        )
        .await;
    assistant
        .fill("#setup-password", "le pagne bleu de maman")
        .await;
    assistant
        .fill("#setup-again", "le pagne bleu de maman")
        .await;
    assistant.click("#setup-submit").await;
    assistant.wait_ready("produits").await;
    assert_eq!(
        assistant.eval("location.hash").await,
        "#/produits",
        "the token left the address bar"
    );

    // She signs out, and in again with her name and password, as she
    // will tomorrow (her phone's keyboard writes her name as it likes).
    assistant.click("#sign-out").await;
    assistant.wait_ready("signin").await;
    sign_in(&assistant, "aïcha", "le pagne bleu de maman").await;

    // The team page is not in her menu, and the API refuses it.
    assert_eq!(
        assistant
            .eval("getComputedStyle(document.getElementById('nav-team')).display")
            .await,
        "none"
    );
    assert_eq!(
        assistant
            .eval("fetch('/api/v1/admin/staff').then((r) => r.status)")
            .await,
        403
    );

    // She reads the settings, which only the owner changes.
    assistant.open("/admin#/reglages", "reglages").await;
    assert!(
        assistant
            .text("#settings-read-only")
            .await
            .contains("propriétaire")
    );
    assert_eq!(
        assistant
            .eval("document.getElementById('s-limit').disabled")
            .await,
        true
    );
    assistant.open("/admin#/produits", "produits").await;

    // She restocks 3 dresses in XL; the ledger names her.
    let before = shop.available("ROBE-ETE-XL").await;
    assistant
        .click(".stock-chip[data-sku=\"ROBE-ETE-XL\"] .restock")
        .await;
    assistant.fill("#stock-quantity", "3").await;
    assistant.click("#stock-dialog button[type=submit]").await;
    assistant
        .wait_toast(&format!(
            "Robe d'été (taille XL) : {} en stock.",
            before + 3
        ))
        .await;
    let movements = shop
        .get("/api/v1/admin/stock/movements?sku=ROBE-ETE-XL")
        .await;
    assert_eq!(movements["movements"][0]["actor"], "Aïcha");
    assistant.screenshot("staff-restocked-phone").await;

    // The owner revokes her access.
    owner.open("/admin#/equipe", "equipe").await;
    owner
        .click("#staff-list [data-name=\"Aïcha\"] .revoke")
        .await;
    owner.click("dialog [data-confirm=yes]").await;
    owner
        .wait_toast("Aïcha n’a plus accès à l’espace boutique.")
        .await;
    owner.screenshot("staff-revoked").await;

    // Aïcha's open page signs out at its next action, saying so plainly.
    assistant.eval("location.hash = '#/commandes'; true").await;
    assistant.wait_ready("signin").await;
    assert!(
        assistant
            .text("#signin-error")
            .await
            .contains("Votre session a pris fin")
    );
    owner.assert_no_console_errors();
    chrome.close().await;
}

//! The order desk as the shop uses it: an order found by a phone typed
//! with spaces and by its number's digits, the list narrowed by payment,
//! the order paid by Wave (a different amount warned about first), moved
//! on and stepped back with a reason, its delivery edited, a staff note,
//! and a dress exchanged M for L: refused with the checkout's sentence
//! while L is short, then done, one unit moving each way in the ledger.
//! Every view and dialog passes the accessibility check; at 360 px nothing
//! scrolls sideways. The order page is the README's `order-page.png`.

use reqwest::Method;
use serde_json::{Value, json};

use crate::chrome::{Chrome, Session, browser_tools};
use crate::screenshots::{assert_fits, publish};
use crate::shop::{OWNER_PASSWORD, Shop, sign_in, spawn_shop};
use stockroom::demo::OWNER;

/// Places an order through the public API; answers the order.
async fn place(shop: &Shop, name: &str, phone: &str, lines: Value) -> Value {
    let (status, body) = shop
        .send(
            Method::POST,
            "/api/v1/orders",
            &json!({"customer": {"name": name, "phone": phone},
                    "delivery": {"address": "Cocody Angré, 7e tranche", "zone": "cocody"},
                    "lines": lines}),
            None,
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["order"].clone()
}

/// Chooses `value` in the select `selector`, as a person picking it would
/// (`change` fires); without a click, whose list of options would stay open.
async fn choose(session: &Session, selector: &str, value: &str) {
    session
        .wait_for(
            &format!(
                "!!document.querySelector({})",
                serde_json::to_string(selector).expect("a JS string")
            ),
            selector,
        )
        .await;
    let js = format!(
        "(() => {{ const s = document.querySelector({}); s.focus(); s.value = {}; s.dispatchEvent(new Event('change', {{ bubbles: true }})); return s.value; }})()",
        serde_json::to_string(selector).expect("a JS string"),
        serde_json::to_string(value).expect("a JS string"),
    );
    assert_eq!(session.eval(&js).await, value, "{value} in {selector}");
}

/// The numbers of the orders the list shows.
async fn listed(session: &Session) -> Value {
    session
        .eval("[...document.querySelectorAll('#orders tbody tr[data-number]')].map((r) => r.dataset.number)")
        .await
}

/// Searches the list for `typed` and waits for its answer.
async fn search(session: &Session, typed: &str) {
    session.fill("#order-q", typed).await;
    session.click("#order-search-submit").await;
    session
        .wait_for(
            &format!(
                "document.body.dataset.ready === 'commandes' && document.getElementById('order-search-scope')?.textContent.includes({})",
                serde_json::to_string(typed).expect("a JS string")
            ),
            &format!("the results for {typed}"),
        )
        .await;
    session
        .check_accessibility(&format!("the results for {typed}"))
        .await;
}

/// The ledger's newest movement of `sku`.
async fn last_movement(shop: &Shop, sku: &str) -> Value {
    shop.get(&format!("/api/v1/admin/stock/movements?sku={sku}&limit=1"))
        .await["movements"][0]
        .clone()
}

#[tokio::test]
async fn an_order_is_found_paid_by_wave_and_a_dress_exchanged_m_for_l() {
    let Some(tools) = browser_tools("an_order_is_found_paid_by_wave") else {
        return;
    };
    let shop = spawn_shop().await;
    place(
        &shop,
        "Awa Traoré",
        "05 05 05 05 05",
        json!([{"sku": "JUPE-PLISSEE-S", "quantity": 1}]),
    )
    .await;
    let order = place(
        &shop,
        "Aïcha Koné",
        "+225 07 00 00 00 00",
        json!([{"sku": "ROBE-ETE-M", "quantity": 1}, {"sku": "CHEMISE-EN-LIN-BLANC-M", "quantity": 1}]),
    )
    .await;
    place(
        &shop,
        "Mariam Diallo",
        "01 02 03 04 05",
        json!([{"sku": "T-SHIRT-COTON-BIO-M", "quantity": 2}]),
    )
    .await;
    let id = order["id"].as_str().expect("an id").to_owned();
    let number = order["number"].as_str().expect("a number").to_owned();
    let digits = number.trim_start_matches("SR-").to_owned();
    let total = order["total"].as_i64().expect("a total");

    let chrome = Chrome::launch(&tools).await;
    let admin = chrome.session(&shop, 1280, 900).await;
    sign_in(&admin, OWNER, OWNER_PASSWORD).await;

    // The list opens on "À traiter", each status counted.
    admin.click("#admin-nav a[href=\"#/commandes\"]").await;
    admin.wait_ready("commandes").await;
    admin
        .wait_for(
            "document.querySelector('.view-to_handle .view-count')?.textContent.trim() === '3'",
            "three orders to handle",
        )
        .await;
    assert_eq!(
        admin
            .eval("document.querySelector('.view-to_handle').getAttribute('aria-current')")
            .await,
        "true"
    );
    assert_eq!(admin.text(".view-pending .view-count").await, "3");
    assert_eq!(admin.text(".view-all .view-count").await, "3");
    admin
        .check_accessibility("the orders to handle with their counts")
        .await;

    // Her phone as she spells it, then the number's digits: her order only.
    search(&admin, "07 00 00 00 00").await;
    assert_eq!(listed(&admin).await, json!([number]));
    search(&admin, &digits).await;
    assert_eq!(listed(&admin).await, json!([number]));
    admin.screenshot("order-desk-search").await;

    // Paid by Wave: the total is proposed; another amount is warned about.
    admin
        .click(&format!("#orders tr[data-number=\"{number}\"] a"))
        .await;
    let view = format!("commandes/{id}");
    admin.wait_ready(&view).await;
    choose(&admin, "#pay-status", "paid").await;
    choose(&admin, "#pay-method", "wave").await;
    assert_eq!(
        admin
            .eval("document.getElementById('pay-amount').value")
            .await,
        total.to_string()
    );
    assert_eq!(
        admin
            .eval("document.getElementById('pay-warning').hidden")
            .await,
        true
    );
    admin.fill("#pay-amount", "10000").await;
    admin
        .wait_for(
            "!document.getElementById('pay-warning').hidden",
            "the warning on another amount",
        )
        .await;
    assert!(
        admin
            .text("#pay-warning")
            .await
            .contains("n’est pas le total de la commande")
    );
    admin
        .check_accessibility("the payment form warning of another amount")
        .await;
    admin.fill("#pay-amount", &total.to_string()).await;
    admin
        .wait_for(
            "document.getElementById('pay-warning').hidden",
            "no warning on the total",
        )
        .await;
    admin.fill("#pay-reference", "WV-20260312-0042").await;
    admin.click("#pay-submit").await;
    admin
        .wait_toast(&format!("Paiement de la commande {number} enregistré."))
        .await;
    assert_eq!(admin.text("#order-payment-badge").await, "Payée · Wave");
    let saved = shop.get(&format!("/api/v1/admin/orders/{id}")).await;
    assert_eq!(
        saved["payment"],
        json!({"status": "paid", "method": "wave", "amount": total, "reference": "WV-20260312-0042"})
    );

    // The payment filter: hers among the paid ones, not among the unpaid.
    admin
        .open("/admin#/commandes?payment=paid", "commandes")
        .await;
    assert_eq!(listed(&admin).await, json!([number]));
    assert_eq!(
        admin.text("details.filters-fold > summary").await,
        "Filtres (1 actif)"
    );
    admin
        .open("/admin#/commandes?payment=unpaid", "commandes")
        .await;
    assert_eq!(
        admin
            .eval(&format!(
                "!!document.querySelector('#orders tr[data-number=\"{number}\"]')"
            ))
            .await,
        false
    );

    // Moved on to shipped, then one step back, which asks for a reason.
    admin.open(&format!("/admin#/{view}"), &view).await;
    for (next, said) in [
        ("confirmed", "Confirmée"),
        ("processing", "En préparation"),
        ("shipped", "Expédiée"),
    ] {
        admin.click(&format!("button[data-status={next}]")).await;
        admin
            .wait_toast(&format!("Commande {number} : {said}."))
            .await;
    }
    admin.click("#step-back").await;
    admin
        .wait_for(
            "!!document.querySelector('#step-back-dialog[open]')",
            "the step back's question",
        )
        .await;
    admin.check_accessibility("the step back's question").await;
    admin.click("#step-back-dialog-submit").await;
    admin
        .wait_for(
            "document.getElementById('step-back-reason-server-error')?.textContent.includes('motif')",
            "the reason asked for",
        )
        .await;
    admin
        .check_accessibility("the step back without a reason")
        .await;
    admin
        .fill("#step-back-reason", "Colis pas encore remis au livreur")
        .await;
    admin.click("#step-back-dialog-submit").await;
    admin
        .wait_toast(&format!("Commande {number} revenue à « En préparation »"))
        .await;
    assert!(admin.text("#order-status").await.contains("En préparation"));
    let timeline = admin.text("#order-timeline").await;
    assert!(
        timeline.contains("Revenue de « Expédiée » à « En préparation »")
            && timeline.contains("Motif : Colis pas encore remis au livreur"),
        "{timeline}"
    );
    admin.click("button[data-status=shipped]").await;
    admin
        .wait_for(
            "document.querySelector('#step-back')?.dataset.back === 'processing'",
            "the order shipped again",
        )
        .await;

    // Her pick-up number and a note for the team.
    admin.click("#edit-delivery").await;
    admin
        .wait_for(
            "!!document.querySelector('#edit-delivery-dialog[open]')",
            "the delivery's form",
        )
        .await;
    admin.check_accessibility("the delivery's form").await;
    admin.fill("#edit-pickup", "A-17").await;
    admin.click("#edit-delivery-dialog-submit").await;
    admin
        .wait_toast(&format!("Livraison de la commande {number} modifiée."))
        .await;
    assert_eq!(admin.text("#order-pickup").await, "A-17");
    admin
        .fill("#note-text", "Elle passe samedi matin, appeler avant.")
        .await;
    admin.click("#note-submit").await;
    admin
        .wait_toast(&format!("Note ajoutée à la commande {number}."))
        .await;
    let timeline = admin.text("#order-timeline").await;
    assert!(
        timeline.contains("N° de retrait changé : (aucun) → « A-17 »")
            && timeline.contains("Elle passe samedi matin, appeler avant.")
            && timeline.contains("Paiement reçu")
            && timeline.contains("par demo"),
        "{timeline}"
    );

    // The exchange: M comes back, L goes out. Two L asked while one is left:
    // refused with the checkout's sentence, nothing changed.
    let (m_before, l_before) = (
        shop.available("ROBE-ETE-M").await,
        shop.available("ROBE-ETE-L").await,
    );
    assert_eq!(l_before, 1);
    let l_movement = last_movement(&shop, "ROBE-ETE-L").await;
    admin.click("#return-open").await;
    admin.wait_for("!!document.querySelector('#return-dialog[open] #replacement-product option[value]:not([value=\"\"])')", "the return's form").await;
    admin.check_accessibility("the return's form").await;
    admin.fill("#back-ROBE-ETE-M", "1").await;
    let robe = shop.get("/api/v1/admin/products/robe-ete").await["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    choose(&admin, "#replacement-product", &robe).await;
    choose(&admin, "#replacement-variant", "ROBE-ETE-L").await;
    admin.fill("#replacement-quantity", "2").await;
    admin.click("#replacement-add").await;
    admin
        .wait_for(
            "!!document.querySelector('#replacement-list li[data-sku=\"ROBE-ETE-L\"]')",
            "L in the exchange",
        )
        .await;
    admin.click("#return-dialog-submit").await;
    let refusal = admin
        .wait_for(
            "!document.getElementById('return-dialog-alert').hidden && document.getElementById('return-dialog-alert').textContent",
            "the refusal of a short L",
        )
        .await;
    let refusal = refusal.as_str().unwrap_or_default();
    assert!(refusal.contains("Robe d'été"), "{refusal}");
    admin
        .check_accessibility("the return refused for a short replacement")
        .await;
    admin.screenshot("order-return-refused").await;
    assert_eq!(
        shop.available("ROBE-ETE-M").await,
        m_before,
        "nothing came back"
    );
    assert_eq!(
        last_movement(&shop, "ROBE-ETE-L").await,
        l_movement,
        "nothing went out"
    );

    // One L instead: done, one unit each way.
    admin
        .click("#replacement-list li[data-sku=\"ROBE-ETE-L\"] button")
        .await;
    admin.fill("#replacement-quantity", "1").await;
    admin.click("#replacement-add").await;
    admin.wait_for("document.querySelector('#replacement-list li[data-sku=\"ROBE-ETE-L\"]')?.textContent.startsWith('1 ×')", "one L").await;
    admin.click("#return-dialog-submit").await;
    admin
        .wait_toast(&format!("Retour de la commande {number} enregistré."))
        .await;
    assert_eq!(
        admin
            .eval("!!document.querySelector('#return-dialog')")
            .await,
        false
    );
    assert_eq!(
        admin
            .text("#order-lines tr[data-sku=\"ROBE-ETE-M\"] .returned-cell")
            .await,
        "1, remis en stock"
    );
    assert!(admin.text("#order-lines").await.contains("Taille L"));
    assert!(admin.text("#order-timeline").await.contains("Échange"));
    let back = last_movement(&shop, "ROBE-ETE-M").await;
    assert_eq!(
        (
            back["kind"].clone(),
            back["quantity"].clone(),
            back["order_id"].clone()
        ),
        (json!("return"), json!(1), json!(id))
    );
    let out = last_movement(&shop, "ROBE-ETE-L").await;
    assert_eq!(
        (out["quantity"].clone(), out["order_id"].clone()),
        (json!(-1), json!(id))
    );
    assert_eq!(shop.available("ROBE-ETE-M").await, m_before + 1);
    assert_eq!(shop.available("ROBE-ETE-L").await, l_before - 1);

    // The order page pictured, on a desktop and on a phone.
    admin.open(&format!("/admin#/{view}"), &view).await;
    assert_fits(&admin, 1280, "the order page").await;
    publish(&admin.screenshot("order-page").await, "order-page");
    admin.resize(360, 780).await;
    admin.open(&format!("/admin#/{view}"), &view).await;
    assert_fits(&admin, 360, "the order page").await;
    admin.screenshot("order-page-phone").await;
    for (dialog, opener) in [
        ("#step-back-dialog", "#step-back"),
        ("#edit-delivery-dialog", "#edit-delivery"),
        ("#return-dialog", "#return-open"),
    ] {
        admin.click(opener).await;
        admin
            .wait_for(
                &format!("!!document.querySelector('{dialog}[open] h2')"),
                dialog,
            )
            .await;
        admin
            .check_accessibility(&format!("{dialog} on a phone"))
            .await;
        assert_fits(&admin, 360, dialog).await;
        admin
            .screenshot_window(&format!(
                "order-desk-{}-phone",
                dialog.trim_start_matches('#')
            ))
            .await;
        admin.click(&format!("{dialog}-cancel")).await;
    }
    admin
        .open("/admin#/commandes?status=all", "commandes")
        .await;
    assert_fits(&admin, 360, "the orders").await;
    admin.screenshot("order-desk-list-phone").await;
    admin.assert_no_console_errors();
    chrome.close().await;
}

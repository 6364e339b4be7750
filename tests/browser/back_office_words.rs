//! The back office speaks of products, sizes and order numbers, not of
//! references, and fits a phone: lists with their filters folded, an
//! order's lines as cards, no page wider than the screen.

use crate::buyer::{Buyer, buy};
use crate::chrome::{Chrome, Session, browser_tools};
use crate::shop::{OWNER_PASSWORD, sign_in, spawn_shop};
use stockroom::demo::OWNER;

/// Fails the test when the page scrolls sideways at this width.
async fn assert_no_sideways_scroll(session: &Session, what: &str) {
    let widths = session
        .eval("[document.documentElement.scrollWidth, window.innerWidth]")
        .await;
    let (scroll, inner) = (widths[0].as_i64(), widths[1].as_i64());
    assert!(
        scroll.is_some() && scroll <= inner,
        "{what} scrolls sideways: {widths}"
    );
}

/// Waits until the list's filters are `folded` (their `<details>` closed)
/// or open: they follow the screen's width.
async fn wait_filters(session: &Session, folded: bool) {
    session
        .wait_for(
            &format!(
                "document.querySelector('details.filters-fold')?.open === {}",
                !folded
            ),
            if folded {
                "the filters folded"
            } else {
                "the filters open"
            },
        )
        .await;
}

#[tokio::test]
async fn on_a_phone_the_orders_and_an_order_fit_the_screen_and_name_what_was_sold() {
    let Some(tools) = browser_tools("on_a_phone_the_orders_fit") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let buyer = chrome.session(&shop, 360, 780).await;
    let awa = Buyer {
        name: "Awa Koné",
        phone: "07 00 00 00 51",
        address: Some("Cocody Angré, près de la pharmacie"),
        zone: "cocody",
    };
    let number = buy(&buyer, "chemise-en-lin", "CHEMISE-EN-LIN-BLANC-M", 1, &awa).await;

    let admin = chrome.session(&shop, 360, 780).await;
    sign_in(&admin, OWNER, OWNER_PASSWORD).await;
    wait_filters(&admin, true).await;

    // The orders: the list comes first, its filters folded and counted.
    admin.open("/admin#/commandes", "commandes").await;
    wait_filters(&admin, true).await;
    assert_no_sideways_scroll(&admin, "the orders").await;
    admin.screenshot("phone-orders").await;
    admin.click("details.filters-fold > summary").await;
    wait_filters(&admin, false).await;
    admin
        .check_accessibility("the orders' filters unfolded")
        .await;
    assert_no_sideways_scroll(&admin, "the orders with their filters").await;
    admin
        .open(
            "/admin#/commandes?status=pending&payment=unpaid",
            "commandes",
        )
        .await;
    wait_filters(&admin, true).await;
    assert_eq!(
        admin.text("details.filters-fold > summary").await,
        "Filtres (1 actif)"
    );

    // One order: its lines are cards naming the product, size and colour.
    admin
        .click(&format!("#orders tr[data-number=\"{number}\"] a"))
        .await;
    admin
        .wait_for(
            "!!document.getElementById('order-lines')",
            "the order's lines",
        )
        .await;
    assert_no_sideways_scroll(&admin, "an order").await;
    let line = admin
        .text("#order-lines tr[data-sku=\"CHEMISE-EN-LIN-BLANC-M\"]")
        .await;
    assert!(
        line.contains("Chemise en lin") && line.contains("Taille M · Blanc"),
        "{line}"
    );
    assert_eq!(
        admin
            .eval("getComputedStyle(document.querySelector('#order-lines tbody tr')).display")
            .await,
        "block",
        "a line is a card"
    );
    admin.check_accessibility("an order on a phone").await;
    admin.screenshot("phone-order").await;

    // The ledger, searched by the product's name without its accent: its
    // sale names the variant and links to the order by its number.
    admin
        .open("/admin#/mouvements?q=chemise%20blanc", "mouvements")
        .await;
    assert_no_sideways_scroll(&admin, "the ledger").await;
    let sale = "#movements tr[data-kind=sale]";
    admin
        .wait_for(
            &format!("!!document.querySelector('{sale}')"),
            "the sale in the ledger",
        )
        .await;
    assert_eq!(admin.text(&format!("{sale} a.order-link")).await, number);
    assert!(
        admin.text(sale).await.contains("Chemise en lin"),
        "the sale names its product"
    );
    let skus = admin
        .eval("[...document.querySelectorAll('#movements tbody tr')].map((r) => r.dataset.sku)")
        .await;
    assert!(
        skus.as_array().is_some_and(|s| !s.is_empty()
            && s.iter().all(|sku| sku
                .as_str()
                .is_some_and(|x| x.starts_with("CHEMISE-EN-LIN-BLANC")))),
        "only the white shirts: {skus}"
    );
    admin.screenshot("phone-ledger").await;

    // On a wide screen the filters stand open.
    admin.resize(1280, 900).await;
    admin.open("/admin#/mouvements", "mouvements").await;
    wait_filters(&admin, false).await;
    admin.fill("#m-q", "ete robe").await;
    admin.click("#movement-filters button[type=submit]").await;
    admin
        .wait_for(
            "location.hash.includes('q=ete+robe') && document.body.dataset.ready === 'mouvements' && [...document.querySelectorAll('#movements tbody tr')].every((r) => r.dataset.sku?.startsWith('ROBE-ETE-'))",
            "only the summer dress",
        )
        .await;
    buyer.assert_no_console_errors();
    admin.assert_no_console_errors();
    chrome.close().await;
}

//! Preorders on the pages: the owner opens the preorders of a sold-out size
//! on the product's form; a buyer on a phone is offered "Précommander
//! (livraison avant le …)" and places the order; the back office lists it
//! as waiting; a restock serves it, and the buyer's order page and the
//! desk's say so.

use chrono::{Datelike, TimeDelta, Utc};
use reqwest::Method;
use serde_json::json;

use crate::buyer::cart_count;
use crate::chrome::{Chrome, browser_tools};
use crate::screenshots::assert_fits;
use crate::shop::{OWNER_PASSWORD, sign_in, spawn_shop};
use stockroom::demo::OWNER;

/// The demo's sold-out size of the summer dress.
const SOLD_OUT: &str = "ROBE-ETE-XL";

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

#[tokio::test]
async fn a_preorder_placed_at_zero_is_served_by_a_restock_and_the_order_says_so() {
    let Some(tools) = browser_tools("a_preorder_placed_at_zero") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let ships = Utc::now().date_naive() + TimeDelta::days(17);
    let mut promised = format!("{} {}", ships.day(), MONTHS[ships.month0() as usize]);
    if ships.year() != Utc::now().year() {
        promised.push_str(&format!(" {}", ships.year()));
    }

    // The owner opens the size's preorders on the product's form.
    let owner = chrome.session(&shop, 360, 780).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;
    let product = shop.get("/api/v1/admin/products/robe-ete").await;
    let id = product["id"].as_str().expect("an id").to_owned();
    owner
        .open(&format!("/admin#/produits/{id}"), &format!("produits/{id}"))
        .await;
    let settings = format!(".variant-item[data-sku=\"{SOLD_OUT}\"] .variant-preorder");
    owner.click(&format!("{settings} summary")).await;
    owner.click(&format!("#po-enabled-{SOLD_OUT}")).await;
    owner.fill(&format!("#po-cap-{SOLD_OUT}"), "3").await;
    owner
        .eval(&format!(
            "(() => {{ const d = document.getElementById('po-date-{SOLD_OUT}'); d.value = '{ships}'; d.dispatchEvent(new Event('change')); }})()"
        ))
        .await;
    owner
        .check_accessibility("the preorder settings, open")
        .await;
    owner.screenshot("preorder-settings").await;
    assert_fits(&owner, 360, "the product's form with its preorder settings").await;
    owner
        .click(&format!("{settings} button[type=submit]"))
        .await;
    owner.wait_toast("Précommandes de XL enregistrées.").await;
    let saved = shop.get("/api/v1/admin/products/robe-ete").await;
    let xl = saved["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .find(|v| v["sku"] == SOLD_OUT)
        .cloned()
        .expect("XL");
    assert_eq!(
        xl["preorder"],
        json!({"enabled": true, "cap": 3, "ships_by": ships.to_string(), "waiting": 0, "places_left": 3})
    );

    // A buyer on a phone preorders it.
    let buyer = chrome.session(&shop, 360, 780).await;
    buyer.open("/#/produit/robe-ete", "produit").await;
    buyer
        .click(&format!("label[for=\"size-{SOLD_OUT}\"]"))
        .await;
    assert_eq!(
        buyer.text("#add-to-cart").await,
        format!("Précommander (livraison avant le {promised})")
    );
    assert!(
        buyer
            .text("#stock-hint")
            .await
            .contains(&format!("elle vous sera livrée avant le {promised}")),
        "{}",
        buyer.text("#stock-hint").await
    );
    buyer
        .check_accessibility("a size to preorder, picked")
        .await;
    buyer.screenshot("preorder-product").await;
    buyer.click("#add-to-cart").await;
    buyer
        .wait_for(
            "document.getElementById('cart-count').textContent === '1'",
            "the preorder in the cart",
        )
        .await;
    assert_eq!(cart_count(&buyer).await, 1);
    buyer.click("#cart-link").await;
    buyer.wait_ready("panier").await;
    assert!(
        buyer
            .text(".cart-line .preorder-mark")
            .await
            .contains("Précommande")
    );
    assert_fits(&buyer, 360, "a cart with a preorder").await;
    buyer.screenshot("preorder-cart").await;
    buyer.click("#checkout").await;
    buyer.wait_ready("commande").await;
    buyer.fill("#f-name", "Awa Koné").await;
    buyer.fill("#f-phone", "07 00 00 00 41").await;
    buyer.fill("#f-address", "Cocody, Riviera 3").await;
    buyer.click("#zone-cocody").await;
    buyer.click("#place-order").await;
    buyer.wait_ready("merci").await;
    let number = buyer.text("#order-number").await;
    assert!(
        buyer
            .text(&format!(".summary-lines [data-sku=\"{SOLD_OUT}\"]"))
            .await
            .contains("précommande, en attente de l’arrivage")
    );

    // The back office lists it as waiting.
    owner.open("/admin#/precommandes", "precommandes").await;
    let panel = format!(".preorder-variant[data-sku=\"{SOLD_OUT}\"]");
    assert!(owner.text(&panel).await.contains(&number));
    assert!(owner.text(&panel).await.contains("1 article en attente"));
    assert_fits(&owner, 360, "the preorders' page").await;
    owner.screenshot("preorders-waiting").await;

    // A restock serves it before anyone else.
    let (status, answer) = shop
        .send(
            Method::POST,
            &format!("/api/v1/admin/stock/{SOLD_OUT}/restock"),
            &json!({"quantity": 2}),
            None,
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["available"], 1);
    assert_eq!(answer["allocations"][0]["quantity"], -1);

    buyer.click("#track-link").await;
    buyer.wait_ready("suivi").await;
    buyer
        .wait_for(
            &format!(
                "(document.querySelector('.summary-lines [data-sku=\"{SOLD_OUT}\"]') || {{}}).textContent?.includes('précommande arrivée')"
            ),
            "the preorder served on the order's page",
        )
        .await;
    assert_fits(&buyer, 360, "the order's page").await;
    buyer.screenshot("preorder-served").await;

    let order_id = answer["allocations"][0]["order_id"]
        .as_str()
        .expect("an order")
        .to_owned();
    owner
        .open(
            &format!("/admin#/commandes/{order_id}"),
            &format!("commandes/{order_id}"),
        )
        .await;
    let line = owner
        .text(&format!("#order-lines tr[data-sku=\"{SOLD_OUT}\"]"))
        .await;
    assert!(line.contains("Précommande"), "{line}");
    assert!(line.contains("articles reçus"), "{line}");
    owner.open("/admin#/precommandes", "precommandes").await;
    assert!(
        owner
            .text("#preorders-open")
            .await
            .contains("3 places restantes sur 3"),
        "{}",
        owner.text("#app").await
    );
    owner.assert_no_console_errors();
    buyer.assert_no_console_errors();
}

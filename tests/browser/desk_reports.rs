//! The desk's reports as the shop uses them: an order's packing slip and
//! receipt printed to PDF by Chromium (and read back with `pdftotext`), on
//! A4 and on an 80 mm ticket; the picking list of the confirmed orders; the
//! customers and a customer's page; the orders' CSV from the list. Every
//! page is checked by axe and fits a 360 px phone.

use std::process::Command;

use chromiumoxide::cdp::browser_protocol::page::PrintToPdfParams;
use reqwest::Method;
use serde_json::{Value, json};

use crate::back_office::wait_for_download;
use crate::chrome::{Chrome, Session, browser_tools};
use crate::screenshots::{assert_fits, publish};
use crate::shop::{OWNER_PASSWORD, Shop, sign_in, spawn_shop};
use crate::skip::skip;
use stockroom::demo::OWNER;

/// Places an order through the API; answers it.
async fn place(shop: &Shop, name: &str, phone: &str, lines: &[(&str, i64)], zone: &str) -> Value {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(sku, quantity)| json!({"sku": sku, "quantity": quantity}))
        .collect();
    let body = json!({
        "customer": {"name": name, "phone": phone},
        "delivery": {"address": "Rue des Jardins, Cocody\nAbidjan", "zone": zone, "pickup_number": "A-77"},
        "lines": lines,
    });
    let (status, answer) = shop.send(Method::POST, "/api/v1/orders", &body, None).await;
    assert_eq!(status, 201, "{answer}");
    answer["order"].clone()
}

async fn move_to(shop: &Shop, order: &Value, status: &str) {
    let id = order["id"].as_str().expect("an id");
    let path = format!("/api/v1/admin/orders/{id}/status");
    let (code, answer) = shop
        .send(Method::POST, &path, &json!({"status": status}), None)
        .await;
    assert_eq!(code, 200, "{answer}");
}

/// The page printed by Chromium to PDF (kept beside the screenshots as
/// `name.pdf`), as `pdftotext -layout` reads it, with the first page's size
/// in points; `None` (the test skipped) without poppler-utils.
async fn printed(session: &Session, test: &str, name: &str) -> Option<(String, (f64, f64))> {
    let params = PrintToPdfParams::builder()
        .prefer_css_page_size(true)
        .print_background(true)
        .build();
    let pdf = session
        .page
        .pdf(params)
        .await
        .expect("Chromium prints a PDF");
    let dir =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshot folder");
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).expect("the PDF is saved");
    let Ok(text) = Command::new("pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output()
    else {
        skip(
            test,
            "pdftotext is missing (apt-get install -y poppler-utils)",
        );
        return None;
    };
    let info = Command::new("pdfinfo")
        .arg(&file)
        .output()
        .expect("pdfinfo runs");
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    // "Page size:       595.92 x 842.88 pts (A4)"
    let size = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .and_then(|l| {
            let mut numbers = l.split_whitespace().filter_map(|w| w.parse::<f64>().ok());
            Some((numbers.next()?, numbers.next()?))
        })
        .expect("a page size");
    Some((String::from_utf8_lossy(&text.stdout).into_owned(), size))
}

/// Checks a page at 360 px: it fits, and axe finds nothing; back to the desktop after.
async fn on_a_phone(session: &Session, what: &str, shot: &str) {
    session.resize(360, 780).await;
    assert_fits(session, 360, what).await;
    session
        .check_accessibility(&format!("{what} at 360 px"))
        .await;
    session.screenshot(shot).await;
    session.resize(1280, 900).await;
}

#[tokio::test]
async fn the_packing_slip_and_the_receipt_print_with_the_order_number_and_each_line() {
    let test = "the_packing_slip_and_the_receipt_print";
    let Some(tools) = browser_tools(test) else {
        return;
    };
    let shop = spawn_shop().await;
    let order = place(
        &shop,
        "Aïcha Koné",
        "07 00 00 00 11",
        &[("ROBE-ETE-M", 2), ("CHEMISE-EN-LIN-BLEU-M", 1)],
        "cocody",
    )
    .await;
    let (id, number) = (
        order["id"].as_str().expect("an id"),
        order["number"].as_str().expect("a number"),
    );
    let chrome = Chrome::launch(&tools).await;
    let owner = chrome.session(&shop, 1280, 900).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;

    // The orders' CSV from the list.
    owner.open("/admin#/commandes", "commandes").await;
    owner.click("#orders-csv").await;
    let csv = wait_for_download(owner.downloads.path()).await;
    assert!(csv.starts_with("Numéro,Date,Statut,Client"), "{csv}");
    assert_eq!(csv.matches(number).count(), 2, "one row per line: {csv}");

    owner
        .open(
            &format!("/admin#/commandes/{id}"),
            &format!("commandes/{id}"),
        )
        .await;
    owner.click("#print-slip").await;
    owner.wait_ready(&format!("commandes/{id}/bordereau")).await;
    assert_fits(&owner, 1280, "the packing slip").await;
    owner.screenshot("packing-slip").await;
    let Some((slip, (width, height))) = printed(&owner, test, "packing-slip").await else {
        chrome.close().await;
        return;
    };
    assert!(
        (width - 595.0).abs() < 2.0 && (height - 842.0).abs() < 2.0,
        "A4: {width} × {height}"
    );
    for text in [
        number,
        "Bordereau de livraison",
        "Aïcha Koné",
        "A-77",
        "Cocody",
        "Akwaba Mode",
        "+225 07 00 00 00 00",
    ] {
        assert!(slip.contains(text), "the slip holds “{text}”:\n{slip}");
    }
    for (title, size) in [
        ("Robe d'été", "Taille M"),
        ("Chemise en lin", "Taille M · Bleu"),
    ] {
        let line = slip
            .lines()
            .position(|l| l.contains(title))
            .unwrap_or_else(|| panic!("{title} in:\n{slip}"));
        assert!(
            slip.lines().skip(line).take(3).any(|l| l.contains(size)),
            "{title}, {size}:\n{slip}"
        );
    }
    assert!(
        slip.contains("À encaisser à la livraison"),
        "an unpaid order's amount to collect:\n{slip}"
    );
    assert!(
        !slip.contains("Se déconnecter"),
        "the back office's header is not printed"
    );
    on_a_phone(&owner, "the packing slip", "packing-slip-360").await;

    // The ticket: 80 mm wide, and still every line.
    owner.click("input[name=paper][value=thermal]").await;
    owner.check_accessibility("the slip as a ticket").await;
    let Some((ticket, (width, _))) = printed(&owner, test, "packing-slip-ticket").await else {
        chrome.close().await;
        return;
    };
    assert!((width - 226.8).abs() < 2.0, "80 mm is 226.8 pt: {width}");
    assert!(
        ticket.contains(number)
            && ticket.contains("Robe d'été")
            && ticket.contains("Chemise en lin"),
        "{ticket}"
    );
    on_a_phone(&owner, "the slip as a ticket", "packing-slip-ticket-360").await;

    // The receipt, once paid by Wave, on the paper last chosen.
    let paid =
        json!({"status": "paid", "method": "wave", "amount": order["total"], "reference": "WV-42"});
    let (status, _) = shop
        .send(
            Method::POST,
            &format!("/api/v1/admin/orders/{id}/payment"),
            &paid,
            None,
        )
        .await;
    assert_eq!(status, 200);
    owner
        .open(
            &format!("/admin#/commandes/{id}/recu"),
            &format!("commandes/{id}/recu"),
        )
        .await;
    owner.click("input[name=paper][value=a4]").await;
    let Some((receipt, _)) = printed(&owner, test, "receipt").await else {
        chrome.close().await;
        return;
    };
    for text in [
        number,
        "Reçu",
        "Payée par Wave",
        "WV-42",
        "42 000 FCFA",
        "43 500 FCFA",
        "1 500 FCFA",
    ] {
        assert!(
            receipt.replace('\u{a0}', " ").contains(text),
            "the receipt holds “{text}”:\n{receipt}"
        );
    }
    owner.screenshot("receipt").await;
    on_a_phone(&owner, "the receipt", "receipt-360").await;
    owner.assert_no_console_errors();
    chrome.close().await;
}

/// The picking list's rows as `(sku, quantity, orders)`.
async fn picking_rows(session: &Session) -> Vec<(String, i64, String)> {
    let rows = session
        .eval("[...document.querySelectorAll('#picking tbody tr')].map(tr => [tr.dataset.sku, tr.querySelector('.picking-qty').textContent, tr.querySelector('.picking-orders').textContent])")
        .await;
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r[0].as_str().expect("a sku").to_owned(),
                r[1].as_str()
                    .and_then(|q| q.parse().ok())
                    .expect("a quantity"),
                r[2].as_str().expect("numbers").to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_picking_list_of_every_confirmed_order_matches_their_lines() {
    let Some(tools) = browser_tools("a_picking_list_of_every_confirmed_order") else {
        return;
    };
    let shop = spawn_shop().await;
    let first = place(
        &shop,
        "Awa",
        "0700000021",
        &[("ROBE-ETE-M", 1), ("T-SHIRT-COTON-BIO-L", 2)],
        "boutique",
    )
    .await;
    let second = place(
        &shop,
        "Binta",
        "0700000022",
        &[
            ("ROBE-ETE-M", 2),
            ("CHEMISE-EN-LIN-BLANC-L", 1),
            ("ROBE-ETE-S", 1),
        ],
        "plateau",
    )
    .await;
    let pending = place(
        &shop,
        "Chloé",
        "0700000023",
        &[("JUPE-PLISSEE-M", 1)],
        "cocody",
    )
    .await;
    for order in [&first, &second] {
        move_to(&shop, order, "confirmed").await;
    }
    let chrome = Chrome::launch(&tools).await;
    let owner = chrome.session(&shop, 1280, 900).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;
    owner.click("#admin-nav a[href=\"#/commandes\"]").await;
    owner.wait_ready("commandes").await;
    owner.click(".desk-tabs a[href=\"#/preparation\"]").await;
    owner.wait_ready("preparation").await;

    // Every line of the confirmed orders, summed per sku, as the API lists them.
    let confirmed = shop.get("/api/v1/admin/orders?status=confirmed").await;
    let mut expected: std::collections::BTreeMap<String, i64> = Default::default();
    for order in confirmed["orders"].as_array().expect("orders") {
        for line in order["lines"].as_array().expect("lines") {
            *expected
                .entry(line["sku"].as_str().expect("a sku").to_owned())
                .or_default() += line["quantity"].as_i64().expect("a quantity");
        }
    }
    let rows = picking_rows(&owner).await;
    let shown: std::collections::BTreeMap<String, i64> =
        rows.iter().map(|(sku, q, _)| (sku.clone(), *q)).collect();
    assert_eq!(shown, expected);
    let skus: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        skus,
        [
            "CHEMISE-EN-LIN-BLANC-L",
            "ROBE-ETE-S",
            "ROBE-ETE-M",
            "T-SHIRT-COTON-BIO-L"
        ],
        "by product, then the product's own order of sizes"
    );
    let number = |o: &Value| o["number"].as_str().expect("a number").to_owned();
    let dress = rows
        .iter()
        .find(|r| r.0 == "ROBE-ETE-M")
        .expect("the dress in M");
    assert_eq!(dress.2, format!("{}, {}", number(&first), number(&second)));
    assert_eq!(
        owner.text("#picking-summary strong").await,
        "Confirmées : 7 articles pour 2 commandes"
    );
    assert!(!rows.iter().any(|r| r.2.contains(&number(&pending))));
    assert_fits(&owner, 1280, "the picking list").await;
    publish(
        &owner.screenshot_window("picking-list").await,
        "picking-list",
    );
    let test = "a_picking_list_of_every_confirmed_order";
    if let Some((paper, _)) = printed(&owner, test, "picking-list").await {
        for (sku, _, numbers) in &rows {
            assert!(
                paper.contains(sku.as_str()) && paper.contains(numbers.as_str()),
                "{sku}, {numbers}:\n{paper}"
            );
        }
        assert!(
            paper.contains("Liste de préparation") && !paper.contains("Afficher"),
            "{paper}"
        );
    }

    // The orders still to handle bring in the pending one.
    owner
        .eval("document.querySelector('#p-status').value = 'to_handle'")
        .await;
    owner.click("#picking-filters button[type=submit]").await;
    owner
        .wait_for(
            "location.hash === '#/preparation?status=to_handle'",
            "the list of every order to handle",
        )
        .await;
    owner.wait_ready("preparation").await;
    let rows = picking_rows(&owner).await;
    assert!(
        rows.iter()
            .any(|r| r.0 == "JUPE-PLISSEE-M" && r.2 == number(&pending)),
        "{rows:?}"
    );

    on_a_phone(&owner, "the picking list", "picking-list-360").await;
    owner.assert_no_console_errors();
    chrome.close().await;
}

#[tokio::test]
async fn the_customers_page_lists_a_customer_and_opens_her_page_and_orders() {
    let Some(tools) = browser_tools("the_customers_page_lists_a_customer") else {
        return;
    };
    let shop = spawn_shop().await;
    let first = place(
        &shop,
        "Aïcha Traoré",
        "07 00 00 00 31",
        &[("ROBE-ETE-S", 1)],
        "cocody",
    )
    .await;
    let second = place(
        &shop,
        "Aïcha T.",
        "+2250700000031",
        &[("T-SHIRT-COTON-BIO-M", 2)],
        "boutique",
    )
    .await;
    place(
        &shop,
        "Binta",
        "0700000032",
        &[("JUPE-PLISSEE-S", 1)],
        "plateau",
    )
    .await;
    let chrome = Chrome::launch(&tools).await;
    let owner = chrome.session(&shop, 1280, 900).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;
    owner.click("#admin-nav a[href=\"#/commandes\"]").await;
    owner.wait_ready("commandes").await;
    owner.click(".desk-tabs a[href=\"#/clients\"]").await;
    owner.wait_ready("clients").await;
    let phones = owner
        .eval("[...document.querySelectorAll('#customers tbody tr')].map(tr => tr.dataset.phone)")
        .await;
    assert_eq!(phones, json!(["+2250700000032", "+2250700000031"]));
    assert_fits(&owner, 1280, "the customers").await;
    publish(&owner.screenshot_window("customers").await, "customers");

    owner.fill("#c-q", "aicha").await;
    owner.click("#customer-search button[type=submit]").await;
    owner
        .wait_for("location.hash === '#/clients?q=aicha'", "the search")
        .await;
    owner.wait_ready("clients").await;
    let row = owner.text("#customers tbody tr").await;
    assert!(
        row.contains("Aïcha T.") && row.contains("2 commandes") && row.contains("3"),
        "{row}"
    );
    on_a_phone(&owner, "the customers", "customers-360").await;

    owner.click("#customers .customer-link").await;
    owner.wait_ready("clients/+2250700000031").await;
    assert_eq!(owner.text("#customer-phone").await, "+2250700000031");
    assert_eq!(owner.text("#figure-orders dd").await, "2 commandes");
    assert_eq!(owner.text("#figure-units dd").await, "3");
    let total =
        first["total"].as_i64().expect("a total") + second["total"].as_i64().expect("a total");
    assert_eq!(
        owner.text("#figure-spent dd").await.replace('\u{a0}', " "),
        format!("{} {:03} FCFA", total / 1000, total % 1000)
    );
    let numbers = owner
        .eval("[...document.querySelectorAll('#customer-orders tbody tr .order-link')].map(a => a.textContent)")
        .await;
    assert_eq!(numbers, json!([second["number"], first["number"]]));
    assert_fits(&owner, 1280, "a customer's page").await;
    owner.screenshot("customer").await;
    on_a_phone(&owner, "a customer's page", "customer-360").await;

    owner.click("#customer-orders .order-link").await;
    let id = second["id"].as_str().expect("an id");
    owner.wait_ready(&format!("commandes/{id}")).await;
    owner.assert_no_console_errors();
    chrome.close().await;
}

#[tokio::test]
async fn the_checkout_asks_for_the_pickup_number_once_the_owner_requires_it() {
    let Some(tools) = browser_tools("the_checkout_asks_for_the_pickup_number") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let owner = chrome.session(&shop, 1280, 900).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;
    owner.open("/admin#/reglages", "reglages").await;
    owner.click("#s-pickup").await;
    owner.click("#settings-form button[type=submit]").await;
    owner.wait_toast("Réglages enregistrés.").await;
    assert_eq!(
        shop.get("/api/v1/admin/settings").await["pickup_number_required"],
        true
    );

    let buyer = chrome.session(&shop, 1280, 900).await;
    crate::buyer::cart_to_checkout(&buyer, "robe-ete", "ROBE-ETE-M", 1).await;
    assert_eq!(
        buyer.text("label[for=f-pickup]").await,
        "Numéro de retrait *"
    );
    let who = crate::buyer::Buyer {
        name: "Awa",
        phone: "0700000041",
        address: Some("Cocody"),
        zone: "cocody",
    };
    crate::buyer::fill_checkout(&buyer, &who).await;
    // Leaving the empty pickup number for the zone shows its error above
    // the zones as the click lands: the buyer clicks her zone again.
    buyer.click("#zone-cocody").await;
    buyer.click("#place-order").await;
    buyer
        .wait_for(
            "document.getElementById('f-pickup-error').textContent.includes('numéro de retrait')",
            "the missing pickup number",
        )
        .await;
    on_a_phone(
        &buyer,
        "the checkout with its missing pickup number",
        "checkout-pickup-360",
    )
    .await;
    assert_eq!(shop.order_count().await, 0);
    buyer.fill("#f-pickup", "B-12").await;
    buyer.click("#place-order").await;
    buyer.wait_ready("merci").await;
    let orders = shop.get("/api/v1/admin/orders").await;
    assert_eq!(orders["orders"][0]["delivery"]["pickup_number"], "B-12");
    buyer.assert_no_console_errors();
    owner.assert_no_console_errors();
    chrome.close().await;
}

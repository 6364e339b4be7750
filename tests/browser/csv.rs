//! Import and export in the back office, as the owner uses it: the catalog
//! downloaded with its stock, changed in a "spreadsheet" (a line added, a
//! level changed), checked by a dry run that writes nothing, then applied;
//! a file with a bad line shows that line; the page fits a phone.

use crate::back_office::wait_for_download;
use crate::chrome::{Chrome, Session, browser_tools};
use crate::screenshots::assert_fits;
use crate::shop::{OWNER_PASSWORD, sign_in, spawn_shop};
use stockroom::demo::OWNER;

/// Puts a file holding `text` in the page's file input, as choosing it would.
async fn choose_file(page: &Session, text: &str) {
    let text = serde_json::to_string(text).expect("JSON");
    page.eval(&format!(
        "(() => {{ const dt = new DataTransfer(); \
         dt.items.add(new File([{text}], 'catalogue.csv', {{ type: 'text/csv' }})); \
         document.getElementById('csv-file').files = dt.files; return true; }})()"
    ))
    .await;
}

/// The number a dry run's or an import's answer shows for `count`.
async fn count(page: &Session, count: &str) -> String {
    page.text(&format!("#csv-result li[data-count=\"{count}\"] strong"))
        .await
}

#[tokio::test]
async fn the_owner_exports_the_catalog_checks_a_changed_file_then_applies_it() {
    let Some(tools) = browser_tools("the_owner_exports_the_catalog") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let owner = chrome.session(&shop, 1280, 900).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;
    owner.click("#admin-nav a[href=\"#/csv\"]").await;
    owner.wait_ready("csv").await;
    owner
        .check_accessibility("the import and export page")
        .await;

    // The catalog with its stock, French headers.
    owner.click("#csv-stock").await;
    owner.click("#export-catalog").await;
    let exported = wait_for_download(owner.downloads.path()).await;
    assert!(
        exported.starts_with("Identifiant,Produit,Catégorie"),
        "{exported}"
    );
    let mut reader = ::csv::Reader::from_reader(exported.as_bytes());
    let mut rows: Vec<::csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let first = rows
        .iter_mut()
        .find(|r| r[0] == *"jupe-plissee")
        .expect("the skirt's first size");
    let sku = first[10].to_owned();
    let before = shop.available(&sku).await;
    let mut changed: Vec<String> = first.iter().map(str::to_owned).collect();
    changed[11] = (before + 7).to_string();
    *first = ::csv::StringRecord::from(changed);
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    writer
        .write_record(reader.headers().expect("headers"))
        .expect("written");
    for row in &rows {
        writer.write_record(row).expect("written");
    }
    writer
        .write_record([
            "chapeau",
            "Chapeau de paille",
            "accessoires",
            "",
            "6000",
            "",
            "",
            "Actif",
            "TU",
            "",
            "",
            "4",
        ])
        .expect("written");
    let file = String::from_utf8(writer.into_inner().expect("a file")).expect("UTF-8");

    // The dry run shows the change and writes nothing.
    choose_file(&owner, &file).await;
    owner.click("#csv-check").await;
    owner
        .wait_for(
            "!!document.getElementById('csv-ready')",
            "the dry run's answer",
        )
        .await;
    assert_eq!(count(&owner, "created").await, "1");
    assert_eq!(count(&owner, "stock_changes").await, "1");
    owner.check_accessibility("the dry run's answer").await;
    owner.screenshot("admin-csv-dry-run").await;
    assert_eq!(
        shop.available(&sku).await,
        before,
        "a dry run writes nothing"
    );

    // Applied.
    owner.click("#csv-apply").await;
    owner
        .wait_for(
            "!!document.getElementById('csv-applied')",
            "the import applied",
        )
        .await;
    assert_eq!(shop.available(&sku).await, before + 7);
    assert_eq!(shop.available("CHAPEAU-TU").await, 4);

    // A file with a bad price: its line is named, nothing applied.
    let bad = file.replace(",6000,", ",six mille,");
    choose_file(&owner, &bad).await;
    owner.click("#csv-check").await;
    owner
        .wait_for(
            "!!document.getElementById('csv-refused')",
            "the refused lines",
        )
        .await;
    let line = rows.len() + 2;
    let named = owner
        .text(&format!("#csv-errors tr[data-line=\"{line}\"]"))
        .await;
    assert!(
        named.contains("Prix") && named.contains("six mille"),
        "{named}"
    );
    assert!(
        owner
            .eval("!document.getElementById('csv-apply')")
            .await
            .as_bool()
            .unwrap_or(false)
    );
    owner.check_accessibility("the refused lines").await;

    // On a phone.
    owner.resize(360, 780).await;
    assert_fits(&owner, 360, "the import page with refused lines").await;
    owner.assert_no_console_errors();
    chrome.close().await;
}

//! Photos as the owner adds them and a buyer sees them: chosen in the
//! back office's file input (several at once), described, moved, one
//! deleted after a confirmation; then the storefront's gallery on a phone,
//! and the photo in the list of products.

use std::path::PathBuf;

use crate::chrome::{Chrome, browser_tools};
use crate::photos::{PALETTES, fabric, jpeg_with_gps};
use crate::screenshots::assert_fits;
use crate::shop::{OWNER_PASSWORD, sign_in, spawn_shop};
use stockroom::demo::OWNER;

/// Photo files as a phone leaves them on disk; the first carries EXIF and GPS.
fn photo_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files = vec![dir.join("IMG_0001.jpg")];
    std::fs::write(&files[0], jpeg_with_gps(900, 600)).expect("a photo is written");
    for (i, palette) in PALETTES.iter().enumerate() {
        let path = dir.join(format!("IMG_000{}.jpg", i + 2));
        std::fs::write(&path, fabric(800, 800, *palette)).expect("a photo is written");
        files.push(path);
    }
    files
}

#[tokio::test]
async fn the_owner_adds_photos_and_a_buyer_sees_them_in_the_gallery() {
    let Some(tools) = browser_tools("the_owner_adds_photos") else {
        return;
    };
    let shop = spawn_shop().await;
    let chrome = Chrome::launch(&tools).await;
    let owner = chrome.session(&shop, 1280, 900).await;
    sign_in(&owner, OWNER, OWNER_PASSWORD).await;
    let folder = tempfile::tempdir().expect("a folder");
    let files = photo_files(folder.path());

    // Four photos chosen at once, sent one after the other.
    owner
        .open("/admin#/produits/robe-ete", "produits/robe-ete")
        .await;
    owner.set_files("#photo-files", &files).await;
    owner.wait_toast("4 photos ajoutées.").await;
    owner
        .wait_for(
            "document.querySelectorAll('#photo-list .photo-item').length === 4",
            "four photos in the list",
        )
        .await;
    owner.check_accessibility("a product's photos").await;

    // The phone's photo goes (after a confirmation), a fabric is described
    // and moved first.
    owner
        .click(".photo-item[data-position=\"0\"] .photo-delete")
        .await;
    owner
        .check_accessibility("the confirmation of a deletion")
        .await;
    owner.click("dialog [data-confirm=yes]").await;
    owner.wait_toast("Photo 1 supprimée.").await;
    owner
        .wait_for(
            "document.querySelectorAll('#photo-list .photo-item').length === 3",
            "three photos left",
        )
        .await;
    owner
        .fill("#photo-alt-1", "Robe d'été en wax vert et or, de face")
        .await;
    owner
        .wait_toast("Description de la photo 2 enregistrée.")
        .await;
    owner
        .click(".photo-item[data-position=\"1\"] .move:first-of-type")
        .await;
    owner.wait_toast("Photo 2 déplacée.").await;
    owner
        .wait_for(
            "document.querySelector('.photo-item[data-position=\"0\"] img')?.alt === \"Robe d'été en wax vert et or, de face\"",
            "the described photo first",
        )
        .await;
    owner.resize(360, 780).await;
    assert_fits(&owner, 360, "a product's photos").await;
    owner
        .check_accessibility("a product's photos on a phone")
        .await;
    owner.screenshot("admin-photos-phone").await;

    // A buyer on a phone: the list shows the first photo's thumbnail, the
    // product page the gallery.
    let buyer = chrome.session(&shop, 360, 780).await;
    buyer.open("/", "home").await;
    buyer
        .wait_for(
            "document.querySelector('.card[data-slug=\"robe-ete\"] img')?.getAttribute('src').startsWith('/media/')",
            "the dress's photo in the list",
        )
        .await;
    buyer.open("/#/produit/robe-ete", "produit").await;
    let main = buyer
        .wait_for(
            "document.querySelector('#gallery-main')?.complete && document.querySelector('#gallery-main').naturalWidth > 0 && document.querySelector('#gallery-main').getAttribute('src')",
            "the gallery's large photo",
        )
        .await;
    assert!(
        main.as_str().is_some_and(|src| src.starts_with("/media/")),
        "{main}"
    );
    assert_eq!(
        buyer
            .eval("document.querySelector('#gallery-main').alt")
            .await,
        "Robe d'été en wax vert et or, de face"
    );
    assert_eq!(
        buyer
            .eval("document.querySelectorAll('.gallery-thumbs button').length")
            .await,
        3
    );
    buyer.click(".gallery-thumbs li:nth-child(2) button").await;
    buyer
        .wait_for(
            "document.querySelector('#gallery-main').getAttribute('src') !== document.querySelector('.gallery-thumbs li:first-child img').getAttribute('src') && document.querySelector('.gallery-thumbs li:nth-child(2) button').getAttribute('aria-pressed') === 'true'",
            "the second photo shown",
        )
        .await;
    let shown = buyer
        .eval("document.querySelector('#gallery-main').getAttribute('src')")
        .await;
    assert_ne!(shown, main);
    assert_fits(&buyer, 360, "the gallery").await;
    buyer.check_accessibility("the gallery").await;
    buyer.screenshot("product-gallery-phone").await;

    for session in [&owner, &buyer] {
        session.assert_no_console_errors();
    }
    chrome.close().await;
}

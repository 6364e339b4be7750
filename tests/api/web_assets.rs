//! The pages' files on a slow mobile network: compressed (brotli or gzip,
//! as the client takes them), every asset under a name that changes with
//! its content and kept for good, the pages revalidated with a bodiless
//! 304, and the plain names still served.

use std::io::Read;
use std::time::{Duration, Instant};

use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, ETAG, IF_NONE_MATCH, VARY,
};
use reqwest::{Method, Response, StatusCode};

use crate::helpers::{TestApp, spawn_app};

async fn fetch(app: &TestApp, path: &str, encodings: Option<&str>) -> Response {
    let mut request = app.request(Method::GET, path);
    if let Some(encodings) = encodings {
        request = request.header(ACCEPT_ENCODING, encodings);
    }
    request.send().await.expect("sent")
}

fn header(response: &Response, name: reqwest::header::HeaderName) -> String {
    response
        .headers()
        .get(&name)
        .map(|v| v.to_str().expect("text").to_owned())
        .unwrap_or_default()
}

/// The addresses of the page's scripts, styles and preloaded modules.
fn linked_assets(html: &str) -> Vec<String> {
    html.match_indices("=\"/assets/")
        .map(|(at, _)| {
            let rest = &html[at + 2..];
            rest[..rest.find('"').expect("a closing quote")].to_owned()
        })
        .collect()
}

#[tokio::test]
async fn the_storefront_names_hashed_assets_that_are_kept_for_good() {
    let app = spawn_app().await;
    let page = fetch(&app, "/", None).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(header(&page, CACHE_CONTROL), "no-cache");
    let html = page.text().await.expect("the page");
    let assets = linked_assets(&html);
    assert!(
        assets
            .iter()
            .any(|a| a.starts_with("/assets/shop.") && a.ends_with(".js")),
        "{assets:?}"
    );
    assert!(
        assets
            .iter()
            .filter(|a| html.contains(&format!("rel=\"modulepreload\" href=\"{a}\"")))
            .count()
            >= 5,
        "the modules the page imports are preloaded: {html}"
    );
    for asset in &assets {
        let name = asset.rsplit('/').next().expect("a name");
        let hash = name.split('.').nth(1).expect("a hash in the name");
        assert!(
            hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{asset}"
        );
        let answer = fetch(&app, asset, Some("gzip, deflate, br")).await;
        assert_eq!(answer.status(), StatusCode::OK, "{asset}");
        assert_eq!(
            header(&answer, CACHE_CONTROL),
            "public, max-age=31536000, immutable",
            "{asset}"
        );
    }
    // The plain names of older pages still work, revalidated on every use.
    let plain = fetch(&app, "/assets/shop.js", None).await;
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(header(&plain, CACHE_CONTROL), "no-cache");
    let unknown = fetch(&app, "/assets/shop.00000000.js", None).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn each_file_comes_in_the_encoding_the_client_takes_and_decodes_to_the_same_bytes() {
    let app = spawn_app().await;
    let plain = fetch(&app, "/assets/style.css", None).await;
    assert_eq!(header(&plain, CONTENT_ENCODING), "");
    assert_eq!(header(&plain, VARY), "accept-encoding");
    let plain = plain.bytes().await.expect("the style").to_vec();

    // brotli's copies are made on a thread of their own after start-up;
    // meanwhile the files go out gzipped.
    let started = Instant::now();
    let br = loop {
        let answer = fetch(&app, "/assets/style.css", Some("gzip, deflate, br")).await;
        let encoding = header(&answer, CONTENT_ENCODING);
        if encoding == "br" {
            break answer;
        }
        assert_eq!(encoding, "gzip", "gzipped until brotli's copy is made");
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "brotli's copies made within a minute of start-up"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(header(&br, VARY), "accept-encoding");
    let br = br.bytes().await.expect("brotli").to_vec();
    let mut unpacked = Vec::new();
    brotli::Decompressor::new(&br[..], 4096)
        .read_to_end(&mut unpacked)
        .expect("brotli decodes");
    assert_eq!(unpacked, plain);
    assert!(
        br.len() * 3 < plain.len(),
        "{} → {} bytes",
        plain.len(),
        br.len()
    );

    let gzip = fetch(&app, "/assets/style.css", Some("gzip;q=1, br;q=0")).await;
    assert_eq!(header(&gzip, CONTENT_ENCODING), "gzip");
    let gzip = gzip.bytes().await.expect("gzip").to_vec();
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&gzip[..])
        .read_to_end(&mut unpacked)
        .expect("gzip decodes");
    assert_eq!(unpacked, plain);
}

#[tokio::test]
async fn a_page_unchanged_since_the_last_visit_is_a_bodiless_304() {
    let app = spawn_app().await;
    for path in ["/", "/admin"] {
        let first = fetch(&app, path, Some("br")).await;
        let etag = header(&first, ETAG);
        assert!(etag.starts_with('"'), "{etag}");
        let again = app
            .request(Method::GET, path)
            .header(ACCEPT_ENCODING, "br")
            .header(IF_NONE_MATCH, &etag)
            .send()
            .await
            .expect("sent");
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(header(&again, ETAG), etag);
        assert!(again.bytes().await.expect("a body").is_empty());
        let changed = app
            .request(Method::GET, path)
            .header(IF_NONE_MATCH, "\"0000000000\"")
            .send()
            .await
            .expect("sent");
        assert_eq!(changed.status(), StatusCode::OK, "{path}");
    }
}

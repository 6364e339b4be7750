//! A product's photos: uploaded as real files made here (a phone's JPEG
//! with its EXIF and GPS, a decompression bomb, files that are not images),
//! served without their metadata under immutable cache headers, moved,
//! described, deleted, capped; on either database.

use std::time::{Duration, Instant};

use reqwest::{Method, Response, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::photos::{
    GPS_MARKER, Part, find, form, jpeg, jpeg_with_gps, png, png_bomb, webp_half_transparent,
};

const IMAGES_PER_PRODUCT_MAX: usize = 12;

/// A dress to photograph; its id.
async fn dress(app: &TestApp) -> String {
    let product = app
        .create_product(&json!({
            "slug": "robe-ete", "title": "Robe d'été", "price": 15000,
            "image_url": "/assets/demo/robe.svg",
            "variants": [{"size": "M", "stock": 5}]
        }))
        .await;
    product["id"].as_str().expect("an id").to_owned()
}

async fn upload(app: &TestApp, product: &str, parts: &[Part<'_>]) -> Response {
    let (content_type, body) = form(parts);
    app.admin(
        Method::POST,
        &format!("/api/v1/admin/products/{product}/images"),
    )
    .header(header::CONTENT_TYPE, content_type)
    .body(body)
    .send()
    .await
    .expect("sent")
}

/// Uploads `bytes` as `photo.jpg` with `alt`; the image answered.
async fn uploaded(app: &TestApp, product: &str, bytes: &[u8], alt: &str) -> Value {
    let response = upload(
        app,
        product,
        &[
            Part::File("photo.jpg", "image/jpeg", bytes),
            Part::Text("alt", alt),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("an image")
}

async fn patch(app: &TestApp, product: &str, n: usize, body: &Value) -> Response {
    app.admin(
        Method::PATCH,
        &format!("/api/v1/admin/products/{product}/images/{n}"),
    )
    .json(body)
    .send()
    .await
    .expect("sent")
}

async fn delete(app: &TestApp, product: &str, n: usize) -> Response {
    app.admin(
        Method::DELETE,
        &format!("/api/v1/admin/products/{product}/images/{n}"),
    )
    .send()
    .await
    .expect("sent")
}

/// The alt texts of the product's photos, in gallery order, as buyers see them.
async fn alts(app: &TestApp) -> Vec<String> {
    let product: Value = app
        .product("robe-ete")
        .await
        .json()
        .await
        .expect("a product");
    product["images"]
        .as_array()
        .expect("images")
        .iter()
        .map(|i| i["alt"].as_str().expect("an alt").to_owned())
        .collect()
}

async fn bytes_of(app: &TestApp, url: &str) -> Vec<u8> {
    let response = app.get(url).await;
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    response.bytes().await.expect("bytes").to_vec()
}

#[tokio::test]
async fn a_phones_jpeg_is_served_upright_without_its_exif_or_gps() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let original = jpeg_with_gps(64, 32);
    assert!(find(&original, b"Exif").is_some() && find(&original, GPS_MARKER).is_some());

    let image = uploaded(&app, &id, &original, "Robe d'été, de face").await;

    let url = image["url"].as_str().expect("a url");
    let thumbnail = image["thumbnail_url"].as_str().expect("a thumbnail");
    assert!(url.starts_with("/media/") && url.ends_with(".jpg"), "{url}");
    assert_eq!(image["alt"], "Robe d'été, de face");
    for served in [bytes_of(&app, url).await, bytes_of(&app, thumbnail).await] {
        assert!(
            find(&served, b"Exif").is_none(),
            "EXIF left in the served file"
        );
        assert!(
            find(&served, GPS_MARKER).is_none(),
            "GPS left in the served file"
        );
        // Orientation 6 (a quarter turn clockwise) was applied: 64 × 32 became 32 × 64.
        let decoded = image::load_from_memory(&served).expect("a served image decodes");
        assert_eq!((decoded.width(), decoded.height()), (32, 64));
    }
    let product: Value = app
        .product("robe-ete")
        .await
        .json()
        .await
        .expect("a product");
    assert_eq!(product["images"], json!([image]));
    assert_eq!(product["image_url"], "/assets/demo/robe.svg");
    let listed: Value = app
        .get("/api/v1/products")
        .await
        .json()
        .await
        .expect("a list");
    assert_eq!(listed["products"][0]["images"], json!([image]));
    let (admin_view, _) = app.admin_product(&id).await;
    assert_eq!(admin_view["images"], json!([image]));
}

#[tokio::test]
async fn a_large_photo_is_scaled_to_1600_and_its_thumbnail_to_400() {
    let app = spawn_app().await;
    let id = dress(&app).await;

    let image = uploaded(&app, &id, &png(2400, 1200), "").await;

    let large = bytes_of(&app, image["url"].as_str().expect("a url")).await;
    let small = bytes_of(&app, image["thumbnail_url"].as_str().expect("a url")).await;
    let large = image::load_from_memory(&large).expect("a jpeg");
    let small = image::load_from_memory(&small).expect("a jpeg");
    assert_eq!((large.width(), large.height()), (1600, 800));
    assert_eq!((small.width(), small.height()), (400, 200));
}

#[tokio::test]
async fn a_transparent_webp_is_stored_as_a_jpeg_on_white() {
    let app = spawn_app().await;
    let id = dress(&app).await;

    let response = upload(
        &app,
        &id,
        &[Part::File(
            "fond.webp",
            "image/webp",
            &webp_half_transparent(40, 20),
        )],
    )
    .await;

    assert_eq!(response.status(), StatusCode::CREATED);
    let image: Value = response.json().await.expect("an image");
    let served = bytes_of(&app, image["url"].as_str().expect("a url")).await;
    let decoded = image::load_from_memory(&served).expect("a jpeg").to_rgb8();
    assert_eq!(
        image::guess_format(&served).ok(),
        Some(image::ImageFormat::Jpeg)
    );
    let [r, g, b] = decoded.get_pixel(2, 10).0;
    assert!(
        r > 240 && g > 240 && b > 240,
        "transparent is white: {r} {g} {b}"
    );
    let [r, g, _] = decoded.get_pixel(37, 10).0;
    assert!(r < 60 && g > 80, "the green half stays green: {r} {g}");
}

#[tokio::test]
async fn media_is_immutable_with_its_hash_as_etag_and_304_when_held() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let image = uploaded(&app, &id, &jpeg(40, 40), "").await;
    let url = image["url"].as_str().expect("a url");
    let hash = url.trim_start_matches("/media/").trim_end_matches(".jpg");

    let first = app.get(url).await;
    let headers = first.headers().clone();
    let again = app
        .request(Method::GET, url)
        .header(header::IF_NONE_MATCH, format!("\"{hash}\""))
        .send()
        .await
        .expect("sent");
    let unknown = app.get(&format!("/media/{}.jpg", "0".repeat(64))).await;
    let not_a_name = app.get("/media/robe.svg").await;

    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(headers[header::ETAG], format!("\"{hash}\"").as_str());
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    use sha2::Digest;
    let body = first.bytes().await.expect("bytes");
    assert_eq!(hex::encode(sha2::Sha256::digest(&body)), hash);
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        again.headers()[header::ETAG],
        format!("\"{hash}\"").as_str()
    );
    assert!(again.bytes().await.expect("bytes").is_empty());
    app.problem(unknown, StatusCode::NOT_FOUND, "not_found")
        .await;
    app.problem(not_a_name, StatusCode::NOT_FOUND, "not_found")
        .await;
}

#[tokio::test]
async fn a_decompression_bomb_is_refused_at_once_by_its_header() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let bomb = png_bomb(50_000);
    assert!(bomb.len() < 8 * 1024, "a few kilobytes: {}", bomb.len());

    let started = Instant::now();
    let response = upload(&app, &id, &[Part::File("bombe.png", "image/png", &bomb)]).await;
    let took = started.elapsed();

    let problem = app
        .problem(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    let detail = problem["detail"].as_str().expect("a detail");
    assert!(
        detail.starts_with("L'image est trop grande : 50000 × 50000 pixels (au plus 8000"),
        "{detail}"
    );
    // 7.5 GB were never allocated: the answer came at once.
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert!(alts(&app).await.is_empty());
}

#[tokio::test]
async fn files_that_are_not_photos_are_refused_by_their_content_whatever_their_name() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n".to_vec();
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#;
    let whole = jpeg(200, 200);
    let truncated = &whole[..whole.len() / 2];
    let not_an_image = "Ce fichier n'est pas une image JPEG, PNG ou WebP.";

    for (name, claimed, bytes, detail) in [
        ("facture.jpg", "image/jpeg", pdf.as_slice(), not_an_image),
        ("logo.svg", "image/svg+xml", svg.as_slice(), not_an_image),
        ("photo.png", "image/png", b"".as_slice(), not_an_image),
        (
            "photo.jpg",
            "image/jpeg",
            truncated,
            "L'image est illisible ou tronquée.",
        ),
    ] {
        let response = upload(&app, &id, &[Part::File(name, claimed, bytes)]).await;
        let problem = app
            .problem(
                response,
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            )
            .await;
        assert_eq!(problem["detail"], detail, "{name}");
    }
    let english = app
        .admin(Method::POST, &format!("/api/v1/admin/products/{id}/images"))
        .header(header::ACCEPT_LANGUAGE, "en")
        .header(
            header::CONTENT_TYPE,
            form(&[Part::File("f.jpg", "image/jpeg", &pdf)]).0,
        )
        .body(form(&[Part::File("f.jpg", "image/jpeg", &pdf)]).1)
        .send()
        .await
        .expect("sent");
    let problem = app
        .problem(
            english,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    assert_eq!(
        problem["detail"],
        "This file is not a JPEG, PNG or WebP image."
    );
    assert!(alts(&app).await.is_empty());
}

#[tokio::test]
async fn a_file_over_10_mib_is_413_and_a_form_without_a_file_or_not_a_form_is_refused() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let big = vec![0xab_u8; 11 * 1024 * 1024];

    let too_large = upload(&app, &id, &[Part::File("grande.jpg", "image/jpeg", &big)]).await;
    let no_file = upload(&app, &id, &[Part::Text("alt", "Robe")]).await;
    let json_body = app
        .admin_post(
            &format!("/api/v1/admin/products/{id}/images"),
            &json!({"file": "x"}),
        )
        .await;
    let unknown = upload(
        &app,
        "robe-hiver",
        &[Part::File("p.jpg", "image/jpeg", &jpeg(8, 8))],
    )
    .await;
    let long_alt = "a".repeat(301);
    let alt_too_long = upload(
        &app,
        &id,
        &[
            Part::File("p.jpg", "image/jpeg", &jpeg(8, 8)),
            Part::Text("alt", &long_alt),
        ],
    )
    .await;

    let problem = app
        .problem(
            too_large,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        )
        .await;
    assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()));
    let problem = app
        .problem(
            no_file,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    assert_eq!(problem["detail"], "Le champ « file » est obligatoire.");
    app.problem(
        json_body,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    app.problem(unknown, StatusCode::NOT_FOUND, "not_found")
        .await;
    let problem = app
        .problem(
            alt_too_long,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    assert_eq!(
        problem["detail"],
        "Le champ « alt » dépasse 300 caractères."
    );
    assert!(alts(&app).await.is_empty());
}

#[tokio::test]
async fn a_file_just_under_the_limit_passes_the_body_limit_that_json_has() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    // Far over the 64 KiB of JSON bodies, well under 10 MiB: the upload
    // route has its own limit.
    let noisy = image::RgbImage::from_fn(600, 600, |x, y| {
        image::Rgb([(x * 7 + y * 13) as u8, (x * y) as u8, (x ^ y) as u8])
    });
    let mut bytes = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut bytes),
        noisy.as_raw(),
        600,
        600,
        image::ExtendedColorType::Rgb8,
    )
    .expect("a png");
    assert!(bytes.len() > 64 * 1024, "{}", bytes.len());

    uploaded(&app, &id, &bytes, "").await;
}

#[tokio::test]
async fn photos_are_described_moved_and_deleted_and_the_others_close_up() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    for (n, alt) in ["face", "dos", "détail"].iter().enumerate() {
        uploaded(&app, &id, &jpeg(20 + n as u32, 20), alt).await;
    }

    let described = patch(&app, &id, 1, &json!({"alt": "  Vue de dos  "})).await;
    assert_eq!(described.status(), StatusCode::OK);
    let described: Value = described.json().await.expect("an image");
    assert_eq!(described["alt"], "Vue de dos");
    assert_eq!(alts(&app).await, ["face", "Vue de dos", "détail"]);

    let moved = patch(&app, "robe-ete", 2, &json!({"position": 0})).await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert_eq!(alts(&app).await, ["détail", "face", "Vue de dos"]);
    let to_the_end = patch(&app, &id, 0, &json!({"position": 11})).await;
    assert_eq!(to_the_end.status(), StatusCode::OK);
    assert_eq!(alts(&app).await, ["face", "Vue de dos", "détail"]);

    let deleted = delete(&app, &id, 0).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(alts(&app).await, ["Vue de dos", "détail"]);

    let gone = delete(&app, &id, 2).await;
    let out_of_range = patch(&app, &id, 0, &json!({"position": -1, "alt": "x\u{202e}"})).await;
    let second_deleted = delete(&app, &id, 0).await;
    let typed = patch(&app, &id, 0, &json!({"position": "1"})).await;
    let problem = app.problem(gone, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(
        problem["detail"],
        "Ce produit n'a pas de photo à la position 2 (la première est la position 0)."
    );
    let problem = app
        .problem(
            out_of_range,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    let fields: Vec<_> = problem["errors"]
        .as_array()
        .map(|e| e.iter().map(|f| f["field"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(fields, [json!("alt"), json!("position")], "{problem}");
    assert_eq!(second_deleted.status(), StatusCode::NO_CONTENT);
    app.problem(typed, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
        .await;
    assert_eq!(alts(&app).await, ["détail"]);
}

#[tokio::test]
async fn a_deleted_photos_media_goes_unless_another_photo_shows_it() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let same = jpeg(30, 30);
    let first = uploaded(&app, &id, &same, "un").await;
    uploaded(&app, &id, &same, "deux").await;
    let url = first["url"].as_str().expect("a url");

    assert_eq!(delete(&app, &id, 0).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get(url).await.status(), StatusCode::OK);
    assert_eq!(delete(&app, &id, 0).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get(url).await.status(), StatusCode::NOT_FOUND);
}

/// Six uploads sent at once to one product: on PostgreSQL each locks the
/// product's row before it counts the photos, so they take positions one
/// after the other; the same bytes twice share one stored image.
#[tokio::test]
async fn uploads_sent_at_once_take_one_place_each() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let photos: Vec<Vec<u8>> = (0..6).map(|n| jpeg(24 + n % 3, 24)).collect();

    let sent = photos.iter().enumerate().map(|(n, bytes)| {
        let (app, id) = (&app, &id);
        async move {
            let alt = format!("photo {n}");
            let parts = [
                Part::File("p.jpg", "image/jpeg", bytes),
                Part::Text("alt", &alt),
            ];
            upload(app, id, &parts).await.status()
        }
    });
    let statuses = futures::future::join_all(sent).await;

    assert!(
        statuses.iter().all(|s| *s == StatusCode::CREATED),
        "{statuses:?}"
    );
    let mut shown = alts(&app).await;
    shown.sort();
    assert_eq!(
        shown,
        (0..6).map(|n| format!("photo {n}")).collect::<Vec<_>>()
    );
}

/// The same bytes deleted from one product while uploaded to another, at
/// once, again and again: the image the upload answers must be served.
/// How it holds: the deletion locks the stored image and counts its uses
/// after, the upload holds it locked until it commits. The window where it
/// could go wrong is a fraction of a millisecond, which requests sent at
/// once rarely hit: this test checks the outcome, it cannot force the
/// interleaving.
#[tokio::test]
async fn a_photo_deleted_while_the_same_bytes_are_uploaded_elsewhere_stays_served() {
    let app = spawn_app().await;
    let dress = dress(&app).await;
    app.product_with_stock("pagne", "U", 1).await;
    let bytes = jpeg(32, 32);
    let parts = [Part::File("p.jpg", "image/jpeg", &bytes)];

    for round in 0..8 {
        uploaded(&app, &dress, &bytes, "").await;
        let (deleted, added) = tokio::join!(delete(&app, &dress, 0), upload(&app, "pagne", &parts));
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT, "round {round}");
        assert_eq!(added.status(), StatusCode::CREATED, "round {round}");
        let image: Value = added.json().await.expect("an image");
        for field in ["url", "thumbnail_url"] {
            let url = image[field].as_str().expect("a url");
            assert_eq!(
                app.get(url).await.status(),
                StatusCode::OK,
                "round {round}: {url}"
            );
        }
        assert_eq!(
            delete(&app, "pagne", 0).await.status(),
            StatusCode::NO_CONTENT
        );
    }
}

#[tokio::test]
async fn a_product_holds_at_most_twelve_photos() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let photo = jpeg(16, 16);
    for _ in 0..IMAGES_PER_PRODUCT_MAX {
        uploaded(&app, &id, &photo, "").await;
    }

    let one_more = upload(&app, &id, &[Part::File("p.jpg", "image/jpeg", &photo)]).await;

    let problem = app
        .problem(
            one_more,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    assert_eq!(
        problem["detail"],
        "Ce produit a déjà 12 photos, le maximum : supprimez-en une avant d'en ajouter une autre."
    );
    assert_eq!(alts(&app).await.len(), IMAGES_PER_PRODUCT_MAX);
}

#[tokio::test]
async fn only_the_shops_people_change_photos_and_wrong_methods_are_405() {
    let app = spawn_app().await;
    let id = dress(&app).await;
    let (content_type, body) = form(&[Part::File("p.jpg", "image/jpeg", &jpeg(8, 8))]);
    let path = format!("/api/v1/admin/products/{id}/images");

    let anonymous = app
        .request(Method::POST, &path)
        .header(header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("sent");
    let anonymous_big = app
        .request(Method::POST, &path)
        .body(vec![0_u8; 11 * 1024 * 1024])
        .send()
        .await
        .expect("sent");
    let anonymous_get = app.get(&path).await;
    let anonymous_delete = app
        .request(Method::DELETE, &format!("{path}/0"))
        .send()
        .await
        .expect("sent");
    let wrong_method = app.admin_get(&path).await;

    app.problem(anonymous, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
    app.problem(anonymous_big, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
    app.problem(anonymous_get, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
    app.problem(anonymous_delete, StatusCode::UNAUTHORIZED, "unauthorized")
        .await;
    app.problem(
        wrong_method,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
    assert_eq!(
        wrong_method_cache(&app, &path).await.as_deref(),
        Some("no-store")
    );
    assert!(alts(&app).await.is_empty());
}

/// The `Cache-Control` of an admin answer on the upload's path.
async fn wrong_method_cache(app: &TestApp, path: &str) -> Option<String> {
    let response = app.admin_get(path).await;
    response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

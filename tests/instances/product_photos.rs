//! Photos across three instances on one PostgreSQL: an image lives in the
//! database, not on one instance's disk, so an upload through one is
//! served by the others, with the same bytes and the same ETag.

use reqwest::{Method, header};
use serde_json::Value;

use crate::cluster::Cluster;
use crate::photos::{Part, form, jpeg};

#[tokio::test]
async fn a_photo_uploaded_through_one_instance_is_served_by_the_others() {
    let Some(cluster) = Cluster::start(3, "photos_across_instances").await else {
        return;
    };
    cluster.create_product("robe-ete", &[("M".into(), 5)]).await;
    let (content_type, body) = form(&[
        Part::File("robe.jpg", "image/jpeg", &jpeg(120, 90)),
        Part::Text("alt", "Robe d'été, de face"),
    ]);

    let response = cluster
        .client
        .request(
            Method::POST,
            format!("{}/api/v1/admin/products/robe-ete/images", cluster.base(0)),
        )
        .bearer_auth(&cluster.admin_token)
        .header(header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 201);
    let image: Value = response.json().await.expect("an image");

    let mut served = Vec::new();
    for instance in [1, 2] {
        let product: Value = cluster
            .client
            .get(format!(
                "{}/api/v1/products/robe-ete",
                cluster.base(instance)
            ))
            .send()
            .await
            .expect("a product")
            .json()
            .await
            .expect("JSON");
        assert_eq!(product["images"][0], image, "instance {instance}");
        for field in ["url", "thumbnail_url"] {
            let url = image[field].as_str().expect("a url");
            let response = cluster
                .client
                .get(format!("{}{url}", cluster.base(instance)))
                .send()
                .await
                .expect("an answer");
            assert_eq!(response.status(), 200, "instance {instance}, {url}");
            let etag = response.headers()[header::ETAG].clone();
            served.push((field, etag, response.bytes().await.expect("bytes")));
        }
    }
    assert_eq!(served[0].1, served[2].1);
    assert_eq!(served[0].2, served[2].2);
    assert_eq!(served[1].2, served[3].2);
    assert!(image::load_from_memory(&served[0].2).is_ok());
}

//! `orders.csv`: every order the list's filters choose, one row per line,
//! by the CSV rules, read back with a CSV reader in either style.

use reqwest::StatusCode;

use super::id_of;
use crate::helpers::{TestApp, spawn_app};

const FRENCH_HEADERS: [&str; 23] = [
    "Numéro",
    "Date",
    "Statut",
    "Client",
    "Téléphone",
    "E-mail",
    "Adresse",
    "Numéro de retrait",
    "Zone",
    "Frais de livraison",
    "Total",
    "Paiement",
    "Moyen de paiement",
    "Montant payé",
    "Référence du paiement",
    "Référence",
    "Produit",
    "Taille",
    "Couleur",
    "Prix unitaire",
    "Quantité",
    "Retourné",
    "Total ligne",
];

const ENGLISH_HEADERS: [&str; 23] = [
    "number",
    "created_at",
    "status",
    "customer_name",
    "customer_phone",
    "customer_email",
    "delivery_address",
    "pickup_number",
    "delivery_zone",
    "delivery_fee",
    "total",
    "payment_status",
    "payment_method",
    "payment_amount",
    "payment_reference",
    "sku",
    "title",
    "size",
    "color",
    "unit_price",
    "quantity",
    "returned",
    "line_total",
];

/// A file's header and rows, read by the `csv` crate with `delimiter`.
fn read(bytes: &[u8], delimiter: u8) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_owned).collect())
        .collect();
    (headers, rows)
}

impl TestApp {
    /// `orders.csv` with `query`, answered as a dated CSV attachment.
    async fn orders_csv(&self, query: &str) -> Vec<u8> {
        let response = self
            .admin_get(&format!("/api/v1/admin/orders.csv?{query}"))
            .await;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("a body").to_vec();
        assert_eq!(
            status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&bytes)
        );
        assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
        let disposition = headers["content-disposition"].to_str().expect("text");
        assert!(
            disposition.starts_with("attachment; filename=\""),
            "{disposition}"
        );
        bytes
    }
}

#[tokio::test]
async fn each_line_of_the_chosen_orders_is_a_row_a_csv_reader_reads_back_with_its_formula_neutralised()
 {
    let app = spawn_app().await;
    let skus = app
        .product_with_sizes("robe", &[("S", 10), ("M", 10)])
        .await;
    let (s, m) = (skus[0].as_str(), skus[1].as_str());
    let trap = "=HYPERLINK(\"http://evil.example\";\"clic\")";
    let first = app
        .order_by(trap, "+2250700000001", &[(s, 1), (m, 2)])
        .await;
    app.pay(&first, "wave").await;
    let second = app.order_by("Aïcha", "07 00 00 00 02", &[(m, 1)]).await;
    app.walk(id_of(&second), &["confirmed"]).await;

    let (headers, rows) = read(&app.orders_csv("").await, b',');
    assert_eq!(headers, FRENCH_HEADERS);
    assert_eq!(rows.len(), 3, "one row per line: {rows:?}");
    // Newest order first, its lines by sku (M before S).
    let number = |row: &Vec<String>| row[0].clone();
    assert_eq!(
        rows.iter().map(number).collect::<Vec<_>>(),
        [&second["number"], &first["number"], &first["number"]]
            .map(|n| n.as_str().expect("a number").to_owned())
    );
    let (trapped, aicha) = (&rows[1], &rows[0]);
    assert_eq!(trapped[3], format!("'{trap}"), "the formula is neutralised");
    assert_eq!(trapped[4], "+2250700000001", "an E.164 phone is left alone");
    assert_eq!(
        &trapped[11..14],
        ["Payée", "Wave", &first["total"].to_string()]
    );
    assert_eq!(trapped[2], "En attente");
    assert_eq!(
        &trapped[15..],
        [m, "Produit robe", "M", "", "15000", "2", "0", "30000"]
    );
    assert_eq!(
        &rows[2][15..],
        [s, "Produit robe", "S", "", "15000", "1", "0", "15000"]
    );
    assert_eq!(
        (aicha[2].as_str(), aicha[3].as_str()),
        ("Confirmée", "Aïcha")
    );
    assert_eq!(
        aicha[4], "07 00 00 00 02",
        "the phone as the buyer typed it"
    );
    assert_eq!(aicha[11], "Non payée");

    let excel = app.orders_csv("lang=en&excel=1").await;
    let body = excel
        .strip_prefix("\u{feff}".as_bytes())
        .expect("a byte-order mark");
    let (headers, rows) = read(body, b';');
    assert_eq!(headers, ENGLISH_HEADERS);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][3], format!("'{trap}"));
    assert_eq!(
        (rows[1][11].as_str(), rows[1][12].as_str()),
        ("paid", "wave")
    );
    assert_eq!(rows[0][2], "confirmed");
}

#[tokio::test]
async fn the_list_filters_choose_the_orders_and_a_bad_one_is_refused_by_name() {
    let app = spawn_app().await;
    let sku = app.product_with_stock("robe", "M", 10).await;
    let pending = app.order_by("Awa", "+2250700000001", &[(&sku, 1)]).await;
    let confirmed = app.order_by("Aïcha", "+2250700000002", &[(&sku, 2)]).await;
    app.walk(id_of(&confirmed), &["confirmed"]).await;
    let cancelled = app.order_by("Binta", "+2250700000003", &[(&sku, 1)]).await;
    app.walk(id_of(&cancelled), &["cancelled"]).await;
    app.pay(&pending, "cash").await;

    let numbers = |bytes: Vec<u8>| -> Vec<String> {
        read(&bytes, b',')
            .1
            .into_iter()
            .map(|row| row[0].clone())
            .collect()
    };
    let number = |order: &serde_json::Value| order["number"].as_str().expect("a number").to_owned();
    assert_eq!(
        numbers(app.orders_csv("status=confirmed").await),
        [number(&confirmed)]
    );
    assert_eq!(
        numbers(app.orders_csv("status=to_handle").await),
        [number(&confirmed), number(&pending)]
    );
    assert_eq!(
        numbers(app.orders_csv("payment=paid").await),
        [number(&pending)]
    );
    assert_eq!(
        numbers(app.orders_csv("q=aicha").await),
        [number(&confirmed)]
    );
    assert_eq!(
        numbers(app.orders_csv("q=07%2000%2000%2000%2003").await),
        [number(&cancelled)]
    );
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%d");
    assert!(numbers(app.orders_csv(&format!("from={tomorrow}")).await).is_empty());
    let empty = app.orders_csv(&format!("from={tomorrow}&lang=en")).await;
    assert_eq!(
        read(&empty, b',').0,
        ENGLISH_HEADERS,
        "a header even without rows"
    );

    let refused = app
        .admin_get("/api/v1/admin/orders.csv?status=lost&lang=de&excel=2&payment=later")
        .await;
    let problem = app.validation_problem(refused, "status").await;
    let mut fields = TestApp::error_fields(&problem);
    fields.sort();
    assert_eq!(fields, ["excel", "lang", "payment", "status"]);
}

#[tokio::test]
async fn returned_units_are_counted_on_their_line() {
    let app = spawn_app().await;
    let skus = app.product_with_sizes("robe", &[("M", 5), ("L", 5)]).await;
    let order = app
        .order_by("Awa", "+2250700000001", &[(&skus[0], 2)])
        .await;
    app.walk(id_of(&order), &["confirmed", "processing", "shipped"])
        .await;
    let body = serde_json::json!({"lines": [{"sku": skus[0], "quantity": 1}], "restock": true});
    let response = app.take_return(id_of(&order), &body).await;
    assert_eq!(response.status(), StatusCode::OK);

    let (_, rows) = read(&app.orders_csv("lang=en").await, b',');
    assert_eq!(rows.len(), 1);
    assert_eq!(
        &rows[0][20..],
        ["2", "1", "30000"],
        "quantity, returned, line total"
    );
    assert_eq!(rows[0][10], "15000", "the order's total after the return");
}

//! The desk's orders as CSV (`orders.csv`): one row per order line, the
//! order's columns repeated on each of its rows, by the CSV rules of
//! `csv_rules.rs`; and the refusal of a report larger than one file holds.

use crate::domain::Lang;
use crate::domain::csv_rules::{Cell, Column, CsvOut, CsvStyle};
use crate::domain::invalid::FieldError;
use crate::domain::limits::ORDER_REPORT_LINES_MAX;
use crate::domain::messages::grouped;

use super::{Order, OrderLine, OrderStatus, PaymentMethod, PaymentStatus};

/// The columns of `orders.csv`; the English header is the field's name in
/// the API (`customer_name` is the Order's `customer.name`).
pub const ORDER_COLUMNS: [Column; 23] = [
    Column::new("number", "Numéro"),
    Column::new("created_at", "Date"),
    Column::new("status", "Statut"),
    Column::new("customer_name", "Client"),
    Column::new("customer_phone", "Téléphone"),
    Column::new("customer_email", "E-mail"),
    Column::new("delivery_address", "Adresse"),
    Column::new("pickup_number", "Numéro de retrait"),
    Column::new("delivery_zone", "Zone"),
    Column::new("delivery_fee", "Frais de livraison"),
    Column::new("total", "Total"),
    Column::new("payment_status", "Paiement"),
    Column::new("payment_method", "Moyen de paiement"),
    Column::new("payment_amount", "Montant payé"),
    Column::new("payment_reference", "Référence du paiement"),
    Column::new("sku", "Référence"),
    Column::new("title", "Produit"),
    Column::new("size", "Taille"),
    Column::new("color", "Couleur"),
    Column::new("unit_price", "Prix unitaire"),
    Column::new("quantity", "Quantité"),
    Column::new("returned", "Retourné"),
    Column::new("line_total", "Total ligne"),
];

/// `orders` (newest first, each with its lines) as CSV in `style`.
pub fn orders_csv(orders: &[Order], style: CsvStyle) -> Vec<u8> {
    let mut out = CsvOut::new(style, &ORDER_COLUMNS);
    for order in orders {
        for line in &order.lines {
            out.row(&row(order, line, style.lang));
        }
    }
    out.finish()
}

/// One line of `order`, with the order's columns first.
fn row<'a>(order: &'a Order, line: &'a OrderLine, lang: Lang) -> [Cell<'a>; 23] {
    let text = |value: &'a Option<String>| Cell::Text(value.as_deref().unwrap_or(""));
    let payment = order.payment.as_ref();
    let zone = order
        .delivery
        .zone_name
        .as_ref()
        .or(order.delivery.zone.as_ref());
    [
        Cell::Text(&order.number),
        Cell::Text(&order.created_at),
        Cell::Text(status_word(order.status, lang)),
        Cell::Text(&order.customer.name),
        Cell::Phone(&order.customer.phone),
        text(&order.customer.email),
        text(&order.delivery.address),
        text(&order.delivery.pickup_number),
        Cell::Text(zone.map_or("", String::as_str)),
        Cell::Number(order.delivery_fee),
        Cell::Number(order.total),
        Cell::Text(payment.map_or("", |p| payment_word(p.status, lang))),
        Cell::Text(
            payment
                .and_then(|p| p.method)
                .map_or("", |m| method_word(m, lang)),
        ),
        Cell::Number(payment.map_or(0, |p| p.amount)),
        Cell::Text(payment.and_then(|p| p.reference.as_deref()).unwrap_or("")),
        Cell::Text(&line.sku),
        Cell::Text(&line.title),
        Cell::Text(&line.size),
        text(&line.color),
        Cell::Number(line.unit_price),
        Cell::Number(line.quantity),
        Cell::Number(line.returned),
        Cell::Number(line.line_total),
    ]
}

/// A status as the CSV in `lang` writes it: `Confirmée`, `confirmed`.
pub fn status_word(status: OrderStatus, lang: Lang) -> &'static str {
    match (lang, status) {
        (Lang::En, status) => status.as_str(),
        (Lang::Fr, OrderStatus::Pending) => "En attente",
        (Lang::Fr, OrderStatus::Confirmed) => "Confirmée",
        (Lang::Fr, OrderStatus::Processing) => "En préparation",
        (Lang::Fr, OrderStatus::Shipped) => "Expédiée",
        (Lang::Fr, OrderStatus::Delivered) => "Livrée",
        (Lang::Fr, OrderStatus::Cancelled) => "Annulée",
        (Lang::Fr, OrderStatus::Returned) => "Retournée",
    }
}

fn payment_word(status: PaymentStatus, lang: Lang) -> &'static str {
    match (lang, status) {
        (Lang::En, status) => status.as_str(),
        (Lang::Fr, PaymentStatus::Unpaid) => "Non payée",
        (Lang::Fr, PaymentStatus::Paid) => "Payée",
        (Lang::Fr, PaymentStatus::Refunded) => "Remboursée",
    }
}

fn method_word(method: PaymentMethod, lang: Lang) -> &'static str {
    match (lang, method) {
        (Lang::En, method) => method.as_str(),
        (Lang::Fr, PaymentMethod::Cash) => "Espèces",
        (Lang::Fr, PaymentMethod::Card) => "Carte",
        (Lang::Fr, PaymentMethod::Other) => "Autre",
        (Lang::Fr, method) => method.label_fr(),
    }
}

/// The refusal of a report (`orders.csv`, a picking list) whose orders
/// hold more than [`ORDER_REPORT_LINES_MAX`] lines.
pub fn too_many_lines() -> FieldError {
    let (fr, en) = (
        grouped(Lang::Fr, ORDER_REPORT_LINES_MAX as i64),
        grouped(Lang::En, ORDER_REPORT_LINES_MAX as i64),
    );
    FieldError::new(
        "from",
        format!(
            "Ces commandes ont plus de {fr} lignes : choisissez une période plus courte ou un statut."
        ),
        format!("These orders have more than {en} lines: choose a shorter period or a status."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::order::{CustomerView, Delivery, Payment};

    fn order(name: &str, phone: &str) -> Order {
        let line = |sku: &str, size: &str, quantity: i64| OrderLine {
            sku: sku.into(),
            title: "Robe d'été".into(),
            size: size.into(),
            color: None,
            unit_price: 15000,
            quantity,
            line_total: 15000 * quantity,
            returned: 0,
            restocked: 0,
            preorder: false,
            allocated: 0,
            drop_id: None,
        };
        Order {
            id: "o1".into(),
            number: "SR-1042".into(),
            status: OrderStatus::Confirmed,
            created_at: "2026-11-28T09:30:00.000000Z".into(),
            currency: "XOF".into(),
            total: 46500,
            delivery_fee: 1500,
            customer: CustomerView {
                name: name.into(),
                phone: phone.into(),
                email: None,
            },
            delivery: Delivery {
                address: Some("Cocody".into()),
                pickup_number: Some("-12".into()),
                zone: Some("cocody".into()),
                zone_name: Some("Cocody".into()),
            },
            notes: None,
            lines: vec![line("ROBE-L", "L", 1), line("ROBE-M", "M", 2)],
            payment: Some(Payment {
                status: PaymentStatus::Paid,
                method: Some(PaymentMethod::Wave),
                amount: 46500,
                reference: None,
            }),
            staff_notes: Some(0),
        }
    }

    fn lines(bytes: Vec<u8>) -> Vec<String> {
        let text = String::from_utf8(bytes).expect("UTF-8");
        text.split("\r\n").map(str::to_owned).collect()
    }

    #[test]
    fn each_line_is_a_row_with_its_order_in_front() {
        let csv = lines(orders_csv(
            &[order("Awa", "+2250700000000")],
            CsvStyle::default(),
        ));
        assert!(
            csv[0].starts_with("Numéro,Date,Statut,Client,Téléphone"),
            "{}",
            csv[0]
        );
        assert_eq!(
            csv[1],
            "SR-1042,2026-11-28T09:30:00.000000Z,Confirmée,Awa,+2250700000000,,Cocody,'-12,Cocody,\
1500,46500,Payée,Wave,46500,,ROBE-L,Robe d'été,L,,15000,1,0,15000"
        );
        assert!(
            csv[2].ends_with("ROBE-M,Robe d'été,M,,15000,2,0,30000"),
            "{}",
            csv[2]
        );
        assert_eq!(csv.len(), 4, "two rows and the end of the last");
    }

    #[test]
    fn a_name_a_spreadsheet_would_run_is_neutralised_and_english_uses_the_api_words() {
        let style = CsvStyle {
            lang: Lang::En,
            excel: true,
        };
        let csv = lines(orders_csv(&[order("=HYPERLINK(\"x\")", "07 00")], style));
        assert!(csv[0].starts_with("\u{feff}number;created_at;status;customer_name"));
        assert!(
            csv[1].contains(";confirmed;\"'=HYPERLINK(\"\"x\"\")\";07 00;"),
            "{}",
            csv[1]
        );
        assert!(csv[1].contains(";paid;wave;46500;"), "{}", csv[1]);
    }

    #[test]
    fn the_refusal_names_the_limit_as_people_read_it() {
        let refusal = too_many_lines();
        assert!(refusal.message(Lang::Fr).contains("100\u{a0}000 lignes"));
        assert!(refusal.message(Lang::En).contains("100,000 lines"));
    }
}

//! A buyer's steps on the storefront that several tests take: a size put in
//! the cart from its product's page, the checkout filled, the order placed.

use crate::chrome::Session;

/// Who orders, as the checkout form asks it.
pub struct Buyer<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    /// The delivery address; `None` leaves the field empty.
    pub address: Option<&'a str>,
    /// The delivery zone's id (`cocody`, `boutique`…).
    pub zone: &'a str,
}

/// Units in the session's cart, as the storefront keeps it.
pub async fn cart_count(session: &Session) -> i64 {
    session
        .eval("JSON.parse(localStorage.getItem('stockroom.cart.v1') || '[]').reduce((n, l) => n + l.quantity, 0)")
        .await
        .as_i64()
        .unwrap_or(-1)
}

/// Opens the product `slug`, picks the size `sku`, puts `quantity` of it in
/// the cart, and goes through the cart to the checkout form.
pub async fn cart_to_checkout(session: &Session, slug: &str, sku: &str, quantity: i64) {
    session.open(&format!("/#/produit/{slug}"), "produit").await;
    let before = cart_count(session).await;
    session.click(&format!("label[for=\"size-{sku}\"]")).await;
    if quantity != 1 {
        session.fill("#qty", &quantity.to_string()).await;
    }
    session.click("#add-to-cart").await;
    session
        .wait_for(
            &format!(
                "document.getElementById('cart-count').textContent === '{}'",
                before + quantity
            ),
            &format!("{quantity} more in the cart"),
        )
        .await;
    session.click("#cart-link").await;
    session.wait_ready("panier").await;
    session.click("#checkout").await;
    session.wait_ready("commande").await;
}

/// Fills the checkout form of a session already on `#/commande`.
pub async fn fill_checkout(session: &Session, buyer: &Buyer<'_>) {
    session.fill("#f-name", buyer.name).await;
    session.fill("#f-phone", buyer.phone).await;
    if let Some(address) = buyer.address {
        session.fill("#f-address", address).await;
    }
    session.click(&format!("#zone-{}", buyer.zone)).await;
}

/// The whole purchase of `quantity` of the size `sku` of `slug`, up to the
/// confirmation; answers the order's number.
pub async fn buy(
    session: &Session,
    slug: &str,
    sku: &str,
    quantity: i64,
    buyer: &Buyer<'_>,
) -> String {
    cart_to_checkout(session, slug, sku, quantity).await;
    fill_checkout(session, buyer).await;
    session.click("#place-order").await;
    session.wait_ready("merci").await;
    session.text("#order-number").await
}

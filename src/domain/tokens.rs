//! Secrets handed to people: admin tokens, made random and kept only as
//! hashes; order access tokens, derived from the shop's secret and the
//! order's id, so that a replay or a lookup can give the same token again
//! while no token is kept anywhere.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// 256 random bits, URL-safe, with a prefix that says what the token opens.
pub fn new_token(prefix: &str) -> String {
    let bytes: [u8; 32] = rand::random();
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The shop's secret: made once, on the database's first start, and kept
/// in it so that every instance derives the same order tokens.
pub fn new_shop_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The token that opens one order: base64url(HMAC-SHA256(shop secret, order id)).
pub fn order_access_token(shop_secret: &str, order_id: &str) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(shop_secret.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(order_id.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Whether `token` is the one derived for this order, compared in constant time.
pub fn is_order_access_token(shop_secret: &str, order_id: &str, token: &str) -> bool {
    order_access_token(shop_secret, order_id)
        .as_bytes()
        .ct_eq(token.as_bytes())
        .into()
}

/// What the database keeps instead of the token.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares a presented token with a stored hash in constant time.
pub fn token_matches(token: &str, stored_hash: &str) -> bool {
    hash_token(token)
        .as_bytes()
        .ct_eq(stored_hash.as_bytes())
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_matches_its_own_hash_only() {
        let token = new_token("sro_");
        assert!(token.starts_with("sro_") && token.len() == 4 + 43);
        assert!(token_matches(&token, &hash_token(&token)));
        assert!(!token_matches(&new_token("sro_"), &hash_token(&token)));
    }

    #[test]
    fn an_order_token_is_the_same_for_one_order_and_secret_only() {
        let (secret, other) = (new_shop_secret(), new_shop_secret());
        let token = order_access_token(&secret, "order-1");
        assert_eq!(token, order_access_token(&secret, "order-1"));
        assert_eq!(token.len(), 43);
        assert!(is_order_access_token(&secret, "order-1", &token));
        assert!(!is_order_access_token(&secret, "order-2", &token));
        assert!(!is_order_access_token(&other, "order-1", &token));
    }
}

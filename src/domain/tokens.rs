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

/// What an admin token starts with.
const ADMIN_TOKEN_PREFIX: &str = "sra_";

/// A new token for the admin `id`, `sra_<id>_<secret>`: the id finds the
/// admin's row, the secret's hash is compared in constant time.
pub fn new_admin_token(id: i64) -> String {
    new_token(&format!("{ADMIN_TOKEN_PREFIX}{id}_"))
}

/// The admin id a token names, if it reads like an admin token at all.
pub fn token_admin_id(token: &str) -> Option<i64> {
    token
        .strip_prefix(ADMIN_TOKEN_PREFIX)
        .and_then(|rest| rest.split_once('_'))
        .and_then(|(id, _)| id.parse::<i64>().ok())
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
    fn only_tokens_that_read_like_an_admin_token_name_an_admin() {
        assert_eq!(token_admin_id(&new_admin_token(7)), Some(7));
        assert_eq!(token_admin_id("sro_7_x"), None);
        assert_eq!(token_admin_id("sra_x_y"), None);
        assert_eq!(token_admin_id("sra_7"), None);
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

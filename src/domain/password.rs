//! Passwords hashed with Argon2id, the parameters named here: the only
//! place a password is read, and none is ever kept, logged or returned.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// Memory per hash, in KiB: 19 MiB, OWASP's minimum for Argon2id.
pub const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
/// Passes over that memory.
pub const ARGON2_ITERATIONS: u32 = 2;
/// Lanes: one, so that a sign-in takes one core and no more.
pub const ARGON2_LANES: u32 = 1;
/// Bytes of output kept in the PHC string.
pub const ARGON2_OUTPUT_BYTES: usize = 32;

fn argon2() -> Argon2<'static> {
    let params = Params::new(
        ARGON2_MEMORY_KIB,
        ARGON2_ITERATIONS,
        ARGON2_LANES,
        Some(ARGON2_OUTPUT_BYTES),
    )
    .expect("the named parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string of `password` (`$argon2id$v=19$m=19456,t=2,p=1$…`), salted
/// at random. Takes tens of milliseconds of one core: call it off the
/// async runtime.
pub fn hash_password(password: &str) -> String {
    argon2()
        .hash_password(password.as_bytes())
        .expect("hashing with valid parameters and a random salt succeeds")
        .to_string()
}

/// Whether `password` is the one hashed in `stored`. A stored string that
/// is not a PHC hash matches nothing.
pub fn verify_password(password: &str, stored: &str) -> bool {
    argon2()
        .verify_password(password.as_bytes(), stored)
        .is_ok()
}

/// A hash of no one's password, verified when the name is unknown or has
/// no password yet, so that the answer takes as long as for a known name.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password(&super::tokens::new_token("dummy_")));

/// Checks `password` against `stored`, or against a dummy hash when there is
/// none: the same work whether the person exists or not.
pub fn verify_or_pretend(password: &str, stored: Option<&str>) -> bool {
    match stored {
        Some(stored) => verify_password(password, stored),
        None => {
            verify_password(password, &DUMMY_HASH);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_matches_its_hash_and_nothing_else_does() {
        let stored = hash_password("une phrase de passe");
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("une phrase de passe", &stored));
        assert!(!verify_password("une phrase de passf", &stored));
        assert!(!verify_password("une phrase de passe", "not a hash"));
        assert_ne!(stored, hash_password("une phrase de passe"), "salted");
    }

    #[test]
    fn without_a_stored_hash_nothing_matches() {
        assert!(!verify_or_pretend("anything at all", None));
    }
}

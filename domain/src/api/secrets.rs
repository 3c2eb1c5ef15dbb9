//! Client secrets and bearer tokens: 256 random bits with a recognisable prefix (so secret
//! scanners and people can tell them apart), stored only as their SHA-256.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The prefix of a client secret.
pub const SECRET_PREFIX: &str = "ocms_";
/// The prefix of a bearer token.
pub const TOKEN_PREFIX: &str = "ocmt_";

/// A fresh random value with `prefix`.
pub fn fresh(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a secret or token.
pub fn digest(value: &str) -> Vec<u8> {
    Sha256::digest(value.as_bytes()).to_vec()
}

/// Equal digests, compared in time independent of where they differ.
pub fn same_digest(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_values_differ_and_carry_their_prefix() {
        let (a, b) = (fresh(SECRET_PREFIX), fresh(SECRET_PREFIX));
        assert_ne!(a, b);
        assert!(a.starts_with(SECRET_PREFIX));
        assert_eq!(a.len(), SECRET_PREFIX.len() + 43);
    }

    #[test]
    fn digests_compare_by_content() {
        assert!(same_digest(&digest("x"), &digest("x")));
        assert!(!same_digest(&digest("x"), &digest("y")));
        assert!(!same_digest(&digest("x"), &digest("x")[..31]));
    }
}

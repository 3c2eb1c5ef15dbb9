//! The signature on every webhook delivery: HMAC-SHA256 with the webhook's secret over
//! `"{timestamp}.{body}"`, sent as `OCM-Signature: t={timestamp},v1={hex}`. The timestamp lets a
//! receiver refuse a replayed delivery (we suggest five minutes, `docs/api.md`).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header carrying the signature.
pub const HEADER: &str = "OCM-Signature";

/// `t=…,v1=…` for `body` sent at `timestamp` (Unix seconds).
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!("t={timestamp},v1={}", hex_digest(secret, timestamp, body))
}

fn hex_digest(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // An HMAC takes a key of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a receiver does: whether `header` signs `body` with `secret`, sent within `tolerance`
/// seconds of `now` (Unix seconds). The reference for integrators, and what the tests check.
pub fn verify(secret: &str, header: &str, body: &[u8], now: i64, tolerance: i64) -> bool {
    let mut timestamp = None;
    let mut given = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => given = Some(v.to_string()),
            _ => {}
        }
    }
    let (Some(timestamp), Some(given)) = (timestamp, given) else {
        return false;
    };
    let expected = hex_digest(secret, timestamp, body);
    let same = expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    same && (now - timestamp).abs() <= tolerance
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_with_the_secret_body_and_time() {
        let header = signature("ocmw_secret", 1_800_000_000, b"{\"a\":1}");
        assert!(header.starts_with("t=1800000000,v1="));
        assert!(verify(
            "ocmw_secret",
            &header,
            b"{\"a\":1}",
            1_800_000_100,
            300
        ));
        assert!(!verify(
            "ocmw_other",
            &header,
            b"{\"a\":1}",
            1_800_000_100,
            300
        ));
        assert!(!verify(
            "ocmw_secret",
            &header,
            b"{\"a\":2}",
            1_800_000_100,
            300
        ));
        assert!(!verify(
            "ocmw_secret",
            &header,
            b"{\"a\":1}",
            1_800_000_301,
            300
        ));
        assert!(!verify(
            "ocmw_secret",
            "v1=00",
            b"{\"a\":1}",
            1_800_000_000,
            300
        ));
    }

    #[test]
    fn the_digest_is_hmac_sha256_of_timestamp_dot_body() {
        // RFC 4231 test case 2 checks the HMAC itself; then ours is that HMAC over `t.body`.
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let expected: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            expected,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let ours = hex_digest("Jefe", 1, b"x");
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"1.x");
        let direct: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(ours, direct);
    }
}

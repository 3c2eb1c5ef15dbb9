//! The pure part of two-factor sign-in: RFC 6238 codes (SHA-1, 6 digits, 30-second steps, one
//! step of clock skew either way, each step accepted once), the `otpauth://` address and its QR
//! code drawn as SVG, and recovery codes.

use sha2::{Digest, Sha256};
use totp_rs::{Builder, Secret, Totp};

/// Bytes in a new secret (160 bits, RFC 4226's recommendation).
pub const SECRET_BYTES: usize = 20;
/// Recovery codes given at enrolment; each works once.
pub const RECOVERY_CODES: usize = 10;

fn totp(secret: &[u8]) -> Option<Totp> {
    Builder::new()
        .with_secret(Secret::from(secret.to_vec()))
        .build()
        .ok()
}

/// A new random secret.
pub fn new_secret() -> Vec<u8> {
    use rand::RngCore;
    let mut bytes = vec![0u8; SECRET_BYTES];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes
}

/// The secret as people type it into an authenticator app.
pub fn base32(secret: &[u8]) -> String {
    Secret::from(secret.to_vec()).to_base32()
}

/// The step a typed code matches at `unix_seconds` (spaces ignored), if it is later than
/// `last_step` (a code is accepted once).
pub fn check(secret: &[u8], code: &str, unix_seconds: u64, last_step: Option<u64>) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let step = totp(secret)?.check(&code, unix_seconds)?;
    match last_step {
        Some(last) if step <= last => None,
        _ => Some(step),
    }
}

/// The code for `unix_seconds` (tests and the enrolment check).
pub fn code_at(secret: &[u8], unix_seconds: u64) -> String {
    totp(secret)
        .map(|t| t.generate(unix_seconds).to_string())
        .unwrap_or_default()
}

fn escape(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The `otpauth://totp/…` address authenticator apps read (Google's Key Uri Format).
pub fn otpauth_uri(issuer: &str, username: &str, secret: &[u8]) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
        escape(issuer),
        escape(username),
        base32(secret),
        escape(issuer)
    )
}

/// The address as a QR code, an SVG image the page shows inline.
pub fn qr_svg(uri: &str) -> String {
    qrcode::QrCode::new(uri.as_bytes())
        .map(|code| {
            code.render::<qrcode::render::svg::Color>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default()
}

/// New recovery codes: 10 characters each from an alphabet without look-alikes, `xxxxx-xxxxx`.
pub fn new_recovery_codes() -> Vec<String> {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let chars: String = (0..10)
                .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// What is stored of a recovery code: SHA-256 of its normalised form (any case, dash optional).
pub fn recovery_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    crate::audit_trail::hex(&Sha256::digest(normal.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 secret.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_match_rfc_6238s_vectors_with_a_fixed_clock() {
        // The RFC's 8-digit values end in these six digits.
        assert_eq!(code_at(RFC_SECRET, 59), "287082");
        assert_eq!(code_at(RFC_SECRET, 1_111_111_109), "081804");
        assert_eq!(code_at(RFC_SECRET, 2_000_000_000), "279037");
        assert_eq!(check(RFC_SECRET, "287 082", 59, None), Some(1));
        assert_eq!(
            check(RFC_SECRET, "287082", 59 + 30, None),
            Some(1),
            "one step of skew"
        );
        assert_eq!(
            check(RFC_SECRET, "287082", 59 + 90, None),
            None,
            "but not three"
        );
        assert_eq!(
            check(RFC_SECRET, "287082", 59, Some(1)),
            None,
            "a code works once"
        );
        assert_eq!(check(RFC_SECRET, "28708", 59, None), None);
        assert_eq!(check(RFC_SECRET, "abcdef", 59, None), None);
    }

    #[test]
    fn the_enrolment_address_and_its_qr_code_carry_the_secret() {
        let uri = otpauth_uri("OCM", "jane.doe", RFC_SECRET);
        assert_eq!(
            uri,
            "otpauth://totp/OCM:jane.doe?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=OCM&algorithm=SHA1&digits=6&period=30"
        );
        let svg = qr_svg(&uri);
        assert!(
            svg.starts_with("<?xml") && svg.contains("<svg"),
            "{}",
            &svg[..80]
        );
        assert_eq!(new_secret().len(), SECRET_BYTES);
    }

    #[test]
    fn recovery_codes_are_distinct_and_read_in_any_case() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_eq!(
            codes.iter().collect::<std::collections::HashSet<_>>().len(),
            RECOVERY_CODES
        );
        assert_eq!(recovery_hash("ABCDE-fghjk"), recovery_hash("abcdefghjk"));
    }
}

//! The Content-Security-Policy: one nonce per response, shared by the header (set by the server's
//! middleware) and the scripts Leptos writes into the page (hydration and resolved resources).

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore as _;

/// The nonce of the response being rendered, carried in the request's extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspNonce(pub Arc<str>);

impl CspNonce {
    /// 128 random bits, URL-safe base64.
    pub fn generate() -> Self {
        let mut bytes = [0_u8; 16];
        rand::thread_rng().fill_bytes(&mut bytes);
        CspNonce(URL_SAFE_NO_PAD.encode(bytes).into())
    }
}

/// The policy: everything from OCM itself; scripts only with this response's nonce (the
/// hydration loader and the resources Leptos serialises are inline), WebAssembly compiled by the
/// browser, no plugins, no framing, forms and `<base>` only to OCM.
pub fn policy(nonce: &CspNonce) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'",
        nonce.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_response_gets_its_own_nonce_in_the_policy() {
        let (a, b) = (CspNonce::generate(), CspNonce::generate());
        assert_ne!(a, b);
        assert_eq!(a.0.len(), 22);
        let policy = policy(&a);
        assert!(policy.starts_with("default-src 'self';"));
        assert!(policy.contains(&format!("'nonce-{}'", a.0)));
        assert!(!policy.contains("unsafe-inline"));
    }
}

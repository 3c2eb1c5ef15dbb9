//! Suppression tombstones: the keyed hash (HMAC-SHA256) of each erased identifier, the key that
//! makes them (kept outside the database), the organization's set that uploads and DNC imports
//! are checked against, and the check that OCM starts with the key its tombstones were made with.

use std::collections::HashMap;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::PgPool;

use super::identifiers::{IdentifierKind, Person};
use crate::phone::Phone;

/// 32 secret bytes. Never printed: `Debug` says only that it is there.
#[derive(Clone, PartialEq, Eq)]
pub struct ErasureKey([u8; 32]);

impl std::fmt::Debug for ErasureKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ErasureKey(hidden)")
    }
}

impl ErasureKey {
    pub fn new(bytes: [u8; 32]) -> ErasureKey {
        ErasureKey(bytes)
    }

    /// A fresh random key.
    pub fn generate() -> ErasureKey {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        ErasureKey(bytes)
    }

    /// From 64 hexadecimal digits (surrounding blanks ignored).
    pub fn from_hex(text: &str) -> Option<ErasureKey> {
        let text = text.trim();
        if text.len() != 64 || !text.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(ErasureKey(bytes))
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        for part in parts {
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    /// The tombstone of one identifier.
    pub fn digest(&self, kind: IdentifierKind, canonical: &str) -> [u8; 32] {
        self.mac(&[kind.as_str().as_bytes(), b":", canonical.as_bytes()])
    }

    /// What the database keeps to recognise this key later (not the key: a hash of a constant).
    pub fn fingerprint(&self) -> String {
        self.mac(&[b"ocm-erasure-key-check"])
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// The organization's tombstones with the key to compare against them; empty for most
/// organizations, when checking costs nothing. Cheap to clone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suppression {
    key: Option<Arc<ErasureKey>>,
    /// Digest → the erasure that made it.
    digests: Arc<HashMap<[u8; 32], i64>>,
}

impl Suppression {
    /// Nothing suppressed.
    pub fn none() -> Suppression {
        Suppression::default()
    }

    /// A set of tombstones (tests and [`load`]).
    pub fn of(key: Arc<ErasureKey>, digests: HashMap<[u8; 32], i64>) -> Suppression {
        Suppression {
            key: Some(key),
            digests: Arc::new(digests),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }

    fn erased(&self, kind: IdentifierKind, canonical: &str) -> Option<i64> {
        if self.digests.is_empty() {
            return None;
        }
        let key = self.key.as_ref()?;
        self.digests.get(&key.digest(kind, canonical)).copied()
    }

    /// The erasure a phone number was erased by.
    pub fn phone(&self, phone: &Phone) -> Option<i64> {
        // Most organizations have no tombstone: skip writing the E.164 form for every number.
        if self.digests.is_empty() {
            return None;
        }
        self.erased(IdentifierKind::Phone, &phone.e164())
    }

    /// The erasure an e-mail address (any case) was erased by.
    pub fn email(&self, address: &str) -> Option<i64> {
        self.erased(IdentifierKind::Email, &address.trim().to_lowercase())
    }

    /// The erasure an address (a phone number as `rules` read it, or an e-mail address) was
    /// erased by.
    pub fn address(&self, raw: &str, rules: &crate::phone::PhoneRules) -> Option<i64> {
        // As for `phone`: no number is read when nothing is suppressed.
        if self.digests.is_empty() {
            return None;
        }
        if raw.contains('@') {
            return self.email(raw);
        }
        rules.read(raw).ok().and_then(|phone| self.phone(&phone))
    }

    /// The erasure a customer id was erased by.
    pub fn customer_id(&self, id: &str) -> Option<i64> {
        self.erased(IdentifierKind::CustomerId, id.trim())
    }
}

/// The reason shown for a value or row left out because its person was erased.
pub fn erased_reason(erasure_id: i64) -> String {
    format!("erased on request (erasure #{erasure_id}): OCM does not send it")
}

/// The organization's tombstones.
pub async fn load(
    pool: &PgPool,
    key: &Arc<ErasureKey>,
    organization: &str,
) -> Result<Suppression, sqlx::Error> {
    let rows = sqlx::query!(
        "select digest, erasure_id from erasure_tombstone where organization = $1",
        organization
    )
    .fetch_all(pool)
    .await?;
    let digests = rows
        .into_iter()
        .filter_map(|r| {
            Some((
                <[u8; 32]>::try_from(r.digest.as_slice()).ok()?,
                r.erasure_id,
            ))
        })
        .collect();
    Ok(Suppression::of(key.clone(), digests))
}

/// The person's digests, for writing tombstones.
pub fn digests_of(key: &ErasureKey, person: &Person) -> Vec<(IdentifierKind, [u8; 32])> {
    person
        .identifiers
        .iter()
        .map(|i| (i.kind, key.digest(i.kind, &i.canonical)))
        .collect()
}

/// Keeps a tombstone of each of the person's identifiers for the organization (one kept by an
/// earlier erasure stays that erasure's).
pub async fn keep(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    key: &ErasureKey,
    organization: &str,
    person: &Person,
    erasure_id: i64,
) -> Result<(), sqlx::Error> {
    for (kind, digest) in digests_of(key, person) {
        sqlx::query!(
            "insert into erasure_tombstone (organization, digest, kind, erasure_id)
             values ($1, $2, $3, $4) on conflict do nothing",
            organization,
            &digest[..],
            kind.as_str(),
            erasure_id,
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Lifts the tombstones an erasure kept (it was cancelled).
pub async fn lift(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    erasure_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "delete from erasure_tombstone where erasure_id = $1",
        erasure_id
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether this key is the one OCM's tombstones were made with: the first start stores the
/// key's fingerprint; later starts must match it.
pub async fn check_key(pool: &PgPool, key: &ErasureKey) -> Result<(), String> {
    let fingerprint = key.fingerprint();
    let stored = sqlx::query_scalar!(
        "insert into erasure_key (fingerprint) values ($1)
         on conflict (singleton) do update set fingerprint = erasure_key.fingerprint
         returning fingerprint",
        fingerprint
    )
    .fetch_one(pool)
    .await
    .map_err(|e| format!("could not read the erasure key's fingerprint: {e}"))?;
    if stored == fingerprint {
        Ok(())
    } else {
        Err(
            "the erasure key (OCM_ERASURE_KEY or OCM_ERASURE_KEY_FILE) is not the one this \
             database's erasure tombstones were made with: restore the original key, or erased \
             people would no longer be recognised in uploads"
                .into(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_depend_on_the_key_and_the_kind_and_the_key_never_prints() {
        let key = ErasureKey::new([7; 32]);
        let other = ErasureKey::new([8; 32]);
        let a = key.digest(IdentifierKind::Phone, "+447700900123");
        assert_eq!(a, key.digest(IdentifierKind::Phone, "+447700900123"));
        assert_ne!(a, other.digest(IdentifierKind::Phone, "+447700900123"));
        assert_ne!(a, key.digest(IdentifierKind::CustomerId, "+447700900123"));
        assert_eq!(format!("{key:?}"), "ErasureKey(hidden)");
        assert_eq!(ErasureKey::from_hex(&key.to_hex()), Some(key.clone()));
        assert_eq!(ErasureKey::from_hex("abc"), None);
        assert_eq!(ErasureKey::from_hex(&"zz".repeat(32)), None);
        assert_ne!(key.fingerprint(), other.fingerprint());
    }

    #[test]
    fn a_suppression_names_the_erasure_of_a_value_in_any_case() {
        let key = Arc::new(ErasureKey::new([1; 32]));
        let digests = HashMap::from([
            (key.digest(IdentifierKind::Email, "jane@example.com"), 4),
            (key.digest(IdentifierKind::CustomerId, "C0042"), 4),
        ]);
        let suppression = Suppression::of(key, digests);
        assert_eq!(suppression.email(" Jane@Example.COM "), Some(4));
        assert_eq!(suppression.customer_id("C0042"), Some(4));
        assert_eq!(suppression.customer_id("c0042"), None);
        assert_eq!(Suppression::none().email("jane@example.com"), None);
    }
}

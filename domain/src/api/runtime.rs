//! What the API keeps in memory per instance so that a call touches the database only when
//! something changed: recently checked tokens (`TokenCache`, a few seconds, emptied for a client
//! the moment it is disabled or rotated here) and the audit records of reads, written off the
//! answer's path (`ReadAudit`, `read_audit.rs`); the bell that wakes the DNC request worker when a request is
//! accepted here (other instances find it by polling); and the integrator events this instance
//! relays to its event streams (`EventHub`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::PgPool;
use uuid::Uuid;

use super::principal::ApiPrincipal;
use super::read_audit::ReadAudit;

/// How long a checked token is believed without asking the database again: the longest another
/// instance (or `ocm api-client disable`) takes to stop a disabled or rotated client.
pub const TOKEN_CACHE_FOR: Duration = Duration::from_secs(2);
/// Tokens remembered at most; past it the cache starts again empty.
const TOKEN_CACHE_MAX: usize = 10_000;

/// The API's per-instance memory.
#[derive(Clone)]
pub struct ApiRuntime {
    pub tokens: TokenCache,
    pub reads: ReadAudit,
    pub dnc_requests: Arc<tokio::sync::Notify>,
    pub events: super::events::hub::EventHub,
}

impl ApiRuntime {
    /// Starts the read-audit writer on `pool` (call within the runtime).
    pub fn start(pool: PgPool) -> Self {
        ApiRuntime {
            tokens: TokenCache::default(),
            reads: ReadAudit::start(pool),
            dnc_requests: Arc::default(),
            events: Default::default(),
        }
    }
}

/// Checked tokens by their SHA-256: the client and until when it is believed.
type Checked = HashMap<Vec<u8>, (ApiPrincipal, Instant)>;

/// Tokens checked recently.
#[derive(Clone, Default)]
pub struct TokenCache(Arc<Mutex<Checked>>);

impl TokenCache {
    fn locked(&self) -> std::sync::MutexGuard<'_, Checked> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The client of a token checked less than its time ago.
    pub fn get(&self, digest: &[u8]) -> Option<ApiPrincipal> {
        let cache = self.locked();
        let (principal, until) = cache.get(digest)?;
        (Instant::now() < *until).then(|| principal.clone())
    }

    /// Remembers a checked token for `TOKEN_CACHE_FOR`, or less when it expires sooner.
    pub fn put(&self, digest: Vec<u8>, principal: ApiPrincipal, lives_for: Duration) {
        let mut cache = self.locked();
        if cache.len() >= TOKEN_CACHE_MAX {
            cache.clear();
        }
        let until = Instant::now() + lives_for.min(TOKEN_CACHE_FOR);
        cache.insert(digest, (principal, until));
    }

    /// Forgets every token of a client (disabled or rotated on this instance).
    pub fn forget(&self, client: Uuid) {
        self.locked()
            .retain(|_, (principal, _)| principal.client_id != client);
    }

    /// [`TokenCache::forget`] by the client id as text (an id that is none forgets nothing).
    pub fn forget_id(&self, client: &str) {
        if let Ok(client) = Uuid::parse_str(client.trim()) {
            self.forget(client);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(client: u128) -> ApiPrincipal {
        ApiPrincipal {
            client_id: Uuid::from_u128(client),
            name: "crm".into(),
            organization: None,
            scopes: Vec::new(),
        }
    }

    #[test]
    fn cached_tokens_expire_and_are_forgotten_per_client() {
        let cache = TokenCache::default();
        cache.put(vec![1], principal(1), Duration::from_secs(60));
        cache.put(vec![2], principal(2), Duration::from_secs(60));
        cache.put(vec![3], principal(3), Duration::ZERO);
        assert_eq!(
            cache.get(&[1]).map(|p| p.client_id),
            Some(Uuid::from_u128(1))
        );
        assert!(
            cache.get(&[3]).is_none(),
            "a token about to expire is not cached"
        );
        cache.forget(Uuid::from_u128(1));
        assert!(cache.get(&[1]).is_none());
        assert!(cache.get(&[2]).is_some());
    }
}

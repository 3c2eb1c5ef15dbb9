//! Webhooks of the automation API's clients as the admin page shows them: where a client's
//! events are delivered, the secret that signs them (shown once) and each delivery's outcome
//! (`docs/api.md`).

use serde::{Deserialize, Serialize};

use super::ApiScope;

const CAMPAIGNS: &[ApiScope] = &[ApiScope::CampaignsRead, ApiScope::CampaignsControl];
const EMERGENCY: &[ApiScope] = &[
    ApiScope::Emergency,
    ApiScope::CampaignsRead,
    ApiScope::CampaignsControl,
];

/// Every event kind: what it reports, and the scopes that let a client see it (any one).
pub const EVENT_KINDS: [(&str, &str, &[ApiScope]); 5] = [
    (
        "campaign.job_state",
        "A campaign's job changed state",
        CAMPAIGNS,
    ),
    ("emergency.enabled", "Emergency mode turned on", EMERGENCY),
    ("emergency.disabled", "Emergency mode lifted", EMERGENCY),
    (
        "dnc.request_state",
        "A DNC request's receipt changed state",
        &[ApiScope::Dnc],
    ),
    (
        "records.cancel_state",
        "A record cancel's receipt changed state",
        &[ApiScope::Records],
    ),
];

/// Whether `scopes` let a client see events of `kind`.
pub fn event_kind_allowed(kind: &str, scopes: &[ApiScope]) -> bool {
    EVENT_KINDS
        .iter()
        .any(|(k, _, needs)| *k == kind && needs.iter().any(|s| scopes.contains(s)))
}

/// One webhook, as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookRow {
    pub webhook_id: String,
    pub client_id: String,
    pub client_name: String,
    pub url: String,
    /// Empty: every kind the client's scopes allow.
    pub kinds: Vec<String>,
    pub disabled_at: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub secret_rotated_at: Option<String>,
    /// Deliveries delivered, still being tried, and given up, over the kept log.
    pub delivered: i64,
    pub waiting: i64,
    pub failed: i64,
    /// The last attempt: when, and its HTTP status or error.
    pub last_attempt_at: Option<String>,
    pub last_outcome: Option<String>,
}

/// What an admin registers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWebhook {
    pub client_id: String,
    pub url: String,
    pub kinds: Vec<String>,
}

/// A webhook's signing secret, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedWebhookSecret {
    pub webhook_id: String,
    pub url: String,
    pub secret: String,
}

/// One delivery of one event to one webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDeliveryRow {
    pub delivery_id: i64,
    pub webhook_id: String,
    pub url: String,
    pub event_id: String,
    pub kind: String,
    pub organization: Option<String>,
    /// `pending`, `delivering`, `delivered` or `failed`.
    pub state: String,
    pub attempts: i32,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub last_attempt_at: Option<String>,
    /// When it is tried next, while it is still being tried.
    pub next_attempt_at: Option<String>,
    pub created_at: String,
}

/// The webhooks page: every webhook, the clients one may be added to, the latest deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhooksView {
    pub webhooks: Vec<WebhookRow>,
    /// (client id, name) of enabled clients.
    pub clients: Vec<(String, String)>,
    pub deliveries: Vec<WebhookDeliveryRow>,
}

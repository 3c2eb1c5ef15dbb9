//! The automation API's clients as the admin page and the CLI see them: scopes, the list row and
//! the secret shown once (`docs/api.md`).

use serde::{Deserialize, Serialize};

/// What a client may do. Stored and written on the wire as the spelling below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApiScope {
    #[serde(rename = "dnc")]
    Dnc,
    #[serde(rename = "records")]
    Records,
    #[serde(rename = "campaigns:read")]
    CampaignsRead,
    #[serde(rename = "campaigns:control")]
    CampaignsControl,
    #[serde(rename = "emergency")]
    Emergency,
    #[serde(rename = "reports")]
    Reports,
    #[serde(rename = "admin")]
    Admin,
}

impl ApiScope {
    /// Every scope, in the order the form offers them.
    pub const ALL: [ApiScope; 7] = [
        ApiScope::Dnc,
        ApiScope::Records,
        ApiScope::CampaignsRead,
        ApiScope::CampaignsControl,
        ApiScope::Emergency,
        ApiScope::Reports,
        ApiScope::Admin,
    ];

    /// The stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiScope::Dnc => "dnc",
            ApiScope::Records => "records",
            ApiScope::CampaignsRead => "campaigns:read",
            ApiScope::CampaignsControl => "campaigns:control",
            ApiScope::Emergency => "emergency",
            ApiScope::Reports => "reports",
            ApiScope::Admin => "admin",
        }
    }

    /// What the scope allows, in words for the admin page.
    pub fn label(self) -> &'static str {
        match self {
            ApiScope::Dnc => "DNC: add, check, remove",
            ApiScope::Records => "Records: cancel",
            ApiScope::CampaignsRead => "Campaigns and lists: read",
            ApiScope::CampaignsControl => "Campaigns: start, pause, resume, stop",
            ApiScope::Emergency => "Emergency stop",
            ApiScope::Reports => "Reports: read, add sales and Not-in-Listing rows",
            ApiScope::Admin => "Teams and users",
        }
    }

    /// The scope spelled `text`, if any.
    pub fn parse(text: &str) -> Option<ApiScope> {
        ApiScope::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// One registered client, as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiClientRow {
    pub client_id: String,
    pub name: String,
    /// None: every organization.
    pub organization: Option<String>,
    pub scopes: Vec<String>,
    /// RFC 3339; none: never expires.
    pub expires_at: Option<String>,
    pub disabled_at: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub secret_rotated_at: Option<String>,
    /// When it last obtained a token (RFC 3339).
    pub last_token_at: Option<String>,
}

/// What an admin registers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiClient {
    pub name: String,
    /// The organization it serves, unless `all_organizations`.
    pub organization: String,
    /// It serves every organization (each call names one); chosen explicitly, never by leaving
    /// the organization empty.
    #[serde(default)]
    pub all_organizations: bool,
    pub scopes: Vec<String>,
    /// `yyyy-mm-dd` (the end of that day in the report time zone); empty: never.
    pub expires_on: String,
}

/// A client id and its secret, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedSecret {
    pub client_id: String,
    pub name: String,
    pub secret: String,
}

/// The API clients page: every client, and the organizations a new one may serve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiClientsView {
    pub clients: Vec<ApiClientRow>,
    pub organizations: Vec<String>,
}

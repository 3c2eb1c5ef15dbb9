//! A receipt (a DNC request's or a record cancel's) as the organization's clients read it: the request's state and, per address and contact, what
//! reached POM and what POM said. Another organization's receipt is "not found".

use sqlx::PgPool;
use uuid::Uuid;

use crate::dates::rfc3339;
use crate::error::AppError;

/// One thing POM was asked to do for the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptItem {
    /// `address` (onto the organization's DNC list) or `contact` (marked uncallable).
    pub kind: String,
    /// The phone number in POM's form, or the customer id.
    pub value: String,
    /// The DNC list or contact list, once known.
    pub list: Option<String>,
    /// `pending`, `sending`, `applied`, `verified` or `failed`.
    pub state: String,
    pub pom_fault: Option<i32>,
    pub reason: Option<String>,
    pub applied_at: Option<String>,
    pub verified_at: Option<String>,
    /// For a contact: whether POM said an attempt was running for it when it was found (none:
    /// POM did not say).
    pub in_progress: Option<bool>,
}

/// A request and its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub request_id: Uuid,
    /// `accepted`, `applied`, `verified` or `failed`.
    pub state: String,
    pub organization: String,
    pub client: String,
    /// A record cancel's phone.
    pub phone: Option<String>,
    pub customer_id: Option<String>,
    pub campaign: Option<String>,
    pub scope: String,
    pub expires_at: Option<String>,
    pub reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub items: Vec<ReceiptItem>,
}

/// What a receipt is for: a DNC request or a record cancel (each read only as itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    Dnc,
    Cancel,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Dnc => "dnc",
            RequestKind::Cancel => "cancel",
        }
    }
}

/// The receipt `request_id` of `organization`.
pub async fn receipt(
    pool: &PgPool,
    organization: &str,
    (kind, request_id): (RequestKind, Uuid),
) -> Result<Receipt, AppError> {
    let not_found = || {
        AppError::NotFound(match kind {
            RequestKind::Dnc => format!("DNC request {request_id}"),
            RequestKind::Cancel => format!("Record cancel {request_id}"),
        })
    };
    let request = sqlx::query!(
        "select state, organization, client_name, phone, customer_id, campaign, scope, expires_at,
                reason, created_at, updated_at
         from dnc_request where dnc_request_id = $1 and organization = $2 and kind = $3",
        request_id,
        organization,
        kind.as_str(),
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(not_found)?;
    let items = sqlx::query!(
        "select i.kind, e.address, i.target_name, i.state, i.pom_fault, i.reason, i.applied_at,
                i.verified_at, i.in_progress
         from dnc_request_item i join dnc_entry e using (dnc_entry_id)
         where i.dnc_request_id = $1 order by i.dnc_request_item_id",
        request_id,
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|i| ReceiptItem {
        kind: i.kind,
        value: i.address,
        list: i.target_name,
        state: i.state,
        pom_fault: i.pom_fault,
        reason: i.reason,
        applied_at: i.applied_at.map(rfc3339),
        verified_at: i.verified_at.map(rfc3339),
        in_progress: i.in_progress,
    })
    .collect();
    Ok(Receipt {
        request_id,
        state: request.state,
        organization: request.organization,
        client: request.client_name,
        phone: request.phone,
        customer_id: request.customer_id,
        campaign: request.campaign,
        scope: request.scope,
        expires_at: request.expires_at.map(rfc3339),
        reason: request.reason,
        created_at: rfc3339(request.created_at),
        updated_at: rfc3339(request.updated_at),
        items,
    })
}

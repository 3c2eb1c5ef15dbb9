//! Accepting a DNC request: the phone and customer id are checked by OCM's DNC rules, the
//! campaign must be the organization's, and in one transaction the receipt, the phone's registry
//! entry (source `api`, pending) and its item are stored and audited. Nothing reaches POM here:
//! the worker sends it, batched with other requests.

use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::receipt::{receipt, Receipt, RequestKind};
use super::DncScope;
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::campaigns;
use crate::dnc::parse::{normalise_address, normalise_contact_id};
use crate::dnc::single::refuse_erased;
use crate::dnc::timed::check_expiry;
use crate::error::AppError;
use crate::model::AuditAction;

/// What a caller asks for.
#[derive(Debug, Clone, Default)]
pub struct DncRequestInput {
    pub phone: Option<String>,
    pub customer_id: Option<String>,
    pub campaign: Option<String>,
    pub scope: DncScope,
    /// Timed DNC: when the phone comes off the list again.
    pub expires_at: Option<OffsetDateTime>,
}

/// The checked request: the phone in POM's form, the customer id trimmed.
struct Checked {
    phone: Option<String>,
    customer_id: Option<String>,
    campaign: Option<String>,
}

fn renamed(error: AppError, field: &str) -> AppError {
    match error {
        AppError::Validation { message, .. } => AppError::validation(field, message),
        other => other,
    }
}

async fn check(ctx: &Ctx, input: &DncRequestInput) -> Result<Checked, AppError> {
    let organization = &ctx.user.organization;
    let phone = match input.phone.as_deref().map(str::trim) {
        None => None,
        Some(raw) if raw.contains('@') => {
            return Err(AppError::validation(
                "phone",
                "an e-mail address is not a phone number",
            ))
        }
        Some(raw) => {
            let checked = normalise_address(raw, &ctx.state.settings.phone)
                .map_err(|reason| AppError::validation("phone", reason))?;
            refuse_erased(ctx, organization, &checked)
                .await
                .map_err(|e| renamed(e, "phone"))?;
            Some(checked.value)
        }
    };
    let customer_id = input
        .customer_id
        .as_deref()
        .map(normalise_contact_id)
        .transpose()
        .map_err(|reason| AppError::validation("customer_id", reason))?;
    if phone.is_none() && customer_id.is_none() {
        return Err(AppError::validation(
            "phone",
            "give a phone, a customer_id or both",
        ));
    }
    if let Some(at) = input.expires_at {
        if phone.is_none() {
            return Err(AppError::validation(
                "expires_at",
                "only a phone's DNC entry can expire: POM cannot make a contact callable again",
            ));
        }
        check_expiry(at, "expires_at")?;
    }
    let campaign = input
        .campaign
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if campaign.is_some() && input.scope == DncScope::AllChain {
        return Err(AppError::validation(
            "campaign",
            "all_chain covers every list of the organization: give a campaign only with record_only",
        ));
    }
    if input.scope == DncScope::RecordOnly && (campaign.is_none() || customer_id.is_none()) {
        return Err(AppError::validation(
            if campaign.is_none() { "campaign" } else { "customer_id" },
            "record_only makes a customer's records uncallable in one campaign: give both customer_id and campaign",
        ));
    }
    if let Some(campaign) = campaign {
        campaigns::campaign_in(ctx, organization, campaign).await?;
    }
    Ok(Checked {
        phone,
        customer_id,
        campaign: campaign.map(str::to_string),
    })
}

/// Accepts a request from `client` (id, name) for the context's organization: the receipt, in
/// state `accepted`.
pub async fn accept(
    ctx: &Ctx,
    client: (Uuid, &str),
    input: DncRequestInput,
) -> Result<Receipt, AppError> {
    let checked = check(ctx, &input).await?;
    let organization = ctx.user.organization.clone();
    let request_id = Uuid::new_v4();
    let requester = format!("api:{}", client.1);
    let mut tx = ctx.state.pool.begin().await?;
    sqlx::query!(
        "insert into dnc_request (dnc_request_id, organization, api_client_id, client_name,
             campaign, scope, customer_id, expanded_at, expires_at, state)
         values ($1, $2, $3, $4, $5, $6, $7, case when $7::text is null then now() end, $8,
             'accepted')",
        request_id,
        organization,
        client.0,
        client.1,
        checked.campaign,
        input.scope.as_str(),
        checked.customer_id,
        input.expires_at,
    )
    .execute(&mut *tx)
    .await?;
    if let Some(phone) = &checked.phone {
        // The list is the organization's DNC list, named when the batch is sent.
        sqlx::query!(
            "with entry as (
                 insert into dnc_entry (organization, address, action, source, list_name,
                     requested_by_name, state, expires_at)
                 values ($1, $2, 'add', 'api', $1, $3, 'pending', $4) returning dnc_entry_id)
             insert into dnc_request_item (dnc_request_id, kind, organization, dnc_entry_id, state)
             select $5, 'address', $1, dnc_entry_id, 'pending' from entry",
            organization,
            phone,
            requester,
            input.expires_at,
            request_id,
        )
        .execute(&mut *tx)
        .await?;
    }
    let event = AuditEvent::new(AuditAction::DncRequest, Outcome::Success)
        .with_organization(organization.clone())
        .with_target(format!("DNC request {request_id}"))
        .with_parameters(json!({
            "request_id": request_id,
            "phone": checked.phone.is_some(),
            "customer_id": checked.customer_id.is_some(),
            "campaign": checked.campaign,
            "scope": input.scope.as_str(),
            "expires_at": input.expires_at.map(crate::dates::rfc3339),
        }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    ctx.state.api.dnc_requests.notify_one();
    receipt(
        &ctx.state.pool,
        &organization,
        (RequestKind::Dnc, request_id),
    )
    .await
}

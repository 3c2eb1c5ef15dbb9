//! Accepting a record cancel (seed 002 `CM_ReqCancelRecord`): the phone is read by OCM's DNC
//! rules, the customer id trimmed, the campaign must be the organization's; the receipt is stored
//! and audited in one transaction. The worker then finds the contacts (`records`) and makes them
//! uncallable in POM, batched with other requests; contacts POM reports as being dialled are
//! flagged on the receipt (Genesys' "record(s) on desktop").

use serde_json::json;
use uuid::Uuid;

use super::receipt::{receipt, Receipt, RequestKind};
use super::DncScope;
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::campaigns;
use crate::dnc::parse::{normalise_address, normalise_contact_id};
use crate::dnc::single::refuse_erased;
use crate::error::AppError;
use crate::model::AuditAction;

/// What a caller asks for.
#[derive(Debug, Clone, Default)]
pub struct CancelInput {
    pub phone: String,
    /// Only this customer's records with the phone.
    pub customer_id: Option<String>,
    /// Only in this campaign's lists.
    pub campaign: Option<String>,
    /// `all_chain` (default) also cancels the other records of the customers found.
    pub scope: DncScope,
}

/// The checked request: the phone in POM's form, the customer id and campaign trimmed.
struct Checked {
    phone: String,
    customer_id: Option<String>,
    campaign: Option<String>,
}

async fn check(ctx: &Ctx, input: &CancelInput) -> Result<Checked, AppError> {
    let organization = &ctx.user.organization;
    let raw = input.phone.trim();
    if raw.contains('@') {
        return Err(AppError::validation(
            "phone",
            "an e-mail address is not a phone number",
        ));
    }
    let phone = normalise_address(raw, &ctx.state.settings.phone)
        .map_err(|reason| AppError::validation("phone", reason))?;
    refuse_erased(ctx, organization, &phone)
        .await
        .map_err(|error| match error {
            AppError::Validation { message, .. } => AppError::validation("phone", message),
            other => other,
        })?;
    let customer_id = input
        .customer_id
        .as_deref()
        .map(normalise_contact_id)
        .transpose()
        .map_err(|reason| AppError::validation("customer_id", reason))?;
    let campaign = input
        .campaign
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(campaign) = campaign {
        campaigns::campaign_in(ctx, organization, campaign).await?;
    }
    Ok(Checked {
        phone: phone.value,
        customer_id,
        campaign: campaign.map(str::to_string),
    })
}

/// Accepts a cancel from `client` (id, name) for the context's organization: the receipt, in
/// state `accepted`.
pub async fn accept_cancel(
    ctx: &Ctx,
    client: (Uuid, &str),
    input: CancelInput,
) -> Result<Receipt, AppError> {
    let checked = check(ctx, &input).await?;
    let organization = ctx.user.organization.clone();
    let request_id = Uuid::new_v4();
    let mut tx = ctx.state.pool.begin().await?;
    sqlx::query!(
        "insert into dnc_request (dnc_request_id, kind, organization, api_client_id, client_name,
             campaign, scope, phone, customer_id, state)
         values ($1, 'cancel', $2, $3, $4, $5, $6, $7, $8, 'accepted')",
        request_id,
        organization,
        client.0,
        client.1,
        checked.campaign,
        input.scope.as_str(),
        checked.phone,
        checked.customer_id,
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new(AuditAction::RecordCancelRequest, Outcome::Success)
        .with_organization(organization.clone())
        .with_target(format!("Record cancel {request_id}"))
        .with_parameters(json!({
            "request_id": request_id,
            "customer_id": checked.customer_id.is_some(),
            "campaign": checked.campaign,
            "scope": input.scope.as_str(),
        }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    ctx.state.api.dnc_requests.notify_one();
    receipt(
        &ctx.state.pool,
        &organization,
        (RequestKind::Cancel, request_id),
    )
    .await
}

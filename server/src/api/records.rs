//! Record cancel for other systems (seed 002 `CM_ReqCancelRecord`): a cancel answers at once with
//! a receipt the client follows; the contacts holding the phone are found and made uncallable in
//! POM by the DNC requests' worker (`domain::dnc::requests`). Every call needs the scope
//! `records`.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use domain::dnc::requests::{self, CancelInput, DncScope, Receipt, RequestKind};
use serde::{Deserialize, Serialize};
use types::model::ApiScope;
use utoipa::ToSchema;

use super::campaigns::OrganizationQuery;
use super::dnc::receipt_of;
use super::paging::ApiQuery;
use crate::edge::api::{answer, ActionRefusals, ApiCaller, ApiPost, Problem, ReadRefusals};

/// Genesys' words when records were being dialled as they were cancelled.
const ON_DESKTOP: &str = "Incomplete processing: record(s) on desktop";

/// A record cancel.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelBody {
    /// The phone number whose records are cancelled (`phoneNumber1` or `phoneNumber2`, in any
    /// form POM may hold it).
    #[schema(max_length = 64)]
    pub phone: String,
    /// Only this customer's (POM `userContactId`) records with the phone.
    #[schema(max_length = 255)]
    pub customer_id: Option<String>,
    /// Only in this campaign's lists.
    pub campaign: Option<String>,
    /// `all_chain` (default): also every other record of the customers found; `record_only`:
    /// only the records holding the phone.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(all_chain|record_only)$")]
    pub scope: DncScope,
}

/// One contact a cancel reached.
#[derive(Debug, Serialize, ToSchema)]
pub struct CancelledContactView {
    pub list: Option<String>,
    pub user_contact_id: String,
    /// `pending`, `sending`, `applied` (POM marked it uncallable), `verified` (read back) or
    /// `failed`.
    pub state: String,
    /// POM said an attempt was running for it when it was found: that attempt goes on, no
    /// further one is made (null: POM did not say).
    pub in_progress: Option<bool>,
    pub pom_fault: Option<i32>,
    pub reason: Option<String>,
    pub applied_at: Option<String>,
    pub verified_at: Option<String>,
}

/// A cancel's receipt: `accepted` → `applied` → `verified`, or `failed` with the reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct CancelReceiptView {
    pub request_id: String,
    pub state: String,
    pub organization: String,
    pub client: String,
    pub phone: String,
    pub customer_id: Option<String>,
    pub campaign: Option<String>,
    pub scope: String,
    /// Contacts POM made uncallable that were not being dialled.
    pub cancelled: usize,
    /// Contacts made uncallable while an attempt was running for them.
    pub in_progress: usize,
    /// "Incomplete processing: record(s) on desktop" when `in_progress` is not zero.
    pub message: Option<String>,
    /// Why the cancel as a whole failed (no contact has the phone, …).
    pub reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub contacts: Vec<CancelledContactView>,
}

impl From<Receipt> for CancelReceiptView {
    fn from(r: Receipt) -> Self {
        let done = |state: &str| matches!(state, "applied" | "verified");
        let dialling = r
            .items
            .iter()
            .filter(|i| done(&i.state) && i.in_progress == Some(true))
            .count();
        let cancelled = r.items.iter().filter(|i| done(&i.state)).count() - dialling;
        CancelReceiptView {
            request_id: r.request_id.to_string(),
            state: r.state,
            organization: r.organization,
            client: r.client,
            phone: r.phone.unwrap_or_default(),
            customer_id: r.customer_id,
            campaign: r.campaign,
            scope: r.scope,
            cancelled,
            in_progress: dialling,
            message: (dialling > 0).then(|| ON_DESKTOP.to_string()),
            reason: r.reason,
            created_at: r.created_at,
            updated_at: r.updated_at,
            contacts: r
                .items
                .into_iter()
                .map(|i| CancelledContactView {
                    list: i.list,
                    user_contact_id: i.value,
                    state: i.state,
                    in_progress: i.in_progress,
                    pom_fault: i.pom_fault,
                    reason: i.reason,
                    applied_at: i.applied_at,
                    verified_at: i.verified_at,
                })
                .collect(),
        }
    }
}

/// Cancels the records holding a phone: 202 with a receipt to follow at
/// `GET /records/cancel/{id}`. The contacts are made uncallable in POM, batched with other
/// requests; those being dialled at the time are counted apart.
#[utoipa::path(post, path = "/records/cancel", tag = "records", params(OrganizationQuery,
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "Runs the call once per key and body (1 to 200 visible ASCII characters)")),
    request_body = CancelBody, security(("bearer" = ["records"])),
    responses((status = 202, body = CancelReceiptView), ReadRefusals, ActionRefusals))]
pub async fn cancel(
    caller: ApiCaller,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
    post: ApiPost,
) -> Response {
    let check = (ApiScope::Records, "POST /api/v1/records/cancel");
    post.json(caller, check, |caller, request: CancelBody| async move {
        let ctx = caller.ctx(query.organization.as_deref()).await?;
        let client = (caller.principal.client_id, caller.principal.name.as_str());
        let input = CancelInput {
            phone: request.phone,
            customer_id: request.customer_id,
            campaign: request.campaign,
            scope: request.scope,
        };
        let receipt = requests::accept_cancel(&ctx, client, input)
            .await
            .map_err(|e| Problem::from(e).not_found_as("campaign_not_found"))?;
        answer(StatusCode::ACCEPTED, CancelReceiptView::from(receipt))
    })
    .await
}

/// A cancel's receipt, as it stands.
#[utoipa::path(get, path = "/records/cancel/{id}", tag = "records",
    params(("id" = String, Path, description = "The receipt's `request_id`"), OrganizationQuery),
    security(("bearer" = ["records"])), responses((status = 200, body = CancelReceiptView), ReadRefusals))]
pub async fn receipt(
    caller: ApiCaller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
) -> Result<Json<CancelReceiptView>, Problem> {
    let check = (ApiScope::Records, "GET /api/v1/records/cancel/{id}");
    let wanted = (
        RequestKind::Cancel,
        "record_cancel_not_found",
        "record cancel",
    );
    let receipt = receipt_of(&caller, &id, &query, check, wanted).await?;
    Ok(Json(receipt.into()))
}

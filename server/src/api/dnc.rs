//! DNC for other systems (seed 002 `CM_ReqDoNotCall`): a request answers at once with a receipt
//! the client follows (`domain::dnc::requests`), a number is looked up on POM's lists or taken
//! off the organization's (`domain::dnc::single`). Every call needs the scope `dnc`.

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use domain::dnc::requests::{self, DncRequestInput, DncScope, Receipt, RequestKind};
use domain::dnc::single::{self, Change};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use types::model::ApiScope;
use utoipa::ToSchema;

use super::campaigns::OrganizationQuery;
use super::paging::ApiQuery;
use crate::edge::api::body::json_body;
use crate::edge::api::{answer, ActionRefusals, ApiCaller, ApiPost, Problem, ReadRefusals};

/// A DNC request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DncRequestBody {
    /// A phone number (OCM's DNC rules read it; sent in POM's form) for the organization's DNC
    /// list.
    #[schema(max_length = 64)]
    pub phone: Option<String>,
    /// A customer (POM `userContactId`) whose records are made uncallable.
    #[schema(max_length = 255)]
    pub customer_id: Option<String>,
    /// The campaign whose lists `record_only` limits the customer's records to.
    pub campaign: Option<String>,
    /// `all_chain` (default): every record of the customer in the organization's contact lists;
    /// `record_only`: only in the campaign's lists.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "^(all_chain|record_only)$")]
    pub scope: DncScope,
    /// Timed DNC (RFC 3339): the phone comes off the list again then.
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
}

/// One thing POM was asked to do for a request.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptItemView {
    /// `address` (onto the DNC list) or `contact` (marked uncallable).
    pub kind: String,
    /// The phone in POM's form, or the customer id.
    pub value: String,
    /// The DNC list or contact list, once known.
    pub list: Option<String>,
    /// `pending`, `sending`, `applied` (POM confirmed), `verified` (read back) or `failed`.
    pub state: String,
    pub pom_fault: Option<i32>,
    pub reason: Option<String>,
    pub applied_at: Option<String>,
    pub verified_at: Option<String>,
    /// For a contact: whether POM said an attempt was running for it when it was found (null:
    /// POM did not say).
    pub in_progress: Option<bool>,
}

/// A receipt: `accepted` → `applied` → `verified`, or `failed` with the reason per item.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptView {
    pub request_id: String,
    pub state: String,
    pub organization: String,
    pub client: String,
    pub customer_id: Option<String>,
    pub campaign: Option<String>,
    pub scope: String,
    pub expires_at: Option<String>,
    /// Why the request as a whole failed (the customer was not found, …).
    pub reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub items: Vec<ReceiptItemView>,
}

impl From<Receipt> for ReceiptView {
    fn from(r: Receipt) -> Self {
        ReceiptView {
            request_id: r.request_id.to_string(),
            state: r.state,
            organization: r.organization,
            client: r.client,
            customer_id: r.customer_id,
            campaign: r.campaign,
            scope: r.scope,
            expires_at: r.expires_at,
            reason: r.reason,
            created_at: r.created_at,
            updated_at: r.updated_at,
            items: r
                .items
                .into_iter()
                .map(|i| ReceiptItemView {
                    kind: i.kind,
                    value: i.value,
                    list: i.list,
                    state: i.state,
                    pom_fault: i.pom_fault,
                    reason: i.reason,
                    applied_at: i.applied_at,
                    verified_at: i.verified_at,
                    in_progress: i.in_progress,
                })
                .collect(),
        }
    }
}

/// Where a number stands on POM's lists.
#[derive(Debug, Serialize, ToSchema)]
pub struct DncStatusView {
    /// As POM holds it.
    pub address: String,
    /// As people write it.
    pub shown: Option<String>,
    pub on_common_list: bool,
    pub on_organization_list: bool,
    /// The forms found, with their list.
    pub listed_as: Vec<String>,
}

/// What a removal did.
#[derive(Debug, Serialize, ToSchema)]
pub struct RemovalView {
    pub address: String,
    pub message: String,
}

/// Asks for a phone and/or a customer to be put on do-not-call: 202 with a receipt to follow at
/// `GET /dnc/requests/{id}`. Requests arriving together reach POM in one call.
#[utoipa::path(post, path = "/dnc", tag = "dnc", params(OrganizationQuery,
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "Runs the call once per key and body (1 to 200 visible ASCII characters)")),
    request_body = DncRequestBody, security(("bearer" = ["dnc"])),
    responses((status = 202, body = ReceiptView), ReadRefusals, ActionRefusals))]
pub async fn request(
    caller: ApiCaller,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
    post: ApiPost,
) -> Response {
    let check = (ApiScope::Dnc, "POST /api/v1/dnc");
    post.read_with(
        caller,
        check,
        read_request,
        |caller, (request, expires_at)| async move {
            let ctx = caller.ctx(query.organization.as_deref()).await?;
            let client = (caller.principal.client_id, caller.principal.name.as_str());
            let input = DncRequestInput {
                phone: request.phone,
                customer_id: request.customer_id,
                campaign: request.campaign,
                scope: request.scope,
                expires_at,
            };
            let receipt = requests::accept(&ctx, client, input)
                .await
                .map_err(|e| Problem::from(e).not_found_as("campaign_not_found"))?;
            answer(StatusCode::ACCEPTED, ReceiptView::from(receipt))
        },
    )
    .await
}

/// The request with its expiry read (RFC 3339), before any `Idempotency-Key` is taken.
fn read_request(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(DncRequestBody, Option<OffsetDateTime>), Problem> {
    let request: DncRequestBody = json_body(headers, body)?;
    let expires_at = match request.expires_at.as_deref() {
        None => None,
        Some(at) => Some(OffsetDateTime::parse(at, &Rfc3339).map_err(|_| {
            Problem::invalid(
                "expires_at",
                "an RFC 3339 date and time, e.g. 2027-01-31T00:00:00Z",
            )
        })?),
    };
    Ok((request, expires_at))
}

/// A receipt, as it stands.
#[utoipa::path(get, path = "/dnc/requests/{id}", tag = "dnc",
    params(("id" = String, Path, description = "The receipt's `request_id`"), OrganizationQuery),
    security(("bearer" = ["dnc"])), responses((status = 200, body = ReceiptView), ReadRefusals))]
pub async fn receipt(
    caller: ApiCaller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
) -> Result<Json<ReceiptView>, Problem> {
    let check = (ApiScope::Dnc, "GET /api/v1/dnc/requests/{id}");
    let wanted = (RequestKind::Dnc, "dnc_request_not_found", "DNC request");
    let receipt = receipt_of(&caller, &id, &query, check, wanted).await?;
    Ok(Json(receipt.into()))
}

/// A receipt of `kind` by its id (as the caller wrote it) in the caller's organization; an id
/// that is not a receipt of that kind there is `not_found` ("No {label} {id}.").
pub(super) async fn receipt_of(
    caller: &ApiCaller,
    id: &str,
    query: &OrganizationQuery,
    (scope, route): (ApiScope, &str),
    (kind, not_found, label): (RequestKind, &'static str, &str),
) -> Result<Receipt, Problem> {
    caller.require(scope, route).await?;
    let ctx = caller.ctx(query.organization.as_deref()).await?;
    let organization = ctx.user.organization;
    let request_id = uuid::Uuid::parse_str(id.trim()).map_err(|_| {
        Problem::new(
            StatusCode::NOT_FOUND,
            not_found,
            format!("No {label} {id}."),
        )
    })?;
    let receipt = requests::receipt(&caller.state.pool, &organization, (kind, request_id))
        .await
        .map_err(|e| Problem::from(e).not_found_as(not_found))?;
    caller.audit_read(route, &organization).await?;
    Ok(receipt)
}

/// Whether a number is on POM's common DNC list and the organization's, in any form POM may
/// hold it.
#[utoipa::path(get, path = "/dnc/{address}", tag = "dnc",
    params(("address" = String, Path, description = "A phone number or e-mail address"), OrganizationQuery),
    security(("bearer" = ["dnc"])), responses((status = 200, body = DncStatusView), ReadRefusals))]
pub async fn status(
    caller: ApiCaller,
    Path(address): Path<String>,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
) -> Result<Json<DncStatusView>, Problem> {
    let route = "GET /api/v1/dnc/{address}";
    caller.require(ApiScope::Dnc, route).await?;
    let ctx = caller.ctx(query.organization.as_deref()).await?;
    let check = single::check(&ctx, &address).await?;
    caller.audit_read(route, &ctx.user.organization).await?;
    Ok(Json(DncStatusView {
        address: check.address,
        shown: check.shown,
        on_common_list: check.common,
        on_organization_list: check.organization,
        listed_as: check.listed_as,
    }))
}

/// Takes a number off the organization's DNC list (registered and audited before POM is asked;
/// runs to its end even if the caller goes away).
#[utoipa::path(delete, path = "/dnc/{address}", tag = "dnc",
    params(("address" = String, Path, description = "A phone number or e-mail address"), OrganizationQuery,
           ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "Runs the call once per key (1 to 200 visible ASCII characters)")),
    security(("bearer" = ["dnc"])),
    responses((status = 200, body = RemovalView), ReadRefusals, ActionRefusals))]
pub async fn remove(
    caller: ApiCaller,
    Path(address): Path<String>,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
    post: ApiPost,
) -> Response {
    let check = (ApiScope::Dnc, "DELETE /api/v1/dnc/{address}");
    post.bodiless(caller, check, |caller| async move {
        let ctx = caller.ctx(query.organization.as_deref()).await?;
        let result = single::change(&ctx, &address, Change::Remove, None).await?;
        if !result.done {
            let mut problem = Problem::new(StatusCode::CONFLICT, "pom_refused", result.message);
            problem.field = Some("address".into());
            return Err(problem);
        }
        let view = RemovalView {
            address: result.address,
            message: result.message,
        };
        answer(StatusCode::OK, view)
    })
    .await
}

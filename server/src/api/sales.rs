//! `POST /api/v1/sales`: sales-screen records from another system (seed 001's sales report
//! input), read by the call-data feed's contract for sales and stored with the sales summaries
//! (`domain::call_data::sales_input`). Scope `reports`.

use axum::http::StatusCode;
use axum::response::Response;
use domain::call_data::sales_input;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use types::model::ApiScope;
use utoipa::ToSchema;

use super::campaigns::OrganizationQuery;
use super::paging::ApiQuery;
use crate::edge::api::{answer, ActionRefusals, ApiCaller, ApiPost, ReadRefusals};

/// A batch of sales.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SalesBody {
    /// 1 to 5,000 sales, each with the feed's sale fields: `sale_id`, `session_id`, `job_id`,
    /// `campaign`, `list`, `user_contact_id`, `agent_id`, `team`, `product`, `category`,
    /// `amount` (a decimal with at most two places), `currency`, `submitted_at` (RFC 3339).
    #[schema(value_type = Vec<Object>, min_items = 1, max_items = 5000)]
    pub sales: Vec<Value>,
}

/// What was stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct SalesAnswer {
    pub received: usize,
    /// New sales; the others were stored before (same id and time).
    pub added: i64,
}

/// Adds sales-screen records for the Sales report; the batch is refused whole, naming the sale
/// and the reason, if any breaks the contract.
#[utoipa::path(post, path = "/sales", tag = "reports", request_body = SalesBody,
    params(OrganizationQuery,
           ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,200}$", description = "Runs the call once per key and body (1 to 200 visible ASCII characters)")),
    security(("bearer" = ["reports"])),
    responses((status = 201, body = SalesAnswer), ReadRefusals, ActionRefusals))]
pub async fn add(
    caller: ApiCaller,
    ApiQuery(query): ApiQuery<OrganizationQuery>,
    post: ApiPost,
) -> Response {
    let check = (ApiScope::Reports, "POST /api/v1/sales");
    post.json(caller, check, |caller, request: SalesBody| async move {
        let ctx = caller.ctx(query.organization.as_deref()).await?;
        let added = sales_input::add(&ctx, request.sales).await?;
        let view = SalesAnswer {
            received: added.received,
            added: added.added,
        };
        answer(StatusCode::CREATED, view)
    })
    .await
}

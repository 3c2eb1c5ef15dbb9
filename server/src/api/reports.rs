//! Reports for other systems (issue 20): every report of the report kit read as JSON pages
//! (`items` keyed by the export's column keys, `next_cursor`), or whole as CSV (`Accept:
//! text/csv`, or `…/export.csv`) or a workbook (`…/export.xlsx`) through the same export as the
//! pages' download links. Filters are the report page's own query parameters, checked strictly:
//! an unknown parameter or a value the report cannot read is 400 naming it. Scope `reports`; the
//! report's roles and admins' report-access rules apply to the client as to a supervisor of the
//! organization the call is about.

use axum::extract::{Path, RawQuery};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::report::{self, Report};
use serde::Serialize;
use serde_json::{Map, Value};
use types::model::{ApiScope, Role};
use types::report::{Position, ReportRequest, ReportRow, Sort};
use utoipa::ToSchema;

use super::paging::decode_query;
use crate::edge::api::{ApiCaller, Problem, ReadRefusals};
use crate::edge::report_export;

/// Parameters every report takes besides its filters.
const GENERAL: [&str; 3] = ["organization", "cursor", "order"];

/// A page of a report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportPageView {
    pub report: String,
    /// Each row keyed by the export's column keys, values as the CSV export writes them.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Map<String, Value>>,
    /// Rows matching the filters, when the report counts them.
    pub total: Option<i64>,
    /// Pass as `cursor` for the next page; none after the last.
    pub next_cursor: Option<String>,
}

/// The general parameters (`cursor`, `order`, `organization`).
#[derive(Debug, Default, serde::Deserialize)]
struct General {
    organization: Option<String>,
    cursor: Option<String>,
    order: Option<String>,
}

fn general(query: &str) -> Result<General, Problem> {
    let only: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| GENERAL.contains(&k.as_ref())),
        )
        .finish();
    decode_query(&only)
}

/// The context a report is read with: a supervisor of the one organization the call is about,
/// also for a client of every organization (as an admin, reports would show every
/// organization's rows whatever it named).
async fn reader(caller: &ApiCaller, asked: Option<&str>) -> Result<domain::access::Ctx, Problem> {
    let mut ctx = caller.ctx(asked).await?;
    ctx.user.role = Role::Supervisor;
    Ok(ctx)
}

pub(super) fn wants_csv(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().starts_with("text/csv")))
}

/// One page of `R` as JSON, or (`Accept: text/csv`) the whole export.
async fn read<R: Report>(
    caller: ApiCaller,
    name: &str,
    query: &str,
    csv: bool,
) -> Result<Response, Problem> {
    let route = format!("GET /api/v1/reports/{name}");
    read_as::<R>(caller, (ApiScope::Reports, &route), name, (query, csv)).await
}

/// [`read`] under another route and scope (a report that is also a collection of its own).
pub(super) async fn read_as<R: Report>(
    caller: ApiCaller,
    (scope, route): (ApiScope, &str),
    name: &str,
    (query, csv): (&str, bool),
) -> Result<Response, Problem> {
    caller.require(scope, route).await?;
    let filters = report::strict_filters::<R>(query, &GENERAL)?;
    let general = general(query)?;
    let ctx = reader(&caller, general.organization.as_deref()).await?;
    if csv {
        return export::<R>(ctx, "export.csv", query).await;
    }
    let sort = Sort {
        order: general.order,
    };
    if let Some(cursor) = general.cursor.as_deref().filter(|c| !c.is_empty()) {
        if !report::cursor_reads::<R>(&sort, cursor)? {
            return Err(Problem::invalid(
                "cursor",
                "not a cursor of this report in this order: pass the next_cursor of the page before",
            ));
        }
    }
    let request = ReportRequest {
        filters,
        position: Position {
            after: general.cursor,
            ..Position::default()
        },
        sort,
    };
    let page = report::page::<R>(&ctx, &request).await?;
    caller.audit_read(route, &ctx.user.organization).await?;
    let items = page
        .rows
        .iter()
        .map(|row| {
            R::Row::columns()
                .iter()
                .map(|c| (c.key.to_string(), Value::String((c.cell)(row))))
                .collect()
        })
        .collect();
    let view = ReportPageView {
        report: name.to_string(),
        items,
        total: page.total,
        next_cursor: page.next,
    };
    Ok(Json(view).into_response())
}

/// `report_not_found` for a key naming no report.
fn unknown_report(name: &str) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "report_not_found",
        format!("No report {name}: see /api/docs for the list."),
    )
}

/// The whole filtered report as CSV or a workbook, audited as the pages' exports are.
async fn export<R: Report>(
    ctx: domain::access::Ctx,
    file: &str,
    query: &str,
) -> Result<Response, Problem> {
    ctx.require(R::EXPORT_ACTION, R::ROLES).await?;
    report_export::build_for::<R>(ctx, file, query)
        .await
        .map_err(|e| Problem::from(e.0))
}

/// A report's page (JSON, `next_cursor`), or the whole report as CSV with `Accept: text/csv`.
/// The report's filters are its page's query parameters (`docs/api.md` lists them).
#[utoipa::path(get, path = "/reports/{report}", tag = "reports",
    params(("report" = String, Path, description = "call-attempts, nuisance, compliance, agent-time, job-summary, sales, codes, recalls, callbacks, inbound-abandoned, not-attempted, not-in-listing, dnc, purge-history, upload-history, audit"),
           ("organization" = Option<String>, Query, description = "Required for a client of every organization"),
           ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page before"),
           ("order" = Option<String>, Query, description = "A column key to sort by, `-` first for descending")),
    security(("bearer" = ["reports"])),
    responses((status = 200, description = "A page as JSON; with Accept: text/csv the whole list as CSV", content((ReportPageView = "application/json"), (String = "text/csv"))), ReadRefusals))]
pub async fn page(
    caller: ApiCaller,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let query = query.unwrap_or_default();
    let csv = wants_csv(&headers);
    match domain::by_report_key!(
        name.as_str(),
        read(caller, &name, &query, csv),
        Err(unknown_report(&name))
    ) {
        Ok(response) => response,
        Err(problem) => problem.into_response(),
    }
}

/// The whole filtered report as a file: `export.csv` (column keys, stored values) or
/// `export.xlsx` (headings, labels), formulas neutralised in every cell.
#[utoipa::path(get, path = "/reports/{report}/{file}", tag = "reports",
    params(("report" = String, Path, description = "As for GET /reports/{report}"),
           ("file" = String, Path, description = "export.csv or export.xlsx"),
           ("organization" = Option<String>, Query, description = "Required for a client of every organization"),
           ("order" = Option<String>, Query, description = "A column key to sort by, `-` first for descending")),
    security(("bearer" = ["reports"])),
    responses((status = 200, description = "The export", content_type = "text/csv", body = String), ReadRefusals))]
pub async fn file(
    caller: ApiCaller,
    Path((name, file)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let answer = async {
        if file != "export.csv" && file != "export.xlsx" {
            return Err(Problem::new(
                StatusCode::NOT_FOUND,
                "route_not_found",
                "A report's files are export.csv and export.xlsx.",
            ));
        }
        domain::by_report_key!(
            name.as_str(),
            whole(caller, &name, &file, &query),
            Err(unknown_report(&name))
        )
    };
    match answer.await {
        Ok(response) => response,
        Err(problem) => problem.into_response(),
    }
}

async fn whole<R: Report>(
    caller: ApiCaller,
    name: &str,
    file: &str,
    query: &str,
) -> Result<Response, Problem> {
    caller
        .require(
            ApiScope::Reports,
            &format!("GET /api/v1/reports/{name}/{file}"),
        )
        .await?;
    report::strict_filters::<R>(query, &GENERAL)?;
    let general = general(query)?;
    let ctx = reader(&caller, general.organization.as_deref()).await?;
    export::<R>(ctx, file, query).await
}

//! The simulator's REST surface under `/VP_POM_Service/{v1..v4}/` (reference/pom-rest-api.md).
//! Error bodies are `{errorCode, errorMessage, displayMessage}`: 404 unknown, 403 another
//! organization's, 417 business rules (including "attempt in progress"), 400 malformed input.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::rules::{Caller, Fault};
use super::{rest_campaigns, rest_lists, Sim};
use pom::client::ATTEMPT_IN_PROGRESS;

type Shared = State<Arc<Sim>>;

/// Simulated milliseconds as RFC 3339 (POM's real format is unknown; docs/pom.md).
pub(crate) use super::feed::iso as timestamp;

/// What a handler returns: its answer, or (through `?`) a refusal already made into a response.
pub(super) type Answer = Result<Response, Response>;

pub(super) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({ "errorCode": code, "errorMessage": message, "displayMessage": message })),
    )
        .into_response()
}

pub(super) fn fault_response(fault: Fault) -> Response {
    let status = match fault.code {
        -1 | -2 | -12 | -14 | -26 | -40 => StatusCode::NOT_FOUND,
        -21 | -28 | -30 | -60 => StatusCode::FORBIDDEN,
        _ => StatusCode::EXPECTATION_FAILED,
    };
    let message = if fault.code == -33 {
        ATTEMPT_IN_PROGRESS.to_string()
    } else {
        fault.message
    };
    error(status, &fault.code.to_string(), &message)
}

/// Authentication, version and header checks, counting and fault injection for one call.
pub(super) async fn enter(
    sim: &Sim,
    headers: &HeaderMap,
    version: &str,
    endpoint: &str,
) -> Result<Caller, Response> {
    if !matches!(version, "v1" | "v2" | "v3" | "v4") {
        return Err(error(
            StatusCode::NOT_FOUND,
            "404",
            &format!("No such API version: {version}"),
        ));
    }
    let caller = sim.authenticate(headers)?;
    let strict = sim
        .settings
        .lock()
        .map(|s| s.strict_headers)
        .unwrap_or(false);
    if strict
        && headers
            .get("x-requested-with")
            .and_then(|v| v.to_str().ok())
            != Some("rest")
    {
        return Err(error(
            StatusCode::FORBIDDEN,
            "403",
            "X-Requested-With: rest is required",
        ));
    }
    sim.intercept(endpoint).await?;
    Ok(caller)
}

pub(super) fn json_body(body: &Bytes) -> Result<Value, Response> {
    serde_json::from_slice(body).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            "400",
            &format!("Malformed JSON: {e}"),
        )
    })
}

/// A list of strings sent bare (`[…]`) or wrapped (`{"anything": […]}`).
pub(super) fn string_array(value: Value) -> Vec<String> {
    let items = match value {
        Value::Array(items) => items,
        Value::Object(map) => map
            .into_iter()
            .find_map(|(_, v)| v.as_array().cloned())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    items
        .into_iter()
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string())
        })
        .collect()
}

async fn dnc_lists(State(sim): Shared, headers: HeaderMap, Path(v): Path<String>) -> Answer {
    let caller = enter(&sim, &headers, &v, "dnclists").await?;
    let lists: Vec<Value> = sim.with_world(|w, _| {
        w.dnc_lists
            .values()
            .filter(|d| d.organization.as_deref().is_none_or(|org| caller.sees(org)))
            .map(|d| json!({
                "DNCListId": d.id, "DNCListName": d.name, "lastUpdated": timestamp(d.last_updated_ms),
                "totalAddresses": d.addresses.len(), "listType": "PHONE_EMAIL",
            }))
            .collect()
    });
    Ok(Json(lists).into_response())
}

async fn dnc_addresses(
    State(sim): Shared,
    headers: HeaderMap,
    Path((v, dnc_id)): Path<(String, i64)>,
    body: Bytes,
) -> Answer {
    let caller = enter(&sim, &headers, &v, "dnclists.addresses").await?;
    let addresses = string_array(json_body(&body)?);
    let refused = sim
        .with_world(|w, now| w.dnc_add_many(&caller, dnc_id, &addresses, now))
        .map_err(fault_response)?;
    Ok(
        Json(json!({ "result": refused.is_empty(), "failedContactIdList": refused }))
            .into_response(),
    )
}

async fn run_once(
    State(sim): Shared,
    headers: HeaderMap,
    Path(v): Path<String>,
    body: Bytes,
) -> Answer {
    let caller = enter(&sim, &headers, &v, "datasources.runonce").await?;
    let Value::Object(map) = json_body(&body)? else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "400",
            "Expected a JSON object",
        ));
    };
    let fields: BTreeMap<String, String> = map
        .into_iter()
        .map(|(k, v)| (k.to_lowercase(), v.as_str().unwrap_or_default().to_string()))
        .collect();
    let (Some(name), Some(start)) = (fields.get("datasourcename"), fields.get("starttime")) else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "400",
            "DataSourceName and StartTime are required",
        ));
    };
    // Unparseable times still go through, so POM's own -59 answers them.
    let start = super::rules::rest_schedule_time(start).unwrap_or_else(|| start.clone());
    let id = sim
        .with_world(|w, _| {
            let zone = fields.get("timezone").map_or("UTC", String::as_str);
            w.schedule_data_source(&caller, name, &start, zone)
        })
        .map_err(fault_response)?;
    Ok(Json(json!({ "result": true, "importJobId": id })).into_response())
}

async fn job_start(
    State(sim): Shared,
    headers: HeaderMap,
    Path((v, campaign_id)): Path<(String, i64)>,
) -> Answer {
    let caller = enter(&sim, &headers, &v, "campaigns.job.start").await?;
    let job_id = sim
        .with_world(|w, now| w.start_job(&caller, campaign_id, now))
        .map_err(fault_response)?;
    Ok(Json(json!({ "isQueued": true, "jobId": job_id })).into_response())
}

async fn job_list(State(sim): Shared, headers: HeaderMap, Path(v): Path<String>) -> Answer {
    let caller = enter(&sim, &headers, &v, "campaigns.joblist").await?;
    let jobs: Vec<Value> = sim.with_world(|w, _| {
        w.jobs
            .values()
            .filter_map(|j| w.campaigns.get(&j.campaign_id).map(|c| (j, c)))
            .filter(|(_, c)| caller.sees(&c.organization))
            .map(|(j, c)| json!({ "campaignName": c.name, "jobID": j.id, "jobState": j.state }))
            .collect()
    });
    Ok(Json(jobs).into_response())
}

/// REST routes (every version prefix; trailing slashes accepted where clients use them).
pub(super) fn routes() -> Router<Arc<Sim>> {
    let base = "/VP_POM_Service/{version}";
    Router::new()
        .route(
            &format!("{base}/contactlists"),
            get(rest_lists::contact_lists),
        )
        .route(
            &format!("{base}/contactlists/{{list}}/contacts/list"),
            get(rest_lists::contacts_page),
        )
        .route(
            &format!("{base}/contactlists/{{list}}/contacts"),
            post(rest_lists::add_contact),
        )
        .route(
            &format!("{base}/contactlists/{{list}}/contacts/{{contact}}/delete"),
            post(rest_lists::delete_contact).delete(rest_lists::delete_contact),
        )
        .route(
            &format!("{base}/contactlists/{{list}}/contacts/markuncallable"),
            post(rest_lists::mark_uncallable),
        )
        .route(
            &format!("{base}/contactlists/{{list}}/contacts/markuncallable/"),
            post(rest_lists::mark_uncallable),
        )
        .route(&format!("{base}/dnclists"), get(dnc_lists))
        .route(
            &format!("{base}/dnclists/{{list}}/addresses"),
            post(dnc_addresses),
        )
        .route(
            &format!("{base}/datasources/schedule/runonce"),
            post(run_once),
        )
        .route(
            &format!("{base}/campaigns/{{campaign}}/job/start"),
            post(job_start),
        )
        .route(&format!("{base}/campaigns"), get(rest_campaigns::campaigns))
        .route(&format!("{base}/campaigns/joblist"), get(job_list))
        .route(&format!("{base}/campaigns/joblist/"), get(job_list))
}

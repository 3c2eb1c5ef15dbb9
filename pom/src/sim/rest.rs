//! The simulator's REST surface under `/VP_POM_Service/{v1..v4}/` (reference/pom-rest-api.md).
//! Error bodies are `{errorCode, errorMessage, displayMessage}`: 404 unknown, 403 another
//! organization's, 417 business rules (including "attempt in progress"), 400 malformed input.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use super::list_rules::{ListRef, Saved};
use super::rules::{Caller, Fault};
use super::Sim;
use crate::client::ATTEMPT_IN_PROGRESS;

type Shared = State<Arc<Sim>>;

/// Formats simulated milliseconds as RFC 3339 (POM's real format is unknown; docs/pom.md).
pub(crate) fn timestamp(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({ "errorCode": code, "errorMessage": message, "displayMessage": message })),
    )
        .into_response()
}

fn fault_response(fault: Fault) -> Response {
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
async fn enter(
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

fn json_body(body: &Bytes) -> Result<Value, Response> {
    serde_json::from_slice(body).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            "400",
            &format!("Malformed JSON: {e}"),
        )
    })
}

/// A list of strings sent bare (`[…]`) or wrapped (`{"anything": […]}`).
fn string_array(value: Value) -> Vec<String> {
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

async fn contact_lists(
    State(sim): Shared,
    headers: HeaderMap,
    Path(v): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let caller = match enter(&sim, &headers, &v, "contactlists").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let wanted = q
        .get("searchValue")
        .map(|s| s.to_lowercase())
        .unwrap_or_default();
    let lists: Vec<Value> = sim.with_world(|w, now| {
        w.lists
            .values()
            .filter(|l| caller.sees(&l.organization) && l.organization.to_lowercase().contains(&wanted))
            .map(|l| {
                let available = l.contacts.values().filter(|c| c.callable && c.in_progress_until_ms.is_none_or(|u| u <= now)).count();
                json!({
                    "contactListId": l.id, "contactListName": l.name, "lastUpdateOn": timestamp(l.last_update_ms),
                    "totalContacts": l.contacts.len(), "availableContacts": available,
                    "totalExcludedContacts": l.contacts.len() - available,
                    "organizationName": l.organization, "zoneName": l.zone,
                })
            })
            .collect()
    });
    Json(lists).into_response()
}

fn matches(value: Option<&String>, operator: &str, wanted: &str) -> bool {
    let value = value.map(String::as_str).unwrap_or("");
    match operator {
        "like" | "contains" => value.to_lowercase().contains(&wanted.to_lowercase()),
        "startswith" => value.to_lowercase().starts_with(&wanted.to_lowercase()),
        "ne" | "notequals" => value != wanted,
        _ => value == wanted,
    }
}

async fn contacts_page(
    State(sim): Shared,
    headers: HeaderMap,
    Path((v, list_id)): Path<(String, i64)>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Response {
    let caller = match enter(&sim, &headers, &v, "contacts.list").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let first_page = sim.settings.lock().map(|s| s.first_page).unwrap_or(1);
    let page_size: usize = q
        .get("pageSize")
        .and_then(|s| s.parse().ok())
        .unwrap_or(100)
        .clamp(1, 5_000);
    let page_number: u32 = q
        .get("pageNumber")
        .and_then(|s| s.parse().ok())
        .unwrap_or(first_page);
    let Some(index) = page_number.checked_sub(first_page) else {
        return error(
            StatusCode::BAD_REQUEST,
            "400",
            &format!("pageNumber starts at {first_page}"),
        );
    };
    let operator = q
        .get("searchOperator")
        .map(|s| s.to_lowercase())
        .unwrap_or_else(|| "equals".into());
    if ![
        "like",
        "contains",
        "startswith",
        "equals",
        "eq",
        "=",
        "ne",
        "notequals",
    ]
    .contains(&operator.as_str())
    {
        return error(
            StatusCode::BAD_REQUEST,
            "400",
            &format!("Unknown searchOperator: {operator}"),
        );
    }
    let descending = q
        .get("sortDirection")
        .is_some_and(|d| d.eq_ignore_ascii_case("desc"));
    sim.with_world(|w, _| {
        let list = match w.list_for(&caller, ListRef::Id(list_id)) {
            Ok(list) => list,
            Err(fault) => return fault_response(fault),
        };
        let search = q.get("searchBy").zip(q.get("searchValue"));
        let mut selected: Vec<(&String, &super::world::ContactRec)> = list
            .contacts
            .iter()
            .filter(|(_, c)| {
                search.is_none_or(|(by, value)| matches(c.attributes.get(by), &operator, value))
            })
            .collect();
        if let Some(sort_by) = q.get("sortBy").filter(|s| s.as_str() != "userContactId") {
            selected.sort_by(|a, b| {
                a.1.attributes
                    .get(sort_by)
                    .cmp(&b.1.attributes.get(sort_by))
            });
        }
        if descending {
            selected.reverse();
        }
        let total_pages = selected.len().div_ceil(page_size);
        let batch: Vec<Value> = selected
            .into_iter()
            .skip(index as usize * page_size)
            .take(page_size)
            .map(|(id, c)| {
                let mut contact: Map<String, Value> = c
                    .attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect();
                contact.insert("userContactId".into(), Value::String(id.clone()));
                contact.insert("contactListName".into(), Value::String(list.name.clone()));
                contact.insert("callable".into(), Value::Bool(c.callable));
                Value::Object(contact)
            })
            .collect();
        Json(json!({ "contactBatch": batch, "totalPage": total_pages })).into_response()
    })
}

async fn add_contact(
    State(sim): Shared,
    headers: HeaderMap,
    Path((v, list_id)): Path<(String, i64)>,
    body: Bytes,
) -> Response {
    let caller = match enter(&sim, &headers, &v, "contacts.add").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Value::Object(fields) = (match json_body(&body) {
        Ok(v) => v,
        Err(r) => return r,
    }) else {
        return error(StatusCode::BAD_REQUEST, "400", "Expected a JSON object");
    };
    let mut attributes = BTreeMap::new();
    let mut update_existing = false;
    for (key, value) in fields {
        match (key.as_str(), value) {
            ("updateExistingContact", Value::Bool(b)) => update_existing = b,
            ("customAttributeList", Value::Array(items)) => {
                for item in items {
                    if let (Some(name), Some(value)) = (
                        item.get("attributeName").and_then(Value::as_str),
                        item.get("attributeValue"),
                    ) {
                        attributes.insert(
                            name.to_string(),
                            value
                                .as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| value.to_string()),
                        );
                    }
                }
            }
            ("userContactID" | "userContactId", value) => {
                attributes.insert(
                    "userContactId".into(),
                    value
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| value.to_string()),
                );
            }
            (_, Value::String(s)) if !s.is_empty() => {
                attributes.insert(key, s);
            }
            _ => {}
        }
    }
    let id = attributes.get("userContactId").cloned().unwrap_or_default();
    match sim.with_world(|w, now| w.save_contact(&caller, list_id, attributes, update_existing, now)) {
        Ok(saved) => Json(json!({ "result": true, "userContactId": id, "status": match saved {
            Saved::Added => "ADDED", Saved::Updated => "UPDATED", Saved::DuplicateIgnored => "DUPLICATE_IGNORED" } }))
        .into_response(),
        Err(fault) => fault_response(fault),
    }
}

async fn delete_contact(
    State(sim): Shared,
    headers: HeaderMap,
    Path((v, list_id, contact)): Path<(String, i64, String)>,
) -> Response {
    let caller = match enter(&sim, &headers, &v, "contacts.delete").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match sim.with_world(|w, now| w.delete_contact(&caller, ListRef::Id(list_id), &contact, now)) {
        Ok(()) => Json(json!({ "isDeleted": true, "failedUserContactIds": [] })).into_response(),
        Err(fault) => fault_response(fault),
    }
}

async fn mark_uncallable(
    State(sim): Shared,
    headers: HeaderMap,
    Path((v, list_id)): Path<(String, i64)>,
    body: Bytes,
) -> Response {
    let caller = match enter(&sim, &headers, &v, "contacts.markuncallable").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let ids = match json_body(&body) {
        Ok(value) => string_array(value),
        Err(r) => return r,
    };
    match sim.with_world(|w, now| w.mark_uncallable(&caller, list_id, &ids, now)) {
        Ok(failed) => Json(json!({ "result": failed.is_empty(), "failedContactIdList": failed }))
            .into_response(),
        Err(fault) => fault_response(fault),
    }
}

async fn dnc_lists(State(sim): Shared, headers: HeaderMap, Path(v): Path<String>) -> Response {
    let caller = match enter(&sim, &headers, &v, "dnclists").await {
        Ok(c) => c,
        Err(r) => return r,
    };
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
    Json(lists).into_response()
}

async fn dnc_addresses(
    State(sim): Shared,
    headers: HeaderMap,
    Path((v, dnc_id)): Path<(String, i64)>,
    body: Bytes,
) -> Response {
    let caller = match enter(&sim, &headers, &v, "dnclists.addresses").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let addresses = match json_body(&body) {
        Ok(value) => string_array(value),
        Err(r) => return r,
    };
    match sim.with_world(|w, now| w.dnc_add_many(&caller, dnc_id, &addresses, now)) {
        Ok(refused) => {
            Json(json!({ "result": refused.is_empty(), "failedContactIdList": refused }))
                .into_response()
        }
        Err(fault) => fault_response(fault),
    }
}

async fn run_once(
    State(sim): Shared,
    headers: HeaderMap,
    Path(v): Path<String>,
    body: Bytes,
) -> Response {
    let caller = match enter(&sim, &headers, &v, "datasources.runonce").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let fields: BTreeMap<String, String> = match json_body(&body) {
        Ok(Value::Object(map)) => map
            .into_iter()
            .map(|(k, v)| (k.to_lowercase(), v.as_str().unwrap_or_default().to_string()))
            .collect(),
        Ok(_) => return error(StatusCode::BAD_REQUEST, "400", "Expected a JSON object"),
        Err(r) => return r,
    };
    let (Some(name), Some(start)) = (fields.get("datasourcename"), fields.get("starttime")) else {
        return error(
            StatusCode::BAD_REQUEST,
            "400",
            "DataSourceName and StartTime are required",
        );
    };
    match sim.with_world(|w, _| w.schedule_data_source(&caller, name, start)) {
        Ok(id) => Json(json!({ "result": true, "importJobId": id })).into_response(),
        Err(fault) => fault_response(fault),
    }
}

async fn job_start(
    State(sim): Shared,
    headers: HeaderMap,
    Path((v, campaign_id)): Path<(String, i64)>,
) -> Response {
    let caller = match enter(&sim, &headers, &v, "campaigns.job.start").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match sim.with_world(|w, now| w.start_job(&caller, campaign_id, now)) {
        Ok(job_id) => Json(json!({ "isQueued": true, "jobId": job_id })).into_response(),
        Err(fault) => fault_response(fault),
    }
}

async fn job_list(State(sim): Shared, headers: HeaderMap, Path(v): Path<String>) -> Response {
    let caller = match enter(&sim, &headers, &v, "campaigns.joblist").await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let jobs: Vec<Value> = sim.with_world(|w, _| {
        w.jobs
            .values()
            .filter_map(|j| w.campaigns.get(&j.campaign_id).map(|c| (j, c)))
            .filter(|(_, c)| caller.sees(&c.organization))
            .map(|(j, c)| json!({ "campaignName": c.name, "jobID": j.id, "jobState": j.state }))
            .collect()
    });
    Json(jobs).into_response()
}

/// REST routes (every version prefix; trailing slashes accepted where clients use them).
pub(super) fn routes() -> Router<Arc<Sim>> {
    let base = "/VP_POM_Service/{version}";
    Router::new()
        .route(&format!("{base}/contactlists"), get(contact_lists))
        .route(
            &format!("{base}/contactlists/{{list}}/contacts/list"),
            get(contacts_page),
        )
        .route(
            &format!("{base}/contactlists/{{list}}/contacts"),
            post(add_contact),
        )
        .route(
            &format!("{base}/contactlists/{{list}}/contacts/{{contact}}/delete"),
            post(delete_contact).delete(delete_contact),
        )
        .route(
            &format!("{base}/contactlists/{{list}}/contacts/markuncallable"),
            post(mark_uncallable),
        )
        .route(
            &format!("{base}/contactlists/{{list}}/contacts/markuncallable/"),
            post(mark_uncallable),
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
        .route(&format!("{base}/campaigns/joblist"), get(job_list))
        .route(&format!("{base}/campaigns/joblist/"), get(job_list))
}

//! REST handlers for contact lists and contacts.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Map, Value};

use super::list_rules::{ListRef, Saved};
use super::rest::{enter, error, fault_response, json_body, string_array, timestamp, Answer};
use super::Sim;

type Shared = State<Arc<Sim>>;

pub(super) async fn contact_lists(
    State(sim): Shared,
    headers: HeaderMap,
    Path(v): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Answer {
    let caller = enter(&sim, &headers, &v, "contactlists").await?;
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
    Ok(Json(lists).into_response())
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

pub(super) async fn contacts_page(
    State(sim): Shared,
    headers: HeaderMap,
    Path((v, list_id)): Path<(String, i64)>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Answer {
    let caller = enter(&sim, &headers, &v, "contacts.list").await?;
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
        return Err(error(
            StatusCode::BAD_REQUEST,
            "400",
            &format!("pageNumber starts at {first_page}"),
        ));
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
        return Err(error(
            StatusCode::BAD_REQUEST,
            "400",
            &format!("Unknown searchOperator: {operator}"),
        ));
    }
    let descending = q
        .get("sortDirection")
        .is_some_and(|d| d.eq_ignore_ascii_case("desc"));
    sim.with_world(|w, now| {
        let list = w
            .list_for(&caller, ListRef::Id(list_id))
            .map_err(fault_response)?;
        let search = q.get("searchBy").zip(q.get("searchValue"));
        let mut selected: Vec<(&String, &super::world::ContactRec)> = list
            .contacts
            .iter()
            .filter(|(id, c)| {
                search.is_none_or(|(by, value)| {
                    let own = if by == "userContactId" {
                        Some(*id)
                    } else {
                        c.attributes.get(by)
                    };
                    matches(own, &operator, value)
                })
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
                // The same flag that makes a delete fail "as the attempt is in progress".
                let dialling = c.in_progress_until_ms.is_some_and(|until| until > now);
                contact.insert("attemptInProgress".into(), Value::Bool(dialling));
                Value::Object(contact)
            })
            .collect();
        Ok(Json(json!({ "contactBatch": batch, "totalPage": total_pages })).into_response())
    })
}

pub(super) async fn add_contact(
    State(sim): Shared,
    headers: HeaderMap,
    Path((v, list_id)): Path<(String, i64)>,
    body: Bytes,
) -> Answer {
    let caller = enter(&sim, &headers, &v, "contacts.add").await?;
    let Value::Object(fields) = json_body(&body)? else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "400",
            "Expected a JSON object",
        ));
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
    let saved = sim
        .with_world(|w, now| w.save_contact(&caller, list_id, attributes, update_existing, now))
        .map_err(fault_response)?;
    Ok(Json(json!({ "result": true, "userContactId": id, "status": match saved {
            Saved::Added => "ADDED", Saved::Updated => "UPDATED", Saved::DuplicateIgnored => "DUPLICATE_IGNORED" } }))
        .into_response())
}

pub(super) async fn delete_contact(
    State(sim): Shared,
    headers: HeaderMap,
    Path((v, list_id, contact)): Path<(String, i64, String)>,
) -> Answer {
    let caller = enter(&sim, &headers, &v, "contacts.delete").await?;
    sim.with_world(|w, now| w.delete_contact(&caller, ListRef::Id(list_id), &contact, now))
        .map_err(fault_response)?;
    Ok(Json(json!({ "isDeleted": true, "failedUserContactIds": [] })).into_response())
}

pub(super) async fn mark_uncallable(
    State(sim): Shared,
    headers: HeaderMap,
    Path((v, list_id)): Path<(String, i64)>,
    body: Bytes,
) -> Answer {
    let caller = enter(&sim, &headers, &v, "contacts.markuncallable").await?;
    let ids = string_array(json_body(&body)?);
    let failed = sim
        .with_world(|w, now| w.mark_uncallable(&caller, list_id, &ids, now))
        .map_err(fault_response)?;
    Ok(Json(json!({ "result": failed.is_empty(), "failedContactIdList": failed })).into_response())
}

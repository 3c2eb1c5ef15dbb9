//! The simulator's campaign catalogue, `GET campaigns?searchBy=organizationName&searchValue=<org>`
//! (INFERRED: seed 001 looks a campaign's id up by name before `job/start`, but no public source
//! shows the path; docs/pom.md). Answers id, name, dialling type, finite or infinite, the
//! organization and the contact lists of every campaign the caller may see.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::rest::{enter, Answer};
use super::Sim;

pub(super) async fn campaigns(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Path(v): Path<String>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Answer {
    let caller = enter(&sim, &headers, &v, "campaigns").await?;
    let wanted = q
        .get("searchValue")
        .map(|s| s.to_lowercase())
        .unwrap_or_default();
    let campaigns: Vec<Value> = sim.with_world(|w, _| {
        w.campaigns
            .values()
            .filter(|c| {
                caller.sees(&c.organization) && c.organization.to_lowercase().contains(&wanted)
            })
            .map(|c| {
                json!({
                    "campaignId": c.id, "campaignName": c.name, "campaignType": c.kind,
                    "finite": c.finite, "organizationName": c.organization,
                    "contactLists": c.lists,
                })
            })
            .collect()
    });
    Ok(Json(campaigns).into_response())
}

//! Control API for imports and dialling: define a data source (file layout included), set the
//! engine's agents and seed, set a campaign's dialling rules, read a job's dialling figures and
//! an import job's state.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::json;

use super::dialer::DialerConfig;
use super::world::{DataSourceRec, DialingRules};
use super::Sim;

type Shared = State<Arc<Sim>>;

async fn put_data_source(State(sim): Shared, Json(source): Json<DataSourceRec>) -> Response {
    sim.with_world(|w, _| {
        if w.list_by_name(&source.list_name).is_none() {
            return (StatusCode::NOT_FOUND, "no such contact list").into_response();
        }
        if !matches!(source.kind.as_str(), "append" | "replace") {
            return (StatusCode::BAD_REQUEST, "kind must be append or replace").into_response();
        }
        w.data_sources.insert(source.name.clone(), source);
        StatusCode::NO_CONTENT.into_response()
    })
}

async fn set_dialer(State(sim): Shared, Json(config): Json<DialerConfig>) -> Response {
    sim.with_world(|w, _| {
        w.dialer.config = config;
        Json(w.dialer.config.clone()).into_response()
    })
}

async fn set_dialing(
    State(sim): Shared,
    Path(name): Path<String>,
    Json(rules): Json<DialingRules>,
) -> Response {
    sim.with_world(
        |w, _| match w.campaigns.values_mut().find(|c| c.name == name) {
            None => (StatusCode::NOT_FOUND, "no such campaign").into_response(),
            Some(campaign) => {
                campaign.dialing = rules;
                Json(campaign.dialing.clone()).into_response()
            }
        },
    )
}

async fn job_dialing(State(sim): Shared, Path(job_id): Path<i64>) -> Response {
    sim.with_world(
        |w, _| match (w.jobs.get(&job_id), w.dialer.runs.get(&job_id)) {
            (None, _) => (StatusCode::NOT_FOUND, "no such job").into_response(),
            (Some(job), run) => Json(json!({
                "state": job.state,
                "stats": run.map(|r| r.stats.clone()).unwrap_or_default(),
                "retries_pending": run.map_or(0, |r| r.retries.len()),
            }))
            .into_response(),
        },
    )
}

async fn import_job(State(sim): Shared, Path(id): Path<i64>) -> Response {
    sim.with_world(|w, _| match w.import_jobs.get(&id) {
        None => (StatusCode::NOT_FOUND, "no such import job").into_response(),
        Some(job) => Json(job.clone()).into_response(),
    })
}

/// Routes for imports and dialling.
pub(super) fn routes() -> Router<Arc<Sim>> {
    Router::new()
        .route("/__sim/datasources", put(put_data_source))
        .route("/__sim/dialer", post(set_dialer))
        .route("/__sim/campaigns/{name}/dialing", post(set_dialing))
        .route("/__sim/jobs/{job}/dialing", get(job_dialing))
        .route("/__sim/imports/{id}", get(import_job))
}

//! Control API for imports and dialling: define a data source (file layout included), set the
//! engine's agents and seed, send agents on a break, set a campaign's dialling rules, read a
//! job's dialling figures and an import job's state.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::json;

use super::dialer::{BreakRefused, DialerConfig};
use super::world::{DataSourceRec, DialingRules};
use super::Sim;

type Shared = State<Arc<Sim>>;

async fn put_data_source(State(sim): Shared, Json(source): Json<DataSourceRec>) -> Response {
    sim.with_world(|w, _| {
        if w.list_by_name(&source.list_name).is_none() {
            return (StatusCode::NOT_FOUND, "no such contact list").into_response();
        }
        let path = std::path::Path::new(&source.file_path);
        let inside = path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside || source.file_path.is_empty() {
            return (
                StatusCode::BAD_REQUEST,
                "file_path must stay inside the drop folder",
            )
                .into_response();
        }
        if !matches!(source.kind.as_str(), "append" | "replace") {
            return (StatusCode::BAD_REQUEST, "kind must be append or replace").into_response();
        }
        w.data_sources.insert(source.name.clone(), source);
        StatusCode::NO_CONTENT.into_response()
    })
}

/// Changes to the engine's settings; fields left out keep their value.
#[derive(serde::Deserialize)]
struct DialerChange {
    agents_per_org: Option<usize>,
    seed: Option<u64>,
    overdial: Option<f64>,
}

async fn set_dialer(State(sim): Shared, Json(change): Json<DialerChange>) -> Response {
    if change.agents_per_org.is_some_and(|n| n > 10_000)
        || change.overdial.is_some_and(|o| !(0.1..=20.0).contains(&o))
    {
        return (
            StatusCode::BAD_REQUEST,
            "agents_per_org ≤ 10000, overdial 0.1–20",
        )
            .into_response();
    }
    sim.with_world(|w, _| {
        let config: &mut DialerConfig = &mut w.dialer.config;
        config.agents_per_org = change.agents_per_org.unwrap_or(config.agents_per_org);
        config.seed = change.seed.unwrap_or(config.seed);
        config.overdial = change.overdial.unwrap_or(config.overdial);
        Json(config.clone()).into_response()
    })
}

/// Agents to send on a break: every logged-in agent of the organization unless named.
#[derive(serde::Deserialize)]
struct AgentsBreak {
    organization: String,
    agents: Option<Vec<String>>,
    /// One of the simulator's AUX reasons (`Break`, `Lunch`, `Training`, `Coaching`, `Personal`).
    reason: String,
    /// 1 minute to 7 days.
    minutes: i64,
}

async fn agents_break(State(sim): Shared, Json(away): Json<AgentsBreak>) -> Response {
    if !(1..=7 * 24 * 60).contains(&away.minutes) {
        return (StatusCode::BAD_REQUEST, "minutes 1–10080").into_response();
    }
    let span = (away.reason.as_str(), away.minutes * 60_000);
    sim.with_world(|w, now| {
        match w.send_on_break(&away.organization, away.agents.as_deref(), span, now) {
            Ok(sent) => Json(json!({ "agents": sent, "at_ms": now })).into_response(),
            Err(refused @ BreakRefused::UnknownReason(_)) => {
                (StatusCode::BAD_REQUEST, refused.to_string()).into_response()
            }
            Err(refused) => (StatusCode::NOT_FOUND, refused.to_string()).into_response(),
        }
    })
}

/// Why dialling rules cannot be used, if they cannot.
fn invalid_rules(rules: &DialingRules) -> Option<&'static str> {
    if !(0.001..=1_000.0).contains(&rules.calls_per_second) {
        Some("calls_per_second must be 0.001–1000")
    } else if !(1..=100).contains(&rules.max_attempts) {
        Some("max_attempts must be 1–100")
    } else if !(0..=30 * 86_400).contains(&rules.retry_after_secs) {
        Some("retry_after_secs must be 0–2592000")
    } else if !(0..1440).contains(&rules.window_start_minute)
        || !(1..=1440).contains(&rules.window_end_minute)
        || rules.window_start_minute >= rules.window_end_minute
    {
        Some("the window must be start < end within 0–1440 minutes")
    } else if pom::zones::offset_minutes(&rules.default_time_zone).is_none() {
        Some("default_time_zone is not a known zone")
    } else if rules
        .preview_seconds
        .is_some_and(|s| !(1..=3_600).contains(&s))
    {
        Some("preview_seconds must be 1–3600 (or null: not timed)")
    } else if !(1..=30 * 1440).contains(&rules.callback_expiry_minutes) {
        Some("callback_expiry_minutes must be 1–43200")
    } else {
        None
    }
}

async fn set_dialing(
    State(sim): Shared,
    Path(name): Path<String>,
    Json(rules): Json<DialingRules>,
) -> Response {
    if let Some(problem) = invalid_rules(&rules) {
        return (StatusCode::BAD_REQUEST, problem).into_response();
    }
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
        .route("/__sim/agents/break", post(agents_break))
        .route("/__sim/campaigns/{name}/dialing", post(set_dialing))
        .route("/__sim/jobs/{job}/dialing", get(job_dialing))
        .route("/__sim/imports/{id}", get(import_job))
}

//! The simulator's control API under `/__sim/` (never under POM's paths; guarded by `guard.rs`:
//! loopback, allowed host names, a token for writes). Tests and benchmarks drive POM behaviour only through it:
//! reset and seed, add data, mark contacts in progress, inject faults, set or speed up the clock,
//! count requests, save and load snapshots (data sources and dialling: `control_dialing.rs`).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::faults::FaultRule;
use super::world::{CampaignRec, ContactRec, ListRec, World};
use super::Sim;

type Shared = State<Arc<Sim>>;

#[derive(Deserialize)]
struct Reset {
    seed: Option<u64>,
    demo: Option<bool>,
}

async fn reset(State(sim): Shared, Json(request): Json<Reset>) -> Response {
    let settings = {
        let mut settings = sim.settings.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(seed) = request.seed {
            settings.seed = seed;
        }
        if let Some(demo) = request.demo {
            settings.demo = demo;
        }
        settings.clone()
    };
    let now = sim.now_ms();
    *sim.world.lock().unwrap_or_else(|p| p.into_inner()) = Sim::initial_world(&settings, now);
    sim.faults.lock().unwrap_or_else(|p| p.into_inner()).clear();
    sim.load.clear();
    sim.counters
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clear();
    Json(json!({ "seed": settings.seed, "demo": settings.demo })).into_response()
}

#[derive(Deserialize)]
struct NewList {
    name: String,
    organization: String,
    #[serde(default = "default_zone")]
    zone: String,
}

fn default_zone() -> String {
    "Default".into()
}

async fn add_list(State(sim): Shared, Json(request): Json<NewList>) -> Response {
    let id = sim.with_world(|w, now| {
        let id = w.new_id();
        w.lists.insert(
            id,
            ListRec {
                id,
                name: request.name,
                organization: request.organization,
                zone: request.zone,
                last_update_ms: now,
                contacts: BTreeMap::new(),
                emptying: None,
            },
        );
        id
    });
    Json(json!({ "contactListId": id })).into_response()
}

async fn add_contacts(
    State(sim): Shared,
    Path(list_id): Path<i64>,
    Json(contacts): Json<Vec<BTreeMap<String, String>>>,
) -> Response {
    sim.with_world(|w, now| match w.lists.get_mut(&list_id) {
        None => (StatusCode::NOT_FOUND, "no such list").into_response(),
        Some(list) => {
            let mut added = 0;
            for mut attributes in contacts {
                let Some(id) = attributes.remove("userContactId") else {
                    continue;
                };
                list.contacts.insert(
                    id,
                    ContactRec {
                        attributes,
                        created_ms: now,
                        callable: true,
                        in_progress_until_ms: None,
                    },
                );
                added += 1;
            }
            list.last_update_ms = now;
            Json(json!({ "added": added, "total": list.contacts.len() })).into_response()
        }
    })
}

async fn add_campaign(State(sim): Shared, Json(mut campaign): Json<CampaignRec>) -> Response {
    let id = sim.with_world(|w, _| {
        campaign.id = w.new_id();
        let id = campaign.id;
        w.campaigns.insert(id, campaign);
        id
    });
    Json(json!({ "campaignId": id })).into_response()
}

#[derive(Deserialize)]
struct InProgress {
    list_id: i64,
    user_contact_id: String,
    /// Simulated seconds the contact stays "being dialled".
    seconds: f64,
}

async fn in_progress(State(sim): Shared, Json(request): Json<InProgress>) -> Response {
    sim.with_world(|w, now| {
        match w
            .lists
            .get_mut(&request.list_id)
            .and_then(|l| l.contacts.get_mut(&request.user_contact_id))
        {
            None => (StatusCode::NOT_FOUND, "no such contact").into_response(),
            Some(contact) => {
                let millis = (request.seconds.clamp(0.0, 31_536_000.0) * 1000.0) as i64;
                contact.in_progress_until_ms = Some(now.saturating_add(millis));
                StatusCode::NO_CONTENT.into_response()
            }
        }
    })
}

async fn set_faults(State(sim): Shared, Json(rules): Json<Vec<FaultRule>>) -> Response {
    *sim.faults.lock().unwrap_or_else(|p| p.into_inner()) = rules;
    StatusCode::NO_CONTENT.into_response()
}

async fn clear_faults(State(sim): Shared) -> Response {
    sim.faults.lock().unwrap_or_else(|p| p.into_inner()).clear();
    StatusCode::NO_CONTENT.into_response()
}

/// Speed up the clock, and/or jump it forward.
#[derive(Deserialize)]
struct Clock {
    speed: Option<f64>,
    advance_ms: Option<i64>,
    /// Sets simulated time (Unix ms), e.g. to a known time of day before a job starts.
    at_ms: Option<i64>,
}

async fn clock(State(sim): Shared, Json(request): Json<Clock>) -> Response {
    let mut clock = sim.clock.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(speed) = request.speed {
        clock.set_speed(speed);
    }
    if let Some(ms) = request.at_ms {
        clock.set_ms(ms);
    }
    if let Some(ms) = request.advance_ms {
        clock.advance(ms);
    }
    Json(json!({ "speed": clock.speed(), "now_ms": clock.now_ms() })).into_response()
}

async fn requests(State(sim): Shared) -> Response {
    Json(
        sim.counters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone(),
    )
    .into_response()
}

async fn reset_requests(State(sim): Shared) -> Response {
    sim.counters
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn complete_job(State(sim): Shared, Path(job_id): Path<i64>) -> Response {
    sim.with_world(|w, now_ms| match w.jobs.get_mut(&job_id) {
        None => (StatusCode::NOT_FOUND, "no such job").into_response(),
        Some(job) => {
            job.state = "JOB_COMPLETED".into();
            job.transition_at_ms = None;
            w.record_job_event(job_id, "completed", now_ms);
            StatusCode::NO_CONTENT.into_response()
        }
    })
}

async fn save_snapshot(State(sim): Shared) -> Response {
    Json(sim.with_world(|w, _| w.clone())).into_response()
}

async fn load_snapshot(State(sim): Shared, Json(mut world): Json<World>) -> Response {
    let mut current = sim.world.lock().unwrap_or_else(|p| p.into_inner());
    // Snapshots carry no users; the running simulator keeps its own.
    world.users = std::mem::take(&mut current.users);
    *current = world;
    StatusCode::NO_CONTENT.into_response()
}

/// Control routes.
pub(super) fn routes() -> Router<Arc<Sim>> {
    Router::new()
        .route("/__sim/reset", post(reset))
        .route("/__sim/lists", post(add_list))
        .route("/__sim/lists/{list}/contacts", post(add_contacts))
        .route("/__sim/campaigns", post(add_campaign))
        .route("/__sim/in-progress", post(in_progress))
        .route("/__sim/faults", post(set_faults).delete(clear_faults))
        .route("/__sim/clock", post(clock))
        .route("/__sim/requests", get(requests).delete(reset_requests))
        .route("/__sim/jobs/{job}/complete", post(complete_job))
        .route("/__sim/snapshot", get(save_snapshot).post(load_snapshot))
        .merge(super::control_dialing::routes())
        // Snapshots of the demo world (100,000+ contacts) and bulk contact loads are large.
        .layer(DefaultBodyLimit::max(1 << 30))
        .route("/__sim/health", get(|| async { "ok" }))
}

//! `GET /healthz` (the process is alive) and `GET /readyz` (database and POM status, and call-data
//! ingestion, as JSON; 503 when the database is unreachable).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use domain::state::AppState;
use domain::status;
use types::model::ComponentState;

/// Liveness: answers 200 while the process serves requests.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: 200 when the database answers, 503 otherwise; the body shows each dependency.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let system = status::system(&state).await;
    let ready = system.database.state == ComponentState::Up;
    let code = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    // Ingestion is reported, not required: reports lag, operations go on.
    let call_data = if ready {
        domain::call_data::upkeep::status(&state.pool)
            .await
            .ok()
            .flatten()
    } else {
        None
    };
    let body = serde_json::json!({
        "status": if ready { "ready" } else { "not_ready" },
        "database": system.database,
        "pom": system.pom,
        "version": system.version,
        "demo_mode": system.demo_mode,
        "call_data": call_data,
    });
    (code, Json(body))
}

//! `GET /floor/events?organization=<name>`: the floor dashboard's figures as server-sent events
//! (event `floor`, data: a `FloorNow`), once on connect and again whenever they change. Every
//! stream of an organization reads the same figures from `domain::floor`, worked out once per
//! interval however many browsers are open, each shown as the reader's role may see them
//! (`domain::floor::reader`); holding the campaign board keeps POM's job list read at the
//! board's pace meanwhile.

use std::sync::Arc;

use axum::extract::Query;
use axum::response::Response;
use domain::access::Ctx;
use domain::campaigns::READ_ROLES;
use serde::Deserialize;
use tower_sessions::Session;
use types::model::{AuditAction, FloorNow};

use super::campaign_events::Watched;
use super::shared_stream::{follow, Follow};
use super::ApiError;
use crate::edge::Watcher;

#[derive(Deserialize)]
pub struct FloorQuery {
    organization: Option<String>,
}

/// The figures as they compare: when they were worked out, or POM's job list last read, is not a
/// change (sending every read would redraw the block every second under a keyboard user).
fn comparable(figures: &FloorNow) -> FloorNow {
    FloorNow {
        computed_at: String::new(),
        jobs_read_at: None,
        ..figures.clone()
    }
}

pub async fn floor_events(
    session: Session,
    Query(query): Query<FloorQuery>,
    Watcher(caller): Watcher,
) -> Result<Response, ApiError> {
    let Ctx {
        state, user, meta, ..
    } = caller
        .require(AuditAction::CampaignsFloor, &READ_ROLES)
        .await?;
    let watched = Watched {
        ctx: (&state, &user, &meta),
        action: AuditAction::CampaignsFloor,
        asked: query.organization,
    };
    let organization = watched.organization(|| None).await?;
    domain::floor::known(&state.pool, &user, &organization).await?;
    let board = state.campaigns.subscribe(&organization);
    let role = user.role;
    Ok(follow(
        state,
        session,
        Follow {
            event: "floor",
            read: move |state, organization: String| async move {
                let figures = domain::floor::current(&state, &organization).await?;
                Ok(Arc::new(domain::floor::reader::for_reader(&figures, role)))
            },
            comparable,
            may_read: |user, organization| user.may_see_organization(organization),
            organization,
            keep: board,
        },
    ))
}

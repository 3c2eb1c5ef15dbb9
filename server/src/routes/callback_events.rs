//! `GET /callbacks/events?organization=<name>`: the callback dashboard's counts as server-sent
//! events (event `callbacks`, data: a `CallbackCounts` with its revision), once on connect and
//! again whenever a callback appears, changes or moves to another section. Every stream of an
//! organization reads the same counts from `domain::callbacks::live`, worked out once per second
//! however many browsers are open. An admin without an organization follows every one.

use axum::extract::Query;
use axum::response::Response;
use domain::access::Ctx;
use domain::callbacks::live::EVERY_ORGANIZATION;
use serde::Deserialize;
use tower_sessions::Session;
use types::model::{AuditAction, CallbackCounts, Role};

use super::campaign_events::Watched;
use super::shared_stream::{follow, Follow};
use super::ApiError;
use crate::edge::Watcher;

#[derive(Deserialize)]
pub struct CallbacksQuery {
    organization: Option<String>,
}

/// The counts as they compare: the time they were read is not a change.
fn comparable(counts: &CallbackCounts) -> CallbackCounts {
    CallbackCounts {
        read_at: String::new(),
        ..counts.clone()
    }
}

pub async fn callback_events(
    session: Session,
    Query(query): Query<CallbacksQuery>,
    Watcher(caller): Watcher,
) -> Result<Response, ApiError> {
    let Ctx {
        state, user, meta, ..
    } = caller
        .require(AuditAction::CallbacksRead, &Role::ALL)
        .await?;
    let asked = query.organization.filter(|o| !o.trim().is_empty());
    let organization = match asked {
        None if user.role == Role::Admin => EVERY_ORGANIZATION.to_string(),
        asked => {
            let watched = Watched {
                ctx: (&state, &user, &meta),
                action: AuditAction::CallbacksRead,
                asked,
            };
            let organization = watched.organization(|| None).await?;
            domain::floor::known(&state.pool, &user, &organization).await?;
            organization
        }
    };
    Ok(follow(
        state,
        session,
        Follow {
            event: "callbacks",
            read: |state, organization: String| async move {
                let one = (organization != EVERY_ORGANIZATION).then_some(organization.as_str());
                domain::callbacks::live::current(&state, one).await
            },
            comparable,
            may_read: |user, organization| user.may_see_organization(organization),
            organization,
            keep: (),
        },
    ))
}

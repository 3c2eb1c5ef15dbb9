//! DNC: reading and checking uploaded files (`parse`, pure), uploads and their pre-flight
//! (`upload`, `checking`) and the files people download from them (`files`), sending as a
//! durable job (`send`, `send_job`), single-address actions (`single`), the DNC List report
//! over the registry of every address sent (`report`), and dialer kill-list ingestion
//! (`kill_list`), and dropping files never sent (`expiry`); the format audit of the
//! registry's numbers (`format_audit` over `formats`); `ownership` decides which
//! organization owns which DNC list; DNC requests from other systems with receipts
//! (`requests`) and timed entries taken off the list when they expire (`timed`). This module
//! finds where an upload may go.

pub mod checking;
pub mod expiry;
pub mod files;
pub mod format_audit;
pub mod formats;
pub mod kill_list;
pub mod ownership;
pub mod parse;
pub mod report;
pub mod requests;
pub mod send;
pub mod send_job;
pub mod single;
pub mod timed;
pub mod upload;

use pom::client::rest::DncList;

use super::lists;
use super::organizations;
use super::state::AppState;
use crate::error::AppError;
use crate::model::{CurrentUser, DncTargets, Role};

/// POM's DNC lists, and the one that belongs to `organization` under the matching rule.
pub async fn dnc_lists(
    state: &AppState,
    organization: &str,
) -> Result<(Vec<DncList>, Option<DncList>), AppError> {
    let all = state.pom()?.dnc_lists().await?;
    let organizations = organizations::all(&state.pool).await?;
    let own = ownership::own_list(
        &all,
        state.settings.dnc.list_match,
        organization,
        &organizations,
    )
    .map_err(|message| AppError::validation("dnc_list_id", message))?
    .cloned();
    Ok((all, own))
}

/// Where `user` may send an upload, and the size limit.
pub async fn targets(state: &AppState, user: &CurrentUser) -> Result<DncTargets, AppError> {
    let contact_lists = lists::visible_lists(state, user, false)
        .await?
        .into_iter()
        .map(|l| (l.list_id, l.name))
        .collect();
    let (all, own) = dnc_lists(state, &user.organization).await?;
    let admin = user.role == Role::Admin;
    // Supervisors only ever see their organization's list.
    let shown: Vec<&DncList> = all
        .iter()
        .filter(|l| admin || own.as_ref().is_some_and(|o| o.id == l.id))
        .collect();
    Ok(DncTargets {
        dnc_lists: shown.iter().map(|l| (l.id, l.name.clone())).collect(),
        dnc_list_sizes: shown.iter().map(|l| (l.id, l.total_addresses)).collect(),
        default_dnc_list: own.map(|l| l.id),
        may_choose_dnc_list: admin,
        contact_lists,
        max_file_mb: state.settings.dnc.max_file_bytes / (1024 * 1024),
    })
}

//! Where a DNC upload goes: the contact list or POM DNC list the user chose, and the organization
//! the upload is filed under.

use super::Received;
use crate::error::AppError;
use crate::model::{CurrentUser, DncMode, Role};
use crate::state::AppState;

/// Where the upload goes: (id, name, the organization it belongs to). An upload is filed under
/// its target's organization, so an admin's upload for another organization is that
/// organization's (its supervisors see it; others cannot confirm it).
pub(super) async fn target(
    state: &AppState,
    user: &CurrentUser,
    received: &Received,
) -> Result<(i64, String, String), AppError> {
    match received.mode {
        DncMode::Uncallable => {
            let id = received.contact_list_id.ok_or_else(|| {
                AppError::validation("contact_list_id", "Choose the contact list.")
            })?;
            let list = crate::lists::list_for(state, user, id).await?;
            Ok((list.list_id, list.name, list.organization))
        }
        DncMode::DncList => {
            let (all, own) = crate::dnc::dnc_lists(state, &user.organization).await?;
            let chosen = match received.dnc_list_id {
                Some(id) if user.role == Role::Admin => all.into_iter().find(|l| l.id == id),
                Some(id) => own.filter(|l| l.id == id),
                None => own,
            };
            let organization = match &chosen {
                Some(list) if user.role == Role::Admin => owner_of(state, list)
                    .await?
                    .unwrap_or_else(|| user.organization.clone()),
                _ => user.organization.clone(),
            };
            chosen.map(|l| (l.id, l.name, organization)).ok_or_else(|| {
                AppError::validation(
                    "dnc_list_id",
                    format!(
                        "No POM DNC list matches the organization {}; an admin must choose one.",
                        user.organization
                    ),
                )
            })
        }
    }
}

/// The organization that owns `list` under the matching rule, if any.
async fn owner_of(
    state: &AppState,
    list: &pom::client::rest::DncList,
) -> Result<Option<String>, AppError> {
    let organizations = crate::organizations::all(&state.pool).await?;
    let rule = state.settings.dnc.list_match;
    match crate::dnc::ownership::owner(&list.name, rule, &organizations) {
        crate::dnc::ownership::Owner::One(owner) => Ok(Some(owner.to_string())),
        crate::dnc::ownership::Owner::Nobody => Ok(None),
        crate::dnc::ownership::Owner::Disputed(_) => Err(AppError::validation(
            "dnc_list_id",
            crate::dnc::ownership::disputed(&list.name, rule),
        )),
    }
}

//! DNC: reading and checking uploaded files (`parse`, pure), uploads and their pre-flight
//! (`upload`, `checking`), sending as a durable job (`send`, `send_job`), single-address actions (`single`),
//! the DNC List report over the registry of every address sent (`report`), and dialer kill-list
//! ingestion (`kill_list`), and dropping files never sent (`expiry`). This module finds where an upload may go.

pub mod checking;
pub mod expiry;
pub mod kill_list;
pub mod parse;
pub mod report;
pub mod send;
pub mod send_job;
pub mod single;
pub mod upload;

use pom::client::rest::DncList;

use super::lists::{self, pom, pom_error};
use super::state::AppState;
use crate::error::AppError;
use crate::model::{CurrentUser, DncTargets, Role};

/// Whether a DNC list's name matches the organization under the configured rule.
pub fn list_matches(rule: &str, list_name: &str, organization: &str) -> bool {
    let (name, organization) = (list_name.to_lowercase(), organization.to_lowercase());
    match rule {
        "prefix" => name.starts_with(&organization),
        "contains" => name.contains(&organization),
        _ => name == organization,
    }
}

/// The organization's list: an exact (case-insensitive) name match first; under `prefix` or
/// `contains` only a single candidate counts, so an ambiguous name never hands one organization
/// another's list.
pub fn own_list<'a>(all: &'a [DncList], rule: &str, organization: &str) -> Option<&'a DncList> {
    if let Some(exact) = all
        .iter()
        .find(|l| list_matches("exact", &l.name, organization))
    {
        return Some(exact);
    }
    let mut candidates = all
        .iter()
        .filter(|l| list_matches(rule, &l.name, organization));
    match (candidates.next(), candidates.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// POM's DNC lists, and the one that belongs to `organization` under the matching rule.
pub async fn dnc_lists(
    state: &AppState,
    organization: &str,
) -> Result<(Vec<DncList>, Option<DncList>), AppError> {
    let all = pom(state)?.dnc_lists().await.map_err(pom_error)?;
    let own = own_list(&all, &state.settings.dnc.list_match, organization).cloned();
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

#[cfg(test)]
mod tests {
    use super::{list_matches, own_list};
    use pom::client::rest::DncList;

    #[test]
    fn the_organization_s_list_is_found_by_the_configured_rule() {
        assert!(list_matches("exact", "Sales", "sales"));
        assert!(!list_matches("exact", "Sales DNC", "Sales"));
        assert!(list_matches("prefix", "Sales DNC", "Sales"));
        assert!(list_matches("contains", "DNC - Sales", "Sales"));
    }

    #[test]
    fn an_ambiguous_name_matches_no_list() {
        let list = |id, name: &str| DncList {
            id,
            name: name.into(),
            last_updated: None,
            total_addresses: 0,
            list_type: None,
        };
        let lists = [
            list(1, "SalesEU DNC"),
            list(2, "Sales DNC"),
            list(3, "sales"),
        ];
        assert_eq!(
            own_list(&lists, "prefix", "Sales").map(|l| l.id),
            Some(3),
            "exact first"
        );
        assert_eq!(
            own_list(&lists[..2], "prefix", "Sales").map(|l| l.id),
            None,
            "two candidates"
        );
        assert_eq!(
            own_list(&lists[..2], "prefix", "SalesEU").map(|l| l.id),
            Some(1)
        );
    }
}

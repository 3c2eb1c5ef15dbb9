//! The dry run: checks the request, reads the whole list, and stores the exact matching set as a
//! plan (`purge_plan`) that the confirmation must refer to.

use std::collections::HashSet;

use futures::TryStreamExt;

use super::filter::Filter;
use super::scan::{self, Scan};
use crate::contacts::{columns_of, text_of};
use crate::error::AppError;
use crate::lists;
use crate::model::{
    validate_purge, CampaignCount, ContactListRow, CurrentUser, DryRun, PurgeRequest,
};
use crate::state::AppState;

/// Checks the request (the same rules the form applies), finds the list (the user's organization
/// only) and builds the filter.
pub async fn prepare(
    state: &AppState,
    user: &CurrentUser,
    request: &PurgeRequest,
) -> Result<(ContactListRow, Filter), AppError> {
    let kind = if request.attribute.trim().is_empty() {
        None
    } else {
        lists::attribute_kind(state, request.attribute.trim()).await?
    };
    if let Some(problem) = validate_purge(request, kind).into_iter().next() {
        return Err(AppError::validation(problem.field, problem.message));
    }
    let list = lists::list_for(state, user, request.list_id).await?;
    let kind = kind.ok_or_else(|| AppError::validation("attribute", "Choose an attribute."))?;
    let filter = Filter::new(
        request,
        kind,
        &state.settings.purge.direct_attribute,
        &state.settings.phone,
    );
    Ok((list, filter))
}

/// Reads the list and folds it; `on_match` gets each page's matching contacts.
pub async fn read_list<F, Fut>(
    state: &AppState,
    list: &ContactListRow,
    filter: &Filter,
    mut on_match: F,
) -> Result<Scan, AppError>
where
    F: FnMut(Vec<(String, serde_json::Map<String, serde_json::Value>)>) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    let client = state.pom()?;
    let page_size = state.settings.purge.read_page_size;
    let mut result = Scan::default();
    let mut seen = HashSet::new();
    let mut pages = std::pin::pin!(scan::pages(client, list.list_id, page_size).await?);
    while let Some(page) = pages.try_next().await? {
        let matching = result.absorb(page.contacts, filter, &mut seen);
        if !matching.is_empty() {
            on_match(matching).await?;
        }
    }
    Ok(result)
}

/// Stores the matching set; returns the plan's token.
pub async fn save_plan(
    state: &AppState,
    user: &CurrentUser,
    list: &ContactListRow,
    request: &PurgeRequest,
    found: &Scan,
) -> Result<String, AppError> {
    let ids: Vec<String> = found.matched.iter().cloned().collect();
    let request_json = serde_json::to_value(request).map_err(|e| crate::error::internal(&e))?;
    let id = sqlx::query_scalar!(
        r#"insert into purge_plan (app_user_id, organization, contact_list_id, request, user_contact_ids)
           values ($1, $2, $3, $4, $5) returning purge_plan_id"#,
        user.user_id,
        list.organization,
        list.list_id,
        request_json,
        &ids,
    )
    .fetch_one(&state.pool)
    .await?;
    Ok(id.to_string())
}

/// What the dry run shows.
pub fn describe(list: &ContactListRow, filter: &Filter, found: &Scan, token: String) -> DryRun {
    let columns = columns_of(found.sample.iter());
    let (unmatched_values, unmatched_more) = found.value_hits.unmatched(filter);
    DryRun {
        list_id: list.list_id,
        list_name: list.name.clone(),
        list_total: found.list_total,
        matched: found.matched.len() as i64,
        direct: filter.direct,
        explanation: filter.describe(&list.name),
        campaigns: found
            .before
            .iter()
            .map(|(campaign, before)| CampaignCount {
                campaign_id: campaign.clone(),
                before: *before,
                after: Some(
                    before
                        - found
                            .matched_by_campaign
                            .get(campaign)
                            .copied()
                            .unwrap_or(0),
                ),
            })
            .collect(),
        sample: found
            .sample
            .iter()
            .map(|c| columns.iter().map(|col| text_of(c, col)).collect())
            .collect(),
        columns,
        unreadable_dates: found.unreadable_dates,
        unmatched_values,
        unmatched_more,
        fingerprint: token,
    }
}

/// Reads the whole list and says exactly what the purge would delete.
pub async fn dry_run(
    state: &AppState,
    user: &CurrentUser,
    request: &PurgeRequest,
) -> Result<DryRun, AppError> {
    let (list, filter) = prepare(state, user, request).await?;
    let found = read_list(state, &list, &filter, |_| async { Ok(()) }).await?;
    let token = save_plan(state, user, &list, request, &found).await?;
    Ok(describe(&list, &filter, &found, token))
}

//! A purge run's snapshot page by page, for choosing what to restore: each contact's outcome,
//! restore state and recorded attributes (empty once retention erased them).

use super::history::visible_run;
use crate::contacts::{columns_of, text_of};
use crate::error::AppError;
use crate::model::{CurrentUser, SnapshotContact, SnapshotPage};
use crate::state::AppState;

/// Snapshot contacts per page.
pub const SNAPSHOT_PAGE_SIZE: u32 = 50;

/// A page (0-based) of a run's snapshot.
pub async fn snapshot(
    state: &AppState,
    user: &CurrentUser,
    purge_run_id: i64,
    page: u32,
) -> Result<SnapshotPage, AppError> {
    visible_run(state, user, purge_run_id).await?;
    let size = SNAPSHOT_PAGE_SIZE;
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from purge_contact where purge_run_id = $1"#,
        purge_run_id
    )
    .fetch_one(&state.pool)
    .await?;
    let records =
        sqlx::query!(
        "select user_contact_id, state, restore_state, restore_error, attributes from purge_contact
         where purge_run_id = $1 order by purge_contact_id offset $2 limit $3",
        purge_run_id, i64::from(page) * i64::from(size), i64::from(size)
    )
        .fetch_all(&state.pool)
        .await?;
    let maps: Vec<serde_json::Map<String, serde_json::Value>> = records
        .iter()
        .map(|r| {
            r.attributes
                .as_ref()
                .and_then(|a| a.as_object().cloned())
                .unwrap_or_default()
        })
        .collect();
    let columns: Vec<String> = columns_of(maps.iter())
        .into_iter()
        .filter(|c| c != "userContactId")
        .collect();
    let contacts = records
        .into_iter()
        .zip(&maps)
        .map(|(r, map)| SnapshotContact {
            user_contact_id: r.user_contact_id,
            state: r.state,
            restore_state: r.restore_state,
            restore_error: r.restore_error,
            values: columns.iter().map(|c| text_of(map, c)).collect(),
        })
        .collect();
    Ok(SnapshotPage {
        columns,
        contacts,
        total,
        page,
        page_size: size,
    })
}

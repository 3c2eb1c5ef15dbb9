//! What must hold before a purge starts: the dry run's plan, confirmed with its count and
//! unchanged filter, no other purge of the list under way, and the plan used only once.

use std::collections::HashSet;

use serde_json::Value;
use sqlx::PgConnection;

use crate::access::Ctx;
use crate::error::AppError;
use crate::model::PurgeRequest;

/// A stored dry run: its request and the exact set it matched.
pub(super) struct Plan {
    pub id: i64,
    pub request: Value,
    pub ids: HashSet<String>,
}

/// The caller's own dry run named by `token`.
pub(super) async fn load_plan(ctx: &Ctx, token: &str) -> Result<Plan, AppError> {
    let missing = || {
        AppError::validation(
            "confirm",
            "Run the dry run first (or again): its result was not found.",
        )
    };
    let id: i64 = token.trim().parse().map_err(|_| missing())?;
    let row = sqlx::query!(
        "select request, user_contact_ids from purge_plan where purge_plan_id = $1 and app_user_id = $2",
        id,
        ctx.user.user_id
    )
    .fetch_optional(&ctx.state.pool)
    .await?
    .ok_or_else(missing)?;
    Ok(Plan {
        id,
        request: row.request,
        ids: row.user_contact_ids.into_iter().collect(),
    })
}

/// The number the user typed ("1,234" and "1 234" are fine); restore-all confirms the same way.
pub(in crate::purge) fn typed_number(typed: &str) -> Option<i64> {
    let digits: String = typed
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '.' | '\u{a0}'))
        .collect();
    digits.parse().ok()
}

/// The number of contacts confirmed: the filter is the dry run's, something matches, and the
/// typed count is the dry run's.
pub(super) fn confirmed_count(
    request: &PurgeRequest,
    plan: &Plan,
    typed_count: &str,
) -> Result<i64, AppError> {
    let request_json = serde_json::to_value(request).map_err(|e| crate::error::internal(&e))?;
    if plan.request != request_json {
        return Err(AppError::validation(
            "confirm",
            "The filter changed since the dry run; run the dry run again.",
        ));
    }
    let expected = plan.ids.len() as i64;
    if expected == 0 {
        return Err(AppError::validation(
            "confirm",
            "No contact matches this filter; there is nothing to purge.",
        ));
    }
    if typed_number(typed_count) != Some(expected) {
        return Err(AppError::validation(
            "confirm",
            format!("Type {expected} to confirm."),
        ));
    }
    Ok(expected)
}

/// One purge of a list at a time (a retry of an earlier run's failed deletes counts as one).
/// Serialises the starts of jobs that delete from one list (a purge, a retry of failed deletes)
/// until the transaction ends, so that two starts cannot both find the list idle. The key is the
/// list id: OCM takes no other advisory lock.
pub async fn lock_list(tx: &mut PgConnection, list_id: i64) -> Result<(), AppError> {
    sqlx::query!(
        r#"select 1 as "locked!" from pg_advisory_xact_lock($1)"#,
        list_id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(())
}

pub(super) async fn refuse_if_busy(tx: &mut PgConnection, list_id: i64) -> Result<(), AppError> {
    let busy = sqlx::query_scalar!(
        r#"select count(*) as "n!" from purge_run r join job j
             on j.job_id = r.job_id
             or (j.kind = 'purge_retry' and j.payload->>'purge_run_id' = r.purge_run_id::text)
           where r.contact_list_id = $1 and j.state not in ('completed', 'cancelled', 'failed')"#,
        list_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if busy > 0 {
        return Err(AppError::validation(
            "confirm",
            "Another purge of this list is under way; wait for it to end.",
        ));
    }
    Ok(())
}

/// Uses the plan up: a second confirmation (double click, retry) finds it gone.
pub(super) async fn consume_plan(
    tx: &mut PgConnection,
    ctx: &Ctx,
    plan: &Plan,
) -> Result<(), AppError> {
    let consumed = sqlx::query!(
        "delete from purge_plan where purge_plan_id = $1 and app_user_id = $2",
        plan.id,
        ctx.user.user_id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if consumed == 0 {
        return Err(AppError::validation(
            "confirm",
            "This dry run was already confirmed; see the purge history.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::typed_number;

    #[test]
    fn typed_counts_may_carry_separators() {
        assert_eq!(typed_number("1,234"), Some(1234));
        assert_eq!(typed_number(" 1 234 "), Some(1234));
        assert_eq!(typed_number("12a"), None);
    }
}

//! Confirming a purge: the typed count must equal the dry run's; the list is read again and, in
//! one transaction, the job, the run, the snapshot of every contact to delete (all attributes)
//! and the audit record are written before anything is deleted. If the matching set changed since
//! the dry run, nothing is written and the user sees the difference.

use std::collections::HashSet;

use serde_json::{json, Map, Value};
use sqlx::PgConnection;
use tokio::sync::mpsc;

use super::plan::{self, describe, prepare, read_list};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::jobs::store::{self, NewJob};
use crate::model::{PurgeRequest, PurgeStart};

type Batch = Vec<(String, Map<String, Value>)>;

struct Plan {
    id: i64,
    request: Value,
    ids: HashSet<String>,
}

async fn load_plan(ctx: &Ctx, token: &str) -> Result<Plan, AppError> {
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

/// The number the user typed ("1,234" and "1 234" are fine).
fn typed_number(typed: &str) -> Option<i64> {
    let digits: String = typed
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '.' | '\u{a0}'))
        .collect();
    digits.parse().ok()
}

async fn insert_snapshot(
    conn: &mut PgConnection,
    run_id: i64,
    batch: Batch,
) -> Result<(), AppError> {
    let (ids, attributes): (Vec<String>, Vec<Value>) = batch
        .into_iter()
        .map(|(id, c)| (id, Value::Object(c)))
        .unzip();
    sqlx::query!(
        r#"insert into purge_contact (purge_run_id, user_contact_id, attributes)
           select $1, id, attrs from unnest($2::text[], $3::jsonb[]) as t(id, attrs)"#,
        run_id,
        &ids,
        &attributes,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Starts the purge, or answers `Changed` when the list no longer matches the dry run.
pub async fn start(
    ctx: &Ctx,
    request: &PurgeRequest,
    typed_count: &str,
    token: &str,
) -> Result<PurgeStart, AppError> {
    let state = &ctx.state;
    let (list, filter) = prepare(state, &ctx.user, request).await?;
    let plan = load_plan(ctx, token).await?;
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
    let busy = sqlx::query_scalar!(
        r#"select count(*) as "n!" from purge_run r join job j using (job_id)
           where r.contact_list_id = $1 and j.state not in ('completed', 'cancelled', 'failed')"#,
        list.list_id
    )
    .fetch_one(&state.pool)
    .await?;
    if busy > 0 {
        return Err(AppError::validation(
            "confirm",
            "Another purge of this list is under way; wait for it to end.",
        ));
    }
    let mode = if filter.direct { "direct" } else { "normal" };
    let mut tx = state.pool.begin().await?;
    let job_id = store::enqueue(
        &mut *tx,
        NewJob {
            kind: "purge",
            organization: &list.organization,
            created_by: Some(ctx.user.user_id),
            created_by_name: &ctx.user.username,
            payload: json!({}),
            total: 0,
        },
    )
    .await?;
    let retention = state.settings.purge.snapshot_retention.as_secs_f64();
    let run_id = sqlx::query_scalar!(
        r#"insert into purge_run (job_id, organization, contact_list_id, contact_list_name, mode,
               attribute, operator, filter_values, filter_text, reason, requested_by,
               requested_by_name, list_total_before, matched, snapshot_expires_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, 0,
                   now() + make_interval(secs => $13))
           returning purge_run_id"#,
        job_id,
        list.organization,
        list.list_id,
        list.name,
        mode,
        filter.attribute,
        filter.operator.as_str(),
        json!(filter.values),
        filter.summary(),
        request.reason.trim(),
        ctx.user.user_id,
        ctx.user.username,
        retention,
    )
    .fetch_one(&mut *tx)
    .await?;
    let (sender, mut receiver) = mpsc::channel::<Batch>(4);
    let writer = async move {
        while let Some(batch) = receiver.recv().await {
            insert_snapshot(&mut tx, run_id, batch).await?;
        }
        Ok::<_, AppError>(tx)
    };
    let reader = async move {
        read_list(state, &list, &filter, |batch| {
            let sender = sender.clone();
            async move {
                sender
                    .send(batch)
                    .await
                    .map_err(|_| AppError::Internal("snapshot".into()))
            }
        })
        .await
        .map(|found| (found, list, filter))
    };
    let (read, written) = tokio::join!(reader, writer);
    // A database error in the writer is the cause of the reader's "writer stopped": report it.
    let mut tx = written?;
    let (found, list, filter) = read?;
    if found.matched != plan.ids {
        tx.rollback().await?;
        let added = found.matched.difference(&plan.ids).count() as i64;
        let removed = plan.ids.difference(&found.matched).count() as i64;
        let token = plan::save_plan(state, &ctx.user, &list, request, &found).await?;
        return Ok(PurgeStart::Changed {
            dry_run: describe(&list, &filter, &found, token),
            added,
            removed,
        });
    }
    // A plan is used once: a second confirmation (double click, retry) finds it gone.
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
    for (campaign, before) in &found.before {
        sqlx::query!(
            "insert into purge_campaign_count (purge_run_id, campaign_id, before_count) values ($1, $2, $3)",
            run_id, campaign, before
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "update purge_run set matched = $2, list_total_before = $3 where purge_run_id = $1",
        run_id,
        expected,
        found.list_total
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update job set total = $2 where job_id = $1",
        job_id,
        expected
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new("purge.start", Outcome::Success)
        .with_organization(list.organization.clone())
        .with_target(format!("{} ({})", list.name, list.list_id))
        .with_parameters(json!({
            "purge_run_id": run_id, "job_id": job_id, "mode": mode, "filter": filter.summary(),
            "reason": request.reason.trim(), "snapshot": "stored before any delete",
        }))
        .with_counts(json!({ "matched": expected, "list_total": found.list_total, "campaigns": found.before }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    store::announce(&mut *tx, job_id).await?;
    tx.commit().await?;
    state.jobs.wake.notify_one();
    Ok(PurgeStart::Started {
        purge_run_id: run_id,
        job_id,
    })
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

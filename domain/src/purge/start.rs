//! Confirming a purge: the typed count must equal the dry run's; the list is read again and, in
//! one transaction, the job, the run, the snapshot of every contact to delete (all attributes)
//! and the audit record are written before anything is deleted. If the matching set changed since
//! the dry run, nothing is written and the user sees the difference.

mod checks;

use serde_json::{json, Map, Value};
use sqlx::{PgConnection, Postgres, Transaction};
use tokio::sync::mpsc;

pub use self::checks::lock_list;
pub(super) use self::checks::typed_number;
use self::checks::{confirmed_count, consume_plan, load_plan, refuse_if_busy};
use super::filter::Filter;
use super::plan::{self, describe, prepare, read_list};
use super::scan::Scan;
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::jobs::store::{self, NewJob};
use crate::model::{AuditAction, ContactListRow, PurgeRequest, PurgeStart};

type Batch = Vec<(String, Map<String, Value>)>;

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

/// The run being written: its job and row, inside the one transaction.
struct Run {
    job_id: i64,
    run_id: i64,
    mode: &'static str,
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
    let expected = confirmed_count(request, &plan, typed_count)?;
    let mut tx = state.pool.begin().await?;
    lock_list(&mut tx, list.list_id).await?;
    refuse_if_busy(&mut tx, list.list_id).await?;
    let run = open_run(&mut tx, ctx, request, &list, &filter).await?;
    let (mut tx, found, list, filter) = snapshot(ctx, tx, run.run_id, list, filter).await?;
    if found.matched != plan.ids {
        tx.rollback().await?;
        let added = found.matched.difference(&plan.ids).count() as i64;
        let removed = plan.ids.difference(&found.matched).count() as i64;
        let token = plan::save_plan(state, &ctx.user, &list, request, &found).await?;
        return Ok(PurgeStart::Changed {
            dry_run: Box::new(describe(&list, &filter, &found, token)),
            added,
            removed,
        });
    }
    consume_plan(&mut tx, ctx, &plan).await?;
    record_counts(&mut tx, &run, expected, &found).await?;
    let event = AuditEvent::new(AuditAction::PurgeStart, Outcome::Success)
        .with_organization(list.organization.clone())
        .with_target(format!("{} ({})", list.name, list.list_id))
        .with_parameters(json!({
            "purge_run_id": run.run_id, "job_id": run.job_id, "mode": run.mode, "filter": filter.summary(),
            "reason": request.reason.trim(), "snapshot": "stored before any delete",
        }))
        .with_counts(json!({ "matched": expected, "list_total": found.list_total, "campaigns": found.before }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    store::announce(&mut *tx, run.job_id).await?;
    tx.commit().await?;
    state.jobs.wake.notify_one();
    Ok(PurgeStart::Started {
        purge_run_id: run.run_id,
        job_id: run.job_id,
    })
}

/// Queues the job and writes the run (its counts come once the list is read).
async fn open_run(
    tx: &mut PgConnection,
    ctx: &Ctx,
    request: &PurgeRequest,
    list: &ContactListRow,
    filter: &Filter,
) -> Result<Run, AppError> {
    let mode = if filter.direct { "direct" } else { "normal" };
    let job_id = store::enqueue(
        &mut *tx,
        NewJob {
            kind: crate::model::JobKind::Purge,
            organization: &list.organization,
            created_by: Some(ctx.user.user_id),
            created_by_name: &ctx.user.username,
            payload: json!({}),
            total: 0,
        },
    )
    .await?;
    let retention = ctx.state.settings.purge.snapshot_retention.as_secs_f64();
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
    Ok(Run {
        job_id,
        run_id,
        mode,
    })
}

/// Reads the list again and writes every matching contact into the snapshot while reading;
/// hands back the transaction with what was found.
async fn snapshot(
    ctx: &Ctx,
    mut tx: Transaction<'static, Postgres>,
    run_id: i64,
    list: ContactListRow,
    filter: Filter,
) -> Result<(Transaction<'static, Postgres>, Scan, ContactListRow, Filter), AppError> {
    let state = &ctx.state;
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
    let tx = written?;
    let (found, list, filter) = read?;
    Ok((tx, found, list, filter))
}

/// The counts before: per campaign, on the run and as the job's total.
async fn record_counts(
    tx: &mut PgConnection,
    run: &Run,
    expected: i64,
    found: &Scan,
) -> Result<(), AppError> {
    for (campaign, before) in &found.before {
        sqlx::query!(
            "insert into purge_campaign_count (purge_run_id, campaign_id, before_count) values ($1, $2, $3)",
            run.run_id, campaign, before
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "update purge_run set matched = $2, list_total_before = $3 where purge_run_id = $1",
        run.run_id,
        expected,
        found.list_total
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update job set total = $2 where job_id = $1",
        run.job_id,
        expected
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

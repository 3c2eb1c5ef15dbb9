//! The purge job's bookkeeping steps: the run it works on, counts by outcome, and its end (the
//! list measured again for the after-counts per campaign id, and the closing audit record).

use serde_json::json;
use sqlx::PgPool;
use types::words::thousands;

use super::scan::campaign_counts;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::jobs::runner::JobContext;
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;

/// The run a purge job works on.
pub struct RunRef {
    pub purge_run_id: i64,
    pub list_id: i64,
}

pub async fn run_of(pool: &PgPool, job_id: i64) -> Result<RunRef, sqlx::Error> {
    sqlx::query_as!(
        RunRef,
        r#"select purge_run_id, contact_list_id as list_id from purge_run where job_id = $1"#,
        job_id
    )
    .fetch_one(pool)
    .await
}

/// Contacts still to delete.
pub async fn pending(pool: &PgPool, purge_run_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from purge_contact where purge_run_id = $1 and state = 'pending'"#,
        purge_run_id
    )
    .fetch_one(pool)
    .await
}

/// Contacts of a run by state: (deleted, absent, failed, cancelled).
pub async fn outcome_counts(
    pool: &PgPool,
    purge_run_id: i64,
) -> Result<(i64, i64, i64, i64), sqlx::Error> {
    let row = sqlx::query!(
        r#"select count(*) filter (where state = 'deleted') as "deleted!",
                  count(*) filter (where state = 'absent') as "absent!",
                  count(*) filter (where state = 'failed') as "failed!",
                  count(*) filter (where state = 'cancelled') as "cancelled!"
           from purge_contact where purge_run_id = $1"#,
        purge_run_id
    )
    .fetch_one(pool)
    .await?;
    Ok((row.deleted, row.absent, row.failed, row.cancelled))
}

/// Measures the list again and stores the after-counts (the list's total and per campaign id);
/// the total, or why POM could not be read.
pub async fn measure(ctx: &JobContext, run: &RunRef) -> Result<Result<i64, String>, sqlx::Error> {
    let pool = &ctx.state.pool;
    let measured = match ctx.state.pom.as_ref() {
        Some(client) => {
            campaign_counts(client, run.list_id, ctx.state.settings.purge.read_page_size)
                .await
                .map_err(|e| e.user_message())
        }
        None => Err("No POM is configured.".to_string()),
    };
    if let Ok((total, counts)) = &measured {
        sqlx::query!(
            "update purge_run set list_total_after = $2 where purge_run_id = $1",
            run.purge_run_id,
            total
        )
        .execute(pool)
        .await?;
        sqlx::query!(
            "update purge_campaign_count set after_count = 0 where purge_run_id = $1",
            run.purge_run_id
        )
        .execute(pool)
        .await?;
        for (campaign, after) in counts {
            sqlx::query!(
                r#"insert into purge_campaign_count (purge_run_id, campaign_id, before_count, after_count)
                   values ($1, $2, 0, $3)
                   on conflict (purge_run_id, campaign_id) do update set after_count = excluded.after_count"#,
                run.purge_run_id, campaign, after
            )
            .execute(pool)
            .await?;
        }
    }
    Ok(measured.map(|(total, _)| total))
}

/// Measures the list again, stores the after-counts, writes `action` to the audit log; returns a
/// one-line summary.
pub async fn close(
    ctx: &JobContext,
    run: &RunRef,
    action: AuditAction,
) -> Result<String, sqlx::Error> {
    let pool = &ctx.state.pool;
    let (deleted, absent, failed, cancelled) = outcome_counts(pool, run.purge_run_id).await?;
    let mut summary = format!(
        "{} deleted, {} failed.",
        thousands(deleted + absent),
        thousands(failed)
    );
    if absent > 0 {
        let were = if absent == 1 { "was" } else { "were" };
        summary.push_str(&format!(
            " {} {were} already gone from POM.",
            thousands(absent)
        ));
    }
    let measured = measure(ctx, run).await?;
    if let Err(message) = &measured {
        summary.push_str(&format!(" The after-counts could not be read: {message}"));
    }
    let requester = sqlx::query!(
        "select requested_by, requested_by_name, organization, contact_list_name from purge_run where purge_run_id = $1",
        run.purge_run_id
    )
    .fetch_one(pool)
    .await?;
    let actor = Actor {
        user_id: requester.requested_by,
        username: Some(requester.requested_by_name),
        role: None,
        organization: Some(requester.organization.clone()),
    };
    let outcome = if failed > 0 {
        Outcome::Failure
    } else {
        Outcome::Success
    };
    let event = AuditEvent::new(action, outcome)
        .with_organization(requester.organization)
        .with_target(format!("{} ({})", requester.contact_list_name, run.list_id))
        .with_parameters(json!({ "purge_run_id": run.purge_run_id, "job_id": ctx.job.job_id }))
        .with_counts(json!({
            "deleted": deleted, "already_gone": absent, "failed": failed, "not_deleted": cancelled,
            "list_total_after": measured.as_ref().ok(),
        }));
    audit::record(pool, &actor, &RequestMeta::background("purge"), event).await?;
    Ok(summary)
}

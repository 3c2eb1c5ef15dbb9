//! Runs a person asks for: "Run now" (the period as of now) and a re-run of a past period (its
//! days given). Either is queued as a run of its own beside the schedule's, with the same
//! checks at run time, and audited; the owner or an admin only, as for changes.

use jiff::Timestamp;
use serde_json::json;

use super::fire::{parse_day, queue_run, NewRun};
use super::period::{self, MAX_DAYS};
use super::{recurrence, store};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{AuditAction, PeriodDays, RunTrigger};

/// Queues a run of `schedule_id`: of `days` (a re-run), or of the period as of now.
pub async fn run(ctx: &Ctx, schedule_id: i64, days: Option<PeriodDays>) -> Result<i64, AppError> {
    ctx.require(AuditAction::ExportRunRequested, store::ROLES)
        .await?;
    let schedule = store::visible(ctx, schedule_id).await?;
    store::owner_or_admin(ctx, &schedule, AuditAction::ExportRunRequested).await?;
    already_running(ctx, schedule_id).await?;
    let (trigger, days) = match days {
        Some(days) => (RunTrigger::Rerun, checked(days)?),
        None => {
            let plan = recurrence::plan(&schedule.recurrence)?;
            let days = period::covered(schedule.period, Timestamp::now(), plan.zone())?;
            (RunTrigger::RunNow, days)
        }
    };
    let mut tx = ctx.state.pool.begin().await?;
    let run = NewRun {
        schedule_id,
        organization: &schedule.organization,
        trigger: trigger.clone(),
        due_at: None,
        days: days.clone(),
        requested_by: ctx.user.stored_id(),
        requested_by_name: &ctx.user.username,
    };
    let run_id = queue_run(&mut tx, run).await?.ok_or_else(|| {
        // A person's run has no instant, so the unique index cannot refuse it.
        crate::error::internal(&std::io::Error::other("a person's run was not queued"))
    })?;
    let event = AuditEvent::new(AuditAction::ExportRunRequested, Outcome::Success)
        .with_organization(schedule.organization)
        .with_target(schedule.name)
        .with_parameters(json!({
            "schedule_id": schedule_id, "run_id": run_id, "trigger": trigger.as_str(),
            "from": days.from, "to": days.to,
        }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    Ok(run_id)
}

/// Refuses a person's run while another person's run of the schedule waits or runs, so that
/// pressing "Run now" again and again cannot fill the job queue.
async fn already_running(ctx: &Ctx, schedule_id: i64) -> Result<(), AppError> {
    let busy = sqlx::query_scalar!(
        r#"select exists (select 1 from export_run
                          where export_schedule_id = $1 and due_at is null
                            and state in ('queued', 'running')) as "busy!""#,
        schedule_id
    )
    .fetch_one(&ctx.state.pool)
    .await?;
    if busy {
        return Err(AppError::validation(
            "schedule",
            "A run you asked for is still under way: wait for it to end.",
        ));
    }
    Ok(())
}

/// A re-run's days: real dates, in order, at most [`MAX_DAYS`] of them.
fn checked(days: PeriodDays) -> Result<PeriodDays, AppError> {
    let from = parse_day(days.from.trim())?;
    let to = parse_day(days.to.trim())?;
    if to < from {
        return Err(AppError::validation(
            "period",
            "The last day is before the first.",
        ));
    }
    if (to - from).whole_days() >= i64::from(MAX_DAYS) {
        return Err(AppError::validation(
            "period",
            format!("A re-run covers at most {MAX_DAYS} days."),
        ));
    }
    Ok(PeriodDays {
        from: from.to_string(),
        to: to.to_string(),
    })
}

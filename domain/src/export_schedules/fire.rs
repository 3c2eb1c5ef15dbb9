//! Firing: every schedule whose next run has come gets a run and its job, exactly once whatever
//! the number of OCM instances. Due schedules are locked with `FOR UPDATE SKIP LOCKED`, each
//! instant's run is inserted against a unique index on (schedule, instant), and the schedule's
//! next instant moves on in the same transaction. Instants missed while OCM was down are run on
//! start-up in order, flagged late (`catch_up`), at most [`MAX_PER_PASS`] per schedule and pass,
//! so a long outage does not flood the queue and nothing is skipped.

use jiff::Timestamp;
use serde_json::json;
use sqlx::PgConnection;

use super::{period, recurrence, to_jiff, to_offset};
use crate::error::AppError;
use crate::jobs::store::{self as jobs, NewJob};
use crate::model::{JobKind, Period, PeriodDays, Recurrence, RunTrigger};
use crate::state::AppState;

/// Runs of one schedule queued per pass at most.
pub const MAX_PER_PASS: usize = 50;
/// Schedules fired per transaction.
const SCHEDULES_PER_BATCH: i64 = 20;
/// A run queued this long after its instant counts as late (OCM was down or behind): the firing
/// worker looks every few seconds, so anything later was missed.
pub const LATE_AFTER_SECONDS: i64 = 120;

/// A run to queue.
pub struct NewRun<'a> {
    pub schedule_id: i64,
    pub organization: &'a str,
    pub trigger: RunTrigger,
    pub due_at: Option<Timestamp>,
    pub days: PeriodDays,
    pub requested_by: Option<i64>,
    pub requested_by_name: &'a str,
}

/// Inserts a run and its job; `None` when this schedule's instant already has its run.
pub async fn queue_run(conn: &mut PgConnection, run: NewRun<'_>) -> Result<Option<i64>, AppError> {
    let from = parse_day(&run.days.from)?;
    let to = parse_day(&run.days.to)?;
    let due_at = run.due_at.map(to_offset).transpose()?;
    let run_id = sqlx::query_scalar!(
        r#"insert into export_run
               (export_schedule_id, organization, trigger, due_at, period_from, period_to,
                requested_by, requested_by_name)
           values ($1, $2, $3, $4, $5, $6, $7, $8)
           on conflict (export_schedule_id, due_at) where due_at is not null do nothing
           returning export_run_id"#,
        run.schedule_id,
        run.organization,
        run.trigger.as_str(),
        due_at,
        from,
        to,
        run.requested_by,
        run.requested_by_name,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(run_id) = run_id else {
        return Ok(None);
    };
    let job_id = jobs::enqueue(
        &mut *conn,
        NewJob {
            kind: JobKind::ExportRun,
            organization: run.organization,
            created_by: run.requested_by,
            created_by_name: run.requested_by_name,
            payload: json!({ "export_run_id": run_id }),
            total: 1,
        },
    )
    .await?;
    sqlx::query!(
        "update export_run set job_id = $2 where export_run_id = $1",
        run_id,
        job_id
    )
    .execute(&mut *conn)
    .await?;
    jobs::announce(&mut *conn, job_id).await?;
    Ok(Some(run_id))
}

/// `YYYY-MM-DD` as a date for the database.
pub fn parse_day(day: &str) -> Result<time::Date, AppError> {
    time::Date::parse(
        day,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| AppError::validation("period", format!("“{day}” is not a date (YYYY-MM-DD).")))
}

/// Fires every schedule due at `now`; returns the runs queued. Called every few seconds by one
/// worker per instance (and by tests with a clock of their own).
pub async fn fire_due(state: &AppState, now: Timestamp) -> Result<usize, AppError> {
    let mut queued = 0;
    loop {
        let (fired, advanced) = fire_batch(state, now).await?;
        queued += fired;
        if advanced < SCHEDULES_PER_BATCH as usize {
            return Ok(queued);
        }
    }
}

/// One transaction's worth of due schedules: (runs queued, schedules moved on).
async fn fire_batch(state: &AppState, now: Timestamp) -> Result<(usize, usize), AppError> {
    let at = to_offset(now)?;
    let mut tx = state.pool.begin().await?;
    let due = sqlx::query!(
        r#"select s.export_schedule_id, s.organization, s.recurrence, s.period,
                  s.next_run_at as "next_run_at!", s.owner_id, u.username as owner_name
           from export_schedule s join app_user u on u.app_user_id = s.owner_id
           where s.next_run_at <= $1 and s.paused_at is null and s.deleted_at is null
           order by s.next_run_at
           limit $2
           for update of s skip locked"#,
        at,
        SCHEDULES_PER_BATCH,
    )
    .fetch_all(&mut *tx)
    .await?;
    let (mut queued, mut advanced) = (0, 0);
    for schedule in &due {
        let recurrence: Result<Recurrence, _> = serde_json::from_value(schedule.recurrence.clone());
        let period: Result<Period, _> = serde_json::from_value(schedule.period.clone());
        let plan = recurrence.ok().and_then(|r| recurrence::plan(&r).ok());
        let (Some(plan), Ok(period)) = (plan, period) else {
            // Written by a newer OCM: left for an instance that reads it, not fired wrongly.
            tracing::warn!(
                schedule_id = schedule.export_schedule_id,
                "schedule not readable"
            );
            continue;
        };
        let first = to_jiff(schedule.next_run_at)?;
        let mut instants = vec![first];
        instants.extend(plan.runs_between(first, now, MAX_PER_PASS - 1));
        for instant in &instants {
            let late = now.as_second() - instant.as_second() > LATE_AFTER_SECONDS;
            let run = NewRun {
                schedule_id: schedule.export_schedule_id,
                organization: &schedule.organization,
                trigger: if late {
                    RunTrigger::CatchUp
                } else {
                    RunTrigger::Schedule
                },
                due_at: Some(*instant),
                days: period::covered(period, *instant, plan.zone())?,
                requested_by: Some(schedule.owner_id),
                requested_by_name: &schedule.owner_name,
            };
            if queue_run(&mut tx, run).await?.is_some() {
                queued += 1;
            }
        }
        let last = *instants.last().unwrap_or(&first);
        let next = plan.next_after(last).map(to_offset).transpose()?;
        sqlx::query!(
            "update export_schedule set next_run_at = $2 where export_schedule_id = $1",
            schedule.export_schedule_id,
            next,
        )
        .execute(&mut *tx)
        .await?;
        advanced += 1;
    }
    tx.commit().await?;
    Ok((queued, advanced))
}

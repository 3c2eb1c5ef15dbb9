//! How a run ends: its state, rows, size, SHA-256, file and error recorded with its deliveries
//! (or the notice that it produced no file) queued, and the audit record, in one transaction,
//! by the claim that made it only (a claim another instance took over records nothing and
//! removes its file). A refused run pauses its schedule, so a schedule whose owner may no longer
//! have it does not fire, fail and notify every hour.

use jiff::Timestamp;
use serde_json::json;

use super::{forget, Produced, Run};
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::export_schedules::deliver;
use crate::jobs::handlers::HandlerResult;
use crate::jobs::runner::{Finish, JobContext};
use crate::model::{AuditAction, RunState};
use crate::request_meta::RequestMeta;

pub(super) async fn record(
    job: &JobContext,
    (run, claim): (&Run, uuid::Uuid),
    outcome: Result<Produced, (RunState, String)>,
    started: Timestamp,
) -> HandlerResult {
    let mut tx = job.state.pool.begin().await?;
    let still_ours = sqlx::query_scalar!(
        "select claim = $2 as \"ours!\" from export_run where export_run_id = $1 for update",
        run.run_id,
        claim
    )
    .fetch_one(&mut *tx)
    .await?;
    if !still_ours {
        drop(tx);
        forget(job, &outcome).await;
        return Ok(Finish::Interrupted);
    }
    let (state, written, name, path, error) = match outcome {
        Ok(Produced::File {
            name,
            path,
            written,
        }) => (RunState::Done, Some(written), Some(name), Some(path), None),
        Ok(Produced::Empty(written)) => (RunState::Empty, Some(written), None, None, None),
        Err((state, error)) => (state, None, None, None, Some(error)),
    };
    sqlx::query!(
        r#"update export_run
           set state = $2, rows = $3, bytes = $4, sha256 = $5, file_name = $6, file_path = $7,
               error = $8, finished_at = now()
           where export_run_id = $1"#,
        run.run_id,
        state.as_str(),
        written.as_ref().map(|w| w.rows),
        written.as_ref().filter(|_| path.is_some()).map(|w| w.bytes),
        written
            .as_ref()
            .filter(|_| path.is_some())
            .map(|w| w.sha256.clone()),
        name,
        path,
        error,
    )
    .execute(&mut *tx)
    .await?;
    if state == RunState::Done {
        let deliveries = deliver::RunDeliveries {
            run_id: run.run_id,
            organization: &run.organization,
            recipients: &run.recipients,
            sftp_destination: run.sftp_destination.as_deref(),
        };
        deliver::queue(&mut tx, deliveries).await?;
    }
    if state == RunState::Refused {
        sqlx::query!(
            "update export_schedule set paused_at = coalesce(paused_at, now()), next_run_at = null,
                 updated_at = now()
             where export_schedule_id = $1",
            run.schedule_id
        )
        .execute(&mut *tx)
        .await?;
    }
    if let (Some(to), Some(error)) = (&run.notify_email, &error) {
        // The owner hears of a run that could not be produced, as of a delivery that failed.
        let failed = json!({ "failed": "run", "to": "", "error": error });
        deliver::queue_notice(&mut tx, (run.run_id, &run.organization), to, failed).await?;
    }
    let outcome = match state {
        RunState::Done | RunState::Empty => Outcome::Success,
        RunState::Refused => Outcome::Denied,
        _ => Outcome::Failure,
    };
    let event = AuditEvent::new(AuditAction::ExportRunEnd, outcome)
        .with_organization(run.organization.clone())
        .with_target(run.schedule_name.clone())
        .with_parameters(json!({
            "run_id": run.run_id, "schedule_id": run.schedule_id, "report": run.report,
            "trigger": run.trigger, "from": run.from, "to": run.to, "state": state.as_str(),
            "file": name, "sha256": written.as_ref().map(|w| w.sha256.clone()),
            "error": error, "ms": (Timestamp::now().as_millisecond() - started.as_millisecond()),
        }))
        .with_counts(json!({ "rows": written.as_ref().map(|w| w.rows) }));
    let owner = Actor::user(&run.owner);
    audit::record(
        &mut *tx,
        &owner,
        &RequestMeta::background("export schedule"),
        event,
    )
    .await?;
    tx.commit().await?;
    Ok(match (state, error) {
        (RunState::Done, _) => {
            Finish::Completed(format!("{} rows written.", written.map_or(0, |w| w.rows)))
        }
        (RunState::Empty, _) => Finish::Completed("No rows: skipped, as the schedule asks.".into()),
        (_, error) => Finish::Failed(error.unwrap_or_default()),
    })
}

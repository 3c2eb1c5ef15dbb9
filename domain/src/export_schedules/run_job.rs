//! The `export_run` job: one run of a schedule. The owner is read as they are now (disabled, moved
//! to another organization, or no longer allowed the report: the run is refused and says why),
//! the report is written with the schedule's filters and the run's period to a temporary file
//! renamed when whole, and the run records its rows, size, SHA-256 and how it ended, audited,
//! with its deliveries queued (`end.rs`, `deliver.rs`). A run already ended (a job claimed again
//! after a restart) is not written twice.

mod end;

use std::path::PathBuf;

use jiff::Timestamp;

use super::write::{write as write_file, Written};
use super::{checks, to_jiff};
use crate::access::Ctx;
use crate::error::AppError;
use crate::jobs::handlers::HandlerResult;
use crate::jobs::runner::{Finish, JobContext, Signal};
use crate::model::{
    AuditAction, CurrentUser, ExportFormat, Recurrence, Role, RunState, SessionTiming,
};
use crate::request_meta::RequestMeta;

/// A run with its schedule and its owner as they are now.
struct Run {
    run_id: i64,
    schedule_id: i64,
    schedule_name: String,
    organization: String,
    organization_id: i64,
    report: String,
    filters: String,
    format: ExportFormat,
    recurrence: Recurrence,
    file_template: String,
    skip_empty: bool,
    recipients: Vec<String>,
    sftp_destination: Option<String>,
    notify_email: Option<String>,
    trigger: String,
    due_at: Option<time::OffsetDateTime>,
    from: String,
    to: String,
    state: RunState,
    owner: CurrentUser,
    owner_disabled: bool,
    deleted: bool,
}

/// How producing the file ended.
enum Produced {
    File {
        name: String,
        path: String,
        written: Written,
    },
    Empty(Written),
}

async fn load(ctx: &JobContext, run_id: i64) -> Result<Option<Run>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select r.export_run_id, r.export_schedule_id, s.name as schedule_name, r.organization,
                  s.report, s.filters, s.format, s.recurrence, s.file_name, s.skip_empty,
                  s.recipients, s.sftp_destination, s.notify_email,
                  r.trigger, r.due_at, r.period_from::text as "from!", r.period_to::text as "to!",
                  r.state, u.app_user_id, u.username, u.display_name, u.role, t.name as team,
                  uo.organization_id as owner_org_id, uo.name as owner_org,
                  u.disabled_at is not null as "owner_disabled!",
                  s.deleted_at is not null as "deleted!",
                  (select organization_id from organization where name = r.organization) as org_id
           from export_run r
           join export_schedule s using (export_schedule_id)
           join app_user u on u.app_user_id = s.owner_id
           join team t on t.team_id = u.team_id
           join organization uo on uo.organization_id = t.organization_id
           where r.export_run_id = $1"#,
        run_id
    )
    .fetch_optional(&ctx.state.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let Ok(recurrence) = serde_json::from_value(row.recurrence) else {
        return Ok(None);
    };
    let role = Role::parse(&row.role).unwrap_or(Role::Manager);
    Ok(Some(Run {
        run_id: row.export_run_id,
        schedule_id: row.export_schedule_id,
        schedule_name: row.schedule_name,
        organization: row.organization.clone(),
        organization_id: row.org_id.unwrap_or_default(),
        report: row.report,
        filters: row.filters,
        format: ExportFormat::from(row.format),
        recurrence,
        file_template: row.file_name,
        skip_empty: row.skip_empty,
        recipients: row.recipients,
        sftp_destination: row.sftp_destination,
        notify_email: row.notify_email,
        trigger: row.trigger,
        due_at: row.due_at,
        from: row.from,
        to: row.to,
        state: RunState::from(row.state),
        owner: CurrentUser {
            user_id: row.app_user_id,
            username: row.username,
            display_name: row.display_name,
            role,
            team: row.team,
            organization_id: row.owner_org_id,
            organization: row.owner_org,
            must_change_password: false,
            must_enrol_two_factor: false,
            api_client: None,
        },
        owner_disabled: row.owner_disabled,
        deleted: row.deleted,
    }))
}

/// Runs one claim of an `export_run` job.
pub async fn run(job: &JobContext) -> HandlerResult {
    let Some(run_id) = job.job.payload["export_run_id"].as_i64() else {
        return Ok(Finish::Failed("The job names no export run.".into()));
    };
    let Some(run) = load(job, run_id).await? else {
        let reason = "The run's schedule cannot be read by this version of OCM.";
        sqlx::query!(
            "update export_run set state = 'failed', error = $2, finished_at = now()
             where export_run_id = $1 and state in ('queued', 'running')",
            run_id,
            reason
        )
        .execute(&job.state.pool)
        .await?;
        return Ok(Finish::Failed(reason.into()));
    };
    // This claim's token: a claim that lost the job to another instance records nothing.
    let claim = uuid::Uuid::new_v4();
    let claimed = sqlx::query!(
        "update export_run set state = 'running', started_at = now(), claim = $2
         where export_run_id = $1 and state in ('queued', 'running')",
        run_id,
        claim
    )
    .execute(&job.state.pool)
    .await?;
    if claimed.rows_affected() == 0 {
        return Ok(Finish::Completed(format!(
            "Already {}.",
            run.state.label().to_lowercase()
        )));
    }
    let started = Timestamp::now();
    let outcome = produce(job, &run).await;
    let outcome = match job.signal() {
        Signal::Go => outcome,
        // Shutting down or taken over: the next claim writes the file again.
        Signal::Shutdown | Signal::Lost => {
            forget(job, &outcome).await;
            return Ok(Finish::Interrupted);
        }
        Signal::Cancel => {
            forget(job, &outcome).await;
            Err((RunState::Failed, "The run was cancelled.".to_string()))
        }
    };
    end::record(job, (&run, claim), outcome, started).await
}

/// Removes the file a run wrote but will not record.
async fn forget(job: &JobContext, outcome: &Result<Produced, (RunState, String)>) {
    if let Ok(Produced::File { path, .. }) = outcome {
        let _ = tokio::fs::remove_file(job.state.settings.exports.dir.join(path)).await;
    }
}

/// Why the owner cannot have this run, if they cannot.
fn owner_refusal(run: &Run) -> Option<String> {
    let owner = &run.owner.display_name;
    if run.deleted {
        return Some("The schedule was deleted.".into());
    }
    if run.owner_disabled {
        return Some(format!("The schedule's owner, {owner}, is disabled: nobody receives this report until an admin gives the schedule to someone else or enables them."));
    }
    if run.owner.role != Role::Admin && run.owner.organization != run.organization {
        return Some(format!("The schedule's owner, {owner}, now belongs to organization {}; the schedule is about {}, so it is not run.", run.owner.organization, run.organization));
    }
    None
}

/// The owner as the report reads them: an admin reads as a supervisor of the schedule's one
/// organization (as an API client of every organization does), so a run never holds another
/// organization's rows.
fn reader(job: &JobContext, run: &Run) -> Ctx {
    let mut user = run.owner.clone();
    if user.role == Role::Admin {
        user.role = Role::Supervisor;
        user.organization = run.organization.clone();
        user.organization_id = run.organization_id;
    }
    Ctx {
        state: job.state.clone(),
        user,
        timing: SessionTiming {
            idle_timeout_secs: 0,
            warning_secs: 0,
            remaining_secs: 0,
        },
        meta: RequestMeta::background("export schedule"),
    }
}

async fn produce(job: &JobContext, run: &Run) -> Result<Produced, (RunState, String)> {
    if let Some(refusal) = owner_refusal(run) {
        return Err((RunState::Refused, refusal));
    }
    // The owner's right to the report as they are now (an admin's as an admin), audited.
    let owner = Ctx {
        user: run.owner.clone(),
        ..reader(job, run)
    };
    let action = AuditAction::ExportRunEnd;
    match super::store::may_read_report(&owner, &run.report, action).await {
        Ok(()) => {}
        Err(AppError::Forbidden) => {
            let who = &run.owner.display_name;
            let refusal = format!("The schedule's owner, {who}, may no longer read this report; the run was refused and the schedule paused.");
            return Err((RunState::Refused, refusal));
        }
        Err(other) => return Err((RunState::Failed, other.to_string())),
    }
    let ctx = reader(job, run);
    let folder = job.state.settings.exports.dir.clone();
    let extension = run.format.extension().to_string();
    // The run's id and a random part: two runs never share a file, and no name can be guessed.
    let random = uuid::Uuid::new_v4().simple().to_string();
    let path = folder.join(format!("run-{}-{}.{extension}", run.run_id, &random[..12]));
    let partial = PathBuf::from(format!("{}.part", path.display()));
    tokio::fs::create_dir_all(&folder).await.map_err(|e| {
        // Where the folder is stays in the log, for admins: the page says what went wrong.
        tracing::error!(folder = %folder.display(), error = %e, "exports folder cannot be made");
        (
            RunState::Failed,
            format!("The exports folder cannot be made: {e}. An admin can find it in the log."),
        )
    })?;
    let query = checks::run_query(&run.filters, &run.from, &run.to);
    let written = crate::by_report_key!(
        run.report.as_str(),
        write_file(&ctx, &query, &run.format, &partial),
        Err(AppError::validation(
            "report",
            format!("No report {}.", run.report)
        ))
    );
    let written = written.map_err(|error| {
        let _ = std::fs::remove_file(&partial);
        (RunState::Failed, error.to_string())
    })?;
    if written.rows == 0 && run.skip_empty {
        let _ = tokio::fs::remove_file(&partial).await;
        return Ok(Produced::Empty(written));
    }
    tokio::fs::rename(&partial, &path).await.map_err(|e| {
        (
            RunState::Failed,
            format!("The file could not be kept in the exports folder: {e}."),
        )
    })?;
    Ok(Produced::File {
        name: file_name(run),
        path: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        written,
    })
}

/// The file's name for people, from the schedule's template.
fn file_name(run: &Run) -> String {
    let zone = super::recurrence::plan(&run.recurrence)
        .map(|p| p.zone().clone())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let at = run
        .due_at
        .and_then(|t| to_jiff(t).ok())
        .unwrap_or_else(Timestamp::now);
    let local = at.to_zoned(zone).strftime("%Y-%m-%d-%H%M").to_string();
    let fields = checks::FileFields {
        report: &run.report,
        from: &run.from,
        to: &run.to,
        run: &local,
        schedule: &run.schedule_name,
    };
    checks::fill_file_name(&run.file_template, &fields, run.format.extension())
}

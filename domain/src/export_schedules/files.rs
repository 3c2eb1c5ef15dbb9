//! The runs' files: a download (the run's organization, for a role that may read the report;
//! audited) and the retention sweep that erases files older than `OCM_EXPORT_RETENTION_DAYS` (the
//! run's record, its row count and SHA-256 stay; one audit record per sweep and organization
//! names the runs), and files no run records (a crash between writing and recording, or removed
//! demo runs) or left half-written, once a day old.

use std::path::PathBuf;

use serde_json::json;

use super::store::ROLES;
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{AuditAction, ExportFormat, Role};
use crate::request_meta::RequestMeta;
use crate::state::AppState;

/// A file to send.
#[derive(Debug, Clone)]
pub struct RunFile {
    pub path: PathBuf,
    pub name: String,
    pub format: ExportFormat,
    pub bytes: i64,
}

/// The file of run `run_id`, if the caller may have it; audited.
pub async fn open(ctx: &Ctx, run_id: i64) -> Result<RunFile, AppError> {
    ctx.require(AuditAction::ExportFileDownload, ROLES).await?;
    let row = sqlx::query!(
        r#"select r.organization, r.file_name, r.file_path, r.file_erased_at, r.bytes, r.sha256,
                  s.format, s.name as schedule_name, r.export_schedule_id, s.report
           from export_run r join export_schedule s using (export_schedule_id)
           where r.export_run_id = $1 and ($2 or r.organization = $3)"#,
        run_id,
        ctx.user.role == Role::Admin,
        ctx.user.organization,
    )
    .fetch_optional(&ctx.state.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("The export run".into()))?;
    super::store::may_read_report(ctx, &row.report, AuditAction::ExportFileDownload).await?;
    let (Some(stored), Some(name), None) = (row.file_path, row.file_name, row.file_erased_at)
    else {
        return Err(AppError::NotFound(
            "The run's file (it was erased after the retention, or the run wrote none)".into(),
        ));
    };
    let path = ctx.state.settings.exports.dir.join(&stored);
    if tokio::fs::metadata(&path).await.is_err() {
        return Err(AppError::NotFound(format!(
            "The file {name} in the exports folder"
        )));
    }
    let event = AuditEvent::new(AuditAction::ExportFileDownload, Outcome::Success)
        .with_organization(row.organization)
        .with_target(row.schedule_name)
        .with_parameters(json!({
            "run_id": run_id, "schedule_id": row.export_schedule_id, "file": name,
            "sha256": row.sha256,
        }));
    audit::record(&ctx.state.pool, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    Ok(RunFile {
        path,
        name,
        format: ExportFormat::from(row.format),
        bytes: row.bytes.unwrap_or_default(),
    })
}

/// Erases the files of runs that ended more than the retention ago, and files no run records;
/// returns how many of the runs' files were erased. The runs are claimed (marked erased) first,
/// so two instances never erase and audit the same ones.
pub async fn erase_expired(state: &AppState) -> Result<usize, AppError> {
    let days = i32::try_from(state.settings.exports.retention_days).unwrap_or(i32::MAX);
    let expired = sqlx::query!(
        r#"update export_run set file_erased_at = now()
           where export_run_id in (
               select export_run_id from export_run
               where file_path is not null and file_erased_at is null
                 and finished_at < now() - make_interval(days => $1)
               order by export_run_id
               limit 1000
               for update skip locked)
           returning export_run_id, organization, file_path as "file_path!""#,
        days,
    )
    .fetch_all(&state.pool)
    .await?;
    let mut by_organization: std::collections::BTreeMap<String, Vec<i64>> = Default::default();
    for run in &expired {
        let path = state.settings.exports.dir.join(&run.file_path);
        match tokio::fs::remove_file(&path).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            // Left for the sweep of files no run records.
            Err(e) => {
                tracing::warn!(run_id = run.export_run_id, error = %e, "export file not erased")
            }
        }
        by_organization
            .entry(run.organization.clone())
            .or_default()
            .push(run.export_run_id);
    }
    let mut tx = state.pool.begin().await?;
    for (organization, runs) in &by_organization {
        let event = AuditEvent::new(AuditAction::ExportFileErased, Outcome::Success)
            .with_organization(organization.clone())
            .with_parameters(json!({ "run_ids": runs, "retention_days": days }))
            .with_counts(json!({ "files": runs.len() }));
        let meta = RequestMeta::background("export retention");
        audit::record(&mut *tx, &Actor::named("ocm"), &meta, event).await?;
    }
    tx.commit().await?;
    let orphans = erase_orphans(state).await?;
    if orphans > 0 {
        let event = AuditEvent::new(AuditAction::ExportFileErased, Outcome::Success)
            .with_parameters(json!({ "unrecorded_files": orphans }))
            .with_counts(json!({ "files": orphans }));
        let meta = RequestMeta::background("export retention");
        audit::record(&state.pool, &Actor::named("ocm"), &meta, event).await?;
    }
    Ok(expired.len())
}

/// How old a file no run records must be before it is erased (a run may be writing it).
const ORPHAN_AGE: std::time::Duration = std::time::Duration::from_secs(86_400);

/// Erases `run-*` files of the exports folder that no run records as kept, and `.part` files,
/// once a day old; returns how many.
async fn erase_orphans(state: &AppState) -> Result<usize, AppError> {
    let dir = &state.settings.exports.dir;
    let Ok(mut entries) = tokio::fs::read_dir(dir).await else {
        return Ok(0);
    };
    let kept: std::collections::HashSet<String> = sqlx::query_scalar!(
        r#"select file_path as "file_path!" from export_run
           where file_path is not null and file_erased_at is null"#
    )
    .fetch_all(&state.pool)
    .await?
    .into_iter()
    .collect();
    let mut erased = 0;
    while let Ok(Some(entry)) = entries.next_entry().await {
        let name = entry.file_name().to_string_lossy().into_owned();
        let old = entry
            .metadata()
            .await
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|at| at.elapsed().ok())
            .is_some_and(|age| age > ORPHAN_AGE);
        if old
            && name.starts_with("run-")
            && !kept.contains(&name)
            && tokio::fs::remove_file(entry.path()).await.is_ok()
        {
            erased += 1;
        }
    }
    Ok(erased)
}

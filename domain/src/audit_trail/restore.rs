//! `ocm audit restore`: loads an archived month back for an investigation. The file is checked
//! against its manifest, the records and their archived links are inserted into a new partition,
//! and the month's chain must verify with the archived head before anything is committed.

use std::path::{Path, PathBuf};

use sqlx::PgPool;

use super::archive::{partition_exists, partition_names, unhex, ARCHIVE_LOCK};
use super::file::{self, io, ArchiveError, ArchiveLine, Manifest};
use super::{verify, AuditMonth};
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;

/// Records inserted per statement.
const BATCH: usize = 1_000;

/// What a restore loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub month: AuditMonth,
    pub rows: u64,
}

/// Restores the month described by the manifest at `manifest_path`.
pub async fn restore_month(
    pool: &PgPool,
    manifest_path: &Path,
    actor: &Actor,
    meta: &RequestMeta,
) -> Result<Restored, ArchiveError> {
    let manifest = read_manifest(manifest_path)?;
    let month = AuditMonth::parse(&manifest.month).ok_or_else(|| {
        ArchiveError::Refused(format!(
            "{}: month {:?} is not YYYY-MM",
            manifest_path.display(),
            manifest.month
        ))
    })?;
    let data_path = sibling(manifest_path, &manifest.file)?;

    let mut tx = pool.begin().await?;
    sqlx::query!("select pg_advisory_xact_lock($1)", ARCHIVE_LOCK)
        .execute(&mut *tx)
        .await?;
    let recorded = sqlx::query!(
        "select head_hash, file_sha256 from audit_archive where chain_month = $1",
        month.first_day()
    )
    .fetch_optional(&mut *tx)
    .await?;
    match recorded {
        None => {
            return Err(ArchiveError::Refused(format!(
                "OCM has no record of archiving {month}: it restores only archives it wrote"
            )))
        }
        Some(r)
            if r.file_sha256 != manifest.file_sha256
                || r.head_hash.as_deref().map(super::hex) != manifest.head_hash =>
        {
            return Err(ArchiveError::Refused(format!(
                "{}: this archive differs from the one OCM recorded when it archived {month}",
                manifest_path.display()
            )))
        }
        Some(_) => {}
    }
    let (events_table, _) = partition_names(month);
    if partition_exists(&mut tx, &events_table).await? {
        return Err(ArchiveError::Refused(format!("{month} is online already")));
    }
    let created = sqlx::query_scalar!(
        r#"select audit_ensure_month($1) as "created!""#,
        month.first_day()
    )
    .fetch_one(&mut *tx)
    .await?;
    if !created {
        return Err(ArchiveError::Refused(format!(
            "{month} cannot get its partition back: the default partition holds records of that month"
        )));
    }
    // The file is read off the async threads and handed over a batch at a time, so a month of
    // any size is restored in bounded memory; nothing is committed until it all checks out.
    let (batches, mut received) = tokio::sync::mpsc::channel::<Vec<ArchiveLine>>(2);
    let reader = tokio::task::spawn_blocking(move || read_in_batches(&data_path, batches));
    while let Some(batch) = received.recv().await {
        insert_batch(&mut tx, month, &batch).await?;
    }
    let found = reader
        .await
        .map_err(|e| ArchiveError::Refused(format!("reading the archive stopped: {e}")))??;
    file::check_against(&manifest, &found)?;
    let report = verify::verify(&mut tx, month, month).await?;
    let head = report.months.first().and_then(|m| m.head.clone());
    if !report.is_intact() || head != manifest.head_hash {
        let first = report.breaks.first().map(ToString::to_string);
        return Err(ArchiveError::Refused(format!(
            "{month} was not restored: the loaded chain does not verify ({})",
            first.unwrap_or_else(|| "its last link differs from the manifest".into())
        )));
    }
    sqlx::query!(
        "update audit_archive set restored_at = now() where chain_month = $1",
        month.first_day()
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new(AuditAction::AuditRestore, Outcome::Success)
        .with_target(month.to_string())
        .with_parameters(serde_json::json!({
            "manifest": manifest_path.display().to_string(),
            "head_hash": head,
        }))
        .with_counts(serde_json::json!({ "rows": manifest.rows }));
    audit::record(&mut *tx, actor, meta, event).await?;
    tx.commit().await?;
    Ok(Restored {
        month,
        rows: manifest.rows,
    })
}

fn read_manifest(path: &Path) -> Result<Manifest, ArchiveError> {
    let metadata = std::fs::metadata(path).map_err(io(path))?;
    if metadata.len() > 64 * 1024 {
        return Err(ArchiveError::Refused(format!(
            "{}: a manifest is a few hundred bytes; this file is not one",
            path.display()
        )));
    }
    let text = std::fs::read(path).map_err(io(path))?;
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| {
        ArchiveError::Refused(format!(
            "{}: not an OCM audit manifest ({e})",
            path.display()
        ))
    })?;
    if manifest.format != file::FORMAT {
        return Err(ArchiveError::Refused(format!(
            "{}: format {:?}; this OCM reads {}",
            path.display(),
            manifest.format,
            file::FORMAT
        )));
    }
    Ok(manifest)
}

/// The data file named by the manifest, in the manifest's folder (never elsewhere).
fn sibling(manifest_path: &Path, name: &str) -> Result<PathBuf, ArchiveError> {
    let plain = Path::new(name)
        .file_name()
        .is_some_and(|only| only == std::ffi::OsStr::new(name));
    if !plain {
        return Err(ArchiveError::Refused(format!(
            "{}: file {name:?} must be a plain file name",
            manifest_path.display()
        )));
    }
    Ok(manifest_path.parent().unwrap_or(Path::new(".")).join(name))
}

fn read_in_batches(
    path: &Path,
    batches: tokio::sync::mpsc::Sender<Vec<ArchiveLine>>,
) -> Result<file::Contents, ArchiveError> {
    let mut batch = Vec::with_capacity(BATCH);
    let stopped = || ArchiveError::Refused("the restore stopped while reading".into());
    let found = file::read(path, |line| {
        batch.push(line);
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            batches.blocking_send(full).map_err(|_| stopped())?;
        }
        Ok(())
    })?;
    if !batch.is_empty() {
        batches.blocking_send(batch).map_err(|_| stopped())?;
    }
    Ok(found)
}

async fn insert_batch(
    conn: &mut sqlx::PgConnection,
    month: AuditMonth,
    batch: &[ArchiveLine],
) -> Result<(), ArchiveError> {
    let events: Vec<serde_json::Value> = batch.iter().map(|l| l.event.clone()).collect();
    let seqs: Vec<i64> = batch.iter().map(|l| l.seq).collect();
    let ids: Vec<i64> = batch
        .iter()
        .map(|l| {
            l.event
                .get("audit_event_id")
                .and_then(|v| v.as_i64())
                .unwrap_or_default()
        })
        .collect();
    let hashes: Vec<Vec<u8>> = batch.iter().map(|l| unhex(&l.hash)).collect();
    // Links first: the chain trigger, which runs at commit, sees them and adds none of its own.
    sqlx::query!(
        "insert into audit_link (chain_month, seq, audit_event_id, hash)
         select $1, seq, id, hash from unnest($2::bigint[], $3::bigint[], $4::bytea[]) as x(seq, id, hash)",
        month.first_day(),
        &seqs,
        &ids,
        &hashes,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"
        insert into audit_event
            (audit_event_id, occurred_at, app_user_id, username, role, organization, action,
             target, parameters, outcome, counts, request_id, client_addr, user_agent)
        overriding system value
        select audit_event_id, occurred_at, app_user_id, username, role, organization, action,
               target, parameters, outcome, counts, request_id, client_addr, user_agent
          from jsonb_populate_recordset(null::audit_event, $1::jsonb)
        "#,
        serde_json::Value::Array(events),
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

//! Archiving one month: its chain verified, every record written with its link to a compressed
//! file, the file read back and checked, a manifest written, and only then the month's partitions
//! dropped, audited, in one transaction. A failure at any step drops nothing.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use futures::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

use super::file::{self, io, ArchiveError, Manifest};
use super::{hex, verify, AuditMonth};
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;

/// One archiving (or restoring) at a time across instances.
pub const ARCHIVE_LOCK: i64 = 7_040_102;

/// What archiving a month did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archived {
    pub month: AuditMonth,
    pub rows: u64,
    pub manifest: PathBuf,
    /// The month had been restored from an existing archive and was only dropped again.
    pub already_archived: bool,
}

/// Archives `month` into `dir`. Refuses the current and the previous month, a month without its
/// own partition, and a month whose chain is broken.
pub async fn archive_month(
    pool: &PgPool,
    dir: &Path,
    month: AuditMonth,
    actor: &Actor,
    meta: &RequestMeta,
) -> Result<Archived, ArchiveError> {
    if month > AuditMonth::now().plus(-2) {
        return Err(ArchiveError::Refused(format!(
            "{month} is too recent to archive: the current and the previous month stay online"
        )));
    }
    let mut tx = pool.begin().await?;
    sqlx::query!("select pg_advisory_xact_lock($1)", ARCHIVE_LOCK)
        .execute(&mut *tx)
        .await?;
    let partitions = partition_names(month);
    if !partition_exists(&mut tx, &partitions.0).await? {
        return Err(ArchiveError::Refused(format!(
            "{month} has no partition of its own (already archived, or never created)"
        )));
    }
    let report = verify::verify(&mut tx, month, month).await?;
    if !report.is_intact() {
        let first = report
            .breaks
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        return Err(ArchiveError::Refused(format!(
            "{month} is not archived: its chain is broken ({first}); run `ocm audit verify`"
        )));
    }
    let head = report.months.first().and_then(|m| m.head.clone());
    let earlier = sqlx::query!(
        "select file_name, head_hash from audit_archive where chain_month = $1",
        month.first_day()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let (rows, manifest_path, already_archived) = match earlier {
        Some(earlier) => {
            if earlier.head_hash.as_deref().map(hex) != head {
                return Err(ArchiveError::Refused(format!(
                    "{month} was restored from {} and now differs from it; it is kept online",
                    earlier.file_name
                )));
            }
            let rows = report.months.first().map_or(0, |m| m.links);
            let (_, manifest) = file::names(month);
            (rows as u64, dir.join(manifest), true)
        }
        None => {
            let manifest = write_archive(&mut tx, dir, month, head.clone()).await?;
            record_archive(&mut tx, month, &manifest).await?;
            (manifest.rows, dir.join(file::names(month).1), false)
        }
    };
    sqlx::query!(
        "update audit_archive set restored_at = null where chain_month = $1",
        month.first_day()
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new(AuditAction::AuditArchive, Outcome::Success)
        .with_target(month.to_string())
        .with_parameters(serde_json::json!({
            "manifest": manifest_path.display().to_string(),
            "head_hash": head,
            "already_archived": already_archived,
        }))
        .with_counts(serde_json::json!({ "rows": rows }));
    audit::record(&mut *tx, actor, meta, event).await?;
    for table in [&partitions.0, &partitions.1] {
        sqlx::query(&format!("drop table {table}"))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Archived {
        month,
        rows,
        manifest: manifest_path,
        already_archived,
    })
}

/// The month's partitions of `audit_event` and `audit_link`.
pub fn partition_names(month: AuditMonth) -> (String, String) {
    let suffix = month.to_string().replace('-', "_");
    (
        format!("audit_event_{suffix}"),
        format!("audit_link_{suffix}"),
    )
}

pub(super) async fn partition_exists(
    conn: &mut sqlx::PgConnection,
    name: &str,
) -> Result<bool, sqlx::Error> {
    let found = sqlx::query_scalar!(r#"select to_regclass($1) is not null as "found!""#, name)
        .fetch_one(conn)
        .await?;
    Ok(found)
}

/// Writes the file and its manifest, then reads the file back and compares.
async fn write_archive(
    conn: &mut sqlx::PgConnection,
    dir: &Path,
    month: AuditMonth,
    head: Option<String>,
) -> Result<Manifest, ArchiveError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let (data_name, manifest_name) = file::names(month);
    let data_path = dir.join(&data_name);
    let partial = dir.join(format!("{data_name}.partial"));
    let mut encoder = GzEncoder::new(
        std::fs::File::create(&partial).map_err(io(&partial))?,
        flate2::Compression::default(),
    );
    let mut content = Sha256::new();
    let mut rows: u64 = 0;
    let mut lines = sqlx::query_scalar!(
        r#"
        select jsonb_build_object('seq', l.seq, 'hash', encode(l.hash, 'hex'),
                                  'event', to_jsonb(e))::text as "line!"
          from audit_link l
          join audit_event e
            on e.audit_event_id = l.audit_event_id and audit_month(e.occurred_at) = l.chain_month
         where l.chain_month = $1
         order by l.seq
        "#,
        month.first_day()
    )
    .fetch(&mut *conn);
    while let Some(mut line) = lines.try_next().await? {
        line.push('\n');
        content.update(line.as_bytes());
        encoder.write_all(line.as_bytes()).map_err(io(&partial))?;
        rows += 1;
    }
    drop(lines);
    let written = encoder.finish().map_err(io(&partial))?;
    written.sync_all().map_err(io(&partial))?;
    std::fs::rename(&partial, &data_path).map_err(io(&data_path))?;
    let read_path = data_path.clone();
    let found = tokio::task::spawn_blocking(move || file::read(&read_path, |_| Ok(())))
        .await
        .map_err(|e| ArchiveError::Refused(format!("reading the archive back stopped: {e}")))??;
    let manifest = Manifest {
        format: file::FORMAT.into(),
        month: month.to_string(),
        file: data_name,
        rows,
        first_audit_event_id: found.first_audit_event_id,
        last_audit_event_id: found.last_audit_event_id,
        genesis_hash: file::genesis(month),
        head_hash: head,
        content_sha256: hex(&content.finalize()),
        file_sha256: found.file_sha256.clone(),
        created_at: crate::dates::rfc3339(time::OffsetDateTime::now_utc()),
    };
    file::check_against(&manifest, &found)?;
    let manifest_path = dir.join(&manifest_name);
    let partial = dir.join(format!("{manifest_name}.partial"));
    let json = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
    std::fs::write(&partial, json).map_err(io(&partial))?;
    std::fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(io(&partial))?;
    std::fs::rename(&partial, &manifest_path).map_err(io(&manifest_path))?;
    Ok(manifest)
}

async fn record_archive(
    conn: &mut sqlx::PgConnection,
    month: AuditMonth,
    manifest: &Manifest,
) -> Result<(), sqlx::Error> {
    let head = manifest.head_hash.as_deref().map(unhex);
    sqlx::query!(
        "insert into audit_archive (chain_month, file_name, row_count, head_hash, file_sha256)
         values ($1, $2, $3, $4, $5)",
        month.first_day(),
        manifest.file,
        i64::try_from(manifest.rows).unwrap_or(i64::MAX),
        head,
        manifest.file_sha256,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Bytes from lower-case hexadecimal written by [`hex`]; anything else yields no bytes.
pub(super) fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .filter_map(|i| text.get(2 * i..2 * i + 2))
        .filter_map(|pair| u8::from_str_radix(pair, 16).ok())
        .collect()
}

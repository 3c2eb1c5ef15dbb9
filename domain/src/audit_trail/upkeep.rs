//! The audit log's daily upkeep: partitions for the coming months, months past
//! `OCM_AUDIT_ONLINE_MONTHS` archived, archives past `OCM_AUDIT_ARCHIVE_YEARS` deleted (audited).
//! Safe to run on every instance: archiving takes a database lock and re-checks what is left.

use sqlx::PgPool;

use super::archive::{archive_month, partition_exists, partition_names};
use super::file::{self, io, ArchiveError};
use super::AuditMonth;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;
use crate::settings::AuditSettings;

/// Partitions are created this many months ahead.
const MONTHS_AHEAD: i32 = 3;

/// What one upkeep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Upkeep {
    pub archived: Vec<AuditMonth>,
    pub deleted: Vec<AuditMonth>,
    /// Months the default partition blocks (records would have to move): named in the log.
    pub blocked: Vec<AuditMonth>,
}

/// The actor of upkeep's audit records.
pub fn upkeep_actor() -> Actor {
    Actor::named("ocm (audit retention)")
}

/// Runs the upkeep for the month `today` falls in.
pub async fn run(
    pool: &PgPool,
    settings: &AuditSettings,
    now: AuditMonth,
) -> Result<Upkeep, ArchiveError> {
    let mut done = Upkeep::default();
    for ahead in 0..=MONTHS_AHEAD {
        let month = now.plus(ahead);
        let created = sqlx::query_scalar!(
            r#"select audit_ensure_month($1) as "created!""#,
            month.first_day()
        )
        .fetch_one(pool)
        .await?;
        if !created {
            done.blocked.push(month);
        }
    }
    let online = i32::try_from(settings.online_months).unwrap_or(i32::MAX);
    let oldest_online = now.plus(1 - online);
    let meta = RequestMeta::background("audit retention");
    for month in archivable(pool, oldest_online).await? {
        archive_month(pool, &settings.archive_dir, month, &upkeep_actor(), &meta).await?;
        done.archived.push(month);
    }
    let years = i32::try_from(settings.archive_years).unwrap_or(i32::MAX / 12);
    done.deleted = delete_expired(pool, settings, now.plus(-12 * years), &meta).await?;
    Ok(done)
}

/// Months older than `oldest_online` that still have partitions, except those restored for an
/// investigation (an admin archives those again with `ocm audit archive --month`).
async fn archivable(
    pool: &PgPool,
    oldest_online: AuditMonth,
) -> Result<Vec<AuditMonth>, ArchiveError> {
    let months = sqlx::query_scalar!(
        r#"
        select to_date(substring(c.relname from 'audit_event_(\d{4}_\d{2})$'), 'YYYY_MM') as "month!"
          from pg_inherits i
          join pg_class c on c.oid = i.inhrelid
         where i.inhparent = 'audit_event'::regclass
           and c.relname ~ '^audit_event_\d{4}_\d{2}$'
         order by 1
        "#
    )
    .fetch_all(pool)
    .await?;
    let mut due = Vec::new();
    for month in months.into_iter().map(AuditMonth::of) {
        if month >= oldest_online {
            continue;
        }
        let restored = sqlx::query_scalar!(
            r#"select restored_at is not null as "restored!" from audit_archive where chain_month = $1"#,
            month.first_day()
        )
        .fetch_optional(pool)
        .await?;
        if restored != Some(true) {
            due.push(month);
        }
    }
    Ok(due)
}

/// Deletes archive files of months before `keep_from`, audited one by one.
async fn delete_expired(
    pool: &PgPool,
    settings: &AuditSettings,
    keep_from: AuditMonth,
    meta: &RequestMeta,
) -> Result<Vec<AuditMonth>, ArchiveError> {
    let expired = sqlx::query!(
        "select chain_month, file_name from audit_archive
          where chain_month < $1 and deleted_at is null order by chain_month",
        keep_from.first_day()
    )
    .fetch_all(pool)
    .await?;
    let mut deleted = Vec::new();
    for archive in expired {
        let month = AuditMonth::of(archive.chain_month);
        let mut tx = pool.begin().await?;
        let (events_table, _) = partition_names(month);
        if partition_exists(&mut tx, &events_table).await? {
            // Restored for an investigation: the archive stays while the month is online.
            continue;
        }
        // The record is committed before the files go, as for every destructive action.
        let event = AuditEvent::new(AuditAction::AuditArchiveDelete, Outcome::Success)
            .with_target(month.to_string())
            .with_parameters(serde_json::json!({
                "file": archive.file_name,
                "reason": format!("archives are kept {} years", settings.archive_years),
            }));
        audit::record(&mut *tx, &upkeep_actor(), meta, event).await?;
        tx.commit().await?;
        let (data, manifest) = file::names(month);
        for name in [data, manifest] {
            let path = settings.archive_dir.join(name);
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&path)(e)),
                _ => {}
            }
        }
        sqlx::query!(
            "update audit_archive set deleted_at = now() where chain_month = $1",
            archive.chain_month
        )
        .execute(pool)
        .await?;
        deleted.push(month);
    }
    Ok(deleted)
}

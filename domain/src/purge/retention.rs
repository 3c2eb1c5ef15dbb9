//! Snapshot retention: the personal data of a purge run's snapshot (the contacts' attributes) is
//! erased when its retention ends; ids, outcomes and counts stay for the history. Each erasure is
//! audited. Dry-run plans older than a day go too.

use serde_json::json;
use sqlx::PgPool;

use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;

/// What one sweep removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub runs: u64,
    pub contacts: u64,
    pub plans: u64,
}

/// Erases every expired snapshot whose jobs have ended. Paused jobs of an expired run are
/// cancelled first (audited), so a paused job cannot keep personal data forever; a later sweep
/// erases the snapshot once they have stopped.
pub async fn sweep(pool: &PgPool) -> Result<Swept, sqlx::Error> {
    let mut swept = Swept::default();
    let expired = sqlx::query_scalar!(
        "select purge_run_id from purge_run
         where snapshot_deleted_at is null and snapshot_expires_at < now() order by purge_run_id"
    )
    .fetch_all(pool)
    .await?;
    for purge_run_id in expired {
        let mut tx = pool.begin().await?;
        // Locked as restore::start locks it, so no restore can start while this decides.
        let run = sqlx::query!(
            "select organization, contact_list_name, contact_list_id, job_id from purge_run
             where purge_run_id = $1 and snapshot_deleted_at is null for update",
            purge_run_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(run) = run else { continue };
        let cancelled = sqlx::query!(
            "update job set state = 'cancel_requested', message = 'Cancelled: snapshot retention ended.'
             where state = 'paused' and (job_id = $1 or (kind in ('restore', 'purge_retry')
                   and payload->>'purge_run_id' = $2::bigint::text))",
            run.job_id,
            purge_run_id
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let active = sqlx::query_scalar!(
            r#"select count(*) as "n!" from job where state not in ('completed', 'cancelled', 'failed')
                 and (job_id = $1 or (kind in ('restore', 'purge_retry') and payload->>'purge_run_id' = $2::bigint::text))"#,
            run.job_id,
            purge_run_id
        )
        .fetch_one(&mut *tx)
        .await?;
        let actor = Actor {
            username: Some("ocm (retention)".into()),
            organization: Some(run.organization.clone()),
            ..Actor::default()
        };
        let target = format!("{} ({})", run.contact_list_name, run.contact_list_id);
        let parameters =
            json!({ "purge_run_id": purge_run_id, "reason": "snapshot retention ended" });
        if active > 0 {
            if cancelled > 0 {
                let event =
                    AuditEvent::new(AuditAction::PurgeSnapshotJobsCancelled, Outcome::Success)
                        .with_organization(run.organization.clone())
                        .with_target(target)
                        .with_parameters(parameters)
                        .with_counts(json!({ "jobs": cancelled }));
                audit::record(
                    &mut *tx,
                    &actor,
                    &RequestMeta::background("retention"),
                    event,
                )
                .await?;
            }
            tx.commit().await?;
            continue;
        }
        let contacts = sqlx::query!(
            "update purge_contact set attributes = null where purge_run_id = $1 and attributes is not null",
            purge_run_id
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query!(
            "update purge_run set snapshot_deleted_at = now() where purge_run_id = $1",
            purge_run_id
        )
        .execute(&mut *tx)
        .await?;
        let event = AuditEvent::new(AuditAction::PurgeSnapshotExpired, Outcome::Success)
            .with_organization(run.organization)
            .with_target(target)
            .with_parameters(parameters)
            .with_counts(json!({ "contacts_erased": contacts }));
        audit::record(
            &mut *tx,
            &actor,
            &RequestMeta::background("retention"),
            event,
        )
        .await?;
        tx.commit().await?;
        swept.runs += 1;
        swept.contacts += contacts;
    }
    swept.plans =
        sqlx::query!("delete from purge_plan where created_at < now() - interval '1 day'")
            .execute(pool)
            .await?
            .rows_affected();
    // Erasure dry runs nobody confirmed hold a person's identifiers: gone after a day too.
    swept.plans += crate::erasure::start::expire_plans(pool).await?;
    crate::erasure::finish::sweep_abandoned(pool).await?;
    Ok(swept)
}

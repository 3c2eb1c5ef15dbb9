//! How an erasure ends: the identifiers and contact ids forgotten, the certificate made and kept
//! with its SHA-256 in the closing audit record; a cancel (tombstones lifted, nothing in OCM
//! erased); and erasures whose job ended without them (a failure, a cancel before it ran),
//! closed by the hourly sweep so no identifier is held for ever.

use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};

use super::identifiers::Person;
use super::{certificate, tombstone};
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::jobs::runner::{Finish, JobContext, Signal};
use crate::jobs::store;
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;

/// The erasure a job works on.
pub(super) struct Erasure {
    pub erasure_id: i64,
    pub organization: String,
    pub reference: String,
    pub created_by: Option<i64>,
    pub created_by_name: String,
    pub person: Option<Person>,
}

/// Ends the erasure in `state`: identifiers, contact ids and POM's messages about them
/// forgotten; what OCM erased (none when cancelled) kept.
pub(super) async fn forget(
    tx: &mut Transaction<'_, Postgres>,
    erasure_id: i64,
    state: &str,
    ocm_erased: Option<serde_json::Value>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update erasure_contact set user_contact_id = null, error = null where erasure_id = $1",
        erasure_id
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        "update erasure set identifiers = null, ocm_erased = $3, state = $2, finished_at = now()
         where erasure_id = $1",
        erasure_id,
        state,
        ocm_erased,
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Makes and keeps the certificate and writes the closing audit record; the job's summary.
pub(super) async fn close(
    tx: &mut Transaction<'_, Postgres>,
    erasure: &Erasure,
    job_id: i64,
    action: AuditAction,
) -> Result<String, sqlx::Error> {
    let text = certificate::render(tx, erasure.erasure_id)
        .await?
        .unwrap_or_default();
    let sha = certificate::sha256(&text);
    sqlx::query!(
        "update erasure set certificate = $2, certificate_sha256 = $3 where erasure_id = $1",
        erasure.erasure_id,
        text,
        sha
    )
    .execute(&mut **tx)
    .await?;
    let counts = sqlx::query!(
        r#"select count(*) filter (where state in ('deleted', 'absent')) as "gone!",
                  count(*) filter (where state in ('failed', 'cancelled')) as "left!"
           from erasure_contact where erasure_id = $1"#,
        erasure.erasure_id
    )
    .fetch_one(&mut **tx)
    .await?;
    let ocm = sqlx::query_scalar!(
        "select ocm_erased from erasure where erasure_id = $1",
        erasure.erasure_id
    )
    .fetch_one(&mut **tx)
    .await?;
    let outcome = if counts.left > 0 || action != AuditAction::ErasureCompleted {
        Outcome::Failure
    } else {
        Outcome::Success
    };
    let actor = Actor {
        user_id: erasure.created_by,
        username: Some(erasure.created_by_name.clone()),
        ..Actor::default()
    };
    let event = AuditEvent::new(action, outcome)
        .with_organization(erasure.organization.clone())
        .with_target(format!("erasure #{}", erasure.erasure_id))
        .with_parameters(json!({
            "job_id": job_id, "reference": erasure.reference, "certificate_sha256": sha,
        }))
        .with_counts(json!({
            "contacts_gone": counts.gone, "contacts_left_in_pom": counts.left, "ocm": ocm,
        }));
    audit::record(
        &mut **tx,
        &actor,
        &RequestMeta::background("erasure"),
        event,
    )
    .await?;
    let mut summary = types::words::plural(counts.gone, "contact", "contacts");
    summary.push_str(" deleted from POM or already gone");
    if counts.left > 0 {
        summary.push_str(&format!(
            "; {} still in POM (POM refused): run the erasure again",
            counts.left
        ));
    }
    Ok(summary)
}

/// Ends an erasure as cancelled in the caller's transaction: pending contacts marked, the
/// tombstones it kept lifted, nothing in OCM erased. How many contacts were not deleted.
async fn cancel(
    tx: &mut Transaction<'_, Postgres>,
    erasure: &Erasure,
    job_id: i64,
) -> Result<i64, sqlx::Error> {
    let cancelled = sqlx::query!(
        "update erasure_contact set state = 'cancelled' where erasure_id = $1 and state = 'pending'",
        erasure.erasure_id
    )
    .execute(&mut **tx)
    .await?
    .rows_affected() as i64;
    tombstone::lift(tx, erasure.erasure_id).await?;
    forget(tx, erasure.erasure_id, "cancelled", None).await?;
    close(tx, erasure, job_id, AuditAction::ErasureCancelled).await?;
    Ok(cancelled)
}

/// Cancel: see [`cancel`]. Shutdown or a lost claim: leave it for later.
pub(super) async fn stopped(ctx: &JobContext, erasure: &Erasure) -> Result<Finish, sqlx::Error> {
    if ctx.signal() != Signal::Cancel {
        return Ok(Finish::Interrupted);
    }
    let mut tx = ctx.state.pool.begin().await?;
    let cancelled = cancel(&mut tx, erasure, ctx.job.job_id).await?;
    if !store::commit_progress(tx, ctx.job.job_id, &ctx.worker, (0, 0, cancelled)).await? {
        return Ok(Finish::Interrupted);
    }
    Ok(Finish::Cancelled(format!(
        "Cancelled by a user; {cancelled} contacts were not deleted, and nothing in OCM was erased."
    )))
}

/// Closes erasures still `running` whose job has ended (failed, or cancelled before it ran):
/// as cancelled, so their identifiers are not held for ever. How many.
pub async fn sweep_abandoned(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let stale = sqlx::query!(
        "select e.erasure_id, e.organization, e.reference, e.created_by, e.created_by_name, e.job_id
         from erasure e join job j using (job_id)
         where e.state = 'running' and j.state in ('failed', 'cancelled')"
    )
    .fetch_all(pool)
    .await?;
    for row in &stale {
        let erasure = Erasure {
            erasure_id: row.erasure_id,
            organization: row.organization.clone(),
            reference: row.reference.clone(),
            created_by: row.created_by,
            created_by_name: row.created_by_name.clone(),
            person: None,
        };
        let mut tx = pool.begin().await?;
        cancel(&mut tx, &erasure, row.job_id.unwrap_or_default()).await?;
        tx.commit().await?;
    }
    Ok(stale.len() as u64)
}

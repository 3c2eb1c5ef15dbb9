//! The erasure job: deletes the person's contacts from POM one by one (purge's rules: "attempt in
//! progress" tried again, a contact already gone counts as gone, a POM that fails pauses the
//! job), then, in one transaction, erases them from OCM's tables, keeps the tombstones, clears
//! the identifiers and closes the erasure with its certificate's hash in the audit log.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;

use super::identifiers::Person;
use super::plan::ids_of;
use super::{certificate, ocm_stores, tombstone};
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::jobs::runner::{Finish, JobContext, Signal};
use crate::jobs::store;
use crate::model::AuditAction;
use crate::purge::delete::{delete_counting, Deleted};
use crate::request_meta::RequestMeta;

/// POM failures in a row that pause the job.
const UNAVAILABLE_LIMIT: usize = 5;

/// The erasure a job works on.
struct Erasure {
    erasure_id: i64,
    organization: String,
    reference: String,
    created_by: Option<i64>,
    person: Option<Person>,
}

async fn load(ctx: &JobContext) -> Result<Option<Erasure>, sqlx::Error> {
    let Some(erasure_id) = ctx.job.payload.get("erasure_id").and_then(|v| v.as_i64()) else {
        return Ok(None);
    };
    let row = sqlx::query!(
        "select organization, reference, identifiers, created_by from erasure
         where erasure_id = $1 and state = 'running'",
        erasure_id
    )
    .fetch_optional(&ctx.state.pool)
    .await?;
    Ok(row.map(|r| Erasure {
        erasure_id,
        organization: r.organization,
        reference: r.reference,
        created_by: r.created_by,
        person: r.identifiers.and_then(|v| serde_json::from_value(v).ok()),
    }))
}

/// Runs (or goes on with) an erasure job.
pub async fn run(ctx: &JobContext) -> Result<Finish, sqlx::Error> {
    let Some(erasure) = load(ctx).await? else {
        return Ok(Finish::Failed(
            "The erasure of this job is not running.".into(),
        ));
    };
    if ctx.should_stop() {
        return stopped(ctx, &erasure).await;
    }
    let Some(client) = ctx.state.pom.as_ref() else {
        return Ok(Finish::Paused("No POM is configured for OCM.".into()));
    };
    let pending = sqlx::query!(
        "select erasure_contact_id, list_id, user_contact_id as \"user_contact_id!\"
         from erasure_contact where erasure_id = $1 and state = 'pending'
         order by erasure_contact_id",
        erasure.erasure_id
    )
    .fetch_all(&ctx.state.pool)
    .await?;
    let streak = AtomicUsize::new(0);
    let tries = ctx.state.settings.purge.in_progress_tries;
    for contact in pending {
        if ctx.should_stop() {
            return stopped(ctx, &erasure).await;
        }
        let (outcome, calls) = delete_counting(
            client,
            contact.list_id,
            &contact.user_contact_id,
            tries,
            &streak,
        )
        .await;
        let (state, error) = match outcome {
            Deleted::Deleted => ("deleted", None),
            Deleted::Absent => ("absent", None),
            Deleted::Failed(message) => ("failed", Some(message)),
            Deleted::Unavailable(message) => {
                if streak.load(Ordering::Relaxed) >= UNAVAILABLE_LIMIT {
                    return Ok(Finish::Paused(format!(
                        "Paused: POM failed {UNAVAILABLE_LIMIT} times in a row ({message}); resume when POM is back."
                    )));
                }
                continue;
            }
        };
        let mut tx = ctx.state.pool.begin().await?;
        sqlx::query!(
            "update erasure_contact set state = $2, error = $3, tries = tries + $4
             where erasure_contact_id = $1 and state = 'pending'",
            contact.erasure_contact_id,
            state,
            error,
            calls,
        )
        .execute(&mut *tx)
        .await?;
        let counts = if state == "failed" {
            (0, 1, 0)
        } else {
            (1, 0, 0)
        };
        if !store::commit_progress(tx, ctx.job.job_id, &ctx.worker, counts).await? {
            return Ok(Finish::Interrupted);
        }
    }
    let left = sqlx::query_scalar!(
        r#"select count(*) as "n!" from erasure_contact where erasure_id = $1 and state = 'pending'"#,
        erasure.erasure_id
    )
    .fetch_one(&ctx.state.pool)
    .await?;
    if left > 0 {
        return Ok(Finish::Paused(format!(
            "Paused: POM did not answer for {left} contacts; resume to try them again."
        )));
    }
    erase_in_ocm(ctx, &erasure).await
}

/// The second step: OCM's own tables, the tombstones and the closing record, all or nothing.
async fn erase_in_ocm(ctx: &JobContext, erasure: &Erasure) -> Result<Finish, sqlx::Error> {
    let pool = &ctx.state.pool;
    let Some(person) = &erasure.person else {
        return Ok(Finish::Failed(
            "The erasure's identifiers are missing.".into(),
        ));
    };
    let contact_ids = sqlx::query_scalar!(
        r#"select user_contact_id as "id!" from erasure_contact
           where erasure_id = $1 and user_contact_id is not null"#,
        erasure.erasure_id
    )
    .fetch_all(pool)
    .await?;
    let ids = ids_of(person, contact_ids.into_iter());
    let rules = &ctx.state.settings.phone;
    let found = ocm_stores::find(pool, &erasure.organization, person, &ids, rules).await?;
    if !found.in_flight.is_empty() {
        return Ok(Finish::Paused(format!(
            "Paused: {} hold this person and are being sent to POM; resume once they have finished.",
            found.in_flight.join(", ")
        )));
    }
    let mut tx = pool.begin().await?;
    let erased = ocm_stores::erase(&mut tx, &found, erasure.erasure_id).await?;
    let key = &ctx.state.settings.erasure_key;
    for (kind, digest) in tombstone::digests_of(key, person) {
        sqlx::query!(
            "insert into erasure_tombstone (organization, digest, kind, erasure_id)
             values ($1, $2, $3, $4) on conflict do nothing",
            erasure.organization,
            &digest[..],
            kind.as_str(),
            erasure.erasure_id,
        )
        .execute(&mut *tx)
        .await?;
    }
    forget(
        &mut tx,
        erasure.erasure_id,
        "completed",
        Some(json!(erased)),
    )
    .await?;
    let summary = close(ctx, &mut tx, erasure, AuditAction::ErasureCompleted).await?;
    if !store::commit_progress(tx, ctx.job.job_id, &ctx.worker, (0, 0, 0)).await? {
        return Ok(Finish::Interrupted);
    }
    Ok(Finish::Completed(summary))
}

/// Ends the erasure in `state`: the identifiers and contact ids forgotten, what OCM erased
/// (none when cancelled) kept.
async fn forget(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    erasure_id: i64,
    state: &str,
    ocm_erased: Option<serde_json::Value>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update erasure_contact set user_contact_id = null where erasure_id = $1",
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

/// Writes the certificate's hash and the closing audit record; the job's summary.
async fn close(
    ctx: &JobContext,
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    erasure: &Erasure,
    action: AuditAction,
) -> Result<String, sqlx::Error> {
    let text = certificate::render(tx, erasure.erasure_id)
        .await?
        .unwrap_or_default();
    let sha = certificate::sha256(&text);
    sqlx::query!(
        "update erasure set certificate_sha256 = $2 where erasure_id = $1",
        erasure.erasure_id,
        sha
    )
    .execute(&mut **tx)
    .await?;
    let counts = sqlx::query!(
        r#"select count(*) filter (where state in ('deleted', 'absent')) as "gone!",
                  count(*) filter (where state = 'failed') as "failed!",
                  count(*) filter (where state = 'cancelled') as "cancelled!"
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
    let outcome = if counts.failed > 0 || action != AuditAction::ErasureCompleted {
        Outcome::Failure
    } else {
        Outcome::Success
    };
    let actor = Actor {
        user_id: erasure.created_by,
        username: Some(ctx.job.created_by_name.clone()),
        ..Actor::default()
    };
    let event = AuditEvent::new(action, outcome)
        .with_organization(erasure.organization.clone())
        .with_target(format!("erasure #{}", erasure.erasure_id))
        .with_parameters(json!({
            "job_id": ctx.job.job_id, "reference": erasure.reference, "certificate_sha256": sha,
        }))
        .with_counts(json!({
            "contacts_gone": counts.gone, "contacts_not_deleted": counts.failed + counts.cancelled,
            "ocm": ocm,
        }));
    audit::record(
        &mut **tx,
        &actor,
        &RequestMeta::background("erasure"),
        event,
    )
    .await?;
    let mut summary = format!("{} contacts deleted from POM or already gone", counts.gone);
    if counts.failed > 0 {
        summary.push_str(&format!(
            "; {} POM refused to delete (see the certificate)",
            counts.failed
        ));
    }
    Ok(summary)
}

/// Cancel: what was not deleted is marked so, the identifiers are cleared, nothing in OCM is
/// erased and no tombstone kept. Shutdown or a lost claim: leave it for later.
async fn stopped(ctx: &JobContext, erasure: &Erasure) -> Result<Finish, sqlx::Error> {
    if ctx.signal() != Signal::Cancel {
        return Ok(Finish::Interrupted);
    }
    let mut tx = ctx.state.pool.begin().await?;
    let cancelled = sqlx::query!(
        "update erasure_contact set state = 'cancelled' where erasure_id = $1 and state = 'pending'",
        erasure.erasure_id
    )
    .execute(&mut *tx)
    .await?
    .rows_affected() as i64;
    forget(&mut tx, erasure.erasure_id, "cancelled", None).await?;
    close(ctx, &mut tx, erasure, AuditAction::ErasureCancelled).await?;
    if !store::commit_progress(tx, ctx.job.job_id, &ctx.worker, (0, 0, cancelled)).await? {
        return Ok(Finish::Interrupted);
    }
    Ok(Finish::Cancelled(format!(
        "Cancelled by a user; {cancelled} contacts were not deleted, and nothing in OCM was erased."
    )))
}

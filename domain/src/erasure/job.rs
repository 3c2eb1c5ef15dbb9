//! The erasure job: deletes the person's contacts from POM one by one (purge's rules: "attempt in
//! progress" tried again, a contact already gone counts as gone, a POM that fails pauses the
//! job), then, in one transaction, erases them from OCM's tables, forgets the identifiers and
//! closes the erasure (`finish`). The tombstones were kept when it was confirmed.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;

use super::finish::{close, forget, stopped, Erasure};
use super::ocm_stores;
use super::plan::refs_of;
use crate::jobs::runner::{Finish, JobContext};
use crate::jobs::store;
use crate::model::AuditAction;
use crate::pom_gate::Gate;
use crate::purge::delete::{delete_counting, Deleted};

/// POM failures in a row that pause the job.
const UNAVAILABLE_LIMIT: usize = 5;

async fn load(ctx: &JobContext) -> Result<Option<Erasure>, sqlx::Error> {
    let Some(erasure_id) = ctx.job.payload.get("erasure_id").and_then(|v| v.as_i64()) else {
        return Ok(None);
    };
    let row = sqlx::query!(
        "select organization, reference, identifiers, created_by, created_by_name from erasure
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
        created_by_name: r.created_by_name,
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
    // An erasure deletes one contact after another, each recorded before the next.
    let one_at_a_time = &Gate::new(1);
    let tries = ctx.state.settings.purge.in_progress_tries;
    for contact in pending {
        if ctx.should_stop() {
            return stopped(ctx, &erasure).await;
        }
        let (outcome, calls) = delete_counting(
            client,
            (one_at_a_time, &|| true),
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
            // The erasure checks for a stop before each contact; its gate's `go` is always yes.
            Deleted::NotTried => continue,
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
    // A cancel asked for during the last delete still stops the erasure before OCM's step.
    if ctx.should_stop() {
        return stopped(ctx, &erasure).await;
    }
    erase_in_ocm(ctx, &erasure).await
}

/// The second step: OCM's own tables and the closing record, all or nothing. The person is
/// looked for again first: uploads may have come and gone since the dry run.
async fn erase_in_ocm(ctx: &JobContext, erasure: &Erasure) -> Result<Finish, sqlx::Error> {
    let pool = &ctx.state.pool;
    let Some(person) = &erasure.person else {
        return Ok(Finish::Failed(
            "The erasure's identifiers are missing.".into(),
        ));
    };
    let contacts = sqlx::query!(
        r#"select list_id, user_contact_id as "id!" from erasure_contact
           where erasure_id = $1 and user_contact_id is not null"#,
        erasure.erasure_id
    )
    .fetch_all(pool)
    .await?;
    let refs = refs_of(person, contacts.into_iter().map(|c| (c.list_id, c.id)));
    let rules = &ctx.state.settings.phone;
    let found = ocm_stores::find(pool, &erasure.organization, person, &refs, rules).await?;
    if !found.in_flight.is_empty() {
        return Ok(Finish::Paused(format!(
            "Paused: {} hold this person and are being sent to POM; resume once they have finished.",
            found.in_flight.join(", ")
        )));
    }
    let mut tx = pool.begin().await?;
    let erased = ocm_stores::erase(&mut tx, &found, erasure.erasure_id).await?;
    forget(
        &mut tx,
        erasure.erasure_id,
        "completed",
        Some(json!(erased)),
    )
    .await?;
    let summary = close(
        &mut tx,
        erasure,
        ctx.job.job_id,
        AuditAction::ErasureCompleted,
    )
    .await?;
    if !store::commit_progress(tx, ctx.job.job_id, &ctx.worker, (0, 0, 0)).await? {
        return Ok(Finish::Interrupted);
    }
    Ok(Finish::Completed(summary))
}

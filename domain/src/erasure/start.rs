//! Confirming a dry run: the admin who ran it types the number of contacts to delete; the plan
//! becomes `running`, the tombstones are kept (so no upload checked from now on brings the
//! person back while the job runs) and an `erasure` job is queued with its audit record, in one
//! transaction.

use serde_json::json;

use super::identifiers::Person;
use super::plan::{refs_of, refuse_in_flight};
use super::{stored_files, tombstone};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::jobs::store::{self, NewJob};
use crate::model::{AuditAction, JobKind};

/// Starts the erasure of a planned dry run; the job's id.
pub async fn start(ctx: &Ctx, erasure_id: i64, typed_count: &str) -> Result<i64, AppError> {
    let mut tx = ctx.state.pool.begin().await?;
    let Some(plan) = sqlx::query!(
        r#"select organization, reference, state, created_by, identifier_counts, identifiers,
               created_at < now() - interval '1 day' as "stale!"
           from erasure where erasure_id = $1 for update"#,
        erasure_id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Err(AppError::validation(
            "erasure",
            "This dry run is no longer there (a dry run is kept for a day): look for the person again.",
        ));
    };
    if plan.state != "planned" {
        return Err(AppError::validation(
            "erasure",
            "This erasure has already been started.",
        ));
    }
    if plan.created_by != Some(ctx.user.user_id) {
        return Err(AppError::validation(
            "erasure",
            "Only the admin who ran this dry run can confirm it: run your own.",
        ));
    }
    let person: Option<Person> = plan
        .identifiers
        .and_then(|v| serde_json::from_value(v).ok());
    let (Some(person), false) = (person, plan.stale) else {
        return Err(AppError::validation(
            "erasure",
            "This dry run is more than a day old: look for the person again.",
        ));
    };
    let found = sqlx::query!(
        r#"select list_id, user_contact_id as "id!" from erasure_contact
           where erasure_id = $1 and user_contact_id is not null"#,
        erasure_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let contacts = found.len() as i64;
    if typed_count.trim().parse::<i64>().ok() != Some(contacts) {
        return Err(AppError::validation(
            "typed_count",
            format!("Type {contacts}, the number of contacts to delete from POM, to confirm."),
        ));
    }
    let refs = refs_of(&person, found.into_iter().map(|c| (c.list_id, c.id)));
    let rules = &ctx.state.settings.phone;
    let in_flight =
        stored_files::in_flight(&ctx.state.pool, &plan.organization, &person, &refs, rules).await?;
    refuse_in_flight(&in_flight)?;
    let key = &ctx.state.settings.erasure_key;
    tombstone::keep(&mut tx, key, &plan.organization, &person, erasure_id).await?;
    let job_id = store::enqueue(
        &mut *tx,
        NewJob {
            kind: JobKind::Erasure,
            organization: &plan.organization,
            created_by: Some(ctx.user.user_id),
            created_by_name: &ctx.user.username,
            payload: json!({ "erasure_id": erasure_id }),
            total: contacts,
        },
    )
    .await?;
    sqlx::query!(
        "update erasure set state = 'running', job_id = $2, confirmed_at = now()
         where erasure_id = $1",
        erasure_id,
        job_id
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new(AuditAction::ErasureStart, Outcome::Success)
        .with_organization(plan.organization)
        .with_target(format!("erasure #{erasure_id}"))
        .with_parameters(json!({
            "job_id": job_id, "reference": plan.reference, "identifiers": plan.identifier_counts,
        }))
        .with_counts(json!({ "contacts": contacts }));
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    store::announce(&mut *tx, job_id).await?;
    tx.commit().await?;
    ctx.state.jobs.wake.notify_one();
    Ok(job_id)
}

/// Removes dry runs nobody confirmed within a day (they hold the identifiers); how many.
pub async fn expire_plans(pool: &sqlx::PgPool) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let stale = sqlx::query_scalar!(
        "select erasure_id from erasure
         where state = 'planned' and created_at < now() - interval '1 day' for update"
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!(
        "delete from erasure_contact where erasure_id = any($1)",
        &stale
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("delete from erasure where erasure_id = any($1)", &stale)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(stale.len() as u64)
}

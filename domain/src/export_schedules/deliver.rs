//! Deliveries of a run's file: queued with the run's end (e-mail to the recipients, SFTP to the
//! destination), claimed one at a time by one instance (`FOR UPDATE SKIP LOCKED` and a claim
//! token; a claim that outlives a crash is taken over, and only the claim holding the token
//! records an outcome), each attempt bounded in time, retried with backoff, and after the last attempt failed for
//! good: audited, shown on the run, and told by e-mail to the schedule's notify address. Where a
//! file may go is checked again as it leaves (the destination still configured for the
//! organization, the recipients still at allowed domains).

use std::time::Duration;

use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool};

use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;
use crate::state::AppState;

/// How long a claim holds before another instance may take the delivery over: longer than
/// [`SEND_LIMIT`], so a delivery is never sent by two instances at once.
const CLAIM_SECONDS: f64 = 1_800.0;
/// The longest one attempt may take (a large file to a slow SFTP server included).
const SEND_LIMIT: Duration = Duration::from_secs(1_500);
/// The longest wait between two attempts.
const LONGEST_WAIT: Duration = Duration::from_secs(6 * 3_600);

/// What a finished run hands to its deliveries.
pub struct RunDeliveries<'a> {
    pub run_id: i64,
    pub organization: &'a str,
    pub recipients: &'a [String],
    pub sftp_destination: Option<&'a str>,
}

/// Queues the run's deliveries (in the transaction that records its file).
pub async fn queue(conn: &mut PgConnection, run: RunDeliveries<'_>) -> Result<(), sqlx::Error> {
    let mut wanted: Vec<(&str, String)> = Vec::new();
    if !run.recipients.is_empty() {
        wanted.push(("email", run.recipients.join(", ")));
    }
    if let Some(destination) = run.sftp_destination {
        wanted.push(("sftp", destination.to_string()));
    }
    for (kind, destination) in wanted {
        sqlx::query!(
            "insert into export_delivery (export_run_id, organization, kind, destination)
             values ($1, $2, $3, $4)",
            run.run_id,
            run.organization,
            kind,
            destination,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Queues the notice to `to` that a run or a delivery of run `run_id` failed (`failed`: what,
/// to where, the error).
pub async fn queue_notice(
    conn: &mut PgConnection,
    (run_id, organization): (i64, &str),
    to: &str,
    failed: Value,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into export_delivery (export_run_id, organization, kind, destination, detail)
         values ($1, $2, 'notice', $3, $4)",
        run_id,
        organization,
        to,
        failed,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A claimed delivery with what it sends.
struct Claimed {
    delivery_id: i64,
    run_id: i64,
    organization: String,
    kind: String,
    destination: String,
    attempts: i32,
    schedule_name: String,
    report: String,
    from: String,
    to: String,
    rows: Option<i64>,
    sha256: Option<String>,
    file_name: Option<String>,
    file_path: Option<String>,
    bytes: Option<i64>,
    notify_email: Option<String>,
    detail: Option<Value>,
    claim: uuid::Uuid,
}

/// Claims the next delivery due, if any, with a token of this claim's own.
async fn claim(pool: &PgPool) -> Result<Option<Claimed>, sqlx::Error> {
    let claim = uuid::Uuid::new_v4();
    let row = sqlx::query!(
        r#"with claimed as (
               update export_delivery
               set state = 'sending', attempts = attempts + 1, claim = $2,
                   claimed_until = now() + make_interval(secs => $1)
               where export_delivery_id in (
                   select export_delivery_id from export_delivery
                   where (state = 'pending' and next_attempt_at <= now())
                      or (state = 'sending' and claimed_until < now())
                   order by next_attempt_at
                   limit 1
                   for update skip locked)
               returning export_delivery_id, export_run_id, organization, kind, destination, attempts,
                         detail)
           select c.export_delivery_id as "delivery_id!", c.export_run_id as "run_id!",
                  c.organization as "organization!", c.kind as "kind!",
                  c.destination as "destination!", c.attempts as "attempts!", c.detail,
                  s.name as schedule_name, s.report, s.notify_email,
                  r.period_from::text as "from!", r.period_to::text as "to!", r.rows, r.sha256,
                  r.file_name, case when r.file_erased_at is null then r.file_path end as file_path,
                  r.bytes
           from claimed c
           join export_run r on r.export_run_id = c.export_run_id
           join export_schedule s on s.export_schedule_id = r.export_schedule_id"#,
        CLAIM_SECONDS,
        claim,
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| Claimed {
        delivery_id: r.delivery_id,
        run_id: r.run_id,
        organization: r.organization,
        kind: r.kind,
        destination: r.destination,
        attempts: r.attempts,
        schedule_name: r.schedule_name,
        report: r.report,
        from: r.from,
        to: r.to,
        rows: r.rows,
        sha256: r.sha256,
        file_name: r.file_name,
        file_path: r.file_path,
        bytes: r.bytes,
        notify_email: r.notify_email,
        detail: r.detail,
        claim,
    }))
}

/// Tries the next delivery due, if any; whether there was one.
pub async fn pass(state: &AppState) -> Result<bool, AppError> {
    let Some(delivery) = claim(&state.pool).await? else {
        return Ok(false);
    };
    let sending = super::send::send(state, delivery_facts(&delivery));
    let outcome = match tokio::time::timeout(SEND_LIMIT, sending).await {
        Ok(outcome) => outcome,
        Err(_) => Err(format!(
            "Sending took longer than {} minutes and was stopped.",
            SEND_LIMIT.as_secs() / 60
        )),
    };
    record(state, &delivery, outcome).await?;
    Ok(true)
}

fn delivery_facts(d: &Claimed) -> super::send::Facts<'_> {
    super::send::Facts {
        delivery_id: d.delivery_id,
        run_id: d.run_id,
        organization: &d.organization,
        kind: &d.kind,
        destination: &d.destination,
        schedule_name: &d.schedule_name,
        report: &d.report,
        period: (&d.from, &d.to),
        rows: d.rows,
        sha256: d.sha256.as_deref(),
        file: d.file_name.as_deref().zip(d.file_path.as_deref()),
        bytes: d.bytes.unwrap_or_default(),
        notice: d.detail.as_ref(),
    }
}

/// The wait before attempt `attempts + 1`: the base, then four times longer each time, at most
/// [`LONGEST_WAIT`].
pub fn backoff(base: Duration, attempts: i32) -> Duration {
    let factor = 4_u32.saturating_pow(attempts.saturating_sub(1).clamp(0, 8) as u32);
    base.saturating_mul(factor).min(LONGEST_WAIT)
}

async fn record(
    state: &AppState,
    d: &Claimed,
    outcome: Result<Value, String>,
) -> Result<(), AppError> {
    let settings = &state.settings.exports;
    let last_try = d.attempts >= settings.delivery_attempts as i32;
    let mut tx = state.pool.begin().await?;
    let (action, result, error) = match &outcome {
        Ok(detail) => {
            let recorded = sqlx::query!(
                "update export_delivery set state = 'delivered', delivered_at = now(), detail = $2,
                     last_error = null, claimed_until = null
                 where export_delivery_id = $1 and claim = $3",
                d.delivery_id,
                detail,
                d.claim,
            )
            .execute(&mut *tx)
            .await?;
            if recorded.rows_affected() == 0 {
                return Ok(());
            }
            (AuditAction::ExportDelivered, Outcome::Success, None)
        }
        Err(error) => {
            let wait = backoff(settings.retry_base, d.attempts).as_secs_f64();
            let recorded = sqlx::query!(
                "update export_delivery
                 set state = case when $3 then 'failed' else 'pending' end, last_error = $2,
                     next_attempt_at = now() + make_interval(secs => $4), claimed_until = null
                 where export_delivery_id = $1 and claim = $5",
                d.delivery_id,
                error,
                last_try,
                wait,
                d.claim,
            )
            .execute(&mut *tx)
            .await?;
            // Another instance took the delivery over (this one was too slow): its outcome counts.
            if recorded.rows_affected() == 0 || !last_try {
                tx.commit().await?;
                return Ok(());
            }
            if let (Some(to), false) = (&d.notify_email, d.kind == "notice") {
                let failed = json!({ "failed": d.kind, "to": d.destination, "error": error });
                queue_notice(&mut tx, (d.run_id, &d.organization), to, failed).await?;
            }
            (
                AuditAction::ExportDeliveryFailed,
                Outcome::Failure,
                Some(error.clone()),
            )
        }
    };
    let event = AuditEvent::new(action, result)
        .with_organization(d.organization.clone())
        .with_target(d.schedule_name.clone())
        .with_parameters(json!({
            "run_id": d.run_id, "delivery_id": d.delivery_id, "kind": d.kind,
            "destination": d.destination, "attempts": d.attempts, "error": error,
        }));
    audit::record(
        &mut *tx,
        &Actor::named("ocm"),
        &RequestMeta::background("export delivery"),
        event,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_fourfold_and_stay_bounded() {
        let base = Duration::from_secs(60);
        let waits: Vec<u64> = (1..=5).map(|n| backoff(base, n).as_secs()).collect();
        assert_eq!(waits, [60, 240, 960, 3_840, 15_360]);
        assert_eq!(
            backoff(base, 0),
            base,
            "a first attempt never waits less than the base"
        );
        assert_eq!(
            backoff(base, 1_000),
            LONGEST_WAIT,
            "bounded, however many attempts"
        );
    }
}

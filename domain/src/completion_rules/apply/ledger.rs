//! What each try leaves behind: before POM is asked, the snapshot (the attribute's value, or a
//! pending registry entry with the number) and an audit record; after, the application's state,
//! the registry entry's and the audit record of POM's answer, each pair in one transaction. Every
//! write is fenced by the claim (`state = 'pending' and tries = <the claim's try>`): a worker
//! whose lease ran out and was taken over writes nothing. The audit log names the application,
//! never the contact or the values (it cannot be erased).

use serde_json::json;
use sqlx::PgPool;

use super::Claimed;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::completion_rules::checks::effect;
use crate::error::AppError;
use crate::model::{AuditAction, RuleAction};
use crate::request_meta::RequestMeta;
use crate::state::AppState;

/// Tries before an application fails for good.
pub const MAX_TRIES: i32 = 6;

/// One audit record of an application, by its rule (the actor, in the rule's organization):
/// `about` is (rule, organization, application).
async fn record(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    (action, outcome): (AuditAction, Outcome),
    (rule_id, organization, application_id): (i64, &str, i64),
    parameters: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let actor = Actor {
        username: Some(format!("completion rule #{rule_id}")),
        organization: Some(organization.to_string()),
        ..Actor::default()
    };
    let event = AuditEvent::new(action, outcome)
        .with_organization(organization.to_string())
        .with_target(format!("completion rule application #{application_id}"))
        .with_parameters(parameters);
    let meta = RequestMeta::background("completion_rules");
    audit::record(&mut **tx, &actor, &meta, event).await
}

fn parameters(claimed: &Claimed) -> serde_json::Value {
    json!({
        "application": claimed.application_id, "rule": claimed.rule_id,
        "campaign": claimed.campaign, "list": claimed.list_name,
        "completion_code": claimed.completion_code, "action": claimed.action.as_str(),
        "try": claimed.tries,
    })
}

/// How one try ended.
pub enum Ending {
    Applied(String),
    Retry(String),
    Failed(String),
}

/// The snapshot, the registry entry (uncallable and DNC, with the number: one per application,
/// kept across tries) and the audit record, before POM is asked. `None`: the claim was lost.
pub async fn before(
    state: &AppState,
    claimed: &Claimed,
    previous: Option<&str>,
    address: Option<&str>,
) -> Result<Option<Option<i64>>, AppError> {
    let mut tx = state.pool.begin().await?;
    let entry = match (&claimed.action, address) {
        (RuleAction::MarkUncallable | RuleAction::AddDnc, Some(address)) => {
            let (action, list) = match claimed.action {
                RuleAction::AddDnc => ("add", &claimed.organization),
                _ => ("mark_uncallable", &claimed.list_name),
            };
            Some(
                sqlx::query_scalar!(
                    r#"insert into dnc_entry (organization, address, action, source, list_name,
                           requested_by_name, state, external_ref)
                       values ($1, $2, $3, 'completion_rule', $4, $5, 'pending', $6)
                       on conflict (source, external_ref)
                       do update set external_ref = excluded.external_ref
                       returning dnc_entry_id"#,
                    claimed.organization,
                    address,
                    action,
                    list,
                    format!(
                        "completion rule #{} ({})",
                        claimed.rule_id, claimed.completion_code
                    ),
                    format!("application:{}", claimed.application_id),
                )
                .fetch_one(&mut *tx)
                .await?,
            )
        }
        _ => None,
    };
    let held = sqlx::query!(
        "update completion_rule_application
            set previous_value = coalesce(previous_value, $3), dnc_entry_id = $4
          where application_id = $1 and state = 'pending' and tries = $2",
        claimed.application_id,
        claimed.tries,
        previous,
        entry,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if held == 0 {
        return Ok(None);
    }
    let step = (AuditAction::CompletionRuleApplyRequested, Outcome::Success);
    let about = (
        claimed.rule_id,
        claimed.organization.as_str(),
        claimed.application_id,
    );
    record(&mut tx, step, about, parameters(claimed)).await?;
    tx.commit().await?;
    Ok(Some(entry))
}

/// Seconds before try `tries + 1`: 30 s, 1, 2, 4, 8 minutes.
fn wait_after(tries: i32) -> i32 {
    30 * (1 << tries.clamp(1, 5)) / 2
}

fn in_words(seconds: i32) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s => format!("{} min", s / 60),
    }
}

/// Records how the try ended, with the registry entry's state and the audit record.
pub async fn finish(
    state: &AppState,
    claimed: &Claimed,
    entry: Option<i64>,
    ending: Ending,
) -> Result<(), AppError> {
    let wait = wait_after(claimed.tries);
    let (stored, words, outcome) = match &ending {
        Ending::Applied(words) => ("applied", words.clone(), Outcome::Success),
        Ending::Retry(words) => (
            "pending",
            format!(
                "{words} OCM tries again in {} ({} of {MAX_TRIES} tries made).",
                in_words(wait),
                claimed.tries
            ),
            Outcome::Failure,
        ),
        Ending::Failed(words) => ("failed", words.clone(), Outcome::Failure),
    };
    let mut tx = state.pool.begin().await?;
    let held = sqlx::query!(
        "update completion_rule_application
            set state = $3, outcome = $4, claimed_until = null,
                next_try_at = now() + make_interval(secs => $5),
                finished_at = case when $3 = 'pending' then null else now() end
          where application_id = $1 and state = 'pending' and tries = $2",
        claimed.application_id,
        claimed.tries,
        stored,
        words,
        f64::from(wait),
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if held == 0 {
        return Ok(());
    }
    if let (Some(entry), false) = (entry, stored == "pending") {
        sqlx::query!(
            "update dnc_entry set state = $2, outcome = $3,
                    confirmed_at = case when $2 = 'confirmed' then now() end
              where dnc_entry_id = $1",
            entry,
            if stored == "applied" {
                "confirmed"
            } else {
                "failed"
            },
            words,
        )
        .execute(&mut *tx)
        .await?;
    }
    let mut parameters = parameters(claimed);
    parameters["outcome"] = stored.into();
    parameters["effect"] = effect(&claimed.action, claimed.attribute.as_deref(), None, None).into();
    let about = (
        claimed.rule_id,
        claimed.organization.as_str(),
        claimed.application_id,
    );
    record(
        &mut tx,
        (AuditAction::CompletionRuleApply, outcome),
        about,
        parameters,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Applications whose every try stopped before an answer was recorded (OCM itself failing:
/// the database, no POM configured) fail for good once their last claim runs out, audited.
pub async fn give_up_exhausted(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let given_up = sqlx::query!(
        "update completion_rule_application a
            set state = 'failed', finished_at = now(), claimed_until = null,
                outcome = 'OCM could not finish it in ' || a.tries || ' tries; the log has why.'
          where a.state = 'pending' and a.tries >= $1 and a.claimed_until < now()
      returning a.application_id, a.completion_rule_id, a.organization",
        MAX_TRIES,
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in &given_up {
        let about = (
            row.completion_rule_id,
            row.organization.as_str(),
            row.application_id,
        );
        let parameters = json!({ "application": row.application_id, "outcome": "failed" });
        let step = (AuditAction::CompletionRuleApply, Outcome::Failure);
        record(&mut tx, step, about, parameters).await?;
    }
    tx.commit().await?;
    Ok(given_up.len() as u64)
}

//! What each try leaves behind: before POM is asked, the snapshot (the attribute's value, or a
//! pending registry entry with the number) and an audit record; after, the application's state,
//! the registry entry's and the audit record of POM's answer, each pair in one transaction.

use serde_json::json;

use super::Claimed;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::completion_rules::checks::effect;
use crate::error::AppError;
use crate::model::{AuditAction, RuleAction};
use crate::request_meta::RequestMeta;
use crate::state::AppState;

/// Tries before an application fails for good.
pub const MAX_TRIES: i32 = 6;

/// The rule as the audit log's actor.
fn actor(claimed: &Claimed) -> Actor {
    Actor {
        username: Some(format!("completion rule #{}", claimed.rule_id)),
        organization: Some(claimed.organization.clone()),
        ..Actor::default()
    }
}

/// How one try ended.
pub enum Ending {
    Applied(String),
    Retry(String),
    Failed(String),
}

/// The snapshot and the audit record before POM is asked; for uncallable and DNC the pending
/// registry entry (one per application, kept across tries) and the number.
pub async fn before(
    state: &AppState,
    claimed: &Claimed,
    previous: Option<&str>,
) -> Result<Option<(i64, Option<String>)>, AppError> {
    let mut tx = state.pool.begin().await?;
    let entry = match claimed.action {
        RuleAction::MarkUncallable | RuleAction::AddDnc => {
            let address = sqlx::query_scalar!(
                "select address from call_attempt where occurred_at = $1 and session_id = $2",
                claimed.attempt_ended_at,
                claimed.session_id,
            )
            .fetch_optional(&mut *tx)
            .await?
            .flatten()
            .filter(|a| !a.is_empty() && a != crate::erasure::ocm_stores::ERASED);
            let (action, shown) = match claimed.action {
                RuleAction::AddDnc => ("add", address.clone().unwrap_or_default()),
                _ => (
                    "mark_uncallable",
                    address
                        .clone()
                        .unwrap_or_else(|| claimed.user_contact_id.clone()),
                ),
            };
            let id = sqlx::query_scalar!(
                r#"insert into dnc_entry (organization, address, action, source, list_name,
                       requested_by_name, state, external_ref)
                   values ($1, $2, $3, 'completion_rule', $4, $5, 'pending', $6)
                   on conflict (source, external_ref) do update set state = 'pending'
                   returning dnc_entry_id"#,
                claimed.organization,
                shown,
                action,
                match claimed.action {
                    RuleAction::AddDnc => claimed.organization.clone(),
                    _ => claimed.list_name.clone(),
                },
                format!(
                    "completion rule #{} ({})",
                    claimed.rule_id, claimed.completion_code
                ),
                format!("application:{}", claimed.application_id),
            )
            .fetch_one(&mut *tx)
            .await?;
            Some((id, address))
        }
        _ => None,
    };
    sqlx::query!(
        "update completion_rule_application
            set previous_value = coalesce(previous_value, $2), dnc_entry_id = $3
          where application_id = $1",
        claimed.application_id,
        previous,
        entry.as_ref().map(|e| e.0),
    )
    .execute(&mut *tx)
    .await?;
    let event = AuditEvent::new(AuditAction::CompletionRuleApplyRequested, Outcome::Success)
        .with_organization(claimed.organization.clone())
        .with_target(format!(
            "contact {} in {}",
            claimed.user_contact_id, claimed.list_name
        ))
        .with_parameters(parameters(claimed, previous));
    audit::record(&mut *tx, &actor(claimed), &meta(), event).await?;
    tx.commit().await?;
    Ok(entry)
}

fn meta() -> RequestMeta {
    RequestMeta::background("completion_rules")
}

fn parameters(claimed: &Claimed, previous: Option<&str>) -> serde_json::Value {
    json!({
        "application": claimed.application_id, "rule": claimed.rule_id,
        "campaign": claimed.campaign, "completion_code": claimed.completion_code,
        "effect": effect(&claimed.action, claimed.attribute.as_deref(), claimed.value.as_deref(), None),
        "value": claimed.value, "previous_value": previous, "try": claimed.tries,
    })
}

/// Records how the try ended, with the registry entry's state and the audit record.
pub async fn finish(
    state: &AppState,
    claimed: &Claimed,
    entry: Option<i64>,
    ending: Ending,
) -> Result<(), AppError> {
    let (stored, words, outcome) = match &ending {
        Ending::Applied(words) => ("applied", words.clone(), Outcome::Success),
        Ending::Retry(words) => (
            "pending",
            format!(
                "{words} OCM tries again (try {} of {MAX_TRIES}).",
                claimed.tries
            ),
            Outcome::Failure,
        ),
        Ending::Failed(words) => ("failed", words.clone(), Outcome::Failure),
    };
    // Tries again after 30 s, 1, 2, 4, 8 minutes.
    let wait = 30.0 * f64::from(1_i32 << claimed.tries.clamp(1, 5) >> 1);
    let mut tx = state.pool.begin().await?;
    sqlx::query!(
        "update completion_rule_application
            set state = $2, outcome = $3, claimed_until = null,
                next_try_at = now() + make_interval(secs => $4),
                finished_at = case when $2 = 'pending' then null else now() end
          where application_id = $1",
        claimed.application_id,
        stored,
        words,
        wait,
    )
    .execute(&mut *tx)
    .await?;
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
    let mut parameters = parameters(claimed, None);
    parameters["outcome"] = stored.into();
    parameters["message"] = words.into();
    let event = AuditEvent::new(AuditAction::CompletionRuleApply, outcome)
        .with_organization(claimed.organization.clone())
        .with_target(format!(
            "contact {} in {}",
            claimed.user_contact_id, claimed.list_name
        ))
        .with_parameters(parameters);
    audit::record(&mut *tx, &actor(claimed), &meta(), event).await?;
    tx.commit().await?;
    Ok(())
}

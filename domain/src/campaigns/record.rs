//! The record of a campaign action: the `pending` `campaign_action` row written before POM is
//! asked, its outcome with POM's answer afterwards, and POM's errors turned into plain words
//! (documented return codes, also when a REST error body carries them).

use pom::client::{fault_message, PomError};
use serde_json::json;
use sqlx::PgPool;

use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::AuditAction;

/// How a POM call ended: `ok`, `refused` (POM said no) or `failed` (no usable answer).
pub(crate) struct Answer {
    pub outcome: &'static str,
    pub message: String,
    /// POM's answer in its own words, kept in the action row and the audit.
    pub pom_answer: String,
    /// POM's return code, when it refused with one.
    pub fault: Option<i32>,
}

impl Answer {
    pub fn ok(message: String, pom_answer: String) -> Self {
        Answer {
            outcome: "ok",
            message,
            pom_answer,
            fault: None,
        }
    }

    /// A POM error: documented return codes (SOAP faults, or REST error bodies carrying them)
    /// become their plain message.
    pub fn from_error(error: &PomError) -> Self {
        let code = error
            .fault_code()
            .or(match error {
                PomError::Status {
                    code: Some(code), ..
                } => code.trim().parse().ok(),
                _ => None,
            })
            // POM's return codes are negative; an HTTP status echoed as a code is not one.
            .filter(|code: &i32| *code < 0);
        let refused = code.is_some()
            || matches!(error, PomError::Status { status, .. } if (400..500).contains(status));
        Answer {
            outcome: if refused { "refused" } else { "failed" },
            message: match (code.and_then(fault_message), error) {
                (Some(plain), _) => plain.to_string(),
                // A write POM may have carried out although its answer never came back.
                (None, PomError::Timeout(_) | PomError::Transport(_)) => format!(
                    "{}. {}: check the board before trying again.",
                    error.user_message().split(". ").next().unwrap_or_default(),
                    types::error::MAY_HAVE_ACTED.trim_end_matches('.')
                ),
                (None, _) => error.user_message(),
            },
            pom_answer: match error {
                PomError::Status {
                    status,
                    code: Some(code),
                    message,
                    ..
                } => format!("HTTP {status}, errorCode {code}: {message}"),
                other => other.to_string(),
            },
            fault: code,
        }
    }
}

/// The pending row for one action on one campaign (and job).
pub(super) struct Pending<'a> {
    pub organization: &'a str,
    pub campaign: &'a str,
    pub job_id: Option<i64>,
    pub action: &'a str,
    pub state_before: Option<&'a str>,
    pub emergency_stop_id: Option<i64>,
}

/// Writes the action as `pending`, with an audit record of the request, before POM is asked
/// (an emergency stop audits its whole request once instead).
pub(super) async fn begin(pool: &PgPool, ctx: &Ctx, p: Pending<'_>) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        r#"
        insert into campaign_action
            (organization, campaign, job_id, action, state_before, emergency_stop_id,
             requested_by, requested_by_name)
        values ($1, $2, $3, $4, $5, $6, $7, $8)
        returning campaign_action_id
        "#,
        p.organization,
        p.campaign,
        p.job_id,
        p.action,
        p.state_before,
        p.emergency_stop_id,
        ctx.user.stored_id(),
        ctx.user.username,
    )
    .fetch_one(&mut *tx)
    .await?;
    if p.emergency_stop_id.is_none() {
        let name = match p.action {
            "start" => AuditAction::CampaignStartRequested,
            "pause" => AuditAction::CampaignPauseRequested,
            "resume" => AuditAction::CampaignResumeRequested,
            "stop" => AuditAction::CampaignStopRequested,
            "add_list" => AuditAction::CampaignAddListRequested,
            _ => AuditAction::CampaignScheduleRequested,
        };
        let event = AuditEvent::new(name, Outcome::Success)
            .with_organization(p.organization)
            .with_target(p.campaign)
            .with_parameters(json!({ "job_id": p.job_id, "state_before": p.state_before, "campaign_action_id": id }));
        audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Stores how the action ended.
pub(super) async fn finish(
    pool: &PgPool,
    action_id: i64,
    job_id: Option<i64>,
    answer: &Answer,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        update campaign_action
        set outcome = $2, job_id = coalesce($3, job_id), pom_answer = $4, message = $5,
            finished_at = now()
        where campaign_action_id = $1
        "#,
        action_id,
        answer.outcome,
        job_id,
        answer.pom_answer,
        answer.message,
    )
    .execute(pool)
    .await?;
    Ok(())
}

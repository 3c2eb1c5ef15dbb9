//! Administration from the browser (admins only): users (`user_list`, `user_create`,
//! `user_change`), teams and organizations (`directory`, `team_change`, `organization_change`),
//! who reads which report (`report_access`), and the one-time passwords and set-password links
//! they hand out (`credentials`). Every change
//! is audited with what was before and what is after, in the transaction that makes it.

pub mod credentials;
pub mod directory;
pub mod organization_change;
pub mod report_access;
pub mod team_change;
pub mod user_change;
pub mod user_create;
pub mod user_list;
pub mod within;

use serde_json::{json, Value};
use sqlx::PgConnection;

use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::model::{AuditAction, Role};

/// Who administers: admins only.
pub const ROLES: &[Role] = &[Role::Admin];

/// Writes the audit record of a change: `parameters = {before, after}`, filed under `organization`.
pub(crate) async fn audit_change(
    conn: &mut PgConnection,
    ctx: &Ctx,
    action: AuditAction,
    target: &str,
    organization: &str,
    before: Value,
    after: Value,
) -> Result<(), sqlx::Error> {
    let event = AuditEvent::new(action, Outcome::Success)
        .with_target(target)
        .with_organization(organization)
        .with_parameters(json!({ "before": before, "after": after }));
    audit::record(conn, &Actor::user(&ctx.user), &ctx.meta, event).await
}

/// Ends every open session of a user (their open pages go to the sign-in page at their next
/// request or countdown poll) and returns how many were open.
pub(crate) async fn end_sessions(
    conn: &mut PgConnection,
    user_id: i64,
) -> Result<i64, sqlx::Error> {
    let ended = sqlx::query!(
        "update login_session set ended_at = now(), end_reason = 'revoked'
          where app_user_id = $1 and ended_at is null",
        user_id
    )
    .execute(conn)
    .await?;
    Ok(i64::try_from(ended.rows_affected()).unwrap_or(i64::MAX))
}

/// A name people type for a team or an organization: trimmed, 1 to 100 characters, no control
/// characters.
pub(crate) fn check_name(field: &str, raw: &str) -> Result<String, crate::error::AppError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(crate::error::AppError::validation(
            field,
            "use 1 to 100 characters, without line breaks",
        ));
    }
    Ok(name.to_string())
}

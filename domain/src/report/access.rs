//! Who may read a report: admins always; supervisors and managers as an admin chose for that
//! report (`report_access`), or the report's own default. Checked by the kit for pages and
//! exports of every report with an access key, refusals audited like any other.

use sqlx::PgPool;

use super::Report;
use crate::access::Ctx;
use crate::error::AppError;
use crate::model::{AuditAction, Role};

/// The roles that may read the report with `key` (admins always), from `defaults` when no admin
/// chose.
pub async fn roles(pool: &PgPool, key: &str, defaults: &[Role]) -> Result<Vec<Role>, AppError> {
    let chosen = sqlx::query_scalar!("select roles from report_access where report = $1", key)
        .fetch_optional(pool)
        .await?;
    let mut roles = vec![Role::Admin];
    match chosen {
        Some(names) => roles.extend(
            defaults
                .iter()
                .filter(|r| **r != Role::Admin && names.iter().any(|n| n == r.as_str())),
        ),
        None => roles.extend(defaults.iter().filter(|r| **r != Role::Admin)),
    }
    Ok(roles)
}

/// Refuses the caller (audited as `action`) when the report is closed to their role.
pub async fn check<R: Report>(ctx: &Ctx, action: AuditAction) -> Result<(), AppError> {
    let Some(key) = R::ACCESS_KEY else {
        return Ok(());
    };
    let roles = roles(&ctx.state.pool, key, R::ROLES).await?;
    ctx.require(action, &roles).await
}

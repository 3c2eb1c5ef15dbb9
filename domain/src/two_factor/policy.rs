//! Which roles must sign in with a second factor (one row, set by admins on the settings page).
//! A user of such a role without one is sent to set it up before anything else.

use serde_json::json;

use crate::access::Ctx;
use crate::admin::audit_change;
use crate::error::AppError;
use crate::model::{AuditAction, Role, SignInPolicy};

fn roles(stored: Vec<String>) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|r| stored.iter().any(|s| s == r.as_str()))
        .collect()
}

/// The current policy.
pub async fn get(pool: &sqlx::PgPool) -> Result<SignInPolicy, AppError> {
    let stored = sqlx::query_scalar!("select two_factor_roles from sign_in_policy")
        .fetch_optional(pool)
        .await?
        .unwrap_or_default();
    Ok(SignInPolicy {
        two_factor_roles: roles(stored),
    })
}

/// Sets the roles that must use a second factor (audited with before and after).
pub async fn set(ctx: &Ctx, wanted: &[Role]) -> Result<SignInPolicy, AppError> {
    let mut tx = ctx.state.pool.begin().await?;
    let before = sqlx::query_scalar!("select two_factor_roles from sign_in_policy for update")
        .fetch_one(&mut *tx)
        .await?;
    let after: Vec<String> = Role::ALL
        .into_iter()
        .filter(|r| wanted.contains(r))
        .map(|r| r.as_str().to_string())
        .collect();
    sqlx::query!(
        "update sign_in_policy set two_factor_roles = $1, updated_at = now()",
        &after
    )
    .execute(&mut *tx)
    .await?;
    audit_change(
        &mut tx,
        ctx,
        AuditAction::SignInPolicyChange,
        "two-factor sign-in",
        "",
        json!({ "two_factor_roles": before }),
        json!({ "two_factor_roles": after }),
    )
    .await?;
    tx.commit().await?;
    Ok(SignInPolicy {
        two_factor_roles: roles(after),
    })
}

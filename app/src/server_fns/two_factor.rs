//! Two-factor sign-in: the caller's own (status, set-up, recovery codes, turning it off; allowed
//! while their role still requires setting it up), an admin clearing a user's, and the policy.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{Role, SignInPolicy, TwoFactorSetup, TwoFactorStatus};

#[cfg(feature = "ssr")]
async fn me() -> Result<domain::access::Ctx, AppError> {
    crate::guard::signed_in(domain::auth::Activity::Touch).await
}

/// The caller's second factor.
#[server(endpoint = "two-factor/status")]
pub async fn get_two_factor() -> Result<TwoFactorStatus, AppError> {
    domain::two_factor::enrol::status(&me().await?).await
}

/// A new secret to scan.
#[server(endpoint = "two-factor/begin")]
pub async fn two_factor_begin() -> Result<TwoFactorSetup, AppError> {
    domain::two_factor::enrol::begin(&me().await?).await
}

/// Turns it on with a code from the new secret; answers the recovery codes (shown once).
#[server(endpoint = "two-factor/confirm")]
pub async fn two_factor_confirm(code: String) -> Result<Vec<String>, AppError> {
    domain::two_factor::enrol::confirm(&me().await?, &code).await
}

/// New recovery codes after a current code.
#[server(endpoint = "two-factor/recovery-codes")]
pub async fn two_factor_recovery_codes(code: String) -> Result<Vec<String>, AppError> {
    domain::two_factor::enrol::new_recovery_codes(&me().await?, &code).await
}

/// Turns it off after a current code (not when the role requires it).
#[server(endpoint = "two-factor/disable")]
pub async fn two_factor_disable(code: String) -> Result<(), AppError> {
    domain::two_factor::enrol::disable(&me().await?, &code).await
}

/// An admin clears a user's second factor.
#[server(endpoint = "admin/users/two-factor-reset")]
pub async fn reset_user_two_factor(user_id: i64) -> Result<(), AppError> {
    let ctx = crate::guard::require(
        crate::model::AuditAction::UserTwoFactorReset,
        domain::admin::ROLES,
    )
    .await?;
    domain::two_factor::enrol::reset(&ctx, user_id).await
}

/// Which roles must use a second factor.
#[server(endpoint = "admin/sign-in-policy")]
pub async fn get_sign_in_policy() -> Result<SignInPolicy, AppError> {
    let ctx =
        crate::guard::require(crate::model::AuditAction::AdminRead, domain::admin::ROLES).await?;
    domain::two_factor::policy::get(&ctx.state.pool).await
}

/// Sets the roles that must use a second factor.
#[server(endpoint = "admin/sign-in-policy/set", input = server_fn::codec::Json)]
pub async fn set_sign_in_policy(roles: Vec<Role>) -> Result<SignInPolicy, AppError> {
    let ctx = crate::guard::require(
        crate::model::AuditAction::SignInPolicyChange,
        domain::admin::ROLES,
    )
    .await?;
    domain::two_factor::policy::set(&ctx, &roles).await
}

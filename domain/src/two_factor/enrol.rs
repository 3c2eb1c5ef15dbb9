//! A user's own second factor: set it up (a new secret shown as a QR code, confirmed by a code
//! from it, which also hands out recovery codes once), new recovery codes, turning it off (not
//! when the role requires it); and an admin clearing it for a user who lost their phone.

use serde_json::json;
use sqlx::PgConnection;

use super::{codes, unix_now};
use crate::access::Ctx;
use crate::admin::{audit_change, end_sessions};
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::{AuditAction, TwoFactorSetup, TwoFactorStatus};

/// Shown in authenticator apps beside the user name.
const ISSUER: &str = "OCM";

fn wrong_code() -> AppError {
    AppError::validation(
        "code",
        "this code does not match, or was just used; type the next one from your app",
    )
}

/// A factor that is on is replaced only after turning it off (which takes a code) or by an
/// admin: a session alone must not move it to another phone.
async fn not_enabled(ctx: &Ctx) -> Result<(), AppError> {
    if status(ctx).await?.enabled {
        return Err(AppError::validation(
            "code",
            "two-factor sign-in is on: turn it off first (with a code), or ask an admin to clear it",
        ));
    }
    Ok(())
}

fn ready(ctx: &Ctx) -> Result<(), AppError> {
    if ctx.user.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok(())
}

/// The caller's second factor.
pub async fn status(ctx: &Ctx) -> Result<TwoFactorStatus, AppError> {
    let row = sqlx::query!(
        r#"select u.totp_enabled_at is not null as "enabled!",
                  exists (select 1 from sign_in_policy p where u.role = any(p.two_factor_roles)) as "required!",
                  (select count(*) from recovery_code r
                    where r.app_user_id = u.app_user_id and r.used_at is null) as "left!"
             from app_user u where u.app_user_id = $1"#,
        ctx.user.user_id
    )
    .fetch_one(&ctx.state.pool)
    .await?;
    Ok(TwoFactorStatus {
        enabled: row.enabled,
        required: row.required,
        recovery_codes_left: row.left,
    })
}

/// A new secret for the caller's app (replacing any earlier unfinished one).
pub async fn begin(ctx: &Ctx) -> Result<TwoFactorSetup, AppError> {
    ready(ctx)?;
    not_enabled(ctx).await?;
    let secret = codes::new_secret();
    sqlx::query!(
        "update app_user set totp_pending_secret = $2 where app_user_id = $1",
        ctx.user.user_id,
        secret
    )
    .execute(&ctx.state.pool)
    .await?;
    let uri = codes::otpauth_uri(ISSUER, &ctx.user.username, &secret);
    Ok(TwoFactorSetup {
        secret: codes::base32(&secret),
        qr_svg: codes::qr_svg(&uri),
        uri,
    })
}

async fn store_recovery_codes(
    conn: &mut PgConnection,
    user_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let fresh = codes::new_recovery_codes();
    let hashes: Vec<String> = fresh.iter().map(|c| codes::recovery_hash(c)).collect();
    sqlx::query!("delete from recovery_code where app_user_id = $1", user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "insert into recovery_code (app_user_id, code_sha256) select $1, unnest($2::text[])",
        user_id,
        &hashes
    )
    .execute(conn)
    .await?;
    Ok(fresh)
}

async fn record(
    conn: &mut PgConnection,
    ctx: &Ctx,
    action: AuditAction,
) -> Result<(), sqlx::Error> {
    let event = AuditEvent::new(action, Outcome::Success)
        .with_target(ctx.user.username.as_str())
        .with_organization(ctx.user.organization.as_str());
    audit::record(conn, &Actor::user(&ctx.user), &ctx.meta, event).await
}

/// Turns the second factor on once a code from the new secret matches; returns the recovery
/// codes, shown once.
pub async fn confirm(ctx: &Ctx, code: &str) -> Result<Vec<String>, AppError> {
    ready(ctx)?;
    not_enabled(ctx).await?;
    let mut tx = ctx.state.pool.begin().await?;
    let pending = sqlx::query_scalar!(
        "select totp_pending_secret from app_user where app_user_id = $1 for update",
        ctx.user.user_id
    )
    .fetch_one(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::validation("code", "start the set-up again: no new secret is waiting")
    })?;
    let step = codes::check(&pending, code, unix_now(), None).ok_or_else(wrong_code)?;
    sqlx::query!(
        "update app_user set totp_secret = totp_pending_secret, totp_pending_secret = null,
                             totp_enabled_at = now(), totp_last_step = $2
          where app_user_id = $1",
        ctx.user.user_id,
        i64::try_from(step).unwrap_or(i64::MAX)
    )
    .execute(&mut *tx)
    .await?;
    let fresh = store_recovery_codes(&mut tx, ctx.user.user_id).await?;
    record(&mut tx, ctx, AuditAction::AccountTwoFactorEnable).await?;
    tx.commit().await?;
    Ok(fresh)
}

/// Checks a current code against the caller's enabled secret (and uses its step up).
async fn check_current(conn: &mut PgConnection, user_id: i64, code: &str) -> Result<(), AppError> {
    let row = sqlx::query!(
        "select totp_secret, totp_last_step from app_user where app_user_id = $1 for update",
        user_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let secret = row
        .totp_secret
        .ok_or_else(|| AppError::validation("code", "two-factor sign-in is off"))?;
    let last = row.totp_last_step.and_then(|s| u64::try_from(s).ok());
    let step = codes::check(&secret, code, unix_now(), last).ok_or_else(wrong_code)?;
    sqlx::query!(
        "update app_user set totp_last_step = $2 where app_user_id = $1",
        user_id,
        i64::try_from(step).unwrap_or(i64::MAX)
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// New recovery codes (the old ones stop working), after a current code.
pub async fn new_recovery_codes(ctx: &Ctx, code: &str) -> Result<Vec<String>, AppError> {
    ready(ctx)?;
    let mut tx = ctx.state.pool.begin().await?;
    check_current(&mut tx, ctx.user.user_id, code).await?;
    let fresh = store_recovery_codes(&mut tx, ctx.user.user_id).await?;
    record(&mut tx, ctx, AuditAction::AccountRecoveryCodes).await?;
    tx.commit().await?;
    Ok(fresh)
}

/// Turns the caller's second factor off after a current code, unless their role requires it.
pub async fn disable(ctx: &Ctx, code: &str) -> Result<(), AppError> {
    ready(ctx)?;
    if status(ctx).await?.required {
        return Err(AppError::validation(
            "code",
            "your role must sign in with a second factor",
        ));
    }
    let mut tx = ctx.state.pool.begin().await?;
    check_current(&mut tx, ctx.user.user_id, code).await?;
    clear(&mut tx, ctx.user.user_id).await?;
    record(&mut tx, ctx, AuditAction::AccountTwoFactorDisable).await?;
    tx.commit().await?;
    Ok(())
}

async fn clear(conn: &mut PgConnection, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update app_user set totp_secret = null, totp_pending_secret = null, totp_enabled_at = null,
                             totp_last_step = null
          where app_user_id = $1",
        user_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("delete from recovery_code where app_user_id = $1", user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// An admin clears a user's second factor (lost phone, no recovery code); their sessions end and
/// they set it up again at their next sign-in if their role requires it.
pub async fn reset(ctx: &Ctx, user_id: i64) -> Result<(), AppError> {
    let mut tx = ctx.state.pool.begin().await?;
    let row = sqlx::query!(
        r#"select u.username, o.name as organization, u.totp_enabled_at is not null as "enabled!"
             from app_user u join team t using (team_id) join organization o using (organization_id)
            where u.app_user_id = $1 for update of u"#,
        user_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("User {user_id}")))?;
    clear(&mut tx, user_id).await?;
    let ended = end_sessions(&mut tx, user_id).await?;
    audit_change(
        &mut tx,
        ctx,
        AuditAction::UserTwoFactorReset,
        &row.username,
        &row.organization,
        json!({ "two_factor": row.enabled }),
        json!({ "two_factor": false, "sessions_ended": ended }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

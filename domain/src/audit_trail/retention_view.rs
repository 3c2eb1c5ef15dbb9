//! What the audit page says about retention: the oldest online month and the archived ones.

use super::{verify, AuditMonth};
use crate::access::Ctx;
use crate::audit_log::AuditLog;
use crate::error::AppError;
use crate::model::{ArchivedMonth, AuditRetention, Role};
use crate::report::Report;

/// The retention note for the caller (audit readers only; record counts for admins only).
pub async fn retention(ctx: &Ctx) -> Result<AuditRetention, AppError> {
    if !AuditLog::ROLES.contains(&ctx.user.role) {
        return Err(AppError::Forbidden);
    }
    let pool = &ctx.state.pool;
    let oldest = verify::online_range(pool).await?.map(|(oldest, _)| oldest);
    let is_admin = ctx.user.role == Role::Admin;
    let archived = sqlx::query!(
        "select chain_month, row_count, restored_at is not null as \"restored!\",
                deleted_at is not null as \"deleted!\"
           from audit_archive order by chain_month desc limit 240"
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|row| ArchivedMonth {
        month: AuditMonth::of(row.chain_month).to_string(),
        records: is_admin.then_some(row.row_count),
        restored: row.restored,
        deleted: row.deleted,
    })
    .collect();
    Ok(AuditRetention {
        oldest_online: oldest.map(|m| m.to_string()),
        online_months: ctx.state.settings.audit.online_months,
        archived,
    })
}

//! The report access page (admins only): for each report with an access key, whether supervisors
//! and managers read it; a change is audited with what it was and what it became, in the
//! transaction that makes it. Admins always read every report.

use serde_json::json;

use super::audit_change;
use crate::access::Ctx;
use crate::dates::rfc3339;
use crate::error::AppError;
use crate::model::{AuditAction, ReportAccessRow, Role};

/// Every report an admin may restrict: its access key and its name.
pub const REPORTS: &[(&str, &str)] = &[
    ("call_attempts", "Call Attempt"),
    ("nuisance", "Outbound Nuisance"),
    ("compliance", "Compliance"),
    ("agent_time", "Predictive and Preview Agent Time Summary"),
    (
        "job_summary",
        "Job Performance Summary and Preview Job Summary",
    ),
    ("sales", "Secured/Unsecured Performance"),
    ("code_lists", "NSP List and NTC"),
    ("recalls", "Agent Owned Recalls"),
    ("inbound_abandoned", "Inbound Abandoned"),
    ("not_attempted", "List Accounts Not Attempted"),
    ("not_listed", "Account Not in Listing"),
    ("dnc_list", "DNC List"),
];

/// Every report with who reads it (default: supervisors and managers).
pub async fn list(ctx: &Ctx) -> Result<Vec<ReportAccessRow>, AppError> {
    let chosen = sqlx::query!("select report, roles, updated_by, updated_at from report_access")
        .fetch_all(&ctx.state.pool)
        .await?;
    Ok(REPORTS
        .iter()
        .map(|(key, name)| {
            let row = chosen.iter().find(|c| c.report == *key);
            let reads = |role: Role| row.is_none_or(|c| c.roles.iter().any(|r| r == role.as_str()));
            ReportAccessRow {
                report: key.to_string(),
                name: name.to_string(),
                supervisor: reads(Role::Supervisor),
                manager: reads(Role::Manager),
                changed_by: row.map(|c| c.updated_by.clone()),
                changed_at: row.map(|c| rfc3339(c.updated_at)),
            }
        })
        .collect())
}

/// Sets who besides admins reads `report`.
pub async fn save(
    ctx: &Ctx,
    report: &str,
    supervisor: bool,
    manager: bool,
) -> Result<ReportAccessRow, AppError> {
    let Some((key, _)) = REPORTS.iter().find(|(key, _)| *key == report) else {
        return Err(AppError::validation(
            "report",
            format!("“{report}” is not a report."),
        ));
    };
    let roles: Vec<String> = [(Role::Supervisor, supervisor), (Role::Manager, manager)]
        .iter()
        .filter(|(_, reads)| *reads)
        .map(|(role, _)| role.as_str().to_string())
        .collect();
    let mut tx = ctx.state.pool.begin().await?;
    let before = sqlx::query_scalar!(
        "select roles from report_access where report = $1 for update",
        key
    )
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into report_access (report, roles, updated_by) values ($1, $2, $3)
         on conflict (report) do update set roles = excluded.roles,
                updated_by = excluded.updated_by, updated_at = now()",
        key,
        &roles,
        ctx.user.username
    )
    .execute(&mut *tx)
    .await?;
    let before = before.map_or(json!("default: supervisor, manager"), |r| json!(r));
    audit_change(
        &mut tx,
        ctx,
        AuditAction::ReportAccessChange,
        key,
        &ctx.user.organization,
        before,
        json!(roles),
    )
    .await?;
    tx.commit().await?;
    list(ctx)
        .await?
        .into_iter()
        .find(|r| r.report == *key)
        .ok_or_else(|| AppError::NotFound("This report".into()))
}

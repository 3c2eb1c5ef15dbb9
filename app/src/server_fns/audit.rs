//! The audit log page's data: admins read everything, supervisors their organization.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{AuditFilters, AuditReportPage};
use types::report::ReportRequest;

/// One page of audit events matching the filters, with the actions to filter by.
#[server(endpoint = "audit/list", input = server_fn::codec::Json)]
pub async fn list_audit_events(
    request: ReportRequest<AuditFilters>,
) -> Result<AuditReportPage, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::audit_log::{self, AuditLog};
    use domain::report::Report;
    let ctx = guard::require(AuditAction::AuditList, AuditLog::ROLES).await?;
    audit_log::page(&ctx, &request).await
}

/// Which months are online and which archived, for the audit page's note.
#[server(endpoint = "audit/retention")]
pub async fn audit_retention() -> Result<crate::model::AuditRetention, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::audit_log::AuditLog;
    use domain::report::Report;
    let ctx = guard::require(AuditAction::AuditList, AuditLog::ROLES).await?;
    domain::audit_trail::retention_view::retention(&ctx).await
}

//! The audit log page's data: admins read everything, supervisors their organization.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{AuditPage, AuditQuery};

/// One page of audit events matching the filters.
#[server(endpoint = "audit/list")]
pub async fn list_audit_events(query: AuditQuery) -> Result<AuditPage, AppError> {
    use crate::guard;
    use crate::model::Role;
    use domain::audit_log;
    let ctx = guard::require("audit.list", &[Role::Admin, Role::Supervisor]).await?;
    let scope = audit_log::scope_for(&ctx.user)?;
    let filter = audit_log::parse_filter(&query, &scope)?;
    Ok(audit_log::list(&ctx.state.pool, &filter, query.page).await?)
}

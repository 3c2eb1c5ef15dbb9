//! Right to erasure (admins only; refusals audited): the dry run, its confirmation and the list
//! of erasures.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{ErasureFilters, ErasurePlan, ErasureRequest, ErasureRow};
use types::report::{Page, ReportRequest};

#[cfg(feature = "ssr")]
async fn admin(action: crate::model::AuditAction) -> Result<domain::access::Ctx, AppError> {
    crate::guard::require(action, domain::erasure::ROLES).await
}

/// Looks for the person in the organization's POM lists and OCM's tables; nothing is changed.
#[server(endpoint = "admin/erasure/dry-run", input = server_fn::codec::Json)]
pub async fn erasure_dry_run(request: ErasureRequest) -> Result<ErasurePlan, AppError> {
    let ctx = admin(crate::model::AuditAction::ErasureDryRun).await?;
    domain::erasure::plan::dry_run(&ctx, &request).await
}

/// Starts the erasure of a dry run; the job's id.
#[server(endpoint = "admin/erasure/start", input = server_fn::codec::Json)]
pub async fn start_erasure(erasure_id: i64, typed_count: String) -> Result<i64, AppError> {
    let ctx = admin(crate::model::AuditAction::ErasureStart).await?;
    domain::erasure::start::start(&ctx, erasure_id, &typed_count).await
}

/// The erasures matching the filters.
#[server(endpoint = "admin/erasures", input = server_fn::codec::Json)]
pub async fn list_erasures(
    request: ReportRequest<ErasureFilters>,
) -> Result<Page<ErasureRow>, AppError> {
    use domain::erasure::history::ErasureList;
    let ctx = admin(crate::model::AuditAction::ErasureList).await?;
    domain::report::page::<ErasureList>(&ctx, &request).await
}

/// The jobs of erasures not ended yet.
#[server(endpoint = "admin/erasures/unfinished")]
pub async fn unfinished_erasures() -> Result<Vec<crate::model::JobView>, AppError> {
    let ctx = admin(crate::model::AuditAction::ErasureList).await?;
    domain::erasure::history::unfinished(&ctx).await
}

//! DNC: upload targets, pre-flight of an uploaded file (the file itself arrives as a plain
//! multipart form post to `/dnc/upload`), confirmation, single-address check / add / remove, and
//! the DNC List report.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    DncActionResult, DncCheck, DncEntryRow, DncReportFilters, DncTargets, DncUploadRow,
    DncUploadView, PreflightOptions,
};
use types::report::{Page, ReportRequest};

/// The lists an upload may go to, and the size limit.
#[server(endpoint = "dnc/targets")]
pub async fn dnc_upload_targets() -> Result<DncTargets, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{dnc, lists};
    let ctx = guard::require(AuditAction::DncTargets, &lists::ROLES).await?;
    dnc::targets(&ctx.state, &ctx.user).await
}

/// The user's organization's recent uploads.
#[server(endpoint = "dnc/uploads")]
pub async fn dnc_uploads() -> Result<Vec<DncUploadRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{dnc, lists};
    let ctx = guard::require(AuditAction::DncUploads, &lists::ROLES).await?;
    dnc::upload::recent(&ctx.state, &ctx.user).await
}

/// One upload with its pre-flight (and, once sent, its job and result).
#[server(endpoint = "dnc/upload")]
pub async fn dnc_upload(upload_id: i64) -> Result<DncUploadView, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{dnc, lists};
    let ctx = guard::require(AuditAction::DncUpload, &lists::ROLES).await?;
    dnc::upload::view(&ctx.state, &ctx.user, upload_id).await
}

/// Runs the pre-flight again with another delimiter, sheet or column.
#[server(endpoint = "dnc/preflight", input = server_fn::codec::Json)]
pub async fn dnc_preflight(
    upload_id: i64,
    options: PreflightOptions,
) -> Result<DncUploadView, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{dnc, lists};
    let ctx = guard::require(AuditAction::DncPreflight, &lists::ROLES).await?;
    dnc::upload::reprocess(&ctx, upload_id, &options).await
}

/// Sends the valid, unique values of a pre-flighted upload to POM as a durable job.
#[server(endpoint = "dnc/confirm")]
pub async fn dnc_confirm(
    upload_id: i64,
    #[server(default)] off_on: String,
) -> Result<DncUploadView, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{dnc, lists};
    let ctx = guard::require(AuditAction::DncConfirm, &lists::ROLES).await?;
    let zone = &ctx.state.settings.call_data.time_zone;
    let expires_at = dnc::timed::expiry_on(&off_on, zone, "off_on")?;
    dnc::send::confirm(&ctx, upload_id, expires_at).await
}

/// `IsDNC` for one phone number or e-mail address, common and organization list.
#[server(endpoint = "dnc/check")]
pub async fn check_dnc(address: String) -> Result<DncCheck, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{dnc, lists};
    let ctx = guard::require(AuditAction::DncCheck, &lists::ROLES).await?;
    dnc::single::check(&ctx, &address).await
}

/// Adds one address to the organization's DNC list; with `off_on` (`YYYY-MM-DD`) it comes off
/// again at the start of that day (timed DNC).
#[server(endpoint = "dnc/add")]
pub async fn dnc_add(
    address: String,
    #[server(default)] off_on: String,
) -> Result<DncActionResult, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{dnc, lists};
    let ctx = guard::require(AuditAction::DncAdd, &lists::ROLES).await?;
    let zone = &ctx.state.settings.call_data.time_zone;
    let expires_at = dnc::timed::expiry_on(&off_on, zone, "off_on")?;
    dnc::single::change(&ctx, &address, dnc::single::Change::Add, expires_at).await
}

/// Removes one address from the organization's DNC list.
#[server(endpoint = "dnc/remove")]
pub async fn dnc_remove(address: String) -> Result<DncActionResult, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::{dnc, lists};
    let ctx = guard::require(AuditAction::DncRemove, &lists::ROLES).await?;
    dnc::single::change(&ctx, &address, dnc::single::Change::Remove, None).await
}

/// A page of the DNC List report, newest first.
#[server(endpoint = "dnc/report", input = server_fn::codec::Json)]
pub async fn dnc_report(
    request: ReportRequest<DncReportFilters>,
) -> Result<Page<DncEntryRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::dnc::report::DncReport;
    use domain::report::{self, Report};
    let ctx = guard::require(AuditAction::DncReport, DncReport::ROLES).await?;
    report::page::<DncReport>(&ctx, &request).await
}

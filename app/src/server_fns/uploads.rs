//! Manual contact uploads (admins): lists with their data sources, the attribute catalogue, an
//! upload's mapping and pre-flight, sending it, its history, and the data-source mapping. The
//! file itself arrives as a multipart form at `POST /uploads/file`.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    DataSourceInput, DataSourceRow, UploadChoices, UploadHistoryFilters, UploadHistoryRow,
    UploadTarget, UploadView,
};
use types::report::{Page, ReportRequest};

/// Contact lists (of one organization, or all) with the data sources bound to them.
#[server(endpoint = "uploads/targets")]
pub async fn upload_targets(organization: Option<String>) -> Result<Vec<UploadTarget>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::uploads;
    let ctx = guard::require(AuditAction::UploadsTargets, &uploads::ROLES).await?;
    uploads::sources::targets(&ctx, organization.as_deref()).await
}

/// POM's attribute catalogue (names), for the column mapping.
#[server(endpoint = "uploads/attributes")]
pub async fn upload_attributes() -> Result<Vec<String>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::uploads;
    let ctx = guard::require(AuditAction::UploadsAttributes, &uploads::ROLES).await?;
    uploads::check::attribute_names(&ctx).await
}

/// One upload.
#[server(endpoint = "uploads/get")]
pub async fn get_upload(upload_id: i64) -> Result<UploadView, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::uploads;
    let ctx = guard::require(AuditAction::UploadsGet, &uploads::ROLES).await?;
    uploads::view::load(&ctx, upload_id).await
}

/// Runs the pre-flight again with the user's mapping and choices (nothing is sent).
#[server(endpoint = "uploads/check", input = server_fn::codec::Json)]
pub async fn check_upload(upload_id: i64, choices: UploadChoices) -> Result<UploadView, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::uploads;
    let ctx = guard::require(AuditAction::UploadsCheck, &uploads::ROLES).await?;
    uploads::check::recheck(&ctx, upload_id, &choices).await
}

/// Sends the checked upload: the converted file goes to the SFTP drop and the data source is
/// scheduled to run once; the import is then followed. A `replace` data source empties the
/// list first, so it needs `confirm_replace`.
#[server(endpoint = "uploads/send")]
pub async fn send_upload(upload_id: i64, confirm_replace: bool) -> Result<UploadView, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::uploads;
    let ctx = guard::require(AuditAction::UploadsSend, &uploads::ROLES).await?;
    uploads::send::confirm(&ctx, upload_id, confirm_replace).await
}

/// Uploads, newest first, with filters.
#[server(endpoint = "uploads/history", input = server_fn::codec::Json)]
pub async fn upload_history(
    request: ReportRequest<UploadHistoryFilters>,
) -> Result<Page<UploadHistoryRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::report::{self, Report};
    use domain::uploads::history::UploadHistory;
    let ctx = guard::require(AuditAction::UploadsHistory, UploadHistory::ROLES).await?;
    report::page::<UploadHistory>(&ctx, &request).await
}

/// The data sources OCM maps lists to.
#[server(endpoint = "uploads/sources")]
pub async fn data_sources() -> Result<Vec<DataSourceRow>, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::uploads;
    let ctx = guard::require(AuditAction::UploadsSources, &uploads::ROLES).await?;
    uploads::sources::all(&ctx).await
}

/// Adds or changes a data source mapping.
#[server(endpoint = "uploads/sources/save", input = server_fn::codec::Json)]
pub async fn save_data_source(input: DataSourceInput) -> Result<DataSourceRow, AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::uploads;
    let ctx = guard::require(AuditAction::UploadsSourcesSave, &uploads::ROLES).await?;
    uploads::sources::save(&ctx, &input).await
}

/// Removes a data source mapping (uploads already made keep their record).
#[server(endpoint = "uploads/sources/delete")]
pub async fn delete_data_source(data_source_id: i64) -> Result<(), AppError> {
    use crate::guard;
    use crate::model::AuditAction;
    use domain::uploads;
    let ctx = guard::require(AuditAction::UploadsSourcesDelete, &uploads::ROLES).await?;
    uploads::sources::delete(&ctx, data_source_id).await
}

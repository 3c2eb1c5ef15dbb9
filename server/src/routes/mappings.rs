//! `GET /admin/mappings/{campaign-teams,agent-teams}.csv`: the mappings as the files an import
//! reads (admins; audited by `domain::mappings::import::export`).

use axum::extract::Path;
use domain::mappings::import::{self, Kind};
use types::model::AuditAction;

use super::ApiError;
use crate::edge::download::{Download, CSV};
use crate::edge::Caller;

pub async fn file(Path(file): Path<String>, caller: Caller) -> Result<Download, ApiError> {
    let kind = match file.as_str() {
        "campaign-teams.csv" => Kind::Campaigns,
        "agent-teams.csv" => Kind::Agents,
        _ => return Err(types::error::AppError::NotFound(file).into()),
    };
    let ctx = caller
        .require(AuditAction::MappingExport, domain::admin::ROLES)
        .await?;
    let bytes = import::export(&ctx, kind).await?;
    Ok(Download::new(bytes, CSV, &file))
}

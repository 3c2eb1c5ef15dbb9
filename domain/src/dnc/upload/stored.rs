//! Stored DNC uploads as read back: the row the backend works with, the upload page's view and
//! the latest uploads list (another organization's upload is "not found").

use time::format_description::well_known::Rfc3339;

use crate::dnc::checking::Summary;
use crate::error::AppError;
use crate::jobs::{may_see, store};
use crate::model::{CurrentUser, DncMode, DncUploadRow, DncUploadView, PreflightOptions, Role};
use crate::state::AppState;

/// A stored upload the user may see.
pub struct Stored {
    pub id: i64,
    pub organization: String,
    pub mode: DncMode,
    pub target_id: i64,
    pub target_name: String,
    pub file_name: String,
    pub file_sha256: String,
    pub state: String,
    pub options: PreflightOptions,
    pub job_id: Option<i64>,
}

pub async fn load(state: &AppState, user: &CurrentUser, id: i64) -> Result<Stored, AppError> {
    let row = sqlx::query!(
        "select organization, mode, target_id, target_name, file_name, file_sha256, state, options, job_id
         from dnc_upload where dnc_upload_id = $1",
        id
    )
    .fetch_optional(&state.pool)
    .await?
    .filter(|r| may_see(user, &r.organization))
    .ok_or_else(|| AppError::NotFound(format!("Upload {id}")))?;
    Ok(Stored {
        id,
        organization: row.organization,
        mode: DncMode::parse(&row.mode).unwrap_or_default(),
        target_id: row.target_id,
        target_name: row.target_name,
        file_name: row.file_name,
        file_sha256: row.file_sha256,
        state: row.state,
        options: serde_json::from_value(row.options).unwrap_or_default(),
        job_id: row.job_id,
    })
}

/// The upload page's data.
pub async fn view(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<DncUploadView, AppError> {
    load(state, user, id).await?;
    let row = sqlx::query!(
        r#"select u.organization, u.mode, u.target_name, u.file_name, u.file_sha256, u.file_bytes, u.state,
                  u.problem, u.preflight, u.job_id, u.created_by_name, u.created_at,
                  (select count(*) from dnc_entry e where e.dnc_upload_id = u.dnc_upload_id and e.state = 'confirmed') as "accepted!",
                  (select count(*) from dnc_entry e where e.dnc_upload_id = u.dnc_upload_id and e.state = 'failed') as "failed!"
           from dnc_upload u where u.dnc_upload_id = $1"#,
        id
    )
    .fetch_one(&state.pool)
    .await?;
    let s: Summary = row
        .preflight
        .and_then(|p| serde_json::from_value(p).ok())
        .unwrap_or_default();
    let job = match row.job_id {
        Some(job_id) => store::load(&state.pool, job_id).await?.map(|j| j.view()),
        None => None,
    };
    Ok(DncUploadView {
        upload_id: id,
        created_at: row.created_at.format(&Rfc3339).unwrap_or_default(),
        created_by: row.created_by_name,
        organization: row.organization,
        mode: DncMode::parse(&row.mode).unwrap_or_default(),
        target: row.target_name,
        file_name: row.file_name,
        file_sha256: row.file_sha256,
        file_bytes: row.file_bytes,
        state: row.state,
        problem: row.problem,
        format: s.format,
        sheets: s.sheets,
        sheet: s.sheet,
        delimiter: s.delimiter,
        columns: s.columns,
        column: s.column,
        rows: s.rows,
        valid: s.valid,
        duplicates: s.duplicates,
        empty: s.empty,
        invalid: s.invalid,
        warnings: s.warnings,
        phone_rules: state.settings.phone.describe(),
        sample: s.sample,
        job,
        accepted: row.accepted,
        failed: row.failed,
    })
}

/// The organization's latest uploads (admins: every organization's).
pub async fn recent(state: &AppState, user: &CurrentUser) -> Result<Vec<DncUploadRow>, AppError> {
    let organization = (user.role != Role::Admin).then(|| user.organization.clone());
    let rows = sqlx::query!(
        r#"select u.dnc_upload_id, u.created_at, u.created_by_name, u.mode, u.target_name, u.file_name, u.state,
                  coalesce((u.preflight->>'valid')::bigint, 0) as "valid!",
                  (select count(*) from dnc_entry e where e.dnc_upload_id = u.dnc_upload_id and e.state = 'confirmed') as "accepted!",
                  (select count(*) from dnc_entry e where e.dnc_upload_id = u.dnc_upload_id and e.state = 'failed') as "failed!"
           from dnc_upload u where ($1::text is null or u.organization = $1)
           order by u.dnc_upload_id desc limit 20"#,
        organization
    )
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| DncUploadRow {
            upload_id: r.dnc_upload_id,
            created_at: r.created_at.format(&Rfc3339).unwrap_or_default(),
            created_by: r.created_by_name,
            mode: DncMode::parse(&r.mode).unwrap_or_default(),
            target: r.target_name,
            file_name: r.file_name,
            state: r.state,
            valid: r.valid.max(0) as u64,
            accepted: r.accepted,
            failed: r.failed,
        })
        .collect())
}

//! Reading a stored upload: the row the backend works with (another organization's upload is
//! "not found") and the page's view of it, with the live job when one runs.

use crate::access::Ctx;
use crate::dates::rfc3339;
use crate::error::AppError;
use crate::jobs::{may_see, store};
use crate::model::{ImportCounters, UploadChoices, UploadView};

/// What the backend needs of an upload.
pub struct Stored {
    pub id: i64,
    pub organization: String,
    pub list_id: i64,
    pub list_name: String,
    pub data_source: String,
    pub file_name: String,
    pub state: String,
    pub options: UploadChoices,
}

/// The upload, if the user may see it.
pub async fn stored(ctx: &Ctx, upload_id: i64) -> Result<Stored, AppError> {
    let row = sqlx::query!(
        r#"select organization, list_id, list_name, data_source, file_name, state, options
           from contact_upload where contact_upload_id = $1"#,
        upload_id
    )
    .fetch_optional(&ctx.state.pool)
    .await?
    .filter(|r| may_see(&ctx.user, &r.organization))
    .ok_or_else(|| AppError::NotFound(format!("Upload {upload_id}")))?;
    Ok(Stored {
        id: upload_id,
        organization: row.organization,
        list_id: row.list_id,
        list_name: row.list_name,
        data_source: row.data_source,
        file_name: row.file_name,
        state: row.state,
        options: serde_json::from_value(row.options).unwrap_or_default(),
    })
}

/// The uploaded file itself (none once erased); read only where it is needed.
pub async fn original(pool: &sqlx::PgPool, upload_id: i64) -> Result<Option<Vec<u8>>, AppError> {
    Ok(sqlx::query_scalar!(
        "select original from contact_upload where contact_upload_id = $1",
        upload_id
    )
    .fetch_one(pool)
    .await?)
}

/// The upload page's data.
pub async fn load(ctx: &Ctx, upload_id: i64) -> Result<UploadView, AppError> {
    let pool = &ctx.state.pool;
    let r = sqlx::query!(
        r#"select organization, list_id, list_name, data_source, data_source_kind, remote_path,
                  file_name, file_sha256, file_bytes, state, problem, options, preflight,
                  rows_read, rows_sent, rows_rejected, scheduled_for, time_zone, import_job_id,
                  pom_state, pom_counters, missing_count, job_id, created_by_name, created_at,
                  sent_at, finished_at, files_expire_at, files_erased_at is null as "files_available!"
           from contact_upload where contact_upload_id = $1"#,
        upload_id
    )
    .fetch_optional(pool)
    .await?
    .filter(|r| may_see(&ctx.user, &r.organization))
    .ok_or_else(|| AppError::NotFound(format!("Upload {upload_id}")))?;
    let job = match r.job_id {
        Some(job_id) => store::load(pool, job_id).await?.map(|j| j.view()),
        None => None,
    };
    Ok(UploadView {
        upload_id,
        organization: r.organization,
        list_id: r.list_id,
        list_name: r.list_name,
        data_source: r.data_source,
        data_source_kind: r.data_source_kind,
        remote_path: r.remote_path,
        file_name: r.file_name,
        file_sha256: r.file_sha256,
        file_bytes: r.file_bytes,
        state: r.state,
        problem: r.problem,
        choices: serde_json::from_value(r.options).unwrap_or_default(),
        preflight: r.preflight.and_then(|p| serde_json::from_value(p).ok()),
        rows_read: r.rows_read,
        rows_sent: r.rows_sent,
        rows_rejected: r.rows_rejected,
        scheduled_for: r.scheduled_for,
        time_zone: r.time_zone,
        import_job_id: r.import_job_id,
        pom_state: r.pom_state,
        pom_counters: r
            .pom_counters
            .and_then(|c| serde_json::from_value::<ImportCounters>(c).ok()),
        missing_count: r.missing_count,
        job,
        created_by: r.created_by_name,
        created_at: rfc3339(r.created_at),
        sent_at: r.sent_at.map(rfc3339),
        finished_at: r.finished_at.map(rfc3339),
        files_available: r.files_available,
        files_expire_at: rfc3339(r.files_expire_at),
        start_delay_seconds: ctx.state.settings.uploads.start_delay.as_secs(),
    })
}

/// The converted file as a person downloads it: the file POM imports is raw by design, so it is
/// read with its data source's delimiter and written back as OCM's safe CSV.
pub async fn converted_for_people(
    pool: &sqlx::PgPool,
    upload_id: i64,
) -> Result<Option<Vec<u8>>, AppError> {
    let row = sqlx::query!(
        r#"select u.converted, coalesce(d.delimiter, ',') as "delimiter!"
           from contact_upload u left join data_source d on d.name = u.data_source
           where u.contact_upload_id = $1"#,
        upload_id
    )
    .fetch_one(pool)
    .await?;
    let delimiter = row.delimiter.bytes().next().unwrap_or(b',');
    row.converted
        .map(|bytes| {
            crate::export::for_people(&bytes, delimiter).map_err(|e| crate::error::internal(&e))
        })
        .transpose()
}

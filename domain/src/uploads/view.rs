//! Reading a stored upload: the row the backend works with (another organization's upload is
//! "not found"), the page's view of it with the live job when one runs, and its files as a
//! person downloads them (audited: who took them is part of the trail).

use serde_json::json;

use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::dates::rfc3339;
use crate::error::AppError;
use crate::jobs::{may_see, store};
use crate::model::{
    AuditAction, ImportCounters, UploadChoices, UploadPart, UploadState, UploadView,
};

/// What the backend needs of an upload.
pub struct Stored {
    pub id: i64,
    pub organization: String,
    pub list_id: i64,
    pub list_name: String,
    pub data_source: String,
    pub file_name: String,
    pub state: UploadState,
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
        state: row.state.into(),
        options: serde_json::from_value(row.options).unwrap_or_default(),
    })
}

/// One of an upload's files as a person downloads it.
pub struct UploadFile {
    pub bytes: Vec<u8>,
    pub name: String,
    /// OCM's safe CSV (else the original file as it came).
    pub csv: bool,
}

/// An upload's file (`original`, `converted.csv`, `rejects.csv`, `missing.csv`) if the user may
/// see the upload and the file is still kept; the download is audited.
pub async fn download(ctx: &Ctx, upload_id: i64, file: &str) -> Result<UploadFile, AppError> {
    let stored = stored(ctx, upload_id).await?;
    // Only the file asked for is read (they can be large).
    let pool = &ctx.state.pool;
    let (bytes, csv, name) = match file {
        "original" => (original(pool, upload_id).await?, false, stored.file_name),
        // POM imports the converted file raw; a person gets it with formula-like cells made safe.
        "converted.csv" => (
            converted_for_people(pool, upload_id).await?,
            true,
            format!("upload-{upload_id}-converted.csv"),
        ),
        "rejects.csv" => (
            rejects_for_people(pool, upload_id).await?,
            true,
            format!("upload-{upload_id}-rejects.csv"),
        ),
        "missing.csv" => (
            missing_for_people(pool, upload_id).await?,
            true,
            format!("upload-{upload_id}-not-in-list.csv"),
        ),
        _ => return Err(AppError::NotFound(format!("File {file}"))),
    };
    let bytes = bytes.ok_or_else(|| {
        AppError::NotFound(format!(
            "{file} of upload {upload_id} (erased after the retention period, or not made)"
        ))
    })?;
    let event = AuditEvent::new(AuditAction::UploadDownload, Outcome::Success)
        .with_organization(stored.organization)
        .with_target(stored.list_name)
        .with_parameters(json!({ "upload_id": upload_id, "file": file }));
    audit::record(pool, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    Ok(UploadFile { bytes, name, csv })
}

/// Audits a file the upload form refused for its size (`declared`: the request's length, when
/// that was why; none when it grew past the limit while streaming).
pub async fn refused_for_size(ctx: &Ctx, declared: Option<u64>) -> Result<(), AppError> {
    let limit = ctx.state.settings.uploads.max_file_bytes;
    let event = AuditEvent::new(AuditAction::UploadReceived, Outcome::Failure).with_parameters(
        json!({ "problem": "file too large", "limit_bytes": limit, "declared_bytes": declared }),
    );
    audit::record(&ctx.state.pool, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    Ok(())
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
                  rows_read, rows_sent, rows_rejected, scheduled_for, scheduled_at, time_zone, import_job_id,
                  pom_state, pom_counters, missing_count, job_id, created_by_name, created_at,
                  sent_at, finished_at, files_expire_at, files_erased_at is null as "files_available!",
                  part, coalesce(array_length(part_ends, 1), 1) as "part_count!"
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
        state: r.state.into(),
        problem: r.problem,
        choices: serde_json::from_value(r.options).unwrap_or_default(),
        preflight: r.preflight.and_then(|p| serde_json::from_value(p).ok()),
        rows_read: r.rows_read,
        rows_sent: r.rows_sent,
        rows_rejected: r.rows_rejected,
        scheduled_for: r.scheduled_for,
        time_zone: r.time_zone,
        scheduled_at: r.scheduled_at.map(rfc3339),
        starts_in_seconds: r
            .scheduled_at
            .map(|at| (at - time::OffsetDateTime::now_utc()).whole_seconds()),
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
        part: (r.part_count > 1).then_some(UploadPart {
            number: r.part,
            count: r.part_count,
        }),
    })
}

/// The converted file as a person downloads it: the file POM imports is raw by design, so it is
/// read with its data source's delimiter and written back as OCM's safe CSV.
async fn converted_for_people(
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

/// The rows the pre-flight rejected (none once erased). Files stored before every cell was
/// quoted are made safe on the way out (a second pass changes nothing in newer ones).
async fn rejects_for_people(
    pool: &sqlx::PgPool,
    upload_id: i64,
) -> Result<Option<Vec<u8>>, AppError> {
    let bytes = sqlx::query_scalar!(
        "select rejects_csv from contact_upload where contact_upload_id = $1",
        upload_id
    )
    .fetch_one(pool)
    .await?;
    safe_csv(bytes)
}

/// The list's contacts the file did not hold (none once erased, or when not asked for), made
/// safe on the way out like the reject file.
async fn missing_for_people(
    pool: &sqlx::PgPool,
    upload_id: i64,
) -> Result<Option<Vec<u8>>, AppError> {
    let bytes = sqlx::query_scalar!(
        "select missing_csv from contact_upload where contact_upload_id = $1",
        upload_id
    )
    .fetch_one(pool)
    .await?;
    safe_csv(bytes)
}

fn safe_csv(bytes: Option<Vec<u8>>) -> Result<Option<Vec<u8>>, AppError> {
    bytes
        .map(|bytes| {
            crate::export::for_people(&bytes, b',').map_err(|e| crate::error::internal(&e))
        })
        .transpose()
}

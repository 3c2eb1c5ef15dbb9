//! Receiving an upload: the list and its data source are checked, the file is hashed and
//! pre-flighted with the list's saved template (or automatic mapping), and stored with the
//! result, or as refused with the reason. Nothing goes to POM here. Also the templates.

use std::sync::Arc;

use serde_json::json;
use sha2::{Digest, Sha256};

use super::check;
use super::summary::{settled, summary};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::lists;
use crate::model::{AuditAction, UploadChoices, UploadState};

/// A file as the upload form sent it.
pub struct Received {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub list_id: i64,
    pub data_source: String,
}

/// The list's saved mapping as choices (automatic mapping and POM's date format without one).
pub async fn template_choices(
    pool: &sqlx::PgPool,
    organization: &str,
    list_name: &str,
) -> Result<UploadChoices, AppError> {
    let saved = sqlx::query!(
        "select mapping, date_format from upload_template where organization = $1 and list_name = $2",
        organization,
        list_name
    )
    .fetch_optional(pool)
    .await?;
    Ok(match saved {
        Some(t) => UploadChoices {
            mapping: serde_json::from_value(t.mapping).unwrap_or_default(),
            date_format: t.date_format,
            ..UploadChoices::default()
        },
        None => UploadChoices {
            date_format: "ymd".into(),
            ..UploadChoices::default()
        },
    })
}

/// Keeps the mapping as the list's template.
pub async fn save_template(
    pool: &sqlx::PgPool,
    organization: &str,
    list_name: &str,
    choices: &UploadChoices,
    username: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"insert into upload_template (organization, list_name, mapping, date_format, updated_by)
           values ($1, $2, $3, $4, $5)
           on conflict (organization, list_name) do update set mapping = excluded.mapping,
               date_format = excluded.date_format, updated_by = excluded.updated_by, updated_at = now()"#,
        organization,
        list_name,
        json!(choices.mapping),
        choices.date_format,
        username,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Stores a received file with its pre-flight (or refusal); returns the upload id. Audited.
pub async fn receive(ctx: &Ctx, received: Received) -> Result<i64, AppError> {
    let state = &ctx.state;
    let list = lists::list_for(state, &ctx.user, received.list_id).await?;
    let source = super::sources::by_name(ctx, &received.data_source)
        .await
        .ok()
        .filter(|s| s.organization == list.organization && s.list_name == list.name)
        .ok_or_else(|| {
            AppError::validation(
                "data_source",
                format!("Choose one of the data sources mapped to {}.", list.name),
            )
        })?;
    if received.bytes.len() as u64 > state.settings.uploads.max_file_bytes {
        return Err(AppError::validation(
            "file",
            "The file is larger than the upload limit.",
        ));
    }
    let sha256 = format!("{:x}", Sha256::digest(&received.bytes));
    let size = received.bytes.len() as i64;
    let choices = template_choices(&state.pool, &list.organization, &list.name).await?;
    let bytes = Arc::new(received.bytes);
    let checked = check::run(
        state,
        &list.organization,
        &received.file_name,
        bytes.clone(),
        &choices,
        &source,
    )
    .await?;
    let (state_name, problem, options, preflight, rejects, counts) = match &checked {
        Ok(c) => (
            UploadState::Preflight.as_str(),
            None,
            json!(settled(&choices, &c.preflight)),
            Some(json!(summary(c))),
            Some((
                c.preflight.rejects_csv.clone(),
                c.preflight.not_listed_rows.clone(),
            )),
            Some((
                c.preflight.rows as i64,
                c.preflight.valid as i64,
                c.preflight.rejected as i64,
            )),
        ),
        Err(error) => (
            UploadState::Refused.as_str(),
            Some(error.to_string()),
            json!(choices),
            None,
            None,
            None,
        ),
    };
    // The bytes are shared no more once the pre-flight is done: kept without a copy.
    let original = checked
        .is_ok()
        .then(|| Arc::try_unwrap(bytes).unwrap_or_else(|shared| shared.to_vec()));
    let retention = state.settings.uploads.retention.as_secs_f64();
    let mut tx = state.pool.begin().await?;
    let id = sqlx::query_scalar!(
        r#"insert into contact_upload (organization, list_id, list_name, data_source, data_source_kind,
               remote_path, file_name, file_sha256, file_bytes, state, problem, options, preflight,
               rows_read, rows_sent, rows_rejected, original, rejects_csv, not_listed_rows,
               created_by, created_by_name, files_expire_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                   $19, $20, $21, now() + make_interval(secs => $22))
           returning contact_upload_id"#,
        list.organization, list.list_id, list.name, source.name, source.kind, source.remote_path,
        received.file_name, sha256, size, state_name, problem, options, preflight,
        counts.map(|c| c.0), counts.map(|c| c.1), counts.map(|c| c.2), original,
        rejects.as_ref().map(|r| &r.0), rejects.as_ref().map(|r| &r.1),
        ctx.user.user_id, ctx.user.username, retention,
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut event = AuditEvent::new(
        AuditAction::UploadReceived,
        if checked.is_ok() {
            Outcome::Success
        } else {
            Outcome::Failure
        },
    )
    .with_organization(list.organization.clone())
    .with_target(list.name.clone())
    .with_parameters(
        json!({ "upload_id": id, "data_source": source.name, "file": received.file_name,
                                  "sha256": sha256, "bytes": size, "problem": problem }),
    );
    if let Some((rows, valid, rejected)) = counts {
        event = event.with_counts(json!({ "rows": rows, "valid": valid, "rejected": rejected }));
    }
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    tx.commit().await?;
    Ok(id)
}

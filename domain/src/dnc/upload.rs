//! DNC uploads: a received file is hashed, checked (`parse::preflight`, off the async threads)
//! and stored with its pre-flight, or stored as refused with the reason; nothing goes to POM here.
//! The pre-flight can be run again with another delimiter, sheet or column until it is sent.

use serde_json::json;
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;

use super::checking::{run_preflight, summary, Summary};
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::jobs::{may_see, store};
use crate::model::{CurrentUser, DncMode, DncUploadRow, DncUploadView, PreflightOptions, Role};
use crate::request_meta::RequestMeta;
use crate::state::AppState;

/// A file as the upload form sent it.
pub struct Received {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub mode: DncMode,
    pub contact_list_id: Option<i64>,
    pub dnc_list_id: Option<i64>,
}

/// Where the upload goes: (id, name, the organization it belongs to). An upload is filed under
/// its target's organization, so an admin's upload for another organization is that
/// organization's (its supervisors see it; others cannot confirm it).
async fn target(
    state: &AppState,
    user: &CurrentUser,
    received: &Received,
) -> Result<(i64, String, String), AppError> {
    match received.mode {
        DncMode::Uncallable => {
            let id = received.contact_list_id.ok_or_else(|| {
                AppError::validation("contact_list_id", "Choose the contact list.")
            })?;
            let list = crate::lists::list_for(state, user, id).await?;
            Ok((list.list_id, list.name, list.organization))
        }
        DncMode::DncList => {
            let (all, own) = super::dnc_lists(state, &user.organization).await?;
            let chosen = match received.dnc_list_id {
                Some(id) if user.role == Role::Admin => all.into_iter().find(|l| l.id == id),
                Some(id) => own.filter(|l| l.id == id),
                None => own,
            };
            let organization = match &chosen {
                Some(list) if user.role == Role::Admin => owner_of(state, list)
                    .await?
                    .unwrap_or_else(|| user.organization.clone()),
                _ => user.organization.clone(),
            };
            chosen.map(|l| (l.id, l.name, organization)).ok_or_else(|| {
                AppError::validation(
                    "dnc_list_id",
                    format!(
                        "No POM DNC list matches the organization {}; an admin must choose one.",
                        user.organization
                    ),
                )
            })
        }
    }
}

/// The organization that owns `list` under the matching rule, if any.
async fn owner_of(
    state: &AppState,
    list: &pom::client::rest::DncList,
) -> Result<Option<String>, AppError> {
    let organizations = crate::lists::all_organizations(state).await?;
    let rule = &state.settings.dnc.list_match;
    match super::ownership::owner(&list.name, rule, &organizations) {
        super::ownership::Owner::One(owner) => Ok(Some(owner.to_string())),
        super::ownership::Owner::Nobody => Ok(None),
        super::ownership::Owner::Disputed(_) => Err(AppError::validation(
            "dnc_list_id",
            super::ownership::disputed(&list.name, rule),
        )),
    }
}

/// Stores a received file with its pre-flight (or refusal); returns the upload id. Audited.
pub async fn receive(
    state: &AppState,
    user: &CurrentUser,
    meta: &RequestMeta,
    received: Received,
) -> Result<i64, AppError> {
    let (target_id, target_name, organization) = target(state, user, &received).await?;
    let sha256 = format!("{:x}", Sha256::digest(&received.bytes));
    let size = received.bytes.len() as i64;
    let options = PreflightOptions::default();
    let (checked, bytes) = run_preflight(
        state,
        received.file_name.clone(),
        received.bytes,
        received.mode,
        &options,
        false,
    )
    .await?;
    let (state_name, problem, preflight, rejects) = match &checked {
        Ok(p) => (
            "preflight",
            None,
            Some(json!(summary(p))),
            Some(p.rejects_csv.clone()),
        ),
        Err(error) => ("refused", Some(error.to_string()), None, None),
    };
    let content = checked.is_ok().then_some(bytes);
    let mut tx = state.pool.begin().await?;
    let id = sqlx::query_scalar!(
        r#"insert into dnc_upload (organization, mode, target_id, target_name, file_name, file_sha256,
               file_bytes, content, state, problem, options, preflight, rejects_csv, created_by, created_by_name)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning dnc_upload_id"#,
        organization, received.mode.as_str(), target_id, target_name, received.file_name, sha256,
        size, content, state_name, problem, json!(options), preflight, rejects, user.user_id, user.username,
    )
    .fetch_one(&mut *tx)
    .await?;
    let counts = checked.as_ref().ok().map(|p| json!({ "rows": p.rows, "valid": p.valid.len(), "duplicates": p.duplicates, "empty": p.empty, "invalid": p.invalid.iter().map(|(_, n)| n).sum::<u64>() }));
    let mut event = AuditEvent::new("dnc.upload", if checked.is_ok() { Outcome::Success } else { Outcome::Failure })
        .with_organization(organization.clone())
        .with_target(target_name)
        .with_parameters(json!({ "upload_id": id, "mode": received.mode.as_str(), "file": received.file_name, "sha256": sha256, "bytes": size, "problem": problem }));
    if let Some(counts) = counts {
        event = event.with_counts(counts);
    }
    audit::record(&mut *tx, &Actor::user(user), meta, event).await?;
    tx.commit().await?;
    Ok(id)
}

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

/// Runs the pre-flight again with other choices (only before sending).
pub async fn reprocess(
    ctx: &Ctx,
    id: i64,
    options: &PreflightOptions,
) -> Result<DncUploadView, AppError> {
    let stored = load(&ctx.state, &ctx.user, id).await?;
    if stored.state != "preflight" {
        return Err(AppError::validation(
            "upload",
            "This upload was already sent (or refused); upload the file again to change it.",
        ));
    }
    let content = sqlx::query_scalar!(
        "select content from dnc_upload where dnc_upload_id = $1",
        id
    )
    .fetch_one(&ctx.state.pool)
    .await?
    .ok_or_else(|| {
        AppError::validation("upload", "The file is no longer kept; upload it again.")
    })?;
    let (checked, _) = run_preflight(
        &ctx.state,
        stored.file_name,
        content,
        stored.mode,
        options,
        false,
    )
    .await?;
    let preflight = checked.map_err(|e| AppError::validation("options", e.to_string()))?;
    sqlx::query!(
        "update dnc_upload set options = $2, preflight = $3, rejects_csv = $4 where dnc_upload_id = $1 and state = 'preflight'",
        id, json!(options), json!(summary(&preflight)), preflight.rejects_csv
    )
    .execute(&ctx.state.pool)
    .await?;
    let event = AuditEvent::new("dnc.preflight", Outcome::Success)
        .with_organization(stored.organization)
        .with_target(stored.target_name)
        .with_parameters(json!({ "upload_id": id, "options": options }))
        .with_counts(json!({ "rows": preflight.rows, "valid": preflight.valid.len() }));
    audit::record(&ctx.state.pool, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    view(&ctx.state, &ctx.user, id).await
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

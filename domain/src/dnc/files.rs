//! An upload's files as a person downloads them: its reject file and POM's refusals after
//! sending, both as OCM's safe CSV. They hold raw addresses, so [`download`] audits who took them.

use serde_json::json;

use super::upload::load;
use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::{internal, AppError};
use crate::export::{for_people, write_record, UTF8_BOM};
use crate::model::AuditAction;

/// `rejects.csv` or `failures.csv` of an upload the user may see, with its download name; the
/// download is audited.
pub async fn download(ctx: &Ctx, id: i64, file: &str) -> Result<(Vec<u8>, String), AppError> {
    let stored = load(&ctx.state, &ctx.user, id).await?;
    let name = match file {
        "rejects.csv" => format!("rejects-{}.csv", stored.id),
        "failures.csv" => format!("failures-{}.csv", stored.id),
        _ => return Err(AppError::NotFound("This file".into())),
    };
    let event = AuditEvent::new(AuditAction::DncDownload, Outcome::Success)
        .with_organization(stored.organization)
        .with_target(stored.file_name)
        .with_parameters(json!({ "upload_id": id, "file": file }));
    audit::record(&ctx.state.pool, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    let pool = &ctx.state.pool;
    let bytes = match file {
        "rejects.csv" => rejects_csv(pool, id).await?,
        _ => failures_csv(pool, id).await?,
    };
    Ok((bytes, name))
}

/// The rows the pre-flight rejected (empty when there were none). Files stored before every
/// cell was quoted are made safe on the way out.
async fn rejects_csv(pool: &sqlx::PgPool, id: i64) -> Result<Vec<u8>, AppError> {
    let bytes = sqlx::query_scalar!(
        "select rejects_csv from dnc_upload where dnc_upload_id = $1",
        id
    )
    .fetch_one(pool)
    .await?
    .unwrap_or_default();
    for_people(&bytes, b',').map_err(|e| internal(&e))
}

/// The addresses POM refused after sending, with its reason (`value`, `reason`).
async fn failures_csv(pool: &sqlx::PgPool, id: i64) -> Result<Vec<u8>, AppError> {
    let failures = sqlx::query!(
        r#"select address, outcome as "outcome!" from dnc_entry
                   where dnc_upload_id = $1 and state = 'failed' order by dnc_entry_id"#,
        id
    )
    .fetch_all(pool)
    .await?;
    let mut buffer = UTF8_BOM.as_bytes().to_vec();
    write_record(&mut buffer, ["value", "reason"]).map_err(|e| internal(&e))?;
    for failure in failures {
        write_record(&mut buffer, [failure.address, failure.outcome]).map_err(|e| internal(&e))?;
    }
    Ok(buffer)
}

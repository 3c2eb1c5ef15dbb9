//! The list → data source → SFTP path → type mapping (admin-editable; seed 001 kept it in
//! `payload.json`): reading, checking and saving it, the lists an upload can go to with their
//! data sources, and the demo mapping for the simulator's data sources.

use serde_json::json;

use crate::access::Ctx;
use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::dates::rfc3339;
use crate::error::AppError;
use crate::lists;
use crate::model::{AuditAction, DataSourceInput, DataSourceRow, UploadTarget};
use crate::organizations;

struct Stored {
    data_source_id: i64,
    name: String,
    organization: String,
    list_name: String,
    kind: String,
    remote_path: String,
    delimiter: String,
    header_row: bool,
    columns: Vec<String>,
    updated_by: String,
    updated_at: time::OffsetDateTime,
}

fn row(s: Stored) -> DataSourceRow {
    DataSourceRow {
        data_source_id: s.data_source_id,
        name: s.name,
        organization: s.organization,
        list_name: s.list_name,
        kind: s.kind,
        remote_path: s.remote_path,
        delimiter: s.delimiter,
        header_row: s.header_row,
        columns: s.columns,
        updated_by: s.updated_by,
        updated_at: rfc3339(s.updated_at),
    }
}

/// Every data source the user's organizations have, by organization, list and name.
pub async fn all(ctx: &Ctx) -> Result<Vec<DataSourceRow>, AppError> {
    let organizations = organizations::for_user(&ctx.state.pool, &ctx.user).await?;
    let rows = sqlx::query_as!(
        Stored,
        r#"select data_source_id, name, organization, list_name, kind, remote_path, delimiter,
                  header_row, columns, updated_by, updated_at
           from data_source where organization = any($1)
           order by organization, list_name, name"#,
        &organizations,
    )
    .fetch_all(&ctx.state.pool)
    .await?;
    Ok(rows.into_iter().map(row).collect())
}

/// One data source by name, if the user's organizations have it.
pub async fn by_name(ctx: &Ctx, name: &str) -> Result<DataSourceRow, AppError> {
    all(ctx)
        .await?
        .into_iter()
        .find(|s| s.name == name)
        .ok_or_else(|| AppError::NotFound(format!("Data source {name}")))
}

/// The contact lists of one organization (or all the user sees) with their data sources.
pub async fn targets(ctx: &Ctx, organization: Option<&str>) -> Result<Vec<UploadTarget>, AppError> {
    let sources = all(ctx).await?;
    let lists = lists::visible_lists(&ctx.state, &ctx.user, false).await?;
    Ok(lists
        .into_iter()
        .filter(|l| organization.is_none_or(|o| o == l.organization))
        .map(|l| UploadTarget {
            sources: sources
                .iter()
                .filter(|s| s.organization == l.organization && s.list_name == l.name)
                .cloned()
                .collect(),
            list_id: l.list_id,
            list_name: l.name,
            organization: l.organization,
            total_contacts: l.total,
        })
        .collect())
}

/// The input checked: every problem names its field.
fn checked(input: &DataSourceInput) -> Result<(String, Vec<String>), AppError> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(AppError::validation("name", "Give POM's data source name."));
    }
    if input.list_name.trim().is_empty() {
        return Err(AppError::validation(
            "list_name",
            "Choose the contact list it feeds.",
        ));
    }
    if !matches!(input.kind.as_str(), "append" | "replace") {
        return Err(AppError::validation("kind", "Choose append or replace."));
    }
    let path = input.remote_path.trim();
    let file = path.rsplit('/').next().unwrap_or_default().to_lowercase();
    let unsafe_text =
        path.contains("..") || path.contains('\\') || path.chars().any(char::is_control);
    if !path.starts_with('/')
        || unsafe_text
        || !(file.ends_with(".csv") || file.ends_with(".txt"))
        || file.len() < 5
    {
        return Err(AppError::validation(
            "remote_path",
            "Give the file's full path on the SFTP drop, ending in .csv or .txt, e.g. /ocm/Sales_Leads.csv.",
        ));
    }
    let delimiter = match input.delimiter.as_str() {
        "tab" | "\t" => "\t".to_string(),
        d @ ("," | ";" | "|") => d.to_string(),
        _ => return Err(AppError::validation("delimiter", "Use , ; | or tab.")),
    };
    let columns: Vec<String> = input
        .columns
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    if !input.header_row && columns.is_empty() {
        return Err(AppError::validation(
            "columns",
            "Without a header row, list the data source's columns (attributes in order).",
        ));
    }
    Ok((delimiter, columns))
}

/// Adds or changes a mapping (admins; the list must be one of the organization's).
pub async fn save(ctx: &Ctx, input: &DataSourceInput) -> Result<DataSourceRow, AppError> {
    let (delimiter, columns) = checked(input)?;
    let organization = input.organization.trim();
    let known = lists::visible_lists(&ctx.state, &ctx.user, false)
        .await?
        .into_iter()
        .any(|l| l.organization == organization && l.name == input.list_name.trim());
    if !known {
        return Err(AppError::validation(
            "list_name",
            format!(
                "{organization} has no contact list {} in POM.",
                input.list_name.trim()
            ),
        ));
    }
    if let Some(id) = input.data_source_id {
        // Only a mapping of the user's organizations can be changed.
        if !all(ctx).await?.iter().any(|s| s.data_source_id == id) {
            return Err(AppError::NotFound(format!("Data source {id}")));
        }
    }
    let name = input.name.trim();
    let mut tx = ctx.state.pool.begin().await?;
    let event = AuditEvent::new(AuditAction::UploadSourceSaved, Outcome::Success)
        .with_organization(organization)
        .with_target(name)
        .with_parameters(
            json!({ "data_source_id": input.data_source_id, "list": input.list_name.trim(),
            "kind": input.kind, "remote_path": input.remote_path.trim(), "columns": columns }),
        );
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    let saved = sqlx::query_as!(
        Stored,
        r#"with updated as (
               update data_source set name = $2, organization = $3, list_name = $4, kind = $5,
                   remote_path = $6, delimiter = $7, header_row = $8, columns = $9,
                   updated_by = $10, updated_at = now()
               where data_source_id = $1
               returning data_source_id, name, organization, list_name, kind, remote_path,
                         delimiter, header_row, columns, updated_by, updated_at),
           inserted as (
               insert into data_source (name, organization, list_name, kind, remote_path,
                                        delimiter, header_row, columns, updated_by)
               select $2, $3, $4, $5, $6, $7, $8, $9, $10 where $1::bigint is null
               returning data_source_id, name, organization, list_name, kind, remote_path,
                         delimiter, header_row, columns, updated_by, updated_at)
           select data_source_id as "data_source_id!", name as "name!",
                  organization as "organization!", list_name as "list_name!", kind as "kind!",
                  remote_path as "remote_path!", delimiter as "delimiter!",
                  header_row as "header_row!", columns as "columns!",
                  updated_by as "updated_by!", updated_at as "updated_at!"
           from updated union all select * from inserted"#,
        input.data_source_id,
        name,
        organization,
        input.list_name.trim(),
        input.kind,
        input.remote_path.trim(),
        delimiter,
        input.header_row,
        &columns,
        ctx.user.username,
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(d) if d.constraint() == Some("data_source_name_key") => {
            AppError::validation(
                "name",
                "Another mapping already uses this data source name.",
            )
        }
        other => other.into(),
    })?;
    tx.commit().await?;
    Ok(row(saved))
}

/// Removes a mapping of the user's organizations (audited first).
pub async fn delete(ctx: &Ctx, data_source_id: i64) -> Result<(), AppError> {
    let source = all(ctx)
        .await?
        .into_iter()
        .find(|s| s.data_source_id == data_source_id)
        .ok_or_else(|| AppError::NotFound(format!("Data source {data_source_id}")))?;
    let mut tx = ctx.state.pool.begin().await?;
    let event = AuditEvent::new(AuditAction::UploadSourceDeleted, Outcome::Success)
        .with_organization(source.organization.as_str())
        .with_target(source.name)
        .with_parameters(
            json!({ "data_source_id": data_source_id, "list": source.list_name,
            "remote_path": source.remote_path }),
        );
    audit::record(&mut *tx, &Actor::user(&ctx.user), &ctx.meta, event).await?;
    sqlx::query!(
        "delete from data_source where data_source_id = $1",
        data_source_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A data source the simulator has, for demo mode's mapping.
pub struct DemoSource {
    pub name: String,
    pub organization: String,
    pub list_name: String,
    pub kind: String,
    /// Relative to the drop; the SFTP user sees it under `/`.
    pub file_path: String,
}

/// Maps the simulator's data sources (demo mode); mappings an admin changed are kept.
pub async fn seed_demo(pool: &sqlx::PgPool, sources: &[DemoSource]) -> Result<(), sqlx::Error> {
    for s in sources {
        sqlx::query!(
            r#"insert into data_source (name, organization, list_name, kind, remote_path, updated_by)
               values ($1, $2, $3, $4, $5, 'demo') on conflict (name) do nothing"#,
            s.name,
            s.organization,
            s.list_name,
            s.kind,
            format!("/{}", s.file_path.trim_start_matches('/')),
        )
        .execute(pool)
        .await?;
    }
    Ok(())
}

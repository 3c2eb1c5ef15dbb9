//! Running the pre-flight of a stored upload with the user's choices: POM's attribute catalogue,
//! the data source's layout, the list's saved template, the optional DNC check of small files
//! (IsDNC per phone number and e-mail, then the pre-flight again with the hits), and what is
//! stored and shown afterwards.

use std::collections::{BTreeMap, HashSet};

use futures::{stream, StreamExt};
use serde_json::json;

use super::preflight::{
    self, Attribute, ContactPreflight, DateFormat, OutputLayout, UploadOptions,
};
use super::summary::{settled, summary};
use super::view;
use crate::access::Ctx;
use crate::erasure::tombstone;
use crate::error::AppError;
use crate::model::{DataSourceRow, UploadChoices, UploadState, UploadView};
use crate::state::AppState;
use crate::tabular::Cancel;

/// IsDNC calls in flight during a DNC check.
const DNC_CHECKS_IN_FLIGHT: usize = 8;

/// POM's catalogue with each attribute's type.
pub async fn catalogue(state: &AppState) -> Result<Vec<Attribute>, AppError> {
    let mut attributes: Vec<Attribute> = state
        .pom()?
        .get_attributes_list(None)
        .await?
        .into_iter()
        .filter(|a| !a.name.is_empty())
        .map(|a| Attribute {
            pom_type: a.kind.unwrap_or_else(|| "STRING".into()),
            name: a.name,
        })
        .collect();
    attributes.sort_by(|a, b| a.name.cmp(&b.name));
    attributes.dedup_by(|a, b| a.name == b.name);
    Ok(attributes)
}

/// The catalogue's names, for the mapping form.
pub async fn attribute_names(ctx: &Ctx) -> Result<Vec<String>, AppError> {
    Ok(catalogue(&ctx.state)
        .await?
        .into_iter()
        .map(|a| a.name)
        .collect())
}

/// The file layout the data source reads.
pub fn layout_of(source: &DataSourceRow) -> OutputLayout {
    OutputLayout {
        delimiter: source.delimiter.bytes().next().unwrap_or(b','),
        header_row: source.header_row,
        columns: source.columns.clone(),
    }
}

fn delimiter_byte(choice: Option<&str>) -> Option<u8> {
    match choice? {
        "tab" | "\t" => Some(b'\t'),
        other if other.len() == 1 => other.bytes().next(),
        _ => None,
    }
}

/// The pre-flight options for `choices`.
pub fn options_of(state: &AppState, choices: &UploadChoices) -> UploadOptions {
    UploadOptions {
        delimiter: delimiter_byte(choices.delimiter.as_deref()),
        sheet: choices.sheet.clone(),
        has_header: choices.has_header,
        mapping: choices.mapping.iter().cloned().collect::<BTreeMap<_, _>>(),
        date_format: DateFormat::parse(&choices.date_format).unwrap_or_default(),
        max_rows: state.settings.uploads.max_rows,
        numbers: state.settings.phone.clone(),
        collect_addresses_up_to: if choices.dnc_check {
            state.settings.uploads.dnc_check_max_rows
        } else {
            0
        },
        cancel: Cancel::default(),
        erased: Default::default(),
    }
}

/// A finished pre-flight and what the DNC check did.
pub struct Checked {
    pub preflight: ContactPreflight,
    pub dnc_checked: bool,
    pub dnc_note: Option<String>,
}

/// Runs the pre-flight off the async threads in one of the pre-flight slots; with a DNC check,
/// once more with POM's hits.
pub async fn run(
    state: &AppState,
    organization: &str,
    file_name: &str,
    bytes: std::sync::Arc<Vec<u8>>,
    choices: &UploadChoices,
    source: &DataSourceRow,
) -> Result<Result<Checked, preflight::ParseError>, AppError> {
    let attributes = std::sync::Arc::new(catalogue(state).await?);
    let erased = tombstone::load(&state.pool, &state.settings.erasure_key, organization).await?;
    let options = std::sync::Arc::new(UploadOptions {
        erased,
        ..options_of(state, choices)
    });
    let layout = std::sync::Arc::new(layout_of(source));
    let pass = |hits: HashSet<String>| {
        let (bytes, options, attributes, layout) = (
            bytes.clone(),
            options.clone(),
            attributes.clone(),
            layout.clone(),
        );
        let name = file_name.to_string();
        let preflights = state.preflights.clone();
        async move {
            preflights
                .run(move |cancel| {
                    let options = UploadOptions {
                        cancel,
                        ..(*options).clone()
                    };
                    preflight::preflight(&name, &bytes, &options, &attributes, &layout, &hits)
                })
                .await
        }
    };
    let first = match pass(HashSet::new()).await? {
        Ok(first) => first,
        Err(error) => return Ok(Err(error)),
    };
    if !choices.dnc_check {
        return Ok(Ok(Checked {
            preflight: first,
            dnc_checked: false,
            dnc_note: None,
        }));
    }
    let limit = state.settings.uploads.dnc_check_max_rows;
    if first.rows > limit {
        let note = format!(
            "The file has {} rows; the DNC check is made for files of up to {limit} rows. POM's \
             data source still leaves out numbers on its DNC lists when it imports.",
            first.rows
        );
        return Ok(Ok(Checked {
            preflight: first,
            dnc_checked: false,
            dnc_note: Some(note),
        }));
    }
    let client = state.pom()?;
    let results: Vec<Result<Option<String>, pom::client::PomError>> =
        stream::iter(first.addresses.iter().cloned())
            .map(|address| async move {
                client
                    .is_dnc(&address, Some(organization))
                    .await
                    .map(|listed| listed.then_some(address))
            })
            .buffer_unordered(DNC_CHECKS_IN_FLIGHT)
            .collect()
            .await;
    let mut hits = HashSet::new();
    for result in results {
        if let Some(address) = result? {
            hits.insert(address);
        }
    }
    let second = if hits.is_empty() {
        Ok(first)
    } else {
        pass(hits).await?
    };
    Ok(second.map(|preflight| Checked {
        preflight,
        dnc_checked: true,
        dnc_note: None,
    }))
}

/// Runs the pre-flight of a not-yet-sent upload again with new choices and stores the result.
pub async fn recheck(
    ctx: &Ctx,
    upload_id: i64,
    choices: &UploadChoices,
) -> Result<UploadView, AppError> {
    let stored = view::stored(ctx, upload_id).await?;
    if stored.state != UploadState::Preflight {
        return Err(AppError::validation(
            "upload",
            "This upload has been sent; its choices can no longer change.",
        ));
    }
    let source = super::sources::by_name(ctx, &stored.data_source).await?;
    let Some(original) = view::original(&ctx.state.pool, upload_id).await? else {
        return Err(AppError::validation(
            "upload",
            "The file of this upload has been erased.",
        ));
    };
    let checked = run(
        &ctx.state,
        &stored.organization,
        &stored.file_name,
        std::sync::Arc::new(original),
        choices,
        &source,
    )
    .await?;
    let pool = &ctx.state.pool;
    match checked {
        Ok(checked) => {
            let p = &checked.preflight;
            let used = settled(choices, p);
            let updated = sqlx::query!(
                r#"update contact_upload set options = $2, preflight = $3, rejects_csv = $4,
                       rows_read = $5, rows_sent = $6, rows_rejected = $7, problem = null,
                       not_listed_rows = $8
                   where contact_upload_id = $1 and state = 'preflight'"#,
                upload_id,
                json!(used),
                json!(summary(&checked)),
                p.rejects_csv,
                p.rows as i64,
                p.valid as i64,
                p.rejected as i64,
                p.not_listed_rows,
            )
            .execute(pool)
            .await?;
            if updated.rows_affected() == 0 {
                return Err(AppError::validation(
                    "upload",
                    "This upload was sent meanwhile; its choices can no longer change.",
                ));
            }
            if choices.save_template && p.blocking.is_empty() {
                super::store::save_template(
                    pool,
                    &stored.organization,
                    &stored.list_name,
                    &used,
                    &ctx.user.username,
                )
                .await?;
            }
        }
        Err(error) => {
            return Err(AppError::validation("file", error.to_string()));
        }
    }
    view::load(ctx, upload_id).await
}

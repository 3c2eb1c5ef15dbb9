//! The uploads table, full (history page) or compact (the latest uploads on the upload page):
//! which columns it shows and how its cells read; for admins each row opens its upload (the
//! others read the history without the upload pages).

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

use crate::components::format::short_time;
use crate::components::pager::thousands;
use crate::components::report::table::{ReportTable, TableSpec};
use crate::components::upload_state::UploadStateBadge;
use crate::model::UploadHistoryRow;

/// A count that may not be known yet.
pub fn maybe_count(value: Option<i64>) -> String {
    value.map(thousands).unwrap_or_else(|| "—".into())
}

/// A count under the name end-to-end tests read it by.
fn count(name: &'static str, value: Option<i64>) -> AnyView {
    view! { <span data-col=name>{maybe_count(value)}</span> }.into_any()
}

fn cell(key: &'static str, row: &UploadHistoryRow) -> Option<AnyView> {
    Some(match key {
        "upload_id" => {
            let href = format!("/uploads/{}", row.upload_id);
            view! { <a href=href>{format!("#{}", row.upload_id)}</a> }.into_any()
        }
        "created_at" => view! {
            {short_time(&row.created_at)}
            <span class="muted small sub">{row.created_by.clone()}</span>
        }
        .into_any(),
        "list" => {
            let whose = format!("{} · {}", row.organization, row.data_source);
            view! { {row.list_name.clone()}<span class="muted small sub">{whose}</span> }.into_any()
        }
        "rows_read" => count("read", row.rows_read),
        "rows_sent" => count("sent", row.rows_sent),
        "rows_rejected" => count("rejected", row.rows_rejected),
        "state" => view! {
            <span data-col="state"><UploadStateBadge state=row.state.as_str().to_string()/></span>
        }
        .into_any(),
        "import_job_id" => {
            let job = row.import_job_id.map(|id| id.to_string());
            let pom_state = row.pom_state.clone();
            view! {
                <span data-col="import-job">{job.unwrap_or_else(|| "—".into())}</span>
                " · "
                <span data-col="pom-state">{pom_state.unwrap_or_else(|| "—".into())}</span>
            }
            .into_any()
        }
        "imported" => count("imported", row.imported),
        "missing_after_import" => count("missing", row.missing_count),
        "finished_at" => {
            let finished = row.finished_at.as_deref().map(short_time);
            view! { <span data-col="finished">{finished.unwrap_or_else(|| "—".into())}</span> }
                .into_any()
        }
        _ => return None,
    })
}

/// The same cells without the link to the upload, for viewers who may not open uploads.
fn plain_cell(key: &'static str, row: &UploadHistoryRow) -> Option<AnyView> {
    match key {
        "upload_id" => Some(format!("#{}", row.upload_id).into_any()),
        _ => cell(key, row),
    }
}

fn row_attributes(row: &UploadHistoryRow) -> Vec<AnyAttribute> {
    vec![
        custom_attribute("data-testid", "upload-history-row").into_any_attr(),
        custom_attribute("data-upload-id", row.upload_id.to_string()).into_any_attr(),
        custom_attribute("data-state", row.state.as_str().to_string()).into_any_attr(),
    ]
}

pub(super) const TABLE: TableSpec<UploadHistoryRow> = TableSpec {
    testid: "upload-history",
    label: "Uploads",
    class: "data dense",
    empty: "No uploads yet.",
    columns: &[
        "upload_id",
        "created_at",
        "list",
        "file",
        "rows_read",
        "rows_sent",
        "rows_rejected",
        "state",
        "import_job_id",
        "imported",
        "missing_after_import",
        "finished_at",
    ],
    classes: &[
        ("upload_id", "num"),
        ("created_at", "nowrap"),
        ("file", "file"),
        ("rows_read", "num"),
        ("rows_sent", "num"),
        ("rows_rejected", "num"),
        ("import_job_id", "nowrap"),
        ("imported", "num"),
        ("missing_after_import", "num"),
        ("finished_at", "nowrap"),
    ],
    cell,
    row: row_attributes,
};

/// The history for viewers who read it only (supervisors, managers): no links to uploads.
pub(super) const READ_ONLY: TableSpec<UploadHistoryRow> = TableSpec {
    cell: plain_cell,
    ..TABLE
};

/// The columns of the latest uploads on the upload page: no POM job, no finish.
const COMPACT: &[&str] = &[
    "upload_id",
    "created_at",
    "list",
    "file",
    "rows_read",
    "rows_sent",
    "rows_rejected",
    "state",
    "imported",
];

/// Uploads, newest first as the server sends them.
#[component]
pub fn HistoryTable(rows: Vec<UploadHistoryRow>, compact: bool) -> impl IntoView {
    let spec = if compact {
        TableSpec {
            columns: COMPACT,
            empty: "No uploads yet.",
            ..TABLE
        }
    } else {
        TABLE
    };
    view! { <ReportTable spec rows/> }
}

#[cfg(test)]
mod tests {
    use super::maybe_count;

    #[test]
    fn unknown_counts_show_a_dash() {
        assert_eq!(maybe_count(None), "—");
        assert_eq!(maybe_count(Some(12_345)), "12,345");
    }
}

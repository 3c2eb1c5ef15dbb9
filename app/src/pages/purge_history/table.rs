//! The purge runs table, full (history page) or compact (a list's page): which columns it shows
//! and how its cells read (links to the run and the list, counts, the job's state). Managers read
//! the history without the run and list pages, so their table links to neither.

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;

use crate::components::format::short_time;
use crate::components::job_progress::{format_duration, JobStateBadge};
use crate::components::pager::thousands;
use crate::components::report::table::{ReportTable, TableSpec};
use crate::model::PurgeRunRow;

fn before_after(row: &PurgeRunRow) -> String {
    match row.after {
        Some(after) => format!("{} → {}", thousands(row.before), thousands(after)),
        None => format!("{} → …", thousands(row.before)),
    }
}

fn cell(key: &'static str, row: &PurgeRunRow) -> Option<AnyView> {
    Some(match key {
        "created_at_utc" => {
            let href = format!("/purge/runs/{}", row.purge_run_id);
            view! { <a href=href>{short_time(&row.created_at)}</a> }.into_any()
        }
        "contact_list" => {
            let href = format!("/lists/{}", row.list_id);
            view! { <a href=href>{row.list_name.clone()}</a> }.into_any()
        }
        "before_purging" => before_after(row).into_any(),
        "matched" => thousands(row.matched).into_any(),
        "deleted" => thousands(row.deleted).into_any(),
        "failed" => thousands(row.failed).into_any(),
        "restored" => thousands(row.restored).into_any(),
        // The run's duration has no column of its own; it reads best on its own line under the
        // job's state (`stacked`), rather than wrapping there when the column is narrow.
        "job_state" => {
            let duration = row.duration_seconds.map(format_duration);
            view! {
                <JobStateBadge state=row.job.state/>
                {duration.map(|d| view! { <span class="muted small sub">{d}</span> })}
            }
            .into_any()
        }
        _ => return None,
    })
}

/// The same cells without links, for viewers who may not open runs or lists.
fn plain_cell(key: &'static str, row: &PurgeRunRow) -> Option<AnyView> {
    match key {
        "created_at_utc" => Some(short_time(&row.created_at).into_any()),
        "contact_list" => Some(row.list_name.clone().into_any()),
        _ => cell(key, row),
    }
}

fn row_attributes(row: &PurgeRunRow) -> Vec<AnyAttribute> {
    vec![
        custom_attribute("data-testid", "purge-run-row").into_any_attr(),
        custom_attribute("data-run-id", row.purge_run_id.to_string()).into_any_attr(),
    ]
}

pub(super) const TABLE: TableSpec<PurgeRunRow> = TableSpec {
    testid: "purge-history",
    label: "Purge runs",
    class: "data",
    empty: "No purges yet.",
    columns: &[
        "created_at_utc",
        "contact_list",
        "mode",
        "filter",
        "business_parameter",
        "user",
        "matched",
        "before_purging",
        "deleted",
        "failed",
        "restored",
        "job_state",
    ],
    classes: &[
        ("created_at_utc", "nowrap"),
        ("filter", "filter"),
        ("matched", "num"),
        ("before_purging", "num nowrap"),
        ("deleted", "num"),
        ("failed", "num"),
        ("restored", "num"),
        ("job_state", "stacked"),
    ],
    cell,
    row: row_attributes,
};

/// The history for viewers who read it only (managers): the same columns, no links.
pub(super) const READ_ONLY: TableSpec<PurgeRunRow> = TableSpec {
    cell: plain_cell,
    ..TABLE
};

/// The columns of a list's own page, where the list and its mode go without saying.
const COMPACT: &[&str] = &[
    "created_at_utc",
    "filter",
    "business_parameter",
    "user",
    "matched",
    "deleted",
    "failed",
    "restored",
    "job_state",
];

/// Purge runs, newest first as the server sends them; each links to its detail page.
#[component]
pub fn RunsTable(rows: Vec<PurgeRunRow>, compact: bool) -> impl IntoView {
    let spec = if compact {
        TableSpec {
            columns: COMPACT,
            ..TABLE
        }
    } else {
        TABLE
    };
    view! { <ReportTable spec rows/> }
}

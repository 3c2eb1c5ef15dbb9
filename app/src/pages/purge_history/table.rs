//! The purge runs table, full (history page) or compact (a list's page).

use leptos::prelude::*;

use crate::components::job_progress::{format_duration, JobStateBadge};
use crate::components::pager::thousands;
use crate::model::PurgeRunRow;
use crate::pages::audit::short_time;

fn before_after(row: &PurgeRunRow) -> String {
    match row.after {
        Some(after) => format!("{} → {}", thousands(row.before), thousands(after)),
        None => format!("{} → …", thousands(row.before)),
    }
}

/// Purge runs, newest first as the server sends them; each links to its detail page.
#[component]
pub fn RunsTable(rows: Vec<PurgeRunRow>, compact: bool) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="purge-history-empty">"No purges match."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data" data-testid="purge-history-table">
                <thead>
                    <tr>
                        <th scope="col">"Started (UTC)"</th>
                        <Show when=move || !compact>
                            <th scope="col">"List"</th>
                            <th scope="col">"Mode"</th>
                        </Show>
                        <th scope="col">"Filter"</th>
                        <th scope="col">"Reason"</th>
                        <th scope="col">"User"</th>
                        <th scope="col" class="num">"Matched"</th>
                        <Show when=move || !compact>
                            <th scope="col" class="num">"Before → after"</th>
                        </Show>
                        <th scope="col" class="num">"Deleted"</th>
                        <th scope="col" class="num">"Failed"</th>
                        <th scope="col" class="num">"Restored"</th>
                        <Show when=move || !compact>
                            <th scope="col" class="num">"Duration"</th>
                        </Show>
                        <th scope="col">"Job"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let href = format!("/purge/runs/{}", row.purge_run_id);
                        let list_href = format!("/lists/{}", row.list_id);
                        let change = before_after(&row);
                        let duration = row.duration_seconds.map(format_duration).unwrap_or_else(|| "—".into());
                        view! {
                            <tr data-testid="purge-run-row" data-run-id=row.purge_run_id>
                                <td class="nowrap"><a href=href>{short_time(&row.created_at)}</a></td>
                                <Show when=move || !compact>
                                    <td><a href=list_href.clone()>{row.list_name.clone()}</a></td>
                                    <td>{row.mode.clone()}</td>
                                </Show>
                                <td class="filter">{row.filter}</td>
                                <td>{row.reason}</td>
                                <td>{row.requested_by}</td>
                                <td class="num">{thousands(row.matched)}</td>
                                <Show when=move || !compact>
                                    <td class="num nowrap">{change.clone()}</td>
                                </Show>
                                <td class="num">{thousands(row.deleted)}</td>
                                <td class="num">{thousands(row.failed)}</td>
                                <td class="num">{thousands(row.restored)}</td>
                                <Show when=move || !compact>
                                    <td class="num nowrap">{duration.clone()}</td>
                                </Show>
                                <td><JobStateBadge state=row.job.state/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

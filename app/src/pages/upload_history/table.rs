//! The uploads table, full (history page) or compact (the latest uploads on the upload page);
//! each row opens its upload.

use leptos::prelude::*;

use crate::components::pager::thousands;
use crate::components::upload_state::UploadStateBadge;
use crate::model::UploadHistoryRow;
use crate::pages::audit::short_time;

/// A count that may not be known yet.
pub fn maybe_count(value: Option<i64>) -> String {
    value.map(thousands).unwrap_or_else(|| "—".into())
}

/// Uploads, newest first as the server sends them.
#[component]
pub fn HistoryTable(rows: Vec<UploadHistoryRow>, compact: bool) -> impl IntoView {
    if rows.is_empty() {
        let text = if compact {
            "No uploads yet."
        } else {
            "No uploads match."
        };
        return view! { <p class="muted" data-testid="upload-history-empty">{text}</p> }.into_any();
    }
    let full = !compact;
    view! {
        <div class="table-wrap">
            <table class="data dense" data-testid="upload-history-table">
                <thead>
                    <tr>
                        <th scope="col" class="num">"Upload"</th>
                        <th scope="col">"When (UTC) · who"</th>
                        <th scope="col">"Destination"</th>
                        <th scope="col">"File"</th>
                        <th scope="col" class="num">"Read"</th>
                        <th scope="col" class="num">"Sent"</th>
                        <th scope="col" class="num">"Rejected"</th>
                        <th scope="col">"State"</th>
                        {full.then(|| view! { <th scope="col">"POM import"</th> })}
                        <th scope="col" class="num">"Imported"</th>
                        {full.then(|| view! {
                            <th scope="col" class="num">"Not in list"</th>
                            <th scope="col">"Finished (UTC)"</th>
                        })}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let href = format!("/uploads/{}", row.upload_id);
                        let finished = row.finished_at.as_deref().map(short_time).unwrap_or_else(|| "—".into());
                        let import_job = row.import_job_id.map(|id| id.to_string()).unwrap_or_else(|| "—".into());
                        let pom_state = row.pom_state.clone().unwrap_or_else(|| "—".into());
                        let state = row.state.clone();
                        view! {
                            <tr data-testid="upload-history-row" data-upload-id=row.upload_id data-state=state>
                                <td class="num"><a href=href>{format!("#{}", row.upload_id)}</a></td>
                                <td class="nowrap">{short_time(&row.created_at)}<span class="muted small sub">{row.created_by}</span></td>
                                <td>
                                    {row.list_name}
                                    <span class="muted small sub">{format!("{} · {}", row.organization, row.data_source)}</span>
                                </td>
                                <td class="file">{row.file_name}</td>
                                <td class="num" data-col="read">{maybe_count(row.rows_read)}</td>
                                <td class="num" data-col="sent">{maybe_count(row.rows_sent)}</td>
                                <td class="num" data-col="rejected">{maybe_count(row.rows_rejected)}</td>
                                <td data-col="state"><UploadStateBadge state=row.state/></td>
                                {full.then(|| view! {
                                    <td class="nowrap"><span data-col="import-job">{import_job}</span>" · "<span data-col="pom-state">{pom_state}</span></td>
                                })}
                                <td class="num" data-col="imported">{maybe_count(row.imported)}</td>
                                {full.then(|| view! {
                                    <td class="num" data-col="missing">{maybe_count(row.missing_count)}</td>
                                    <td class="nowrap" data-col="finished">{finished}</td>
                                })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
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

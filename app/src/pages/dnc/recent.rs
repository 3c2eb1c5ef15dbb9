//! The recent uploads table, newest first as the server sends them; each row opens its upload.

use leptos::prelude::*;

use crate::components::dnc_state::DncStateBadge;
use crate::components::format::short_time;
use crate::components::pager::thousands;
use crate::model::{DncMode, DncUploadRow};

/// The mode in a word or two, for a table cell.
fn mode_word(mode: DncMode) -> &'static str {
    match mode {
        DncMode::DncList => "DNC list",
        DncMode::Uncallable => "Uncallable",
    }
}

/// Recent uploads of the user's organization (every organization's for admins).
#[component]
pub fn UploadsTable(rows: Vec<DncUploadRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="dnc-uploads-empty">"No uploads yet."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Recent DNC uploads">
            <table class="data" data-testid="dnc-uploads-table">
                <thead>
                    <tr>
                        <th scope="col">"Uploaded (UTC)"</th>
                        <th scope="col">"User"</th>
                        <th scope="col">"Mode"</th>
                        <th scope="col">"Target"</th>
                        <th scope="col">"File"</th>
                        <th scope="col">"State"</th>
                        <th scope="col" class="num">"Valid"</th>
                        <th scope="col" class="num">"Accepted"</th>
                        <th scope="col" class="num">"Failed"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let href = format!("/dnc/uploads/{}", row.upload_id);
                        view! {
                            <tr data-testid="dnc-upload-row" data-upload-id=row.upload_id>
                                <td class="nowrap"><a href=href.clone()>{short_time(&row.created_at)}</a></td>
                                <td>{row.created_by}</td>
                                <td>{mode_word(row.mode)}</td>
                                <td>{row.target}</td>
                                <td class="file"><a href=href>{row.file_name}</a></td>
                                <td><DncStateBadge state=row.state/></td>
                                <td class="num">{thousands(row.valid as i64)}</td>
                                <td class="num">{thousands(row.accepted)}</td>
                                <td class="num">{thousands(row.failed)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

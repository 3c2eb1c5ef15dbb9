//! The upload history's filters as a plain GET form (organization, list, state, period) with the
//! CSV and Excel exports of exactly what is filtered.

use leptos::prelude::*;

use super::query_string;
use crate::components::date_filter::date_error;
use crate::components::upload_state::{upload_state_word, UPLOAD_STATES};
use crate::error::AppError;
use crate::model::UploadHistoryQuery;

/// The filter form; `organizations` fill the organization choice; `error` is the server's
/// refusal of the query, shown at its field.
#[component]
pub fn Filters(
    query: UploadHistoryQuery,
    organizations: Vec<String>,
    error: Option<AppError>,
) -> impl IntoView {
    let from_error = date_error(&query.from, "from", &error);
    let to_error = date_error(&query.to, "to", &error);
    let exports = query_string(&query);
    let chosen_organization = query.organization.clone().unwrap_or_default();
    let chosen_state = query.state.clone().unwrap_or_default();
    let mut organizations = organizations;
    if !chosen_organization.is_empty() && !organizations.contains(&chosen_organization) {
        organizations.push(chosen_organization.clone());
    }
    view! {
        <form class="filters" method="get" action="/uploads/history" aria-label="Filter the upload history">
            <div class="field">
                <label for="upload-history-organization">"Organization"</label>
                <select id="upload-history-organization" name="organization">
                    <option value="">"All organizations"</option>
                    {organizations.into_iter().map(|name| {
                        let selected = name == chosen_organization;
                        view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="upload-history-list">"List name"</label>
                <input id="upload-history-list" name="list_name" type="text" value=query.list_name.clone()
                    placeholder="exact name" spellcheck="false"/>
            </div>
            <div class="field">
                <label for="upload-history-state">"State"</label>
                <select id="upload-history-state" name="state">
                    <option value="">"Every state"</option>
                    {UPLOAD_STATES.into_iter().map(|state| view! {
                        <option value=state selected=state == chosen_state>{upload_state_word(state).to_string()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="upload-history-from">"From"</label>
                <input id="upload-history-from" name="from" type="date" value=query.from.clone()
                    aria-invalid=from_error.is_some().then_some("true") aria-describedby="upload-history-from-error"/>
                <span id="upload-history-from-error" class="field-error">{from_error}</span>
            </div>
            <div class="field">
                <label for="upload-history-to">"To"</label>
                <input id="upload-history-to" name="to" type="date" value=query.to.clone()
                    aria-invalid=to_error.is_some().then_some("true") aria-describedby="upload-history-to-error"/>
                <span id="upload-history-to-error" class="field-error">{to_error}</span>
            </div>
            <div class="actions">
                <button type="submit" class="primary">"Apply"</button>
                <a href="/uploads/history" class="button">"Reset"</a>
                <a href=format!("/uploads/history/export.csv?{exports}") class="button" download data-testid="upload-export-csv"
                    title="Raw values for other systems; cells a spreadsheet could run get a leading '">"Export CSV (raw, for systems)"</a>
                <a href=format!("/uploads/history/export.xlsx?{exports}") class="button" download data-testid="upload-export-xlsx">"Export Excel (for people)"</a>
            </div>
        </form>
    }
}

//! The report's filters as a plain GET form (period, source, user, list, address) with the CSV
//! and Excel exports of exactly what is filtered.

use leptos::prelude::*;

use crate::components::date_filter::date_error;

use crate::error::AppError;
use crate::model::DncReportQuery;

/// The sources offered, as (value, words); the empty value is every source.
const SOURCES: [(&str, &str); 6] = [
    ("", "All sources"),
    ("manual", "Manual (uploads and single entries)"),
    ("upload", "Upload"),
    ("single", "Single entry"),
    ("api", "API"),
    ("dialer_kill", "Dialer Kill List"),
];

/// The filter form; `error` is the server's refusal of the query, shown at its field.
#[component]
pub fn Filters(query: DncReportQuery, error: Option<AppError>) -> impl IntoView {
    let from_error = date_error(&query.from, "from", &error);
    let to_error = date_error(&query.to, "to", &error);
    let exports = query.to_query_string();
    let chosen_source = query.source.clone().unwrap_or_default();
    view! {
        <form class="filters" method="get" action="/dnc/report" aria-label="Filter the DNC List report">
            <div class="field">
                <label for="dnc-report-from">"From"</label>
                <input id="dnc-report-from" name="from" type="date" value=query.from.clone()
                    aria-invalid=from_error.is_some().then_some("true") aria-describedby="dnc-report-from-error"/>
                <span id="dnc-report-from-error" class="field-error">{from_error}</span>
            </div>
            <div class="field">
                <label for="dnc-report-to">"To"</label>
                <input id="dnc-report-to" name="to" type="date" value=query.to.clone()
                    aria-invalid=to_error.is_some().then_some("true") aria-describedby="dnc-report-to-error"/>
                <span id="dnc-report-to-error" class="field-error">{to_error}</span>
            </div>
            <div class="field">
                <label for="dnc-report-source">"Source"</label>
                <select id="dnc-report-source" name="source">
                    {SOURCES.into_iter().map(|(value, words)| view! {
                        <option value=value selected=value == chosen_source>{words}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="dnc-report-user">"User"</label>
                <input id="dnc-report-user" name="user" type="text" value=query.user.clone() placeholder="user name"/>
            </div>
            <div class="field">
                <label for="dnc-report-list">"List"</label>
                <input id="dnc-report-list" name="list" type="text" value=query.list.clone() placeholder="contains"/>
            </div>
            <div class="field">
                <label for="dnc-report-address">"Address"</label>
                <input id="dnc-report-address" name="address" type="text" value=query.address.clone()
                    placeholder="number or e-mail" spellcheck="false"/>
            </div>
            <div class="actions">
                <button type="submit" class="primary">"Apply"</button>
                <a href="/dnc/report" class="button">"Reset"</a>
                <a href=format!("/dnc/report/export.csv?{exports}") class="button" download data-testid="dnc-export-csv"
                    title="Raw values for other systems: phone numbers keep their +; cells a spreadsheet could run get a leading '">"Export CSV (raw, for systems)"</a>
                <a href=format!("/dnc/report/export.xlsx?{exports}") class="button" download data-testid="dnc-export-xlsx"
                    title="For reading in Excel: phone numbers stay text">"Export Excel (for people)"</a>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_dates_are_named_before_the_server_is_asked() {
        assert!(date_error(&Some("2026-13-01".into()), "from", &None).is_some());
        assert!(date_error(&Some("2026-11-21".into()), "from", &None).is_none());
        let server = Some(AppError::validation("to", "before from"));
        assert_eq!(
            date_error(&None, "to", &server).as_deref(),
            Some("before from")
        );
    }
}

//! Purge history page: every purge run of the user's organization(s), filtered by list name, user
//! and period, paged, with CSV and Excel exports of exactly what is filtered. Filters live in the
//! URL, like the audit log.

mod table;

use leptos::prelude::*;

use crate::components::date_filter::date_error;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::pager::{thousands, Pager};
use crate::error::AppError;
use crate::model::PurgeHistoryQuery;
use crate::server_fns::purge::purge_history;
pub use table::RunsTable;

fn query_from_url(get: impl Fn(&str) -> Option<String>) -> PurgeHistoryQuery {
    PurgeHistoryQuery {
        list: get("list"),
        user: get("user"),
        from: get("from"),
        to: get("to"),
        list_id: get("list_id").and_then(|id| id.parse().ok()),
        // People count pages from 1 in the URL; the query counts from 0.
        page: get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
            - 1,
    }
}

/// `/purge/history?…&page=N` (1-based) for the same filters.
fn page_href(query: &PurgeHistoryQuery, page: u32) -> String {
    let filters = query.to_query_string();
    let joiner = if filters.is_empty() { "" } else { "&" };
    format!("/purge/history?{filters}{joiner}page={page}")
}

#[component]
fn Filters(query: PurgeHistoryQuery, error: Option<AppError>) -> impl IntoView {
    let from_error = date_error(&query.from, "from", &error);
    let to_error = date_error(&query.to, "to", &error);
    let exports = query.to_query_string();
    view! {
        <form class="filters" method="get" action="/purge/history" aria-label="Filter the purge history">
            {query.list_id.map(|id| view! { <input type="hidden" name="list_id" value=id/> })}
            <div class="field">
                <label for="history-list">"List name"</label>
                <input id="history-list" name="list" type="text" value=query.list.clone() placeholder="contains"/>
            </div>
            <div class="field">
                <label for="history-user">"User"</label>
                <input id="history-user" name="user" type="text" value=query.user.clone() placeholder="user name"/>
            </div>
            <div class="field">
                <label for="history-from">"From"</label>
                <input id="history-from" name="from" type="date" value=query.from.clone()
                    aria-invalid=from_error.is_some().then_some("true") aria-describedby="history-from-error"/>
                <span id="history-from-error" class="field-error">{from_error}</span>
            </div>
            <div class="field">
                <label for="history-to">"To"</label>
                <input id="history-to" name="to" type="date" value=query.to.clone()
                    aria-invalid=to_error.is_some().then_some("true") aria-describedby="history-to-error"/>
                <span id="history-to-error" class="field-error">{to_error}</span>
            </div>
            <div class="actions">
                <button type="submit" class="primary">"Apply"</button>
                <a href="/purge/history" class="button">"Reset"</a>
                <a href=format!("/purge/history/export.csv?{exports}") class="button" download data-testid="purge-export-csv"
                    title="Raw values for other systems; cells a spreadsheet could run get a leading '">"Export CSV (raw, for systems)"</a>
                <a href=format!("/purge/history/export.xlsx?{exports}") class="button" download data-testid="purge-export-xlsx">"Export Excel (for people)"</a>
            </div>
        </form>
    }
}

/// The purge history page.
#[component]
pub fn PurgeHistoryPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| query_from_url(|key| p.get(key).filter(|v| !v.is_empty())))
    });
    let runs = Resource::new(move || query.get(), purge_history);
    view! {
        <Title text="Purge history"/>
        <div class="page-head">
            <h1>"Purge history"</h1>
            <p class="muted">"Every purge with its filter, reason, counts and job. Times are UTC."</p>
        </div>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                match runs.await {
                    Ok(page) => {
                        let total = page.total;
                        let href_query = query.clone();
                        view! {
                            <Filters query error=None/>
                            <p class="muted small" data-testid="purge-history-total">
                                {format!("{} {}", thousands(total), if total == 1 { "purge" } else { "purges" })}
                            </p>
                            <RunsTable rows=page.rows compact=false/>
                            <Pager page=page.page + 1 page_size=PurgeHistoryQuery::PAGE_SIZE total
                                href=move |p| page_href(&href_query, p)/>
                        }.into_any()
                    }
                    Err(error @ AppError::Validation { .. }) => view! {
                        <Filters query error=Some(error.clone())/>
                        <p class="notice error" role="alert">{error.to_string()}</p>
                    }.into_any(),
                    Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_and_page_come_from_the_url_and_go_back_into_links() {
        let query = query_from_url(|key| match key {
            "list" => Some("spring offers".into()),
            "page" => Some("2".into()),
            "list_id" => Some("7".into()),
            _ => None,
        });
        assert_eq!(query.page, 1);
        assert_eq!(
            page_href(&query, 3),
            "/purge/history?list=spring%20offers&list_id=7&page=3"
        );
        assert_eq!(
            page_href(&PurgeHistoryQuery::default(), 1),
            "/purge/history?page=1"
        );
    }

    #[test]
    fn malformed_dates_are_named_before_the_server_is_asked() {
        assert!(date_error(&Some("2026-02-30".into()), "from", &None).is_some());
        assert!(date_error(&Some("2026-02-28".into()), "from", &None).is_none());
        let server = Some(AppError::validation("to", "before from"));
        assert_eq!(
            date_error(&None, "to", &server).as_deref(),
            Some("before from")
        );
    }
}

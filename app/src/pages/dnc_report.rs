//! The DNC List report: every address sent to a DNC list or marked uncallable, with where the
//! request came from (manual: an upload or a single entry; the dialer's kill list; the API), who
//! asked, and what POM answered. Filters and page live in the URL, so the report renders on the
//! server, works without JavaScript and can be bookmarked; the exports take the same filters.

mod filters;
mod table;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::pager::{thousands, Pager};
use crate::error::AppError;
use crate::model::DncReportQuery;
use crate::pages::dnc::error_text;
use crate::server_fns::dnc::dnc_report;
use filters::Filters;
use table::EntriesTable;

fn query_from_url(get: impl Fn(&str) -> Option<String>) -> DncReportQuery {
    DncReportQuery {
        from: get("from"),
        to: get("to"),
        source: get("source"),
        user: get("user"),
        list: get("list"),
        address: get("address"),
        // People count pages from 1 in the URL; the query counts from 0.
        page: get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
            - 1,
    }
}

/// `/dnc/report?…&page=N` (1-based) for the same filters.
fn page_href(query: &DncReportQuery, page: u32) -> String {
    let filters = query.to_query_string();
    let joiner = if filters.is_empty() { "" } else { "&" };
    format!("/dnc/report?{filters}{joiner}page={page}")
}

/// The DNC List report page.
#[component]
pub fn DncReportPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| query_from_url(|key| p.get(key).filter(|v| !v.trim().is_empty())))
    });
    let entries = Resource::new(move || query.get(), dnc_report);
    view! {
        <Title text="DNC report"/>
        <div class="page-head">
            <h1>"DNC List report"</h1>
            <p class="muted">"Every address added to or removed from a DNC list, or marked uncallable, with where it came from: manual (uploads and single entries), the dialer's kill list, or the API. Times are UTC."</p>
        </div>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                match entries.await {
                    Ok(page) => {
                        let total = page.total;
                        let href_query = query.clone();
                        view! {
                            <Filters query error=None/>
                            <p class="muted small" data-testid="dnc-report-total" data-count=total>
                                {format!("{} {}", thousands(total), if total == 1 { "address" } else { "addresses" })}
                            </p>
                            <EntriesTable rows=page.rows/>
                            <Pager page=page.page + 1 page_size=DncReportQuery::PAGE_SIZE total
                                href=move |p| page_href(&href_query, p)/>
                        }.into_any()
                    }
                    Err(error @ AppError::Validation { .. }) => view! {
                        <Filters query error=Some(error.clone())/>
                        <p class="notice error" role="alert">{error_text(&error)}</p>
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
            "source" => Some("dialer_kill".into()),
            "address" => Some("+44 20".into()),
            "page" => Some("2".into()),
            _ => None,
        });
        assert_eq!(query.page, 1);
        assert_eq!(
            page_href(&query, 3),
            "/dnc/report?source=dialer_kill&address=%2B44%2020&page=3"
        );
        assert_eq!(
            page_href(&DncReportQuery::default(), 1),
            "/dnc/report?page=1"
        );
        assert_eq!(query_from_url(|_| None).page, 0);
    }
}

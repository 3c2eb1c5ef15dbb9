//! Upload history page (admins): every contact upload with who, where to, OCM's counts and
//! POM's import, filtered by organization, list, state and period, paged, with CSV and Excel
//! exports of exactly what is filtered. Filters live in the URL, so the page works without
//! JavaScript and can be bookmarked.

mod filters;
mod table;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::pager::{thousands, Pager};
use crate::error::AppError;
use crate::model::{percent_encode, UploadHistoryQuery};
use crate::pages::dnc::error_text;
use crate::server_fns::uploads::{data_sources, upload_history};
use filters::Filters;
pub use table::{maybe_count, HistoryTable};

fn query_from_url(get: impl Fn(&str) -> Option<String>) -> UploadHistoryQuery {
    UploadHistoryQuery {
        organization: get("organization"),
        list_name: get("list_name"),
        state: get("state"),
        from: get("from"),
        to: get("to"),
        // Pages count from 1, in the URL and in the query alike.
        page: get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1),
    }
}

/// The filters as a query string (the page not included), for links and exports.
pub fn query_string(query: &UploadHistoryQuery) -> String {
    [
        ("organization", &query.organization),
        ("list_name", &query.list_name),
        ("state", &query.state),
        ("from", &query.from),
        ("to", &query.to),
    ]
    .iter()
    .filter_map(|(key, value)| {
        value
            .as_ref()
            .filter(|v| !v.is_empty())
            .map(|v| format!("{key}={}", percent_encode(v)))
    })
    .collect::<Vec<_>>()
    .join("&")
}

/// `/uploads/history?…&page=N` for the same filters.
fn page_href(query: &UploadHistoryQuery, page: u32) -> String {
    let filters = query_string(query);
    let joiner = if filters.is_empty() { "" } else { "&" };
    format!("/uploads/history?{filters}{joiner}page={page}")
}

/// The organizations that have data sources, for the organization filter.
fn organizations_of(sources: &[crate::model::DataSourceRow]) -> Vec<String> {
    let mut names: Vec<String> = sources.iter().map(|s| s.organization.clone()).collect();
    names.sort();
    names.dedup();
    names
}

/// The upload history page.
#[component]
pub fn UploadHistoryPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| query_from_url(|key| p.get(key).filter(|v| !v.trim().is_empty())))
    });
    let uploads = Resource::new(move || query.get(), upload_history);
    let sources = Resource::new(|| (), |_| data_sources());
    view! {
        <Title text="Upload history"/>
        <div class="page-head">
            <h1>"Upload history"</h1>
            <p class="muted">"Every contact upload: who sent which file to which list, OCM's counts and POM's import. Times are UTC."</p>
            <a href="/uploads">"← Uploads"</a>
        </div>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let query = query.get_untracked();
                let organizations = sources.await.map(|s| organizations_of(&s)).unwrap_or_default();
                match uploads.await {
                    Ok(page) => {
                        let total = page.total;
                        let href_query = query.clone();
                        view! {
                            <Filters query organizations error=None/>
                            <p class="muted small" data-testid="upload-history-total" data-count=total>
                                {format!("{} {}", thousands(total), if total == 1 { "upload" } else { "uploads" })}
                            </p>
                            <HistoryTable rows=page.rows compact=false/>
                            <Pager page=page.page page_size=page.page_size total
                                href=move |p| page_href(&href_query, p)/>
                        }.into_any()
                    }
                    Err(error @ AppError::Validation { .. }) => view! {
                        <Filters query organizations error=Some(error.clone())/>
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
            "list_name" => Some("Sales Spring".into()),
            "state" => Some("completed".into()),
            "page" => Some("2".into()),
            _ => None,
        });
        assert_eq!(query.page, 2);
        assert_eq!(
            page_href(&query, 3),
            "/uploads/history?list_name=Sales%20Spring&state=completed&page=3"
        );
        assert_eq!(
            page_href(&UploadHistoryQuery::default(), 1),
            "/uploads/history?page=1"
        );
        assert_eq!(query_from_url(|_| None).page, 1);
    }
}

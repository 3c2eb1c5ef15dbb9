//! The report kit's keyset pager: "Showing 51–100 of 1,234 events" with First, Previous and Next links
//! built from the page's cursors, each carrying how many rows come before it.

use leptos::prelude::*;

use crate::components::pager::{step_link, thousands};
use types::report::{Page, Position, ReportRequest, UrlQuery};

/// The links of one page, as query strings of the same filters (`None`: no page that way).
#[derive(Debug, Clone, PartialEq)]
pub struct PagerLinks {
    pub first: Option<String>,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// Where First, Previous and Next lead from `page`, shown for `request`.
pub fn pager_links<Q: UrlQuery + Clone, R>(
    request: &ReportRequest<Q>,
    page: &Page<R>,
) -> PagerLinks {
    let at = |position: Position| {
        ReportRequest {
            filters: request.filters.clone(),
            position,
            sort: request.sort.clone(),
        }
        .to_query_string()
    };
    PagerLinks {
        first: (page.first > 1).then(|| request.first_page().to_query_string()),
        previous: page.previous_position().map(at),
        next: page.next_position().map(at),
    }
}

/// "Showing 51–100 of 1,234 events", "Showing all 40 events" when one page holds them, or
/// "Showing events 1–50" for reports that do not count; then the order when a report's is fixed
/// ("newest first"), since its table has no control that says it.
pub fn showing<R>(
    page: &Page<R>,
    (one, many): (&'static str, &'static str),
    order: Option<&str>,
) -> String {
    // Saturating: a page's numbers come over the wire, and a summary must not panic on them.
    let shown = i64::try_from(page.rows.len()).unwrap_or(i64::MAX);
    let last = page.first.saturating_add(shown - 1);
    let range = format!("{}–{}", thousands(page.first), thousands(last));
    let shown = match page.total {
        Some(1) if page.rows.len() == 1 => format!("Showing 1 {one}"),
        Some(total) if page.first == 1 && last == total => {
            format!("Showing all {} {many}", thousands(total))
        }
        Some(total) => format!("Showing {range} of {} {many}", thousands(total)),
        None => format!("Showing {many} {range}"),
    };
    match order {
        Some(order) => format!("{shown}, {order}"),
        None => shown,
    }
}

/// The pager under a report's table; `path` is the report page the links stay on, `total` the
/// count the summary says (`data-count`, when the report counts).
#[component]
pub fn KeysetPager(
    path: &'static str,
    summary: String,
    total: Option<i64>,
    links: PagerLinks,
) -> impl IntoView {
    let href = move |query: Option<String>| {
        query.map(|q| {
            if q.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{q}")
            }
        })
    };
    view! {
        <nav class="pager" aria-label="Pages">
            <span class="pager-summary" data-testid="pager-summary" data-count=total>{summary}</span>
            {step_link(href(links.first), "first", "« First")}
            {step_link(href(links.previous), "prev", "← Previous")}
            {step_link(href(links.next), "next", "Next →")}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use types::report::{Page, Sort};

    fn page(first: i64, rows: usize, total: Option<i64>) -> Page<u8> {
        Page {
            rows: vec![0; rows],
            total,
            first,
            page_size: 50,
            next: Some("n".into()),
            previous: (first > 1).then(|| "p".into()),
        }
    }

    #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Filters {
        #[serde(skip_serializing_if = "Option::is_none")]
        user: Option<String>,
    }

    impl UrlQuery for Filters {}

    #[test]
    fn links_carry_the_filters_the_cursor_and_the_rows_before() {
        let request = ReportRequest {
            filters: Filters {
                user: Some("sam".into()),
            },
            position: Position::default(),
            sort: Sort::by("user", true),
        };
        let links = pager_links(&request, &page(51, 50, Some(1234)));
        assert_eq!(links.first.as_deref(), Some("user=sam&order=-user"));
        assert_eq!(
            links.previous.as_deref(),
            Some("user=sam&order=-user&before=p")
        );
        assert_eq!(
            links.next.as_deref(),
            Some("user=sam&order=-user&after=n&skipped=100")
        );
        let start = pager_links(&request, &page(1, 50, None));
        assert_eq!((start.first, start.previous), (None, None));
    }

    #[test]
    fn the_summary_reads_as_positions() {
        const NOUN: (&str, &str) = ("event", "events");
        assert_eq!(
            showing(&page(51, 50, Some(1234)), NOUN, None),
            "Showing 51–100 of 1,234 events"
        );
        assert_eq!(
            showing(&page(1, 3, Some(3)), NOUN, Some("newest first")),
            "Showing all 3 events, newest first"
        );
        assert_eq!(showing(&page(1, 1, Some(1)), NOUN, None), "Showing 1 event");
        assert_eq!(showing(&page(1, 3, None), NOUN, None), "Showing events 1–3");
        let huge = showing(&page(i64::MAX, 50, None), NOUN, None);
        assert!(huge.ends_with("–9,223,372,036,854,775,807"), "{huge}");
    }
}

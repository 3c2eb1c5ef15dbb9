//! "Showing 1–50 of 1,234" with previous / next links that keep the current filters.

use leptos::prelude::*;

pub use types::words::thousands;

/// Pager links; `href` builds the link for a page number.
#[component]
pub fn Pager(
    page: u32,
    page_size: u32,
    total: i64,
    href: impl Fn(u32) -> String + 'static,
) -> impl IntoView {
    let pages = ((total.max(0) as u64).div_ceil(u64::from(page_size.max(1)))).max(1) as u32;
    let first = if total == 0 {
        0
    } else {
        i64::from(page - 1) * i64::from(page_size) + 1
    };
    let last = (i64::from(page) * i64::from(page_size)).min(total);
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < pages).then(|| href(page + 1));
    view! {
        <nav class="pager" aria-label="Pages">
            <span class="pager-summary" data-testid="pager-summary">
                {format!("Showing {}–{} of {}", thousands(first), thousands(last), thousands(total))}
            </span>
            {step_link(previous, "prev", "← Previous")}
            <span>{format!("Page {page} of {pages}")}</span>
            {step_link(next, "next", "Next →")}
        </nav>
    }
}

/// A previous/next link, or the same words greyed out when there is no such page.
pub fn step_link(link: Option<String>, rel: &'static str, label: &'static str) -> AnyView {
    match link {
        Some(link) => view! { <a href=link rel=rel>{label}</a> }.into_any(),
        None => view! { <span class="disabled" aria-disabled="true">{label}</span> }.into_any(),
    }
}

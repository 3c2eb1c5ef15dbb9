//! "← Previous 1 … 4 5 6 … 20 Next →" for data that knows its page count but not its row count
//! (POM's contact pages, snapshots).

use leptos::prelude::*;

use super::pager::step_link;

/// The page numbers to offer around `page` (1-based): the first, the last and two either side;
/// `None` marks a gap.
pub fn page_window(page: u32, pages: u32) -> Vec<Option<u32>> {
    let mut out = Vec::new();
    let mut last_shown = 0;
    for n in 1..=pages {
        if n == 1 || n == pages || n.abs_diff(page) <= 2 {
            if n > last_shown + 1 {
                out.push(None);
            }
            out.push(Some(n));
            last_shown = n;
        }
    }
    out
}

/// Page links; `page` is 1-based and `href` builds the link for a page number.
#[component]
pub fn PageLinks(page: u32, pages: u32, href: impl Fn(u32) -> String + 'static) -> impl IntoView {
    let pages = pages.max(1);
    let page = page.clamp(1, pages);
    let previous = (page > 1).then(|| href(page - 1));
    let next = (page < pages).then(|| href(page + 1));
    let numbers = page_window(page, pages)
        .into_iter()
        .map(|entry| match entry {
            Some(n) if n == page => {
                view! { <span class="current" aria-current="page">{n}</span> }.into_any()
            }
            Some(n) => {
                let label = format!("Page {n}");
                view! { <a href=href(n) aria-label=label>{n}</a> }.into_any()
            }
            None => view! { <span class="gap" aria-hidden="true">"…"</span> }.into_any(),
        })
        .collect_view();
    view! {
        <nav class="pager" aria-label="Pages">
            <span class="pager-summary" data-testid="pager-summary">{format!("Page {page} of {pages}")}</span>
            {step_link(previous, "prev", "← Previous")}
            <span class="page-numbers">{numbers}</span>
            {step_link(next, "next", "Next →")}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::page_window;

    #[test]
    fn the_window_keeps_ends_and_neighbours() {
        assert_eq!(page_window(1, 1), vec![Some(1)]);
        assert_eq!(
            page_window(6, 20),
            vec![
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(20)
            ]
        );
        assert_eq!(page_window(2, 4), vec![Some(1), Some(2), Some(3), Some(4)]);
    }
}

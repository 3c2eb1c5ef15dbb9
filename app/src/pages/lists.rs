//! Contact lists page: the organization's POM lists, filtered by name, sortable by any column,
//! optionally only the manual-upload lists. The view lives in the URL (`?manual=1&q=…&sort=…`) so
//! it renders on the server, works without JavaScript and can be bookmarked; with JavaScript,
//! filtering and sorting happen in place without asking POM again.

mod sorting;
mod table;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::server_fns::lists::list_contact_lists;
use sorting::{lists_href, Sort};
use table::ListsTable;

/// The contact lists page.
#[component]
pub fn ListsPage() -> impl IntoView {
    let params = use_query_map();
    let manual = Memo::new(move |_| params.with(|p| p.get_str("manual") == Some("1")));
    let sort = Memo::new(move |_| params.with(|p| Sort::parse(p.get_str("sort").unwrap_or(""))));
    // The box keeps what is typed; the URL follows it for bookmarks.
    let typed = RwSignal::new(params.with_untracked(|p| p.get("q").unwrap_or_default()));
    let lists = Resource::new(move || manual.get(), list_contact_lists);

    let navigate = use_navigate();
    let go = Callback::new(move |(manual, sort): (bool, Sort)| {
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..Default::default()
        };
        navigate(&lists_href(manual, &typed.get_untracked(), sort), options);
    });

    view! {
        <Title text="Contact lists"/>
        <div class="page-head">
            <h1>"Contact lists"</h1>
            <p class="muted">"POM contact lists of your organization. Open a list to see its contacts and purges."</p>
        </div>
        <form id="lists-filter" class="filters" method="get" action="/lists" aria-label="Filter the contact lists"
            on:submit=move |ev| {
                ev.prevent_default();
                go.run((manual.get_untracked(), sort.get_untracked()));
            }>
            <div class="field">
                <label for="lists-q">"Name contains"</label>
                <input id="lists-q" name="q" type="search" autocomplete="off" prop:value=move || typed.get()
                    value=typed.get_untracked()
                    on:input=move |ev| {
                        typed.set(event_target_value(&ev));
                        go.run((manual.get_untracked(), sort.get_untracked()));
                    }/>
            </div>
            <div class="field checkbox">
                <input id="lists-manual" name="manual" type="checkbox" value="1"
                    checked=manual.get_untracked() prop:checked=move || manual.get()
                    on:change=move |ev| go.run((event_target_checked(&ev), sort.get_untracked()))/>
                <label for="lists-manual">"Manual upload lists only"</label>
            </div>
            <div class="actions">
                // Without JavaScript, Apply (the default button) carries the current order along.
                <button type="submit" name="sort" value=move || sort.get().key()>"Apply"</button>
                <a href="/lists" class="button">"Reset"</a>
            </div>
        </form>
        <Suspense fallback=|| view! { <p class="muted">"Reading lists from POM…"</p> }>
            {move || Suspend::new(async move {
                match lists.await {
                    Ok(rows) => view! { <ListsTable rows typed manual sort go/> }.into_any(),
                    Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

//! One contact list: its counts, its contacts read page by page from POM with POM's own search
//! (attribute, operator, value), and the purges run on it. Search and page live in the URL.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::format::plural;
use crate::components::load_error::{path_id, LoadError};
use crate::components::page_links::PageLinks;
use crate::components::pager::thousands;
use crate::model::{
    percent_encode, AttributeInfo, ContactSearchQuery, ContactsPage, PurgeHistoryFilters,
};
use crate::pages::purge_history::RunsTable;
use crate::server_fns::lists::{list_attributes, list_contacts};
use crate::server_fns::purge::purge_history;
use types::report::ReportRequest;

/// POM's search operators, as (value, words).
const SEARCH_OPERATORS: [(&str, &str); 3] = [
    ("equals", "equals"),
    ("contains", "contains"),
    ("startswith", "starts with"),
];

/// An operator in words ("starts with").
fn operator_words(operator: &str) -> &'static str {
    SEARCH_OPERATORS
        .iter()
        .find(|(value, _)| *value == operator)
        .map_or("equals", |(_, words)| words)
}

/// The search in the URL, when it names both an attribute and a value.
fn search_from_url(get: impl Fn(&str) -> Option<String>) -> Option<ContactSearchQuery> {
    let attribute = get("attr")?;
    let value = get("value")?;
    let operator = get("op")
        .filter(|op| SEARCH_OPERATORS.iter().any(|(known, _)| known == op))
        .unwrap_or_else(|| "equals".into());
    Some(ContactSearchQuery {
        attribute,
        operator,
        value,
    })
}

/// `/lists/{id}?attr=…&op=…&value=…&page=N`.
fn page_href(list_id: i64, search: &Option<ContactSearchQuery>, page: u32) -> String {
    let mut href = format!("/lists/{list_id}?page={page}");
    if let Some(search) = search {
        href.push_str(&format!(
            "&attr={}&op={}&value={}",
            percent_encode(&search.attribute),
            percent_encode(&search.operator),
            percent_encode(&search.value)
        ));
    }
    href
}

#[component]
fn SearchForm(
    list_id: i64,
    search: Option<ContactSearchQuery>,
    attributes: Vec<AttributeInfo>,
) -> impl IntoView {
    let search = search.unwrap_or_default();
    let chosen_operator = search.operator.clone();
    view! {
        <form class="filters" method="get" action=format!("/lists/{list_id}") aria-label="Search the contacts">
            <div class="field">
                <label for="search-attr">"Attribute"</label>
                <select id="search-attr" name="attr">
                    {attributes.into_iter().map(|a| {
                        let selected = a.name == search.attribute;
                        view! { <option value=a.name.clone() selected=selected>{a.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="search-op">"Operator"</label>
                <select id="search-op" name="op">
                    {SEARCH_OPERATORS.into_iter().map(|(value, words)| {
                        view! { <option value=value selected=value == chosen_operator>{words}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="search-value">"Value"</label>
                <input id="search-value" name="value" type="text" value=search.value.clone()/>
            </div>
            <div class="actions">
                <button type="submit" class="primary">"Search"</button>
                <a href=format!("/lists/{list_id}") class="button">"Clear"</a>
            </div>
        </form>
    }
}

#[component]
fn Contacts(page: ContactsPage, search: Option<ContactSearchQuery>) -> impl IntoView {
    let list_id = page.list.list_id;
    let list = page.list;
    let pages = page.total_pages;
    let empty = page.rows.is_empty();
    let matches = page.matches.zip(search.clone()).map(|(found, search)| {
        format!(
            "{} where {} {} “{}”.",
            plural(found, "contact", "contacts"),
            search.attribute,
            operator_words(&search.operator),
            search.value
        )
    });
    view! {
        <dl class="summary">
            <div><dt>"Id"</dt><dd>{list_id}</dd></div>
            <div><dt>"Organization"</dt><dd>{list.organization}</dd></div>
            <div><dt>"Time zone"</dt><dd>{list.zone.unwrap_or_else(|| "—".into())}</dd></div>
            <div><dt>"Total"</dt><dd data-testid="list-total">{thousands(list.total)}</dd></div>
            <div><dt>"Available"</dt><dd>{thousands(list.available)}</dd></div>
            <div><dt>"Excluded"</dt><dd>{thousands(list.excluded)}</dd></div>
        </dl>
        {matches.map(|text| view! { <p class="muted" role="status" data-testid="contacts-matches">{text}</p> })}
        <Show when=move || !empty fallback=|| view! { <p class="muted" data-testid="contacts-empty">"No contacts match."</p> }>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Contacts">
                <table class="data" data-testid="contacts-table">
                    <thead><tr>{page.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {page.rows.iter().map(|row| view! {
                            <tr data-testid="contact-row">{row.iter().enumerate().map(|(column, v)| match column {
                                // The first column is the contact's id: its page shows what rules did to it.
                                0 if !v.is_empty() => {
                                    let href = format!("/lists/{list_id}/contacts/{}", percent_encode(v));
                                    view! { <td><a href=href>{v.clone()}</a></td> }.into_any()
                                }
                                _ => view! { <td>{v.clone()}</td> }.into_any(),
                            }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </Show>
        <PageLinks page=page.page + 1 pages href=move |p| page_href(list_id, &search, p)/>
    }
}

/// The contact list page.
#[component]
pub fn ListDetailPage() -> impl IntoView {
    let query = use_query_map();
    let list_id = path_id("a contact list");
    let search = Memo::new(move |_| {
        query.with(|q| search_from_url(|key| q.get(key).filter(|v| !v.is_empty())))
    });
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });

    let contacts = Resource::new(
        move || (list_id.get(), page.get() - 1, search.get()),
        |(id, page, search)| async move { list_contacts(id?, page, search).await },
    );
    // A list id that is not a number has no purges either (0 matches none).
    let known_id = move || list_id.get().unwrap_or(0);
    let attributes = Resource::new(|| (), |_| list_attributes());
    let history = Resource::new(
        move || ReportRequest {
            filters: PurgeHistoryFilters {
                list_id: Some(known_id()),
                ..Default::default()
            },
            ..Default::default()
        },
        purge_history,
    );

    view! {
        <Suspense fallback=|| view! { <p class="muted">"Reading the list from POM…"</p> }>
            {move || Suspend::new(async move {
                let id = list_id.get_untracked().unwrap_or(0);
                let search = search.get_untracked();
                let attributes = attributes.await.unwrap_or_default();
                match contacts.await {
                    Ok(page) => view! {
                        <Title text=page.list.name.clone()/>
                        <div class="page-head">
                            <h1 data-testid="list-name">{page.list.name.clone()}</h1>
                            <a class="button primary" href=format!("/purge?list={id}") data-testid="purge-this-list">"Purge contacts from this list"</a>
                            <a href="/lists">"← All lists"</a>
                        </div>
                        <SearchForm list_id=id search=search.clone() attributes/>
                        <Contacts page search/>
                    }.into_any(),
                    Err(error) => view! {
                        <Title text="Contact list"/>
                        <div class="page-head"><h1>"Contact list"</h1><a href="/lists">"← All lists"</a></div>
                        <LoadError error/>
                    }.into_any(),
                }
            })}
        </Suspense>
        <section class="section" aria-labelledby="list-purges-title">
            <div class="card-head">
                <h2 id="list-purges-title">"Purges of this list"</h2>
                <a href=move || format!("/purge/history?list_id={}", known_id())>"Full history →"</a>
            </div>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match history.await {
                        Ok(page) => view! { <RunsTable rows=page.rows compact=true/> }.into_any(),
                        Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_needs_an_attribute_and_a_value() {
        assert_eq!(search_from_url(|_| None), None);
        let search = search_from_url(|key| match key {
            "attr" => Some("CITY".into()),
            "value" => Some("Den Haag".into()),
            "op" => Some("drop table".into()),
            _ => None,
        })
        .expect("search");
        assert_eq!(search.operator, "equals");
        assert_eq!(
            page_href(4, &Some(search), 2),
            "/lists/4?page=2&attr=CITY&op=equals&value=Den%20Haag"
        );
    }
}

//! Contact uploads page (admins): choose a contact list and one of its data sources and upload a
//! file of contacts (a plain multipart post to `/uploads/file`, so it works without JavaScript;
//! the upload's own page then shows its column mapping and pre-flight, and nothing reaches POM
//! before it is confirmed there), the latest uploads, and links to the history and to the data
//! sources.

mod form;
mod sources;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::model::{UploadHistoryFilters, UploadTarget};
use crate::pages::upload_history::HistoryTable;
use crate::server_fns::uploads::{upload_history, upload_targets};
use form::UploadPanel;
pub use sources::kind_word;
use types::report::ReportRequest;

/// How many of the latest uploads the page shows.
const LATEST: usize = 10;

/// `/uploads`, or `/uploads?organization=…`.
fn uploads_href(organization: &str) -> String {
    if organization.is_empty() {
        "/uploads".into()
    } else {
        format!(
            "/uploads?organization={}",
            crate::model::percent_encode(organization)
        )
    }
}

/// The organizations the lists belong to, sorted, each once.
fn organizations_of(targets: &[UploadTarget]) -> Vec<String> {
    let mut names: Vec<String> = targets.iter().map(|t| t.organization.clone()).collect();
    names.sort();
    names.dedup();
    names
}

/// The organization filter: a plain GET form without JavaScript, at once with it.
#[component]
fn OrganizationFilter(organizations: Vec<String>, chosen: Option<String>) -> impl IntoView {
    let navigate = use_navigate();
    let chosen = chosen.unwrap_or_default();
    view! {
        <form class="board-org" method="get" action="/uploads" on:submit=move |ev| ev.prevent_default()>
            <label for="upload-organization">"Organization"</label>
            <select id="upload-organization" name="organization"
                on:change=move |ev| navigate(&uploads_href(&event_target_value(&ev)), Default::default())>
                <option value="">"All organizations"</option>
                {organizations.into_iter().map(|name| {
                    let selected = name == chosen;
                    view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="small js-hidden">"Show"</button>
        </form>
    }
}

/// The uploads page. `?organization=` narrows the lists and the latest uploads; `?error=…` comes
/// back from an upload the server refused before storing it.
#[component]
pub fn UploadsPage() -> impl IntoView {
    let query = use_query_map();
    let organization =
        Memo::new(move |_| query.with(|q| q.get("organization").filter(|o| !o.trim().is_empty())));
    let upload_error = Memo::new(move |_| query.with(|q| q.get("error").filter(|e| !e.is_empty())));
    let targets = Resource::new(|| (), |_| upload_targets(None));
    let latest = Resource::new(
        move || organization.get(),
        |organization| {
            upload_history(ReportRequest {
                filters: UploadHistoryFilters {
                    organization,
                    ..UploadHistoryFilters::default()
                },
                ..ReportRequest::default()
            })
        },
    );
    view! {
        <Title text="Uploads"/>
        <div class="page-head">
            <h1>"Contact uploads"</h1>
            <p class="muted">"Add contacts to a POM contact list through one of its data sources. Every file is checked and its columns mapped before anything is sent."</p>
        </div>
        <Suspense fallback=|| view! { <section class="panel"><p class="muted">"Reading the contact lists from POM…"</p></section> }>
            {move || Suspend::new(async move {
                match targets.await {
                    Ok(targets) => {
                        let chosen = organization.get_untracked();
                        view! {
                            <div class="board-bar">
                                <OrganizationFilter organizations=organizations_of(&targets) chosen/>
                                <a href="/uploads/history" data-testid="upload-history-link">"Upload history"</a>
                                <a href="/uploads/sources" data-testid="upload-sources-link">"Data sources"</a>
                            </div>
                            <UploadPanel targets organization error=upload_error.get_untracked()/>
                        }.into_any()
                    }
                    Err(error) => view! {
                        <section class="panel" aria-labelledby="upload-form-title">
                            <h2 id="upload-form-title">"Upload a file"</h2>
                            <p class="notice error" role="alert">{error.to_string()}</p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
        <section class="section" aria-labelledby="upload-latest-title">
            <div class="section-head">
                <h2 id="upload-latest-title">"Latest uploads"</h2>
                <a href="/uploads/history">"All uploads →"</a>
            </div>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match latest.await {
                        Ok(page) => {
                            let rows = page.rows.into_iter().take(LATEST).collect::<Vec<_>>();
                            view! { <HistoryTable rows compact=true/> }.into_any()
                        }
                        Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organization_goes_into_the_link() {
        assert_eq!(uploads_href(""), "/uploads");
        assert_eq!(uploads_href("Sales EU"), "/uploads?organization=Sales%20EU");
    }
}

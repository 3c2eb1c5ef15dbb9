//! DNC page: upload a file of phone numbers and e-mail addresses for the organization's DNC list,
//! or of user contact ids to mark uncallable in a contact list (checked first on the pre-flight
//! page; nothing reaches POM before it is confirmed there), check, add or remove one address, and
//! the recent uploads.

mod recent;
mod single;
mod upload_form;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::server_fns::dnc::{dnc_upload_targets, dnc_uploads};
use recent::UploadsTable;
use single::SinglePanel;
use upload_form::UploadPanel;

/// The DNC page. `?error=…` comes back from an upload the server refused before its pre-flight;
/// `?address=…` checks one address (the check form's plain submission when JavaScript is off).
#[component]
pub fn DncPage() -> impl IntoView {
    let query = use_query_map();
    let upload_error = Memo::new(move |_| query.with(|q| q.get("error").filter(|e| !e.is_empty())));
    let address =
        Memo::new(move |_| query.with(|q| q.get("address").filter(|a| !a.trim().is_empty())));
    let targets = Resource::new(|| (), |_| dnc_upload_targets());
    let uploads = Resource::new(|| (), |_| dnc_uploads());
    view! {
        <Title text="DNC"/>
        <div class="page-head">
            <h1>"Do not call"</h1>
            <p class="muted">"Add numbers and e-mail addresses to your organization's POM DNC list, or mark contacts uncallable. Every file is checked before anything is sent."</p>
        </div>
        <div class="dnc-panels">
            <Suspense fallback=|| view! { <section class="panel"><p class="muted">"Reading the lists from POM…"</p></section> }>
                {move || Suspend::new(async move {
                    match targets.await {
                        Ok(targets) => view! { <UploadPanel targets error=upload_error.get_untracked()/> }.into_any(),
                        Err(error) => view! {
                            <section class="panel" aria-labelledby="dnc-upload-title">
                                <h2 id="dnc-upload-title">"Upload a file"</h2>
                                <p class="notice error" role="alert">{error.to_string()}</p>
                            </section>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <SinglePanel address/>
        </div>
        <section class="section" aria-labelledby="dnc-uploads-title">
            <h2 id="dnc-uploads-title">"Recent uploads"</h2>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match uploads.await {
                        Ok(rows) => view! { <UploadsTable rows/> }.into_any(),
                        Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

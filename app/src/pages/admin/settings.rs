//! The settings page (`/admin/settings`): the effective configuration as `ocm
//! check-config` prints it, secrets hidden, and the health of the database and POM. Settings
//! change in the environment, not here (the page says so), except which roles must sign in with a
//! second factor.

use leptos::prelude::*;
use leptos_meta::Title;

use super::sign_in_policy::SignInPolicyForm;
use crate::components::load_error::LoadError;
use crate::pages::dashboard::StatusCard;
use crate::server_fns::admin::settings_view;

/// The settings page.
#[component]
pub fn AdminSettingsPage() -> impl IntoView {
    let view_data = Resource::new(|| (), |_| settings_view());
    view! {
        <Title text="Settings"/>
        <div class="page-head">
            <h1>"Settings"</h1>
            <p class="muted">"What OCM runs with, read from its environment at start-up (secrets hidden). Change them there and restart; see the README's configuration table."</p>
        </div>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(found) => view! {
                        <div class="cards">
                            <StatusCard title="Database" status=found.status.database/>
                            <StatusCard title="POM dialer" status=found.status.pom/>
                        </div>
                        <SignInPolicyForm/>
                        <section class="card" aria-labelledby="config-title">
                            <h2 id="config-title">"Configuration"</h2>
                            <table class="data" data-testid="settings">
                                <caption class="sr-only">"Effective configuration"</caption>
                                <thead><tr><th scope="col">"Variable"</th><th scope="col">"Value"</th></tr></thead>
                                <tbody>
                                    {found.lines.into_iter().map(|line| view! {
                                        <tr><th scope="row"><code>{line.name}</code></th><td>{line.value}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

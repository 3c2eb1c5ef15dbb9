//! The organizations section of `/admin/teams`: each with its teams and active users, added after
//! POM confirms the name, deactivated once it has no active team.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::form_note::{FieldNote, FormNote};
use crate::error::AppError;
use crate::model::OrganizationRow;
use crate::server_fns::admin::{create_organization, set_organization_active};

/// The organizations table and the form that adds one; `on_changed` reloads the directory.
#[component]
pub fn Organizations(
    organizations: Vec<OrganizationRow>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        spawn_local(async move {
            match create_organization(name.get_untracked()).await {
                Ok(_) => {
                    error.set(None);
                    name.set(String::new());
                    on_changed.run(());
                }
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let toggle = move |organization_id: i64, active: bool| {
        spawn_local(async move {
            match set_organization_active(organization_id, active).await {
                Ok(()) => {
                    error.set(None);
                    on_changed.run(());
                }
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="organizations-title">
            <h2 id="organizations-title">"Organizations"</h2>
            <table class="data" data-testid="organizations">
                <caption class="sr-only">"Organizations"</caption>
                <thead><tr><th scope="col">"Name (as in POM)"</th><th scope="col">"Teams"</th><th scope="col">"Active users"</th><th scope="col">"Status"</th><th scope="col"><span class="sr-only">"Actions"</span></th></tr></thead>
                <tbody>
                    {organizations.into_iter().map(|o| {
                        let id = o.organization_id;
                        let active = o.active;
                        let label = format!("{} {}", if active { "Deactivate" } else { "Activate" }, o.name);
                        view! {
                            <tr>
                                <td>{o.name.clone()}</td>
                                <td class="num">{o.teams}</td>
                                <td class="num">{o.users}</td>
                                <td>{if active { "Active" } else { "Deactivated" }}</td>
                                <td class="row-actions"><button type="button" aria-label=label on:click=move |_| toggle(id, !active)>
                                    {if active { "Deactivate" } else { "Activate" }}
                                </button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <form class="field-row" on:submit=add aria-label="Add an organization">
                <label class="field">
                    <span>"New organization"</span>
                    <input id="new-organization" type="text" spellcheck="false" placeholder="exactly as POM spells it"
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev))
                        aria-describedby="new-organization-error"/>
                    <FieldNote id="new-organization-error".into() error field="name"/>
                </label>
                <div class="field submit"><button type="submit" disabled=busy>"Add organization"</button></div>
            </form>
            <FormNote error fields=&["name"]/>
        </section>
    }
}

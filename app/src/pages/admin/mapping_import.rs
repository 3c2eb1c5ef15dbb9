//! Exporting and importing the mappings as CSV: a file is read in the browser (at most 1 MiB),
//! checked whole on the server (every refusal names its row and column), and applied only when
//! clean and confirmed.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::file_text::read_chosen_file;
use crate::error::AppError;
use crate::model::MappingImport;
use crate::server_fns::mappings::import_mappings;

/// Files over this are refused before they are read (the server's bound too).
const MAX_BYTES: u64 = 1024 * 1024;

/// The import and export section; `on_changed` reloads the mappings after an import.
#[component]
pub fn ImportForm(on_changed: Callback<()>) -> impl IntoView {
    let kind = RwSignal::new("campaigns".to_string());
    let text = RwSignal::new(None::<(String, String)>);
    let result = RwSignal::new(None::<MappingImport>);
    let error = RwSignal::new(None::<String>);
    let send = move |apply: bool| {
        let Some((_, content)) = text.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match import_mappings(kind.get_untracked(), content, apply).await {
                Ok(found) => {
                    error.set(None);
                    if found.applied {
                        on_changed.run(());
                    }
                    result.set(Some(found));
                }
                Err(problem) => error.set(Some(AppError::to_string(&problem))),
            }
        });
    };
    let chosen = move |ev: leptos::ev::Event| {
        result.set(None);
        read_chosen_file(
            ev,
            MAX_BYTES,
            move |name, content| {
                error.set(None);
                text.set(Some((name, content)));
            },
            move |problem| {
                text.set(None);
                error.set(Some(problem));
            },
        );
    };
    view! {
        <section class="card" aria-labelledby="mapping-files-title">
            <h2 id="mapping-files-title">"Files"</h2>
            <p class="actions">
                <a class="button" href="/admin/mappings/campaign-teams.csv" download>"Export campaign teams (CSV)"</a>
                <a class="button" href="/admin/mappings/agent-teams.csv" download>"Export agent teams (CSV)"</a>
            </p>
            <p class="muted small">"A campaign-teams file replaces the teams of each campaign it names (others stay as they are); an agent-teams file adds periods (rows already stored are skipped). Any refused row applies nothing."</p>
            <div class="field-row">
                <label class="field"><span>"Import"</span>
                    <select id="import-kind" on:change=move |ev| { result.set(None); kind.set(event_target_value(&ev)); }>
                        <option value="campaigns">"Campaign teams (organization, campaign, team)"</option>
                        <option value="agents">"Agent teams (agent_id, team, valid_from, valid_to)"</option>
                    </select>
                </label>
                <label class="field"><span>"CSV file (at most 1 MiB)"</span>
                    <input id="import-file" type="file" accept=".csv,text/csv" on:change=chosen/>
                </label>
                <div class="field submit"><button type="button" on:click=move |_| send(false) disabled=move || text.with(Option::is_none)>"Check"</button></div>
            </div>
            {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
            {move || result.get().map(|found| {
                if found.applied {
                    view! { <p class="notice info" role="status" data-testid="import-applied">{format!("Imported {} rows.", found.rows)}</p> }.into_any()
                } else if found.problems.is_empty() {
                    view! {
                        <p class="notice info" role="status" data-testid="import-ready">{format!("{} rows checked, no problem found.", found.rows)}</p>
                        <button type="button" class="primary" on:click=move |_| send(true)>"Apply the file"</button>
                    }.into_any()
                } else {
                    view! {
                        <div class="notice error" role="alert" data-testid="import-problems">
                            <p>"Nothing was changed. Fix these rows and check again:"</p>
                            <ul>{found.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                        </div>
                    }.into_any()
                }
            })}
        </section>
    }
}

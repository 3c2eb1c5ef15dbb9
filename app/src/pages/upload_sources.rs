//! Data sources page (admins): which POM file data source feeds each contact list, where it reads
//! its file on the SFTP drop, whether it appends or replaces, and the file layout it expects.
//! Uploads use these mappings; edit and delete here (changes are audited). Editing needs
//! JavaScript; the table reads without it.

mod checks;
mod fields;
mod form;
mod table;

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use crate::components::format::error_text;
use crate::error::AppError;
use crate::model::DataSourceRow;
use crate::pages::dnc_upload::focus_later;
use crate::server_fns::uploads::{data_sources, delete_data_source, upload_targets};
use form::SourceForm;
use table::SourcesTable;

/// The confirmation before a mapping is removed.
#[component]
fn DeleteDialog(
    pending: RwSignal<Option<DataSourceRow>>,
    on_deleted: Callback<String>,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    // Focus starts on Cancel: Enter by habit must not delete.
    let cancel = NodeRef::<html::Button>::new();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    Effect::new(move |_| {
        if pending.with(Option::is_none) {
            return;
        }
        if let Some(dialog) = dialog.get() {
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        }
        if let Some(button) = cancel.get() {
            let _ = button.focus();
        }
    });
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let confirm = move |_| {
        let Some(row) = pending.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match delete_data_source(row.data_source_id).await {
                Ok(()) => {
                    close();
                    on_deleted.run(row.name);
                }
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let text = move || {
        pending.with(|p| {
            p.as_ref().map(|row| {
                format!(
                    "OCM stops using {} for {} ({}). Uploads already made keep their record; POM's data source itself is not changed.",
                    row.name, row.list_name, row.organization
                )
            })
        })
    };
    view! {
        <dialog node_ref=dialog class="confirm-dialog" aria-labelledby="source-delete-title"
            aria-describedby="source-delete-text" data-testid="source-delete-dialog"
            on:close=move |_| { pending.set(None); error.set(None); }>
            <h2 id="source-delete-title">{move || pending.with(|p| p.as_ref().map(|r| format!("Delete the data source {}?", r.name)))}</h2>
            <p id="source-delete-text">{text}</p>
            {move || error.get().map(|problem| view! { <p class="notice error" role="alert">{error_text(&problem)}</p> })}
            <div class="actions">
                <button type="button" class="danger" data-testid="source-confirm-delete" disabled=move || busy.get() on:click=confirm>
                    "Delete"
                </button>
                <button type="button" node_ref=cancel data-testid="source-delete-cancel" on:click=move |_| close()>"Cancel"</button>
            </div>
        </dialog>
    }
}

/// The data sources page.
#[component]
pub fn UploadSourcesPage() -> impl IntoView {
    let sources = Resource::new(|| (), |_| data_sources());
    let targets = Resource::new(|| (), |_| upload_targets(None));
    let editing = RwSignal::new(None::<DataSourceRow>);
    let pending = RwSignal::new(None::<DataSourceRow>);
    let notice = RwSignal::new(None::<String>);
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let edit = Callback::new(move |row: DataSourceRow| {
        notice.set(None);
        editing.set(Some(row));
        focus_later("source-form-title");
    });
    let remove = Callback::new(move |row: DataSourceRow| {
        notice.set(None);
        pending.set(Some(row));
    });
    let on_saved = Callback::new(move |row: DataSourceRow| {
        notice.set(Some(format!("Saved the data source {}.", row.name)));
        editing.set(None);
        sources.refetch();
        focus_later("sources-title");
    });
    let on_deleted = Callback::new(move |name: String| {
        notice.set(Some(format!("Deleted the data source {name}.")));
        if editing.with_untracked(|e| e.as_ref().is_some_and(|r| r.name == name)) {
            editing.set(None);
        }
        sources.refetch();
    });
    let on_cancel = Callback::new(move |_| editing.set(None));
    view! {
        <Title text="Data sources"/>
        <div class="page-head">
            <h1>"Data sources"</h1>
            <p class="muted">"Which POM file data source feeds each contact list, and where it reads its file on the SFTP drop. Times are UTC."</p>
            <a href="/uploads">"← Uploads"</a>
        </div>
        <p class="notice info needs-js">"Adding, editing and deleting data sources need JavaScript."</p>
        <div class="action-status" role="status" aria-live="polite" data-testid="source-notice">
            {move || notice.get().map(|m| view! { <p class="notice ok">{m}</p> })}
        </div>
        <section class="section" aria-labelledby="sources-title">
            <h2 id="sources-title" tabindex="-1">"Mapped data sources"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match sources.await {
                        Ok(rows) => view! { <SourcesTable rows edit remove ready/> }.into_any(),
                        Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section class="section" aria-label="Data source form">
            <Suspense fallback=|| view! { <p class="muted">"Reading the contact lists from POM…"</p> }>
                {move || Suspend::new(async move {
                    match targets.await {
                        Ok(targets) => (move || {
                            let targets = targets.clone();
                            view! { <SourceForm initial=editing.get() targets on_saved on_cancel/> }
                        }).into_any(),
                        Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <DeleteDialog pending on_deleted/>
    }
}

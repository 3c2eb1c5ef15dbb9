//! Restore: the run's snapshot page by page with a checkbox per restorable contact, "Restore all"
//! (confirmed by typing the number) and "Restore selected" (confirmed once), and the restore
//! job's progress; the page's figures are reloaded when the job ends.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::job_end::{busy_job, when_job_ends};
use super::restore_confirm::{RestoreAllConfirm, RestoreSelectedConfirm};
use crate::components::format::error_text;
use crate::components::job_events::JobEvents;
use crate::components::job_progress::JobProgress;
use crate::components::pager::{thousands, Pager};
use crate::error::AppError;
use crate::model::{JobView, SnapshotContact, SnapshotPage};
use crate::server_fns::jobs::get_job;
use crate::server_fns::purge::restore_purge;

/// Deleted contacts not yet back in the list can be restored (again, after a failed try).
fn restorable(contact: &SnapshotContact) -> bool {
    contact.state == "deleted" && matches!(contact.restore_state.as_deref(), None | Some("failed"))
}

/// The confirm step on screen.
#[derive(Clone, Copy, PartialEq)]
enum Asking {
    All,
    Selected,
}

#[component]
fn SnapshotTable(
    page: SnapshotPage,
    selectable: bool,
    selected: RwSignal<Vec<String>>,
) -> impl IntoView {
    let on_page = StoredValue::new(
        page.contacts
            .iter()
            .filter(|c| restorable(c))
            .map(|c| c.user_contact_id.clone())
            .collect::<Vec<_>>(),
    );
    let all_on_page = move || {
        on_page.with_value(|ids| {
            !ids.is_empty() && selected.with(|s| ids.iter().all(|id| s.contains(id)))
        })
    };
    let toggle_page = move |on: bool| {
        on_page.with_value(|ids| {
            selected.update(|s| {
                s.retain(|id| !ids.contains(id));
                if on {
                    s.extend(ids.iter().cloned());
                }
            })
        })
    };
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Snapshot of the purged contacts">
            <table class="data" data-testid="snapshot-table">
                <thead>
                    <tr>
                        {selectable.then(|| view! {
                            <th scope="col" class="check">
                                <input type="checkbox" id="snapshot-all" aria-label="Select every restorable contact on this page"
                                    prop:checked=all_on_page on:change=move |ev| toggle_page(event_target_checked(&ev))/>
                            </th>
                        })}
                        <th scope="col">"User contact id"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Restore"</th>
                        {page.columns.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {page.contacts.into_iter().map(|contact| {
                        let id = contact.user_contact_id.clone();
                        let check = selectable.then(|| {
                            let can = restorable(&contact);
                            let label = format!("Select contact {id}");
                            let (checked_id, toggle_id) = (id.clone(), id.clone());
                            view! {
                                <td class="check">
                                    <input type="checkbox" name="contact" value=id.clone() aria-label=label disabled=!can
                                        prop:checked=move || selected.with(|s| s.contains(&checked_id))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            selected.update(|s| {
                                                s.retain(|x| *x != toggle_id);
                                                if on { s.push(toggle_id.clone()); }
                                            });
                                        }/>
                                </td>
                            }
                        });
                        view! {
                            <tr data-testid="snapshot-row" data-contact-id=id>
                                {check}
                                <td><code>{contact.user_contact_id}</code></td>
                                <td>{contact.state}</td>
                                <td>
                                    {contact.restore_state.unwrap_or_else(|| "—".into())}
                                    {contact.restore_error.map(|e| view! { <span class="muted small">{format!(" ({e})")}</span> })}
                                </td>
                                {contact.values.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The restore part of a run's page. `purge_job` and `restore_job` as loaded; `href` pages the
/// snapshot; `on_final` runs when a restore job ends.
#[component]
pub fn RestoreSection(
    purge_run_id: i64,
    restorable_count: i64,
    purge_job: JobView,
    restore_job: Option<JobView>,
    snapshot: Resource<Result<SnapshotPage, AppError>>,
    href: impl Fn(u32) -> String + Send + Sync + Clone + 'static,
    on_final: Callback<JobView>,
) -> impl IntoView {
    let events = JobEvents::get();
    let selected = RwSignal::new(Vec::<String>::new());
    let awaiting = RwSignal::new(restore_job.as_ref().is_some_and(|j| !j.state.is_final()));
    let job = RwSignal::new(restore_job);
    when_job_ends(job, awaiting, on_final);
    let sending = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let asking = RwSignal::new(None::<Asking>);
    let offer = restorable_count > 0;
    let purge_job = Some(purge_job);
    // Restoring while the purge still deletes, or while another restore runs, would race.
    let blocked =
        Memo::new(move |_| busy_job(events, &purge_job) || job.with(|j| busy_job(events, j)));
    let restore = move |ids: Vec<String>, typed_count: Option<String>| {
        sending.set(true);
        error.set(None);
        spawn_local(async move {
            match restore_purge(purge_run_id, ids, typed_count).await {
                Ok(job_id) => match get_job(job_id).await {
                    Ok(view) => {
                        selected.set(Vec::new());
                        asking.set(None);
                        awaiting.set(true);
                        job.set(Some(view));
                    }
                    Err(problem) => error.set(Some(problem)),
                },
                Err(problem) => error.set(Some(problem)),
            }
            sending.set(false);
        });
    };
    let busy = Signal::derive(move || blocked.get() || sending.get());
    let back = Callback::new(move |_| asking.set(None));
    view! {
        <section class="section" aria-labelledby="restore-title" data-testid="restore-section">
            <h2 id="restore-title">"Restore"</h2>
            <Show when=move || offer fallback=|| view! { <p class="muted" data-testid="restore-none">"No deleted contact of this run can be restored."</p> }>
                <p class="muted" data-testid="restorable-count">{format!(
                    "{} deleted {} can be restored from the snapshot.",
                    thousands(restorable_count),
                    if restorable_count == 1 { "contact" } else { "contacts" }
                )}</p>
                <div class="actions">
                    <button type="button" class="primary" data-testid="restore-all"
                        disabled=move || busy.get() || asking.get().is_some() on:click=move |_| asking.set(Some(Asking::All))>
                        {format!("Restore all {}", thousands(restorable_count))}
                    </button>
                    <button type="button" data-testid="restore-selected"
                        disabled=move || busy.get() || asking.get().is_some() || selected.with(Vec::is_empty)
                        on:click=move |_| asking.set(Some(Asking::Selected))>
                        {move || format!("Restore selected ({})", selected.with(Vec::len))}
                    </button>
                    <Show when=move || blocked.get()>
                        <span class="muted small">"Restore is possible once the running job has finished."</span>
                    </Show>
                </div>
                {move || match asking.get() {
                    Some(Asking::All) => Some(view! {
                        <RestoreAllConfirm count=restorable_count busy back
                            confirm=Callback::new(move |typed: String| restore(Vec::new(), Some(typed)))/>
                    }.into_any()),
                    Some(Asking::Selected) if selected.with(|s| !s.is_empty()) => Some(view! {
                        <RestoreSelectedConfirm count={selected.with(Vec::len) as i64} busy back
                            confirm=Callback::new(move |_| restore(selected.get_untracked(), None))/>
                    }.into_any()),
                    _ => None,
                }}
            </Show>
            {move || error.get().map(|problem| view! { <p class="notice error" role="alert">{error_text(&problem)}</p> })}
            {move || job.get().map(|initial| view! { <JobProgress initial/> })}
            <Suspense fallback=|| view! { <p class="muted">"Loading the snapshot…"</p> }>
                {
                    let href = href.clone();
                    move || {
                        let href = href.clone();
                        Suspend::new(async move {
                            match snapshot.await {
                                Ok(page) => {
                                    let (number, size, total) = (page.page + 1, page.page_size, page.total);
                                    view! {
                                        <SnapshotTable page selectable=offer selected/>
                                        <Pager page=number page_size=size total href/>
                                    }.into_any()
                                }
                                Err(problem) => view! { <p class="notice error" role="alert">{problem.to_string()}</p> }.into_any(),
                            }
                        })
                    }
                }
            </Suspense>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(state: &str, restore_state: Option<&str>) -> SnapshotContact {
        SnapshotContact {
            user_contact_id: "C1".into(),
            state: state.into(),
            restore_state: restore_state.map(String::from),
            restore_error: None,
            values: Vec::new(),
        }
    }

    #[test]
    fn only_deleted_contacts_not_yet_back_are_restorable() {
        assert!(restorable(&contact("deleted", None)));
        assert!(restorable(&contact("deleted", Some("failed"))));
        assert!(!restorable(&contact("deleted", Some("restored"))));
        assert!(!restorable(&contact("deleted", Some("exists"))));
        assert!(!restorable(&contact("failed", None)));
    }
}

//! Retrying the run's failed deletes (contacts still being dialled after every try) from the run's
//! page, as a job whose progress is shown here; the run's figures are reloaded when it ends.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::job_end::{busy_job, when_job_ends};
use crate::components::format::error_text;
use crate::components::job_events::JobEvents;
use crate::components::job_progress::JobProgress;
use crate::components::pager::thousands;
use crate::error::AppError;
use crate::model::JobView;
use crate::server_fns::jobs::get_job;
use crate::server_fns::purge::{purge_retry_job, retry_purge};

/// The button's words: "Retry the 1 failed delete", "Retry the 1,204 failed deletes".
pub fn retry_label(failed: i64) -> String {
    if failed == 1 {
        "Retry the 1 failed delete".to_string()
    } else {
        format!("Retry the {} failed deletes", thousands(failed))
    }
}

/// Why the deletes failed and why retrying them is safe, in the right number.
fn retry_note(failed: i64) -> &'static str {
    if failed == 1 {
        "This contact was still being dialled after every try. Its record is already in the \
         snapshot (taken before the first try), so it can be restored like the others once deleted."
    } else {
        "These contacts were still being dialled after every try. Their records are already in the \
         snapshot (taken before the first try), so they can be restored like the others once deleted."
    }
}

#[component]
fn RetryPanel(
    purge_run_id: i64,
    failed: i64,
    purge_job: JobView,
    retry_job: Option<JobView>,
    on_final: Callback<JobView>,
) -> impl IntoView {
    let events = JobEvents::get();
    let awaiting = RwSignal::new(retry_job.as_ref().is_some_and(|j| !j.state.is_final()));
    let job = RwSignal::new(retry_job);
    when_job_ends(job, awaiting, on_final);
    let sending = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let purge_job = Some(purge_job);
    let blocked =
        Memo::new(move |_| busy_job(events, &purge_job) || job.with(|j| busy_job(events, j)));
    // Deleting again is destructive: one more press, naming how many and for how long it is offered.
    let confirming = RwSignal::new(false);
    let retry = move |_| {
        confirming.set(false);
        sending.set(true);
        error.set(None);
        spawn_local(async move {
            match retry_purge(purge_run_id).await {
                Ok(job_id) => match get_job(job_id).await {
                    Ok(view) => {
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
    view! {
        <Show when=move || { failed > 0 }>
            <p class="muted">{retry_note(failed)}</p>
            <div class="actions">
                <button type="button" class="primary" data-testid="retry-failed"
                    disabled=move || blocked.get() || sending.get() || confirming.get()
                    on:click=move |_| confirming.set(true)>
                    {retry_label(failed)}
                </button>
                <Show when=move || blocked.get()>
                    <span class="muted small">"A retry is possible once the running job has finished."</span>
                </Show>
            </div>
        </Show>
        <Show when=move || confirming.get()>
            <div class="panel confirm" role="alertdialog" aria-labelledby="retry-confirm-title" data-testid="retry-confirm-panel">
                <h3 id="retry-confirm-title">{format!("{}?", retry_label(failed))}</h3>
                <p>"They are deleted from the list as the purge would have deleted them. Retries are offered for a day after the purge ended; after that, define a new purge."</p>
                <div class="actions">
                    <button type="button" class="danger" data-testid="retry-confirm" on:click=retry>"Delete them now"</button>
                    <button type="button" data-testid="retry-back" on:click=move |_| confirming.set(false)>"Back"</button>
                </div>
            </div>
        </Show>
        {move || error.get().map(|problem| view! { <p class="notice error" role="alert">{error_text(&problem)}</p> })}
        {move || job.get().map(|initial| view! { <div data-testid="retry-job"><JobProgress initial/></div> })}
    }
}

/// The retry part of the failures section: the button, and the latest retry job's progress.
#[component]
pub fn RetrySection(
    purge_run_id: i64,
    failed: i64,
    purge_job: JobView,
    on_final: Callback<JobView>,
) -> impl IntoView {
    let latest = Resource::new(move || purge_run_id, purge_retry_job);
    view! {
        <Suspense fallback=|| ()>
            {
                let purge_job = purge_job.clone();
                move || {
                    let purge_job = purge_job.clone();
                    Suspend::new(async move {
                        match latest.await {
                            Ok(retry_job) => view! {
                                <RetryPanel purge_run_id failed purge_job retry_job on_final/>
                            }.into_any(),
                            Err(problem) => view! { <p class="notice error" role="alert">{problem.to_string()}</p> }.into_any(),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::{retry_label, retry_note};

    #[test]
    fn the_button_counts_the_failed_deletes() {
        assert_eq!(retry_label(1), "Retry the 1 failed delete");
        assert_eq!(retry_label(1_204), "Retry the 1,204 failed deletes");
        assert!(retry_note(1).starts_with("This contact was"));
        assert!(retry_note(2).starts_with("These contacts were"));
    }
}

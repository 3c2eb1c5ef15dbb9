//! Step 3: confirm by typing the count, then follow the purge job.

use leptos::prelude::*;

use crate::components::format::plural;
use crate::components::job_progress::JobProgress;
use crate::error::AppError;
use crate::model::JobView;

/// The typed confirmation, digits only: "1,234" and "1 234" count as 1234.
pub fn typed_digits(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !matches!(c, ',' | '.' | ' ' | '_' | '\u{a0}'))
        .collect()
}

/// The confirmation. `confirm` sends the typed text; `busy` while a request is out.
#[component]
pub fn ConfirmStep(
    matched: i64,
    typed: RwSignal<String>,
    confirm: Callback<String>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let expected = matched.to_string();
    let matches = Memo::new(move |_| typed.with(|t| typed_digits(t.trim()) == expected));
    let submit = move || {
        if matches.get_untracked() && !busy.get_untracked() {
            confirm.run(typed_digits(typed.get_untracked().trim()));
        }
    };
    view! {
        <form class="confirm" aria-labelledby="confirm-title"
            on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2 id="confirm-title">"3 · Confirm"</h2>
            <p>
                "Deleted contacts are kept in a snapshot for a while and can be restored from the run's page. "
                "To go ahead, type the number of contacts that will be deleted."
            </p>
            <div class="field">
                <label for="confirm-count">{format!("Type {matched} to confirm")}</label>
                <input id="confirm-count" name="confirm-count" type="text" inputmode="numeric" autocomplete="off"
                    data-testid="confirm-count" prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))/>
            </div>
            <div class="actions">
                <button type="submit" class="danger" data-testid="confirm-purge"
                    disabled=move || !matches.get() || busy.get()>
                    {format!("Delete {}", plural(matched, "contact", "contacts"))}
                </button>
            </div>
        </form>
    }
}

/// What starting led to: the job, followed live, and the run's page.
#[component]
pub fn StartedView(purge_run_id: i64, job: Result<JobView, AppError>) -> impl IntoView {
    let href = format!("/purge/runs/{purge_run_id}");
    view! {
        <section class="card" aria-labelledby="started-title" data-testid="purge-started">
            <div class="card-head">
                <h2 id="started-title" tabindex="-1">"Purge started"</h2>
                <a href=href data-testid="purge-run-link">{format!("Open purge run #{purge_run_id} →")}</a>
            </div>
            {match job {
                Ok(job) => view! { <JobProgress initial=job/> }.into_any(),
                Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
            }}
            <p><a href="/purge">"Define another purge"</a></p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::typed_digits;

    #[test]
    fn separators_are_ignored_when_comparing_the_count() {
        assert_eq!(typed_digits("1,234"), "1234");
        assert_eq!(typed_digits("1 234"), "1234");
        assert_eq!(typed_digits("12a"), "12a");
    }
}

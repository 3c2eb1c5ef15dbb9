//! Following a sent upload: OCM's state, the job's live progress (POM's processed rows of the
//! rows sent), when POM runs the data source (counted down, `start_wait.rs`), POM's import job
//! and state, POM's ten counters next to OCM's pre-flight counts, and once complete how many sent
//! rows are not in the list.

use leptos::prelude::*;

use super::start_wait::StartWait;
use crate::components::format::{pom_wall_time, short_time};
use crate::components::job_progress::JobProgress;
use crate::components::pager::thousands;
use crate::components::upload_state::{is_following, upload_state_word};
use crate::model::{ImportCounters, JobView, UploadState, UploadView};
use crate::pages::upload_history::maybe_count;

/// POM's counters as (key, words, value).
fn counter_rows(c: &ImportCounters) -> [(&'static str, &'static str, i64); 10] {
    [
        ("success", "Added", c.success),
        ("update", "Updated", c.update),
        ("runtime_errors", "Runtime errors", c.runtime_errors),
        (
            "validation_failed",
            "Validation failed",
            c.validation_failed,
        ),
        (
            "duplicates_ignored",
            "Duplicates ignored",
            c.duplicates_ignored,
        ),
        (
            "reject_pattern_matches",
            "Reject pattern matches",
            c.reject_pattern_matches,
        ),
        ("deleted", "Deleted", c.deleted),
        ("dnc_matches", "DNC matches", c.dnc_matches),
        (
            "phone_format_failed",
            "Phone format failed",
            c.phone_format_failed,
        ),
        ("processed", "Processed", c.processed),
    ]
}

/// "2026-11-21 10:00:00 (Europe/London)".
fn scheduled_text(upload: &UploadView) -> String {
    match (&upload.scheduled_for, &upload.time_zone) {
        (Some(at), Some(zone)) => format!("{} ({zone})", short_time(&pom_wall_time(at))),
        (Some(at), None) => short_time(&pom_wall_time(at)),
        _ => "Not yet".into(),
    }
}

/// OCM's counts (read, sent, rejected) and POM's counters.
type Counts = (
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<ImportCounters>,
);

/// OCM's counts and POM's, side by side.
fn counters_view((read, sent, rejected, pom): Counts) -> impl IntoView {
    let ocm = [
        ("read", "Read from the file", read),
        ("sent", "Sent to POM", sent),
        ("rejected", "Rejected by OCM", rejected),
    ];
    let pom = pom.map(|c| counter_rows(&c));
    view! {
        <div class="counter-tables">
            <div class="table-wrap narrow" tabindex="0" role="region" aria-label="OCM's pre-flight">
                <table class="data" data-testid="upload-ocm-counts">
                    <caption>"OCM's pre-flight"</caption>
                    <tbody>
                        {ocm.into_iter().map(|(key, words, value)| view! {
                            <tr data-counter=key data-count=value.unwrap_or(0)>
                                <th scope="row">{words}</th><td class="num">{maybe_count(value)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="table-wrap narrow" tabindex="0" role="region" aria-label="POM's import">
                <table class="data" data-testid="upload-pom-counters">
                    <caption>"POM's import"</caption>
                    <tbody>
                        {match pom {
                            Some(rows) => rows.into_iter().map(|(key, words, value)| view! {
                                <tr data-counter=key data-count=value>
                                    <th scope="row">{words}</th><td class="num">{thousands(value)}</td>
                                </tr>
                            }).collect_view().into_any(),
                            None => view! { <tr><td class="muted">"POM has not reported on the import yet."</td></tr> }.into_any(),
                        }}
                    </tbody>
                </table>
            </div>
        </div>
    }
}

/// The follow panel of a sent upload; `current` is kept fresh by the page; `on_final` runs when
/// the job finishes while shown.
#[component]
pub fn FollowPanel(current: RwSignal<UploadView>, on_final: Callback<JobView>) -> impl IntoView {
    let state = Memo::new(move |_| current.with(|u| u.state.as_str().to_string()));
    let pom_state = Memo::new(move |_| current.with(|u| u.pom_state.clone()));
    let job_id = Memo::new(move |_| current.with(|u| u.job.as_ref().map(|j| j.job_id)));
    let details = Memo::new(move |_| {
        current.with(|u| {
            (
                scheduled_text(u),
                u.import_job_id,
                u.sent_at.as_deref().map(short_time),
                u.finished_at.as_deref().map(short_time),
            )
        })
    });
    let counts: Memo<Counts> = Memo::new(move |_| {
        current.with(|u| (u.rows_read, u.rows_sent, u.rows_rejected, u.pom_counters))
    });
    let problem = Memo::new(move |_| current.with(|u| u.problem.clone()));
    let missing = Memo::new(move |_| {
        current.with(|u| {
            // No count: the list could not be read afterwards (the problem says why).
            (u.state == UploadState::Completed)
                .then_some(u.missing_count)
                .flatten()
                .map(|count| (count, u.files_available, u.upload_id))
        })
    });
    view! {
        <section class="section follow" aria-labelledby="upload-follow-title" data-testid="upload-follow">
            <h2 id="upload-follow-title" tabindex="-1">"Follow the import"</h2>
            <div class="follow-states">
                <span class="muted">"OCM "</span>
                <span class=move || format!("upload-state {}", state.get()) data-testid="upload-state"
                    data-state=move || state.get()>{move || upload_state_word(&state.get()).to_string()}</span>
                <span class="muted">"POM "</span>
                <span class="pom-state" data-testid="upload-pom-state" data-state=move || pom_state.get().unwrap_or_default()>
                    {move || pom_state.get().unwrap_or_else(|| "not started".into())}
                </span>
                // A file over POM's import limit goes as parts, one import after another.
                {move || current.with(|u| u.part).map(|part| {
                    let words = if is_following(&state.get()) {
                        part.label()
                    } else {
                        format!("in {} parts", part.count)
                    };
                    view! { <span class="muted" data-testid="upload-part">{words}</span> }
                })}
            </div>
            <p class="sr-only" aria-live="polite">
                {move || format!("Upload {}; POM import {}.", upload_state_word(&state.get()).to_lowercase(), pom_state.get().unwrap_or_else(|| "not started".into()).to_lowercase())}
            </p>
            {move || job_id.get().and_then(|_| current.with_untracked(|u| u.job.clone())).map(|initial| view! {
                <JobProgress initial on_final/>
            })}
            <StartWait current/>
            <dl class="summary wide">
                <div><dt>"Sent (UTC)"</dt><dd>{move || details.get().2.unwrap_or_else(|| "—".into())}</dd></div>
                <div><dt>"POM runs the data source at"</dt><dd data-testid="upload-scheduled">{move || details.get().0}</dd></div>
                <div><dt>"POM import job"</dt><dd data-testid="upload-import-job">{move || details.get().1.map(|id| id.to_string()).unwrap_or_else(|| "—".into())}</dd></div>
                <div><dt>"Finished (UTC)"</dt><dd>{move || details.get().3.unwrap_or_else(|| "—".into())}</dd></div>
            </dl>
            {move || problem.get().map(|problem| {
                let class = if state.with(|s| s == "cancelled") { "notice warn" } else { "notice error" };
                view! { <p class=class role="alert" data-testid="upload-problem">{problem}</p> }
            })}
            {move || counters_view(counts.get())}
            {move || missing.get().map(|(count, available, id)| {
                let (class, text) = match count {
                    0 => ("notice ok", "Every row sent is in the list after the import.".to_string()),
                    1 => ("notice warn", "1 row sent is not in the list after the import.".to_string()),
                    n => ("notice warn", format!("{} rows sent are not in the list after the import.", thousands(n))),
                };
                view! {
                    <p class=class data-testid="upload-missing" data-count=count>{text}</p>
                    {(count > 0 && available).then(|| view! {
                        <p>
                            <a href=format!("/uploads/{id}/missing.csv") class="button" download data-testid="upload-missing-file">"Download the missing rows"</a>
                            <span class="muted small">" The rows POM did not put in the list, as CSV."</span>
                        </p>
                    })}
                }
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_counter_has_a_key_and_words() {
        let rows = counter_rows(&ImportCounters {
            success: 5,
            processed: 5,
            ..ImportCounters::default()
        });
        assert_eq!(rows[0], ("success", "Added", 5));
        assert_eq!(rows[9], ("processed", "Processed", 5));
        assert_eq!(rows.len(), 10);
    }
}

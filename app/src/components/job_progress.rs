//! A background job's progress: state, bar, counts, rate and time left, the pause reason, and
//! Cancel / Resume. Updates live from the page's job events.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::job_events::JobEvents;
use crate::components::pager::thousands;
use crate::error::AppError;
use crate::model::{JobState, JobView};
use crate::server_fns::jobs::{cancel_job, get_job, resume_job};

/// `42 s`, `3 min 12 s`, `2 h 05 min`.
pub fn format_duration(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as u64;
    match total {
        0..=59 => format!("{total} s"),
        60..=3599 => format!("{} min {} s", total / 60, total % 60),
        _ => format!("{} h {:02} min", total / 3600, total % 3600 / 60),
    }
}

/// Items finished one way or another.
fn processed(job: &JobView) -> i64 {
    job.done + job.failed + job.skipped
}

/// The fresher of two views of one job: a final state beats an unfinished one, then the one that
/// got further; on a tie the live one, which also carries Cancel / Resume answers.
pub fn newest(initial: JobView, live: Option<JobView>) -> JobView {
    match live {
        Some(live) => {
            let rank = |job: &JobView| (job.state.is_final(), processed(job));
            if rank(&initial) > rank(&live) {
                initial
            } else {
                live
            }
        }
        None => initial,
    }
}

/// A job state as a word on a tinted background.
#[component]
pub fn JobStateBadge(state: JobState) -> impl IntoView {
    view! {
        <span class=format!("job-state {}", state.as_str()) data-state=state.as_str()>{state.label()}</span>
    }
}

/// Whole percent done, rounded down so that an unfinished job never shows 100 %.
fn whole_percent(job: &JobView) -> u32 {
    job.percent().clamp(0.0, 100.0).floor() as u32
}

/// When screen readers hear about the job: at each state change and every 10 % (so that a fast
/// job does not flood them with every count). What they then hear is exact.
fn milestone(job: &JobView) -> (JobState, u32) {
    (job.state, whole_percent(job) / 10)
}

/// What screen readers hear: the state and the exact progress.
fn announcement(job: &JobView) -> String {
    format!(
        "{} job {}: {}% done.",
        job.kind_label(),
        job.state.label().to_lowercase(),
        whole_percent(job)
    )
}

/// Live progress of one job. `on_final` runs once when the job finishes while shown.
#[component]
pub fn JobProgress(
    initial: JobView,
    #[prop(optional, into)] on_final: Option<Callback<JobView>>,
) -> impl IntoView {
    let events = JobEvents::get();
    let job_id = initial.job_id;
    let job = Memo::new(move |_| newest(initial.clone(), events.latest(job_id)));
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);

    // Live updates only matter while the job can still change; every (re)connection re-reads the
    // job because updates sent before it were missed.
    Effect::new(move |_| {
        let connections = events.connections();
        if job.with_untracked(|j| j.state.is_final()) {
            return;
        }
        events.watch();
        if connections > 0 {
            spawn_local(async move {
                if let Ok(fresh) = get_job(job_id).await {
                    events.record(fresh);
                }
            });
        }
    });
    Effect::new(move |was_final: Option<bool>| {
        let is_final = job.with(|j| j.state.is_final());
        if was_final == Some(false) && is_final {
            if let Some(callback) = on_final {
                callback.run(job.get_untracked());
            }
        }
        is_final
    });

    let act = move |resume: bool| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let answer = if resume {
                resume_job(job_id).await
            } else {
                cancel_job(job_id).await
            };
            match answer {
                Ok(view) => events.record(view),
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };

    let percent = move || job.with(|j| j.percent());
    let heard_at = Memo::new(move |_| job.with(milestone));
    let counts = move || {
        job.with(|j| {
            let rate = j
                .rate
                .map(|r| format!("{r:.1}/s"))
                .unwrap_or_else(|| "—".into());
            let eta = match (j.state, j.eta_seconds) {
                (JobState::Running, Some(eta)) => format_duration(eta),
                _ => "—".into(),
            };
            (rate, eta)
        })
    };
    let title = format!("{} job #{job_id}", job.get_untracked().kind_label());
    let label_id = format!("job-{job_id}-label");
    let (section_label, bar_label) = (label_id.clone(), label_id.clone());

    view! {
        <section class="job-progress" data-testid="job-progress" data-job-id=job_id aria-labelledby=section_label>
            <div class="job-head">
                <h3 id=label_id>{title}</h3>
                <span data-testid="job-state">{move || view! { <JobStateBadge state=job.with(|j| j.state)/> }}</span>
                <span class="muted small">{move || job.with(|j| format!("by {} · {}", j.created_by, j.organization))}</span>
            </div>
            // A native bar: no inline style, so the Content-Security-Policy can forbid inline styles.
            <div class="job-bar">
            <progress class="progress" class:final=move || job.with(|j| j.state.is_final())
                max="100" value=move || format!("{:.1}", percent()) aria-labelledby=bar_label
                aria-valuetext=move || job.with(|j| format!("{} of {} processed", thousands(processed(j)), thousands(j.total)))>
            </progress>
            <span class="job-percent" data-testid="job-percent" aria-hidden="true">{move || format!("{}%", job.with(whole_percent))}</span>
            </div>
            <p class="sr-only" aria-live="polite">{move || { heard_at.with(|_| ()); job.with_untracked(announcement) }}</p>
            <dl class="job-counts">
                <div><dt>"Done"</dt><dd data-testid="job-done">{move || thousands(job.with(|j| j.done))}</dd></div>
                <div><dt>"Failed"</dt><dd data-testid="job-failed">{move || thousands(job.with(|j| j.failed))}</dd></div>
                <div><dt>"Skipped"</dt><dd data-testid="job-skipped">{move || thousands(job.with(|j| j.skipped))}</dd></div>
                <div><dt>"Remaining"</dt><dd data-testid="job-remaining">{move || thousands(job.with(JobView::remaining))}</dd></div>
                <div><dt>"Rate"</dt><dd>{move || counts().0}</dd></div>
                <div><dt>"Time left"</dt><dd>{move || counts().1}</dd></div>
            </dl>
            {move || job.with(|j| j.message.clone()).map(|message| {
                let class = match job.with(|j| j.state) {
                    JobState::Failed | JobState::Paused => "notice warn",
                    _ => "notice info",
                };
                view! { <p class=class data-testid="job-message">{message}</p> }
            })}
            {move || error.get().map(|problem| view! { <p class="notice error" role="alert">{problem.to_string()}</p> })}
            <div class="actions">
                <Show when=move || job.with(|j| j.state == JobState::Paused)>
                    <button type="button" class="primary" data-testid="job-resume"
                        disabled=move || busy.get() on:click=move |_| act(true)>"Resume"</button>
                </Show>
                <Show when=move || job.with(|j| !j.state.is_final() && j.state != JobState::CancelRequested)>
                    <button type="button" data-testid="job-cancel"
                        disabled=move || busy.get() on:click=move |_| act(false)>"Cancel"</button>
                </Show>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::JobKind;

    fn job(state: JobState, done: i64) -> JobView {
        JobView {
            job_id: 7,
            kind: Some(JobKind::Purge),
            organization: "Sales".into(),
            state,
            total: 100,
            done,
            failed: 0,
            skipped: 0,
            message: None,
            rate: None,
            eta_seconds: None,
            created_by: "sam".into(),
            created_at: "2026-01-01T00:00:00Z".into(),
            finished_at: None,
        }
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(42.4), "42 s");
        assert_eq!(format_duration(192.0), "3 min 12 s");
        assert_eq!(format_duration(7500.0), "2 h 05 min");
    }

    #[test]
    fn the_furthest_view_wins_and_final_beats_running() {
        let running = job(JobState::Running, 40);
        assert_eq!(
            newest(running.clone(), Some(job(JobState::Running, 60))).done,
            60
        );
        assert_eq!(
            newest(job(JobState::Running, 80), Some(job(JobState::Running, 60))).done,
            80
        );
        let done = newest(
            job(JobState::Completed, 100),
            Some(job(JobState::Running, 100)),
        );
        assert_eq!(done.state, JobState::Completed);
        assert_eq!(newest(running, None).done, 40);
        let resumed = newest(job(JobState::Paused, 50), Some(job(JobState::Queued, 50)));
        assert_eq!(resumed.state, JobState::Queued);
    }

    #[test]
    fn screen_readers_hear_the_exact_figure_every_ten_percent() {
        assert_eq!(
            announcement(&job(JobState::Running, 68)),
            "Purge job running: 68% done."
        );
        let at = |state, done| milestone(&job(state, done));
        assert_eq!(at(JobState::Running, 61), at(JobState::Running, 68));
        assert_ne!(at(JobState::Running, 68), at(JobState::Running, 70));
        assert_ne!(at(JobState::Running, 68), at(JobState::Paused, 68));
    }

    #[test]
    fn an_unfinished_job_never_shows_a_hundred_percent() {
        let mut nearly = job(JobState::Running, 999);
        nearly.total = 1000;
        assert_eq!(whole_percent(&nearly), 99);
    }
}

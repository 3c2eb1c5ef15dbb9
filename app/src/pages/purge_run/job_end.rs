//! Noticing that a job the run's page follows has ended, however fast it ran: a small restore or
//! retry often ends before the answer saying it started arrives, or before its progress panel is
//! drawn, so waiting for the panel to see it change would leave the page's figures stale.

use leptos::prelude::*;

use crate::components::job_events::JobEvents;
use crate::components::job_progress::newest;
use crate::model::JobView;

/// Follows `job`: runs `on_final` once when it is (or becomes) final while `awaiting` is set,
/// then clears `awaiting`. Set `awaiting` when a job is started here, or was loaded unfinished.
pub fn when_job_ends(
    job: RwSignal<Option<JobView>>,
    awaiting: RwSignal<bool>,
    on_final: Callback<JobView>,
) {
    let events = JobEvents::get();
    Effect::new(move |_| {
        let Some(current) = job.get() else { return };
        let latest = newest(current.clone(), events.latest(current.job_id));
        if latest.state.is_final() && awaiting.get() {
            awaiting.set(false);
            on_final.run(latest);
        }
    });
}

/// Whether a job (as last heard of) is still at work.
pub fn busy_job(events: JobEvents, job: &Option<JobView>) -> bool {
    job.as_ref().is_some_and(|job| {
        !newest(job.clone(), events.latest(job.job_id))
            .state
            .is_final()
    })
}

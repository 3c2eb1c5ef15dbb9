//! The admins' emergency stop: a separate danger zone that stops every active or paused job of
//! one organization or of all, once the confirmation phrase is typed exactly, then lists what
//! happened to each job; optionally emergency mode stays on afterwards, listed here with a
//! button to lift it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::history::OutcomeBadge;
use crate::components::campaign_state::CampaignStateBadge;
use crate::components::emergency_notice::mode_text;
use crate::components::format::error_text;
use crate::components::layout::EmergencyBannerResource;
use crate::error::AppError;
use crate::model::{EmergencyStopReport, EMERGENCY_PHRASE};
use crate::server_fns::campaigns::{emergency_mode_lift, emergency_mode_on, emergency_stop};

/// "3 of 4 jobs stopped in every organization."
fn summary(report: &EmergencyStopReport) -> String {
    let stopped = report.jobs.iter().filter(|j| j.outcome == "ok").count();
    let scope = match &report.organization {
        Some(organization) => format!("in {organization}"),
        None => "in every organization".into(),
    };
    format!(
        "Emergency stop #{}: {stopped} of {} jobs stopped {scope}.",
        report.emergency_stop_id,
        report.jobs.len()
    )
}

fn results(report: EmergencyStopReport) -> impl IntoView {
    let text = summary(&report);
    let table = (!report.jobs.is_empty()).then(|| {
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Emergency stop results">
                <table class="data" data-testid="emergency-results">
                    <thead>
                        <tr>
                            <th scope="col">"Organization"</th>
                            <th scope="col">"Campaign"</th>
                            <th scope="col" class="num">"Job"</th>
                            <th scope="col">"State before"</th>
                            <th scope="col">"Outcome"</th>
                            <th scope="col">"Message"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {report.jobs.into_iter().map(|job| view! {
                            <tr data-testid="emergency-result-row">
                                <td>{job.organization}</td>
                                <td>{job.campaign}</td>
                                <td class="num">{job.job_id}</td>
                                <td><CampaignStateBadge state=job.state_before/></td>
                                <td><OutcomeBadge outcome=job.outcome/></td>
                                <td class="outcome-text">{job.message}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    });
    view! {
        <p class="notice warn" data-testid="emergency-summary">{text}</p>
        {table}
    }
}

/// The scope value for every organization.
const EVERY: &str = "*";

/// The danger zone; `organizations` fill the scope list; `changes` moves after a stop so the
/// page reads its recent actions again.
#[component]
pub fn EmergencyPanel(organizations: Vec<String>, changes: RwSignal<u32>) -> impl IntoView {
    let banner = use_context::<EmergencyBannerResource>();
    let scope = RwSignal::new(String::new());
    let typed = RwSignal::new(String::new());
    let keep = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let answer = RwSignal::new(None::<Result<EmergencyStopReport, AppError>>);
    // The scope is chosen on purpose (no default), and the phrase typed exactly.
    let matches =
        Memo::new(move |_| typed.with(|t| t == EMERGENCY_PHRASE) && scope.with(|s| !s.is_empty()));
    let submit = move || {
        if !matches.get_untracked() || busy.get_untracked() {
            return;
        }
        let organization = Some(scope.get_untracked()).filter(|s| s != EVERY);
        busy.set(true);
        answer.set(None);
        spawn_local(async move {
            let phrase = typed.get_untracked();
            let result = if keep.get_untracked() {
                emergency_mode_on(organization, phrase, reason.get_untracked()).await
            } else {
                emergency_stop(organization, phrase).await
            };
            if result.is_ok() {
                typed.set(String::new());
                changes.update(|n| *n += 1);
                if let Some(banner) = banner {
                    banner.refetch();
                }
            }
            answer.set(Some(result));
            busy.set(false);
        });
    };
    view! {
        <section class="section danger-zone" aria-labelledby="emergency-title" data-testid="emergency-panel">
            <h2 id="emergency-title">"Emergency stop"</h2>
            <p>"Stops every active or paused job at once. Stopped jobs cannot be resumed, and every signed-in user of the organizations concerned sees a notice for a day."</p>
            <form class="emergency-form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <div class="field">
                    <label for="emergency-scope">"Which organizations"</label>
                    <select id="emergency-scope" name="organization" autocomplete="off" required
                        prop:value=move || scope.get() on:change=move |ev| scope.set(event_target_value(&ev))>
                        <option value="" disabled>"Choose…"</option>
                        <option value=EVERY>"Every organization"</option>
                        {organizations.into_iter().map(|name| view! { <option value=name.clone()>{name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="emergency-phrase">{format!("Type {EMERGENCY_PHRASE} to confirm")}</label>
                    <input id="emergency-phrase" name="phrase" type="text" autocomplete="off" spellcheck="false"
                        data-testid="emergency-phrase" prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))/>
                </div>
                <div class="field checkbox">
                    <label>
                        <input type="checkbox" data-testid="emergency-keep" prop:checked=move || keep.get()
                            on:change=move |ev| keep.set(event_target_checked(&ev))/>
                        " Keep emergency mode on: refuse starts, resumes and schedules (and stop jobs POM starts on its own) until an admin lifts it"
                    </label>
                </div>
                <Show when=move || keep.get()>
                    <div class="field">
                        <label for="emergency-reason">"Reason (shown to users)"</label>
                        <input id="emergency-reason" type="text" maxlength="500" data-testid="emergency-reason"
                            prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                    </div>
                </Show>
                <div class="field submit">
                    <button type="submit" class="danger" data-testid="emergency-stop"
                        disabled=move || !matches.get() || busy.get()>
                        {move || if busy.get() { "Stopping…" } else { "Stop all dialling" }}
                    </button>
                </div>
            </form>
            <ModesInForce/>
            <div class="emergency-answer">
                <div role="status" aria-live="polite" data-testid="emergency-message">
                    {move || answer.get().and_then(Result::ok).map(results)}
                </div>
                <div role="alert" data-testid="emergency-error">
                    {move || answer.get().and_then(Result::err).map(|error| view! { <p class="notice error">{error_text(&error)}</p> })}
                </div>
            </div>
        </section>
    }
}

/// The emergency modes in force, each with its "Lift" button.
#[component]
fn ModesInForce() -> impl IntoView {
    let banner = use_context::<EmergencyBannerResource>();
    let error = RwSignal::new(None::<AppError>);
    let lift = move |organization: Option<String>| {
        spawn_local(async move {
            match emergency_mode_lift(organization).await {
                Ok(_) => {
                    error.set(None);
                    if let Some(banner) = banner {
                        banner.refetch();
                    }
                }
                Err(problem) => error.set(Some(problem)),
            }
        });
    };
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let modes = match banner {
                    Some(banner) => banner.await.map(|n| n.modes).unwrap_or_default(),
                    None => Vec::new(),
                };
                (!modes.is_empty()).then(|| view! {
                    <h3>"Emergency mode in force"</h3>
                    <ul class="emergency-modes" data-testid="emergency-modes">
                        {modes.into_iter().map(|mode| {
                            let text = mode_text(&mode);
                            let organization = mode.organization.clone();
                            let label = format!("Lift emergency mode for {}", organization.as_deref().unwrap_or("every organization"));
                            view! {
                                <li data-testid="emergency-mode">
                                    <span>{text}</span>
                                    <button type="button" data-testid="emergency-lift" aria-label=label
                                        on:click=move |_| lift(organization.clone())>"Lift"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            })}
        </Transition>
        <div role="alert">
            {move || error.get().map(|problem| view! { <p class="notice error">{error_text(&problem)}</p> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StopOutcome;

    #[test]
    fn the_summary_counts_stopped_jobs() {
        let job = |outcome: &str| StopOutcome {
            organization: "Sales".into(),
            campaign: "Sales_Predictive".into(),
            job_id: 1,
            state_before: "JOB_ACTIVE".into(),
            outcome: outcome.into(),
            message: String::new(),
        };
        let report = EmergencyStopReport {
            emergency_stop_id: 4,
            organization: None,
            jobs: vec![job("ok"), job("failed")],
        };
        assert_eq!(
            summary(&report),
            "Emergency stop #4: 1 of 2 jobs stopped in every organization."
        );
    }
}

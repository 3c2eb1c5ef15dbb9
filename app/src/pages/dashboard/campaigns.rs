//! The dashboard's campaign block: running and paused jobs with how long they have been so,
//! today's starts and ends, and the last campaign actions by users.

use leptos::prelude::*;

use crate::components::campaign_state::{age_at, epoch_seconds, now_seconds, CampaignStateBadge};
use crate::components::format::short_time;
use crate::model::{CampaignOverview, OpenJobLine};
use crate::pages::campaigns::history::ActionsTable;
use crate::server_fns::campaigns::get_campaign_overview;

fn open_jobs(jobs: Vec<OpenJobLine>, as_of: &str) -> AnyView {
    if jobs.is_empty() {
        return view! { <p class="muted" data-testid="open-jobs-empty">"No job is running or paused."</p> }
            .into_any();
    }
    // Ages count to the server's answer, so the server and the browser render the same text.
    let now = epoch_seconds(as_of).unwrap_or_else(now_seconds);
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Open jobs">
            <table class="data" data-testid="open-jobs">
                <thead>
                    <tr>
                        <th scope="col">"Organization"</th>
                        <th scope="col">"Campaign"</th>
                        <th scope="col" class="num">"Job"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"For"</th>
                    </tr>
                </thead>
                <tbody>
                    {jobs.into_iter().map(|job| {
                        let age = age_at(&job.state_since, now).unwrap_or_else(|| "—".into());
                        let since = format!("Since {} UTC", short_time(&job.state_since));
                        view! {
                            <tr data-testid="open-job-row" data-state=job.state.clone()>
                                <td>{job.organization}</td>
                                <td>{job.campaign}</td>
                                <td class="num">{job.job_id}</td>
                                <td><CampaignStateBadge state=job.state.clone()/></td>
                                <td class="nowrap" title=since>{age}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn overview_view(overview: CampaignOverview) -> impl IntoView {
    view! {
        <dl class="campaign-figures">
            <div><dt>"Running or paused"</dt><dd data-testid="open-jobs-count">{overview.open_jobs.len()}</dd></div>
            <div><dt>"Started today"</dt><dd data-testid="started-today">{overview.started_today}</dd></div>
            <div><dt>"Ended today"</dt><dd data-testid="ended-today">{overview.ended_today}</dd></div>
        </dl>
        {open_jobs(overview.open_jobs, &overview.as_of)}
        <h3>"Last actions"</h3>
        <ActionsTable rows=overview.recent_actions compact=true/>
    }
}

/// The campaign block (every role may read it).
#[component]
pub fn CampaignsCard() -> impl IntoView {
    let overview = Resource::new(|| (), |_| get_campaign_overview());
    view! {
        <section class="card wide campaign-overview" aria-labelledby="campaigns-title" data-testid="campaign-overview">
            <div class="card-head">
                <h2 id="campaigns-title">"Campaigns"</h2>
                <a href="/campaigns">"Open campaigns →"</a>
            </div>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => overview_view(overview).into_any(),
                        Err(error) => view! { <p class="notice error">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

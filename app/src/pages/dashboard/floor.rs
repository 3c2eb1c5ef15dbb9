//! The dashboard's floor block: today's figures and charts (`today.rs`), agents now
//! (`agents.rs`), open jobs' progress through their lists ("Campaigns now") and "Why isn't it
//! dialling?" — for each campaign whose newest job places no calls or few, the reasons with
//! their counts and links to the rows behind them — and which source is behind when one is,
//! since when, with each part leaning on it marked as not current. Rendered on the server, so a
//! plain refresh shows the same figures.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::agents::agents_view;
use super::today::today_view;
use crate::components::campaign_state::format_age;
use crate::components::campaign_state::CampaignStateBadge;
use crate::components::format::{plural, short_time, thousands};
use crate::components::source_behind::{source_notices, stale_mark};
use crate::model::{
    FigureSource, FloorNow, IdleCampaign, IdleCause, IdleReason, JobNow, FEW_ATTEMPTS as FEW,
};
use crate::server_fns::campaigns::get_floor_now;

fn reason_item(reason: IdleReason) -> impl IntoView {
    let label = reason.cause.time_label();
    let when = reason.at.map(|at| {
        let shown = format!("{} UTC", short_time(&at));
        view! { " ("{label}" "<time datetime=at>{shown}</time>")" }
    });
    let contacts = plural(reason.count.unwrap_or(0), "contact", "contacts");
    // Most reasons link to the contacts behind them; the agents' to the card's "Agents now".
    let see = match reason.cause {
        IdleCause::NoAgentsReady => "See the agents now".to_string(),
        _ => format!("See these {contacts}"),
    };
    let link = reason.link.map(|href| {
        view! { " " <a href=href>{see}<span aria-hidden="true">" →"</span></a> }
    });
    // The time goes inside the sentence: "…allow (the longest waiting since …)."
    let words = reason.words.trim_end_matches('.').to_string();
    view! {
        <li data-testid="idle-reason" data-cause=reason.cause.as_str()>
            {words}
            {when}
            "."
            {link}
        </li>
    }
}

fn campaign_item(campaign: IdleCampaign, recent_minutes: i64) -> impl IntoView {
    let attempts = format!(
        "{} in the last {recent_minutes} minutes",
        plural(campaign.attempts_recent, "attempt", "attempts")
    );
    let name = campaign.campaign.clone();
    let anchor = format!("why-{}", campaign.job_id);
    view! {
        <li class="idle-campaign" id=anchor data-testid="idle-campaign" data-campaign=name>
            <div class="idle-head">
                <strong>{campaign.campaign}</strong>
                " "<span class="muted">{format!("job {}", campaign.job_id)}</span>
                " "<CampaignStateBadge state=campaign.state/>
                " "<span class="muted small">{attempts}</span>
                " "<a href="/campaigns" class="small">"Open in Campaigns"<span aria-hidden="true">" →"</span></a>
            </div>
            <ul class="idle-reasons">
                {campaign.reasons.into_iter().map(reason_item).collect_view()}
            </ul>
        </li>
    }
}

fn job_row(job: JobNow, idle: &[i64]) -> impl IntoView {
    let percent = job.penetration_percent();
    let of = job.list_size.map_or("—".to_string(), thousands);
    let remaining = job.remaining().map_or("—".to_string(), thousands);
    let exhausted = job
        .minutes_to_exhaustion
        .map_or("—".to_string(), |minutes| format_age(minutes * 60));
    let name = job.campaign.clone();
    let tried = format!("{} of {of}", thousands(job.dealt_with));
    let why = idle.contains(&job.job_id).then(|| {
        let href = format!("#why-{}", job.job_id);
        view! { " "<a href=href class="small">"Why?"</a> }
    });
    let bar = match percent {
        Some(p) => view! {
            <progress max="100" value=p aria-valuetext=format!("{tried} tried or passed over")></progress>
            " "<span aria-hidden="true">{format!("{p}%")}</span>
        }
        .into_any(),
        None => "—".into_any(),
    };
    view! {
        <tr data-testid="job-now" data-campaign=name>
            <th scope="row">{job.campaign}</th>
            <td class="num">{job.job_id}</td>
            <td><CampaignStateBadge state=job.state/>{why}</td>
            <td class="num">{tried.clone()}</td>
            <td>{bar}</td>
            <td class="num">{remaining}</td>
            <td class="num">{thousands(job.attempts_per_hour)}</td>
            <td class="num">{exhausted}</td>
        </tr>
    }
}

fn jobs_table(jobs: Vec<JobNow>, recent_minutes: i64, idle: &[i64]) -> AnyView {
    if jobs.is_empty() {
        return view! { <p class="muted" data-testid="jobs-now-empty">"No job is open."</p> }
            .into_any();
    }
    let idle = idle.to_vec();
    let rate = format!("Attempts per hour (last {recent_minutes} min)");
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Jobs now">
            <table class="data" data-testid="jobs-now" aria-labelledby="jobs-now-title">
                <thead>
                    <tr>
                        <th scope="col">"Campaign"</th>
                        <th scope="col" class="num">"Job"</th>
                        <th scope="col">"State"</th>
                        <th scope="col" class="num">"Tried or passed over"</th>
                        <th scope="col">"Penetration"</th>
                        <th scope="col" class="num">"Remaining"</th>
                        <th scope="col" class="num">{rate}</th>
                        <th scope="col" class="num">"List done in (estimate)"</th>
                    </tr>
                </thead>
                <tbody>{jobs.into_iter().map(|job| job_row(job, &idle)).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn figures_view(figures: FloorNow) -> AnyView {
    let read = format!(
        "Worked out {} UTC; POM's job list read {}; newest call data {}.",
        short_time(&figures.computed_at),
        figures
            .jobs_read_at
            .as_deref()
            .map_or("not yet".into(), |t| format!("{} UTC", short_time(t))),
        figures
            .call_data_newest
            .as_deref()
            .map_or("none yet".into(), |t| format!("{} UTC", short_time(t))),
    );
    let dialling = (!figures.dialling.is_empty()).then(|| {
        view! {
            <p class="muted small" data-testid="dialling-well">
                {format!("Dialling ({FEW}+ attempts in {} min): {}.", figures.recent_minutes, figures.dialling.join(", "))}
            </p>
        }
    });
    let idle_jobs: Vec<i64> = figures.idle.iter().map(|c| c.job_id).collect();
    let any_open = !figures.jobs.is_empty();
    let jobs = jobs_table(figures.jobs, figures.recent_minutes, &idle_jobs);
    let body = if figures.idle.is_empty() {
        let words = if any_open {
            "Every open job is dialling."
        } else {
            "No job is open or ended in the last 12 hours."
        };
        view! { <p class="muted" data-testid="why-idle-none">{words}</p> }.into_any()
    } else {
        let minutes = figures.recent_minutes;
        view! {
            <ul class="idle-campaigns">
                {figures.idle.into_iter().map(|c| campaign_item(c, minutes)).collect_view()}
            </ul>
        }
        .into_any()
    };
    let organization = format!("Showing organization {}.", figures.organization);
    let stale = figures.stale;
    let both = [FigureSource::PomJobs, FigureSource::CallData];
    let call_data = [FigureSource::CallData];
    let today = figures.today.map(|day| {
        let mark = stale_mark(&stale, &call_data, "today");
        today_view(day, &figures.organization, mark)
    });
    let agents = agents_view(figures.agents);
    view! {
        <p class="muted small" data-testid="why-idle-org">{organization}</p>
        {source_notices(&stale)}
        {figures.behind.into_iter().map(|words| view! {
            <p class="notice warn" role="status" data-testid="part-unread">{words}</p>
        }).collect_view()}
        {today}
        <h3 id="agents-now-title">"Agents now"</h3>
        {stale_mark(&stale, &call_data, "agents")}
        {agents}
        <h3 id="jobs-now-title">"Campaigns now"</h3>
        {stale_mark(&stale, &both, "jobs")}
        {jobs}
        <h3 id="why-idle-title">"Why isn't it dialling?"</h3>
        {stale_mark(&stale, &both, "why_idle")}
        {body}
        {dialling}
        <p class="muted small">{read}</p>
    }
    .into_any()
}

/// Follows the organization's figures over `/floor/events` while the page is open (browser only):
/// every change lands in `live`.
fn follow(org: Memo<Option<String>>, live: RwSignal<Option<FloorNow>>, connected: RwSignal<bool>) {
    #[cfg(feature = "hydrate")]
    {
        use crate::components::event_channel::Channel;
        use crate::model::percent_encode;
        let channel = StoredValue::new_local(None::<Channel>);
        let close = move || {
            if let Some(Some(open)) = channel.try_update_value(Option::take) {
                open.close();
            }
        };
        Effect::new(move |_| {
            let url = match org.get() {
                Some(org) => format!("/floor/events?organization={}", percent_encode(&org)),
                None => "/floor/events".to_string(),
            };
            close();
            live.set(None);
            let opened = Channel::open(&url, connected)
                .and_then(|c| c.on("floor", move |figures: FloorNow| live.set(Some(figures))));
            channel.set_value(opened);
        });
        on_cleanup(close);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (org, live, connected);
}

/// The block on the home page (every role reads its organization's); live while scripting runs,
/// and the same figures on a plain refresh without it.
#[component]
pub fn FloorCard() -> impl IntoView {
    // Admins choose the organization with `?org=` (others always read their own).
    let query = use_query_map();
    let org = Memo::new(move |_| query.with(|q| q.get("org").filter(|o| !o.trim().is_empty())));
    let figures = Resource::new(move || org.get(), get_floor_now);
    let live = RwSignal::new(None::<FloorNow>);
    let connected = RwSignal::new(false);
    follow(org, live, connected);
    view! {
        <section class="card wide floor" aria-labelledby="floor-title" data-testid="floor">
            <div class="card-head">
                <h2 id="floor-title">"The floor now"</h2>
                <span class="card-tools">
                    <span class="muted small" role="status" data-testid="floor-live" data-connected=move || connected.get().to_string()>
                        {move || if connected.get() { "Live" } else { "Not live: figures as of the time below. Refresh to update." }}
                    </span>
                    " "<a href="" rel="external" data-testid="floor-refresh">"Refresh"</a>
                </span>
            </div>
            <Suspense fallback=|| view! { <p class="muted">"Working it out…"</p> }>
                {move || Suspend::new(async move {
                    match figures.await {
                        Ok(loaded) => view! {
                            {move || {
                                let newest = live.get().filter(|f| f.organization == loaded.organization);
                                figures_view(newest.unwrap_or_else(|| loaded.clone()))
                            }}
                        }.into_any(),
                        Err(error) => view! { <p class="notice error">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

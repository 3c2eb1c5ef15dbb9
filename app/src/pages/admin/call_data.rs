//! The call-data page (`/admin/call-data`, admins): how reading the dialer's call-data feed is
//! going (last read, lag, records, what OCM did not understand), today's records per kind, the
//! problems with the input, and agents and campaigns that no mapping covers yet.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::format::{plural, short_time, thousands};
use crate::components::load_error::LoadError;
use crate::model::{CallDataSource, CallDataStatus};
use crate::server_fns::admin::call_data_status;

/// Lag above this many seconds is shown as a warning.
const LAGGING_SECONDS: i64 = 300;

fn lag_text(source: &CallDataSource) -> (String, &'static str) {
    match source.lag_seconds {
        None => ("No record yet".to_string(), "muted"),
        Some(s) if s <= LAGGING_SECONDS => (format!("Up to date (newest record {s} s old)"), "ok"),
        Some(s) => (format!("Newest record {} min old", s / 60), "warning"),
    }
}

#[component]
fn Source(
    source: Option<CallDataSource>,
    feed: Option<String>,
    time_zone: String,
) -> impl IntoView {
    let Some(source) = source else {
        let text = match feed {
            Some(_) => "The feed has not been read yet.",
            None => "No call-data feed is configured (OCM_POM_FEED_URL): nothing is ingested.",
        };
        return view! { <p class="notice" role="status" data-testid="call-data-none">{text}</p> }
            .into_any();
    };
    let (lag, state) = lag_text(&source);
    view! {
        <div class="cards" data-testid="call-data-source">
            <section class="card status-card" aria-label="Feed">
                <h2>"Feed"</h2>
                <p class="muted small"><code>{feed.unwrap_or_default()}</code></p>
                <p class="muted">{format!("Contract version {}", source.feed_version.map_or("–".to_string(), |v| v.to_string()))}</p>
                <p class="muted">{format!("Read up to record {}", source.cursor)}</p>
            </section>
            <section class="card status-card" aria-label="Last read">
                <h2>"Last read"</h2>
                <p class=format!("badge {state}") data-testid="call-data-lag">{lag}</p>
                <p class="muted">{source.last_success_at.as_deref().map_or("never".to_string(), short_time)}</p>
                <p class="muted small">{format!("Report days in {time_zone}")}</p>
            </section>
            <section class="card status-card" aria-label="Records">
                <h2>"Records"</h2>
                <p class="big" data-testid="call-data-records">{plural(source.records, "record", "records")}</p>
                <p class="muted">{format!("{} kept aside (kinds OCM does not know or records breaking the contract), {} unknown fields", source.unknown_records, source.unknown_fields)}</p>
            </section>
        </div>
    }
    .into_any()
}

#[component]
fn Details(status: CallDataStatus) -> impl IntoView {
    let problems = status.problems.clone();
    view! {
        <section class="card" aria-labelledby="today-title">
            <h2 id="today-title">"Today"</h2>
            <table class="data compact" data-testid="call-data-today">
                <caption class="sr-only">"Records that happened today, by kind"</caption>
                <thead><tr><th scope="col">"Kind"</th><th scope="col" class="num">"Records"</th></tr></thead>
                <tbody>
                    {status.today.into_iter().map(|k| view! {
                        <tr><th scope="row"><code>{k.kind}</code></th><td class="num">{thousands(k.today)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="card" aria-labelledby="problems-title">
            <h2 id="problems-title">"Problems with the input"</h2>
            <Show when=move || !problems.is_empty() fallback=|| view! { <p class="muted" data-testid="call-data-no-problems">"None: every record read so far was understood."</p> }>
                <table class="data" data-testid="call-data-problems">
                    <caption class="sr-only">"Problems, most recent first"</caption>
                    <thead><tr><th scope="col">"Reason"</th><th scope="col">"Latest"</th><th scope="col" class="num">"Times"</th><th scope="col">"First seen"</th><th scope="col">"Last seen"</th></tr></thead>
                    <tbody>
                        {status.problems.clone().into_iter().map(|p| view! {
                            <tr>
                                <td><code>{p.reason}</code></td>
                                <td>{p.detail}</td>
                                <td class="num">{p.occurrences}</td>
                                <td>{short_time(&p.first_seen)}</td>
                                <td>{short_time(&p.last_seen)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </Show>
        </section>
        <section class="card" aria-labelledby="unmapped-title">
            <h2 id="unmapped-title">"Not mapped to a team"</h2>
            <p class="muted">"Seen in the last day's call data. Reports show them under “no team” until they are mapped."</p>
            <p data-testid="unmapped-agents"><strong>"Agents: "</strong>{if status.unmapped_agents.is_empty() { "none".to_string() } else { status.unmapped_agents.join(", ") }}</p>
            <p data-testid="unmapped-campaigns"><strong>"Campaigns: "</strong>{if status.unmapped_campaigns.is_empty() { "none".to_string() } else { status.unmapped_campaigns.join(", ") }}</p>
            <p><a href="/admin/mappings">"Mappings →"</a></p>
        </section>
    }
}

/// The call-data page.
#[component]
pub fn AdminCallDataPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| call_data_status());
    view! {
        <Title text="Call data"/>
        <div class="page-head">
            <h1>"Call data"</h1>
            <p class="muted">"What the dialer did, as OCM reads it from the call-data feed into its own tables; reports read only these (docs/call-data.md)."</p>
            <p class="actions"><a href="/admin/users">"← Users"</a></p>
        </div>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(found) => view! {
                        <Source source=found.source.clone() feed=found.feed.clone() time_zone=found.time_zone.clone()/>
                        <Details status=found/>
                    }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

//! One purge run: what was asked and by whom, the job's live progress, contacts per campaign
//! before and after (table and chart), the contacts POM refused with a retry of them, and restoring
//! from the snapshot. The page reloads its data when a job it shows finishes.

mod chart;
mod job_end;
mod restore;
mod restore_confirm;
mod retry;

use leptos::prelude::*;

use crate::components::campaign_table::CampaignTable;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::format::short_time;
use crate::components::job_progress::{format_duration, JobProgress};
use crate::components::load_error::{path_id, LoadError};
use crate::components::pager::thousands;
use crate::model::{CampaignCount, JobView, PurgeFailure, PurgeRunDetail};
use crate::server_fns::purge::{purge_run, purge_snapshot};
use chart::campaign_chart;
use restore::RestoreSection;
use retry::RetrySection;

#[component]
fn Summary(detail: PurgeRunDetail) -> impl IntoView {
    let run = detail.run;
    let snapshot = if run.snapshot_deleted {
        "Snapshot deleted after retention".to_string()
    } else {
        format!("Kept until {}", short_time(&run.snapshot_expires_at))
    };
    let after = run.after.map(thousands).unwrap_or_else(|| "…".into());
    view! {
        <dl class="summary wide" data-testid="run-summary">
            <div><dt>"List"</dt><dd><a href=format!("/lists/{}", run.list_id)>{run.list_name}</a>{format!(" (#{})", run.list_id)}</dd></div>
            <div class="span"><dt>"Filter"</dt><dd data-testid="run-filter">{run.filter}</dd></div>
            <div class="span"><dt>"Reason"</dt><dd>{run.reason}</dd></div>
            <div><dt>"Requested by"</dt><dd>{run.requested_by}</dd></div>
            <div><dt>"Started (UTC)"</dt><dd>{short_time(&run.created_at)}</dd></div>
            <div><dt>"Organization"</dt><dd>{run.organization}</dd></div>
            <div><dt>"Mode"</dt><dd>{run.mode}</dd></div>
            <div><dt>"Matched"</dt><dd data-testid="run-matched">{thousands(run.matched)}</dd></div>
            <div><dt>"List before → after"</dt><dd>{format!("{} → {after}", thousands(run.before))}</dd></div>
            <div><dt>"Deleted"</dt><dd data-testid="run-deleted">{thousands(run.deleted)}</dd></div>
            <div><dt>"Failed"</dt><dd data-testid="run-failed">{thousands(run.failed)}</dd></div>
            <div><dt>"Restored"</dt><dd data-testid="run-restored">{thousands(run.restored)}</dd></div>
            <div><dt>"Duration"</dt><dd>{run.duration_seconds.map(format_duration).unwrap_or_else(|| "—".into())}</dd></div>
            <div><dt>"Snapshot"</dt><dd data-testid="run-snapshot">{snapshot}</dd></div>
        </dl>
    }
}

#[component]
fn Campaigns(campaigns: Vec<CampaignCount>) -> impl IntoView {
    if campaigns.is_empty() {
        return view! { <p class="muted">"No campaign ids in this list."</p> }.into_any();
    }
    let chart = campaign_chart(&campaigns);
    view! {
        <div class="campaigns">
            <CampaignTable campaigns testid="run-campaigns"/>
            <figure class="chart">
                <div inner_html=chart></div>
                <figcaption class="muted small">
                    <span class="key before" aria-hidden="true"></span>" before "
                    <span class="key after" aria-hidden="true"></span>" after"
                </figcaption>
            </figure>
        </div>
    }
    .into_any()
}

#[component]
fn Failures(failures: Vec<PurgeFailure>) -> impl IntoView {
    if failures.is_empty() {
        return view! { <p class="muted">"POM refused no contact."</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Contacts POM refused">
            <table class="data" data-testid="run-failures">
                <thead><tr><th scope="col">"User contact id"</th><th scope="col">"POM message"</th></tr></thead>
                <tbody>
                    {failures.into_iter().map(|f| view! {
                        <tr><td><code>{f.user_contact_id}</code></td><td>{f.message}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The purge run page. `?snapshot=N` pages the snapshot (1-based).
#[component]
pub fn PurgeRunPage() -> impl IntoView {
    let query = use_query_map();
    let run_id = path_id("a purge run");
    let snapshot_page = Memo::new(move |_| {
        query.with(|q| {
            q.get("snapshot")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let detail = Resource::new(
        move || run_id.get(),
        |id| async move { purge_run(id?).await },
    );
    let snapshot = Resource::new(
        move || (run_id.get(), snapshot_page.get() - 1),
        |(id, page)| async move { purge_snapshot(id?, page).await },
    );
    // A finished job changed the counts, the failures and the snapshot states.
    let reload = Callback::new(move |_: JobView| {
        detail.refetch();
        snapshot.refetch();
    });

    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => {
                        let id = detail.run.purge_run_id;
                        let title = format!("Purge run #{id}");
                        let failed = detail.run.failed;
                        let show_restore = !detail.run.snapshot_deleted;
                        // Without the snapshot a retried delete could not be restored.
                        let retryable = if show_restore { failed } else { 0 };
                        view! {
                            <Title text=title.clone()/>
                            <div class="page-head">
                                <h1>{title}</h1>
                                <a href="/purge/history">"← Purge history"</a>
                            </div>
                            <Summary detail=detail.clone()/>
                            <JobProgress initial=detail.run.job.clone() on_final=reload/>
                            <section class="section" aria-labelledby="campaigns-title">
                                <h2 id="campaigns-title">"Contacts per campaign"</h2>
                                <Campaigns campaigns=detail.campaigns.clone()/>
                            </section>
                            <section class="section" aria-labelledby="failures-title">
                                <h2 id="failures-title">{format!("Failures ({})", thousands(failed))}</h2>
                                <Failures failures=detail.failures.clone()/>
                                <RetrySection purge_run_id=id failed=retryable purge_job=detail.run.job.clone() on_final=reload/>
                            </section>
                            <Show when=move || show_restore
                                fallback=|| view! { <p class="muted" data-testid="snapshot-deleted">"The snapshot was deleted after the retention period; this run can no longer be restored."</p> }>
                                <RestoreSection purge_run_id=id restorable_count=detail.restorable
                                    purge_job=detail.run.job.clone() restore_job=detail.restore_job.clone()
                                    snapshot href=move |p| format!("/purge/runs/{id}?snapshot={p}") on_final=reload/>
                            </Show>
                        }.into_any()
                    }
                    Err(error) => view! {
                        <Title text="Purge run"/>
                        <div class="page-head"><h1>"Purge run"</h1><a href="/purge/history">"← Purge history"</a></div>
                        <LoadError error/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

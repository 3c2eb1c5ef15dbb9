//! Home dashboard: system status (database, POM, version), the campaign block, and, for roles
//! that may read the audit log, the latest recorded actions; scheduled exports that failed this
//! week, when any did; the floor now (today's figures and charts, agents now, open jobs' progress, "Why
//! isn't it dialling?").

mod agents;
mod campaigns;
mod floor;
mod today;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::format::plural;
use crate::components::layout::MeResource;
use crate::components::status_badge::StatusBadge;
use crate::model::ComponentStatus;
use crate::pages::audit::AuditTable;
use crate::server_fns::audit::list_audit_events;
use crate::server_fns::export_schedules::get_export_problems;
use crate::server_fns::status::get_system_status;
use campaigns::CampaignsCard;
use floor::FloorCard;

#[component]
pub fn StatusCard(title: &'static str, status: ComponentStatus) -> impl IntoView {
    view! {
        <section class="card status-card" aria-label=title>
            <h2>{title}</h2>
            <StatusBadge state=status.state/>
            <p class="muted">{status.detail}</p>
            {status.latency_ms.map(|ms| view! { <p class="muted small">{format!("{ms} ms")}</p> })}
        </section>
    }
}

#[component]
fn RecentActivity() -> impl IntoView {
    let recent = Resource::new(|| (), |_| list_audit_events(Default::default()));
    view! {
        <section class="card wide" aria-labelledby="recent-title">
            <div class="card-head">
                <h2 id="recent-title">"Latest actions"</h2>
                <a href="/audit">"Open the audit log →"</a>
            </div>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match recent.await {
                        Ok(page) => {
                            let rows: Vec<_> = page.page.rows.into_iter().take(8).collect();
                            view! { <AuditTable rows compact=true/> }.into_any()
                        }
                        Err(error) => view! { <p class="notice error">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Scheduled exports that failed this week, when any did: a line that links to the schedules.
#[component]
fn ExportProblemsNotice() -> impl IntoView {
    let problems = Resource::new(|| (), |_| get_export_problems());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let found = problems.await.ok().filter(|p| p.runs + p.deliveries > 0)?;
                let words = format!(
                    "Scheduled exports this week: {} and {} did not go through.",
                    plural(found.runs, "run failed or was refused", "runs failed or were refused"),
                    plural(found.deliveries, "delivery", "deliveries"),
                );
                Some(view! {
                    <p class="notice error" role="status" data-testid="export-problems">
                        {words}" "<a href="/reports/schedules">"See the schedules →"</a>
                    </p>
                })
            })}
        </Suspense>
    }
}

/// The home page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_system_status());
    let me = expect_context::<MeResource>();
    view! {
        <Title text="Dashboard"/>
        <div class="page-head">
            <h1>"Dashboard"</h1>
        </div>
        <Suspense fallback=|| view! { <p class="muted">"Checking systems…"</p> }>
            {move || Suspend::new(async move {
                match status.await {
                    Ok(status) => view! {
                        <div class="cards" data-testid="system-status">
                            <StatusCard title="Database" status=status.database/>
                            <StatusCard title="POM dialer" status=status.pom/>
                            <section class="card status-card" aria-label="Version">
                                <h2>"OCM"</h2>
                                <p class="big">{format!("Version {}", status.version)}</p>
                                <p class="muted">{if status.demo_mode { "Demo mode" } else { "Connected mode" }}</p>
                                <p class="muted small" data-testid="phone-rules">{status.phone_rules}</p>
                            </section>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
        <ExportProblemsNotice/>
        <FloorCard/>
        <CampaignsCard/>
        <Suspense>
            {move || Suspend::new(async move {
                let can_audit = me.await.map(|m| m.user.role.can_read_audit()).unwrap_or(false);
                can_audit.then(|| view! { <RecentActivity/> })
            })}
        </Suspense>
    }
}

//! The report access page (`/admin/report-access`, admins): for each report, whether supervisors
//! and managers read it (admins always do), saved per report and audited; the server enforces it
//! on pages and exports alike.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use crate::components::format::{error_text, short_time};
use crate::error::AppError;
use crate::model::ReportAccessRow;
use crate::server_fns::admin::{report_access, save_report_access};

#[component]
fn AccessLine(row: ReportAccessRow) -> impl IntoView {
    let supervisor = RwSignal::new(row.supervisor);
    let manager = RwSignal::new(row.manager);
    let saved = RwSignal::new(row.changed_by.clone().zip(row.changed_at.clone()));
    let problem = RwSignal::new(None::<AppError>);
    let report = row.report.clone();
    let save = move |_| {
        let report = report.clone();
        spawn_local(async move {
            match save_report_access(report, supervisor.get_untracked(), manager.get_untracked())
                .await
            {
                Ok(row) => {
                    problem.set(None);
                    saved.set(row.changed_by.zip(row.changed_at));
                }
                Err(error) => problem.set(Some(error)),
            }
        });
    };
    let choice = |signal: RwSignal<bool>, role: &'static str, name: &str| {
        let label = format!("{role}s read {name}");
        view! {
            <label class="field checkbox">
                <input type="checkbox" aria-label=label prop:checked=move || signal.get()
                    on:change=move |ev| signal.set(event_target_checked(&ev))/>
                {role}"s"
            </label>
        }
    };
    view! {
        <tr data-testid="report-access" data-report=row.report.clone()>
            <td>{row.name.clone()}</td>
            <td>"Always"</td>
            <td>{choice(supervisor, "Supervisor", &row.name)}</td>
            <td>{choice(manager, "Manager", &row.name)}</td>
            <td class="small muted">{move || match saved.get() {
                Some((by, at)) => format!("{by}, {}", short_time(&at)),
                None => "Default".to_string(),
            }}</td>
            <td class="row-actions">
                <button type="button" on:click=save>"Save"</button>
                {move || problem.get().map(|e| view! { <span class="error" role="alert">{error_text(&e)}</span> })}
            </td>
        </tr>
    }
}

/// The report access page.
#[component]
pub fn AdminReportAccessPage() -> impl IntoView {
    let rows = Resource::new(|| (), |_| report_access());
    view! {
        <Title text="Report access"/>
        <div class="page-head">
            <h1>"Report access"</h1>
            <p class="muted">"Who besides admins reads each report, its exports and its API. Everyone reads only their own organization's rows; admins read every report."</p>
        </div>
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) => view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label="Report access">
                            <table class="data" data-testid="report-access-table">
                                <caption class="sr-only">"Who reads each report"</caption>
                                <thead><tr>
                                    <th scope="col">"Report"</th><th scope="col">"Admins"</th>
                                    <th scope="col">"Supervisors"</th><th scope="col">"Managers"</th>
                                    <th scope="col">"Last changed"</th><th scope="col"><span class="sr-only">"Actions"</span></th>
                                </tr></thead>
                                <tbody>{rows.into_iter().map(|row| view! { <AccessLine row/> }).collect_view()}</tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <p class="notice error" role="alert">{error_text(&error)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

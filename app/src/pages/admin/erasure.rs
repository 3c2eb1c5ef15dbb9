//! The right-to-erasure page (`/admin/erasure`): the request form and its dry run, the running
//! erasure's progress, and every erasure so far (report kit) with its certificate.

use leptos::prelude::*;
use leptos_meta::Title;

use super::erasure_form::{ErasureForm, ErasurePlanPanel};
use crate::components::format::short_time;
use crate::components::job_progress::JobProgress;
use crate::components::report::fields::{plain_options, Field};
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::{no_row_attributes, TableSpec};
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{ErasureFilters, ErasurePlan, ErasureRow};
use crate::server_fns::admin::admin_directory;
use crate::server_fns::erasure::{list_erasures, unfinished_erasures};
use crate::server_fns::jobs::get_job;
use types::report::UrlQuery;

const FORM: FormSpec = FormSpec {
    path: "/admin/erasure",
    label: "Filter the erasures",
    id_prefix: "erasures-",
    exports: &[Export {
        path: "/admin/erasures/list/export.csv",
        label: "Export CSV",
        testid: "erasures-export",
        title: Some("Column keys as the header; cells a spreadsheet could run get a leading '"),
    }],
};

fn cell(key: &'static str, row: &ErasureRow) -> Option<AnyView> {
    Some(match key {
        "erasure_id" => {
            let certificate = (row.state != "running").then(|| {
                let href = format!("/admin/erasures/{}/certificate.txt", row.erasure_id);
                view! { " "<a href=href download data-testid="erasure-certificate">"certificate"</a> }
            });
            view! { {format!("#{}", row.erasure_id)}{certificate} }.into_any()
        }
        "state" => {
            let class = match row.state.as_str() {
                "completed" if row.contacts_failed == 0 => "badge ok",
                "running" => "badge",
                _ => "badge warn",
            };
            view! { <span class=class>{row.state.clone()}</span> }.into_any()
        }
        "created_at" => short_time(&row.created_at).into_any(),
        "finished_at" => row
            .finished_at
            .as_deref()
            .map(short_time)
            .unwrap_or_default()
            .into_any(),
        _ => return None,
    })
}

const TABLE: TableSpec<ErasureRow> = TableSpec {
    testid: "erasures",
    label: "Erasures",
    class: "data",
    empty: "No erasure matches these filters.",
    columns: &[
        "erasure_id",
        "organization",
        "reference",
        "state",
        "requested_by",
        "created_at",
        "finished_at",
        "contacts_found",
        "contacts_deleted",
        "contacts_failed",
    ],
    classes: &[("created_at", "nowrap"), ("finished_at", "nowrap")],
    cell,
    row: no_row_attributes,
};

fn fields(filters: ErasureFilters, organizations: Vec<String>) -> Vec<Field> {
    let states = vec![
        (String::new(), "Any state".to_string()),
        ("running".to_string(), "Running".to_string()),
        ("completed".to_string(), "Completed".to_string()),
        ("cancelled".to_string(), "Cancelled".to_string()),
    ];
    vec![
        Field::select(
            "organization",
            "Organization",
            filters.organization.clone().unwrap_or_default(),
            plain_options("Any organization", organizations.into_iter()),
        ),
        Field::verbatim("reference", "Reference", &filters.reference, "contains"),
        Field::select(
            "state",
            "State",
            filters.state.clone().unwrap_or_default(),
            states,
        ),
    ]
}

/// The page: the form, the last dry run, the erasures under way (the one just started, or those
/// left running when the page was opened) and the list.
#[component]
pub fn AdminErasurePage() -> impl IntoView {
    let directory = Resource::new(|| (), |_| admin_directory());
    let plan = RwSignal::new(None::<ErasurePlan>);
    let job_id = RwSignal::new(None::<i64>);
    let reference = RwSignal::new(String::new());
    // A new form (empty fields) once an erasure starts.
    let form_generation = RwSignal::new(0_u32);
    let on_search = Callback::new(move |()| plan.set(None));
    let on_plan = Callback::new(move |found: ErasurePlan| {
        reference.set(found.reference.clone());
        plan.set(Some(found));
    });
    // When the erasure ends, the list below shows it (with its certificate).
    let navigate = leptos_router::hooks::use_navigate();
    let on_final = Callback::new(move |_| {
        let filters = ErasureFilters {
            reference: Some(reference.get_untracked()),
            ..ErasureFilters::default()
        };
        navigate(
            &format!("/admin/erasure?{}", filters.to_query_string()),
            Default::default(),
        );
    });
    let on_started = Callback::new(move |id: i64| {
        plan.set(None);
        job_id.set(Some(id));
        form_generation.update(|g| *g += 1);
    });
    let jobs = Resource::new(
        move || job_id.get(),
        |id| async move {
            match id {
                Some(id) => get_job(id).await.ok().into_iter().collect(),
                None => unfinished_erasures().await.unwrap_or_default(),
            }
        },
    );
    let organizations = move || async move {
        directory
            .await
            .map(|d| {
                d.organizations
                    .into_iter()
                    .map(|o| o.name)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let describe =
        move |filters: ErasureFilters, _: ()| async move { fields(filters, organizations().await) };
    view! {
        <Title text="Right to erasure"/>
        <div class="page-head">
            <h1>"Right to erasure"</h1>
            <p class="muted">"Deletes a person's contacts from POM and their data from OCM, keeps a keyed hash so they are not uploaded again, and gives a certificate. Times are UTC."</p>
            <p class="actions"><a href="/admin/users">"← Users"</a></p>
        </div>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading organizations…"</p> }>
            {move || {
                form_generation.track();
                Suspend::new(async move {
                    view! { <ErasureForm organizations=organizations().await on_search on_plan/> }
                })
            }}
        </Suspense>
        {move || plan.get().map(|plan| view! { <ErasurePlanPanel plan on_started/> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let running = jobs.await;
                (!running.is_empty()).then(|| view! {
                    <section class="card" aria-label="Erasures under way">
                        {running.into_iter().map(|initial| view! { <JobProgress initial on_final/> }).collect_view()}
                    </section>
                })
            })}
        </Suspense>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("erasure", "erasures"), order: None },
            list_erasures,
            describe,
        )}
    }
}

//! The callback dashboard (`/callbacks`, seed 001 "POM Callback Dashboard"): how many callbacks
//! are overdue, due within the hour, later today and later (each a link to its section), by type
//! and state, how fresh the call data is (since when it is behind, when it is); the callbacks
//! themselves on the report kit (filters, paging, CSV and Excel), live over `/callbacks/events`
//! (counts redrawn, the table read again when a callback changes); and, for supervisors and
//! admins, a callback scheduled through POM.

mod counts;
mod live;
mod schedule;
mod table;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use crate::components::layout::MeResource;
use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report_page::{report_page, ReportRefresh, ReportSpec};
use crate::model::{
    CallbackCounts, CallbackFilters, CallbackSection, CallbackState, CallbackType, Role,
};
use crate::pages::reports::{exports, is_admin, organization_field};
use crate::server_fns::callbacks::{callback_board, get_callback_counts};
use counts::head;
use live::follow;
use schedule::ScheduleCallbackForm;
use table::TABLE;

const EXPORTS: [Export; 2] = exports("/callbacks/export.csv", "/callbacks/export.xlsx");

const FORM: FormSpec = FormSpec {
    path: "/callbacks",
    label: "Filter the callbacks",
    id_prefix: "callbacks-",
    exports: &EXPORTS,
};

fn choices<T>(
    all: Vec<T>,
    any: &str,
    text: impl Fn(&T) -> (String, String),
) -> Vec<(String, String)> {
    std::iter::once((String::new(), any.to_string()))
        .chain(all.iter().map(text))
        .collect()
}

fn fields(filters: CallbackFilters, admin: bool) -> Vec<Field> {
    let words = |v: &str, l: &str| (v.to_string(), l.to_string());
    let sections = choices(CallbackSection::all(), "Every open callback", |s| {
        words(s.as_str(), s.label())
    });
    let types = choices(CallbackType::all(), "Any type", |t| {
        words(t.as_str(), t.label())
    });
    let states = choices(CallbackState::all(), "Any state", |s| {
        words(s.as_str(), s.label())
    });
    let value = |v: Option<&str>| v.unwrap_or_default().to_string();
    let mut fields = vec![Field::select(
        "section",
        "Section",
        value(filters.section.as_ref().map(|s| s.as_str())),
        sections,
    )];
    fields.extend(organization_field(&filters.organization, admin));
    fields.extend([
        Field::select(
            "callback_type",
            "Type",
            value(filters.callback_type.as_ref().map(|t| t.as_str())),
            types,
        ),
        Field::verbatim("owner", "Owner", &filters.owner, "agent id"),
        Field::verbatim("campaign", "Campaign", &filters.campaign, "exact name"),
        Field::select(
            "state",
            "State",
            value(filters.state.as_ref().map(|s| s.as_str())),
            states,
        ),
        Field::verbatim("contact", "Contact or phone", &filters.contact, "contains"),
    ]);
    fields
}

/// The callback dashboard.
#[component]
pub fn CallbacksPage() -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let organization = Memo::new(move |_| {
        query
            .with(|q| q.get("organization"))
            .filter(|o| !o.is_empty())
    });
    let shown = Memo::new(move |_| query.with(|q| q.get("section")).filter(|s| !s.is_empty()));
    let counts = Resource::new(move || organization.get(), get_callback_counts);
    let live = RwSignal::new(None::<CallbackCounts>);
    let connected = RwSignal::new(false);
    let refresh = ReportRefresh(RwSignal::new(0));
    provide_context(refresh);
    follow(organization, live, connected, refresh, counts);
    let me = expect_context::<MeResource>();
    let may_schedule = Resource::new(
        || (),
        move |_| async move {
            me.await
                .map(|m| matches!(m.user.role, Role::Admin | Role::Supervisor))
                .unwrap_or(false)
        },
    );
    view! {
        <Title text="Callbacks"/>
        <div class="page-head">
            <h1>"Callbacks"</h1>
            <p class="muted">"Callbacks waiting to be dialled, due first: overdue, due within the hour, later today, later; and those that ended today. Read from OCM's call-data store: a new or changed callback shows once the feed from POM brings it."</p>
            <p class="actions">
                <span class="muted small" role="status" data-testid="callbacks-live" data-connected=move || connected.get().to_string()>
                    {move || if connected.get() { "Live" } else { "Not live: counts as of the time below. Refresh to update." }}
                </span>
                " "<a href=move || format!("/callbacks?{}", location.search.with(|s| s.trim_start_matches('?').to_string()))>"Refresh"</a>
                <Suspense fallback=|| ()>
                    {move || may_schedule.get().filter(|may| *may).map(|_| view! {
                        " · "<a href="#callback-form-title">"Schedule a callback"</a>
                    })}
                </Suspense>
            </p>
        </div>
        <Suspense fallback=|| view! { <p class="muted">"Counting callbacks…"</p> }>
            {move || counts.get().map(|answer| match answer {
                Ok(loaded) => {
                    let newest = live.get().unwrap_or(loaded);
                    head(newest, organization.get(), shown.get()).into_any()
                }
                Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
            })}
        </Suspense>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("callback", "callbacks"), order: Some("due first") },
            callback_board,
            |filters: CallbackFilters, _: ()| async move { fields(filters, is_admin().await) },
        )}
        <Suspense fallback=|| ()>
            {move || may_schedule.get().filter(|may| *may).map(|_| view! {
                <ScheduleCallbackForm organization=organization.get() on_scheduled=Callback::new(move |_| counts.refetch())/>
            })}
        </Suspense>
    }
}

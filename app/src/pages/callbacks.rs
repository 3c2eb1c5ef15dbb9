//! The callback dashboard (`/callbacks`, seed 001 "POM Callback Dashboard"): how many callbacks
//! are overdue, due within the hour, later today and later (each a link to its section), by type
//! and state, how fresh the call data is (since when it is behind, when it is); the callbacks
//! themselves on the report kit (filters, paging, CSV and Excel), live over `/callbacks/events`
//! (counts redrawn, the table read again when a callback changes); and, for supervisors and
//! admins, a callback scheduled through POM.

mod live;
mod schedule;

use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use crate::components::format::short_time;
use crate::components::layout::MeResource;
use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::TableSpec;
use crate::components::report_page::{report_page, ReportRefresh, ReportSpec};
use crate::components::source_behind::{source_notices, stale_mark};
use crate::model::{
    CallbackCounts, CallbackFilters, CallbackRow, CallbackSection, CallbackState, CallbackType,
    FigureSource, Role,
};
use crate::pages::reports::{exports, is_admin, organization_field};
use crate::server_fns::callbacks::{callback_board, get_callback_counts};
use live::follow;
use schedule::ScheduleCallbackForm;
use types::report::UrlQuery;

const EXPORTS: [Export; 2] = exports("/callbacks/export.csv", "/callbacks/export.xlsx");

const FORM: FormSpec = FormSpec {
    path: "/callbacks",
    label: "Filter the callbacks",
    id_prefix: "callbacks-",
    exports: &EXPORTS,
};

fn cell(key: &'static str, row: &CallbackRow) -> Option<AnyView> {
    match key {
        "phone" => Some(view! { <code>{row.phone.clone()}</code> }.into_any()),
        "section" => {
            let class = format!("badge section-{}", row.section.as_str());
            Some(view! { <span class=class>{row.section.label().to_string()}</span> }.into_any())
        }
        "state" => {
            let class = format!("badge callback-{}", row.state.as_str());
            Some(view! { <span class=class>{row.state.label().to_string()}</span> }.into_any())
        }
        "due_in_minutes" => Some(row.due_in_minutes.map(due_in).into_any()),
        _ => None,
    }
}

/// "in 25 min", "3 h 10 min ago", "in 2 d 4 h".
fn due_in(minutes: i64) -> String {
    let (abs, late) = (minutes.unsigned_abs(), minutes < 0);
    let text = match abs {
        0..60 => format!("{abs} min"),
        60..1440 => format!("{} h {} min", abs / 60, abs % 60),
        _ => format!("{} d {} h", abs / 1440, abs % 1440 / 60),
    };
    if late {
        format!("{text} ago")
    } else {
        format!("in {text}")
    }
}

fn row_attributes(row: &CallbackRow) -> Vec<AnyAttribute> {
    vec![
        custom_attribute("data-testid", "callback-row").into_any_attr(),
        custom_attribute("data-callback", row.callback_id.clone()).into_any_attr(),
        custom_attribute("data-section", row.section.as_str().to_string()).into_any_attr(),
    ]
}

const TABLE: TableSpec<CallbackRow> = TableSpec {
    testid: "callbacks",
    label: "Callbacks",
    class: "data dense",
    empty: "No callbacks here. Callbacks appear once the call-data feed brings them (see “Call data up to” above).",
    columns: &[
        "section",
        "due_at",
        "due_in_minutes",
        "expires_at",
        "callback_type",
        "owner",
        "campaign",
        "list",
        "contact_id",
        "phone",
        "state",
        "agent",
        "fulfilled_by",
        "handed_over",
        "on_call",
        "notes",
    ],
    classes: &[
        ("section", "nowrap"),
        ("due_at", "nowrap"),
        ("expires_at", "nowrap"),
        ("due_in_minutes", "nowrap"),
        ("callback_type", "nowrap"),
        ("campaign", "nowrap"),
        ("list", "nowrap"),
        ("phone", "nowrap"),
        ("state", "nowrap"),
        ("handed_over", "nowrap"),
        ("on_call", "nowrap"),
        ("notes", "clip"),
    ],
    cell,
    row: row_attributes,
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

/// The counts as links to their sections (the one shown marked current), with the types,
/// states, time zone and freshness; when the call data is behind, since when, and the counts
/// marked as not current.
fn head(
    counts: CallbackCounts,
    organization: Option<String>,
    shown: Option<String>,
) -> impl IntoView {
    let link = move |section: &CallbackSection| {
        let filters = CallbackFilters {
            section: Some(section.clone()),
            organization: organization.clone(),
            ..CallbackFilters::default()
        };
        format!("/callbacks?{}", filters.to_query_string())
    };
    let tiles = counts
        .sections
        .iter()
        .map(|(section, n)| {
            let class = format!("tile section-{}", section.as_str());
            let current = (shown.as_deref() == Some(section.as_str())).then_some("page");
            view! {
                <a class=class href=link(section) aria-current=current data-testid=format!("callbacks-count-{}", section.as_str())>
                    <span class="tile-figure">{*n}</span>
                    <span class="tile-label">{section.label().to_string()}</span>
                </a>
            }
        })
        .collect_view();
    let list = |pairs: Vec<(String, i64)>| {
        pairs
            .into_iter()
            .map(|(label, n)| format!("{label} {n}"))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let types = list(
        counts
            .types
            .iter()
            .map(|(t, n)| (t.label().to_string(), *n))
            .collect(),
    );
    let states = list(
        counts
            .states
            .iter()
            .map(|(s, n)| (s.label().to_string(), *n))
            .collect(),
    );
    let fresh = match &counts.newest_record_at {
        Some(at) => format!(
            "Call data up to {} UTC; counted {} UTC. Times below are in {}.",
            short_time(at),
            short_time(&counts.read_at),
            counts.time_zone
        ),
        None => "No call data has arrived yet.".to_string(),
    };
    let stale: Vec<_> = counts.stale.into_iter().collect();
    view! {
        {source_notices(&stale)}
        <nav class="tiles" aria-label="Callbacks by section">{tiles}</nav>
        {stale_mark(&stale, &[FigureSource::CallData], "callbacks")}
        <p class="muted small" data-testid="callbacks-breakdown">
            {format!("Open and ended today, by type: {}; by state: {}. ", if types.is_empty() { "none".into() } else { types }, if states.is_empty() { "none".into() } else { states })}
            {fresh}
        </p>
    }
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

//! The report kit's page: a list with filters read from the URL, loaded through the report's
//! server function, shown as the filter form, the table and a keyset pager that says the total,
//! with one loading, error and empty state for every report.

use std::future::Future;

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use serde::de::DeserializeOwned;
use serde::Serialize;
use types::report::{Chart, Page, ReportAnswer, ReportRequest, ReportRow, UrlQuery};

use crate::components::chart::ChartView;
use crate::components::format::error_text;
use crate::components::load_error::set_status;
use crate::components::report::fields::Field;
use crate::components::report::form::{FilterForm, FormSpec};
use crate::components::report::pager::{pager_links, showing, KeysetPager};
use crate::components::report::table::{ReportTable, Sorting, TableSpec};
use crate::error::AppError;

/// What a report's server function answers: a page of rows, plus what its filter form offers
/// (the audit log's actions); `Choices` is `()` for reports whose choices are fixed.
pub trait ReportData<R>: Clone + Serialize + DeserializeOwned + Send + Sync + 'static {
    type Choices: Default + Send + Sync + 'static;

    fn split(self) -> (Page<R>, Self::Choices);

    /// The figures a summarised report answers besides its page.
    fn extras(&self) -> Extras<R> {
        Extras::default()
    }
}

/// A summarised report's totals row, chart and report time zone.
pub struct Extras<R> {
    pub totals: Option<R>,
    pub chart: Option<Chart>,
    pub time_zone: Option<String>,
}

impl<R> Default for Extras<R> {
    fn default() -> Self {
        Extras {
            totals: None,
            chart: None,
            time_zone: None,
        }
    }
}

impl<R> ReportData<R> for ReportAnswer<R>
where
    R: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    type Choices = ();

    fn split(self) -> (Page<R>, ()) {
        (self.page, ())
    }

    fn extras(&self) -> Extras<R> {
        Extras {
            totals: self.totals.clone(),
            chart: self.chart.clone(),
            time_zone: Some(self.time_zone.clone()),
        }
    }
}

impl<R> ReportData<R> for Page<R>
where
    R: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    type Choices = ();

    fn split(self) -> (Page<R>, ()) {
        (self, ())
    }
}

/// A report page's fixed description: its form, its table, what its rows are called and, when
/// its order is fixed, which it is.
pub struct ReportSpec<R: 'static> {
    pub form: FormSpec,
    pub table: TableSpec<R>,
    /// The rows' words, one and many: ("event", "events").
    pub noun: (&'static str, &'static str),
    /// The order said in the summary ("newest first"); `None` when the form chooses it.
    pub order: Option<&'static str>,
}

/// Provided by a page whose rows change under it (the live callback dashboard): every change
/// of the count reads the shown page again.
#[derive(Clone, Copy)]
pub struct ReportRefresh(pub RwSignal<u64>);

/// A report page. `load` is the report's server function; `fields` describes the filter form for
/// the current filters and the choices the answer brought (async, so a page may await its own
/// resources, such as the signed-in user). A plain function rather than a `#[component]`: the
/// macro's props struct cannot carry type parameters that only appear in bounds.
pub fn report_page<Q, R, D, L, LFut, F, FFut>(
    spec: ReportSpec<R>,
    load: L,
    fields: F,
) -> impl IntoView
where
    Q: UrlQuery + Clone + PartialEq + Send + Sync + 'static,
    R: ReportRow + Send + Sync + 'static,
    D: ReportData<R>,
    L: Fn(ReportRequest<Q>) -> LFut + Send + Sync + 'static,
    LFut: Future<Output = Result<D, AppError>> + Send + 'static,
    F: Fn(Q, D::Choices) -> FFut + Clone + Send + Sync + 'static,
    FFut: Future<Output = Vec<Field>> + Send + 'static,
{
    let location = use_location();
    let request = Memo::new(move |_| {
        location
            .search
            .with(|search| ReportRequest::<Q>::from_query_string(search.trim_start_matches('?')))
    });
    let refresh = use_context::<ReportRefresh>();
    let answer = Resource::new(
        move || (request.get(), refresh.map(|r| r.0.get())),
        move |(request, _)| load(request),
    );
    // A transition keeps the shown page (and the form) while the next one loads; the results say
    // they are being replaced instead of disappearing. Busy is "the address asks for other rows
    // than those shown", kept here rather than read from the Transition's pending state, which
    // after hydration could stay set with nothing in flight (docs/accessibility.md).
    let shown = RwSignal::new(None::<ReportRequest<Q>>);
    let loading = Memo::new(move |_| shown.with(|shown| shown.as_ref() != Some(&request.get())));
    let busy = move || loading.get().then_some("true");
    // The pager link that read the next page is replaced with the page: keyboard users resume at
    // the new table rather than at the top of the document.
    Effect::new(move |was_loading: Option<bool>| {
        let now = loading.get();
        if was_loading == Some(true) && !now {
            focus_results_if_lost();
        }
        now
    });
    let ReportSpec {
        form,
        table,
        noun,
        order,
    } = spec;
    view! {
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || {
                let fields = fields.clone();
                Suspend::new(async move {
                    let request = request.get_untracked();
                    let exports = request.first_page().to_query_string();
                    let filtered = !exports.is_empty();
                    // Said shown once the view is built, just before it replaces the old one.
                    let drawn = request.clone();
                    match answer.await {
                        Ok(data) => {
                            let Extras { totals, chart, time_zone } = data.extras();
                            let (page, choices) = data.split();
                            let mut fields = fields(request.filters.clone(), choices).await;
                            // Apply keeps the order people chose from the headings.
                            fields.push(Field::hidden("order", request.sort.order.clone()));
                            let links = pager_links(&request, &page);
                            let results = if page.rows.is_empty() && links.first.is_none() {
                                empty_view(table, form.path, noun, filtered).into_any()
                            } else {
                                // A sorted table says its order on the sorted heading.
                                let order = order.filter(|_| request.sort.column().is_none());
                                let summary = showing(&page, noun, order);
                                let total = page.total;
                                let chart = chart.map(|chart| {
                                    view! { <ChartView chart testid=table.testid/> }
                                });
                                let sorting = Some(sorting_of(&request, form.path));
                                view! {
                                    {chart}
                                    <ReportTable spec=table rows=page.rows totals sorting/>
                                    <KeysetPager path=form.path summary total links/>
                                }
                                .into_any()
                            };
                            let zone = time_zone.map(|zone| {
                                view! {
                                    <p class="muted report-zone" data-testid="report-zone">
                                        "Days and times are in "<strong>{zone}</strong>" (the report time zone)."
                                    </p>
                                }
                            });
                            shown.set(Some(drawn));
                            view! {
                                <FilterForm spec=form fields query=exports error=None/>
                                {zone}
                                <div class="report-results" aria-busy=busy>{results}</div>
                            }
                            .into_any()
                        }
                        Err(error) => {
                            // A refusal answers 403, a bad filter in the address 400.
                            set_status(error.status_code());
                            let fields = fields(request.filters.clone(), Default::default()).await;
                            let text = error_text(&error);
                            shown.set(Some(drawn));
                            view! {
                                <FilterForm spec=form fields query=exports error=Some(error)/>
                                <p class="notice error" role="alert">
                                    {text}" "<a href=form.path>"Reset filters"</a>
                                </p>
                            }
                            .into_any()
                        }
                    }
                })
            }}
        </Transition>
    }
}

/// The headings' links for `request`: the same filters from the first page.
fn sorting_of<Q: UrlQuery + Clone>(request: &ReportRequest<Q>, path: &'static str) -> Sorting {
    let unsorted = ReportRequest {
        filters: request.filters.clone(),
        ..ReportRequest::default()
    };
    Sorting {
        path,
        query: unsorted.to_query_string(),
        current: request.sort.column().map(|(key, d)| (key.to_string(), d)),
    }
}

/// Moves focus to the report's table once it is drawn, when focus went with the replaced page
/// (browser only).
fn focus_results_if_lost() {
    request_animation_frame(|| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let document = document();
            let lost = document
                .active_element()
                .is_none_or(|element| element.tag_name() == "BODY");
            let table = document
                .query_selector(".report-results .table-wrap")
                .ok()
                .flatten()
                .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
            if let (true, Some(table)) = (lost, table) {
                let _ = table.focus();
            }
        }
    });
}

/// No rows: said once, with a way back to everything when filters hid them.
fn empty_view<R>(
    table: TableSpec<R>,
    path: &'static str,
    (_, many): (&'static str, &'static str),
    filtered: bool,
) -> impl IntoView + use<R> {
    let testid = format!("{}-empty", table.testid);
    if filtered {
        let words = format!("No {many} match these filters. ");
        view! { <p class="muted" data-testid=testid>{words}<a href=path>"Clear filters"</a></p> }
            .into_any()
    } else {
        view! { <p class="muted" data-testid=testid>{table.empty}</p> }.into_any()
    }
}

//! Purge page, one flow in three steps: define the contacts (list, attribute, operator, values,
//! reason) with the shared inline validation, read the dry run's exact effect, and confirm by
//! typing the count. If the list changed since the dry run, the server answers with the new dry
//! run instead of deleting a different set, and the new number must be typed.

pub(crate) mod confirm;
mod define;
mod form;
mod review;
mod values;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::pager::thousands;
use crate::error::AppError;
use crate::model::{AttributeInfo, ContactListRow, DryRun, JobView, PurgeRequest, PurgeStart};
use crate::server_fns::jobs::get_job;
use crate::server_fns::lists::{list_attributes, list_contact_lists};
use crate::server_fns::purge::{purge_dry_run, start_purge};
use confirm::{ConfirmStep, StartedView};
use define::DefineStep;
use form::{field_input_id, Form};
use review::DryRunView;

/// A dry run with the request it was made for (the confirmation must send that same request).
#[derive(Clone, PartialEq)]
struct Review {
    request: PurgeRequest,
    dry: DryRun,
    /// Contacts added and removed since the previous dry run, when the server found a change.
    change: Option<(i64, i64)>,
}

/// Moves keyboard focus to the element with `id` once the page has drawn it (browser only).
fn focus_later(id: &'static str) {
    request_animation_frame(move || {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let element = document()
                .get_element_by_id(id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(element) = element {
                let _ = element.focus();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = id;
    });
}

/// The step the user is at: 1 define, 2 read the dry run, 3 confirm, 4 all done.
fn step_of(started: bool, reviewed: bool, typing: bool) -> u8 {
    match (started, reviewed, typing) {
        (true, _, _) => 4,
        (false, true, true) => 3,
        (false, true, false) => 2,
        (false, false, _) => 1,
    }
}

#[component]
fn Steps(current: Memo<u8>) -> impl IntoView {
    let step = move |n: u8, name: &'static str| {
        view! {
            <li class:done={move || current.get() > n} aria-current=move || (current.get() == n).then_some("step")>
                {name}
            </li>
        }
    };
    view! {
        <ol class="steps" aria-label="Steps">
            {step(1, "Define")}
            {step(2, "Dry run")}
            {step(3, "Confirm")}
        </ol>
    }
}

#[component]
fn PurgeFlow(
    lists: Vec<ContactListRow>,
    attributes: Vec<AttributeInfo>,
    preselect: i64,
) -> impl IntoView {
    // A list from the URL that is not offered would be sent without being shown.
    let preselect = if lists.iter().any(|l| l.list_id == preselect) {
        preselect
    } else {
        0
    };
    let form = Form::new(preselect, attributes);
    let review = RwSignal::new(None::<Review>);
    let typed = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let started = RwSignal::new(None::<(i64, Result<JobView, AppError>)>);
    // Editing the form after a dry run makes it describe something else: no confirming that.
    let stale = Memo::new(move |_| {
        review.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.request != form.fields.request())
        })
    });
    let current = Memo::new(move |_| {
        step_of(
            started.with(Option::is_some),
            review.with(Option::is_some) && !stale.get(),
            typed.with(|t| !t.is_empty()),
        )
    });

    let fail = move |problem: AppError| {
        if matches!(problem, AppError::Validation { .. }) {
            form.server_error.set(Some(problem.clone()));
        }
        error.set(Some(problem));
    };
    let dry_run = Callback::new(move |()| {
        form.submit();
        form.server_error.set(None);
        error.set(None);
        if let Some(first) = form.problems.get_untracked().first() {
            focus_later(field_input_id(
                first.field,
                form.fields.operator.get_untracked(),
            ));
            return;
        }
        let request = untrack(|| form.fields.request());
        busy.set(true);
        spawn_local(async move {
            match purge_dry_run(request.clone()).await {
                Ok(dry) => {
                    typed.set(String::new());
                    review.set(Some(Review {
                        request,
                        dry,
                        change: None,
                    }));
                    focus_later("review-title");
                }
                Err(problem) => fail(problem),
            }
            busy.set(false);
        });
    });
    let confirm = Callback::new(move |typed_count: String| {
        let Some(current) = review.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let fingerprint = current.dry.fingerprint.clone();
            match start_purge(current.request.clone(), typed_count, fingerprint).await {
                Ok(PurgeStart::Started {
                    purge_run_id,
                    job_id,
                }) => {
                    started.set(Some((purge_run_id, get_job(job_id).await)));
                    focus_later("started-title");
                }
                Ok(PurgeStart::Changed {
                    dry_run,
                    added,
                    removed,
                }) => {
                    typed.set(String::new());
                    review.set(Some(Review {
                        request: current.request,
                        dry: *dry_run,
                        change: Some((added, removed)),
                    }));
                    focus_later("review-title");
                }
                Err(problem) => fail(problem),
            }
            busy.set(false);
        });
    });

    view! {
        <Steps current/>
        <Show when=move || started.with(Option::is_none)
            fallback=move || started.get().map(|(purge_run_id, job)| view! { <StartedView purge_run_id job/> })>
            <DefineStep form lists=lists.clone() dry_run busy/>
            {move || review.get().map(|Review { dry, change, .. }| {
                let matched = dry.matched;
                view! {
                    <section class="review" aria-labelledby="review-title" data-testid="dry-run-result">
                        <h2 id="review-title" tabindex="-1">"2 · Dry run"</h2>
                        {change.map(|(added, removed)| view! {
                            <p class="notice warn" role="alert" data-testid="purge-changed">
                                {format!(
                                    "The list changed since the dry run: +{} / −{}; new count {}. Check the new dry run and type the new number to confirm.",
                                    thousands(added), thousands(removed), thousands(matched)
                                )}
                            </p>
                        })}
                        <Show when=move || stale.get()>
                            <p class="notice info" role="status" data-testid="dry-run-stale">
                                "You changed the form after this dry run. Run the dry run again before confirming."
                            </p>
                        </Show>
                        <div class:stale=move || stale.get()>
                            <DryRunView dry/>
                        </div>
                    </section>
                    <Show when={move || !stale.get() && matched > 0}
                        fallback=move || (matched == 0).then(|| view! { <p class="muted">"Nothing to delete."</p> })>
                        <ConfirmStep matched typed confirm busy/>
                    </Show>
                }
            })}
            {move || error.get().map(|problem| view! { <p class="notice error" role="alert" data-testid="purge-error">{problem.to_string()}</p> })}
        </Show>
    }
}

/// The purge page. `?list=ID` preselects a list.
#[component]
pub fn PurgePage() -> impl IntoView {
    let query = use_query_map();
    let preselect =
        query.with_untracked(|q| q.get("list").and_then(|id| id.parse().ok()).unwrap_or(0));
    let lists = Resource::new(|| (), |_| list_contact_lists(false));
    let attributes = Resource::new(|| (), |_| list_attributes());
    view! {
        <Title text="Purge contacts"/>
        <div class="page-head">
            <h1>"Purge contacts"</h1>
            <p class="muted">"Delete contacts from a POM list by a filter. Nothing is deleted before you confirm the dry run's count."</p>
        </div>
        <Suspense fallback=|| view! { <p class="muted">"Reading lists and attributes from POM…"</p> }>
            {move || Suspend::new(async move {
                match (lists.await, attributes.await) {
                    (Ok(lists), Ok(attributes)) => view! { <PurgeFlow lists attributes preselect/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => {
                        view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

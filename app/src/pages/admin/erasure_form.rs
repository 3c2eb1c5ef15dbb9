//! The erasure request: organization, reference and the person's identifiers, the dry run's
//! findings (contacts per POM list, with a few shown so the admin sees it is the right person,
//! and OCM's own records), and the confirmation by typing the contact count.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::form_note::{field_problem, FieldNote, FormNote};
use crate::error::AppError;
use crate::model::{ErasurePlan, ErasureRequest};
use crate::server_fns::erasure::{erasure_dry_run, start_erasure};

const FIELDS: &[&str] = &[
    "organization",
    "reference",
    "phones",
    "emails",
    "customer_ids",
];

/// `1 contact`, `3 contacts`.
fn contacts(n: i64) -> String {
    types::words::plural(n, "contact", "contacts")
}

/// One textarea or input of the request, with its message.
fn labelled(
    label: &'static str,
    hint: &'static str,
    field: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<AppError>>,
    multi_line: bool,
) -> impl IntoView {
    let id = format!("erasure-{field}");
    let note = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    // The hint stays visible while typing and is read with the field.
    let described = format!("{hint_id} {note}");
    let invalid = move || error.with(|e| field_problem(e, field).is_some().then_some("true"));
    let input = if multi_line {
        view! {
            <textarea id=id.clone() rows="3" spellcheck="false"
                prop:value=value on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid aria-describedby=described></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type="text" autocomplete="off"
                prop:value=value on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid aria-describedby=described/>
        }
        .into_any()
    };
    view! {
        <label class="field">
            <span>{label}</span>
            {input}
            <small class="field-hint" id=hint_id>{hint}</small>
            <FieldNote id=note error field/>
        </label>
    }
}

/// The request form; `on_search` runs as a search starts (the last plan no longer holds),
/// `on_plan` gets the dry run.
#[component]
pub fn ErasureForm(
    organizations: Vec<String>,
    on_search: Callback<()>,
    on_plan: Callback<ErasurePlan>,
) -> impl IntoView {
    let organization = RwSignal::new(organizations.first().cloned().unwrap_or_default());
    let reference = RwSignal::new(String::new());
    let phones = RwSignal::new(String::new());
    let emails = RwSignal::new(String::new());
    let customer_ids = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let request = ErasureRequest {
            organization: organization.get(),
            reference: reference.get(),
            phones: phones.get(),
            emails: emails.get(),
            customer_ids: customer_ids.get(),
        };
        if request.reference.trim().is_empty() {
            error.set(Some(AppError::validation(
                "reference",
                "Give the request's reference.",
            )));
            return;
        }
        busy.set(true);
        on_search.run(());
        spawn_local(async move {
            match erasure_dry_run(request).await {
                Ok(plan) => {
                    error.set(None);
                    on_plan.run(plan);
                }
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card" novalidate on:submit=submit aria-labelledby="erasure-title" data-testid="erasure-form">
            <h2 id="erasure-title">"Erase a person"</h2>
            <p class="muted">"OCM reads every contact list of one organization and its own records; nothing changes until you confirm. One value per line, at most 20 in all."</p>
            <div class="form-grid">
                <label class="field">
                    <span>"Organization"</span>
                    <select id="erasure-organization" on:change=move |ev| organization.set(event_target_value(&ev))>
                        {organizations.into_iter().map(|o| view! { <option value=o.clone()>{o.clone()}</option> }).collect_view()}
                    </select>
                    <FieldNote id="erasure-organization-error".into() error field="organization"/>
                </label>
                {labelled("Request reference", "The ticket number, never the person's name or data", "reference", reference, error, false)}
                {labelled("Phone numbers", "In any form: 07700 900123, +44 7700 900123", "phones", phones, error, true)}
                {labelled("E-mail addresses", "Any case: Jane@Example.com", "emails", emails, error, true)}
                {labelled("Customer ids", "The contact's id in POM (userContactId)", "customer_ids", customer_ids, error, true)}
            </div>
            <FormNote error fields=FIELDS/>
            <div class="actions">
                <button type="submit" class="primary" disabled=busy data-testid="erasure-find">
                    {move || if busy.get() { "Looking…" } else { "Find the person" }}
                </button>
                <span class="muted" role="status">
                    {move || busy.get().then_some("Reading every contact list of the organization: a large one takes a minute.")}
                </span>
            </div>
        </form>
    }
}

/// The dry run's findings and the confirmation; `on_started` gets the job's id.
#[component]
pub fn ErasurePlanPanel(plan: ErasurePlan, on_started: Callback<i64>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let erasure_id = plan.erasure_id;
    // The findings take the focus when they appear, so keyboard and screen-reader users land on
    // them rather than stay on the button.
    let section = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        if let Some(section) = section.get() {
            let _ = section.focus();
        }
    });
    let typed_invalid =
        move || error.with(|e| field_problem(e, "typed_count").is_some().then_some("true"));
    let confirm = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        spawn_local(async move {
            match start_erasure(erasure_id, typed.get_untracked()).await {
                Ok(job_id) => on_started.run(job_id),
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let found = plan.contacts_found;
    let summary = format!(
        "{} in {}: {} found in {} of {} contact lists.",
        plan.identifiers,
        plan.organization,
        contacts(found),
        plan.lists.len(),
        plan.lists_searched
    );
    let lists = plan
        .lists
        .into_iter()
        .map(|list| {
            let head = list
                .columns
                .iter()
                .map(|c| view! { <th scope="col">{c.clone()}</th> })
                .collect_view();
            let rows = list.sample.into_iter().map(|row| view! {
            <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
        }).collect_view();
            let more = (list.found > 5).then(|| format!("and {} more", list.found - 5));
            view! {
                <h3>{format!("{} — {}", list.list_name, contacts(list.found))}</h3>
                <div class="table-wrap" tabindex="0" role="region" aria-label="Contacts found"><table class="data">
                    <caption class="sr-only">{format!("Contacts found in {}", list.list_name)}</caption>
                    <thead><tr>{head}</tr></thead><tbody>{rows}</tbody>
                </table></div>
                {more.map(|m| view! { <p class="muted">{m}</p> })}
            }
        })
        .collect_view();
    let stores = plan
        .stores
        .into_iter()
        .map(|s| {
            view! {
                <tr><td>{s.label}</td><td class="num">{s.count}</td></tr>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="erasure-plan-title" data-testid="erasure-plan" tabindex="-1" node_ref=section>
            <h2 id="erasure-plan-title">{format!("Dry run #{} — {}", plan.erasure_id, plan.reference)}</h2>
            <p>{summary}</p>
            {lists}
            <p class="muted">"Only the identifiers you gave are erased from OCM's records and kept out of later files: if these contacts hold other numbers or addresses of the same person, add them and look again."</p>
            <h3>"OCM's own records"</h3>
            <table class="data compact">
                <thead><tr><th scope="col">"Where"</th><th scope="col" class="num">"Found"</th></tr></thead>
                <tbody>{stores}</tbody>
            </table>
            <form novalidate on:submit=confirm class="confirm">
                <p>"Confirming deletes these contacts from POM, erases the person from OCM's records and keeps only a keyed hash of each identifier, so later uploads and DNC imports holding them are flagged and not sent. This cannot be undone."</p>
                <label class="field">
                    <span>{format!("Type {found} to confirm")}</span>
                    <input id="erasure-typed-count" type="text" inputmode="numeric" autocomplete="off"
                        prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev))
                        aria-invalid=typed_invalid aria-describedby="erasure-typed-count-error"/>
                    <FieldNote id="erasure-typed-count-error".into() error field="typed_count"/>
                </label>
                <FormNote error fields=&["typed_count"]/>
                <div class="actions">
                    <button type="submit" class="danger" disabled=busy data-testid="erasure-confirm">"Erase"</button>
                </div>
            </form>
        </section>
    }
}

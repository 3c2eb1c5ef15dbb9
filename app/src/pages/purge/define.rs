//! Step 1: which list, which contacts (attribute, operator, values) and why.

use leptos::prelude::*;

use super::form::Form;
use super::values::ValuesField;
use crate::components::pager::thousands;
use crate::model::{AttributeKind, ContactListRow, Operator};

fn kind_word(kind: AttributeKind) -> &'static str {
    match kind {
        AttributeKind::Text => "text",
        AttributeKind::Date => "date",
        AttributeKind::Number => "number",
        AttributeKind::Phone => "phone number",
    }
}

/// A field's problem line, referenced by the input's `aria-describedby`.
#[component]
fn Problem(form: Form, field: &'static str) -> impl IntoView {
    let id = format!("purge-{field}-error");
    let testid = id.clone();
    view! { <span id=id class="field-error" data-testid=testid>{move || form.message(field)}</span> }
}

/// The definition form. `dry_run` asks for the dry run; `busy` while a request is out.
#[component]
pub fn DefineStep(
    form: Form,
    lists: Vec<ContactListRow>,
    dry_run: Callback<()>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let fields = form.fields;
    let invalid =
        move |field: &'static str| move || form.message(field).is_some().then_some("true");
    let several_orgs = lists
        .iter()
        .any(|l| l.organization != lists[0].organization);
    let chosen_list = fields.list_id.get_untracked();
    let list_options = lists
        .into_iter()
        .map(|l| {
            let org = if several_orgs {
                format!(", {}", l.organization)
            } else {
                String::new()
            };
            let text = format!(
                "{} (#{}{org}, {} contacts)",
                l.name,
                l.list_id,
                thousands(l.total)
            );
            view! { <option value=l.list_id selected=l.list_id == chosen_list>{text}</option> }
        })
        .collect_view();
    let attribute_options = form
        .catalogue()
        .into_iter()
        .map(|a| {
            let text = format!("{} ({})", a.name, kind_word(a.kind));
            view! { <option value=a.name.clone()>{text}</option> }
        })
        .collect_view();
    let operator_options = Operator::ALL
        .into_iter()
        .map(|op| {
            // Date comparisons only make sense on date attributes.
            let unavailable = move || op.needs_date() && form.kind() != Some(AttributeKind::Date);
            view! {
                <option value=op.as_str() disabled=unavailable selected=move || fields.operator.get() == op>
                    {op.label()}
                </option>
            }
        })
        .collect_view();

    view! {
        <form class="purge-form" aria-labelledby="define-title" novalidate
            on:submit=move |ev| { ev.prevent_default(); dry_run.run(()); }>
            <h2 id="define-title">"1 · Define the contacts to delete"</h2>
            <div class="form-grid">
                <div class="field">
                    <label for="purge-list">"Contact list"</label>
                    <select id="purge-list" name="purge-list" aria-invalid=invalid("list") aria-describedby="purge-list-error"
                        on:change=move |ev| {
                            fields.list_id.set(event_target_value(&ev).parse().unwrap_or(0));
                            form.touch("list");
                        }>
                        <option value="0" selected=chosen_list == 0>"Choose a list…"</option>
                        {list_options}
                    </select>
                    <Problem form field="list"/>
                </div>
                <div class="field">
                    <label for="purge-attribute">"Attribute"</label>
                    <select id="purge-attribute" name="purge-attribute" aria-invalid=invalid("attribute")
                        aria-describedby="purge-attribute-error"
                        on:change=move |ev| { fields.attribute.set(event_target_value(&ev)); form.touch("attribute"); }>
                        <option value="">"Choose an attribute…"</option>
                        {attribute_options}
                    </select>
                    <Problem form field="attribute"/>
                </div>
                <div class="field">
                    <label for="purge-operator">"Operator"</label>
                    <select id="purge-operator" name="purge-operator" aria-invalid=invalid("operator")
                        aria-describedby="purge-operator-error purge-operator-hint"
                        on:change=move |ev| {
                            if let Some(op) = Operator::parse(&event_target_value(&ev)) {
                                fields.operator.set(op);
                            }
                            form.touch("operator");
                        }>
                        {operator_options}
                    </select>
                    <span id="purge-operator-hint" class="muted small">"before, after and between need a date attribute"</span>
                    <Problem form field="operator"/>
                </div>
            </div>
            <ValuesField form/>
            <div class="field">
                <label for="purge-reason">"Business reason"</label>
                <textarea id="purge-reason" name="purge-reason" rows="2" required
                    aria-invalid=invalid("reason") aria-describedby="purge-reason-error purge-reason-hint"
                    prop:value=move || fields.reason.get()
                    on:input=move |ev| { fields.reason.set(event_target_value(&ev)); form.touch("reason"); }>
                </textarea>
                <span id="purge-reason-hint" class="muted small">"Kept in the purge history and the audit log."</span>
                <Problem form field="reason"/>
            </div>
            <div class="actions">
                <button type="submit" class="primary" data-testid="dry-run" disabled=move || busy.get()>
                    {move || if busy.get() { "Reading the list…" } else { "Dry run" }}
                </button>
                <span class="muted small">"Reads the whole list and changes nothing."</span>
            </div>
        </form>
    }
}

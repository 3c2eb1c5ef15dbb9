//! The completion-code rules page (`/admin/completion-rules`, admins): the form for a new rule
//! and every rule with how its applications stand (each count a link to them in the report);
//! disabling asks first (its waiting applications are then not carried out), failed
//! applications may be tried again.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::completion_rule_form::CompletionRuleForm;
use crate::components::format::{error_text, short_time};
use crate::error::AppError;
use crate::model::CompletionRuleRow;
use crate::server_fns::completion_rules::{
    get_completion_rules, retry_completion_rule, set_completion_rule_enabled,
};

/// A count of one state, as a link to those applications.
fn count_link(
    rule: i64,
    (state, words): (&'static str, &'static str),
    count: i64,
) -> impl IntoView {
    let href = format!("/completion-rules/applications?rule={rule}&state={state}");
    let label = format!("{count} {words} of rule #{rule}");
    view! { <a href=href data-state=state aria-label=label>{count}</a> }
}

/// One rule's row with its actions; a refusal or a note is shown in the row.
#[component]
fn RuleLine(rule: CompletionRuleRow, on_changed: Callback<()>) -> impl IntoView {
    let problem = RwSignal::new(None::<AppError>);
    let note = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let enabled = rule.disabled_at.is_none();
    let id = rule.rule_id;
    let change = move |to: bool| {
        spawn_local(async move {
            match set_completion_rule_enabled(id, to).await {
                Ok(()) => on_changed.run(()),
                Err(error) => problem.set(Some(error)),
            }
        });
    };
    let retry = move |_| {
        spawn_local(async move {
            match retry_completion_rule(id).await {
                Ok(n) => {
                    note.set(Some(format!("{n} to be tried again.")));
                    on_changed.run(());
                }
                Err(error) => problem.set(Some(error)),
            }
        });
    };
    let waiting = rule.pending;
    let state = match (&rule.disabled_at, &rule.disabled_by) {
        (None, _) => "Enabled".to_string(),
        (Some(at), by) => format!(
            "Disabled {} by {}",
            short_time(at),
            by.clone().unwrap_or_default()
        ),
    };
    let failed = rule.failed;
    view! {
        <tr data-testid="completion-rule-row" data-rule-id=id.to_string() class:muted=!enabled>
            <th scope="row">{format!("#{id}")}</th>
            <td>{rule.organization.clone()}</td>
            <td>{rule.campaign.clone()}</td>
            <td><code>{rule.completion_code.clone()}</code></td>
            <td data-testid="rule-effect">{rule.effect.clone()}</td>
            <td class="small">{format!("{}, {}", rule.created_by, short_time(&rule.created_at))}</td>
            <td class="num">{count_link(id, ("applied", "applied"), rule.applied)}</td>
            <td class="num">{count_link(id, ("pending", "waiting"), rule.pending)}</td>
            <td class="num">{count_link(id, ("failed", "failed"), rule.failed)}</td>
            <td>{state}</td>
            <td class="row-actions">
                <Show when=move || enabled fallback=move || view! {
                    <button type="button" on:click=move |_| change(true) aria-label=format!("Enable rule #{id}")>"Enable"</button>
                }>
                    <Show when=move || confirming.get() fallback=move || view! {
                        <button type="button" on:click=move |_| confirming.set(true) aria-label=format!("Disable rule #{id}")>"Disable"</button>
                    }>
                        <span role="alert" class="small">{if waiting > 0 { format!("Its {waiting} waiting will not be carried out. ") } else { String::new() }}</span>
                        <button type="button" class="danger" on:click=move |_| change(false) data-testid="confirm-disable">{format!("Disable rule #{id}")}</button>
                        <button type="button" on:click=move |_| confirming.set(false)>"Keep it"</button>
                    </Show>
                    <Show when=move || { failed > 0 }>
                        <button type="button" on:click=retry aria-label=format!("Try the failed ones of rule #{id} again")>"Try failed again"</button>
                    </Show>
                </Show>
                {move || note.get().map(|text| view! { <span class="small" role="status">{text}</span> })}
                {move || problem.get().map(|e| view! { <span class="error" role="alert">{error_text(&e)}</span> })}
            </td>
        </tr>
    }
}

/// The page.
#[component]
pub fn AdminCompletionRulesPage() -> impl IntoView {
    let version = RwSignal::new(0_u32);
    let data = Resource::new(move || version.get(), |_| get_completion_rules());
    let on_changed = Callback::new(move |()| version.update(|v| *v += 1));
    // Kept here: the form is drawn again with the list once a rule is saved.
    let saved = RwSignal::new(None::<String>);
    let on_created = Callback::new(move |text: String| {
        saved.set(Some(text));
        version.update(|v| *v += 1);
    });
    view! {
        <Title text="Completion-code rules"/>
        <div class="page-head">
            <h1>"Completion-code rules"</h1>
            <p class="muted">"What OCM does to a contact when a call of a campaign closes with a code: set a contact attribute in POM (a fixed text, or a date some days after the call), mark the contact uncallable, or add the number to the organization's DNC list. A rule acts once on each call that ends after it is saved (or enabled again), never on earlier calls; each action is audited and shown on the contact's page. To change a rule, disable it and add the new one. "<a href="/completion-rules/applications">"Applications →"</a></p>
        </div>
        {move || saved.get().map(|text| view! { <p class="notice ok" role="status" data-testid="rule-saved">{text}</p> })}
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view_data) => view! {
                        {view_data.pom_problem.clone().map(|text| view! { <p class="notice error" role="alert">{format!("POM could not list campaigns or attributes, so no rule can be added now: {text}")}</p> })}
                        <Show when={let ready = view_data.pom_problem.is_none(); move || ready}>
                            <CompletionRuleForm campaigns=view_data.campaigns.clone() attributes=view_data.attributes.clone() on_created/>
                        </Show>
                        <div class="table-wrap" tabindex="0" role="region" aria-label="Completion-code rules">
                            <table class="data" data-testid="completion-rules">
                                <caption class="sr-only">"Completion-code rules"</caption>
                                <thead><tr>
                                    <th scope="col">"Rule"</th><th scope="col">"Organization"</th><th scope="col">"Campaign"</th><th scope="col">"Code"</th>
                                    <th scope="col">"Action"</th><th scope="col">"Added"</th>
                                    <th scope="col" class="num">"Applied"</th><th scope="col" class="num">"Waiting"</th><th scope="col" class="num">"Failed"</th>
                                    <th scope="col">"State"</th><th scope="col"><span class="sr-only">"Actions"</span></th>
                                </tr></thead>
                                <tbody>
                                    {view_data.rules.is_empty().then(|| view! { <tr><td colspan="11" class="muted">"No rule yet."</td></tr> })}
                                    {view_data.rules.into_iter().map(|rule| view! { <RuleLine rule on_changed/> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <p class="notice error" role="alert">{error_text(&error)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

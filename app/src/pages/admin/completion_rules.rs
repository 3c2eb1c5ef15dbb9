//! The completion-code rules page (`/admin/completion-rules`, admins): the form for a new rule
//! and every rule with how its applications stand (each count a link to them in the report),
//! disabled or enabled from its row.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::completion_rule_form::CompletionRuleForm;
use crate::components::format::{error_text, short_time};
use crate::error::AppError;
use crate::model::CompletionRuleRow;
use crate::server_fns::completion_rules::{get_completion_rules, set_completion_rule_enabled};

/// A count of one state, as a link to those applications.
fn count_link(rule: i64, state: &'static str, count: i64) -> impl IntoView {
    let href = format!("/completion-rules/applications?rule={rule}&state={state}");
    view! { <a href=href data-state=state>{count}</a> }
}

/// One rule's row with its action; a refusal is shown in the row.
#[component]
fn RuleLine(rule: CompletionRuleRow, on_changed: Callback<()>) -> impl IntoView {
    let problem = RwSignal::new(None::<AppError>);
    let enabled = rule.disabled_at.is_none();
    let id = rule.rule_id;
    let toggle = move |_| {
        spawn_local(async move {
            match set_completion_rule_enabled(id, !enabled).await {
                Ok(()) => on_changed.run(()),
                Err(error) => problem.set(Some(error)),
            }
        });
    };
    let state = match (&rule.disabled_at, &rule.disabled_by) {
        (None, _) => "Enabled".to_string(),
        (Some(at), by) => format!(
            "Disabled {} by {}",
            short_time(at),
            by.clone().unwrap_or_default()
        ),
    };
    let label = format!("{} rule #{id}", if enabled { "Disable" } else { "Enable" });
    view! {
        <tr data-testid="completion-rule-row" data-rule-id=id.to_string() class:muted=!enabled>
            <td>{rule.organization.clone()}</td>
            <td>{rule.campaign.clone()}</td>
            <td><code>{rule.completion_code.clone()}</code></td>
            <td data-testid="rule-effect">{rule.effect.clone()}</td>
            <td class="small">{format!("{}, {}", rule.created_by, short_time(&rule.created_at))}</td>
            <td class="num">{count_link(id, "applied", rule.applied)}</td>
            <td class="num">{count_link(id, "pending", rule.pending)}</td>
            <td class="num">{count_link(id, "failed", rule.failed)}</td>
            <td>{state}</td>
            <td class="row-actions">
                <button type="button" on:click=toggle aria-label=label>{if enabled { "Disable" } else { "Enable" }}</button>
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
    view! {
        <Title text="Completion-code rules"/>
        <div class="page-head">
            <h1>"Completion-code rules"</h1>
            <p class="muted">"What OCM does to a contact when a call of a campaign closes with a code: set a contact attribute in POM (a fixed text, or a date some days after the call), mark the contact uncallable, or add the number to the organization's DNC list. A rule acts once on each call that ends after it is saved; each action is audited and shown on the contact's page. "<a href="/completion-rules/applications">"Applications →"</a></p>
        </div>
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view_data) => view! {
                        {view_data.pom_problem.clone().map(|text| view! { <p class="notice error" role="alert">{format!("POM could not list campaigns or attributes, so no rule can be added now: {text}")}</p> })}
                        <Show when={let ready = view_data.pom_problem.is_none(); move || ready}>
                            <CompletionRuleForm campaigns=view_data.campaigns.clone() attributes=view_data.attributes.clone() on_created=on_changed/>
                        </Show>
                        <div class="table-wrap" tabindex="0" role="region" aria-label="Completion-code rules">
                            <table class="data" data-testid="completion-rules">
                                <caption class="sr-only">"Completion-code rules"</caption>
                                <thead><tr>
                                    <th scope="col">"Organization"</th><th scope="col">"Campaign"</th><th scope="col">"Code"</th>
                                    <th scope="col">"Does"</th><th scope="col">"Added"</th>
                                    <th scope="col" class="num">"Applied"</th><th scope="col" class="num">"Waiting"</th><th scope="col" class="num">"Failed"</th>
                                    <th scope="col">"State"</th><th scope="col"><span class="sr-only">"Actions"</span></th>
                                </tr></thead>
                                <tbody>
                                    {view_data.rules.is_empty().then(|| view! { <tr><td colspan="10" class="muted">"No rule yet."</td></tr> })}
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

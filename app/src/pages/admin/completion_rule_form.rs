//! The new-rule form: campaign (by organization), completion code (with the codes its calls
//! closed with offered), what it does, and for an attribute which one and its value (fixed, or a
//! date some days after the call). Checked as typed once tried; the server's refusal is shown at
//! its field.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::form_note::{field_problem, FieldNote, FormNote};
use crate::error::AppError;
use crate::model::{NewCompletionRule, RuleAction, RuleCampaign};
use crate::server_fns::completion_rules::add_completion_rule;

const FIELDS: &[&str] = &[
    "campaign",
    "completion_code",
    "action",
    "attribute",
    "fixed_value",
    "days_after",
];

/// A problem found before sending.
fn local_problem(new: &NewCompletionRule) -> Option<AppError> {
    if new.campaign.is_empty() {
        return Some(AppError::validation("campaign", "Choose a campaign."));
    }
    if new.completion_code.trim().is_empty() {
        return Some(AppError::validation(
            "completion_code",
            "Give the completion code.",
        ));
    }
    if new.action != RuleAction::SetAttribute.as_str() {
        return None;
    }
    if new.attribute.is_empty() {
        return Some(AppError::validation(
            "attribute",
            "Choose the attribute to set.",
        ));
    }
    match new.value_kind.as_str() {
        "days_after"
            if !new
                .days_after
                .trim()
                .parse::<u16>()
                .is_ok_and(|d| d <= 3650) =>
        {
            Some(AppError::validation(
                "days_after",
                "A whole number of days from 0 to 3650.",
            ))
        }
        "fixed" if new.fixed_value.trim().is_empty() => Some(AppError::validation(
            "fixed_value",
            "The value is 1 to 255 characters.",
        )),
        _ => None,
    }
}

/// `organization|campaign`, the campaign select's value.
fn campaign_key(c: &RuleCampaign) -> String {
    format!("{}|{}", c.organization, c.campaign)
}

/// The form; `on_created` receives the sentence saying what was saved.
#[component]
pub fn CompletionRuleForm(
    campaigns: Vec<RuleCampaign>,
    attributes: Vec<String>,
    on_created: Callback<String>,
) -> impl IntoView {
    let chosen = RwSignal::new(campaigns.first().map(campaign_key).unwrap_or_default());
    let code = RwSignal::new(String::new());
    let action = RwSignal::new(RuleAction::SetAttribute.as_str().to_string());
    let attribute = RwSignal::new(attributes.first().cloned().unwrap_or_default());
    let value_kind = RwSignal::new("fixed".to_string());
    let fixed_value = RwSignal::new(String::new());
    let days_after = RwSignal::new("30".to_string());
    let error = RwSignal::new(None::<AppError>);
    let tried = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let form = move || {
        let key = chosen.get();
        let (organization, campaign) = key.split_once('|').unwrap_or(("", ""));
        NewCompletionRule {
            organization: organization.to_string(),
            campaign: campaign.to_string(),
            completion_code: code.get(),
            action: action.get(),
            attribute: attribute.get(),
            value_kind: value_kind.get(),
            fixed_value: fixed_value.get(),
            days_after: days_after.get(),
        }
    };
    // Once tried, the form is checked again as it is typed.
    Effect::new(move |_| {
        let new = form();
        if tried.get_untracked() {
            error.set(local_problem(&new));
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        tried.set(true);
        let new = form();
        if let Some(problem) = local_problem(&new) {
            error.set(Some(problem));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match add_completion_rule(new.clone()).await {
                Ok(id) => {
                    error.set(None);
                    tried.set(false);
                    code.set(String::new());
                    on_created.run(format!(
                        "Rule #{id} saved: it acts on calls of {} that end from now on.",
                        new.campaign
                    ));
                }
                Err(problem) => error.set(Some(problem)),
            }
            busy.set(false);
        });
    };
    let invalid = move |field: &'static str| {
        move || error.with(|e| field_problem(e, field).is_some().then_some("true"))
    };
    let codes_of = campaigns.clone();
    let known_codes = Memo::new(move |_| {
        let key = chosen.get();
        codes_of
            .iter()
            .find(|c| campaign_key(c) == key)
            .map(|c| c.codes.clone())
            .unwrap_or_default()
    });
    let organizations: Vec<String> = {
        let mut names: Vec<String> = campaigns.iter().map(|c| c.organization.clone()).collect();
        names.dedup();
        names
    };
    let sets_attribute = move || action.get() == RuleAction::SetAttribute.as_str();
    view! {
        <form class="card" novalidate on:submit=submit aria-labelledby="new-rule-title" data-testid="new-completion-rule">
            <h2 id="new-rule-title">"New rule"</h2>
            <div class="form-grid">
                <label class="field">
                    <span>"Campaign"</span>
                    <select id="rule-campaign" data-testid="rule-campaign" on:change=move |ev| chosen.set(event_target_value(&ev))
                        aria-invalid=invalid("campaign") aria-describedby="rule-campaign-error">
                        {organizations.into_iter().map(|organization| {
                            let inside: Vec<RuleCampaign> = campaigns.iter().filter(|c| c.organization == organization).cloned().collect();
                            view! {
                                <optgroup label=organization>
                                    {inside.into_iter().map(|c| view! { <option value=campaign_key(&c)>{c.campaign.clone()}</option> }).collect_view()}
                                </optgroup>
                            }
                        }).collect_view()}
                    </select>
                    <FieldNote id="rule-campaign-error".into() error field="campaign"/>
                </label>
                <label class="field">
                    <span>"When a call closes with code"</span>
                    <input id="rule-code" type="text" list="rule-codes" autocomplete="off" required placeholder="NSP" data-testid="rule-code"
                        prop:value=code on:input=move |ev| code.set(event_target_value(&ev))
                        aria-invalid=invalid("completion_code") aria-describedby="rule-code-error rule-code-hint"/>
                    <datalist id="rule-codes">
                        {move || known_codes.get().into_iter().map(|c| view! { <option value=c/> }).collect_view()}
                    </datalist>
                    <small id="rule-code-hint" class="muted">{move || {
                        let codes = known_codes.get();
                        if codes.is_empty() { "No call of this campaign has closed yet; type the code as POM spells it.".to_string() } else { format!("Seen on its calls: {}", codes.join(", ")) }
                    }}</small>
                    <FieldNote id="rule-code-error".into() error field="completion_code"/>
                </label>
                <label class="field">
                    <span>"Do"</span>
                    <select id="rule-action" data-testid="rule-action" on:change=move |ev| action.set(event_target_value(&ev))
                        aria-invalid=invalid("action") aria-describedby="rule-action-error">
                        {RuleAction::all().into_iter().map(|a| view! { <option value=a.as_str().to_string()>{a.label().to_string()}</option> }).collect_view()}
                    </select>
                    <FieldNote id="rule-action-error".into() error field="action"/>
                </label>
            </div>
            <Show when=sets_attribute>
                <div class="form-grid">
                    <label class="field">
                        <span>"Attribute"</span>
                        <select id="rule-attribute" data-testid="rule-attribute" on:change=move |ev| attribute.set(event_target_value(&ev))
                            aria-invalid=invalid("attribute") aria-describedby="rule-attribute-error">
                            {attributes.iter().map(|a| view! { <option value=a.clone() selected=a.clone() == attribute.get_untracked()>{a.clone()}</option> }).collect_view()}
                        </select>
                        <FieldNote id="rule-attribute-error".into() error field="attribute"/>
                    </label>
                    <label class="field">
                        <span>"Value"</span>
                        <select id="rule-value-kind" data-testid="rule-value-kind" on:change=move |ev| value_kind.set(event_target_value(&ev))>
                            <option value="fixed" selected=move || value_kind.get() == "fixed">"This text"</option>
                            <option value="days_after" selected=move || value_kind.get() == "days_after">"A date, days after the call"</option>
                        </select>
                    </label>
                    <Show when=move || value_kind.get() == "fixed" fallback=move || view! {
                        <label class="field">
                            <span>"Days after the call's day"</span>
                            <input id="rule-days" type="number" min="0" max="3650" data-testid="rule-days"
                                prop:value=days_after on:input=move |ev| days_after.set(event_target_value(&ev))
                                aria-invalid=invalid("days_after") aria-describedby="rule-days-error"/>
                            <FieldNote id="rule-days-error".into() error field="days_after"/>
                        </label>
                    }>
                        <label class="field">
                            <span>"Text"</span>
                            <input id="rule-fixed" type="text" maxlength="255" placeholder="legal" data-testid="rule-fixed"
                                prop:value=fixed_value on:input=move |ev| fixed_value.set(event_target_value(&ev))
                                aria-invalid=invalid("fixed_value") aria-describedby="rule-fixed-error"/>
                            <FieldNote id="rule-fixed-error".into() error field="fixed_value"/>
                        </label>
                    </Show>
                </div>
            </Show>
            <FormNote error fields=FIELDS/>
            <div class="actions">
                <button type="submit" class="primary" disabled=busy data-testid="save-rule">"Save rule"</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_checked_before_sending() {
        let mut new = NewCompletionRule {
            organization: "Collections".into(),
            campaign: "Coll_Arrears_Predictive".into(),
            completion_code: "NSP".into(),
            action: "set_attribute".into(),
            attribute: "NEXT_ACTION".into(),
            value_kind: "fixed".into(),
            fixed_value: "legal".into(),
            days_after: String::new(),
        };
        assert!(local_problem(&new).is_none());
        new.value_kind = "days_after".into();
        assert_eq!(
            field_problem(&local_problem(&new), "days_after").as_deref(),
            Some("A whole number of days from 0 to 3650.")
        );
        new.action = "add_dnc".into();
        assert!(local_problem(&new).is_none());
    }
}

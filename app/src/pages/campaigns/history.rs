//! Campaign actions by users, newest first: the campaigns page's "Recent actions" and the
//! dashboard's last actions.

use leptos::prelude::*;

use crate::components::format::short_time;
use crate::model::CampaignActionLine;
use crate::server_fns::campaigns::campaign_actions;

/// An action's name in words (`emergency_stop` → "Emergency stop").
pub fn action_word(action: &str) -> String {
    let spaced = action.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// An action's outcome as a word on a tinted background.
#[component]
pub fn OutcomeBadge(outcome: String) -> impl IntoView {
    let word = match outcome.as_str() {
        "pending" => "Pending",
        "ok" => "Done",
        "refused" => "Refused",
        "failed" => "Failed",
        other => other,
    }
    .to_string();
    view! { <span class=format!("action-outcome {outcome}") data-outcome=outcome>{word}</span> }
}

/// The actions as a table; `compact` keeps when, who, action, campaign and outcome (dashboard),
/// with the organization when the actions concern more than one.
#[component]
pub fn ActionsTable(rows: Vec<CampaignActionLine>, compact: bool) -> impl IntoView {
    let several_orgs = rows.iter().any(|r| r.organization != rows[0].organization);
    let show_org = compact && several_orgs;
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="campaign-actions-empty">"No campaign actions yet."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="Campaign actions">
            <table class="data" data-testid="campaign-actions-table">
                <thead>
                    <tr>
                        <th scope="col">"When (UTC)"</th>
                        <th scope="col">"Who"</th>
                        {show_org.then(|| view! { <th scope="col">"Organization"</th> })}
                        <th scope="col">"Action"</th>
                        <th scope="col">"Campaign"</th>
                        {(!compact).then(|| view! { <th scope="col" class="num">"Job"</th> })}
                        <th scope="col">"Outcome"</th>
                        {(!compact).then(|| view! { <th scope="col">"Message"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|line| {
                        let job = line.job_id.map_or_else(|| "—".to_string(), |id| id.to_string());
                        let message = line.message.unwrap_or_default();
                        view! {
                            <tr data-testid="campaign-action-row">
                                <td class="nowrap">{short_time(&line.at)}</td>
                                <td>{line.username}</td>
                                {show_org.then(|| view! { <td>{line.organization.clone()}</td> })}
                                <td>{action_word(&line.action)}</td>
                                <td>{line.campaign}</td>
                                {(!compact).then(|| view! { <td class="num">{job}</td> })}
                                <td><OutcomeBadge outcome=line.outcome/></td>
                                {(!compact).then(|| view! { <td class="outcome-text">{message}</td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The organization's last actions, read again whenever `changes` moves.
#[component]
pub fn RecentActions(organization: String, changes: RwSignal<u32>) -> impl IntoView {
    let actions = Resource::new(
        move || (organization.clone(), changes.get()),
        |(organization, _)| campaign_actions(organization),
    );
    view! {
        <section class="section" aria-labelledby="campaign-actions-title">
            <h2 id="campaign-actions-title">"Recent actions"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match actions.await {
                        Ok(rows) => view! { <ActionsTable rows compact=false/> }.into_any(),
                        Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::action_word;

    #[test]
    fn action_names_read_as_words() {
        assert_eq!(action_word("emergency_stop"), "Emergency stop");
        assert_eq!(action_word("pause"), "Pause");
        assert_eq!(action_word(""), "");
    }
}

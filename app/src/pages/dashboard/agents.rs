//! The floor card's "Agents now": logged-in agents per team in each state (wrap-up with those
//! asking for a break, not ready by reason), each with the agent longest in it.

use leptos::prelude::*;

use crate::components::campaign_state::format_age;
use crate::components::format::short_time;
use crate::model::AgentsInState;

/// The table's state columns: heading and the states each gathers.
const COLUMNS: [(&str, &[&str]); 5] = [
    ("Ready", &["ready"]),
    ("Preview", &["preview"]),
    ("Talking", &["talking"]),
    ("Wrap-up", &["wrap_up", "pending_not_ready"]),
    ("Not ready", &["not_ready"]),
];

fn cell(groups: &[&AgentsInState]) -> AnyView {
    let count: i64 = groups.iter().map(|g| g.agents).sum();
    let Some(longest) = groups.iter().max_by_key(|g| g.longest_minutes) else {
        return view! { <td class="num muted">"0"</td> }.into_any();
    };
    let reasons = groups
        .iter()
        .filter_map(|g| g.reason.as_ref().map(|r| format!("{r} {}", g.agents)))
        .collect::<Vec<_>>()
        .join(" · ");
    let title = format!(
        "{} since {} UTC",
        longest.longest_agent,
        short_time(&longest.longest_since)
    );
    let longest_for = format!(
        "longest {} ({})",
        format_age(longest.longest_minutes * 60),
        longest.longest_agent
    );
    view! {
        <td class="num">
            <strong>{count}</strong>
            {(!reasons.is_empty()).then(|| view! { <span class="muted small agent-reasons">{reasons}</span> })}
            <span class="muted small agent-longest" title=title>{longest_for}</span>
        </td>
    }
    .into_any()
}

/// One row per team, a column per state.
pub fn agents_view(agents: Vec<AgentsInState>) -> AnyView {
    if agents.is_empty() {
        return view! {
            <p class="muted" data-testid="agents-now-empty">"No agent is logged in, as far as the call data says."</p>
        }
        .into_any();
    }
    let mut teams: Vec<String> = agents.iter().map(|a| a.team.clone()).collect();
    teams.dedup();
    let rows = teams
        .into_iter()
        .map(|team| {
            let cells = COLUMNS
                .iter()
                .map(|(_, states)| {
                    let groups: Vec<&AgentsInState> = agents
                        .iter()
                        .filter(|a| a.team == team && states.contains(&a.state.as_str()))
                        .collect();
                    cell(&groups)
                })
                .collect_view();
            let logged_in: i64 = agents
                .iter()
                .filter(|a| a.team == team)
                .map(|a| a.agents)
                .sum();
            let key = team.clone();
            view! {
                <tr data-testid="agents-team" data-team=key>
                    <th scope="row">{team}</th>
                    <td class="num">{logged_in}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data dense agents-now" data-testid="agents-now" aria-labelledby="agents-now-title">
                <thead>
                    <tr>
                        <th scope="col">"Team"</th>
                        <th scope="col" class="num">"Logged in"</th>
                        {COLUMNS.iter().map(|(heading, _)| view! { <th scope="col" class="num">{*heading}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

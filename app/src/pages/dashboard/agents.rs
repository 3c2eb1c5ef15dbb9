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

/// Who asked for a break during wrap-up is waiting to go not ready: said so in the cell.
fn reason_words(group: &AgentsInState) -> Option<String> {
    match (&group.reason, group.state.as_str()) {
        (_, "pending_not_ready") => Some(format!("waiting for a break {}", group.agents)),
        (Some(reason), _) => Some(format!("{reason} {}", group.agents)),
        (None, _) => None,
    }
}

fn cell(groups: &[&AgentsInState]) -> AnyView {
    let count: i64 = groups.iter().map(|g| g.agents).sum();
    let Some(longest) = groups.iter().max_by_key(|g| g.longest_minutes) else {
        return view! { <td class="num muted">"0"</td> }.into_any();
    };
    let reasons = groups
        .iter()
        .filter_map(|g| reason_words(g))
        .collect::<Vec<_>>()
        .join(" · ");
    // Under a minute says nothing a supervisor acts on.
    let longest_for = (longest.longest_minutes >= 1).then(|| {
        format!(
            "longest: {} {} (since {} UTC)",
            longest.longest_agent,
            format_age(longest.longest_minutes * 60),
            short_time(&longest.longest_since)
        )
    });
    view! {
        <td class="num">
            <strong>{count}</strong>
            {(!reasons.is_empty()).then(|| view! { <span class="muted small agent-reasons">{reasons}</span> })}
            {longest_for.map(|words| view! { <span class="muted small agent-longest">{words}</span> })}
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
    teams.sort();
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
        <div class="table-wrap" tabindex="0" role="region" aria-label="Agents now">
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

//! Audit log page: filters (period, user, action, and organization for admins), newest or oldest
//! first, paging, and a CSV export of exactly what is filtered. Filters live in the URL, so the
//! page works without JavaScript and every view can be bookmarked.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::layout::MeResource;
use crate::components::pager::{thousands, Pager};
use crate::error::AppError;
use crate::model::{AuditEventRow, AuditQuery, Role, SortOrder};
use crate::server_fns::audit::list_audit_events;

/// `2026-11-20T22:46:47.123Z` → `2026-11-20 22:46:47`.
pub fn short_time(rfc3339: &str) -> String {
    rfc3339.replacen('T', " ", 1).chars().take(19).collect()
}

fn details(row: &AuditEventRow) -> String {
    let mut text = if row.parameters == "{}" {
        String::new()
    } else {
        row.parameters.clone()
    };
    if let Some(counts) = &row.counts {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(counts);
    }
    text
}

/// The audit rows as a table; `compact` drops the technical columns (dashboard use).
#[component]
pub fn AuditTable(rows: Vec<AuditEventRow>, compact: bool) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="audit-empty">"No audit events match."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data" data-testid="audit-table">
                <thead>
                    <tr>
                        <th scope="col">"Time (UTC)"</th>
                        <th scope="col">"User"</th>
                        <th scope="col">"Organization"</th>
                        <th scope="col">"Action"</th>
                        <th scope="col">"Outcome"</th>
                        <th scope="col">"Target"</th>
                        <Show when=move || !compact>
                            <th scope="col">"Details"</th>
                            <th scope="col">"Address"</th>
                            <th scope="col">"Request"</th>
                        </Show>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let details = details(&row);
                        let outcome_class = format!("outcome {}", row.outcome);
                        let user = match (&row.username, &row.role) {
                            (Some(name), Some(role)) => format!("{name} ({role})"),
                            (Some(name), None) => name.clone(),
                            _ => "—".into(),
                        };
                        view! {
                            <tr>
                                <td class="nowrap">{short_time(&row.occurred_at)}</td>
                                <td>{user}</td>
                                <td>{row.organization.unwrap_or_default()}</td>
                                <td><code>{row.action}</code></td>
                                <td><span class=outcome_class>{row.outcome}</span></td>
                                <td>{row.target.unwrap_or_default()}</td>
                                <Show when=move || !compact>
                                    <td class="details">{details.clone()}</td>
                                    <td>{row.client_addr.clone().unwrap_or_default()}</td>
                                    <td class="muted small">{row.request_id.clone().map(|id| id.chars().take(8).collect::<String>())}</td>
                                </Show>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn query_from_url(get: impl Fn(&str) -> Option<String>) -> AuditQuery {
    AuditQuery {
        from: get("from"),
        to: get("to"),
        user: get("user"),
        action: get("action"),
        organization: get("organization"),
        sort: SortOrder::parse(&get("sort").unwrap_or_default()),
        page: get("page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1),
    }
}

fn field_error(error: &Option<AppError>, name: &str) -> Option<String> {
    match error {
        Some(AppError::Validation { field, message }) if field == name => Some(message.clone()),
        _ => None,
    }
}

#[component]
fn Filters(
    query: AuditQuery,
    actions: Vec<String>,
    is_admin: bool,
    error: Option<AppError>,
) -> impl IntoView {
    let from_error = field_error(&error, "from");
    let to_error = field_error(&error, "to");
    let selected_action = query.action.clone().unwrap_or_default();
    let export_href = format!("/audit/export.csv?{}", query.to_query_string(1));
    view! {
        <form class="filters" method="get" action="/audit" aria-label="Filter the audit log">
            <div class="field">
                <label for="from">"From"</label>
                <input id="from" name="from" type="date" value=query.from.clone()
                    aria-invalid=from_error.is_some().then_some("true") aria-describedby="from-error"/>
                <span id="from-error" class="field-error">{from_error}</span>
            </div>
            <div class="field">
                <label for="to">"To"</label>
                <input id="to" name="to" type="date" value=query.to.clone()
                    aria-invalid=to_error.is_some().then_some("true") aria-describedby="to-error"/>
                <span id="to-error" class="field-error">{to_error}</span>
            </div>
            <div class="field">
                <label for="user">"User"</label>
                <input id="user" name="user" type="text" value=query.user.clone() placeholder="user name"/>
            </div>
            <div class="field">
                <label for="action">"Action"</label>
                <select id="action" name="action">
                    <option value="">"All actions"</option>
                    {actions.into_iter().map(|action| {
                        let selected = action == selected_action;
                        view! { <option value=action.clone() selected=selected>{action.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Show when=move || is_admin>
                <div class="field">
                    <label for="organization">"Organization"</label>
                    <input id="organization" name="organization" type="text" value=query.organization.clone() placeholder="all"/>
                </div>
            </Show>
            <div class="field">
                <label for="sort">"Order"</label>
                <select id="sort" name="sort">
                    <option value="desc" selected=query.sort == SortOrder::Desc>"Newest first"</option>
                    <option value="asc" selected=query.sort == SortOrder::Asc>"Oldest first"</option>
                </select>
            </div>
            <div class="actions">
                <button type="submit" class="primary">"Apply"</button>
                <a href="/audit" class="button">"Reset"</a>
                <a href=export_href class="button" download data-testid="audit-export"
                    title="Every field quoted; cells a spreadsheet could run get a leading '">"Export CSV"</a>
            </div>
        </form>
    }
}

/// The audit log page.
#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| query_from_url(|key| p.get(key).filter(|v| !v.is_empty())))
    });
    let events = Resource::new(move || query.get(), list_audit_events);
    let me = expect_context::<MeResource>();
    view! {
        <Title text="Audit log"/>
        <div class="page-head">
            <h1>"Audit log"</h1>
            <p class="muted">"Every sign-in, change and refusal, kept unchanged. Times are UTC."</p>
        </div>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let is_admin = me.await.map(|m| m.user.role == Role::Admin).unwrap_or(false);
                let query = query.get_untracked();
                match events.await {
                    Ok(page) => {
                        let href_query = query.clone();
                        let total = page.total;
                        view! {
                            <Filters query=query actions=page.actions is_admin error=None/>
                            <p class="muted small" data-testid="audit-total">{format!("{} {}", thousands(total), if total == 1 { "event" } else { "events" })}</p>
                            <AuditTable rows=page.rows compact=false/>
                            <Pager page=page.page page_size=page.page_size total
                                href=move |p| format!("/audit?{}", href_query.to_query_string(p))/>
                        }.into_any()
                    }
                    Err(error @ AppError::Validation { .. }) => view! {
                        <Filters query actions=Vec::new() is_admin error=Some(error.clone())/>
                        <p class="notice error" role="alert">{error.to_string()}</p>
                    }.into_any(),
                    Err(error) => view! { <p class="notice error" role="alert">{error.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shortened_to_seconds() {
        assert_eq!(
            short_time("2026-11-20T22:46:47.123456Z"),
            "2026-11-20 22:46:47"
        );
    }

    #[test]
    fn url_parameters_become_a_query() {
        let query = query_from_url(|key| match key {
            "page" => Some("3".into()),
            "sort" => Some("asc".into()),
            "user" => Some("sam".into()),
            _ => None,
        });
        assert_eq!(query.page, 3);
        assert_eq!(query.sort, SortOrder::Asc);
        assert_eq!(query.user.as_deref(), Some("sam"));
    }
}

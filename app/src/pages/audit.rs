//! Audit log page: filters (period, user, action, and organization for admins), newest or oldest
//! first, paging, and CSV and Excel exports of exactly what is filtered, on the report kit.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::format::short_time;
use crate::components::layout::MeResource;
use crate::components::report::fields::{plain_options, Field};
use crate::components::report::form::{Export, FormSpec};
use crate::components::report::table::{no_row_attributes, ReportTable, TableSpec};
use crate::components::report_page::{report_page, ReportData, ReportSpec};
use crate::model::{AuditEventRow, AuditFilters, AuditReportPage, Role, SortOrder};
use crate::server_fns::audit::list_audit_events;
use types::report::Page;

mod retention;

use retention::RetentionNote;

/// The audit answer carries the actions the visible log holds: the action filter's choices.
impl ReportData<AuditEventRow> for AuditReportPage {
    type Choices = Vec<String>;

    fn split(self) -> (Page<AuditEventRow>, Vec<String>) {
        (self.page, self.actions)
    }
}

/// The parameters and counts of an event, as one line.
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

fn cell(key: &'static str, row: &AuditEventRow) -> Option<AnyView> {
    Some(match key {
        "occurred_at_utc" => short_time(&row.occurred_at).into_any(),
        "username" => match (&row.username, &row.role) {
            (Some(name), Some(role)) => format!("{name} ({role})"),
            (Some(name), None) => name.clone(),
            _ => "—".into(),
        }
        .into_any(),
        "action" => view! { <code>{row.action.clone()}</code> }.into_any(),
        "outcome" => {
            let class = format!("outcome {}", row.outcome);
            view! { <span class=class>{row.outcome.clone()}</span> }.into_any()
        }
        "parameters" => details(row).into_any(),
        "request_id" => row
            .request_id
            .as_ref()
            .map(|id| id.chars().take(8).collect::<String>())
            .into_any(),
        _ => return None,
    })
}

const TABLE: TableSpec<AuditEventRow> = TableSpec {
    testid: "audit",
    label: "Audit events",
    class: "data",
    empty: "No audit events yet.",
    columns: &[
        "occurred_at_utc",
        "username",
        "organization",
        "action",
        "outcome",
        "target",
        "parameters",
        "client_addr",
        "request_id",
    ],
    classes: &[
        ("occurred_at_utc", "nowrap"),
        ("parameters", "details"),
        ("request_id", "muted small"),
    ],
    cell,
    row: no_row_attributes,
};

/// The dashboard's columns: who did what, without the technical details.
const COMPACT: &[&str] = &[
    "occurred_at_utc",
    "username",
    "organization",
    "action",
    "outcome",
    "target",
];

/// The audit rows as a table; `compact` drops the technical columns (dashboard use).
#[component]
pub fn AuditTable(rows: Vec<AuditEventRow>, compact: bool) -> impl IntoView {
    let spec = if compact {
        TableSpec {
            columns: COMPACT,
            ..TABLE
        }
    } else {
        TABLE
    };
    view! { <ReportTable spec rows/> }
}

const FORM: FormSpec = FormSpec {
    path: "/audit",
    label: "Filter the audit log",
    id_prefix: "",
    exports: &[
        Export {
            path: "/audit/export.csv",
            label: "Export CSV",
            testid: "audit-export",
            title: Some("Every field quoted; cells a spreadsheet could run get a leading '"),
        },
        Export {
            path: "/audit/export.xlsx",
            label: "Export Excel",
            testid: "audit-export-xlsx",
            title: None,
        },
    ],
};

/// The filters; the organization filter is for admins (a supervisor sees their own only).
fn fields(filters: AuditFilters, actions: Vec<String>, is_admin: bool) -> Vec<Field> {
    let mut fields = vec![
        Field::date("from", "From", &filters.from),
        Field::date("to", "To", &filters.to),
        Field::text("user", "User", &filters.user, "user name"),
        Field::select(
            "action",
            "Action",
            filters.action.unwrap_or_default(),
            plain_options("All actions", actions),
        ),
    ];
    if is_admin {
        fields.push(Field::text(
            "organization",
            "Organization",
            &filters.organization,
            "any organization",
        ));
    }
    let orders = [
        (SortOrder::Desc, "Newest first"),
        (SortOrder::Asc, "Oldest first"),
    ];
    fields.push(Field::select(
        "sort",
        "Order",
        filters.sort.as_str(),
        orders
            .into_iter()
            .map(|(order, words)| (order.as_str().to_string(), words.to_string()))
            .collect(),
    ));
    fields
}

/// The audit log page.
#[component]
pub fn AuditPage() -> impl IntoView {
    let me = expect_context::<MeResource>();
    let describe = move |filters: AuditFilters, actions: Vec<String>| async move {
        let is_admin = me
            .await
            .map(|m| m.user.role == Role::Admin)
            .unwrap_or(false);
        fields(filters, actions, is_admin)
    };
    view! {
        <Title text="Audit log"/>
        <div class="page-head">
            <h1>"Audit log"</h1>
            <p class="muted">"Every sign-in, change and refusal, kept unchanged and hash-chained. Times are UTC."</p>
            <RetentionNote/>
        </div>
        {report_page(
            ReportSpec { form: FORM, table: TABLE, noun: ("event", "events"), order: None },
            list_audit_events,
            describe,
        )}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_also_filter_by_organization_and_every_order_is_offered() {
        let names = |fields: Vec<Field>| fields.iter().map(|f| f.name).collect::<Vec<_>>();
        let supervisor = names(fields(AuditFilters::default(), Vec::new(), false));
        assert_eq!(supervisor, ["from", "to", "user", "action", "sort"]);
        let admin = names(fields(AuditFilters::default(), Vec::new(), true));
        assert!(admin.contains(&"organization"));
    }

    #[test]
    fn details_join_parameters_and_counts() {
        let row = AuditEventRow {
            id: 1,
            occurred_at: String::new(),
            username: None,
            role: None,
            organization: None,
            action: "purge.start".into(),
            target: None,
            parameters: "{}".into(),
            outcome: "ok".into(),
            counts: Some("deleted=3".into()),
            request_id: None,
            client_addr: None,
            user_agent: None,
        };
        assert_eq!(details(&row), "deleted=3");
    }
}

//! The reports menu (`/reports`) and the call-data reports' pages, each on the report kit with
//! its chart, totals and "How is this computed?" panel. Shared here: the export links and the
//! organization filter admins get.

pub mod agent_time;
pub mod call_attempts;
pub mod code_lists;
pub mod compliance;
pub mod inbound_abandoned;
pub mod job_summary;
pub mod not_attempted;
pub mod not_listed;
pub mod nuisance;
pub mod recalls;
pub mod sales;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::layout::MeResource;
use crate::components::report::fields::Field;
use crate::components::report::form::Export;
use crate::model::Role;

/// The CSV and Excel links of a report whose page is at `path`.
pub(crate) const fn exports(csv: &'static str, xlsx: &'static str) -> [Export; 2] {
    [
        Export {
            path: csv,
            label: "Export CSV",
            testid: "report-export-csv",
            title: Some("Exactly what is filtered, every page; column keys as the header; cells a spreadsheet could run get a leading '"),
        },
        Export {
            path: xlsx,
            label: "Export Excel",
            testid: "report-export-xlsx",
            title: Some("Exactly what is filtered, for Excel: phone numbers and ids stay text, times are dates"),
        },
    ]
}

/// Whether the signed-in user is an admin (who may choose the organization).
pub(crate) async fn is_admin() -> bool {
    let me = expect_context::<MeResource>();
    me.await
        .map(|m| m.user.role == Role::Admin)
        .unwrap_or(false)
}

/// The organization filter, for admins only.
pub(crate) fn organization_field(value: &Option<String>, admin: bool) -> Option<Field> {
    admin.then(|| Field::verbatim("organization", "Organization", value, "any organization"))
}

/// One entry of the menu.
struct Entry {
    path: &'static str,
    name: &'static str,
    about: &'static str,
}

const ENTRIES: &[Entry] = &[
    Entry {
        path: "/reports/compliance",
        name: "Compliance",
        about: "Abandoned-call rates per campaign as Ofcom (per day) and the FCC (per 30 days) measure them, against the 3 % limit; the 2-second rule; the evidence file.",
    },
    Entry {
        path: "/reports/call-attempts",
        name: "Call Attempt",
        about: "Every call POM attempted: when, to whom, the result, the system and agent codes, the agent, talk and wrap time.",
    },
    Entry {
        path: "/reports/nuisance",
        name: "Outbound Nuisance",
        about: "Live answers no agent took (the agent went AUX, or nobody was free) per campaign and day, with the nuisance %.",
    },
    Entry {
        path: "/reports/agent-time?type=predictive",
        name: "Predictive Agent Time Summary",
        about: "Per agent per day under their team: staffed, ready, talk, wrap-up, not ready by reason, calls, average handle, occupancy, sales, nuisances caused.",
    },
    Entry {
        path: "/reports/agent-time?type=preview",
        name: "Preview Agent Time Summary",
        about: "The same for preview campaigns, with preview time and previews cancelled.",
    },
    Entry {
        path: "/reports/job-summary?type=predictive",
        name: "Predictive Job Performance Summary",
        about: "Per job: start, end, finish reason, list size, penetration, attempts and retries by result, connects, nuisance %, sales, callbacks, NSP/NTC/DNCREQ, agent hours, conversion.",
    },
    Entry {
        path: "/reports/job-summary?type=preview",
        name: "Preview Job Summary",
        about: "The same for preview jobs, with previews, cancels and preview time.",
    },
    Entry {
        path: "/reports/sales",
        name: "Secured/Unsecured Performance",
        about: "Sales by category (secured: paid on the call; unsecured: to be confirmed) per day, team, agent and campaign, with conversion and sales per agent hour.",
    },
    Entry {
        path: "/reports/codes?kind=nsp",
        name: "NSP List",
        about: "Calls agents closed with the NSP code, with the contact record as POM dialled it.",
    },
    Entry {
        path: "/reports/codes?kind=ntc",
        name: "NTC",
        about: "Calls agents closed with CM_NTC, with the contact record as POM dialled it.",
    },
    Entry {
        path: "/reports/recalls",
        name: "Agent Owned Recalls",
        about: "Callbacks agents kept for themselves: due, expiry, state, fulfilled by the owner or handed over, lateness; each owner's share on time.",
    },
    Entry {
        path: "/reports/inbound-abandoned",
        name: "Inbound Abandoned",
        about: "Inbound calls the caller gave up on: wait, queue, caller, the contact known at the number, whether and when they were called back.",
    },
    Entry {
        path: "/reports/not-attempted",
        name: "List Accounts Not Attempted",
        about: "Contacts a job passed over, with the reason and their last attempt; counts by list and reason.",
    },
    Entry {
        path: "/reports/not-in-listing",
        name: "Account Not in Listing",
        about: "Rows sent for dialling that never became contacts: refused by the pre-flight, rejected by POM's import, absent afterwards, or left out by an external step.",
    },
    Entry {
        path: "/completion-rules/applications",
        name: "Completion-code rule applications",
        about: "What the completion-code rules did after each call: the attribute written and its value before, contacts made uncallable, numbers put on the DNC list, and POM's refusals.",
    },
    Entry {
        path: "/dnc/report",
        name: "DNC List",
        about: "Every number added to or removed from a DNC list, and where it came from.",
    },
];

/// `/reports`: what each report answers, one link each.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let entries = ENTRIES
        .iter()
        .map(|e| {
            view! {
                <li>
                    <a href=e.path>{e.name}</a>
                    <p class="muted">{e.about}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <Title text="Reports"/>
        <div class="page-head">
            <h1>"Reports"</h1>
            <p class="muted">"What the dialler did, read from OCM's own call-data store. Days are calendar days in the report time zone."</p>
        </div>
        <ul class="report-menu" data-testid="report-menu">{entries}</ul>
        <p><a href="/reports/schedules" data-testid="schedules-link">"Scheduled exports"</a>" — reports written to CSV or Excel daily, weekly or monthly, each file kept with its row count and SHA-256."</p>
        <p class="muted small">"Admins choose who reads each report on "<a href="/admin/report-access">"Report access"</a>"."</p>
    }
}

//! "New schedule": a report with its filters (filled in when the page is opened from a report's
//! "Schedule…" link), the file's format and name, the period each run covers, and when it runs
//! (daily, weekly on chosen weekdays, monthly on a day or the last day; one or more local times
//! in a time zone). The server names the field at fault; the problem shows beside it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::controls::{field, pairs, problem_of, select, text, weekday_boxes, Problems};
use crate::model::{
    filter_value, ExportFormat, MonthDay, NewExportSchedule, Period, Recurrence, Repeat,
    SCHEDULABLE,
};
use crate::server_fns::export_schedules::create_export_schedule;

/// What the form's fields hold.
#[derive(Clone, Copy)]
struct Fields {
    name: RwSignal<String>,
    report: RwSignal<String>,
    filters: RwSignal<String>,
    format: RwSignal<String>,
    repeat: RwSignal<String>,
    weekdays: RwSignal<Vec<u8>>,
    day: RwSignal<String>,
    times: RwSignal<String>,
    zone: RwSignal<String>,
    period: RwSignal<String>,
    days: RwSignal<String>,
    file_name: RwSignal<String>,
    skip_empty: RwSignal<bool>,
    organization: RwSignal<String>,
    recipients: RwSignal<String>,
    notify: RwSignal<String>,
    destination: RwSignal<String>,
}

impl Fields {
    fn schedule(&self) -> NewExportSchedule {
        let repeat = match self.repeat.get_untracked().as_str() {
            "weekly" => Repeat::Weekly {
                weekdays: self.weekdays.get_untracked(),
            },
            "monthly" => Repeat::Monthly {
                day: match self.day.get_untracked().parse() {
                    Ok(day) => MonthDay::Day(day),
                    Err(_) => MonthDay::Last,
                },
            },
            _ => Repeat::Daily,
        };
        let period = match self.period.get_untracked().as_str() {
            "previous_week" => Period::PreviousWeek,
            "previous_month" => Period::PreviousMonth,
            "month_to_date" => Period::MonthToDate,
            "today_so_far" => Period::TodaySoFar,
            "last_days" => Period::LastDays {
                days: self.days.get_untracked().trim().parse().unwrap_or(0),
            },
            _ => Period::PreviousDay,
        };
        let times = self.times.get_untracked();
        NewExportSchedule {
            name: self.name.get_untracked(),
            report: self.report.get_untracked(),
            filters: self.filters.get_untracked(),
            format: ExportFormat::from(self.format.get_untracked()),
            recurrence: Recurrence {
                repeat,
                times: times
                    .split([',', ' '])
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect(),
                time_zone: self.zone.get_untracked(),
            },
            period,
            file_name: self.file_name.get_untracked(),
            skip_empty: self.skip_empty.get_untracked(),
            organization: Some(self.organization.get_untracked()).filter(|o| !o.is_empty()),
            recipients: self
                .recipients
                .get_untracked()
                .split([',', ';', ' ', '\n'])
                .filter(|r| !r.trim().is_empty())
                .map(str::to_string)
                .collect(),
            sftp_destination: Some(self.destination.get_untracked()).filter(|d| !d.is_empty()),
            notify_email: Some(self.notify.get_untracked()).filter(|n| !n.trim().is_empty()),
        }
    }
}

/// Where files may go besides the download: whether OCM can send e-mail, and the SFTP
/// destinations admins configured for the caller's organizations.
#[derive(Clone)]
pub struct Deliveries {
    pub email: bool,
    pub destinations: Vec<String>,
    /// The domains recipients may be at (empty: any).
    pub email_domains: Vec<String>,
    pub retention_days: u32,
}

/// The form; `on_created` runs with the new schedule's id.
#[component]
pub fn ScheduleForm(
    report: String,
    filters: String,
    default_zone: String,
    organizations: Vec<String>,
    deliveries: Deliveries,
    on_created: Callback<i64>,
) -> impl IntoView {
    let report_name = SCHEDULABLE
        .iter()
        .find(|s| s.key == report)
        .map_or("", |s| s.name);
    // An admin who filtered the report to one organization schedules it for that organization.
    let first_org = filter_value(&filters, "organization")
        .filter(|o| organizations.contains(o))
        .or_else(|| organizations.first().cloned())
        .unwrap_or_default();
    let f = Fields {
        name: RwSignal::new(if report_name.is_empty() {
            String::new()
        } else {
            format!("{report_name} weekly")
        }),
        report: RwSignal::new(if report.is_empty() {
            "call-attempts".into()
        } else {
            report
        }),
        filters: RwSignal::new(filters),
        format: RwSignal::new("xlsx".into()),
        repeat: RwSignal::new("weekly".into()),
        weekdays: RwSignal::new(vec![1]),
        day: RwSignal::new("1".into()),
        times: RwSignal::new("07:00".into()),
        zone: RwSignal::new(default_zone),
        period: RwSignal::new("previous_week".into()),
        days: RwSignal::new("7".into()),
        file_name: RwSignal::new("{report}-{from}-{to}".into()),
        skip_empty: RwSignal::new(false),
        organization: RwSignal::new(first_org),
        recipients: RwSignal::new(String::new()),
        notify: RwSignal::new(String::new()),
        destination: RwSignal::new(String::new()),
    };
    let problems = RwSignal::new(Problems::new());
    let busy = RwSignal::new(false);
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let (email, offered) = (deliveries.email, !deliveries.destinations.is_empty());
    let recipients_label = match deliveries.email_domains.as_slice() {
        [] => "E-mail to (addresses separated by commas)".to_string(),
        domains => format!("E-mail to (addresses at {} only)", domains.join(", ")),
    };
    let kept = format!(
        "Every run's file can be downloaded from the schedule's runs for {} days.",
        deliveries.retention_days
    );
    let several = organizations.len() > 1;
    let shown = move |field: &str| match field {
        "organization" => several,
        "days" => f.period.get_untracked() == "last_days",
        "day" => f.repeat.get_untracked() == "monthly",
        "weekdays" => f.repeat.get_untracked() == "weekly",
        "recipients" | "notify_email" => email,
        "sftp_destination" => offered,
        _ => true,
    };
    let submit = move || {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problems.set(Problems::new());
        let schedule = f.schedule();
        spawn_local(async move {
            match create_export_schedule(schedule).await {
                Ok(id) => on_created.run(id),
                Err(error) => {
                    // A field the form does not show (an admin's one organization, no SFTP
                    // destination offered) has its problem said for the whole form.
                    let mut found = problem_of(error);
                    let hidden: Vec<String> = found
                        .keys()
                        .filter(|f| !f.is_empty() && !shown(f))
                        .cloned()
                        .collect();
                    for field in hidden {
                        if let Some(message) = found.remove(&field) {
                            found.insert(String::new(), message);
                        }
                    }
                    problems.set(found);
                }
            }
            busy.set(false);
        });
    };
    let reports = SCHEDULABLE
        .iter()
        .map(|s| (s.key.to_string(), s.name.to_string()))
        .collect();
    let days: Vec<(String, String)> = (1..=31)
        .map(|d| (d.to_string(), d.to_string()))
        .chain([("last".into(), "Last day".into())])
        .collect();
    let orgs: Vec<(String, String)> = organizations
        .iter()
        .map(|o| (o.clone(), o.clone()))
        .collect();
    let several_orgs = orgs.len() > 1;
    view! {
        <form class="panel schedule-form" novalidate aria-labelledby="schedule-form-title" data-testid="schedule-form"
            on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2 id="schedule-form-title">"New schedule"</h2>
            <div class="field-row">
                {field("name", "Name", text("name", f.name, "text"), problems)}
                {field("report", "Report", select("report", f.report, reports), problems)}
                {several_orgs.then(|| field("organization", "Organization", select("organization", f.organization, orgs), problems))}
                {field("format", "Format", select("format", f.format, pairs(&[("xlsx", "Excel"), ("csv", "CSV")])), problems)}
            </div>
            {field("filters", "Report filters (copied from the report page; each run sets its own dates)", text("filters", f.filters, "text"), problems)}
            <div class="field-row">
                {field("period", "Each run covers", select("period", f.period, pairs(&[
                    ("previous_day", "Yesterday"), ("previous_week", "Last week (Mon–Sun)"),
                    ("previous_month", "Last month"), ("month_to_date", "This month to date"),
                    ("last_days", "The last N days"), ("today_so_far", "Today, up to the run"),
                ])), problems)}
                {move || (f.period.get() == "last_days").then(|| field("days", "N days", text("days", f.days, "number"), problems))}
                {field("repeat", "Runs", select("repeat", f.repeat, pairs(&[("daily", "Every day"), ("weekly", "Weekly"), ("monthly", "Monthly")])), problems)}
                {move || (f.repeat.get() == "monthly").then(|| field("day", "Day of the month", select("day", f.day, days.clone()), problems))}
            </div>
            {move || (f.repeat.get() == "weekly").then(|| view! {
                {weekday_boxes(f.weekdays)}
                <span id="schedule-weekdays-error" class="field-error" aria-live="polite" data-testid="schedule-weekdays-error">{move || problems.with(|p| p.get("weekdays").cloned())}</span>
            })}
            <div class="field-row">
                {field("times", "At (HH:MM, several separated by commas)", text("times", f.times, "text"), problems)}
                {field("time_zone", "Time zone (such as Europe/London)", text("time_zone", f.zone, "text"), problems)}
                {field("file_name", "File name ({from} {to}: days covered, {run}: run time, {report}, {schedule}; .csv or .xlsx added)", text("file_name", f.file_name, "text"), problems)}
            </div>
            {deliveries.email.then(|| view! {
                <div class="field-row">
                    {field("recipients", recipients_label, text("recipients", f.recipients, "text"), problems)}
                    {field("notify_email", "Tell this address when a delivery fails", text("notify_email", f.notify, "email"), problems)}
                </div>
            })}
            {(!deliveries.destinations.is_empty()).then(|| {
                let options = std::iter::once((String::new(), "No SFTP delivery".to_string()))
                    .chain(deliveries.destinations.iter().map(|d| (d.clone(), d.clone())))
                    .collect();
                field("sftp_destination", "SFTP to", select("sftp_destination", f.destination, options), problems)
            })}
            {(!email).then(|| view! { <p class="muted small">"E-mail delivery is not set up on this OCM: ask an admin (OCM_SMTP_HOST)."</p> })}
            <p class="muted small">{kept}</p>
            <label class="inline">
                <input type="checkbox" name="skip_empty" prop:checked=move || f.skip_empty.get()
                    on:change=move |ev| f.skip_empty.set(event_target_checked(&ev))/>
                "Keep and send no file when the report is empty"
            </label>
            <div class="actions">
                <button type="submit" class="primary" data-testid="schedule-submit" disabled=move || busy.get() || !ready.get()>
                    {move || if busy.get() { "Saving…" } else { "Save schedule" }}
                </button>
            </div>
            <div role="alert" data-testid="schedule-error">
                {move || problems.with(|p| p.get("").cloned()).map(|m| view! { <p class="notice error">{m}</p> })}
            </div>
        </form>
    }
}

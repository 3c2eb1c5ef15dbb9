//! The audit page's note on retention: from which month records are online, which months are
//! archived (and which of those were restored for an investigation).

use leptos::prelude::*;

use crate::model::{ArchivedMonth, AuditRetention};
use crate::server_fns::audit::audit_retention;
use types::words::plural;

fn archived_text(month: &ArchivedMonth) -> String {
    let mut text = month.month.clone();
    let mut notes = Vec::new();
    if let Some(records) = month.records {
        notes.push(plural(records, "record", "records"));
    }
    if month.restored {
        notes.push("restored: searchable here".into());
    }
    if month.deleted {
        notes.push("archive deleted after its retention".into());
    }
    if !notes.is_empty() {
        text.push_str(&format!(" ({})", notes.join(", ")));
    }
    text
}

/// One sentence on what the search covers and one on what is archived.
pub fn describe(retention: &AuditRetention) -> (String, String) {
    let online = match &retention.oldest_online {
        Some(month) => format!(
            "Searching records from {month} on; {} are kept online.",
            plural(i64::from(retention.online_months), "month", "months")
        ),
        None => "No record is online yet.".into(),
    };
    let archived = if retention.archived.is_empty() {
        "No month has been archived yet.".to_string()
    } else {
        let months: Vec<String> = retention.archived.iter().map(archived_text).collect();
        format!(
            "Archived, not searched here: {}. An admin loads a month back with `ocm audit restore`.",
            months.join(", ")
        )
    };
    (online, archived)
}

/// The note under the page title.
#[component]
pub fn RetentionNote() -> impl IntoView {
    let retention = Resource::new(|| (), |_| audit_retention());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                retention.await.ok().map(|retention| {
                    let (online, archived) = describe(&retention);
                    view! {
                        <p class="muted small" data-testid="audit-retention">{online}" "{archived}</p>
                    }
                })
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_names_the_online_range_and_each_archived_month() {
        let retention = AuditRetention {
            oldest_online: Some("2025-11".into()),
            online_months: 13,
            archived: vec![
                ArchivedMonth {
                    month: "2025-10".into(),
                    records: Some(12_345),
                    restored: false,
                    deleted: false,
                },
                ArchivedMonth {
                    month: "2025-09".into(),
                    records: None,
                    restored: true,
                    deleted: false,
                },
            ],
        };
        let (online, archived) = describe(&retention);
        assert_eq!(
            online,
            "Searching records from 2025-11 on; 13 months are kept online."
        );
        assert!(archived.contains("2025-10 (12,345 records)"), "{archived}");
        assert!(
            archived.contains("2025-09 (restored: searchable here)"),
            "{archived}"
        );
        let (_, none) = describe(&AuditRetention::default());
        assert_eq!(none, "No month has been archived yet.");
    }
}

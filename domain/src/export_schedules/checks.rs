//! A schedule's own fields checked before it is stored, each refusal naming its field (pure):
//! the name, the report, the saved filters (the dates, paging and organization taken out, since
//! every run sets them) and the file-name template with its fields.

use super::recurrence::MAX_TIMES;
use crate::error::AppError;
use crate::model::{schedulable, Recurrence, Repeat, Schedulable};

/// Longest schedule name.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest saved filters (a report page's query string).
pub const MAX_FILTER_BYTES: usize = 2_000;
/// Longest file-name template.
pub const MAX_FILE_NAME_CHARS: usize = 120;

/// Query parameters a run sets itself (the period's days, the schedule's organization) or that
/// only make sense on a page (where it is in the list).
const RUN_SETS: [&str; 8] = [
    "from",
    "to",
    "organization",
    "after",
    "before",
    "skipped",
    "cursor",
    "page",
];

/// The fields a file-name template may use.
pub const FILE_FIELDS: [&str; 5] = ["report", "from", "to", "run", "schedule"];

/// The name, trimmed; empty, too long or holding control characters refused.
pub fn name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::validation("name", "Give the schedule a name."));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::validation("name", "A name is one line of text."));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::validation(
            "name",
            format!("At most {MAX_NAME_CHARS} characters."),
        ));
    }
    Ok(name.to_string())
}

/// `text` cut to 60 characters, for echoing what somebody typed.
pub fn shown(text: &str) -> String {
    let mut kept: String = text.trim().chars().take(60).collect();
    if text.trim().chars().nth(60).is_some() {
        kept.push('…');
    }
    kept
}

/// The report a schedule may name.
pub fn report(key: &str) -> Result<&'static Schedulable, AppError> {
    schedulable(key.trim()).ok_or_else(|| {
        AppError::validation(
            "report",
            format!("“{}” is not a report that can be scheduled.", shown(key)),
        )
    })
}

/// The recurrence as it is kept: times trimmed, sorted and without repeats, weekdays sorted and
/// without repeats, the zone trimmed; lists longer than a day or a week refused before anything
/// else is done with them.
pub fn recurrence(given: &Recurrence) -> Result<Recurrence, AppError> {
    if given.times.len() > MAX_TIMES {
        return Err(AppError::validation(
            "times",
            format!("At most {MAX_TIMES} times a day."),
        ));
    }
    let repeat = match &given.repeat {
        Repeat::Weekly { weekdays } if weekdays.len() > 7 => {
            return Err(AppError::validation("weekdays", "A week has seven days."));
        }
        Repeat::Weekly { weekdays } => {
            let mut weekdays = weekdays.clone();
            weekdays.sort_unstable();
            weekdays.dedup();
            Repeat::Weekly { weekdays }
        }
        other => other.clone(),
    };
    let mut times: Vec<String> = given.times.iter().map(|t| t.trim().to_string()).collect();
    times.sort();
    times.dedup();
    Ok(Recurrence {
        repeat,
        times,
        time_zone: given.time_zone.trim().to_string(),
    })
}

/// The filters to keep: the query string without what each run sets, empty values dropped.
pub fn filters(query: &str) -> Result<String, AppError> {
    let query = query.trim().trim_start_matches('?');
    if query.len() > MAX_FILTER_BYTES {
        return Err(AppError::validation(
            "filters",
            format!("The report's filters are too long (at most {MAX_FILTER_BYTES} characters)."),
        ));
    }
    let kept = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            form_urlencoded::parse(query.as_bytes()).filter(|(key, value)| {
                !RUN_SETS.contains(&key.as_ref()) && !value.trim().is_empty()
            }),
        )
        .finish();
    Ok(kept)
}

/// The filters a run reads the report with: the saved ones plus the period's days.
pub fn run_query(saved: &str, from: &str, to: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.extend_pairs(
        form_urlencoded::parse(saved.as_bytes())
            .filter(|(key, _)| !RUN_SETS.contains(&key.as_ref())),
    );
    query.append_pair("from", from).append_pair("to", to);
    query.finish()
}

/// The file-name template, trimmed: known `{fields}` only, no folder separators.
pub fn file_name(template: &str) -> Result<String, AppError> {
    let template = template.trim();
    let refuse = |message: String| Err(AppError::validation("file_name", message));
    if template.is_empty() {
        return refuse("Give the file a name, for example {report}-{from}-{to}.".into());
    }
    if template.chars().count() > MAX_FILE_NAME_CHARS {
        return refuse(format!("At most {MAX_FILE_NAME_CHARS} characters."));
    }
    if template.contains(['/', '\\']) || template.chars().any(char::is_control) {
        return refuse("A file name cannot hold / or \\ or control characters.".into());
    }
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return refuse("A { is not closed with }.".into());
        };
        let field = &rest[open + 1..open + close];
        if !FILE_FIELDS.contains(&field) {
            return refuse(format!(
                "{{{field}}} is not a field of file names; use {}.",
                FILE_FIELDS.map(|f| format!("{{{f}}}")).join(", ")
            ));
        }
        rest = &rest[open + close + 1..];
    }
    if rest.contains('}') {
        return refuse("A } has no { before it.".into());
    }
    Ok(template.to_string())
}

/// The values of a file name's fields for one run.
pub struct FileFields<'a> {
    pub report: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    /// The run's local date and time, `YYYY-MM-DD-HHMM`.
    pub run: &'a str,
    pub schedule: &'a str,
}

/// The file's name for one run: fields filled in, anything a file system or a mail client could
/// stumble on replaced by `-`, and the format's extension added.
pub fn fill_file_name(template: &str, fields: &FileFields, extension: &str) -> String {
    let filled = template
        .replace("{report}", fields.report)
        .replace("{from}", fields.from)
        .replace("{to}", fields.to)
        .replace("{run}", fields.run)
        .replace("{schedule}", fields.schedule);
    let safe: String = filled
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | '(' | ')') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let safe = safe.trim_matches(|c: char| c == '.' || c == ' ');
    // File systems and SFTP servers stop at 255 bytes a name.
    let safe: String = safe.chars().take(MAX_FILE_NAME_CHARS).collect();
    let stem = if safe.is_empty() {
        "export"
    } else {
        safe.as_str()
    };
    format!("{stem}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(error: AppError) -> String {
        match error {
            AppError::Validation { field, .. } => field,
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn names_and_reports_are_checked() {
        assert_eq!(name("  Weekly attempts ").unwrap(), "Weekly attempts");
        assert_eq!(field_of(name("   ").unwrap_err()), "name");
        assert_eq!(field_of(name(&"x".repeat(101)).unwrap_err()), "name");
        assert_eq!(report("call-attempts").unwrap().name, "Call Attempt");
        assert_eq!(field_of(report("callbacks").unwrap_err()), "report");
        assert_eq!(field_of(report("../etc").unwrap_err()), "report");
    }

    #[test]
    fn filters_lose_what_every_run_sets() {
        let kept =
            filters("?from=2026-11-01&to=2026-11-30&campaign=Sales+UK&result=&organization=Other&after=abc&order=-agent")
                .unwrap();
        assert_eq!(kept, "campaign=Sales+UK&order=-agent");
        assert_eq!(
            field_of(filters(&"a=b&".repeat(600)).unwrap_err()),
            "filters"
        );
        assert_eq!(
            run_query(&kept, "2026-12-01", "2026-12-07"),
            "campaign=Sales+UK&order=-agent&from=2026-12-01&to=2026-12-07"
        );
        assert_eq!(
            run_query(
                "from=2020-01-01&state=failed&state=sent",
                "2026-12-01",
                "2026-12-01"
            ),
            "state=failed&state=sent&from=2026-12-01&to=2026-12-01",
            "repeated keys (multi-selects) are kept"
        );
    }

    #[test]
    fn file_names_take_known_fields_only() {
        assert_eq!(
            file_name(" {report}-{from}-{to} ").unwrap(),
            "{report}-{from}-{to}"
        );
        for bad in [
            "",
            "{report",
            "report}",
            "{owner}",
            "../{report}",
            "a\\b",
            "a\u{7}",
        ] {
            assert_eq!(
                field_of(file_name(bad).unwrap_err()),
                "file_name",
                "{bad:?}"
            );
        }
        let fields = FileFields {
            report: "call-attempts",
            from: "2026-11-30",
            to: "2026-12-06",
            run: "2026-12-07-0700",
            schedule: "Weekly: Sales/UK",
        };
        assert_eq!(
            fill_file_name("{report}-{from}-{to}", &fields, "xlsx"),
            "call-attempts-2026-11-30-2026-12-06.xlsx"
        );
        assert_eq!(
            fill_file_name("{schedule} {run}", &fields, "csv"),
            "Weekly- Sales-UK 2026-12-07-0700.csv"
        );
        assert_eq!(fill_file_name("...", &fields, "csv"), "export.csv");
    }
}

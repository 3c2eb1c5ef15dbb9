//! The report kit's filter form: the fields as a plain `method="get"` form with Apply, Reset and
//! the export links of the same query.

use leptos::prelude::*;

use types::report::PAGE_ONLY_FIELD;

use super::fields::{field_view, Field};
use crate::error::AppError;

/// A download of the filtered report (CSV or XLSX) next to Apply and Reset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Export {
    /// `/audit/export.csv`; the report's query string is appended.
    pub path: &'static str,
    pub label: &'static str,
    pub testid: &'static str,
    pub title: Option<&'static str>,
}

/// The form's fixed parts: where it submits, its name for screen readers, the prefix of its
/// element ids (`dnc-report-` → `#dnc-report-from`), and its exports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FormSpec {
    pub path: &'static str,
    pub label: &'static str,
    pub id_prefix: &'static str,
    pub exports: &'static [Export],
}

/// The filter form. `query` is the report's query string at its first page (for the exports);
/// `error` is the server's refusal, shown at the field it names. While there is an error the
/// exports are shown disabled with the reason: they would send the same refused filters, and a
/// download link would save the server's error instead of a file.
#[component]
pub fn FilterForm(
    spec: FormSpec,
    fields: Vec<Field>,
    query: String,
    error: Option<AppError>,
) -> impl IntoView {
    let fields = fields
        .into_iter()
        .map(|field| field_view(spec.id_prefix, field, &error))
        .collect_view();
    // A report a schedule may name gets "Schedule…" with the filters as they stand.
    let schedule = crate::model::SCHEDULABLE
        .iter()
        .find(|s| s.page == spec.path)
        .filter(|_| error.is_none())
        .map(|s| {
            let href = crate::model::schedule_link(s.key, &query);
            view! {
                <a href=href class="button" data-testid="report-schedule"
                    title="Export these filters on a schedule (daily, weekly or monthly), as CSV or Excel">"Schedule…"</a>
            }
        });
    let exports = match &error {
        None => enabled_exports(spec.exports, &query).into_any(),
        Some(AppError::Validation { field, .. }) if field == PAGE_ONLY_FIELD => {
            enabled_exports(spec.exports, &query).into_any()
        }
        Some(error) => disabled_exports(spec, error).into_any(),
    };
    view! {
        <form class="filters" method="get" action=spec.path aria-label=spec.label>
            {fields}
            <div class="actions">
                <button type="submit" class="primary">"Apply"</button>
                <a href=spec.path class="button">"Reset"</a>
                {exports}
                {schedule}
            </div>
        </form>
    }
}

fn enabled_exports(exports: &'static [Export], query: &str) -> impl IntoView + use<> {
    let joiner = if query.is_empty() { "" } else { "?" };
    exports
        .iter()
        .map(|export| {
            let href = format!("{}{joiner}{query}", export.path);
            view! {
                <a href=href class="button" download data-testid=export.testid title=export.title>{export.label}</a>
            }
        })
        .collect_view()
}

fn disabled_exports(spec: FormSpec, error: &AppError) -> impl IntoView + use<> {
    let note_id = format!("{}export-note", spec.id_prefix);
    let reason = match error {
        AppError::Validation { .. } => "Correct the filters to export.",
        _ => "Exports wait until the report loads.",
    };
    let exports = spec
        .exports
        .iter()
        .map(|export| {
            view! {
                <span class="button disabled" aria-disabled="true" aria-describedby=note_id.clone()
                    data-testid=export.testid>{export.label}</span>
            }
        })
        .collect_view();
    view! { {exports}<span id=note_id class="muted small">{reason}</span> }
}

// Views render to HTML only with the server's renderer.
#[cfg(all(test, feature = "ssr"))]
mod render_tests {
    use super::*;

    const SPEC: FormSpec = FormSpec {
        path: "/audit",
        label: "Filter",
        id_prefix: "",
        exports: &[Export {
            path: "/audit/export.csv",
            label: "CSV",
            testid: "audit-export",
            title: None,
        }],
    };

    #[test]
    fn a_refused_date_is_named_at_its_field_and_exports_wait_for_good_filters() {
        let fields = vec![Field::date("to", "To", &Some("2030-01-01".into()))];
        let error = Some(AppError::validation("to", "The end is before the start."));
        let html = view! { <FilterForm spec=SPEC fields=fields.clone() query="to=2030-01-01".into() error/> }
            .to_html();
        assert!(
            html.contains(r#"aria-invalid="true" aria-describedby="to-error""#),
            "{html}"
        );
        assert!(html.contains("The end is before the start."), "{html}");
        assert!(!html.contains("/audit/export.csv"), "{html}");
        assert!(html.contains("Correct the filters to export."), "{html}");
        let good = view! { <FilterForm spec=SPEC fields query="to=2030-01-01".into() error=None/> }
            .to_html();
        assert!(
            good.contains(r#"href="/audit/export.csv?to=2030-01-01""#),
            "{good}"
        );
    }

    #[test]
    fn a_multi_select_offers_every_choice_and_keeps_each_chosen_one() {
        let options = vec![
            ("queued".to_string(), "Queued".to_string()),
            ("failed".to_string(), "Failed".to_string()),
            ("completed".to_string(), "Completed".to_string()),
        ];
        let chosen = vec!["failed".to_string(), "completed".to_string()];
        let fields = vec![Field::multi_select("state", "States", chosen, options)];
        let html =
            view! { <FilterForm spec=SPEC fields query=String::new() error=None/> }.to_html();
        assert!(
            html.contains(r#"<select id="state" name="state" multiple"#),
            "{html}"
        );
        assert!(html.contains(r#"<label for="state">States"#), "{html}");
        assert_eq!(html.matches("selected").count(), 2, "{html}");
    }
}

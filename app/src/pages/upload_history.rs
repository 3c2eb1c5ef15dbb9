//! Upload history page (admins): every contact upload with who, where to, OCM's counts and
//! POM's import, filtered by organization, list, state and period, paged, with CSV and Excel
//! exports of exactly what is filtered, on the report kit.

mod table;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::report::fields::{plain_options, Field};
use crate::components::report::form::{Export, FormSpec};
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{DataSourceRow, UploadHistoryFilters, UploadState};
use crate::server_fns::uploads::{data_sources, upload_history};
pub use table::{maybe_count, HistoryTable};

const FORM: FormSpec = FormSpec {
    path: "/uploads/history",
    label: "Filter the upload history",
    id_prefix: "upload-history-",
    exports: &[
        Export {
            path: "/uploads/history/export.csv",
            label: "Export CSV (raw, for systems)",
            testid: "upload-export-csv",
            title: Some(
                "Raw values for other systems; cells a spreadsheet could run get a leading '",
            ),
        },
        Export {
            path: "/uploads/history/export.xlsx",
            label: "Export Excel (for people)",
            testid: "upload-export-xlsx",
            title: None,
        },
    ],
};

/// The organizations to offer: those with data sources (`Field::select` adds the one in the URL
/// if it has none any more).
fn organizations(sources: &[DataSourceRow]) -> Vec<String> {
    let mut names: Vec<String> = sources.iter().map(|s| s.organization.clone()).collect();
    names.sort();
    names.dedup();
    names
}

/// The filters: organization, list, state and period.
fn fields(filters: UploadHistoryFilters, sources: &[DataSourceRow]) -> Vec<Field> {
    let states = UploadState::all()
        .iter()
        .map(|s| (s.as_str().to_string(), s.label().to_string()))
        .collect();
    let chosen = filters
        .state
        .iter()
        .map(|s| s.as_str().to_string())
        .collect();
    vec![
        Field::select(
            "organization",
            "Organization",
            filters.organization.clone().unwrap_or_default(),
            plain_options("All organizations", organizations(sources)),
        ),
        Field::verbatim("list_name", "List name", &filters.list_name, "exact name"),
        Field::multi_select("state", "States", chosen, states),
        Field::date("from", "From", &filters.from),
        Field::date("to", "To", &filters.to),
    ]
}

/// The upload history page.
#[component]
pub fn UploadHistoryPage() -> impl IntoView {
    let sources = Resource::new(|| (), |_| data_sources());
    let describe = move |filters: UploadHistoryFilters, _: ()| async move {
        let sources = sources.await.unwrap_or_default();
        fields(filters, &sources)
    };
    view! {
        <Title text="Upload history"/>
        <div class="page-head">
            <h1>"Upload history"</h1>
            <p class="muted">"Every contact upload: who sent which file to which list, OCM's counts and POM's import. Times are UTC."</p>
            <a href="/uploads">"← Uploads"</a>
        </div>
        {report_page(
            ReportSpec { form: FORM, table: table::TABLE, noun: ("upload", "uploads"), order: Some("newest first") },
            upload_history,
            describe,
        )}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organization_in_the_url_stays_offered() {
        let filters = UploadHistoryFilters {
            organization: Some("Sales".into()),
            ..UploadHistoryFilters::default()
        };
        let organization = &fields(filters, &[])[0];
        assert_eq!(organization.values, ["Sales"]);
        assert_eq!(
            organization.kind,
            crate::components::report::fields::FieldKind::Select {
                options: plain_options("All organizations", ["Sales".to_string()])
            }
        );
    }
}

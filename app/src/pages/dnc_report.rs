//! The DNC List report: every address sent to a DNC list or marked uncallable, with where the
//! request came from (manual: an upload or a single entry; the dialer's kill list; the API), who
//! asked, and what POM answered, on the report kit (filters in the URL, CSV and Excel exports).

mod table;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{DncReportFilters, DncSourceFilter};
use crate::server_fns::dnc::dnc_report;

const FORM: FormSpec = FormSpec {
    path: "/dnc/report",
    label: "Filter the DNC List report",
    id_prefix: "dnc-report-",
    exports: &[
        Export {
            path: "/dnc/report/export.csv",
            label: "Export CSV",
            testid: "dnc-export-csv",
            title: Some("Column keys as the header, values as shown here: phone numbers keep their +; cells a spreadsheet could run get a leading '"),
        },
        Export {
            path: "/dnc/report/export.xlsx",
            label: "Export Excel",
            testid: "dnc-export-xlsx",
            title: Some("For reading in Excel: phone numbers stay text"),
        },
    ],
};

/// The filters: period, source, who, which list, which address.
fn fields(filters: DncReportFilters) -> Vec<Field> {
    let sources = std::iter::once((String::new(), "All sources".to_string()))
        .chain(
            DncSourceFilter::all()
                .iter()
                .map(|s| (s.as_str().to_string(), s.label().to_string())),
        )
        .collect();
    let chosen = filters.source.as_ref().map(|s| s.as_str().to_string());
    vec![
        Field::date("from", "From", &filters.from),
        Field::date("to", "To", &filters.to),
        Field::select("source", "Source", chosen.unwrap_or_default(), sources),
        Field::text("user", "User", &filters.user, "user name"),
        Field::text("list", "List", &filters.list, "contains"),
        Field::verbatim("address", "Address", &filters.address, "number or e-mail"),
    ]
}

/// The DNC List report page.
#[component]
pub fn DncReportPage() -> impl IntoView {
    view! {
        <Title text="DNC List report"/>
        <div class="page-head">
            <h1>"DNC List report"</h1>
            <p class="muted">"Every address added to or removed from a DNC list, or marked uncallable, with where it came from: manual (uploads and single entries), the dialer's kill list, or the API. Times are UTC."</p>
        </div>
        {report_page(
            ReportSpec { form: FORM, table: table::TABLE, noun: ("address", "addresses"), order: Some("newest first") },
            dnc_report,
            |filters: DncReportFilters, _: ()| async move { fields(filters) },
        )}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::report::fields::FieldKind;
    use types::report::UrlQuery;

    #[test]
    fn the_source_choice_offers_every_source_and_keeps_the_chosen_one() {
        let filters = DncReportFilters::from_query_string("source=dialer_kill");
        let source = &fields(filters)[2];
        assert_eq!(source.values, ["dialer_kill"]);
        match &source.kind {
            FieldKind::Select { options } => {
                assert_eq!(options[0].1, "All sources");
                assert!(options.iter().any(|(value, _)| value == "manual"));
            }
            other => panic!("a select, not {other:?}"),
        }
    }
}

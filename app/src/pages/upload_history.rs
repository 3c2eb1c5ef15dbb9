//! Upload history page: every contact upload with who, where to, OCM's counts and POM's import,
//! filtered by organization, list, state and period, paged, with CSV and Excel exports of exactly
//! what is filtered, on the report kit. Admins see every organization and open each upload;
//! supervisors and managers read their own organization's, without links to uploading.

mod table;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::layout::MeResource;
use crate::components::report::fields::{plain_options, Field};
use crate::components::report::form::{Export, FormSpec};
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::{DataSourceRow, Role, UploadHistoryFilters, UploadState};
use crate::server_fns::uploads::{data_sources, upload_history};
pub use table::{maybe_count, HistoryTable};

const FORM: FormSpec = FormSpec {
    path: "/uploads/history",
    label: "Filter the upload history",
    id_prefix: "upload-history-",
    exports: &[
        Export {
            path: "/uploads/history/export.csv",
            label: "Export CSV",
            testid: "upload-export-csv",
            title: Some(
                "Column keys as the header, values as shown here; cells a spreadsheet could run get a leading '",
            ),
        },
        Export {
            path: "/uploads/history/export.xlsx",
            label: "Export Excel",
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

/// The filters: organization (admins: `sources` says which to offer; the others are pinned to
/// their own), list, state and period.
fn fields(filters: UploadHistoryFilters, sources: Option<&[DataSourceRow]>) -> Vec<Field> {
    let states = UploadState::all()
        .iter()
        .map(|s| (s.as_str().to_string(), s.label().to_string()))
        .collect();
    let chosen = filters
        .state
        .iter()
        .map(|s| s.as_str().to_string())
        .collect();
    let organization = sources.map(|sources| {
        Field::select(
            "organization",
            "Organization",
            filters.organization.clone().unwrap_or_default(),
            plain_options("All organizations", organizations(sources)),
        )
    });
    organization
        .into_iter()
        .chain([
            Field::verbatim("list_name", "List name", &filters.list_name, "exact name"),
            Field::multi_select("state", "States", chosen, states),
            Field::date("from", "From", &filters.from),
            Field::date("to", "To", &filters.to),
        ])
        .collect()
}

/// The upload history page.
#[component]
pub fn UploadHistoryPage() -> impl IntoView {
    let me = expect_context::<MeResource>();
    view! {
        <Title text="Upload history"/>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let is_admin = me.await.is_ok_and(|m| m.user.role == Role::Admin);
                // Only admins have data sources to choose an organization from, or uploads to open.
                let sources = is_admin.then(|| Resource::new(|| (), |_| data_sources()));
                let describe = move |filters: UploadHistoryFilters, _: ()| async move {
                    match sources {
                        Some(sources) => {
                            let sources = sources.await.unwrap_or_default();
                            fields(filters, Some(&sources))
                        }
                        None => fields(filters, None),
                    }
                };
                let table = if is_admin { table::TABLE } else { table::READ_ONLY };
                view! {
                    <div class="page-head">
                        <h1>"Upload history"</h1>
                        <p class="muted">"Every contact upload: who sent which file to which list, OCM's counts and POM's import. Times are UTC."</p>
                        {is_admin.then(|| view! { <a href="/uploads">"← Uploads"</a> })}
                    </div>
                    {report_page(
                        ReportSpec { form: FORM, table, noun: ("upload", "uploads"), order: Some("newest first") },
                        upload_history,
                        describe,
                    )}
                }
            })}
        </Suspense>
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
        let organization = &fields(filters, Some(&[]))[0];
        assert_eq!(organization.values, ["Sales"]);
        assert_eq!(
            organization.kind,
            crate::components::report::fields::FieldKind::Select {
                options: plain_options("All organizations", ["Sales".to_string()])
            }
        );
    }

    #[test]
    fn only_admins_choose_an_organization() {
        let names: Vec<_> = fields(UploadHistoryFilters::default(), None)
            .iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, ["list_name", "state", "from", "to"]);
    }
}

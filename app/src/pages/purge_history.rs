//! Purge history page: every purge run of the user's organization(s), filtered by list name, user
//! and period, paged, with CSV and Excel exports of exactly what is filtered, on the report kit.
//! Rows link to the run and the list for those who may open them (not managers).

mod table;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::layout::MeResource;
use crate::components::report::fields::Field;
use crate::components::report::form::{Export, FormSpec};
use crate::components::report_page::{report_page, ReportSpec};
use crate::model::PurgeHistoryFilters;
use crate::server_fns::purge::purge_history;
pub use table::RunsTable;

const FORM: FormSpec = FormSpec {
    path: "/purge/history",
    label: "Filter the purge history",
    id_prefix: "history-",
    exports: &[
        Export {
            path: "/purge/history/export.csv",
            label: "Export CSV",
            testid: "purge-export-csv",
            title: Some(
                "Column keys as the header, values as shown here; cells a spreadsheet could run get a leading '",
            ),
        },
        Export {
            path: "/purge/history/export.xlsx",
            label: "Export Excel",
            testid: "purge-export-xlsx",
            title: None,
        },
    ],
};

/// The filters; `list_id` rides along unseen when a list's page linked here.
fn fields(filters: PurgeHistoryFilters) -> Vec<Field> {
    vec![
        Field::hidden("list_id", filters.list_id.map(|id| id.to_string())),
        Field::text("list", "List name", &filters.list, "contains"),
        Field::text("user", "User", &filters.user, "user name"),
        Field::date("from", "From", &filters.from),
        Field::date("to", "To", &filters.to),
    ]
}

/// The purge history page.
#[component]
pub fn PurgeHistoryPage() -> impl IntoView {
    let me = expect_context::<MeResource>();
    view! {
        <Title text="Purge history"/>
        <div class="page-head">
            <h1>"Purge history"</h1>
            <p class="muted">"Every purge with its filter, reason, counts and job. Times are UTC."</p>
        </div>
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let opens_runs = me.await.is_ok_and(|m| m.user.role.can_manage_lists());
                let table = if opens_runs { table::TABLE } else { table::READ_ONLY };
                report_page(
                    ReportSpec { form: FORM, table, noun: ("purge", "purges"), order: Some("newest first") },
                    purge_history,
                    |filters: PurgeHistoryFilters, _: ()| async move { fields(filters) },
                )
            })}
        </Suspense>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_filter_from_the_url_is_kept_hidden_in_the_form() {
        let filters = PurgeHistoryFilters {
            list_id: Some(7),
            ..PurgeHistoryFilters::default()
        };
        let hidden = &fields(filters)[0];
        assert_eq!(
            (hidden.name, hidden.values.clone()),
            ("list_id", vec!["7".to_string()])
        );
        assert!(fields(PurgeHistoryFilters::default())[0].values.is_empty());
    }
}

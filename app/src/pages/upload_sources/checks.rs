//! The data-source form's checks, as the server makes them, so problems are named at their field
//! before the form is sent; the server's refusals land at the field they name.

use crate::components::format::error_text;
use crate::error::AppError;
use crate::model::DataSourceInput;

/// A message per field; `other` for refusals that name no field of the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    pub name: Option<String>,
    pub organization: Option<String>,
    pub list_name: Option<String>,
    pub kind: Option<String>,
    pub remote_path: Option<String>,
    pub delimiter: Option<String>,
    pub columns: Option<String>,
    pub other: Option<String>,
}

impl Problems {
    /// What is wrong with `input` before it is sent.
    pub fn of_input(input: &DataSourceInput) -> Problems {
        let path = input.remote_path.trim();
        let file = path.rsplit('/').next().unwrap_or_default();
        let bad_path = !path.contains('/') || file.is_empty() || path.contains("..");
        Problems {
            name: input
                .name
                .trim()
                .is_empty()
                .then(|| "Give POM's data source name.".into()),
            organization: input
                .organization
                .is_empty()
                .then(|| "Choose the organization.".into()),
            list_name: input
                .list_name
                .trim()
                .is_empty()
                .then(|| "Choose the contact list it feeds.".into()),
            kind: (!matches!(input.kind.as_str(), "append" | "replace"))
                .then(|| "Choose append or replace.".into()),
            remote_path: bad_path.then(|| {
                "Give the file's full path on the SFTP drop, e.g. /ocm/Sales_Leads.csv.".into()
            }),
            delimiter: (!matches!(input.delimiter.as_str(), "," | ";" | "|" | "tab"))
                .then(|| "Choose the delimiter.".into()),
            columns: (!input.header_row && input.columns.trim().is_empty()).then(|| {
                "Without a header row, list the data source's columns (attributes in order).".into()
            }),
            other: None,
        }
    }

    /// The server's refusal at the field it names.
    pub fn of_error(error: &AppError) -> Problems {
        let mut problems = Problems::default();
        let AppError::Validation { field, message } = error else {
            problems.other = Some(error_text(error));
            return problems;
        };
        let slot = match field.as_str() {
            "name" => &mut problems.name,
            "organization" => &mut problems.organization,
            "list_name" => &mut problems.list_name,
            "kind" => &mut problems.kind,
            "remote_path" => &mut problems.remote_path,
            "delimiter" => &mut problems.delimiter,
            "columns" => &mut problems.columns,
            _ => &mut problems.other,
        };
        *slot = Some(message.clone());
        problems
    }

    /// The id of the first field with a problem, to move focus to.
    pub fn first_field(&self) -> Option<&'static str> {
        [
            (&self.name, "source-name"),
            (&self.organization, "source-organization"),
            (&self.list_name, "source-list"),
            (&self.kind, "source-kind-append"),
            (&self.remote_path, "source-remote-path"),
            (&self.delimiter, "source-delimiter"),
            (&self.columns, "source-columns"),
        ]
        .into_iter()
        .find_map(|(problem, id)| problem.is_some().then_some(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> DataSourceInput {
        DataSourceInput {
            data_source_id: None,
            name: "Sales_Leads_DS".into(),
            organization: "Sales".into(),
            list_name: "Sales_Leads".into(),
            kind: "append".into(),
            remote_path: "/ocm/Sales_Leads.csv".into(),
            delimiter: ",".into(),
            header_row: true,
            columns: String::new(),
        }
    }

    #[test]
    fn a_complete_input_passes_and_gaps_are_named() {
        assert_eq!(Problems::of_input(&input()), Problems::default());
        let mut bad = input();
        bad.remote_path = "/ocm/".into();
        bad.header_row = false;
        let problems = Problems::of_input(&bad);
        assert!(problems.remote_path.is_some());
        assert!(problems.columns.is_some());
        assert_eq!(problems.first_field(), Some("source-remote-path"));
    }

    #[test]
    fn server_refusals_land_at_their_field() {
        let problems = Problems::of_error(&AppError::validation("name", "taken"));
        assert_eq!(problems.name.as_deref(), Some("taken"));
        let other = Problems::of_error(&AppError::Forbidden);
        assert!(other.other.is_some());
    }
}

//! The purge form's state: one signal per field, the request they make, and the shared validation
//! (`validate_purge`, the same the server runs) shown under each field once it has been touched.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{
    validate_purge, AttributeInfo, AttributeKind, FieldProblem, Operator, PurgeRequest,
};

/// Splits the values box: one value per line or comma-separated, blanks dropped.
pub fn split_values(text: &str) -> Vec<String> {
    text.split(['\n', ','])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(String::from)
        .collect()
}

/// The element a field's problem is about, for focus and `aria-describedby`.
pub fn field_input_id(field: &str, operator: Operator) -> &'static str {
    match field {
        "list" => "purge-list",
        "attribute" => "purge-attribute",
        "operator" => "purge-operator",
        "reason" => "purge-reason",
        _ if operator.arity().1 > 2 => "purge-values",
        _ => "purge-value",
    }
}

/// The fields as the user left them.
#[derive(Clone, Copy)]
pub struct Fields {
    pub list_id: RwSignal<i64>,
    pub attribute: RwSignal<String>,
    pub operator: RwSignal<Operator>,
    /// The single value, or the start date of "between".
    pub value: RwSignal<String>,
    /// The end date of "between".
    pub value_end: RwSignal<String>,
    /// Several values ("is one of", "not equal to").
    pub values_text: RwSignal<String>,
    pub reason: RwSignal<String>,
}

impl Fields {
    /// The request the fields make (tracked); only the value inputs the operator shows count.
    pub fn request(self) -> PurgeRequest {
        let operator = self.operator.get();
        let values = match operator.arity() {
            (0, 0) => Vec::new(),
            (2, 2) => vec![self.value.get(), self.value_end.get()],
            (_, 1) => vec![self.value.get()],
            _ => self.values_text.with(|text| split_values(text)),
        };
        PurgeRequest {
            list_id: self.list_id.get(),
            attribute: self.attribute.get(),
            operator,
            values,
            reason: self.reason.get(),
        }
    }
}

/// The form: fields, which of them were touched, and their problems.
#[derive(Clone, Copy)]
pub struct Form {
    pub fields: Fields,
    catalogue: StoredValue<Vec<AttributeInfo>>,
    touched: RwSignal<Vec<&'static str>>,
    /// After a dry run was asked for, every problem shows, touched or not.
    submitted: RwSignal<bool>,
    pub problems: Memo<Vec<FieldProblem>>,
    /// The server's last refusal (its validation names a field, like ours).
    pub server_error: RwSignal<Option<AppError>>,
}

impl Form {
    pub fn new(list_id: i64, catalogue: Vec<AttributeInfo>) -> Form {
        let fields = Fields {
            list_id: RwSignal::new(list_id),
            attribute: RwSignal::new(String::new()),
            operator: RwSignal::new(Operator::Equals),
            value: RwSignal::new(String::new()),
            value_end: RwSignal::new(String::new()),
            values_text: RwSignal::new(String::new()),
            reason: RwSignal::new(String::new()),
        };
        let catalogue = StoredValue::new(catalogue);
        let problems = Memo::new(move |_| {
            let request = fields.request();
            let kind = catalogue.with_value(|c| kind_in(c, &request.attribute));
            validate_purge(&request, kind)
        });
        Form {
            fields,
            catalogue,
            touched: RwSignal::new(Vec::new()),
            submitted: RwSignal::new(false),
            problems,
            server_error: RwSignal::new(None),
        }
    }

    /// The chosen attribute's kind (tracked).
    pub fn kind(self) -> Option<AttributeKind> {
        let name = self.fields.attribute.get();
        self.catalogue.with_value(|c| kind_in(c, &name))
    }

    pub fn catalogue(self) -> Vec<AttributeInfo> {
        self.catalogue.get_value()
    }

    /// Marks a field as edited, so its problems show from now on.
    pub fn touch(self, field: &'static str) {
        if !self.touched.with_untracked(|t| t.contains(&field)) {
            self.touched.update(|t| t.push(field));
        }
    }

    /// Shows every problem (the user asked for the dry run).
    pub fn submit(self) {
        self.submitted.set(true);
    }

    /// What to say under `field` (tracked): our problems once touched, else the server's.
    pub fn message(self, field: &'static str) -> Option<String> {
        let shown = self.submitted.get() || self.touched.with(|t| t.contains(&field));
        let ours: Vec<String> = self.problems.with(|problems| {
            problems
                .iter()
                .filter(|p| p.field == field)
                .map(|p| p.message.clone())
                .collect()
        });
        if shown && !ours.is_empty() {
            return Some(ours.join(" "));
        }
        self.server_error.with(|error| match error {
            Some(AppError::Validation { field: f, message }) if f == field => Some(message.clone()),
            _ => None,
        })
    }
}

fn kind_in(catalogue: &[AttributeInfo], name: &str) -> Option<AttributeKind> {
    catalogue.iter().find(|a| a.name == name).map(|a| a.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_split_on_lines_and_commas() {
        assert_eq!(split_values("a, b\n\n c ,\r\nd"), ["a", "b", "c", "d"]);
        assert!(split_values(" \n ,").is_empty());
    }

    #[test]
    fn problems_point_at_the_input_the_operator_shows() {
        assert_eq!(field_input_id("values", Operator::In), "purge-values");
        assert_eq!(field_input_id("values", Operator::Between), "purge-value");
        assert_eq!(field_input_id("values", Operator::Equals), "purge-value");
        assert_eq!(field_input_id("reason", Operator::Equals), "purge-reason");
    }
}

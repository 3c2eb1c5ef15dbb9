//! Rows an external pre-processing step left out before the file reached OCM (seed 001: "accounts
//! not dialled by POM, inserted by a pre-processing step"), added to the Account Not in Listing
//! report as one audited batch. `parse` reads the step's CSV (pure, bounded, every problem named
//! by row and column); `add` stores it. The CLI (`ocm reports not-listed`) calls both today; the
//! automation API (issue 20) will call the same two behind its client scopes.

use serde_json::json;
use sqlx::PgPool;

use crate::audit::{self, Actor, AuditEvent, Outcome};
use crate::error::AppError;
use crate::model::AuditAction;
use crate::request_meta::RequestMeta;

/// The largest file taken (the CLI stops reading past it; `parse` refuses a longer one).
pub const MAX_BYTES: u64 = 32 * 1024 * 1024;
/// Rows per batch.
pub const MAX_ROWS: usize = 200_000;
/// Rows inserted per statement.
const CHUNK: usize = 5_000;
const HEADER: [&str; 5] = [
    "row_number",
    "user_contact_id",
    "phone",
    "category",
    "reason",
];

/// One row left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalRow {
    pub row_number: Option<i64>,
    pub contact_id: String,
    pub phone: String,
    pub category: String,
    pub reason: String,
}

/// Where the rows belong and who reports them.
#[derive(Debug, Clone)]
pub struct ExternalBatch {
    pub organization: String,
    pub list: String,
    pub batch: String,
}

fn problem(line: u64, column: &str, message: impl std::fmt::Display) -> AppError {
    AppError::validation(column, format!("row {line}, column {column}: {message}"))
}

/// Checks one value's length, naming its row and column.
fn bounded(line: u64, column: &str, value: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.contains('\0') {
        return Err(problem(line, column, "holds a NUL character"));
    }
    if value.chars().count() > max {
        return Err(problem(
            line,
            column,
            format!("longer than {max} characters"),
        ));
    }
    Ok(value.to_string())
}

/// Reads the step's CSV: a header naming `user_contact_id,phone,category,reason` (and
/// optionally `row_number`) in any order, then one row per account left out. A row needs an
/// account or a phone, a category (letters, digits, `_`) and a reason.
pub fn parse(bytes: &[u8]) -> Result<Vec<ExternalRow>, AppError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(AppError::validation(
            "file",
            format!("The file is larger than {} MiB.", MAX_BYTES / 1024 / 1024),
        ));
    }
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| AppError::validation("file", format!("The header cannot be read: {e}")))?
        .clone();
    let position = |name: &str| header.iter().position(|h| h.trim() == name);
    for required in &HEADER[1..] {
        if position(required).is_none() {
            return Err(AppError::validation(
                "file",
                format!(
                    "The header has no column {required} (it needs {}).",
                    HEADER.join(",")
                ),
            ));
        }
    }
    let column = |record: &csv::StringRecord, name: &str| {
        position(name)
            .and_then(|i| record.get(i))
            .unwrap_or_default()
            .to_string()
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            AppError::validation("file", format!("The file cannot be read as CSV: {e}"))
        })?;
        // The line the row starts on, counted as a text editor does.
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(AppError::validation(
                "file",
                format!("More than {MAX_ROWS} rows: send them as several batches."),
            ));
        }
        let number = column(&record, "row_number");
        let row_number = match number.trim() {
            "" => None,
            text => Some(
                text.parse::<i64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| problem(line, "row_number", "not a positive whole number"))?,
            ),
        };
        let row = ExternalRow {
            row_number,
            contact_id: bounded(
                line,
                "user_contact_id",
                &column(&record, "user_contact_id"),
                255,
            )?,
            phone: bounded(line, "phone", &column(&record, "phone"), 64)?,
            category: bounded(line, "category", &column(&record, "category"), 60)?,
            reason: bounded(line, "reason", &column(&record, "reason"), 1_000)?,
        };
        if row.contact_id.is_empty() && row.phone.is_empty() {
            return Err(problem(
                line,
                "user_contact_id",
                "neither an account nor a phone",
            ));
        }
        let category_ok = !row.category.is_empty()
            && row
                .category
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !category_ok {
            return Err(problem(
                line,
                "category",
                "use letters, digits and _ (e.g. bad_debt)",
            ));
        }
        if row.reason.is_empty() {
            return Err(problem(line, "reason", "empty"));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Stores the batch and its audit record in one transaction; returns the rows added. The
/// organization must be one OCM knows.
pub async fn add(
    pool: &PgPool,
    batch: &ExternalBatch,
    rows: &[ExternalRow],
    (actor, meta): (&Actor, &RequestMeta),
) -> Result<u64, AppError> {
    let known = sqlx::query_scalar!(
        "select exists(select 1 from organization where name = $1)",
        batch.organization
    )
    .fetch_one(pool)
    .await?
    .unwrap_or(false);
    if !known {
        return Err(AppError::validation(
            "organization",
            format!("OCM knows no organization “{}”.", batch.organization),
        ));
    }
    for (field, value) in [("list", &batch.list), ("batch", &batch.batch)] {
        let length = value.trim().chars().count();
        if !(1..=200).contains(&length) {
            return Err(AppError::validation(
                field,
                format!("The {field} needs 1 to 200 characters."),
            ));
        }
    }
    let mut tx = pool.begin().await?;
    for chunk in rows.chunks(CHUNK) {
        let texts =
            |f: fn(&ExternalRow) -> &String| chunk.iter().map(|r| f(r).clone()).collect::<Vec<_>>();
        let numbers: Vec<Option<i64>> = chunk.iter().map(|r| r.row_number).collect();
        sqlx::query!(
            r#"insert into not_listed (organization, list_name, batch, stage, row_number,
                   user_contact_id, phone, category, reason, recorded_by)
               select $1, $2, $3, 'external', r.row_number, r.contact_id, r.phone, r.category,
                      r.reason, $4
               from unnest($5::int8[], $6::text[], $7::text[], $8::text[], $9::text[])
                 as r(row_number, contact_id, phone, category, reason)"#,
            batch.organization,
            batch.list.trim(),
            batch.batch.trim(),
            actor.username.clone().unwrap_or_default(),
            &numbers as &[Option<i64>],
            &texts(|r| &r.contact_id),
            &texts(|r| &r.phone),
            &texts(|r| &r.category),
            &texts(|r| &r.reason),
        )
        .execute(&mut *tx)
        .await?;
    }
    let event = AuditEvent::new(AuditAction::NotListedAdded, Outcome::Success)
        .with_organization(batch.organization.clone())
        .with_target(batch.list.trim().to_string())
        .with_parameters(json!({ "batch": batch.batch.trim() }))
        .with_counts(json!({ "rows": rows.len() }));
    audit::record(&mut *tx, actor, meta, event).await?;
    tx.commit().await?;
    Ok(rows.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(error: AppError) -> (String, String) {
        match error {
            AppError::Validation { field, message } => (field, message),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rows_are_read_in_any_column_order() {
        let rows = parse(
            "\u{feff}reason,category,phone,user_contact_id\r\nBad debt,bad_debt,+447700900001,A1\r\n,,,\r\nDeceased,deceased,,A2\r\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].phone, "+447700900001");
        assert_eq!(
            (rows[1].contact_id.as_str(), rows[1].row_number),
            ("A2", None)
        );
    }

    #[test]
    fn every_problem_names_its_row_and_column() {
        let header = "row_number,user_contact_id,phone,category,reason\n";
        for (body, field, says) in [
            ("x,A1,,c,r\n", "row_number", "row 2, column row_number"),
            (",,,c,r\n", "user_contact_id", "neither"),
            ("1,A1,,bad debt,r\n", "category", "row 2, column category"),
            ("1,A1,,c,\n", "reason", "empty"),
        ] {
            let (f, message) = field_of(parse(format!("{header}{body}").as_bytes()).unwrap_err());
            assert_eq!(f, field, "{message}");
            assert!(message.contains(says), "{message}");
        }
        let (f, message) = field_of(parse(b"user_contact_id,reason\nA,b\n").unwrap_err());
        assert_eq!(f, "file");
        assert!(message.contains("phone"), "{message}");
        let long = format!("{header}1,{},,c,r\n", "9".repeat(256));
        assert!(field_of(parse(long.as_bytes()).unwrap_err())
            .1
            .contains("255"));
    }

    #[test]
    fn batches_are_bounded() {
        let mut body = String::from("user_contact_id,phone,category,reason\n");
        for i in 0..=MAX_ROWS {
            body.push_str(&format!("A{i},,c,r\n"));
        }
        assert!(field_of(parse(body.as_bytes()).unwrap_err())
            .1
            .contains("several batches"));
    }
}

//! The rows of an upload that never became contacts, copied into `not_listed` (the Account Not
//! in Listing report) when its import ends, so they outlive the upload's files: the pre-flight's
//! rejects as read, and the rows sent but absent from the list afterwards with the phone number
//! they were sent with. Parsing is pure (`rows_of`, `absent_rows`); `record` stores.

use std::collections::HashSet;

use sqlx::{Postgres, Transaction};

use crate::model::ImportCounters;

/// Rows inserted per statement.
const CHUNK: usize = 5_000;

/// One row for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct NotListed {
    pub stage: &'static str,
    pub row_number: Option<i64>,
    pub contact_id: String,
    pub phone: String,
    pub category: String,
    pub reason: String,
}

/// POM's rejection counters that can leave a sent row out of the list: (key, words, count).
fn rejections(numbers: &ImportCounters) -> Vec<(&'static str, &'static str, i64)> {
    [
        ("dnc_match", "DNC match", numbers.dnc_matches),
        (
            "validation_failed",
            "validation failed",
            numbers.validation_failed,
        ),
        ("phone_format", "phone format", numbers.phone_format_failed),
        (
            "reject_pattern",
            "reject pattern",
            numbers.reject_pattern_matches,
        ),
        (
            "duplicate_ignored",
            "duplicate ignored",
            numbers.duplicates_ignored,
        ),
        ("runtime_error", "runtime error", numbers.runtime_errors),
        ("deleted", "deleted", numbers.deleted),
    ]
    .into_iter()
    .filter(|(_, _, count)| *count > 0)
    .collect()
}

/// Why `missing` sent rows are not in the list: POM gives no reason per row, so a row is put
/// down to a category only when one counter alone accounts for every missing row; otherwise the
/// reason names the counters that can explain it. (stage, category, reason).
pub(super) fn absent_reason(
    numbers: &ImportCounters,
    missing: usize,
) -> (&'static str, String, String) {
    let counted = rejections(numbers);
    match counted.as_slice() {
        [(key, words, count)] if *count == missing as i64 => (
            "pom_import",
            key.to_string(),
            format!(
                "rejected by POM's import; POM counted {words}: {count}, as many as rows missing"
            ),
        ),
        [] => (
            "absent",
            "not_in_list".into(),
            "not in the list after the import; POM counted no rejection".into(),
        ),
        several => {
            let words: Vec<String> = several
                .iter()
                .map(|(_, words, count)| format!("{words}: {count}"))
                .collect();
            (
                "absent",
                "not_in_list".into(),
                format!(
                    "not in the list after the import; POM counted {}",
                    words.join(", ")
                ),
            )
        }
    }
}

/// The pre-flight's `not_listed_rows` (row, contact id, phone, kind, reason; no header).
pub(super) fn rows_of(plain: &[u8]) -> Vec<NotListed> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(plain)
        .records()
        .filter_map(Result::ok)
        .map(|r| NotListed {
            stage: "preflight",
            row_number: r.get(0).and_then(|n| n.parse().ok()),
            contact_id: r.get(1).unwrap_or_default().to_string(),
            phone: r.get(2).unwrap_or_default().to_string(),
            category: r.get(3).unwrap_or_default().to_string(),
            reason: r.get(4).unwrap_or_default().to_string(),
        })
        .collect()
}

/// The phone number each missing id was sent with, from the converted file POM imported
/// (`columns`: its attributes in order; `header`: whether its first line names them). Ids not
/// found in the file keep an empty phone.
pub(super) fn absent_rows(
    converted: &[u8],
    delimiter: u8,
    header: bool,
    columns: &[String],
    missing: &[&String],
    (stage, category, reason): (&'static str, &str, &str),
) -> Vec<NotListed> {
    let column = |name: &str| columns.iter().position(|c| c == name);
    let id_column = column("userContactId");
    let phone_column = column("phoneNumber1").or_else(|| column("phoneNumber2"));
    let wanted: HashSet<&str> = missing.iter().map(|id| id.as_str()).collect();
    let mut phones = std::collections::HashMap::new();
    if let Some(id_column) = id_column {
        let records = csv::ReaderBuilder::new()
            .has_headers(header)
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(converted)
            .into_records();
        for record in records.filter_map(Result::ok) {
            let id = record.get(id_column).unwrap_or_default();
            if wanted.contains(id) {
                let phone = phone_column.and_then(|c| record.get(c)).unwrap_or_default();
                phones.insert(id.to_string(), phone.to_string());
            }
        }
    }
    missing
        .iter()
        .map(|id| NotListed {
            stage,
            row_number: None,
            contact_id: id.to_string(),
            phone: phones.get(id.as_str()).cloned().unwrap_or_default(),
            category: category.to_string(),
            reason: reason.to_string(),
        })
        .collect()
}

/// Stores `rows` for the upload in the caller's transaction.
pub(super) async fn record(
    tx: &mut Transaction<'_, Postgres>,
    upload_id: i64,
    rows: &[NotListed],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(CHUNK) {
        let column = |f: fn(&NotListed) -> String| chunk.iter().map(f).collect::<Vec<_>>();
        let numbers: Vec<Option<i64>> = chunk.iter().map(|r| r.row_number).collect();
        sqlx::query!(
            r#"insert into not_listed (organization, list_name, contact_upload_id, batch, stage,
                   row_number, user_contact_id, phone, category, reason, recorded_by)
               select u.organization, u.list_name, u.contact_upload_id,
                      'upload ' || u.contact_upload_id, r.stage, r.row_number, r.contact_id,
                      r.phone, r.category, r.reason, u.created_by_name
               from contact_upload u,
                    unnest($2::text[], $3::int8[], $4::text[], $5::text[], $6::text[], $7::text[])
                      as r(stage, row_number, contact_id, phone, category, reason)
               where u.contact_upload_id = $1"#,
            upload_id,
            &column(|r| r.stage.to_string()),
            &numbers as &[Option<i64>],
            &column(|r| r.contact_id.clone()),
            &column(|r| r.phone.clone()),
            &column(|r| r.category.clone()),
            &column(|r| r.reason.clone()),
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counters(dnc: i64, validation: i64) -> ImportCounters {
        ImportCounters {
            dnc_matches: dnc,
            validation_failed: validation,
            ..ImportCounters::default()
        }
    }

    #[test]
    fn one_counter_that_accounts_for_every_missing_row_names_the_category() {
        let (stage, category, reason) = absent_reason(&counters(2, 0), 2);
        assert_eq!((stage, category.as_str()), ("pom_import", "dnc_match"));
        assert!(reason.contains("DNC match"), "{reason}");
        let (stage, category, reason) = absent_reason(&counters(2, 1), 3);
        assert_eq!((stage, category.as_str()), ("absent", "not_in_list"));
        assert!(
            reason.contains("DNC match: 2, validation failed: 1"),
            "{reason}"
        );
        assert_eq!(absent_reason(&counters(1, 0), 2).0, "absent");
        assert!(absent_reason(&counters(0, 0), 1).2.contains("no rejection"));
    }

    #[test]
    fn preflight_rows_are_read_back_as_written() {
        let rows = rows_of(b"3,C2,+447700900001,letters in a phone number,\"mobile 'x,y': letters\"\n4,,,no userContactId,no id\n");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].row_number, Some(3));
        assert_eq!(rows[0].phone, "+447700900001");
        assert_eq!(rows[0].reason, "mobile 'x,y': letters");
        assert_eq!(rows[1].contact_id, "");
    }

    #[test]
    fn absent_rows_carry_the_phone_they_were_sent_with() {
        let converted = b"userContactId;phoneNumber1\nA1;+441\nA2;0772\nA3;+443\n";
        let columns = vec!["userContactId".to_string(), "phoneNumber1".to_string()];
        let (a2, zz) = ("A2".to_string(), "ZZ".to_string());
        let rows = absent_rows(
            converted,
            b';',
            true,
            &columns,
            &[&a2, &zz],
            ("absent", "not_in_list", "gone"),
        );
        let found: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.contact_id.as_str(), r.phone.as_str()))
            .collect();
        assert_eq!(found, [("A2", "0772"), ("ZZ", "")]);
    }
}

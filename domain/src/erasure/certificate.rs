//! The erasure certificate: what was found and erased, where and when, and what was left on
//! purpose, made from the stored counts only (no identifier, no contact). It is made once, when
//! the erasure ends, and kept: its SHA-256 in the closing audit record (which the hash chain
//! protects) then matches every download, whatever later versions of OCM would write.

use std::fmt::Write;

use sha2::{Digest, Sha256};
use sqlx::PgConnection;

use super::identifiers::IdentifierKind;
use super::plan::{describe_counts, store_label};
use crate::dates::rfc3339;

/// What was not erased, on purpose, and why.
const LEFT: &[&str] = &[
    "OCM's audit log: append-only and kept under a legal obligation (GDPR art. 17(3)(b), (e)); \
     OCM writes no identifier into it",
    "POM's DNC lists: an erased number on a DNC list is what keeps it from being called",
    "POM's own records (attempt history, recordings) and backups: outside OCM; ask their \
     administrators, backups expire by their own schedule",
];

/// The certificate of an erasure that has ended, as it reads now (`None`: not ended).
pub async fn render(
    conn: &mut PgConnection,
    erasure_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let Some(e) = sqlx::query!(
        "select organization, reference, identifier_counts, state, ocm_erased, job_id,
             created_by_name, created_at, confirmed_at, finished_at
         from erasure where erasure_id = $1 and state in ('completed', 'cancelled')",
        erasure_id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let lists = sqlx::query!(
        r#"select list_name, list_id,
                  count(*) as "found!",
                  count(*) filter (where state = 'deleted') as "deleted!",
                  count(*) filter (where state = 'absent') as "absent!",
                  count(*) filter (where state in ('failed', 'cancelled')) as "left!"
           from erasure_contact where erasure_id = $1
           group by list_name, list_id order by list_name, list_id"#,
        erasure_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let completed = e.state == "completed";
    let left: i64 = lists.iter().map(|l| l.left).sum();
    let counts: Vec<(IdentifierKind, usize)> = IdentifierKind::ALL
        .into_iter()
        .map(|kind| {
            let n = e.identifier_counts[kind.as_str()].as_u64().unwrap_or(0);
            (kind, n as usize)
        })
        .collect();
    let when = |t: Option<time::OffsetDateTime>| t.map(rfc3339).unwrap_or_else(|| "-".into());
    let outcome = match (completed, left) {
        (true, 0) => "completed".to_string(),
        (true, n) => format!("completed; {n} contact(s) POM refused to delete are still in POM: run the erasure again"),
        (false, _) => "cancelled: nothing in OCM was erased and no identifier is suppressed".into(),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "OCM certificate of erasure\n==========================\n"
    );
    for (label, value) in [
        ("Erasure", format!("#{erasure_id}")),
        ("Organization", e.organization.clone()),
        ("Request reference", e.reference.clone()),
        ("Carried out by", e.created_by_name.clone()),
        (
            "Searched",
            format!(
                "{} (every contact list of the organization in POM, and OCM's records)",
                rfc3339(e.created_at)
            ),
        ),
        ("Confirmed", when(e.confirmed_at)),
        ("Ended", when(e.finished_at)),
        (
            "Job",
            e.job_id.map_or_else(|| "-".into(), |j| format!("#{j}")),
        ),
        ("Identifiers", describe_counts(&counts)),
        ("Outcome", outcome),
    ] {
        let _ = writeln!(out, "{label:<18} {value}");
    }
    let width = lists
        .iter()
        .map(|l| l.list_name.chars().count() + l.list_id.to_string().len() + 3)
        .max()
        .unwrap_or(0)
        .max(12);
    let _ = writeln!(out, "\nContacts in POM");
    let _ = writeln!(
        out,
        "  {:<width$} {:>7} {:>8} {:>13} {:>12}",
        "List", "Found", "Deleted", "Already gone", "Still there"
    );
    let mut total = [0i64; 4];
    for l in &lists {
        let name = format!("{} ({})", l.list_name, l.list_id);
        let row = [l.found, l.deleted, l.absent, l.left];
        let _ = writeln!(
            out,
            "  {name:<width$} {:>7} {:>8} {:>13} {:>12}",
            row[0], row[1], row[2], row[3]
        );
        total.iter_mut().zip(row).for_each(|(t, n)| *t += n);
    }
    if lists.is_empty() {
        let _ = writeln!(out, "  (none found)");
    }
    let _ = writeln!(
        out,
        "  {:<width$} {:>7} {:>8} {:>13} {:>12}",
        "Total", total[0], total[1], total[2], total[3]
    );
    let _ = writeln!(out, "\nOCM's own records");
    match e.ocm_erased.as_ref().and_then(|v| v.as_object()) {
        Some(erased) => {
            for (store, count) in erased {
                let _ = writeln!(out, "  {:<46} {count:>6} erased", store_label(store));
            }
        }
        None => {
            let _ = writeln!(out, "  none erased");
        }
    }
    let _ = writeln!(out, "\nSuppression");
    if completed {
        let _ = writeln!(
            out,
            "  a keyed hash (HMAC-SHA256) of each identifier is kept, nothing else: a later contact \
             upload, DNC upload or DNC entry holding one is refused and not sent"
        );
    } else {
        let _ = writeln!(out, "  none");
    }
    let _ = writeln!(out, "\nNot erased, on purpose");
    for line in LEFT {
        let _ = writeln!(out, "  - {line}");
    }
    let _ = writeln!(
        out,
        "\nThe SHA-256 of this text is in OCM's audit log (the erasure's closing record), so \
         `sha256sum` on this file shows it unchanged."
    );
    Ok(Some(out))
}

/// The hex SHA-256 of a certificate's text.
pub fn sha256(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

//! The erasure certificate: what was found and erased, where and when, made from the stored
//! counts only (no identifier, no contact), so it reads the same every time it is made and its
//! SHA-256, recorded in the audit log at completion, proves it unchanged.

use std::fmt::Write;

use sha2::{Digest, Sha256};
use sqlx::PgConnection;

use super::plan::store_label;
use crate::dates::rfc3339;

/// The certificate of a finished erasure (`None`: no such erasure, or not finished).
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
                  count(*) filter (where state = 'failed') as "failed!",
                  count(*) filter (where state = 'cancelled') as "cancelled!"
           from erasure_contact where erasure_id = $1
           group by list_name, list_id order by list_name, list_id"#,
        erasure_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let tombstones = sqlx::query!(
        r#"select kind, count(*) as "n!" from erasure_tombstone where erasure_id = $1
           group by kind order by kind"#,
        erasure_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = String::new();
    let when = |t: Option<time::OffsetDateTime>| t.map(rfc3339).unwrap_or_else(|| "-".into());
    let _ = writeln!(out, "OCM certificate of erasure");
    let _ = writeln!(out, "==========================\n");
    let _ = writeln!(out, "Erasure            #{erasure_id}");
    let _ = writeln!(out, "Organization       {}", e.organization);
    let _ = writeln!(out, "Request reference  {}", e.reference);
    let _ = writeln!(out, "Requested by       {}", e.created_by_name);
    let _ = writeln!(out, "Dry run            {}", rfc3339(e.created_at));
    let _ = writeln!(out, "Confirmed          {}", when(e.confirmed_at));
    let _ = writeln!(out, "Finished           {}", when(e.finished_at));
    let _ = writeln!(out, "Outcome            {}", e.state);
    if let Some(job) = e.job_id {
        let _ = writeln!(out, "Job                #{job}");
    }
    let counts = e
        .identifier_counts
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let _ = writeln!(out, "\nIdentifiers given  {counts}");
    let _ = writeln!(
        out,
        "\nContacts in POM (every contact list of the organization was searched)"
    );
    let _ = writeln!(
        out,
        "  {:<32} {:>7} {:>8} {:>13} {:>12}",
        "List", "Found", "Deleted", "Already gone", "Not deleted"
    );
    let mut total = [0i64; 4];
    for l in &lists {
        let not_deleted = l.failed + l.cancelled;
        let name = format!("{} ({})", l.list_name, l.list_id);
        let _ = writeln!(
            out,
            "  {name:<32} {:>7} {:>8} {:>13} {not_deleted:>12}",
            l.found, l.deleted, l.absent
        );
        for (t, n) in total
            .iter_mut()
            .zip([l.found, l.deleted, l.absent, not_deleted])
        {
            *t += n;
        }
    }
    if lists.is_empty() {
        let _ = writeln!(out, "  (none found)");
    }
    let _ = writeln!(
        out,
        "  {:<32} {:>7} {:>8} {:>13} {:>12}",
        "Total", total[0], total[1], total[2], total[3]
    );
    let _ = writeln!(out, "\nOCM's own records");
    match e.ocm_erased.as_ref().and_then(|v| v.as_object()) {
        Some(erased) => {
            for (store, count) in erased {
                let _ = writeln!(out, "  {:<46} {:>6} erased", store_label(store), count);
            }
        }
        None => {
            let _ = writeln!(
                out,
                "  none erased (the erasure was cancelled before this step)"
            );
        }
    }
    let _ = writeln!(out, "\nSuppression");
    if tombstones.is_empty() {
        let _ = writeln!(out, "  no tombstone kept");
    }
    for t in &tombstones {
        let _ = writeln!(
            out,
            "  {} tombstone(s) for {}: a keyed hash only, so that a later upload or DNC import \
             holding it is flagged and not sent",
            t.n, t.kind
        );
    }
    let _ = writeln!(
        out,
        "\nThe audit log records this erasure with counts and the reference only; OCM no longer \
         holds the identifiers or the contacts' data."
    );
    Ok(Some(out))
}

/// The hex SHA-256 of a certificate's text.
pub fn sha256(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

//! An upload sent as parts (a converted file over POM's file limit, see `split`): the part being
//! sent as bytes, POM's counters added up over the parts, and moving on to the next part once an
//! import has completed, in the one statement that also keeps the finished part's counters, so a
//! restart goes on with the next part and never sends one twice.

use serde_json::json;

use super::job_steps::Upload;
use super::split::Parts;
use crate::jobs::runner::JobContext;
use crate::model::ImportCounters;

/// The current part of the upload's converted file as it is sent (header row, then its rows);
/// `None` when the stored file no longer matches where its parts were said to lie (erased).
pub(super) async fn current(
    ctx: &JobContext,
    upload: &Upload,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select converted, part_header_bytes, part_ends
           from contact_upload where contact_upload_id = $1"#,
        upload.id
    )
    .fetch_one(&ctx.state.pool)
    .await?;
    let Some(converted) = row.converted else {
        return Ok(None);
    };
    let parts = match row.part_ends {
        Some(ends) => Parts {
            header: row.part_header_bytes.unwrap_or(0) as usize,
            ends: ends.into_iter().map(|end| end as usize).collect(),
        },
        None => Parts::whole(converted.len()),
    };
    Ok(parts.part(&converted, upload.part as usize))
}

/// POM's counters of the parts imported so far plus the current part's.
pub(super) fn add(done: ImportCounters, current: ImportCounters) -> ImportCounters {
    ImportCounters {
        success: done.success + current.success,
        update: done.update + current.update,
        runtime_errors: done.runtime_errors + current.runtime_errors,
        validation_failed: done.validation_failed + current.validation_failed,
        duplicates_ignored: done.duplicates_ignored + current.duplicates_ignored,
        reject_pattern_matches: done.reject_pattern_matches + current.reject_pattern_matches,
        deleted: done.deleted + current.deleted,
        dnc_matches: done.dnc_matches + current.dnc_matches,
        phone_format_failed: done.phone_format_failed + current.phone_format_failed,
        processed: done.processed + current.processed,
    }
}

/// The current part's import completed and another part follows: keeps the counters so far
/// (`totals`, this part's included) and queues the next part. `false` when the upload was no
/// longer at this part's import (another run moved it on): the caller reads it again.
pub(super) async fn next(
    ctx: &JobContext,
    upload: &Upload,
    totals: ImportCounters,
) -> Result<bool, sqlx::Error> {
    let moved = sqlx::query!(
        r#"update contact_upload set part = part + 1, state = 'queued', pom_counters_done = $3,
               pom_counters = $3, import_job_id = null, import_after = null, pom_state = null,
               problem = null, scheduled_at = null, scheduled_for = null
           where contact_upload_id = $1 and part = $2 and state in ('scheduled', 'importing')"#,
        upload.id,
        upload.part,
        json!(totals),
    )
    .execute(&ctx.state.pool)
    .await?;
    Ok(moved.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_add_up_field_by_field() {
        let one = ImportCounters {
            success: 3,
            update: 1,
            dnc_matches: 2,
            processed: 6,
            ..ImportCounters::default()
        };
        let two = ImportCounters {
            success: 4,
            duplicates_ignored: 1,
            processed: 5,
            ..ImportCounters::default()
        };
        let sum = add(one, two);
        assert_eq!(
            (
                sum.success,
                sum.update,
                sum.dnc_matches,
                sum.duplicates_ignored,
                sum.processed
            ),
            (7, 1, 2, 1, 11)
        );
        assert_eq!(add(ImportCounters::default(), two), two);
    }
}

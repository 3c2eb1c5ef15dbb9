//! File data-source imports: an import job reads its data source's file from the SFTP drop and
//! moves `QUEUED → FILE_COPYING → RUNNING → COMPLETED` (or `ERROR` with a reason), applying rows
//! at a steady rate and filling the ten `ImportJobStatus` counters from what each row really was.

use std::path::Path;

use super::import_rows::{classify, Verdict};
use super::world::{ContactRec, FileLayout, ImportJobRec, World};

/// Simulated milliseconds the copy of the file takes.
pub const FILE_COPY_MS: i64 = 2_000;
/// Rows applied per simulated second.
pub const ROWS_PER_SEC: i64 = 5_000;
/// Files larger than this end the import in ERROR.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Counter positions, in `ImportJobStatus` order.
pub const SUCCESS: usize = 0;
pub const UPDATE: usize = 1;
pub const RUNTIME_ERROR: usize = 2;
pub const VALIDATION_FAILED: usize = 3;
pub const DUPLICATE_IGNORED: usize = 4;
pub const REJECT_PATTERN: usize = 5;
pub const DELETED: usize = 6;
pub const DNC_MATCH: usize = 7;
pub const PHONE_FORMAT: usize = 8;
pub const PROCESSED: usize = 9;

/// One data row of an import file: its fields, or why the row could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub fields: Result<Vec<String>, String>,
}

/// Reads and splits the file: the column attributes and the data rows, or why the run fails.
pub fn read_file(
    path: &Path,
    layout: &FileLayout,
) -> Result<(Vec<String>, Vec<ImportRow>), String> {
    let shown = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let size = std::fs::metadata(path)
        .map_err(|_| format!("The data source file {shown} was not found in the SFTP folder."))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "The data source file {shown} is {size} bytes; the limit is {MAX_FILE_BYTES}."
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("Cannot read {shown}: {e}"))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if let Err(error) = std::str::from_utf8(bytes) {
        let line = 1 + bytes[..error.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        return Err(format!("{shown} is not UTF-8 text (line {line})."));
    }
    let mut delimiter = [0u8; 4];
    let delimiter = layout.delimiter.encode_utf8(&mut delimiter).as_bytes();
    if delimiter.len() != 1 {
        return Err(format!(
            "The delimiter {:?} is not a single byte.",
            layout.delimiter
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter[0])
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.records();
    let header: Option<Vec<String>> = if layout.header_row {
        match records.next() {
            Some(Ok(record)) => Some(record.iter().map(|f| f.trim().to_string()).collect()),
            Some(Err(error)) => {
                return Err(format!("{shown}: the header row cannot be read: {error}"))
            }
            None => return Err(format!("{shown} is empty.")),
        }
    } else {
        None
    };
    let columns = if layout.columns.is_empty() {
        header
            .ok_or_else(|| "The data source has no header row and no column mapping.".to_string())?
    } else {
        layout.columns.clone()
    };
    if !columns.iter().any(|c| c == "userContactId") {
        return Err(format!("{shown} has no userContactId column."));
    }
    let rows = records
        .map(|record| ImportRow {
            fields: record
                .map(|r| r.iter().map(str::to_string).collect())
                .map_err(|e| e.to_string()),
        })
        .collect();
    Ok((columns, rows))
}

impl World {
    /// Moves every unfinished import job forward to `now_ms`.
    pub(super) fn advance_imports(&mut self, now_ms: i64, drop_dir: &Path) {
        let open: Vec<i64> = self
            .import_jobs
            .values()
            .filter(|j| matches!(j.state.as_str(), "QUEUED" | "FILE_COPYING" | "RUNNING"))
            .map(|j| j.id)
            .collect();
        for id in open {
            if let Some(mut job) = self.import_jobs.remove(&id) {
                self.step_import(&mut job, now_ms, drop_dir);
                self.import_jobs.insert(id, job);
            }
        }
    }

    fn step_import(&mut self, job: &mut ImportJobRec, now_ms: i64, drop_dir: &Path) {
        if job.state == "QUEUED" {
            if now_ms < job.start_ms {
                return;
            }
            job.state = "FILE_COPYING".into();
            job.phase_at_ms = job.start_ms + FILE_COPY_MS;
        }
        if job.state == "FILE_COPYING" {
            if now_ms < job.phase_at_ms {
                return;
            }
            let Some(source) = self.data_sources.get(&job.data_source) else {
                return fail(job, "The data source was deleted.".into());
            };
            match read_file(&drop_dir.join(&source.file_path), &source.layout) {
                Ok((columns, rows)) => {
                    job.columns = columns;
                    job.total_rows = rows.len();
                    job.rows = rows;
                    job.state = "RUNNING".into();
                }
                Err(reason) => return fail(job, reason),
            }
        }
        if job.state == "RUNNING" && job.rows.len() < job.total_rows {
            // Loaded from a snapshot (rows are not in snapshots): read the file again and go on
            // from the cursor rather than finishing with part of it.
            let source = self.data_sources.get(&job.data_source).cloned();
            match source.map(|s| read_file(&drop_dir.join(&s.file_path), &s.layout)) {
                Some(Ok((_, rows))) if rows.len() == job.total_rows => job.rows = rows,
                _ => {
                    return fail(
                        job,
                        "The data source file changed during the import.".into(),
                    )
                }
            }
        }
        if job.state == "RUNNING" {
            let due = ((now_ms - job.phase_at_ms).max(0) * ROWS_PER_SEC / 1000) as usize;
            while job.cursor < due.min(job.rows.len()) {
                let row = job.rows[job.cursor].clone();
                job.cursor += 1;
                self.import_row(job, &row, now_ms);
            }
            if job.cursor >= job.rows.len() {
                self.finish_import(job, now_ms);
            }
        }
    }

    fn import_row(&mut self, job: &mut ImportJobRec, row: &ImportRow, now_ms: i64) {
        job.counters[PROCESSED] += 1;
        let Some(list_id) = self.list_by_name(&job.list_name).map(|l| l.id) else {
            job.counters[RUNTIME_ERROR] += 1;
            return;
        };
        let organization = self.lists[&list_id].organization.clone();
        let layout = self
            .data_sources
            .get(&job.data_source)
            .map(|d| d.layout.clone())
            .unwrap_or_default();
        let verdict = classify(self, &organization, &layout, &job.columns, row, &job.seen);
        let (id, attributes) = match verdict {
            Verdict::Counted(counter) => return job.counters[counter] += 1,
            Verdict::Import { id, attributes } => (id, attributes),
        };
        job.seen.insert(id.clone());
        let Some(list) = self.lists.get_mut(&list_id) else {
            return;
        };
        match list.contacts.get_mut(&id) {
            Some(existing) if existing.in_progress_until_ms.is_some_and(|u| u > now_ms) => {
                job.counters[RUNTIME_ERROR] += 1;
            }
            Some(existing) => {
                existing.attributes.extend(attributes);
                job.counters[UPDATE] += 1;
            }
            None => {
                list.contacts.insert(
                    id,
                    ContactRec {
                        attributes,
                        created_ms: now_ms,
                        callable: true,
                        in_progress_until_ms: None,
                    },
                );
                job.counters[SUCCESS] += 1;
            }
        }
        list.last_update_ms = now_ms;
    }

    /// Ends a run: a `replace` data source deletes the list's contacts that the file left out
    /// (contacts being dialled cannot be deleted: runtime errors).
    fn finish_import(&mut self, job: &mut ImportJobRec, now_ms: i64) {
        let replace = self
            .data_sources
            .get(&job.data_source)
            .is_some_and(|d| d.kind == "replace");
        if let (true, Some(list)) = (
            replace,
            self.lists.values_mut().find(|l| l.name == job.list_name),
        ) {
            let doomed: Vec<String> = list
                .contacts
                .keys()
                .filter(|id| !job.seen.contains(*id))
                .cloned()
                .collect();
            for id in doomed {
                if list.contacts[&id]
                    .in_progress_until_ms
                    .is_some_and(|u| u > now_ms)
                {
                    job.counters[RUNTIME_ERROR] += 1;
                } else {
                    list.contacts.remove(&id);
                    job.counters[DELETED] += 1;
                }
            }
            list.last_update_ms = now_ms;
        }
        job.state = "COMPLETED".into();
        job.rows = Vec::new();
    }
}

fn fail(job: &mut ImportJobRec, reason: String) {
    job.state = "ERROR".into();
    job.error = Some(reason);
}

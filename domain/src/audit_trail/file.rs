//! The archive format of one audit month: `audit-YYYY-MM.jsonl.gz` (one JSON line per record with
//! its link, in chain order) and `audit-YYYY-MM.manifest.json` (row count, chain hashes, file
//! checksums). Reading an archive back checks everything the manifest claims.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{hex, AuditMonth};

/// The manifest's `format`: readers refuse any other.
pub const FORMAT: &str = "ocm-audit-archive/1";

/// A record line is at most this long (records hold short texts and small JSON objects), so a
/// damaged or hostile file cannot make a reader allocate without bound.
const MAX_LINE_BYTES: u64 = 1024 * 1024;

/// What went wrong with archiving or restoring a month.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Refused(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// Wraps an I/O error with the path it concerns.
pub fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What an archive holds, written beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub month: String,
    pub file: String,
    pub rows: u64,
    pub first_audit_event_id: Option<i64>,
    pub last_audit_event_id: Option<i64>,
    /// The hash the month's chain starts from.
    pub genesis_hash: String,
    /// The month's last link; `None` for a month without records.
    pub head_hash: Option<String>,
    /// SHA-256 of the uncompressed lines.
    pub content_sha256: String,
    /// SHA-256 of the compressed file as stored.
    pub file_sha256: String,
    pub created_at: String,
}

/// One record line.
#[derive(Debug, Clone, Deserialize)]
pub struct ArchiveLine {
    pub seq: i64,
    pub hash: String,
    /// The record as `to_jsonb(audit_event)` wrote it; read back by `jsonb_populate_record`.
    pub event: serde_json::Value,
}

/// The two file names of a month's archive.
pub fn names(month: AuditMonth) -> (String, String) {
    (
        format!("audit-{month}.jsonl.gz"),
        format!("audit-{month}.manifest.json"),
    )
}

/// The genesis hash of a month's chain, as the database computes it (`audit_chain_genesis`).
pub fn genesis(month: AuditMonth) -> String {
    hex(&Sha256::digest(
        format!("OCM audit chain {month}").as_bytes(),
    ))
}

/// What reading an archive file found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Contents {
    pub rows: u64,
    pub first_audit_event_id: Option<i64>,
    pub last_audit_event_id: Option<i64>,
    pub head_hash: Option<String>,
    pub content_sha256: String,
    pub file_sha256: String,
}

/// Reads an archive file, handing each line to `each` in order; checks that links run 1, 2, 3…
/// and returns the figures to compare with the manifest.
pub fn read(
    path: &Path,
    mut each: impl FnMut(ArchiveLine) -> Result<(), ArchiveError>,
) -> Result<Contents, ArchiveError> {
    let file_sha256 = file_sha256(path)?;
    let file = File::open(path).map_err(io(path))?;
    let mut reader = BufReader::new(GzDecoder::new(file));
    let mut content = Sha256::new();
    let mut found = Contents {
        file_sha256,
        ..Contents::default()
    };
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = reader
            .by_ref()
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut line)
            .map_err(io(path))?;
        if read == 0 {
            break;
        }
        let number = found.rows + 1;
        if line.len() as u64 > MAX_LINE_BYTES {
            return Err(refused(path, number, "is longer than 1 MiB"));
        }
        content.update(&line);
        let record: ArchiveLine = serde_json::from_slice(&line)
            .map_err(|e| refused(path, number, &format!("is not a record line ({e})")))?;
        if u64::try_from(record.seq).ok() != Some(number) {
            return Err(refused(path, number, &format!("holds link {}", record.seq)));
        }
        let id = record.event.get("audit_event_id").and_then(|v| v.as_i64());
        let Some(id) = id else {
            return Err(refused(path, number, "has no audit_event_id"));
        };
        found.first_audit_event_id.get_or_insert(id);
        found.last_audit_event_id = Some(id);
        found.head_hash = Some(record.hash.clone());
        found.rows = number;
        each(record)?;
    }
    found.content_sha256 = hex(&content.finalize());
    Ok(found)
}

fn refused(path: &Path, line: u64, problem: &str) -> ArchiveError {
    ArchiveError::Refused(format!("{}: line {line} {problem}", path.display()))
}

/// SHA-256 of a file as stored.
pub fn file_sha256(path: &Path) -> Result<String, ArchiveError> {
    let mut file = File::open(path).map_err(io(path))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(io(path))?;
    Ok(hex(&hasher.finalize()))
}

/// Compares what a file holds with its manifest, naming the first difference.
pub fn check_against(manifest: &Manifest, found: &Contents) -> Result<(), ArchiveError> {
    let differs = |what: &str, claimed: &dyn std::fmt::Debug, actual: &dyn std::fmt::Debug| {
        Err(ArchiveError::Refused(format!(
            "archive {} does not match its manifest: {what} is {actual:?}, the manifest says {claimed:?}",
            manifest.file
        )))
    };
    if manifest.file_sha256 != found.file_sha256 {
        return differs(
            "the file's SHA-256",
            &manifest.file_sha256,
            &found.file_sha256,
        );
    }
    if manifest.content_sha256 != found.content_sha256 {
        return differs(
            "the content's SHA-256",
            &manifest.content_sha256,
            &found.content_sha256,
        );
    }
    if manifest.rows != found.rows {
        return differs("the row count", &manifest.rows, &found.rows);
    }
    if manifest.head_hash != found.head_hash {
        return differs(
            "the last link's hash",
            &manifest.head_hash,
            &found.head_hash,
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests;

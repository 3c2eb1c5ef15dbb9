//! The archive reader on files written here: what it returns, and what it refuses.

use std::io::Write;

use flate2::write::GzEncoder;

use super::*;

fn write_gz(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    let mut encoder = GzEncoder::new(File::create(&path).unwrap(), flate2::Compression::fast());
    for line in lines {
        encoder.write_all(line.as_bytes()).unwrap();
        encoder.write_all(b"\n").unwrap();
    }
    encoder.finish().unwrap();
    path
}

fn line(seq: i64, id: i64) -> String {
    format!(
        r#"{{"seq":{seq},"hash":"{:064x}","event":{{"audit_event_id":{id}}}}}"#,
        seq
    )
}

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ocm-archive-test-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn an_archive_reads_back_with_its_figures_and_matches_its_manifest() {
    let dir = scratch();
    let path = write_gz(&dir, "a.jsonl.gz", &[line(1, 40), line(2, 41), line(3, 45)]);
    let mut seen = Vec::new();
    let found = read(&path, |l| {
        seen.push(l.seq);
        Ok(())
    })
    .unwrap();
    assert_eq!(seen, vec![1, 2, 3]);
    assert_eq!(found.rows, 3);
    assert_eq!(found.first_audit_event_id, Some(40));
    assert_eq!(found.last_audit_event_id, Some(45));
    assert_eq!(found.head_hash, Some(format!("{:064x}", 3)));
    let manifest = Manifest {
        format: FORMAT.into(),
        month: "2026-01".into(),
        file: "a.jsonl.gz".into(),
        rows: 3,
        first_audit_event_id: Some(40),
        last_audit_event_id: Some(45),
        genesis_hash: genesis(AuditMonth::parse("2026-01").unwrap()),
        head_hash: found.head_hash.clone(),
        content_sha256: found.content_sha256.clone(),
        file_sha256: found.file_sha256.clone(),
        created_at: "2026-02-01T00:00:00Z".into(),
    };
    check_against(&manifest, &found).unwrap();
    let fewer = Manifest {
        rows: 2,
        ..manifest.clone()
    };
    let error = check_against(&fewer, &found).unwrap_err().to_string();
    assert!(
        error.contains("the row count is 3, the manifest says 2"),
        "{error}"
    );
    let other = Manifest {
        file_sha256: "00".into(),
        ..manifest
    };
    let error = check_against(&other, &found).unwrap_err().to_string();
    assert!(error.contains("the file's SHA-256"), "{error}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn missing_links_broken_lines_and_oversized_lines_are_refused_with_their_line() {
    let dir = scratch();
    let gap = write_gz(&dir, "gap.gz", &[line(1, 1), line(3, 3)]);
    let error = read(&gap, |_| Ok(())).unwrap_err().to_string();
    assert!(error.ends_with("line 2 holds link 3"), "{error}");
    let broken = write_gz(&dir, "broken.gz", &[line(1, 1), "{not json".into()]);
    let error = read(&broken, |_| Ok(())).unwrap_err().to_string();
    assert!(error.contains("line 2 is not a record line"), "{error}");
    let long = write_gz(&dir, "long.gz", &["x".repeat(1024 * 1024 + 10)]);
    let error = read(&long, |_| Ok(())).unwrap_err().to_string();
    assert!(error.ends_with("line 1 is longer than 1 MiB"), "{error}");
    let no_id = write_gz(
        &dir,
        "noid.gz",
        &[r#"{"seq":1,"hash":"00","event":{}}"#.into()],
    );
    let error = read(&no_id, |_| Ok(())).unwrap_err().to_string();
    assert!(error.ends_with("line 1 has no audit_event_id"), "{error}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_genesis_hash_names_its_month() {
    let january = genesis(AuditMonth::parse("2026-01").unwrap());
    assert_eq!(january.len(), 64);
    assert_ne!(january, genesis(AuditMonth::parse("2026-02").unwrap()));
}

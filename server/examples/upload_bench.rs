//! Benchmark: a manual contact upload of a 500,000-row CSV (userContactId, first and last name, a
//! mobile number in mixed spellings, an e-mail address, an expiry date DD/MM/YYYY, a balance; about
//! 1% bad rows) through OCM's whole pipeline — the file read, the pre-flight with conversion
//! (`domain::uploads::preflight`) and the SFTP upload (`pom::sftp::SftpClient`) to the
//! simulator's drop on loopback — timed in the same run against a plain OpenSSH `sftp` put of the
//! converted file to the same server, three times each, with the process's peak resident memory.
//! Target: OCM's pipeline at most 3× the plain transfer, peak memory under 300 MB. Needs no
//! database; needs `/usr/bin/ssh-keygen` and `/usr/bin/sftp`. Run with `make bench`.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use domain::tabular::Cancel;
use domain::uploads::preflight::{
    preflight, Attribute, ContactPreflight, DateFormat, OutputLayout, PhoneRules, UploadOptions,
};
use pom::sftp::{SftpAuth, SftpClient, SftpConfig};
use pom_sim::sftp::{load_authorized_keys, spawn_sftp, SftpServerConfig};
use tokio::net::TcpListener;

const ROWS: u64 = 500_000;
const RUNS: usize = 3;
const FIRST_NAMES: [&str; 5] = ["Ann", "Bob", "Chloë", "Dev", "Eve"];
const LAST_NAMES: [&str; 4] = ["Smith", "Jones, Jr", "O'Neil", "Nguyen"];

/// Peak resident memory so far, in MiB (Linux).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Row `i`: one UK mobile number written three ways; every 400 rows, one with letters in the
/// number, one with a date that does not exist, one repeating the previous row's id and one with
/// a broken e-mail address (1%).
fn row(i: u64) -> String {
    let id = if i % 400 == 107 { i - 1 } else { i };
    let mobile = match (i % 400, i % 3) {
        (7, _) => "call me".to_string(),
        (_, 0) => format!("+447{i:09}"),
        (_, 1) => format!("07{:04} {:05}", i / 100_000, i % 100_000),
        _ => format!("0044 7{i:09}"),
    };
    let email = if i % 400 == 157 {
        format!("user{i}@example")
    } else {
        format!("User{i}@Example.com")
    };
    let expiry = if i % 400 == 57 {
        "30/02/2027".to_string()
    } else {
        format!("{:02}/{:02}/{}", 1 + i % 28, 1 + i % 12, 2026 + i % 3)
    };
    let balance = if i.is_multiple_of(2) {
        format!("\"{},{:03}.{:02}\"", 1 + i % 9, i % 1000, i % 100)
    } else {
        format!("{}.{:02}", i % 1000, i % 100)
    };
    format!(
        "C{id:07},{},\"{}\",{mobile},{email},{expiry},{balance}\n",
        FIRST_NAMES[i as usize % FIRST_NAMES.len()],
        LAST_NAMES[i as usize % LAST_NAMES.len()],
    )
}

fn write_csv(path: &Path) {
    let mut file = BufWriter::new(std::fs::File::create(path).unwrap());
    file.write_all(b"Customer ID,First name,Last name,Mobile,Email,Expiry date,Balance\n")
        .unwrap();
    for i in 0..ROWS {
        file.write_all(row(i).as_bytes()).unwrap();
    }
    file.into_inner().unwrap().sync_all().unwrap();
}

fn options() -> UploadOptions {
    UploadOptions {
        delimiter: None,
        sheet: None,
        has_header: None,
        mapping: BTreeMap::new(),
        date_format: DateFormat::DayMonthYear,
        max_rows: ROWS,
        numbers: PhoneRules::demo(),
        collect_addresses_up_to: 0,
        cancel: Cancel::default(),
        erased: Default::default(),
    }
}

/// One run of OCM's pipeline: the stored file read, pre-flighted and converted, then uploaded.
async fn pipeline(
    csv: &Path,
    client: &SftpClient,
    attributes: &[Attribute],
) -> (ContactPreflight, [Duration; 3]) {
    let began = Instant::now();
    let bytes = std::fs::read(csv).unwrap();
    let read = began.elapsed();
    let layout = OutputLayout {
        delimiter: b',',
        header_row: true,
        columns: Vec::new(),
    };
    let checked = preflight(
        "contacts.csv",
        &bytes,
        &options(),
        attributes,
        &layout,
        &HashSet::new(),
    )
    .unwrap();
    drop(bytes);
    let checked_at = began.elapsed();
    client
        .upload(&checked.converted, "bench.csv")
        .await
        .unwrap();
    (
        checked,
        [read, checked_at - read, began.elapsed() - checked_at],
    )
}

/// One plain OpenSSH `sftp` put of `file`, timed from start to exit.
async fn plain_put(dir: &Path, file: &Path, port: u16) -> Duration {
    let batch = dir.join("batch");
    std::fs::write(&batch, format!("put {} plain.csv\n", file.display())).unwrap();
    let began = Instant::now();
    let output = tokio::process::Command::new("/usr/bin/sftp")
        .arg("-b")
        .arg(&batch)
        .arg("-i")
        .arg(dir.join("client_key"))
        .args(["-o", "StrictHostKeyChecking=no"])
        .args(["-o", "UserKnownHostsFile=/dev/null"])
        .args(["-o", "LogLevel=ERROR"])
        .args(["-P", &port.to_string(), "ocm@127.0.0.1"])
        .output()
        .await
        .unwrap();
    let elapsed = began.elapsed();
    assert!(
        output.status.success(),
        "sftp failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

fn seconds(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Minimum and median.
fn spread(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[0], times[times.len() / 2])
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ocm-upload-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::main]
async fn main() {
    let dir = temp_dir();
    let csv = dir.join("contacts.csv");
    write_csv(&csv);
    let size = std::fs::metadata(&csv).unwrap().len();
    println!("CSV: {ROWS} rows, {:.1} MiB", size as f64 / 1_048_576.0);
    let keygen = Command::new("/usr/bin/ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "upload-bench", "-f"])
        .arg(dir.join("client_key"))
        .status()
        .unwrap();
    assert!(keygen.success(), "ssh-keygen failed");
    let server = spawn_sftp(
        TcpListener::bind("127.0.0.1:0").await.unwrap(),
        SftpServerConfig {
            drop_dir: dir.join("drop"),
            users: BTreeMap::from([("ocm".to_string(), "bench-only-password".to_string())]),
            authorized_keys: load_authorized_keys(&dir.join("client_key.pub")).unwrap(),
            host_key: dir.join("host_key"),
            quota_bytes: None,
        },
    )
    .unwrap();
    let port = server.address.port();
    let client = SftpClient::new(SftpConfig {
        host: "127.0.0.1".into(),
        port,
        user: "ocm".into(),
        auth: SftpAuth::Key {
            path: dir.join("client_key"),
            passphrase: None,
        },
        host_key_fingerprint: server.host_key_fingerprint.clone(),
        remote_dir: ".".into(),
        timeout: Duration::from_secs(120),
    });
    let attributes: Vec<Attribute> = pom_sim::demo::catalogue()
        .into_iter()
        .map(|a| Attribute {
            name: a.name,
            pom_type: a.kind,
        })
        .collect();

    let mut ocm = Vec::new();
    let mut plain = Vec::new();
    let mut converted_path = None;
    for run in 1..=RUNS {
        let (checked, [read, check, upload]) = pipeline(&csv, &client, &attributes).await;
        let total = read + check + upload;
        println!(
            "run {run}: OCM {:.3} s (read {:.3} s, pre-flight + conversion {:.3} s, SFTP upload \
             {:.3} s)",
            seconds(total),
            seconds(read),
            seconds(check),
            seconds(upload)
        );
        if run == 1 {
            let reasons: Vec<String> = checked
                .reasons
                .iter()
                .map(|(reason, count)| format!("{count} × {reason}"))
                .collect();
            println!(
                "  {} valid, {} rejected ({}); converted file {:.1} MiB, reject file {:.1} KiB",
                checked.valid,
                checked.rejected,
                reasons.join("; "),
                checked.converted.len() as f64 / 1_048_576.0,
                checked.rejects_csv.len() as f64 / 1024.0
            );
            let uploaded = std::fs::read(dir.join("drop/ocm/bench.csv")).unwrap();
            assert!(
                uploaded == checked.converted,
                "the drop holds what was sent"
            );
            let path = dir.join("converted.csv");
            std::fs::write(&path, &checked.converted).unwrap();
            converted_path = Some(path);
        }
        ocm.push(seconds(total));
        drop(checked);
        let path = converted_path.as_deref().unwrap();
        let put = plain_put(&dir, path, port).await;
        println!("run {run}: plain sftp put {:.3} s", seconds(put));
        plain.push(seconds(put));
    }
    let (ocm_min, ocm_median) = spread(ocm);
    let (plain_min, plain_median) = spread(plain);
    println!("OCM pipeline: min {ocm_min:.3} s, median {ocm_median:.3} s");
    println!("plain sftp put: min {plain_min:.3} s, median {plain_median:.3} s");
    println!(
        "ratio OCM / plain: {:.2}× by median, {:.2}× by min (target ≤ 3×)",
        ocm_median / plain_median,
        ocm_min / plain_min
    );
    println!("peak memory: {:.0} MiB (target < 300 MB)", peak_mib());
    server.task.abort();
    std::fs::remove_dir_all(&dir).unwrap();
}

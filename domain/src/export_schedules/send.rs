//! Sending one delivery: the file by e-mail (attached up to the limit, else a link that needs
//! sign-in), by SFTP (temporary name, rename, size and SHA-256 checked against the run's) to a
//! destination still configured for the organization, or the notice that one failed for good.
//! Errors come back in words for the run's history.

use serde_json::{json, Value};

use super::email::{self, Outgoing};
use super::recipients;
use crate::state::AppState;

/// What one delivery sends.
pub struct Facts<'a> {
    pub delivery_id: i64,
    pub run_id: i64,
    pub organization: &'a str,
    pub kind: &'a str,
    pub destination: &'a str,
    pub schedule_name: &'a str,
    pub report: &'a str,
    pub period: (&'a str, &'a str),
    pub rows: Option<i64>,
    pub sha256: Option<&'a str>,
    /// The file's name for people and where it is kept; none once erased.
    pub file: Option<(&'a str, &'a str)>,
    pub bytes: i64,
    /// A failure notice's facts (what failed, to where, why).
    pub notice: Option<&'a Value>,
}

fn download_link(state: &AppState, run_id: i64) -> String {
    let base = state
        .settings
        .exports
        .public_url
        .clone()
        .unwrap_or_default();
    format!(
        "{}/reports/schedules/runs/{run_id}/file",
        base.trim_end_matches('/')
    )
}

/// Sends the delivery; what was done (for the history) or the error in words.
pub async fn send(state: &AppState, facts: Facts<'_>) -> Result<Value, String> {
    match facts.kind {
        "email" => by_email(state, &facts).await,
        "sftp" => by_sftp(state, &facts).await,
        "notice" => notice(state, &facts).await,
        other => Err(format!("OCM does not know how to deliver by {other}.")),
    }
}

fn content_type(name: &str) -> &'static str {
    if name.ends_with(".xlsx") {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else {
        "text/csv; charset=utf-8"
    }
}

async fn by_email(state: &AppState, facts: &Facts<'_>) -> Result<Value, String> {
    let settings = &state.settings.exports;
    let smtp = settings
        .smtp
        .as_ref()
        .ok_or("OCM has no mail server set up (OCM_SMTP_HOST).")?;
    let listed: Vec<String> = facts
        .destination
        .split(',')
        .map(|a| a.trim().to_string())
        .collect();
    let to = recipients::recipients(&listed, settings).map_err(|e| e.to_string())?;
    let (name, path) = facts
        .file
        .ok_or("The run's file was erased before it could be sent.")?;
    let (from, until) = facts.period;
    let mut text = format!(
        "The scheduled export “{}” ran: the {} report for {from} to {until}, {} rows, {} bytes.\nSHA-256: {}\n\n",
        facts.schedule_name,
        facts.report,
        facts.rows.unwrap_or_default(),
        facts.bytes,
        facts.sha256.unwrap_or("-"),
    );
    let attachable = u64::try_from(facts.bytes).unwrap_or(u64::MAX) <= settings.attach_max_bytes;
    let attachment = if attachable {
        let path = settings.dir.join(path);
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|e| format!("The file {name} cannot be read from the exports folder: {e}."))?;
        text.push_str(&format!("The file {name} is attached.\n"));
        Some((name.to_string(), content_type(name), bytes))
    } else {
        text.push_str(&format!(
            "The file {name} is larger than the attachment limit: download it (sign-in needed) at {}\n",
            download_link(state, facts.run_id)
        ));
        None
    };
    let outgoing = Outgoing {
        to,
        message_id: format!("ocm-export-delivery-{}", facts.delivery_id),
        subject: format!("{}: {from} to {until}", facts.schedule_name),
        text,
        attachment,
    };
    let message_id = email::send(smtp, outgoing).await?;
    let how = if attachable { "attached" } else { "as a link" };
    Ok(json!({ "how": how, "message_id": message_id }))
}

async fn by_sftp(state: &AppState, facts: &Facts<'_>) -> Result<Value, String> {
    let settings = &state.settings.exports;
    let name = recipients::sftp_destination(Some(facts.destination), facts.organization, settings)
        .map_err(|_| {
            format!(
                "The SFTP destination {} is no longer configured for {}.",
                facts.destination, facts.organization
            )
        })?
        .unwrap_or_default();
    let destination = settings
        .destinations
        .iter()
        .find(|d| d.name == name)
        .ok_or_else(|| format!("The SFTP destination {name} is no longer configured."))?;
    let (file_name, path) = facts
        .file
        .ok_or("The run's file was erased before it could be sent.")?;
    // The run's id in the name: runs of different schedules or organizations sharing a
    // destination never replace each other's files.
    let remote = match file_name.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}-run{}.{extension}", facts.run_id),
        None => format!("{file_name}-run{}", facts.run_id),
    };
    let client = pom::sftp::SftpClient::new(destination.sftp.clone());
    let report = client
        .upload_file(&settings.dir.join(path), &remote)
        .await
        .map_err(|e| format!("SFTP to {name}: {e}"))?;
    if facts.sha256.is_some_and(|sha| sha != report.sha256) {
        return Err(format!(
            "SFTP to {name}: the file sent is not the file the run wrote (its SHA-256 differs)."
        ));
    }
    Ok(json!({ "how": report.remote_path, "bytes": report.bytes }))
}

async fn notice(state: &AppState, facts: &Facts<'_>) -> Result<Value, String> {
    let settings = &state.settings.exports;
    let smtp = settings
        .smtp
        .as_ref()
        .ok_or("OCM has no mail server set up (OCM_SMTP_HOST).")?;
    let failed = facts.notice.cloned().unwrap_or_default();
    let history = format!(
        "{}/reports/schedules",
        settings
            .public_url
            .clone()
            .unwrap_or_default()
            .trim_end_matches('/')
    );
    let error = failed["error"].as_str().unwrap_or("?");
    let (subject, text) = if failed["failed"] == "run" {
        (
            format!("OCM could not run “{}”", facts.schedule_name),
            format!(
                "Run {} of the scheduled export “{}” produced no file.\n\nWhy: {error}\n\nThe schedule's history: {history}\n",
                facts.run_id, facts.schedule_name,
            ),
        )
    } else {
        (
            format!("OCM could not deliver “{}”", facts.schedule_name),
            format!(
                "OCM gave up delivering run {} of the scheduled export “{}” by {} to {} after several attempts.\n\nThe last error: {error}\n\nThe file can still be downloaded from the schedule's history while it is kept: {history}\n",
                facts.run_id,
                facts.schedule_name,
                failed["failed"].as_str().unwrap_or("?"),
                failed["to"].as_str().unwrap_or("?"),
            ),
        )
    };
    let outgoing = Outgoing {
        to: vec![facts.destination.to_string()],
        message_id: format!("ocm-export-delivery-{}", facts.delivery_id),
        subject,
        text,
        attachment: None,
    };
    let message_id = email::send(smtp, outgoing).await?;
    Ok(json!({ "how": "notice sent", "message_id": message_id }))
}

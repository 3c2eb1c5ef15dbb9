//! The scheduled exports' lines of the effective configuration: folder, retention, attachment
//! limit, mail server and SFTP destinations, with the mail password hidden.

use super::hidden;

/// Scheduled exports' settings: the folder, retention, mail server (password hidden) and the SFTP
/// destinations (their sign-in method, never the secret).
pub(super) fn export_lines(
    exports: &domain::settings::ExportSettings,
) -> Vec<(&'static str, String)> {
    let mut lines = vec![
        ("OCM_EXPORT_DIR", exports.dir.display().to_string()),
        (
            "OCM_EXPORT_RETENTION_DAYS",
            exports.retention_days.to_string(),
        ),
        (
            "OCM_EXPORT_ATTACH_MAX_MB",
            (exports.attach_max_bytes / 1_048_576).to_string(),
        ),
        (
            "OCM_EXPORT_DELIVERY_ATTEMPTS",
            exports.delivery_attempts.to_string(),
        ),
        (
            "OCM_EXPORT_RETRY_SECONDS",
            exports.retry_base.as_secs().to_string(),
        ),
        (
            "OCM_EXPORT_EMAIL_DOMAINS",
            if exports.email_domains.is_empty() {
                "(any)".into()
            } else {
                exports.email_domains.join(", ")
            },
        ),
    ];
    match &exports.smtp {
        Some(smtp) => {
            lines.push((
                "OCM_SMTP_HOST",
                format!("{}:{} ({:?})", smtp.host, smtp.port, smtp.security),
            ));
            lines.push((
                "OCM_SMTP_USER",
                smtp.credentials
                    .as_ref()
                    .map_or("(not set)".into(), |(u, _)| u.clone()),
            ));
            lines.push(("OCM_SMTP_PASSWORD", hidden(smtp.credentials.is_some())));
            lines.push(("OCM_SMTP_FROM", smtp.from.clone()));
        }
        None => lines.push(("OCM_SMTP_HOST", "(not set: schedules cannot e-mail)".into())),
    }
    let destinations: Vec<String> = exports
        .destinations
        .iter()
        .map(|d| {
            let whose = d.organization.as_deref().unwrap_or("every organization");
            format!(
                "{} ({}@{}:{} {}, {whose})",
                d.name, d.sftp.user, d.sftp.host, d.sftp.port, d.sftp.remote_dir
            )
        })
        .collect();
    lines.push((
        "OCM_EXPORT_SFTP_DESTINATIONS",
        if destinations.is_empty() {
            "(none)".into()
        } else {
            destinations.join("; ")
        },
    ));
    lines
}

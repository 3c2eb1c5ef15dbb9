//! Settings for scheduled exports: the exports folder and its retention, the mail server
//! (`OCM_SMTP_*`), the attachment limit and recipient domains, and the SFTP destinations admins
//! name (`OCM_EXPORT_SFTP_DESTINATIONS=finance,backup`, each read from
//! `OCM_EXPORT_SFTP_<NAME>_HOST` and the rest, as the drop's `OCM_SFTP_*` are).

use std::time::Duration;

use domain::settings::{ExportDestination, ExportSettings, SmtpSecurity, SmtpSettings};

use super::drop::{sftp_at, text};
use super::read::{number, url};
use super::{problem, ConfigError};

/// Reads the export settings (defaults in `ExportSettings::default`).
pub fn exports(lookup: &dyn Fn(&str) -> Option<String>) -> Result<ExportSettings, ConfigError> {
    let defaults = ExportSettings::default();
    let dir = match lookup("OCM_EXPORT_DIR").map(|v| v.trim().to_string()) {
        None => defaults.dir,
        Some(dir) if dir.is_empty() => {
            return Err(problem(
                "OCM_EXPORT_DIR",
                "is empty: name the folder scheduled exports' files are kept in",
            ))
        }
        Some(dir) => dir.into(),
    };
    let smtp = smtp(lookup)?;
    let email_domains = email_domains(lookup, smtp.as_ref());
    let public_url = text(lookup, "OCM_PUBLIC_URL")
        .map(|v| url("OCM_PUBLIC_URL", &v))
        .transpose()?;
    if smtp.is_some() && public_url.is_none() {
        return Err(problem(
            "OCM_PUBLIC_URL",
            "is required when OCM_SMTP_HOST is set: e-mails link to OCM (the file, the schedule's history)",
        ));
    }
    Ok(ExportSettings {
        dir,
        retention_days: number(
            lookup,
            "OCM_EXPORT_RETENTION_DAYS",
            defaults.retention_days,
            1..=3660,
        )?,
        smtp,
        attach_max_bytes: 1_048_576 * number(lookup, "OCM_EXPORT_ATTACH_MAX_MB", 10_u64, 0..=100)?,
        email_domains,
        destinations: destinations(lookup)?,
        public_url,
        delivery_attempts: number(
            lookup,
            "OCM_EXPORT_DELIVERY_ATTEMPTS",
            defaults.delivery_attempts,
            1..=20,
        )?,
        retry_base: Duration::from_secs(number(
            lookup,
            "OCM_EXPORT_RETRY_SECONDS",
            defaults.retry_base.as_secs(),
            1..=3_600,
        )?),
    })
}

/// The domains recipients may be at: `OCM_EXPORT_EMAIL_DOMAINS`, or when unset the sender's
/// own domain (files stay inside the company unless admins say otherwise); `*` (empty): any.
fn email_domains(
    lookup: &dyn Fn(&str) -> Option<String>,
    smtp: Option<&SmtpSettings>,
) -> Vec<String> {
    match text(lookup, "OCM_EXPORT_EMAIL_DOMAINS") {
        Some(listed) if listed == "*" => Vec::new(),
        Some(listed) => listed
            .split(',')
            .map(|d| d.trim().trim_start_matches('@').to_ascii_lowercase())
            .filter(|d| !d.is_empty())
            .collect(),
        None => smtp
            .and_then(|s| s.from.parse::<lettre::message::Mailbox>().ok())
            .map(|m| vec![m.email.domain().to_ascii_lowercase()])
            .unwrap_or_default(),
    }
}

/// The mail server; `None` when `OCM_SMTP_HOST` is unset.
fn smtp(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Option<SmtpSettings>, ConfigError> {
    let Some(host) = text(lookup, "OCM_SMTP_HOST") else {
        return Ok(None);
    };
    let security = match text(lookup, "OCM_SMTP_SECURITY").as_deref() {
        None | Some("starttls") => SmtpSecurity::StartTls,
        Some("tls") => SmtpSecurity::Tls,
        Some("none") => SmtpSecurity::None,
        Some(other) => {
            return Err(problem(
                "OCM_SMTP_SECURITY",
                format!("'{other}' is not starttls, tls or none"),
            ))
        }
    };
    let default_port = if security == SmtpSecurity::Tls {
        465
    } else {
        587
    };
    let credentials = match (
        text(lookup, "OCM_SMTP_USER"),
        lookup("OCM_SMTP_PASSWORD").filter(|v| !v.is_empty()),
    ) {
        (Some(user), Some(password)) => Some((user, password)),
        (None, None) => None,
        (Some(_), None) => {
            return Err(problem(
                "OCM_SMTP_PASSWORD",
                "is required when OCM_SMTP_USER is set",
            ))
        }
        (None, Some(_)) => {
            return Err(problem(
                "OCM_SMTP_USER",
                "is required when OCM_SMTP_PASSWORD is set",
            ))
        }
    };
    if credentials.is_some() && security == SmtpSecurity::None {
        return Err(problem(
            "OCM_SMTP_SECURITY",
            "is none, but a password would then cross the network in clear: use starttls or tls",
        ));
    }
    let from = text(lookup, "OCM_SMTP_FROM").ok_or_else(|| {
        problem(
            "OCM_SMTP_FROM",
            "is required when OCM_SMTP_HOST is set: the sender, such as OCM <ocm@example.com>",
        )
    })?;
    if from.parse::<lettre::message::Mailbox>().is_err() {
        return Err(problem(
            "OCM_SMTP_FROM",
            format!("'{from}' is not an e-mail address"),
        ));
    }
    Ok(Some(SmtpSettings {
        host,
        port: number(lookup, "OCM_SMTP_PORT", default_port, 1..=65_535)?,
        security,
        credentials,
        from,
        ca_file: text(lookup, "OCM_SMTP_CA_FILE").map(Into::into),
        timeout: Duration::from_secs(number(lookup, "OCM_SMTP_TIMEOUT_SECONDS", 30_u64, 1..=600)?),
    }))
}

/// The SFTP destinations named in `OCM_EXPORT_SFTP_DESTINATIONS`.
fn destinations(
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<ExportDestination>, ConfigError> {
    let Some(names) = text(lookup, "OCM_EXPORT_SFTP_DESTINATIONS") else {
        return Ok(Vec::new());
    };
    let mut destinations: Vec<ExportDestination> = Vec::new();
    for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(problem(
                "OCM_EXPORT_SFTP_DESTINATIONS",
                format!("'{name}': a destination's name is letters, digits and _"),
            ));
        }
        if destinations
            .iter()
            .any(|d| d.name.eq_ignore_ascii_case(name))
        {
            return Err(problem(
                "OCM_EXPORT_SFTP_DESTINATIONS",
                format!("'{name}' is named twice"),
            ));
        }
        let prefix = format!("OCM_EXPORT_SFTP_{}", name.to_ascii_uppercase());
        let sftp = sftp_at(lookup, &prefix)?.ok_or_else(|| {
            problem(
                format!("{prefix}_HOST"),
                format!("is required: {name} is in OCM_EXPORT_SFTP_DESTINATIONS"),
            )
        })?;
        destinations.push(ExportDestination {
            name: name.to_string(),
            organization: text(lookup, &format!("{prefix}_ORGANIZATION")),
            sftp,
        });
    }
    Ok(destinations)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::config::read::pairs as lookup;

    #[test]
    fn export_settings_default_and_refuse_what_cannot_work() {
        let defaults = exports(&lookup(&[])).unwrap();
        assert_eq!(defaults.retention_days, 30);
        assert!(defaults.smtp.is_none() && defaults.destinations.is_empty());
        for (pairs, var) in [
            (
                &[("OCM_EXPORT_RETENTION_DAYS", "0")][..],
                "OCM_EXPORT_RETENTION_DAYS",
            ),
            (&[("OCM_EXPORT_DIR", " ")][..], "OCM_EXPORT_DIR"),
            (&[("OCM_SMTP_HOST", "mail")][..], "OCM_SMTP_FROM"),
            (
                &[
                    ("OCM_SMTP_HOST", "mail"),
                    ("OCM_SMTP_FROM", "not an address"),
                ][..],
                "OCM_SMTP_FROM",
            ),
            (
                &[
                    ("OCM_SMTP_HOST", "mail"),
                    ("OCM_SMTP_FROM", "ocm@x.example"),
                    ("OCM_SMTP_USER", "u"),
                ][..],
                "OCM_SMTP_PASSWORD",
            ),
            (
                &[
                    ("OCM_SMTP_HOST", "mail"),
                    ("OCM_SMTP_FROM", "ocm@x.example"),
                ][..],
                "OCM_PUBLIC_URL",
            ),
            (
                &[
                    ("OCM_SMTP_HOST", "mail"),
                    ("OCM_SMTP_FROM", "ocm@x.example"),
                    ("OCM_SMTP_USER", "u"),
                    ("OCM_SMTP_PASSWORD", "p"),
                    ("OCM_SMTP_SECURITY", "none"),
                ][..],
                "OCM_SMTP_SECURITY",
            ),
            (
                &[("OCM_EXPORT_SFTP_DESTINATIONS", "finance")][..],
                "OCM_EXPORT_SFTP_FINANCE_HOST",
            ),
            (
                &[("OCM_EXPORT_SFTP_DESTINATIONS", "fin/ance")][..],
                "OCM_EXPORT_SFTP_DESTINATIONS",
            ),
            (
                &[
                    ("OCM_EXPORT_SFTP_DESTINATIONS", "finance"),
                    ("OCM_EXPORT_SFTP_FINANCE_HOST", "h"),
                    ("OCM_EXPORT_SFTP_FINANCE_USER", "u"),
                    ("OCM_EXPORT_SFTP_FINANCE_PASSWORD", "p"),
                ][..],
                "OCM_EXPORT_SFTP_FINANCE_HOST_KEY",
            ),
        ] {
            let error = exports(&lookup(pairs)).unwrap_err();
            assert_eq!(error.var, var, "{pairs:?}");
        }
        let sender_only = exports(&lookup(&[
            ("OCM_SMTP_HOST", "mail.example"),
            ("OCM_SMTP_FROM", "OCM <ocm@Example.com>"),
            ("OCM_PUBLIC_URL", "https://ocm.example.com"),
        ]))
        .unwrap();
        assert_eq!(
            sender_only.email_domains,
            ["example.com"],
            "the sender's domain by default"
        );
        let any = exports(&lookup(&[
            ("OCM_SMTP_HOST", "mail.example"),
            ("OCM_SMTP_FROM", "ocm@example.com"),
            ("OCM_PUBLIC_URL", "https://ocm.example.com"),
            ("OCM_EXPORT_EMAIL_DOMAINS", "*"),
        ]))
        .unwrap();
        assert!(any.email_domains.is_empty(), "* allows any domain");
        let set = exports(&lookup(&[
            ("OCM_PUBLIC_URL", "https://ocm.example.com"),
            ("OCM_SMTP_HOST", "mail.example"),
            ("OCM_SMTP_FROM", "OCM <ocm@example.com>"),
            ("OCM_SMTP_USER", "ocm"),
            ("OCM_SMTP_PASSWORD", "s3cret-pass"),
            ("OCM_SMTP_SECURITY", "tls"),
            ("OCM_EXPORT_EMAIL_DOMAINS", "Example.com, @partner.example"),
            ("OCM_EXPORT_SFTP_DESTINATIONS", "finance"),
            ("OCM_EXPORT_SFTP_FINANCE_HOST", "sftp.example"),
            ("OCM_EXPORT_SFTP_FINANCE_USER", "u"),
            ("OCM_EXPORT_SFTP_FINANCE_PASSWORD", "p"),
            ("OCM_EXPORT_SFTP_FINANCE_HOST_KEY", "SHA256:abc"),
            ("OCM_EXPORT_SFTP_FINANCE_DIR", "/in"),
            ("OCM_EXPORT_SFTP_FINANCE_ORGANIZATION", "Sales"),
        ]))
        .unwrap();
        let smtp = set.smtp.unwrap();
        assert_eq!((smtp.port, smtp.security), (465, SmtpSecurity::Tls));
        assert!(!format!("{smtp:?}").contains("s3cret-pass"));
        assert_eq!(set.email_domains, ["example.com", "partner.example"]);
        assert_eq!(set.destinations[0].sftp.remote_dir, "/in");
        assert_eq!(set.destinations[0].organization.as_deref(), Some("Sales"));
    }
}

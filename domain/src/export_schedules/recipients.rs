//! Where a schedule's files may go, checked when it is saved (pure): e-mail addresses (real
//! addresses, at most [`MAX_RECIPIENTS`], at the domains admins allow), the address told of a
//! failed delivery, and an SFTP destination admins configured for the schedule's organization.
//! Nobody can type a server of their own: files leave OCM only where admins said they may.

use email_address::{EmailAddress, Options};

use crate::error::AppError;
use crate::settings::ExportSettings;

/// Recipients of one schedule at most.
pub const MAX_RECIPIENTS: usize = 20;

/// The longest address (RFC 5321's path limit).
const MAX_ADDRESS: usize = 254;

fn address(field: &str, raw: &str, settings: &ExportSettings) -> Result<String, AppError> {
    let options = Options::default()
        .with_required_tld()
        .without_domain_literal()
        .without_display_text();
    let address = raw.trim().to_ascii_lowercase();
    let shown: String = address.chars().take(60).collect();
    // Quoted local parts are valid but no mail client shows them right: plain addresses only.
    if address.len() > MAX_ADDRESS || address.contains(['"', ',', ';']) {
        return Err(AppError::validation(
            field,
            format!("“{shown}” is not an e-mail address OCM sends to."),
        ));
    }
    let parsed = EmailAddress::parse_with_options(&address, options)
        .map_err(|_| AppError::validation(field, format!("“{shown}” is not an e-mail address.")))?;
    let domain = parsed.domain().to_string();
    if !settings.email_domains.is_empty() && !settings.email_domains.contains(&domain) {
        return Err(AppError::validation(
            field,
            format!(
                "{address}: files may only be sent to addresses at {}.",
                settings.email_domains.join(", ")
            ),
        ));
    }
    Ok(address)
}

fn mail_server(field: &str, settings: &ExportSettings) -> Result<(), AppError> {
    match settings.smtp {
        Some(_) => Ok(()),
        None => Err(AppError::validation(
            field,
            "OCM has no mail server to send with (OCM_SMTP_HOST): ask an admin, or download the files.",
        )),
    }
}

/// The recipients, trimmed, lower-cased and without repeats.
pub fn recipients(raw: &[String], settings: &ExportSettings) -> Result<Vec<String>, AppError> {
    // Counted before anything is parsed: a long list costs nothing.
    if raw.iter().filter(|r| !r.trim().is_empty()).count() > MAX_RECIPIENTS {
        return Err(AppError::validation(
            "recipients",
            format!("At most {MAX_RECIPIENTS} recipients."),
        ));
    }
    let mut kept: Vec<String> = Vec::new();
    for one in raw.iter().filter(|r| !r.trim().is_empty()) {
        let address = address("recipients", one, settings)?;
        if !kept.contains(&address) {
            kept.push(address);
        }
    }
    if !kept.is_empty() {
        mail_server("recipients", settings)?;
    }
    Ok(kept)
}

/// The address told when a delivery fails for good.
pub fn notify_email(
    raw: Option<&str>,
    settings: &ExportSettings,
) -> Result<Option<String>, AppError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(raw) => {
            let address = address("notify_email", raw, settings)?;
            mail_server("notify_email", settings)?;
            Ok(Some(address))
        }
    }
}

/// The destinations a schedule of `organization` may use.
pub fn destinations_for<'a>(settings: &'a ExportSettings, organization: &str) -> Vec<&'a str> {
    settings
        .destinations
        .iter()
        .filter(|d| d.organization.as_deref().is_none_or(|o| o == organization))
        .map(|d| d.name.as_str())
        .collect()
}

/// The SFTP destination, by its configured name, if the organization may use it.
pub fn sftp_destination(
    raw: Option<&str>,
    organization: &str,
    settings: &ExportSettings,
) -> Result<Option<String>, AppError> {
    let Some(name) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    destinations_for(settings, organization)
        .into_iter()
        .find(|d| d.eq_ignore_ascii_case(name))
        .map(|d| Some(d.to_string()))
        .ok_or_else(|| {
            AppError::validation(
                "sftp_destination",
                format!(
                    "There is no SFTP destination {} for {organization}.",
                    super::checks::shown(name)
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{ExportDestination, SmtpSecurity, SmtpSettings};

    fn settings(domains: &[&str]) -> ExportSettings {
        let sftp = pom::sftp::SftpConfig {
            host: "h".into(),
            port: 22,
            user: "u".into(),
            auth: pom::sftp::SftpAuth::Password("p".into()),
            host_key_fingerprint: "SHA256:x".into(),
            remote_dir: String::new(),
            timeout: std::time::Duration::from_secs(5),
        };
        ExportSettings {
            smtp: Some(SmtpSettings {
                host: "mail".into(),
                port: 587,
                security: SmtpSecurity::StartTls,
                credentials: None,
                from: "ocm@example.com".into(),
                ca_file: None,
                timeout: std::time::Duration::from_secs(5),
            }),
            email_domains: domains.iter().map(|d| d.to_string()).collect(),
            destinations: vec![
                ExportDestination {
                    name: "finance".into(),
                    organization: Some("Sales".into()),
                    sftp: sftp.clone(),
                },
                ExportDestination {
                    name: "archive".into(),
                    organization: None,
                    sftp,
                },
            ],
            ..ExportSettings::default()
        }
    }

    fn field_of(error: AppError) -> String {
        match error {
            AppError::Validation { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn recipients_are_real_addresses_at_allowed_domains() {
        let open = settings(&[]);
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            recipients(
                &list(&[
                    " Ann@Example.com",
                    "ann@example.com",
                    "",
                    "bo@partner.example"
                ]),
                &open
            )
            .unwrap(),
            ["ann@example.com", "bo@partner.example"]
        );
        assert_eq!(
            field_of(recipients(&list(&["not an address"]), &open).unwrap_err()),
            "recipients"
        );
        assert_eq!(
            field_of(recipients(&list(&["a@[127.0.0.1]"]), &open).unwrap_err()),
            "recipients"
        );
        let many: Vec<String> = (0..21).map(|i| format!("p{i}@example.com")).collect();
        assert_eq!(
            field_of(recipients(&many, &open).unwrap_err()),
            "recipients"
        );
        let closed = settings(&["example.com"]);
        assert_eq!(
            field_of(recipients(&list(&["x@elsewhere.example"]), &closed).unwrap_err()),
            "recipients"
        );
        let no_mail = ExportSettings {
            smtp: None,
            ..settings(&[])
        };
        assert_eq!(
            field_of(recipients(&list(&["a@example.com"]), &no_mail).unwrap_err()),
            "recipients"
        );
        assert!(
            recipients(&[], &no_mail).unwrap().is_empty(),
            "no e-mail needs no server"
        );
        assert_eq!(
            field_of(notify_email(Some("nope"), &open).unwrap_err()),
            "notify_email"
        );
    }

    #[test]
    fn destinations_are_the_configured_ones_of_the_organization() {
        let set = settings(&[]);
        assert_eq!(destinations_for(&set, "Sales"), ["finance", "archive"]);
        assert_eq!(destinations_for(&set, "Collections"), ["archive"]);
        assert_eq!(
            sftp_destination(Some("FINANCE"), "Sales", &set)
                .unwrap()
                .as_deref(),
            Some("finance")
        );
        assert_eq!(
            field_of(sftp_destination(Some("finance"), "Collections", &set).unwrap_err()),
            "sftp_destination"
        );
        assert_eq!(
            field_of(sftp_destination(Some("sftp://evil.example"), "Sales", &set).unwrap_err()),
            "sftp_destination"
        );
        assert_eq!(sftp_destination(Some(" "), "Sales", &set).unwrap(), None);
    }
}

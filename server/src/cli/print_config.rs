//! The effective configuration as named lines, secrets hidden and URLs without credentials: what
//! `ocm check-config` prints and what the admins' settings page shows (the same list).

mod exports;

use secrecy::ExposeSecret;
use types::model::ConfigLine;

use crate::config::Config;
use crate::startup;
use exports::export_lines;

fn hidden(set: bool) -> String {
    if set { "(set, hidden)" } else { "(not set)" }.into()
}

fn optional_url(value: Option<&str>) -> String {
    value.map_or("(not set)".into(), startup::redact)
}

/// Every setting OCM runs with, in the order the README lists them.
pub fn config_lines(config: &Config) -> Vec<ConfigLine> {
    let mut lines = Vec::new();
    let mut add = |name: &str, value: String| {
        lines.push(ConfigLine {
            name: name.into(),
            value,
        })
    };
    add(
        "DATABASE_URL",
        startup::redact(config.database_url.expose_secret()),
    );
    add(
        "OCM_DATABASE_MAX_CONNECTIONS",
        config.database_max_connections.to_string(),
    );
    add(
        "OCM_SESSION_IDLE_SECS",
        config.session_idle.as_secs().to_string(),
    );
    add(
        "OCM_SESSION_WARNING_SECS",
        config.session_warning.as_secs().to_string(),
    );
    add(
        "OCM_LOGIN_MAX_FAILURES",
        config.throttle.max_failures.to_string(),
    );
    add(
        "OCM_LOGIN_WINDOW_SECS",
        config.throttle.window.as_secs().to_string(),
    );
    add(
        "OCM_LOGIN_LOCKOUT_SECS",
        config.throttle.lockout.as_secs().to_string(),
    );
    add(
        "OCM_LOGIN_ADDRESS_MAX_FAILURES",
        config.throttle.address_max_failures.to_string(),
    );
    add(
        "OCM_LOGIN_SLOW_MAX_SECS",
        config.throttle.slow_max_wait.as_secs().to_string(),
    );
    add("OCM_PUBLIC_URL", optional_url(config.public_url.as_deref()));
    match &config.pom {
        Some(pom) => {
            add("OCM_POM_BASE_URL", startup::redact(&pom.base_url));
            add(
                "OCM_POM_USER",
                pom.user.clone().unwrap_or_else(|| "(not set)".into()),
            );
            add("OCM_POM_PASSWORD", hidden(pom.password.is_some()));
            add("OCM_POM_VERIFY_TLS", pom.verify_tls.to_string());
            add("OCM_POM_TIMEOUT_SECONDS", pom.timeout.as_secs().to_string());
        }
        None => add("OCM_POM_BASE_URL", "(not set: demo mode)".into()),
    }
    add("OCM_DEMO_PASSWORD", hidden(config.demo_password.is_some()));
    let phone = &config.phone;
    let region = if phone.demo_default {
        format!("{} (demo mode's)", phone.region.id())
    } else {
        phone.region.id().to_string()
    };
    add("OCM_PHONE_REGION", region);
    add("OCM_POM_PHONE_FORMAT", phone.format.as_str().into());
    add(
        "OCM_UPLOAD_INVALID_PHONES",
        match phone.invalid_uploads {
            domain::phone::InvalidPhones::Flag => "flag",
            domain::phone::InvalidPhones::Refuse => "refuse",
        }
        .into(),
    );
    add(
        "OCM_POM_FEED_URL",
        optional_url(config.call_data.feed_url.as_deref()),
    );
    add(
        "OCM_CALL_DATA_IMPORT_DIR",
        config
            .call_data
            .import_dir
            .as_ref()
            .map_or("(not set)".to_string(), |d| d.display().to_string()),
    );
    add("OCM_REPORT_TIME_ZONE", config.call_data.time_zone.clone());
    add(
        "OCM_COMPLIANCE_AMD_FALSE_POSITIVE_PERCENT",
        config.call_data.amd_false_positive_percent.to_string(),
    );
    add("OCM_REPORT_NSP_CODES", config.call_data.nsp_codes.join(","));
    add("OCM_REPORT_NTC_CODES", config.call_data.ntc_codes.join(","));
    add(
        "OCM_REPORT_DNC_REQUEST_CODES",
        config.call_data.dnc_request_codes.join(","),
    );
    add(
        "OCM_CALL_DATA_EVERY_MS",
        config.call_data.every.as_millis().to_string(),
    );
    add("OCM_CALL_DATA_PAGE", config.call_data.page.to_string());
    add(
        "OCM_CALL_DATA_RETENTION_MONTHS",
        config.call_data.retention_months.to_string(),
    );
    add(
        "OCM_PURGE_CONCURRENCY",
        config.purge.concurrency.to_string(),
    );
    add(
        "OCM_PURGE_RATE_PER_SECOND",
        config.purge.rate_per_second.to_string(),
    );
    add(
        "OCM_SNAPSHOT_RETENTION_DAYS",
        (config.purge.snapshot_retention.as_secs() / 86_400).to_string(),
    );
    add("OCM_JOB_PARALLEL", config.jobs.parallel.to_string());
    add(
        "OCM_JOB_STALE_AFTER_SECONDS",
        config.jobs.stale_after.as_secs().to_string(),
    );
    add("OCM_POM_TIME_ZONE", config.campaigns.time_zone.clone());
    add(
        "OCM_API_TOKEN_SECONDS",
        config.api.token_lifetime.as_secs().to_string(),
    );
    add(
        "OCM_API_RATE_PER_MINUTE",
        config.api.rate_per_minute.to_string(),
    );
    add(
        "OCM_API_MAX_BODY_BYTES",
        config.api.max_body_bytes.to_string(),
    );
    add(
        "OCM_WEBHOOK_PRIVATE_ADDRESSES",
        if config.api.webhook_private_addresses {
            "allow"
        } else {
            "refuse"
        }
        .to_string(),
    );
    add(
        "OCM_UPLOAD_RETENTION_DAYS",
        (config.uploads.retention.as_secs() / 86_400).to_string(),
    );
    add(
        "OCM_PREFLIGHT_PARALLEL",
        config.preflight_parallel.to_string(),
    );
    add(
        "OCM_AUDIT_ONLINE_MONTHS",
        config.audit.online_months.to_string(),
    );
    add(
        "OCM_AUDIT_ARCHIVE_DIR",
        config.audit.archive_dir.display().to_string(),
    );
    add(
        "OCM_AUDIT_ARCHIVE_YEARS",
        config.audit.archive_years.to_string(),
    );
    for (name, value) in export_lines(&config.exports) {
        add(name, value);
    }
    add("OCM_ERASURE_KEY", config.erasure_key.describe());
    add("OCM_LOG_FORMAT", format!("{:?}", config.log_format));
    add("OCM_METRICS", config.metrics.describe().to_string());
    add("OCM_SIM_LISTEN", config.simulator_listen.to_string());
    add(
        "OCM_SIM_SFTP_LISTEN",
        config.simulator_sftp_listen.to_string(),
    );
    add(
        "OCM_DEMO_DIALLING_HOURS",
        config.demo_dialling_hours.to_string(),
    );
    match &config.sftp {
        Some(sftp) => {
            add("OCM_SFTP_HOST", format!("{}:{}", sftp.host, sftp.port));
            add("OCM_SFTP_USER", sftp.user.clone());
            let how = match &sftp.auth {
                pom::sftp::SftpAuth::Password(_) => "password (set, hidden)".to_string(),
                pom::sftp::SftpAuth::Key { path, .. } => format!("key {}", path.display()),
            };
            add("OCM_SFTP sign-in", how);
            add("OCM_SFTP_HOST_KEY", sftp.host_key_fingerprint.clone());
        }
        None => add(
            "OCM_SFTP_HOST",
            "(not set: demo mode uses the simulator's drop)".into(),
        ),
    }
    let proxies: Vec<String> = config
        .trusted_proxies
        .iter()
        .map(ToString::to_string)
        .collect();
    add(
        "OCM_TRUSTED_PROXIES",
        if proxies.is_empty() {
            "(none)".into()
        } else {
            proxies.join(", ")
        },
    );
    lines
}

/// Prints the effective configuration with secrets hidden.
pub fn print_config(config: &Config) {
    for line in config_lines(config) {
        println!("{:<30} {}", line.name, line.value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_hidden_and_urls_lose_their_credentials() {
        let env = std::collections::HashMap::from([
            ("DATABASE_URL", "postgres://ocm:db-secret@localhost/ocm"),
            ("OCM_DEMO_PASSWORD", "demo-secret-value"),
        ]);
        let config = Config::from_lookup(&|var| env.get(var).map(ToString::to_string)).unwrap();
        let text: String = config_lines(&config)
            .iter()
            .map(|l| format!("{} {}\n", l.name, l.value))
            .collect();
        assert!(
            !text.contains("db-secret") && !text.contains("demo-secret-value"),
            "{text}"
        );
        assert!(text.contains("OCM_DEMO_PASSWORD (set, hidden)"));
        assert!(text.contains("OCM_AUDIT_ONLINE_MONTHS 13"));
    }
}

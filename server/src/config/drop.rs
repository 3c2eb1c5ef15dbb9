//! Settings for manual contact uploads: the SFTP drop POM's data sources read (host, sign-in, the
//! pinned host key fingerprint) and the upload limits, start delay and file retention.

use std::time::Duration;

use domain::settings::UploadSettings;
use pom::sftp::{SftpAuth, SftpConfig};

use super::read::number;
use super::{problem, ConfigError};

/// A variable's value, trimmed; `None` when unset or blank.
pub(super) fn text(lookup: &dyn Fn(&str) -> Option<String>, var: &str) -> Option<String> {
    lookup(var)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Reads the SFTP drop; `None` when `OCM_SFTP_HOST` is unset (demo mode then uses the
/// simulator's drop). The host key fingerprint is required: OCM never trusts a key on first use.
pub fn sftp(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Option<SftpConfig>, ConfigError> {
    // The drop's folders are the data sources' paths, not one folder of the connection.
    Ok(sftp_at(lookup, "OCM_SFTP")?.map(|config| SftpConfig {
        remote_dir: String::new(),
        ..config
    }))
}

/// Reads an SFTP server from `{prefix}_HOST`, `_PORT`, `_USER`, `_PASSWORD` or `_KEY_FILE` (with
/// `_KEY_PASSPHRASE`), `_HOST_KEY` and `_TIMEOUT_SECONDS`; `None` when `{prefix}_HOST` is unset.
pub fn sftp_at(
    lookup: &dyn Fn(&str) -> Option<String>,
    prefix: &str,
) -> Result<Option<SftpConfig>, ConfigError> {
    let var = |suffix: &str| format!("{prefix}_{suffix}");
    let Some(host) = text(lookup, &var("HOST")) else {
        return Ok(None);
    };
    let user = text(lookup, &var("USER")).ok_or_else(|| {
        problem(
            var("USER"),
            format!("is required when {} is set", var("HOST")),
        )
    })?;
    let auth = match (
        lookup(&var("PASSWORD")).filter(|v| !v.is_empty()),
        text(lookup, &var("KEY_FILE")),
    ) {
        (Some(_), Some(_)) => {
            return Err(problem(
                var("KEY_FILE"),
                format!(
                    "set either {} or {}, not both",
                    var("PASSWORD"),
                    var("KEY_FILE")
                ),
            ))
        }
        (Some(password), None) => SftpAuth::Password(password),
        (None, Some(path)) => SftpAuth::Key {
            path: path.into(),
            passphrase: lookup(&var("KEY_PASSPHRASE")).filter(|v| !v.is_empty()),
        },
        (None, None) => {
            return Err(problem(
                var("PASSWORD"),
                format!(
                    "set {} or {} for the SFTP sign-in",
                    var("PASSWORD"),
                    var("KEY_FILE")
                ),
            ))
        }
    };
    let fingerprint = text(lookup, &var("HOST_KEY")).ok_or_else(|| {
        problem(
            var("HOST_KEY"),
            format!(
                "is required when {} is set: the server's host key fingerprint \
                 (SHA256:…); `ocm sftp-fingerprint {host}` prints what the server presents, to \
                 confirm with its administrator",
                var("HOST")
            ),
        )
    })?;
    if !fingerprint.starts_with("SHA256:") {
        return Err(problem(
            var("HOST_KEY"),
            "must be an OpenSSH SHA256 fingerprint such as SHA256:AbC… (ssh-keygen -lf prints it)",
        ));
    }
    Ok(Some(SftpConfig {
        host,
        port: number(lookup, &var("PORT"), 22_u16, 1..=65_535)?,
        user,
        auth,
        host_key_fingerprint: fingerprint,
        remote_dir: text(lookup, &var("DIR")).unwrap_or_default(),
        timeout: Duration::from_secs(number(lookup, &var("TIMEOUT_SECONDS"), 30_u64, 1..=600)?),
    }))
}

/// Reads the upload settings (defaults in `UploadSettings::default`).
pub fn uploads(lookup: &dyn Fn(&str) -> Option<String>) -> Result<UploadSettings, ConfigError> {
    let defaults = UploadSettings::default();
    Ok(UploadSettings {
        max_file_bytes: 1_048_576
            * number(
                lookup,
                "OCM_UPLOAD_MAX_FILE_MB",
                defaults.max_file_bytes / 1_048_576,
                1..=1_024,
            )?,
        max_rows: number(
            lookup,
            "OCM_UPLOAD_MAX_ROWS",
            defaults.max_rows,
            1..=5_000_000,
        )?,
        start_delay: Duration::from_secs(number(
            lookup,
            "OCM_UPLOAD_START_DELAY_SECONDS",
            defaults.start_delay.as_secs(),
            0..=86_400,
        )?),
        retention: Duration::from_secs(
            86_400 * number(lookup, "OCM_UPLOAD_RETENTION_DAYS", 30_u64, 1..=3_650)?,
        ),
        dnc_check_max_rows: number(
            lookup,
            "OCM_UPLOAD_DNC_CHECK_MAX_ROWS",
            defaults.dnc_check_max_rows,
            0..=100_000,
        )?,
        follow_every: Duration::from_millis(number(
            lookup,
            "OCM_UPLOAD_FOLLOW_MS",
            defaults.follow_every.as_millis() as u64,
            100..=60_000,
        )?),
        pom_part_bytes: part_bytes(lookup, defaults.pom_part_bytes)?,
    })
}

/// `OCM_UPLOAD_POM_PART_MB`: MB of 1,000,000 bytes (a part then stays under POM's 50 MB however
/// POM counts a megabyte), fractions allowed down to 0.001 (1,000 bytes) so tests can split
/// files of a few KB.
fn part_bytes(lookup: &dyn Fn(&str) -> Option<String>, default: u64) -> Result<u64, ConfigError> {
    const VAR: &str = "OCM_UPLOAD_POM_PART_MB";
    let Some(raw) = lookup(VAR).filter(|v| !v.trim().is_empty()) else {
        return Ok(default);
    };
    let megabytes: f64 = raw
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| {
            problem(
                VAR,
                format!("'{raw}' is not a number of MB such as 50 or 0.5"),
            )
        })?;
    if !(0.001..=1_024.0).contains(&megabytes) {
        return Err(problem(
            VAR,
            format!("{megabytes} is outside 0.001..=1024 (MB)"),
        ));
    }
    Ok((megabytes * 1_000_000.0).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::config::read::pairs as lookup;

    #[test]
    fn the_drop_needs_a_user_a_secret_and_a_pinned_key() {
        assert!(sftp(&lookup(&[])).unwrap().is_none());
        let error = sftp(&lookup(&[("OCM_SFTP_HOST", "drop.example")])).unwrap_err();
        assert_eq!(error.var, "OCM_SFTP_USER");
        let error = sftp(&lookup(&[
            ("OCM_SFTP_HOST", "drop.example"),
            ("OCM_SFTP_USER", "ocm"),
        ]))
        .unwrap_err();
        assert_eq!(error.var, "OCM_SFTP_PASSWORD");
        let error = sftp(&lookup(&[
            ("OCM_SFTP_HOST", "drop.example"),
            ("OCM_SFTP_USER", "ocm"),
            ("OCM_SFTP_PASSWORD", "secret"),
        ]))
        .unwrap_err();
        assert_eq!(error.var, "OCM_SFTP_HOST_KEY");
        assert!(error.problem.contains("ocm sftp-fingerprint drop.example"));
        let config = sftp(&lookup(&[
            ("OCM_SFTP_HOST", "drop.example"),
            ("OCM_SFTP_USER", "ocm"),
            ("OCM_SFTP_PASSWORD", "secret"),
            ("OCM_SFTP_HOST_KEY", "SHA256:abc"),
            ("OCM_SFTP_PORT", "2222"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(config.port, 2222);
        assert!(!format!("{config:?}").contains("secret"));
    }

    #[test]
    fn upload_settings_have_defaults_and_limits() {
        let defaults = uploads(&lookup(&[])).unwrap();
        assert_eq!(defaults.start_delay, Duration::from_secs(300));
        assert_eq!(defaults.retention, Duration::from_secs(30 * 86_400));
        let error = uploads(&lookup(&[("OCM_UPLOAD_MAX_FILE_MB", "0")])).unwrap_err();
        assert_eq!(error.var, "OCM_UPLOAD_MAX_FILE_MB");
    }

    #[test]
    fn the_pom_part_limit_is_in_mb_with_fractions_for_small_parts() {
        assert_eq!(uploads(&lookup(&[])).unwrap().pom_part_bytes, 50_000_000);
        let small = uploads(&lookup(&[("OCM_UPLOAD_POM_PART_MB", " 0.004 ")])).unwrap();
        assert_eq!(small.pom_part_bytes, 4_000);
        const VAR: &str = "OCM_UPLOAD_POM_PART_MB";
        let refused: [&'static [(&str, &str)]; 6] = [
            &[(VAR, "0")],
            &[(VAR, "0.0001")],
            &[(VAR, "2000")],
            &[(VAR, "fifty")],
            &[(VAR, "NaN")],
            &[(VAR, "-1")],
        ];
        for pairs in refused {
            let error = uploads(&lookup(pairs)).unwrap_err();
            assert_eq!(error.var, VAR, "{pairs:?}");
        }
    }
}

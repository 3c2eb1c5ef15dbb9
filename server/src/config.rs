//! Typed configuration from environment variables, parsed once at start-up. A missing or invalid
//! value stops start-up with a message naming the variable. Secrets are `SecretString`s and are
//! never printed.

mod audit;
mod call_data;
mod drop;
pub mod erasure;
mod exports;
pub mod metrics;
mod phone;
mod proxy;
mod read;
mod work;

use std::time::Duration;

use domain::throttle::ThrottlePolicy;
use secrecy::SecretString;

use read::{addresses, boolean, listen_address, number, secret, url};

/// A configuration problem, naming the variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{var}: {problem}")]
pub struct ConfigError {
    /// The variable; built for variables named after something configured (an SFTP
    /// destination's `OCM_EXPORT_SFTP_<NAME>_HOST`).
    pub var: std::borrow::Cow<'static, str>,
    pub problem: String,
}

fn problem(
    var: impl Into<std::borrow::Cow<'static, str>>,
    problem: impl Into<String>,
) -> ConfigError {
    ConfigError {
        var: var.into(),
        problem: problem.into(),
    }
}

/// How to reach POM. Absent means demo mode.
#[derive(Debug, Clone)]
pub struct PomConfig {
    pub base_url: String,
    pub user: Option<String>,
    pub password: Option<SecretString>,
    pub verify_tls: bool,
    /// How long one POM call may take before it counts as a transient failure.
    pub timeout: Duration,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

impl LogFormat {
    /// Reads `OCM_LOG_FORMAT` (`human`, the default, or `json`).
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        match lookup("OCM_LOG_FORMAT").as_deref().map(str::trim) {
            None | Some("") | Some("human") => Ok(LogFormat::Human),
            Some("json") => Ok(LogFormat::Json),
            Some(other) => Err(problem(
                "OCM_LOG_FORMAT",
                format!("'{other}' is not 'human' or 'json'"),
            )),
        }
    }
}

/// Everything OCM reads from its environment.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: SecretString,
    pub database_max_connections: u32,
    pub session_idle: Duration,
    pub session_warning: Duration,
    pub throttle: ThrottlePolicy,
    /// The address users reach OCM at (for example `https://ocm.example.com`); decides Secure
    /// cookies and the allowed origin for writes.
    pub public_url: Option<String>,
    pub pom: Option<PomConfig>,
    pub demo_password: Option<SecretString>,
    pub log_format: LogFormat,
    /// Reverse proxies whose `X-Forwarded-For` names the real client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Where demo mode's built-in POM simulator listens.
    pub simulator_listen: std::net::SocketAddr,
    /// Where demo mode's simulated SFTP drop listens.
    pub simulator_sftp_listen: std::net::SocketAddr,
    /// Demo mode: hours of dialling the simulator has behind it at start (0: none).
    pub demo_dialling_hours: u32,
    pub purge: domain::settings::PurgeSettings,
    pub jobs: domain::settings::JobSettings,
    pub dnc: domain::settings::DncSettings,
    pub call_data: domain::settings::CallDataSettings,
    /// How phone numbers are read and written for POM.
    pub phone: domain::phone::PhoneRules,
    pub campaigns: domain::settings::CampaignSettings,
    pub uploads: domain::settings::UploadSettings,
    pub audit: domain::settings::AuditSettings,
    pub exports: domain::settings::ExportSettings,
    pub api: domain::settings::ApiSettings,
    /// The key erasure tombstones are made with (`config::erasure`).
    pub erasure_key: erasure::ErasureKeySource,
    /// The SFTP drop; `None`: not configured (demo mode uses the simulator's).
    pub sftp: Option<pom::sftp::SftpConfig>,
    /// Uploaded files read at once (`OCM_PREFLIGHT_PARALLEL`); others wait their turn.
    pub preflight_parallel: usize,
    /// Who may read `/metrics` (`config::metrics`).
    pub metrics: metrics::MetricsAccess,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(&|var| std::env::var(var).ok())
    }

    /// Reads configuration through `lookup` (tests pass a map).
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let database_url = lookup("DATABASE_URL")
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| {
                problem(
                    "DATABASE_URL",
                    "is not set (make run and make test set it for a local cluster)",
                )
            })?;
        if !database_url.starts_with("postgres://") && !database_url.starts_with("postgresql://") {
            return Err(problem(
                "DATABASE_URL",
                "must start with postgres:// or postgresql://",
            ));
        }
        let session_idle = number(lookup, "OCM_SESSION_IDLE_SECS", 900_u64, 10..=86_400)?;
        let session_warning = number(lookup, "OCM_SESSION_WARNING_SECS", 60_u64, 1..=3_600)?;
        if session_warning >= session_idle {
            return Err(problem(
                "OCM_SESSION_WARNING_SECS",
                format!(
                    "{session_warning} must be less than OCM_SESSION_IDLE_SECS ({session_idle})"
                ),
            ));
        }
        let seconds =
            |var, default, max| number(lookup, var, default, 1..=max).map(Duration::from_secs);
        let throttle = ThrottlePolicy {
            max_failures: number(lookup, "OCM_LOGIN_MAX_FAILURES", 5_u32, 1..=100)?,
            address_max_failures: number(
                lookup,
                "OCM_LOGIN_ADDRESS_MAX_FAILURES",
                20_u32,
                1..=10_000,
            )?,
            window: seconds("OCM_LOGIN_WINDOW_SECS", 60, 86_400)?,
            lockout: seconds("OCM_LOGIN_LOCKOUT_SECS", 300, 86_400)?,
            // Well below the 60 s request timeout, with room for the password check's own queue.
            slow_max_wait: seconds("OCM_LOGIN_SLOW_MAX_SECS", 5, 20)?,
        };
        let public_url = lookup("OCM_PUBLIC_URL")
            .filter(|v| !v.trim().is_empty())
            .map(|v| url("OCM_PUBLIC_URL", &v))
            .transpose()?;
        let pom = match lookup("OCM_POM_BASE_URL").filter(|v| !v.trim().is_empty()) {
            None => None,
            Some(raw) => Some(PomConfig {
                base_url: url("OCM_POM_BASE_URL", &raw)?,
                user: lookup("OCM_POM_USER").filter(|v| !v.is_empty()),
                password: secret(lookup, "OCM_POM_PASSWORD"),
                verify_tls: boolean(lookup, "OCM_POM_VERIFY_TLS", true)?,
                timeout: Duration::from_secs(number(
                    lookup,
                    "OCM_POM_TIMEOUT_SECONDS",
                    15_u64,
                    1..=300,
                )?),
            }),
        };
        let simulator_listen = listen_address(lookup, "OCM_SIM_LISTEN", 7080)?;
        if pom.is_none() {
            simulator_allowed(
                simulator_listen,
                boolean(lookup, "OCM_SIM_ALLOW_REMOTE", false)?,
            )?;
        }
        if pom.is_some() && public_url.is_none() {
            return Err(problem(
                "OCM_PUBLIC_URL",
                "is required when OCM_POM_BASE_URL is set: the address users reach OCM at \
                 (for example https://ocm.example.com); it decides Secure cookies, HSTS and \
                 which origin may write",
            ));
        }
        let phone = phone::rules(lookup, pom.is_none())?;
        Ok(Config {
            phone,
            database_url: SecretString::from(database_url),
            database_max_connections: number(
                lookup,
                "OCM_DATABASE_MAX_CONNECTIONS",
                10_u32,
                1..=200,
            )?,
            session_idle: Duration::from_secs(session_idle),
            session_warning: Duration::from_secs(session_warning),
            throttle,
            public_url,
            pom,
            demo_password: secret(lookup, "OCM_DEMO_PASSWORD"),
            log_format: LogFormat::from_lookup(lookup)?,
            trusted_proxies: addresses(lookup, "OCM_TRUSTED_PROXIES")?,
            purge: work::purge(lookup)?,
            jobs: work::jobs(lookup)?,
            dnc: work::dnc(lookup)?,
            call_data: call_data::call_data(lookup)?,
            campaigns: work::campaigns(lookup)?,
            uploads: drop::uploads(lookup)?,
            audit: audit::audit(lookup)?,
            exports: exports::exports(lookup)?,
            api: work::api(lookup)?,
            erasure_key: erasure::erasure_key(lookup)?,
            sftp: drop::sftp(lookup)?,
            preflight_parallel: number(lookup, "OCM_PREFLIGHT_PARALLEL", 2_usize, 1..=16)?,
            metrics: metrics::metrics(lookup)?,
            simulator_listen,
            simulator_sftp_listen: listen_address(lookup, "OCM_SIM_SFTP_LISTEN", 2222)?,
            demo_dialling_hours: number(lookup, "OCM_DEMO_DIALLING_HOURS", 0_u32, 0..=72)?,
        })
    }

    /// Demo mode: no POM configured.
    pub fn demo_mode(&self) -> bool {
        self.pom.is_none()
    }

    /// Cookies get the Secure flag when users reach OCM over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests;

/// Demo mode's simulator may listen on `listen`: loopback unless remote access is allowed.
#[cfg(feature = "demo")]
fn simulator_allowed(listen: std::net::SocketAddr, allow_remote: bool) -> Result<(), ConfigError> {
    pom_sim::guard::check_listen(listen, allow_remote)
        .map_err(|message| problem("OCM_SIM_LISTEN", message))
}

/// A build without the simulator (no `demo` feature) needs a real POM.
#[cfg(not(feature = "demo"))]
fn simulator_allowed(_: std::net::SocketAddr, _: bool) -> Result<(), ConfigError> {
    Err(problem(
        "OCM_POM_BASE_URL",
        "is required: this build of OCM has no built-in POM simulator (built without the \
         `demo` feature), so it needs the address of your POM",
    ))
}

//! The one typed POM client: REST (`rest`) and SOAP (`soap`) operations over one `reqwest` client
//! with HTTP Basic auth, `X-Requested-With: rest`, timeouts, retries with backoff and jitter for
//! safe calls only, and a tracing span per call. Settings for what the contract leaves open are
//! documented in docs/pom.md.

mod agent_api;
mod callbacks;
mod campaigns;
mod catalog;
mod error;
mod records;
pub mod rest;
pub mod soap;

use std::time::{Duration, Instant};

use rand::Rng;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::Deserialize;
use tracing::Instrument;

pub use callbacks::CallbackSchedule;
pub use catalog::CampaignInfo;
pub use error::{fault_message, PomError, ATTEMPT_IN_PROGRESS};

/// How to reach POM and what to assume where the contract is unknown.
#[derive(Clone)]
pub struct PomConfig {
    /// REST base, e.g. `https://epm.example/VP_POM_Service/v1`.
    pub rest_base: String,
    /// SOAP services base, e.g. `https://epm.example/axis2/services`.
    pub soap_base: String,
    pub user: String,
    pub password: String,
    /// Verify POM's TLS certificate (on unless explicitly turned off).
    pub verify_tls: bool,
    pub timeout: Duration,
    /// Extra attempts for safe calls (reads) that fail transiently.
    pub retries: u32,
    /// `pageNumber` of the first page: 0 or 1 (unknown for real POM; docs/pom.md).
    pub first_page: u32,
    /// API version per REST operation where public clients show one (`contacts.list` v2,
    /// `campaigns.joblist` v3, `contacts.add` v4); others use the version in `rest_base`.
    pub endpoint_versions: std::collections::BTreeMap<String, String>,
}

impl std::fmt::Debug for PomConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PomConfig")
            .field("rest_base", &self.rest_base)
            .field("soap_base", &self.soap_base)
            .field("user", &self.user)
            .field("password", &"***")
            .field("verify_tls", &self.verify_tls)
            .field("timeout", &self.timeout)
            .field("retries", &self.retries)
            .field("first_page", &self.first_page)
            .field("endpoint_versions", &self.endpoint_versions)
            .finish()
    }
}

impl PomConfig {
    /// Defaults for a POM at `origin` (`https://host[:port]`): REST v1, SOAP under `/axis2/services`.
    pub fn for_origin(origin: &str, user: &str, password: &str) -> Self {
        let origin = origin.trim_end_matches('/');
        PomConfig {
            rest_base: format!("{origin}/VP_POM_Service/v1"),
            soap_base: format!("{origin}/axis2/services"),
            user: user.to_string(),
            password: password.to_string(),
            verify_tls: true,
            timeout: Duration::from_secs(15),
            retries: 2,
            first_page: 1,
            endpoint_versions: [
                ("contacts.list", "v2"),
                ("campaigns.joblist", "v3"),
                ("contacts.add", "v4"),
            ]
            .into_iter()
            .map(|(op, v)| (op.to_string(), v.to_string()))
            .collect(),
        }
    }
}

/// Whether a call may be repeated after a transient failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Safety {
    /// Reads: repeating them changes nothing.
    Safe,
    /// Writes: never repeated automatically (POM might have applied the first one).
    Unsafe,
}

/// The POM client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct PomClient {
    http: reqwest::Client,
    config: std::sync::Arc<PomConfig>,
}

/// The JSON error body POM sends with failures.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    error_code: Option<serde_json::Value>,
    error_message: Option<String>,
    display_message: Option<String>,
}

/// Judges an HTTP answer: the body when it is a success, the typed error otherwise.
pub(crate) type Interpret = fn(StatusCode, String) -> Result<String, PomError>;

/// REST: 2xx is success; 401 is bad credentials; anything else carries POM's JSON error body.
fn rest_outcome(status: StatusCode, body: String) -> Result<String, PomError> {
    if status.is_success() {
        return Ok(body);
    }
    if status == StatusCode::UNAUTHORIZED {
        return Err(PomError::Unauthorized);
    }
    let parsed: ErrorBody = serde_json::from_str(&body).unwrap_or_default();
    Err(PomError::Status {
        status: status.as_u16(),
        code: parsed.error_code.map(|c| match c {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        }),
        message: parsed.error_message.unwrap_or_else(|| excerpt(&body)),
        display: parsed.display_message,
    })
}

pub(crate) fn excerpt(body: &str) -> String {
    let mut text: String = body.chars().take(160).collect();
    if body.chars().count() > 160 {
        text.push('…');
    }
    text
}

impl PomClient {
    /// Builds the client. Turning TLS verification off is logged as a warning.
    pub fn new(config: PomConfig) -> Result<Self, PomError> {
        if !config.verify_tls {
            tracing::warn!("POM TLS certificate verification is OFF (explicit setting)");
        }
        let http = reqwest::Client::builder()
            .danger_accept_invalid_certs(!config.verify_tls)
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| PomError::Transport(e.to_string()))?;
        Ok(PomClient {
            http,
            config: std::sync::Arc::new(config),
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &PomConfig {
        &self.config
    }

    pub(crate) fn request(&self, method: Method, url: &str) -> RequestBuilder {
        self.http
            .request(method, url)
            .basic_auth(&self.config.user, Some(&self.config.password))
            .header("X-Requested-With", "rest")
            .header("Cache-Control", "no-cache")
    }

    /// A REST request: JSON content type on every call, as POM's REST clients send.
    pub(crate) fn rest_request(&self, method: Method, url: &str) -> RequestBuilder {
        self.request(method, url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
    }

    fn map_send_error(&self, error: reqwest::Error) -> PomError {
        if error.is_timeout() {
            PomError::Timeout(self.config.timeout.as_secs())
        } else {
            // The URL may carry credentials someone put in OCM_POM_BASE_URL: never in a message.
            let error = error.without_url();
            let mut text = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                text.push_str(": ");
                text.push_str(&cause.to_string());
                source = cause.source();
            }
            PomError::Transport(text)
        }
    }

    /// Sends once and lets `interpret` judge the status and body.
    async fn send_once(
        &self,
        build: &(dyn Fn() -> RequestBuilder + Sync),
        interpret: Interpret,
    ) -> Result<String, PomError> {
        let response = build().send().await.map_err(|e| self.map_send_error(e))?;
        let status = response.status();
        let body = response.text().await.map_err(|e| self.map_send_error(e))?;
        interpret(status, body)
    }

    /// Sends with retries (safe calls only), backoff with jitter, inside a span with the outcome.
    pub(crate) async fn send(
        &self,
        operation: &str,
        safety: Safety,
        build: &(dyn Fn() -> RequestBuilder + Sync),
    ) -> Result<String, PomError> {
        self.send_with(operation, safety, build, rest_outcome).await
    }

    /// [`send`](Self::send) with a protocol-specific reading of the answer.
    pub(crate) async fn send_with(
        &self,
        operation: &str,
        safety: Safety,
        build: &(dyn Fn() -> RequestBuilder + Sync),
        interpret: Interpret,
    ) -> Result<String, PomError> {
        let span = tracing::info_span!("pom", operation, attempt = tracing::field::Empty);
        let started = Instant::now();
        let result = self
            .send_retrying(safety, build, interpret, span.clone())
            .instrument(span)
            .await;
        record_call(operation, &result, started.elapsed());
        result
    }

    async fn send_retrying(
        &self,
        safety: Safety,
        build: &(dyn Fn() -> RequestBuilder + Sync),
        interpret: Interpret,
        span: tracing::Span,
    ) -> Result<String, PomError> {
        let started = Instant::now();
        let attempts = if safety == Safety::Safe {
            1 + self.config.retries
        } else {
            1
        };
        let mut attempt = 1;
        loop {
            span.record("attempt", attempt);
            let result = self.send_once(build, interpret).await;
            match &result {
                Err(error) if error.is_transient() && attempt < attempts => {
                    let base = 100_u64 * 2_u64.pow(attempt - 1);
                    let jitter = rand::thread_rng().gen_range(0..=base / 2);
                    tracing::warn!(error = %error.for_log(), "transient POM failure; retrying");
                    tokio::time::sleep(Duration::from_millis(base + jitter)).await;
                    attempt += 1;
                }
                Err(error) => {
                    tracing::info!(latency_ms = started.elapsed().as_millis() as u64, error = %error.for_log(), "POM call failed");
                    return result;
                }
                Ok(_) => {
                    tracing::debug!(
                        latency_ms = started.elapsed().as_millis() as u64,
                        "POM call succeeded"
                    );
                    return result;
                }
            }
        }
    }
}

/// One call as the metrics count it: by operation (a fixed name per client method) and outcome,
/// with its time, retries included (`docs/operations.md`).
fn record_call(operation: &str, result: &Result<String, PomError>, took: Duration) {
    let outcome = match result {
        Ok(_) => "ok",
        Err(PomError::Fault { .. }) => "refused",
        Err(PomError::Status { status, .. }) if *status >= 500 => "server_error",
        Err(PomError::Status { .. }) => "refused",
        Err(PomError::Timeout(_)) => "timeout",
        Err(PomError::Transport(_)) => "unreachable",
        Err(PomError::Unauthorized) => "unauthorized",
        Err(PomError::Decode { .. }) => "unreadable",
    };
    let operation = operation.to_string();
    metrics::counter!("ocm_pom_calls_total", "operation" => operation.clone(), "outcome" => outcome)
        .increment(1);
    metrics::histogram!("ocm_pom_call_duration_seconds", "operation" => operation)
        .record(took.as_secs_f64());
}

//! Prometheus metrics (`docs/operations.md`): the one recorder of the process, installed once
//! (the tests start many apps in one process), with its histogram buckets and descriptions; the
//! upkeep that keeps histograms bounded; and the open event streams' gauge.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Seconds: a page or a POM call is read in these buckets (5 ms to 30 s).
const BUCKETS: [f64; 14] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0,
];

/// The process's recorder, installed on first use.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("duration_seconds".into()), &BUCKETS)
            .expect("the buckets are not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Another recorder already set (never, in OCM) leaves these metrics unrecorded, not broken.
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was already installed; /metrics shows only its own");
        }
        describe();
        handle
    })
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(
        "ocm_http_requests_total",
        "HTTP requests by matched route, method and status"
    );
    describe_histogram!(
        "ocm_http_request_duration_seconds",
        Unit::Seconds,
        "Time to answer an HTTP request (an event stream: to its first byte)"
    );
    describe_counter!("ocm_pom_calls_total", "Calls to POM by operation and outcome (ok, refused, server_error, timeout, unreachable, unauthorized, unreadable)");
    describe_histogram!(
        "ocm_pom_call_duration_seconds",
        Unit::Seconds,
        "Time of a call to POM, retries of reads included"
    );
    describe_counter!(
        "ocm_sign_in_failures_total",
        "Failed sign-ins by step (password, second_factor, blocked)"
    );
    describe_gauge!(
        "ocm_event_streams_open",
        "Open server-sent event streams by stream"
    );
    describe_gauge!("ocm_jobs", "Durable jobs by kind and state");
    describe_gauge!(
        "ocm_job_queue_oldest_seconds",
        Unit::Seconds,
        "How long the oldest queued job of a kind has waited"
    );
    describe_gauge!(
        "ocm_completion_rule_applications_waiting",
        "Completion-code rule applications not yet carried to POM"
    );
    describe_gauge!(
        "ocm_completion_rule_oldest_waiting_seconds",
        Unit::Seconds,
        "How long the oldest waiting application has waited"
    );
    describe_gauge!(
        "ocm_call_data_lag_seconds",
        Unit::Seconds,
        "Seconds between now and the newest call-data record read"
    );
    describe_gauge!(
        "ocm_call_data_last_success_seconds",
        Unit::Seconds,
        "Seconds since ingestion last read the call-data feed successfully"
    );
    describe_gauge!(
        "ocm_abandon_rate_percent",
        "Today's highest campaign UK abandon rate per organization (report time zone)"
    );
}

/// Keeps the histograms' buckets drained until `stop` (the exporter asks for it periodically).
pub fn spawn_upkeep(stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                () = tokio::time::sleep(Duration::from_secs(5)) => handle().run_upkeep(),
            }
        }
    })
}

/// One open event stream, counted while it lives.
pub struct OpenStream(&'static str);

impl OpenStream {
    pub fn new(name: &'static str) -> Self {
        metrics::gauge!("ocm_event_streams_open", "stream" => name).increment(1.0);
        OpenStream(name)
    }
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        metrics::gauge!("ocm_event_streams_open", "stream" => self.0).decrement(1.0);
    }
}

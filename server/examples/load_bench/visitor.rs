//! One signed-in supervisor's path through OCM, as a browser takes it: sign in, load the site's
//! script and wasm once, then round after round the dashboard (holding the floor's event stream
//! while reading it), the campaigns board (holding its event stream), the lists, a report, the
//! DNC page and a DNC check, with a pause to read after each (1–4 s by default), and the
//! stylesheet fetched as often as any page so that a static file's times are measured beside them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING};

use super::tally::{Tally, STATIC_FILE};

pub struct Visitor {
    pub username: String,
    /// The organization whose campaigns board the supervisor watches.
    pub organization: &'static str,
    pub base: String,
    pub tally: Arc<Tally>,
    pub until: Instant,
    pub seed: u64,
    /// The longest pause to read a page; each pause is between a quarter of it and it. Zero
    /// takes no pauses (a stress, not people).
    pub longest_read: Duration,
}

/// Why an answer is not what was asked for: its status, or another page than `path` at the end
/// of the redirects (the sign-in page, a forced password change).
fn judge(response: &reqwest::Response, path: &str) -> Result<(), String> {
    if !response.status().is_success() {
        return Err(format!("{} {}", response.status(), response.url().path()));
    }
    let asked = path.split('?').next().unwrap_or(path);
    if response.url().path() != asked {
        return Err(format!("{asked} answered with {}", response.url()));
    }
    Ok(())
}

/// A page that answered 200 but could not show what it should: the pages render a failed read as
/// an error notice (`load_error.rs`, the lists' and DNC pages' own).
fn page_problem(body: &[u8]) -> Result<(), String> {
    const NOTICE: &[u8] = b"class=\"notice error\"";
    match body.windows(NOTICE.len()).position(|w| w == NOTICE) {
        None => Ok(()),
        Some(at) => {
            let end = (at + 300).min(body.len());
            Err(format!(
                "error notice: {}",
                String::from_utf8_lossy(&body[at..end])
            ))
        }
    }
}

/// Sends `request` and reads the whole answer; what is wrong with it, if anything. `page`: an
/// HTML page, whose body is looked at too.
async fn fetch(request: reqwest::RequestBuilder, path: &str, page: bool) -> Result<(), String> {
    let response = request.send().await.map_err(|e| format!("{path}: {e}"))?;
    let judged = judge(&response, path);
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("{path}: body: {e}"))?;
    judged?;
    if page {
        page_problem(&body)?;
    }
    Ok(())
}

struct Session {
    client: reqwest::Client,
    base: String,
    tally: Arc<Tally>,
    rng: StdRng,
    longest_read: Duration,
}

impl Session {
    /// Fetches `path` whole and records its time under `page`; `brotli`: a static file, asked for
    /// compressed as a browser does (and refused if it comes uncompressed).
    async fn get(&mut self, page: &'static str, path: &str, brotli: bool) {
        let started = Instant::now();
        let url = format!("{}{path}", self.base);
        let outcome = if brotli {
            let request = self.client.get(url).header(ACCEPT_ENCODING, "br, gzip");
            match request.send().await {
                Ok(response) if response.headers().get(CONTENT_ENCODING).is_none() => {
                    Err(format!("{path} served without compression"))
                }
                Ok(response) => {
                    let judged = judge(&response, path);
                    let body = response.bytes().await.map_err(|e| format!("{path}: {e}"));
                    body.and(judged)
                }
                Err(e) => Err(format!("{path}: {e}")),
            }
        } else {
            fetch(self.client.get(url), path, true).await
        };
        self.tally.record(page, started.elapsed(), outcome);
    }

    /// Opens the event stream at `path`, records the time to its first event under `page`, then
    /// holds it open, reading, for `hold` (the time the person spends on the page).
    async fn hold_stream(&mut self, page: &'static str, path: &str, hold: Duration) {
        let started = Instant::now();
        let response = match self.client.get(format!("{}{path}", self.base)).send().await {
            Ok(response) => response,
            Err(e) => {
                return self
                    .tally
                    .record(page, started.elapsed(), Err(e.to_string()))
            }
        };
        if let Err(what) = judge(&response, path) {
            return self.tally.record(page, started.elapsed(), Err(what));
        }
        let mut response = response;
        let mut seen = Vec::new();
        let mut first_event = None;
        let until = started + hold;
        // However short the stay, the first event is waited for (up to 10 s).
        let first_event_by = started + hold.max(Duration::from_secs(10));
        loop {
            let deadline = if first_event.is_some() {
                until
            } else {
                first_event_by
            };
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, response.chunk()).await {
                Err(_) => break,
                Ok(Ok(Some(chunk))) => {
                    if first_event.is_none() {
                        seen.extend_from_slice(&chunk);
                        if seen.windows(2).any(|w| w == b"\n\n") {
                            first_event = Some(started.elapsed());
                        }
                    }
                }
                Ok(Ok(None)) => break,
                Ok(Err(e)) => {
                    return self
                        .tally
                        .record(page, started.elapsed(), Err(e.to_string()));
                }
            }
        }
        match first_event {
            Some(took) if Instant::now() >= until => self.tally.record(page, took, Ok(())),
            Some(took) => self
                .tally
                .record(page, took, Err(format!("{path} ended early"))),
            None => self.tally.record(
                page,
                started.elapsed(),
                Err(format!("{path}: no event in {:?}", started.elapsed())),
            ),
        }
    }

    /// A check of one number, as the DNC page's form asks it (a server function).
    async fn check_dnc(&mut self) {
        let number = format!("07700900{:03}", self.rng.gen_range(0..1000));
        let started = Instant::now();
        let answer = self
            .client
            .post(format!("{}/api/dnc/check", self.base))
            .form(&[("address", number)])
            .send()
            .await;
        let outcome = match answer {
            Ok(response) => {
                let judged = judge(&response, "/api/dnc/check");
                let body = response.text().await.unwrap_or_default();
                judged.and_then(|()| {
                    body.contains("\"address\"")
                        .then_some(())
                        .ok_or_else(|| format!("DNC check answered {body:.120}"))
                })
            }
            Err(e) => Err(e.to_string()),
        };
        self.tally.record("DNC check", started.elapsed(), outcome);
    }

    /// The time a person spends reading a page.
    fn pause(&mut self) -> Duration {
        let longest = self.longest_read.as_millis() as u64;
        Duration::from_millis(self.rng.gen_range(longest / 4..=longest))
    }

    async fn read(&mut self) {
        let pause = self.pause();
        tokio::time::sleep(pause).await;
    }
}

impl Visitor {
    /// Signs in, then goes round the path until `until`.
    pub async fn run(self) {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let mut session = Session {
            client,
            base: self.base.clone(),
            tally: self.tally.clone(),
            rng: StdRng::seed_from_u64(self.seed),
            longest_read: self.longest_read,
        };
        let started = Instant::now();
        let sign_in = session
            .client
            .post(format!("{}/auth/login", self.base))
            .form(&[
                ("username", self.username.as_str()),
                ("password", super::process::PASSWORD),
            ]);
        // Signed in means the dashboard it leads to, read whole.
        let outcome = fetch(sign_in, "/", true).await;
        let failed = outcome.is_err();
        self.tally.record("sign-in", started.elapsed(), outcome);
        if failed {
            return;
        }
        session.get("first load: ocm.js", "/pkg/ocm.js", true).await;
        session
            .get("first load: ocm.wasm", "/pkg/ocm.wasm", true)
            .await;
        let campaigns_events = format!("/campaigns/events?organization={}", self.organization);
        while Instant::now() < self.until {
            session.get("dashboard", "/", false).await;
            let hold = session.pause();
            session
                .hold_stream("dashboard events (first event)", "/floor/events", hold)
                .await;
            session.get("campaigns board", "/campaigns", false).await;
            let hold = session.pause();
            session
                .hold_stream("campaigns events (first event)", &campaigns_events, hold)
                .await;
            session.get("lists", "/lists", false).await;
            session.read().await;
            session
                .get("report: job summary", "/reports/job-summary", false)
                .await;
            session.read().await;
            session.get("DNC page", "/dnc", false).await;
            session.read().await;
            session.check_dnc().await;
            session.read().await;
            session.get(STATIC_FILE, "/pkg/ocm.css", true).await;
        }
    }
}

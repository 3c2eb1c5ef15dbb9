//! Spawning the real app against a per-test database, and a cookie-keeping client.

use std::collections::HashMap;

use domain::state::AppState;
use domain::{passwords, users};
use leptos::config::LeptosOptions;
use reqwest::redirect::Policy;
use server::config::Config;
use server::startup;
use sqlx::PgPool;
use tokio::sync::oneshot;
use tokio_util::sync::{CancellationToken, DropGuard};
use types::model::Role;

pub const PASSWORD: &str = "correct horse battery staple";

/// A running app and what tests need to talk to it.
pub struct TestApp {
    pub base: String,
    pub pool: PgPool,
    pub state: AppState,
    pub config: Config,
    /// Stops the background workers (when started) as the test ends.
    pub workers: CancellationToken,
    _workers_guard: DropGuard,
    _stop: oneshot::Sender<()>,
}

/// Starts the app with extra environment settings on a random port.
pub async fn spawn_app_with(pool: PgPool, settings: &[(&str, &str)]) -> TestApp {
    let mut env: HashMap<String, String> = settings
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    env.entry("DATABASE_URL".into())
        .or_insert_with(|| "postgres://unused@localhost/unused".into());
    // Scheduled exports' files in a folder of the app's own (run ids restart with each database).
    env.entry("OCM_EXPORT_DIR".into()).or_insert_with(|| {
        let unique = uuid::Uuid::new_v4().simple().to_string();
        std::env::temp_dir()
            .join(format!("ocm-exports-{unique}"))
            .display()
            .to_string()
    });
    // A fixed key: no key file is written where the tests run.
    if !env.contains_key("OCM_ERASURE_KEY_FILE") {
        env.entry("OCM_ERASURE_KEY".into())
            .or_insert_with(|| "5e".repeat(32));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().unwrap());
    // Connected mode needs the address users reach OCM at: here, the test's own.
    if env.contains_key("OCM_POM_BASE_URL") {
        env.entry("OCM_PUBLIC_URL".into())
            .or_insert_with(|| base.clone());
        // And the country of national numbers: the simulator's demo contacts are British.
        env.entry("OCM_PHONE_REGION".into())
            .or_insert_with(|| "GB".into());
    }
    let config = Config::from_lookup(&move |var| env.get(var).cloned())
        .expect("test configuration is valid");
    startup::migrate(&pool).await.expect("migrations apply");
    let options = LeptosOptions::builder()
        .output_name("ocm")
        .site_root("target/site")
        .build();
    let state = startup::build_state(&config, pool.clone(), None).expect("state builds");
    let router = startup::build_router(state.clone(), options, &config);
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(startup::serve(listener, router, async move {
        let _ = stopped.await;
    }));
    seed(&pool).await;
    let workers = CancellationToken::new();
    TestApp {
        base,
        pool,
        state,
        config,
        _workers_guard: workers.clone().drop_guard(),
        workers,
        _stop: stop,
    }
}

/// Starts the app with default settings.
pub async fn spawn_app(pool: PgPool) -> TestApp {
    spawn_app_with(pool, &[]).await
}

/// Two organizations; in each a supervisor and a manager; one admin.
async fn seed(pool: &PgPool) {
    let hash = passwords::hash_password(PASSWORD).unwrap();
    let mut conn = pool.acquire().await.unwrap();
    for (org, team) in [
        ("Sales", "Sales Floor"),
        ("Collections", "Collections Floor"),
    ] {
        let org_id = users::ensure_organization(&mut conn, org).await.unwrap();
        users::ensure_team(&mut conn, team, org_id).await.unwrap();
    }
    let people = [
        ("admin", Role::Admin, "Sales Floor"),
        ("sup.a", Role::Supervisor, "Sales Floor"),
        ("mgr.a", Role::Manager, "Sales Floor"),
        ("sup.b", Role::Supervisor, "Collections Floor"),
    ];
    for (username, role, team) in people {
        let team_id = users::find_team(&mut *conn, team).await.unwrap().unwrap();
        let user = users::NewUser {
            username,
            display_name: username,
            role,
            team_id,
            password_hash: &hash,
            is_demo: false,
        };
        users::create_user(&mut *conn, &user).await.unwrap();
    }
}

/// A browser-like client: keeps cookies, does not follow redirects (tests read `Location`).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

impl TestApp {
    /// Starts the background workers (job runner, event relay, retention, session sweeps).
    pub fn start_workers(&self) {
        server::workers::spawn_all(&self.state, self.config.session_idle, &self.workers);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Posts the sign-in form with extra headers; returns the raw response.
    pub async fn post_login(
        &self,
        client: &reqwest::Client,
        username: &str,
        password: &str,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = client
            .post(self.url("/auth/login"))
            .form(&[("username", username), ("password", password)]);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.unwrap()
    }

    /// Posts the sign-in form; returns the redirect target.
    pub async fn sign_in_as(
        &self,
        client: &reqwest::Client,
        username: &str,
        password: &str,
    ) -> String {
        let response = self.post_login(client, username, password, &[]).await;
        assert_eq!(response.status(), 303, "sign-in answers with a redirect");
        location(&response)
    }

    /// A client signed in as `username`.
    pub async fn signed_in(&self, username: &str) -> reqwest::Client {
        let client = client();
        assert_eq!(self.sign_in_as(&client, username, PASSWORD).await, "/");
        client
    }

    /// Calls a server function by its endpoint with url-encoded arguments.
    pub async fn call(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Number of audit events with this action.
    pub async fn audit_count(&self, action: &str) -> i64 {
        sqlx::query_scalar::<_, i64>("select count(*) from audit_event where action = $1")
            .bind(action)
            .fetch_one(&self.pool)
            .await
            .unwrap()
    }
}

/// A client that neither keeps cookies nor follows redirects (tests set cookies by hand).
pub fn client_without_cookies() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// The `Location` header of a redirect.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

//! What the server benchmarks share: the POM simulator with OCM's account, OCM itself (migrated,
//! its workers running, serving on a free port) and API clients with their tokens. Included by
//! each benchmark with `#[path = "shared/bench_server.rs"] mod bench_server;`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use domain::api::clients::{self, Author};
use domain::audit::Actor;
use domain::request_meta::RequestMeta;
use domain::state::AppState;
use pom_sim::world::SimUser;
use serde_json::Value;
use types::model::NewApiClient;

/// The simulator: its origin, the client its control API accepts, and the simulator itself.
pub struct BenchSim {
    pub origin: String,
    pub control: reqwest::Client,
    pub sim: Arc<pom_sim::Sim>,
}

/// Starts a simulator without demo data, with OCM's account `bench`.
pub async fn start_sim() -> BenchSim {
    let sim = pom_sim::Sim::new(pom_sim::SimSettings {
        demo: false,
        users: BTreeMap::from([(
            "bench".to_string(),
            SimUser {
                password: "bench".into(),
                organization: None,
            },
        )]),
        ..Default::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let control = pom_sim::guard::control_client(&sim);
    let (address, _) = pom_sim::spawn(listener, sim.clone()).unwrap();
    BenchSim {
        origin: format!("http://{address}"),
        control,
        sim,
    }
}

/// OCM as the benchmarks run it.
pub struct BenchOcm {
    pub base: String,
    pub pool: sqlx::PgPool,
    pub state: AppState,
    /// Cancelling it stops the workers.
    pub stop: tokio_util::sync::CancellationToken,
    pub workers: Vec<tokio::task::JoinHandle<()>>,
}

/// Starts OCM on `DATABASE_URL` against `sim` with `extra` settings, for `organizations`.
pub async fn start_ocm(
    sim: &BenchSim,
    extra: &[(&'static str, &str)],
    organizations: &[&str],
) -> BenchOcm {
    let database_url = std::env::var("DATABASE_URL").expect("DATABASE_URL (make bench sets it)");
    let mut env: HashMap<&str, String> = HashMap::from([
        ("DATABASE_URL", database_url),
        (
            "OCM_POM_BASE_URL",
            format!("{}/VP_POM_Service/v1", sim.origin),
        ),
        ("OCM_POM_USER", "bench".into()),
        ("OCM_POM_PASSWORD", "bench".into()),
        ("OCM_PUBLIC_URL", "http://127.0.0.1".into()),
        ("OCM_PHONE_REGION", "GB".into()),
    ]);
    env.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    let config = server::config::Config::from_lookup(&|var| env.get(var).cloned()).unwrap();
    let pool = server::startup::connect(&config).await.unwrap();
    server::startup::migrate(&pool).await.unwrap();
    let state = server::startup::build_state(&config, pool.clone(), None).unwrap();
    let mut conn = pool.acquire().await.unwrap();
    for organization in organizations {
        domain::users::ensure_organization(&mut conn, organization)
            .await
            .unwrap();
    }
    drop(conn);
    let stop = tokio_util::sync::CancellationToken::new();
    let workers = server::workers::spawn_all(&state, Duration::from_secs(900), &stop);
    let router =
        server::startup::build_router(state.clone(), server::leptos_options().unwrap(), &config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(server::startup::serve(
        listener,
        router,
        std::future::pending(),
    ));
    BenchOcm {
        base,
        pool,
        state,
        stop,
        workers,
    }
}

/// Registers an API client of `organization` with `scopes`; returns its bearer token.
pub async fn api_token(ocm: &BenchOcm, name: &str, organization: &str, scopes: &[&str]) -> String {
    let (actor, meta) = (Actor::named("bench"), RequestMeta::background("bench"));
    let new = NewApiClient {
        name: format!("{name}-{}", std::process::id()),
        organization: organization.into(),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        ..NewApiClient::default()
    };
    let author = Author {
        actor: &actor,
        meta: &meta,
    };
    let issued = clients::create(&ocm.pool, author, &new, "UTC")
        .await
        .unwrap();
    let answer: Value = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/token", ocm.base))
        .basic_auth(&issued.client_id, Some(&issued.secret))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["access_token"].as_str().unwrap().to_string()
}

/// A manager per organization, `bench.<organization in lower case>`, password `bench-password`.
pub async fn add_managers(ocm: &BenchOcm, organizations: &[&str]) {
    let hash = domain::passwords::hash_password("bench-password").unwrap();
    let mut conn = ocm.pool.acquire().await.unwrap();
    for organization in organizations {
        let org = domain::users::ensure_organization(&mut conn, organization)
            .await
            .unwrap();
        let (team, _) =
            domain::users::ensure_team(&mut conn, &format!("{organization} Bench"), org)
                .await
                .unwrap();
        let user = domain::users::NewUser {
            username: &format!("bench.{}", organization.to_lowercase()),
            display_name: "Bench",
            role: types::model::Role::Manager,
            team_id: team,
            password_hash: &hash,
            is_demo: false,
        };
        // An error here means the user is left from an earlier run, which is fine.
        let _ = domain::users::create_user(&mut *conn, &user).await;
    }
}

/// A session of `organization`'s manager, signed in, holding the event stream at `path` open.
pub async fn open_stream(base: &str, organization: &str, path: &str) -> reqwest::Response {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let signed_in = client
        .post(format!("{base}/auth/login"))
        .form(&[
            ("username", format!("bench.{}", organization.to_lowercase())),
            ("password", "bench-password".into()),
        ])
        .send()
        .await
        .unwrap();
    assert!(signed_in.status().is_success() || signed_in.status().is_redirection());
    let stream = client.get(format!("{base}{path}")).send().await.unwrap();
    assert_eq!(stream.status(), 200, "event stream {path}");
    stream
}

/// The value at fraction `p` of `sorted`.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

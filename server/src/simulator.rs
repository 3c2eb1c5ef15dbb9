//! Demo mode's built-in POM: the simulator's HTTP API with demo data and its SFTP drop sharing one
//! folder, the SFTP settings OCM uses to reach that drop (a fresh password, the drop's host key
//! pinned by fingerprint, exactly as a real drop is configured), and its data sources.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use domain::uploads::sources::DemoSource;
use pom::sftp::{SftpAuth, SftpConfig};
use pom_sim::demo::DROP_USER;
use pom_sim::sftp::{spawn_sftp, SftpServerConfig};
use rand::distributions::{Alphanumeric, DistString};

/// What demo mode started.
pub struct DemoPom {
    /// The simulator's REST base.
    pub rest_base: String,
    /// How OCM signs in to the simulator's SFTP drop.
    pub sftp: SftpConfig,
    /// The simulator's file data sources, for OCM's list → data source mapping.
    pub sources: Vec<DemoSource>,
    /// What control API writes must carry in `X-Sim-Token` (printed for developers).
    pub control_token: String,
    /// The simulator's campaigns (organization, name) and agents (id, organization), for the
    /// demo's team mappings.
    pub campaigns: Vec<(String, String)>,
    pub agents: Vec<(String, String)>,
}

/// Binds `listen`, or any free loopback port when it is taken.
async fn bind(listen: SocketAddr, what: &str) -> anyhow::Result<tokio::net::TcpListener> {
    match tokio::net::TcpListener::bind(listen).await {
        Ok(listener) => Ok(listener),
        Err(error) => {
            tracing::warn!(%listen, error = %error, "{what} address taken; using a free port");
            tokio::net::TcpListener::bind(("127.0.0.1", 0))
                .await
                .with_context(|| format!("binding the {what}"))
        }
    }
}

/// Where OCM itself reaches a listener: bound to every address, it answers on loopback.
fn reachable(bound: SocketAddr) -> SocketAddr {
    if bound.ip().is_unspecified() {
        SocketAddr::from(([127, 0, 0, 1], bound.port()))
    } else {
        bound
    }
}

/// Starts the simulator (HTTP on `listen`, SFTP on `sftp_listen`) with demo data, its
/// campaigns dialling for `history_hours` already (0: none started).
pub async fn start(
    listen: SocketAddr,
    sftp_listen: SocketAddr,
    history_hours: u32,
) -> anyhow::Result<DemoPom> {
    let settings = pom_sim::SimSettings {
        demo: true,
        demo_history_hours: history_hours,
        ..pom_sim::SimSettings::default()
    };
    let sim = pom_sim::Sim::new(settings);
    let drop_dir = sim.drop_dir().to_path_buf();
    let mapped = sim.with_world(|world, _| {
        let campaigns: Vec<(String, String)> = world
            .campaigns
            .values()
            .map(|c| (c.organization.clone(), c.name.clone()))
            .collect();
        let size = world.dialer.config.agents_per_org;
        let organizations: std::collections::BTreeSet<&String> =
            world.campaigns.values().map(|c| &c.organization).collect();
        let agents = organizations
            .into_iter()
            .flat_map(|org| {
                pom_sim::dialer::agent_ids(org, size)
                    .into_iter()
                    .map(|id| (id, org.clone()))
            })
            .collect::<Vec<_>>();
        (campaigns, agents)
    });
    let sources = sim.with_world(|world, _| {
        world
            .data_sources
            .values()
            .map(|s| DemoSource {
                name: s.name.clone(),
                organization: s.organization.clone(),
                list_name: s.list_name.clone(),
                kind: s.kind.clone(),
                file_path: s.file_path.clone(),
            })
            .collect()
    });
    let control_token = sim.control_token().to_string();
    let (bound, _) = pom_sim::spawn(bind(listen, "POM simulator").await?, sim)
        .context("starting the POM simulator")?;
    let password = Alphanumeric.sample_string(&mut rand::thread_rng(), 24);
    let server = spawn_sftp(
        bind(sftp_listen, "simulated SFTP drop").await?,
        SftpServerConfig {
            host_key: drop_dir.join(".ssh_host_ed25519_key"),
            drop_dir,
            users: [(DROP_USER.to_string(), password.clone())].into(),
            authorized_keys: Vec::new(),
            quota_bytes: None,
        },
    )
    .context("starting the simulated SFTP drop")?;
    Ok(DemoPom {
        rest_base: format!("http://{}/VP_POM_Service/v1", reachable(bound)),
        sftp: SftpConfig {
            host: server.address.ip().to_string(),
            port: server.address.port(),
            user: DROP_USER.to_string(),
            auth: SftpAuth::Password(password),
            host_key_fingerprint: server.host_key_fingerprint,
            remote_dir: String::new(),
            timeout: Duration::from_secs(30),
        },
        sources,
        control_token,
        campaigns: mapped.0,
        agents: mapped.1,
    })
}

/// Demo mode (no POM configured): starts the simulator, points the SFTP drop at it unless one is
/// configured, maps its data sources, and returns its REST base for the POM client.
pub async fn start_demo_pom(
    config: &mut crate::config::Config,
    pool: &sqlx::PgPool,
) -> anyhow::Result<Option<String>> {
    if !config.demo_mode() {
        return Ok(None);
    }
    let demo = start(
        config.simulator_listen,
        config.simulator_sftp_listen,
        config.demo_dialling_hours,
    )
    .await?;
    // A configured drop wins; otherwise uploads go to the simulator's.
    println!(
        "  Simulated SFTP drop (data-source files): sftp://{}@{}:{} (host key {})",
        demo.sftp.user, demo.sftp.host, demo.sftp.port, demo.sftp.host_key_fingerprint
    );
    println!(
        "  Simulator control API writes need the header X-Sim-Token: {}",
        demo.control_token
    );
    config.sftp.get_or_insert(demo.sftp);
    domain::uploads::sources::seed_demo(pool, &demo.sources)
        .await
        .context("mapping the simulator's data sources")?;
    domain::mappings::demo::seed_demo(
        pool,
        &demo.campaigns,
        &demo.agents,
        &crate::demo::DEMO_WORK_TEAMS,
    )
    .await
    .context("mapping the simulator's campaigns and agents to the demo teams")?;
    Ok(Some(demo.rest_base))
}

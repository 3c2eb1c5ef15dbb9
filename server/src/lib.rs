//! OCM's server: configuration, telemetry, HTTP wiring, plain routes, background workers and the
//! command line. `main.rs` only parses arguments and calls [`run`].

pub mod api;
pub mod cli;
pub mod config;
pub mod demo;
pub mod edge;
pub mod metrics;
pub mod middleware;
pub mod pom_setup;
pub mod router;
pub mod routes;
#[cfg(feature = "demo")]
pub mod simulator;
pub mod startup;
pub mod telemetry;
pub mod workers;

/// `ocm` and everything else linking this crate (its tests and benchmarks) allocate through
/// mimalloc: under load glibc's allocator made the server's threads wait on its arena locks
/// (docs/decisions.md, "The allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::Context;
use leptos::config::{get_configuration, LeptosOptions};
use secrecy::ExposeSecret;
use tokio_util::sync::CancellationToken;

use crate::cli::{Cli, Command, DncCommand, TeamCommand, UserCommand};
use crate::config::{Config, LogFormat};

/// Leptos options from `LEPTOS_*` variables (set by cargo-leptos), with OCM's defaults for the
/// output name when the binary runs on its own.
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    let mut options = get_configuration(None)
        .context("reading LEPTOS_* settings")?
        .leptos_options;
    if options.output_name.is_empty() {
        options.output_name = "ocm".into();
    }
    Ok(options)
}

fn load_config() -> anyhow::Result<Config> {
    Config::from_env().map_err(|e| anyhow::anyhow!("configuration error: {e}"))
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let log_format = LogFormat::from_lookup(&|var| std::env::var(var).ok())
        .map_err(|e| anyhow::anyhow!("configuration error: {e}"))?;
    telemetry::init(log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(load_config()?).await,
        Command::Migrate => {
            let config = load_config()?;
            let pool = startup::connect(&config).await?;
            startup::migrate(&pool).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::CheckConfig => {
            let config = load_config()?;
            cli::print_config(&config);
            println!("configuration is valid");
            Ok(())
        }
        Command::Team(TeamCommand::Add { name, organization }) => {
            cli::team_add(&load_config()?, &name, &organization).await
        }
        Command::SftpFingerprint { host, port } => cli::sftp_fingerprint(&host, port).await,
        Command::Dnc(DncCommand::AuditFormats) => cli::audit_formats(&load_config()?).await,
        Command::Audit(command) => cli::audit(&load_config()?, command).await,
        Command::Reports(command) => cli::reports(&load_config()?, command).await,
        Command::ApiClient(command) => cli::api_client::run(&load_config()?, command).await,
        Command::User(UserCommand::Add {
            username,
            role,
            team,
            display_name,
        }) => {
            cli::user_add(
                &load_config()?,
                &username,
                role.into(),
                &team,
                display_name.as_deref(),
            )
            .await
        }
    }
}

fn print_banner(
    address: &std::net::SocketAddr,
    logins: &demo::DemoLogins,
    simulator: Option<&str>,
) {
    println!();
    println!("  OCM is running at http://{address}");
    if let Some(simulator) = simulator {
        println!("  Built-in POM simulator (demo data): {simulator}  (SOAP under /axis2/services, control API under /__sim/)");
    }
    match logins {
        demo::DemoLogins::On {
            password,
            generated,
        } => {
            println!("  Demo mode (no POM configured). Demo logins: admin, supervisor, manager");
            if *generated {
                println!(
                    "  Demo password (generated; set OCM_DEMO_PASSWORD to choose one): {}",
                    password.expose_secret()
                );
            } else {
                println!("  Demo password: the value of OCM_DEMO_PASSWORD");
            }
        }
        demo::DemoLogins::Off { .. } => {
            println!("  Connected mode: sign in with users created by `ocm user add`")
        }
    }
    println!();
}

/// Starts everything and serves until SIGINT or SIGTERM.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let options = leptos_options()?;
    let address = options.site_addr;
    if let Some(warning) = config.proxy_warning(address) {
        tracing::warn!("{warning}");
    }
    let mut config = config;
    let (metrics, withdrawn) = config.metrics_access(address);
    if let Some(reason) = withdrawn {
        tracing::warn!("{reason}");
    }
    config.metrics = metrics;
    let pool = startup::connect(&config).await?;
    startup::migrate(&pool).await?;
    let logins = demo::prepare(
        &pool,
        config.demo_mode(),
        config.demo_password.clone(),
        &config.call_data.time_zone,
    )
    .await?;
    if let demo::DemoLogins::Off { removed } = &logins {
        if *removed > 0 {
            tracing::info!(removed, "demo users removed (not in demo mode)");
        }
    }
    let mut config = config;
    let simulator = start_demo_pom(&mut config, &pool).await?;
    let state = startup::build_state(&config, pool.clone(), simulator.clone())?;
    domain::erasure::tombstone::check_key(&pool, &state.settings.erasure_key)
        .await
        .map_err(anyhow::Error::msg)?;
    let router = startup::build_router(state.clone(), options, &config);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| {
            format!("cannot listen on {address} (set LEPTOS_SITE_ADDR to another address)")
        })?;
    let stop = CancellationToken::new();
    let workers = workers::spawn_all(&state, config.session_idle, &stop);
    print_banner(&address, &logins, simulator.as_deref());
    // Demo mode reads numbers as its region's without being told: say which.
    println!("  Phone numbers: {}\n", config.phone.describe());
    tracing::info!(
        region = config.phone.region.id(),
        demo_default = config.phone.demo_default,
        pom_format = config.phone.format.as_str(),
        "phone rules"
    );
    tracing::info!(%address, demo_mode = config.demo_mode(), "serving");
    let closing = state.jobs.closing.clone();
    let shutdown = async move {
        startup::shutdown_signal().await;
        // Event streams never end on their own; close them so the server can drain.
        closing.cancel();
    };
    startup::serve(listener, router, shutdown)
        .await
        .context("serving HTTP")?;
    stop.cancel();
    for worker in workers {
        let _ = worker.await;
    }
    // Reads answered before the stop keep their audit records.
    state
        .api
        .reads
        .flush(std::time::Duration::from_secs(5))
        .await;
    pool.close().await;
    tracing::info!("stopped cleanly");
    Ok(())
}

#[cfg(feature = "demo")]
use simulator::start_demo_pom;

/// Without the `demo` feature the configuration already insists on a real POM.
#[cfg(not(feature = "demo"))]
async fn start_demo_pom(_: &mut Config, _: &sqlx::PgPool) -> anyhow::Result<Option<String>> {
    Ok(None)
}

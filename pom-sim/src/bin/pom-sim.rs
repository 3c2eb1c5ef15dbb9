//! `pom-sim`: runs the POM simulator (REST, SOAP and the `/__sim/` control API) on one address,
//! and, with `--sftp-listen`, its SFTP drop on another.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Parser;
use pom_sim::sftp::{self, SftpServer, SftpServerConfig};
use pom_sim::{self, world::SimUser, Sim, SimSettings};

/// A POM simulator faithful to seed 004 and the REST reference, for tests and demos.
#[derive(Debug, Parser)]
#[command(name = "pom-sim", version)]
struct Args {
    /// Address to listen on (loopback unless --allow-remote).
    #[arg(long, default_value = "127.0.0.1:7080")]
    listen: std::net::SocketAddr,
    /// Listen off loopback too (the control API then answers the network: set a token).
    #[arg(long)]
    allow_remote: bool,
    /// The token control API writes must carry in X-Sim-Token [default: random, printed].
    #[arg(long, env = "POM_SIM_CONTROL_TOKEN", hide_env_values = true)]
    control_token: Option<String>,
    /// A host name (besides localhost and loopback addresses) the control API answers to
    /// (repeatable).
    #[arg(
        long = "allowed-host",
        value_name = "NAME",
        env = "POM_SIM_ALLOWED_HOSTS",
        value_delimiter = ','
    )]
    allowed_hosts: Vec<String>,
    /// Load demo data and demo users (pomadmin/pomadmin global; sales.pom, collections.pom).
    #[arg(long)]
    demo: bool,
    /// Seed for the demo data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// With --demo: start every demo campaign this many hours ago (at most 72) and dial up to
    /// now, so the feed has a history from the start.
    #[arg(long, value_name = "HOURS", default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=72))]
    demo_history_hours: u32,
    /// A global user, NAME:PASSWORD (repeatable).
    #[arg(long = "global-user", value_name = "NAME:PASSWORD")]
    global_users: Vec<String>,
    /// An organization user, ORG:NAME:PASSWORD (repeatable).
    #[arg(long = "org-user", value_name = "ORG:NAME:PASSWORD")]
    org_users: Vec<String>,
    /// pageNumber of the first page (0 or 1).
    #[arg(long, default_value_t = 1)]
    first_page: u32,
    /// Refuse REST calls without `X-Requested-With: rest`.
    #[arg(long)]
    strict_headers: bool,
    /// Serve HTTPS with a generated self-signed certificate (printed at start-up).
    #[arg(long)]
    tls: bool,
    /// The drop folder (SFTP user NAME's files are in DIR/NAME; data-source paths are relative
    /// to DIR). Default: a fresh folder under the system temp dir.
    #[arg(long, value_name = "DIR")]
    drop_dir: Option<PathBuf>,
    /// Serve the SFTP drop on this address (e.g. 127.0.0.1:2222).
    #[arg(long, value_name = "ADDR")]
    sftp_listen: Option<String>,
    /// An SFTP user, NAME:PASSWORD (repeatable; an empty password allows keys only).
    #[arg(long = "sftp-user", value_name = "NAME:PASSWORD")]
    sftp_users: Vec<String>,
    /// OpenSSH authorized_keys file: these keys may sign in as any SFTP user.
    #[arg(long, value_name = "FILE")]
    sftp_authorized_keys: Option<PathBuf>,
    /// The SFTP host key, generated there when missing [default: DROP_DIR/.ssh_host_ed25519_key].
    #[arg(long, value_name = "FILE")]
    sftp_host_key: Option<PathBuf>,
    /// Simulated disk size of each SFTP user's folder, in bytes (writes beyond it fail as on a
    /// full disk).
    #[arg(long, value_name = "BYTES")]
    sftp_quota_bytes: Option<u64>,
}

fn users(args: &Args) -> Result<BTreeMap<String, SimUser>, String> {
    let mut users = BTreeMap::new();
    for entry in &args.global_users {
        let (name, password) = entry
            .split_once(':')
            .ok_or(format!("--global-user {entry}: use NAME:PASSWORD"))?;
        users.insert(
            name.to_string(),
            SimUser {
                password: password.to_string(),
                organization: None,
            },
        );
    }
    for entry in &args.org_users {
        let mut parts = entry.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(org), Some(name), Some(password)) => {
                users.insert(
                    name.to_string(),
                    SimUser {
                        password: password.to_string(),
                        organization: Some(org.to_string()),
                    },
                );
            }
            _ => return Err(format!("--org-user {entry}: use ORG:NAME:PASSWORD")),
        }
    }
    Ok(users)
}

fn sftp_config(args: &Args, drop_dir: &Path) -> Result<SftpServerConfig, String> {
    let mut users = BTreeMap::new();
    for entry in &args.sftp_users {
        let (name, password) = entry
            .split_once(':')
            .ok_or(format!("--sftp-user {entry}: use NAME:PASSWORD"))?;
        users.insert(name.to_string(), password.to_string());
    }
    if users.is_empty() {
        return Err("--sftp-listen needs at least one --sftp-user".into());
    }
    let authorized_keys = match &args.sftp_authorized_keys {
        Some(path) => sftp::load_authorized_keys(path)
            .map_err(|e| format!("--sftp-authorized-keys {}: {e}", path.display()))?,
        None => Vec::new(),
    };
    Ok(SftpServerConfig {
        drop_dir: drop_dir.to_path_buf(),
        users,
        authorized_keys,
        host_key: args
            .sftp_host_key
            .clone()
            .unwrap_or_else(|| drop_dir.join(".ssh_host_ed25519_key")),
        quota_bytes: args.sftp_quota_bytes,
    })
}

async fn start_sftp(args: &Args, address: &str, drop_dir: &Path) -> Result<SftpServer, String> {
    let config = sftp_config(args, drop_dir)?;
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| format!("cannot listen on {address} for SFTP: {e}"))?;
    sftp::spawn_sftp(listener, config).map_err(|e| format!("cannot start SFTP: {e}"))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt().with_target(false).init();
    let args = Args::parse();
    let users = match users(&args) {
        Ok(users) => users,
        Err(problem) => {
            eprintln!("pom-sim: {problem}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let settings = SimSettings {
        first_page: args.first_page,
        strict_headers: args.strict_headers,
        seed: args.seed,
        demo: args.demo,
        demo_history_hours: args.demo_history_hours,
        users,
        drop_dir: args.drop_dir.clone(),
        control_token: args.control_token.clone(),
        allowed_hosts: args.allowed_hosts.clone(),
    };
    if let Err(problem) = pom_sim::guard::check_listen(args.listen, args.allow_remote) {
        eprintln!("pom-sim: {problem}");
        return std::process::ExitCode::FAILURE;
    }
    let listener = match tokio::net::TcpListener::bind(&args.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("pom-sim: cannot listen on {}: {error}", args.listen);
            return std::process::ExitCode::FAILURE;
        }
    };
    let sim = Sim::new(settings);
    let drop_dir = sim.drop_dir().to_path_buf();
    let token_note = if args.control_token.is_some() {
        "the one given".to_string()
    } else {
        sim.control_token().to_string()
    };
    // SFTP first, so that a mistake in its flags stops the simulator before it announces itself.
    let sftp = match &args.sftp_listen {
        Some(sftp_address) => match start_sftp(&args, sftp_address, &drop_dir).await {
            Ok(server) => Some(server),
            Err(problem) => {
                eprintln!("pom-sim: {problem}");
                return std::process::ExitCode::FAILURE;
            }
        },
        None => None,
    };
    let scheme = if args.tls { "https" } else { "http" };
    let started = if args.tls {
        pom_sim::spawn_tls(listener, sim).map(|(address, certificate)| {
            println!("Self-signed certificate:\n{certificate}");
            address
        })
    } else {
        pom_sim::spawn(listener, sim)
            .map(|(address, _)| address)
            .map_err(|e| e.to_string())
    };
    let address = match started {
        Ok(address) => address,
        Err(problem) => {
            eprintln!("pom-sim: cannot start: {problem}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("POM simulator at {scheme}://{address}/VP_POM_Service/v1 and {scheme}://{address}/axis2/services (control: /__sim/)");
    println!("Control API writes need the header X-Sim-Token: {token_note}");
    if let Some(server) = sftp {
        println!(
            "SFTP drop at sftp://{} (folder {}), host key {}",
            server.address,
            drop_dir.display(),
            server.host_key_fingerprint
        );
    }
    let _ = tokio::signal::ctrl_c().await;
    std::process::ExitCode::SUCCESS
}

//! `pom-sim`: runs the POM simulator (REST, SOAP and the `/__sim/` control API) on one address.

use std::collections::BTreeMap;

use clap::Parser;
use pom::sim::{self, world::SimUser, Sim, SimSettings};

/// A POM simulator faithful to seed 004 and the REST reference, for tests and demos.
#[derive(Debug, Parser)]
#[command(name = "pom-sim", version)]
struct Args {
    /// Address to listen on (keep it on loopback: the control API has no authentication).
    #[arg(long, default_value = "127.0.0.1:7080")]
    listen: String,
    /// Load demo data and demo users (pomadmin/pomadmin global; sales.pom, collections.pom).
    #[arg(long)]
    demo: bool,
    /// Seed for the demo data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
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
        users,
        drop_dir: None,
    };
    let listener = match tokio::net::TcpListener::bind(&args.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("pom-sim: cannot listen on {}: {error}", args.listen);
            return std::process::ExitCode::FAILURE;
        }
    };
    let sim = Sim::new(settings);
    let scheme = if args.tls { "https" } else { "http" };
    let started = if args.tls {
        sim::spawn_tls(listener, sim).map(|(address, certificate)| {
            println!("Self-signed certificate:\n{certificate}");
            address
        })
    } else {
        sim::spawn(listener, sim)
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
    let _ = tokio::signal::ctrl_c().await;
    std::process::ExitCode::SUCCESS
}

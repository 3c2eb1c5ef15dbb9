//! The `ocm` command line: `serve` (default), `migrate`, `check-config`, `team add`, `user add`,
//! `dnc audit-formats` (`dnc`), `audit verify|archive|restore` (`audit`), `reports ingest|rebuild`
//! (`reports`), `api-client add|list|disable|enable|rotate` (`api_client`).

use std::io::{BufRead, IsTerminal};

use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};
use domain::audit::{self, Actor, AuditEvent, Outcome};
use domain::request_meta::RequestMeta;
use domain::{passwords, users};
use types::model::{AuditAction, Role};

use crate::config::Config;
use crate::startup;

pub mod api_client;
mod audit_log;
mod dnc;
mod print_config;
mod reports;

pub use print_config::{config_lines, print_config};

pub use audit_log::AuditCommand;
pub use dnc::{audit_formats, DncCommand};
pub use reports::ReportsCommand;

/// Outbound Campaign Manager server.
#[derive(Debug, Parser)]
#[command(
    name = "ocm",
    version,
    about = "Outbound Campaign Manager: web server and admin commands"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Check the configuration from the environment and print it (secrets hidden).
    CheckConfig,
    /// Manage teams.
    #[command(subcommand)]
    Team(TeamCommand),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Print the host key fingerprint an SFTP server presents (to confirm with its administrator
    /// and set as OCM_SFTP_HOST_KEY).
    SftpFingerprint {
        /// The server's host name or address.
        host: String,
        /// Its SSH port.
        #[arg(long, default_value_t = 22)]
        port: u16,
    },
    /// DNC registry checks.
    #[command(subcommand)]
    Dnc(DncCommand),
    /// The audit log: verify its hash chain, archive and restore months.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Report data: ingest the call-data feed now, rebuild summaries.
    #[command(subcommand)]
    Reports(ReportsCommand),
    /// The automation API's clients: add (prints the secret once), list, disable, enable, rotate.
    #[command(subcommand)]
    ApiClient(api_client::ApiClientCommand),
}

/// Team commands.
#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Create a team mapped to a POM organization (created if new).
    Add {
        /// Team name.
        name: String,
        /// POM organization name the team works in.
        #[arg(long)]
        organization: String,
    },
}

/// A role on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Supervisor,
    Manager,
}

impl From<RoleArg> for Role {
    fn from(value: RoleArg) -> Self {
        match value {
            RoleArg::Admin => Role::Admin,
            RoleArg::Supervisor => Role::Supervisor,
            RoleArg::Manager => Role::Manager,
        }
    }
}

/// User commands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. The password is read from a prompt, or from the first line of standard
    /// input when it is not a terminal; never from an argument.
    Add {
        /// User name (a-z, 0-9, '.', '_', '-').
        username: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Existing team name (see `ocm team add`).
        #[arg(long)]
        team: String,
        /// Name shown in the header; defaults to the user name.
        #[arg(long)]
        display_name: Option<String>,
    },
}

fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = rpassword::prompt_password("Password: ")?;
    let second = rpassword::prompt_password("Repeat password: ")?;
    if first != second {
        bail!("the passwords differ");
    }
    Ok(first)
}

pub(crate) fn cli_meta() -> RequestMeta {
    RequestMeta {
        request_id: None,
        client_addr: "cli".into(),
        user_agent: Some(format!("ocm-cli/{}", env!("CARGO_PKG_VERSION"))),
    }
}

pub(crate) fn cli_actor() -> Actor {
    Actor::named(&format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    ))
}

/// Creates a team (and its organization when new).
pub async fn team_add(config: &Config, name: &str, organization: &str) -> anyhow::Result<()> {
    let pool = startup::connect(config).await?;
    startup::migrate(&pool).await?;
    let mut tx = pool.begin().await?;
    let organization_id = users::ensure_organization(&mut tx, organization.trim()).await?;
    let (_, team_org) = users::ensure_team(&mut tx, name.trim(), organization_id).await?;
    if team_org != organization_id {
        bail!("team '{name}' already exists in another organization");
    }
    let event = AuditEvent::new(AuditAction::TeamAdd, Outcome::Success)
        .with_target(name.trim())
        .with_organization(organization.trim())
        .with_parameters(serde_json::json!({ "organization": organization.trim() }));
    audit::record(&mut *tx, &cli_actor(), &cli_meta(), event).await?;
    tx.commit().await?;
    println!(
        "team '{}' is in organization '{}'",
        name.trim(),
        organization.trim()
    );
    Ok(())
}

/// Creates a user after checking the name, team and password.
pub async fn user_add(
    config: &Config,
    username: &str,
    role: Role,
    team: &str,
    display_name: Option<&str>,
) -> anyhow::Result<()> {
    let username = users::normalise_username(username);
    users::check_username(&username).map_err(|p| anyhow::anyhow!("user name: {p}"))?;
    let pool = startup::connect(config).await?;
    startup::migrate(&pool).await?;
    let team_id = users::find_team(&pool, team)
        .await?
        .with_context(|| format!("team '{team}' does not exist; create it with `ocm team add`"))?;
    let password = read_password()?;
    passwords::check_strength(&password).map_err(|p| anyhow::anyhow!("password: {p}"))?;
    let hash = tokio::task::spawn_blocking(move || passwords::hash_password(&password))
        .await?
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
    let mut tx = pool.begin().await?;
    let user = users::NewUser {
        username: &username,
        display_name: display_name.unwrap_or(&username),
        role,
        team_id,
        password_hash: &hash,
        is_demo: false,
    };
    users::create_user(&mut *tx, &user)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                anyhow::anyhow!("user '{username}' already exists")
            }
            _ => anyhow::Error::new(e),
        })?;
    let event = AuditEvent::new(AuditAction::UserAdd, Outcome::Success)
        .with_target(username.as_str())
        .with_parameters(serde_json::json!({ "role": role.as_str(), "team": team }));
    audit::record(&mut *tx, &cli_actor(), &cli_meta(), event).await?;
    tx.commit().await?;
    println!("user '{username}' created ({}, team {team})", role.label());
    Ok(())
}

/// Runs an `ocm audit` command.
pub async fn audit(config: &Config, command: AuditCommand) -> anyhow::Result<()> {
    audit_log::run(config, command).await
}

/// Runs a `reports` command.
pub async fn reports(config: &Config, command: ReportsCommand) -> anyhow::Result<()> {
    reports::run(config, command).await
}

/// Prints the SFTP server's host key fingerprint.
pub async fn sftp_fingerprint(host: &str, port: u16) -> anyhow::Result<()> {
    let fingerprint = pom::sftp::probe_host_key(host, port, std::time::Duration::from_secs(15))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{host}:{port} presents {fingerprint}");
    println!(
        "Confirm it with the server's administrator, then set OCM_SFTP_HOST_KEY={fingerprint}"
    );
    Ok(())
}

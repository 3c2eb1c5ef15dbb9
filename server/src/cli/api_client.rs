//! `ocm api-client add | list | disable | enable | rotate`: the automation API's clients from the
//! command line (the same use cases as `/admin/api-clients`, audited as the CLI user). The secret
//! is printed once, by `add` and `rotate`.

use clap::Subcommand;
use domain::api::clients::{self, Author};
use types::model::NewApiClient;

use super::{cli_actor, cli_meta};
use crate::config::Config;
use crate::startup;

/// API client commands.
#[derive(Debug, Subcommand)]
pub enum ApiClientCommand {
    /// Register a client; prints its id and secret once.
    Add {
        /// A name (letters, digits, spaces, '.', '_', '-').
        name: String,
        /// The one organization it serves.
        #[arg(long, conflicts_with = "all", required_unless_present = "all")]
        organization: Option<String>,
        /// It serves every organization (each call names one).
        #[arg(long)]
        all: bool,
        /// What it may do: dnc, records, campaigns:read, campaigns:control, emergency, reports,
        /// admin (repeat the option or separate with commas).
        #[arg(long = "scope", required = true, value_delimiter = ',')]
        scopes: Vec<String>,
        /// The last day it works (YYYY-MM-DD, in OCM_REPORT_TIME_ZONE); none: no expiry.
        #[arg(long)]
        expires: Option<String>,
    },
    /// List the clients (never their secrets).
    List,
    /// Disable a client: its tokens stop working at once.
    Disable { client_id: String },
    /// Enable a disabled client.
    Enable { client_id: String },
    /// Give a client a new secret (printed once); the old one and its tokens stop working.
    Rotate { client_id: String },
}

/// Runs an `ocm api-client` command.
pub async fn run(config: &Config, command: ApiClientCommand) -> anyhow::Result<()> {
    let pool = startup::connect(config).await?;
    startup::migrate(&pool).await?;
    let (actor, meta) = (cli_actor(), cli_meta());
    let author = || Author {
        actor: &actor,
        meta: &meta,
    };
    let fail = |e: types::error::AppError| anyhow::anyhow!("{e}");
    match command {
        ApiClientCommand::Add {
            name,
            organization,
            all,
            scopes,
            expires,
        } => {
            let new = NewApiClient {
                name,
                organization: organization.unwrap_or_default(),
                all_organizations: all,
                scopes,
                expires_on: expires.unwrap_or_default(),
            };
            let zone = &config.call_data.time_zone;
            let issued = clients::create(&pool, author(), &new, zone)
                .await
                .map_err(fail)?;
            println!("client_id: {}", issued.client_id);
            println!("secret:    {}", issued.secret);
            println!("Store the secret now: OCM keeps only its hash and never shows it again.");
        }
        ApiClientCommand::List => {
            for c in clients::list(&pool).await.map_err(fail)? {
                let state = if c.disabled_at.is_some() {
                    "disabled"
                } else {
                    "enabled"
                };
                println!(
                    "{}  {}  {}  {}  {}  expires {}",
                    c.client_id,
                    c.name,
                    c.organization.as_deref().unwrap_or("(all organizations)"),
                    c.scopes.join(","),
                    state,
                    c.expires_at.as_deref().unwrap_or("never"),
                );
            }
        }
        ApiClientCommand::Disable { client_id } => {
            clients::set_enabled(&pool, author(), &client_id, false)
                .await
                .map_err(fail)?;
            println!("client {client_id} disabled; its tokens no longer work");
        }
        ApiClientCommand::Enable { client_id } => {
            clients::set_enabled(&pool, author(), &client_id, true)
                .await
                .map_err(fail)?;
            println!("client {client_id} enabled");
        }
        ApiClientCommand::Rotate { client_id } => {
            let issued = clients::rotate(&pool, author(), &client_id)
                .await
                .map_err(fail)?;
            println!("client_id: {}", issued.client_id);
            println!("secret:    {}", issued.secret);
            println!("The old secret and its tokens no longer work.");
        }
    }
    Ok(())
}

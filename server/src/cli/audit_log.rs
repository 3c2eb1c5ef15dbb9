//! `ocm audit verify | archive | restore`: the audit log's hash chain checked, months archived and
//! brought back (`domain::audit_trail`, `docs/audit-trail.md`). Each run is itself audited.

use std::path::PathBuf;

use anyhow::bail;
use clap::Subcommand;
use domain::audit::{self, AuditEvent, Outcome};
use domain::audit_trail::{archive, restore, upkeep, verify, AuditMonth};
use types::model::AuditAction;

use super::{cli_actor, cli_meta};
use crate::config::Config;
use crate::startup;

/// Audit log commands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain of the online audit log and name every broken link. Exits with 1
    /// when the chain is broken. Prints each month's last hash: keep them elsewhere to prove
    /// later that the chain was not recomputed.
    Verify {
        /// First month to check (YYYY-MM); default the oldest online.
        #[arg(long, value_parser = month)]
        from: Option<AuditMonth>,
        /// Last month to check (YYYY-MM); default the newest.
        #[arg(long, value_parser = month)]
        to: Option<AuditMonth>,
    },
    /// Archive one month to OCM_AUDIT_ARCHIVE_DIR and drop it from the database; without
    /// `--month`, run the daily upkeep now (archive every month past OCM_AUDIT_ONLINE_MONTHS).
    Archive {
        #[arg(long, value_parser = month)]
        month: Option<AuditMonth>,
    },
    /// Load an archived month back for an investigation, from its manifest file.
    Restore {
        /// The `audit-YYYY-MM.manifest.json` file; its archive lies beside it.
        manifest: PathBuf,
    },
}

fn month(text: &str) -> Result<AuditMonth, String> {
    AuditMonth::parse(text).ok_or_else(|| format!("{text:?} is not a month written YYYY-MM"))
}

/// Runs an audit command.
pub async fn run(config: &Config, command: AuditCommand) -> anyhow::Result<()> {
    let pool = startup::connect(config).await?;
    startup::migrate(&pool).await?;
    match command {
        AuditCommand::Verify { from, to } => verify_chain(&pool, from, to).await,
        AuditCommand::Archive { month: Some(month) } => {
            let done = archive::archive_month(
                &pool,
                &config.audit.archive_dir,
                month,
                &cli_actor(),
                &cli_meta(),
            )
            .await?;
            println!(
                "{}: {} records archived ({}), partitions dropped",
                done.month,
                done.rows,
                done.manifest.display()
            );
            Ok(())
        }
        AuditCommand::Archive { month: None } => {
            let done = upkeep::run(&pool, &config.audit, AuditMonth::now()).await?;
            println!(
                "archived: {}; archives deleted: {}",
                names(&done.archived),
                names(&done.deleted)
            );
            Ok(())
        }
        AuditCommand::Restore { manifest } => {
            let done = restore::restore_month(&pool, &manifest, &cli_actor(), &cli_meta()).await?;
            println!(
                "{}: {} records restored and verified",
                done.month, done.rows
            );
            Ok(())
        }
    }
}

fn names(months: &[AuditMonth]) -> String {
    if months.is_empty() {
        return "none".into();
    }
    months
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

async fn verify_chain(
    pool: &sqlx::PgPool,
    from: Option<AuditMonth>,
    to: Option<AuditMonth>,
) -> anyhow::Result<()> {
    let mut conn = pool.acquire().await?;
    let Some((oldest, newest)) = verify::online_range(&mut *conn).await? else {
        println!("the online audit log holds no records");
        return Ok(());
    };
    let from = from.unwrap_or(oldest);
    let to = to.unwrap_or(newest);
    let report = verify::verify(&mut conn, from, to).await?;
    for month in &report.months {
        println!(
            "{}  {:>9} links  last {}",
            month.month,
            month.links,
            month.head.as_deref().unwrap_or("-")
        );
    }
    let outcome = if report.is_intact() {
        Outcome::Success
    } else {
        Outcome::Failure
    };
    let event = AuditEvent::new(AuditAction::AuditVerify, outcome)
        .with_target(format!("{from} to {to}"))
        .with_counts(serde_json::json!({
            "months": report.months.len(),
            "links": report.months.iter().map(|m| m.links).sum::<i64>(),
            "breaks": report.breaks.len(),
        }));
    audit::record(&mut *conn, &cli_actor(), &cli_meta(), event).await?;
    if report.is_intact() {
        println!("the chain is intact from {from} to {to}");
        return Ok(());
    }
    for found in &report.breaks {
        println!("BROKEN  {found}");
    }
    if report.more_breaks {
        println!("… and more; the first is listed first");
    }
    bail!(
        "the audit chain is broken: {}",
        report
            .breaks
            .first()
            .map(ToString::to_string)
            .unwrap_or_default()
    )
}

//! `ocm reports ingest | rebuild | not-listed`: one ingestion run of the call-data feed now, the
//! summaries of a range of report days recomputed from the raw rows (`docs/call-data.md`), and
//! an external pre-processing step's rows for the Account Not in Listing report.

use std::sync::Arc;

use anyhow::{bail, Context};
use clap::Subcommand;
use domain::call_data::folder::{ingest_folder, Folder};
use domain::call_data::ingest::{ingest_once, Feed};
use domain::call_data::rebuild::rebuild;
use domain::reports::not_listed::external::{self, ExternalBatch};

use crate::config::Config;
use crate::startup;

/// Report data commands.
#[derive(Debug, Subcommand)]
pub enum ReportsCommand {
    /// Read everything new from the call-data feed (OCM_POM_FEED_URL) and the import folder
    /// (OCM_CALL_DATA_IMPORT_DIR) now, then exit.
    Ingest,
    /// Recompute the summaries of report days FROM..=TO (YYYY-MM-DD, in OCM_REPORT_TIME_ZONE)
    /// from the raw rows; the result equals what ingestion kept.
    Rebuild {
        #[arg(long, value_parser = day)]
        from: time::Date,
        #[arg(long, value_parser = day)]
        to: time::Date,
    },
    /// Add the rows an external pre-processing step left out to the Account Not in Listing
    /// report: a CSV with the header row_number,user_contact_id,phone,category,reason
    /// (row_number optional; at most 200,000 rows, 32 MiB), audited as one batch.
    NotListed {
        #[arg(long)]
        organization: String,
        /// The POM contact list the rows were meant for.
        #[arg(long)]
        list: String,
        /// The step's name for this batch, shown in the report (e.g. "crm-export 2026-12-05").
        #[arg(long)]
        batch: String,
        /// The CSV file; `-` reads standard input.
        file: std::path::PathBuf,
    },
}

/// The file's bytes, refused before reading when larger than the batch limit.
fn read_bounded(file: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let limit = external::MAX_BYTES;
    let reader: Box<dyn Read> = if file.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(file).with_context(|| format!("opening {file:?}"))?)
    };
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {file:?}"))?;
    if bytes.len() as u64 > limit {
        bail!("{file:?} is larger than {} MiB", limit / 1024 / 1024);
    }
    Ok(bytes)
}

fn day(text: &str) -> Result<time::Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, format).map_err(|_| format!("{text:?} is not a day written YYYY-MM-DD"))
}

/// Runs a reports command.
pub async fn run(config: &Config, command: ReportsCommand) -> anyhow::Result<()> {
    let pool = startup::connect(config).await?;
    startup::migrate(&pool).await?;
    let settings = &config.call_data;
    match command {
        ReportsCommand::Ingest => {
            if settings.feed_url.is_none() && settings.import_dir.is_none() {
                bail!(
                    "neither OCM_POM_FEED_URL nor OCM_CALL_DATA_IMPORT_DIR is set: there is no \
                     call data to read"
                );
            }
            let key = Arc::new(crate::config::erasure::resolve(&config.erasure_key)?);
            if let Some(url) = settings.feed_url.as_deref() {
                let http = reqwest::Client::new();
                let feed = Feed {
                    pool: &pool,
                    http: &http,
                    url,
                    time_zone: &settings.time_zone,
                    page: settings.page,
                    key: &key,
                    rules: &config.phone,
                };
                let run = ingest_once(&feed).await.map_err(anyhow::Error::msg)?;
                println!(
                    "feed: {} records added in {} pages ({} kept aside)",
                    run.added, run.pages, run.aside
                );
            }
            if let Some(dir) = settings.import_dir.as_deref() {
                let folder = Folder {
                    pool: &pool,
                    dir,
                    time_zone: &settings.time_zone,
                    page: settings.page,
                    key: &key,
                    rules: &config.phone,
                };
                let run = ingest_folder(&folder).await.map_err(anyhow::Error::msg)?;
                println!(
                    "folder: {} records added in {} pages ({} kept aside)",
                    run.added, run.pages, run.aside
                );
            }
            Ok(())
        }
        ReportsCommand::NotListed {
            organization,
            list,
            batch,
            file,
        } => {
            let bytes = read_bounded(&file)?;
            let rows = external::parse(&bytes).map_err(|e| anyhow::anyhow!("{file:?}: {e}"))?;
            let batch = ExternalBatch {
                organization,
                list,
                batch,
            };
            let added = external::add(
                &pool,
                &batch,
                &rows,
                (&crate::cli::cli_actor(), &crate::cli::cli_meta()),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "{added} rows added to the Account Not in Listing report ({}, list {}, batch {})",
                batch.organization, batch.list, batch.batch
            );
            Ok(())
        }
        ReportsCommand::Rebuild { from, to } => {
            if to < from {
                bail!("--to ({to}) is before --from ({from})");
            }
            let today = time::OffsetDateTime::now_utc().date();
            let oldest = domain::call_data::upkeep::oldest_kept(today, settings.retention_months);
            // A report day's rows may begin the UTC day before it.
            if from <= oldest {
                bail!(
                    "raw call data before {oldest} is dropped by retention \
                     (OCM_CALL_DATA_RETENTION_MONTHS={}): rebuilding {from} would empty its \
                     summaries; choose --from after {oldest}",
                    settings.retention_months
                );
            }
            let done = rebuild(&pool, &settings.time_zone, from, to)
                .await
                .context("rebuilding the summaries")?;
            println!(
                "summaries of {} days rebuilt ({} jobs, {} callbacks) in {}",
                done.days, done.jobs, done.callbacks, settings.time_zone
            );
            Ok(())
        }
    }
}

//! The `ocm` binary: loads `.env` (development), parses the command line and runs it.

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    // Development convenience only; production sets real environment variables.
    let _ = dotenvy::dotenv();
    let cli = server::cli::Cli::parse();
    match server::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ocm: {error:#}");
            ExitCode::FAILURE
        }
    }
}

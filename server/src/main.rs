//! The `ocm` binary: loads `.env` (development), parses the command line and runs it. The runtime
//! is shut down with a deadline: blocking work still running then (a pre-flight that missed its
//! cancel flag) is abandoned, so the process exits instead of waiting for it.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Development convenience only; production sets real environment variables.
    let _ = dotenvy::dotenv();
    let cli = server::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("ocm: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(server::run(cli));
    runtime.shutdown_timeout(server::startup::BLOCKING_GRACE);
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ocm: {error:#}");
            ExitCode::FAILURE
        }
    }
}

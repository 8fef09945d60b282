//! The `milepost` binary: parses the command line, runs the command and maps
//! failures to exit codes (2 for a wrong command, 1 for a failed run).

use std::io::IsTerminal as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser as _;
use milepost_server::cli::{Cli, Command, ServeArgs, run_offline, serve_config};
use milepost_server::{ServeError, Server, shutdown_signal};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Serve(args) => serve(args),
        command => match run_offline(command) {
            Ok(code) => code,
            Err(error) => {
                eprintln!("milepost: {error}");
                ExitCode::from(2)
            }
        },
    }
}

fn serve(args: &ServeArgs) -> ExitCode {
    // Logs go to stderr (stdout carries the one "serving" line for people
    // and scripts), coloured only on a terminal.
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let config = match serve_config(args) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("milepost: {error}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("milepost: cannot start the async runtime: {error}");
            return ExitCode::from(1);
        }
    };
    let result: anyhow::Result<()> = runtime.block_on(async {
        let server = Server::start(&config)?;
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        let address = listener.local_addr().context("no local address")?;
        let roadmap = &server.state.snapshot().roadmap;
        tracing::info!(
            %address,
            documents = roadmap.documents.len(),
            milestones = roadmap.milestones.len(),
            diagnostics = roadmap.diagnostics.len(),
            frontend = server.state.assets().is_built(),
            "serving"
        );
        println!("Milepost is serving http://{address}/");
        server
            .run(listener, shutdown_signal())
            .await
            .context("server failed")
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("milepost: {error:#}");
            // A missing source is a mistake in the command: exit 2 like other CLI errors.
            let missing_source = matches!(
                error.downcast_ref::<ServeError>(),
                Some(ServeError::Source(_))
            );
            ExitCode::from(if missing_source { 2 } else { 1 })
        }
    }
}

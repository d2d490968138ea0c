//! The `kring` command line: `serve` (default), `migrate`, `create-user`, `seed-demo`, `reindex`.
//! Hidden, for tools and the browser tests: `routes` prints the route registry
//! (`startup::route_registry`) as JSON: `[{method, path, kind, access}]`; for `bench/http`,
//! `bench-seed` seeds a large generated community (`bench_seed`).
use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use kring::{cli, config::Settings, telemetry};

#[derive(Parser)]
#[command(
    name = "kring",
    version,
    about = "Kring: share what you know, ask, answer, find the colleague who knows."
)]
struct Cli {
    /// A configuration file (default: kring.toml, or KRING_CONFIG).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, then serve the web application on KRING_BIND (the default command).
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Create a user; the password is asked for, or read from standard input.
    CreateUser(cli::CreateUserArgs),
    /// Fill the database with a small demo community in Dutch and English.
    SeedDemo,
    /// Rebuild the search index from the database; a running server swaps to it when done.
    Reindex,
    /// Print the route registry as JSON (for the browser tests and tools).
    #[command(hide = true)]
    Routes,
    /// Seed a large generated community for the HTTP benchmark (`bench/http`).
    #[command(hide = true)]
    BenchSeed(kring::bench_seed::BenchSeedArgs),
}

fn main() -> ExitCode {
    let args = Cli::parse();
    if matches!(args.command, Some(Command::Routes)) {
        return match serde_json::to_string_pretty(&kring::startup::route_registry()) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let serving = matches!(args.command, None | Some(Command::Serve));
    telemetry::init(if serving { "info" } else { "warn" });
    let settings = match Settings::load(args.config.as_deref()) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match args.command {
            None | Some(Command::Serve) => cli::serve(settings).await,
            Some(Command::Migrate) => cli::migrate(settings).await,
            Some(Command::CreateUser(user)) => cli::create_user(settings, user).await,
            Some(Command::SeedDemo) => cli::seed_demo(settings).await,
            Some(Command::Reindex) => cli::reindex(settings).await,
            Some(Command::BenchSeed(args)) => cli::bench_seed(settings, args).await,
            Some(Command::Routes) => unreachable!("answered before the runtime starts"),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, whatever the cause chain holds.
            eprintln!("error: {}", format!("{e:#}").replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}

//! Logging: `tracing` to standard error, filtered by `RUST_LOG` (default `info`).
use tracing_subscriber::{EnvFilter, fmt};

pub fn init(default_level: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new(format!(
            "{default_level},sqlx=warn,sea_orm=warn,sea_orm_migration=warn,actix_server=warn"
        ))
    });
    let _ = fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours only for people at a terminal, not for log files and collectors.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}

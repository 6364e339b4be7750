//! The command line: one file per subcommand.

mod admin;
mod audit;
mod backup;
mod export;
mod import;
mod load;
mod migrate;
mod serve;
mod settings;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::DatabaseUrl;
use crate::config::{DatabaseArgs, LogFormat, ServeArgs};
use crate::store::Store;

/// Where every setting comes from, first found wins; shown by `serve --help`.
const PRECEDENCE: &str = "Each setting is taken from, first found: its flag, its STOCKROOM_… \
environment variable, the TOML file of --config (keys are the flags' long names, e.g. \
`checkout_batch_max = 128`), its default. `stockroom config` prints the result.";

/// How long the end of a command waits for the runtime's blocking tasks.
const RUNTIME_SHUTDOWN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

#[derive(Parser, Debug)]
#[command(
    name = "stockroom",
    version,
    about = "Stock and order service for a small shop: checkout that never oversells."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the HTTP API (and, with --demo, a demo shop).
    #[command(after_help = PRECEDENCE)]
    Serve(Box<ServeArgs>),
    /// Print the configuration `serve` would run with, secrets redacted.
    #[command(after_help = PRECEDENCE)]
    Config(Box<ServeArgs>),
    /// Apply pending schema migrations and exit (serve does it too).
    Migrate(DatabaseArgs),
    /// Create, revoke or list the admins who run the shop.
    Admin(admin::AdminArgs),
    /// Check that ledger, stock and orders agree; exit code 1 when they do not.
    Audit(audit::AuditArgs),
    /// Create and update products, variants and stock from a CSV file.
    Import(import::ImportArgs),
    /// Write the catalog (and with --stock, the stock) as CSV.
    Export(export::ExportArgs),
    /// Copy the SQLite database to a new file while the server runs.
    Backup(backup::BackupArgs),
    /// Send a rush of checkouts to a running stockroom and report what happened.
    Load(load::LoadArgs),
}

/// The binary's entry: the command line, completed by a `--config` file.
pub fn main() -> ExitCode {
    match settings::parse_with_file(std::env::args_os().collect()) {
        Ok(cli) => run(cli),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

pub fn run(cli: Cli) -> ExitCode {
    // The server logs what it does; a one-shot command prints its own
    // answer and logs only warnings (not, say, each migration applied).
    let (log_format, default_level) = match &cli.command {
        Command::Serve(args) => (args.log_format, "info,tower_http=warn"),
        _ => (LogFormat::Pretty, "warn"),
    };
    init_logging(log_format, default_level);
    if matches!(cli.command, Command::Serve(_)) {
        // Before the runtime's threads exist, so that they use these settings.
        crate::malloc::raise_malloc_trim_threshold();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve::run(*args).await,
            Command::Config(args) => settings::print(&args),
            Command::Migrate(args) => migrate::run(args).await,
            Command::Admin(args) => admin::run(args).await,
            Command::Audit(args) => match audit::run(args).await {
                Ok(true) => Ok(()),
                Ok(false) => Err("the audit found an inconsistency".into()),
                Err(error) => Err(error),
            },
            Command::Import(args) => import::run(args).await,
            Command::Export(args) => export::run(args).await,
            Command::Backup(args) => backup::run(args).await,
            Command::Load(args) => match load::run(args).await {
                Ok(true) => Ok(()),
                Ok(false) => Err(
                    "the run found oversold, leaked or falsely refused orders, or inexact rounds"
                        .into(),
                ),
                Err(error) => Err(error),
            },
        }
    });
    // Blocking tasks still running (a read of the database) would hold the
    // exit back; the server has answered everything it will answer.
    runtime.shutdown_timeout(RUNTIME_SHUTDOWN_TIMEOUT);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to stderr; `RUST_LOG` overrides the default level. Colours only
/// on a terminal: in a file or a journal their codes are noise.
fn init_logging(format: LogFormat, default_level: &str) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Opens the database of a CLI command that is not `serve` or `migrate`:
/// an SQLite file that does not exist is an error, never a new empty shop
/// (an audit of a typo would otherwise say "consistent").
async fn open_store(args: &DatabaseArgs) -> Result<Store, String> {
    let url = DatabaseUrl::parse(args.url_or_default())?;
    if let DatabaseUrl::Sqlite(path) = &url
        && !path.exists()
    {
        return Err(format!(
            "no database at {}: check --database-url, or create it with `stockroom migrate --database-url sqlite://{}` (or `stockroom serve`)",
            path.display(),
            path.display()
        ));
    }
    Store::open(&url, args.store_config())
        .await
        .map_err(|e| e.to_string())
}

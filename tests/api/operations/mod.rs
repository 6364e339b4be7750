//! Operations: the audit and its command, metrics, logs, CSV import and
//! export, backups and the modes of the files they write, the OpenAPI
//! document, slow clients and shutdown, a full disk. Commands run as the
//! real binary.

mod audit;
mod backup;
mod disk_full;
mod files;
mod import_export;
mod load;
mod logs;
mod metrics;
mod openapi;
mod server;
mod slowloris;

use std::path::Path;
use std::process::{Command, Output};

use stockroom::config::DatabaseUrl;

use crate::helpers::TestApp;

/// Runs `stockroom ARGS…` to its end, off the async runtime, with no
/// `STOCKROOM_…` or `RUST_LOG` variable of the caller's leaking in.
pub async fn stockroom(args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || command().args(&args).output().expect("the binary runs"))
        .await
        .expect("the command's task")
}

/// The binary, with a clean environment for its settings.
pub fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stockroom"));
    for (name, _) in std::env::vars() {
        if name.starts_with("STOCKROOM_") || name == "RUST_LOG" {
            command.env_remove(name);
        }
    }
    command
}

pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// The `--database-url` of the app's own database, SQLite or PostgreSQL.
pub fn database_url(app: &TestApp) -> String {
    match &app.database {
        DatabaseUrl::Sqlite(path) => sqlite_url(path),
        DatabaseUrl::Postgres(url) => url.clone(),
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A `stockroom serve` started by a test; killed when the test ends,
/// however it ends.
pub struct Server(pub std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `serve` (a `command()` with its arguments), its log written to
/// `log_path`; answers it and the address it serves on.
pub async fn serve_logging(mut serve: Command, log_path: &Path) -> (Server, String) {
    use std::io::{BufRead, BufReader};
    let log_file = std::fs::File::create(log_path).expect("a log file");
    let mut child = serve
        .stdout(std::process::Stdio::piped())
        .stderr(log_file)
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    // The first line names the address; the rest is drained so that the
    // server never writes to a closed pipe.
    let (first_line, first) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let _ = first_line.send(lines.next().and_then(Result::ok).unwrap_or_default());
        lines.for_each(drop);
    });
    let first = first.await.expect("the first line");
    let base = first
        .trim()
        .strip_prefix("stockroom is serving on ")
        .unwrap_or_else(|| panic!("not the address line: {first}"))
        .to_owned();
    (server, base)
}

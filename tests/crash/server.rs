//! The real `stockroom` binary as a child process that a test can kill -9
//! and start again on the same database.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const BINARY: &str = env!("CARGO_BIN_EXE_stockroom");

pub struct Server {
    child: Child,
    pub base: String,
}

/// Creates an admin on the database (migrating it first) and returns its token.
pub async fn create_admin(database_url: &str) -> String {
    let migrated = Command::new(BINARY)
        .args(["migrate", "--database-url", database_url])
        .output()
        .await
        .expect("stockroom migrate runs");
    assert!(migrated.status.success(), "migrate failed: {migrated:?}");
    let output = Command::new(BINARY)
        .args([
            "admin",
            "create",
            "crash-test",
            "--database-url",
            database_url,
        ])
        .output()
        .await
        .expect("stockroom admin create runs");
    assert!(output.status.success(), "admin create failed: {output:?}");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    stdout
        .lines()
        .last()
        .expect("a token line")
        .trim()
        .to_owned()
}

pub fn sqlite_url(database: &Path) -> String {
    format!("sqlite://{}", database.display())
}

impl Server {
    /// Starts `stockroom serve` on a free loopback port and waits until it answers.
    pub async fn start(database_url: &str) -> Server {
        let mut child = Command::new(BINARY)
            .args(["serve", "--listen", "127.0.0.1:0", "--database-url"])
            .arg(database_url)
            // The storm's clients are all 127.0.0.1: no per-address limit.
            .args(["--rate-limit-per-second", "0"])
            // The storm's webhook receiver listens on 127.0.0.1.
            .arg("--webhook-allow-private")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("stockroom serve starts");
        let stdout = child.stdout.take().expect("a stdout");
        let mut lines = BufReader::new(stdout).lines();
        let base = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await.expect("a line") {
                if let Some(address) = line.strip_prefix("stockroom is serving on ") {
                    return address.trim().to_owned();
                }
            }
            panic!("the server exited before listening");
        })
        .await
        .expect("the server listens within 30 s");
        // Keep draining stdout so the child never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Server { child, base }
    }

    /// SIGKILL: no shutdown, no flush, as a power cut would leave it.
    pub async fn kill_hard(mut self) {
        self.child.kill().await.expect("the server is killed");
        let _ = self.child.wait().await;
    }
}

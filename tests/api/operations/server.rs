//! The real binary as a server on a port of its own, for the tests that
//! need the process itself: its signals, its limits, its memory, its log.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `stockroom serve`, killed when the test ends however it ends.
pub struct Server {
    child: Child,
    pub base: String,
    pub address: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// `stockroom serve ARGS…` on `url`, on a port of its own, with the
    /// rate limit off (every test client is one address) and no log; under
    /// `open_files` open files when given (both limits, so that it cannot
    /// raise them).
    pub fn start(url: &str, open_files: Option<u32>, args: &[&str]) -> Server {
        Server::spawn(url, open_files, args, Stdio::null(), Some("warn"))
    }

    /// Like `start`, logging at its own level (`info`) to `stderr`
    /// (`--log-format json` to read it).
    pub fn start_logging(
        url: &str,
        open_files: Option<u32>,
        args: &[&str],
        stderr: impl Into<Stdio>,
    ) -> Server {
        Server::spawn(url, open_files, args, stderr.into(), None)
    }

    fn spawn(
        url: &str,
        open_files: Option<u32>,
        args: &[&str],
        stderr: Stdio,
        log_level: Option<&str>,
    ) -> Server {
        let mut command = Command::new("sh");
        let limit = open_files.map_or(String::new(), |n| format!("ulimit -n {n} && "));
        command
            .arg("-c")
            .arg(format!("{limit}exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_stockroom"))
            .args(["serve", "--database-url", url, "--listen", "127.0.0.1:0"])
            .args(["--rate-limit-per-second", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(stderr);
        for (name, _) in std::env::vars() {
            if name.starts_with("STOCKROOM_") || name == "RUST_LOG" {
                command.env_remove(name);
            }
        }
        if let Some(level) = log_level {
            command.env("RUST_LOG", level);
        }
        let mut child = command.spawn().expect("the server starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().and_then(Result::ok).unwrap_or_default();
        // The rest is drained so the server never writes to a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let base = first
            .trim()
            .strip_prefix("stockroom is serving on ")
            .unwrap_or_else(|| panic!("no address line: {first}"))
            .to_owned();
        let address = base
            .trim_start_matches("http://")
            .parse()
            .expect("an address");
        Server {
            child,
            base,
            address,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's resident memory, in KiB.
    pub fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("the server's status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }

    /// Sends `SIGTERM`.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Waits for the process to end, at most `limit`; answers how long it took.
    pub async fn wait_for_exit(&mut self, limit: Duration) -> Option<Duration> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if self
                .child
                .try_wait()
                .expect("the server's status")
                .is_some()
            {
                return Some(started.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }
}

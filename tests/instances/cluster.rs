//! Starting and stopping real `stockroom serve` processes on one database.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::pg_schema::{TestSchema, base_url_for};

const BINARY: &str = env!("CARGO_BIN_EXE_stockroom");
/// How long an instance may take to answer `/readyz` after it starts.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// One `stockroom serve` process.
pub struct Instance {
    pub base: String,
    process: Mutex<Option<Child>>,
}

/// One cluster at a time: two clusters of three instances each, in two
/// schemas of one database, were seen to stall each other's transactions
/// past PostgreSQL's idle-in-transaction timeout (each test passes alone;
/// the cause, something shared across schemas, is being looked into).
static ONE_CLUSTER_AT_A_TIME: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Instances sharing one PostgreSQL schema, and an admin token for them.
pub struct Cluster {
    pub instances: Vec<Instance>,
    pub admin_token: String,
    pub client: reqwest::Client,
    // Dropped last, once every process is gone.
    schema: TestSchema,
    _turn: tokio::sync::SemaphorePermit<'static>,
}

impl Cluster {
    /// `None` (after saying so) when no test database is configured; in CI
    /// the test fails instead.
    pub async fn start(count: usize, test: &str) -> Option<Cluster> {
        let base = base_url_for(test)?;
        let turn = ONE_CLUSTER_AT_A_TIME
            .acquire()
            .await
            .expect("the semaphore is never closed");
        let schema = TestSchema::create(&base).await;
        let url = schema.url.clone();
        run(&["migrate", "--database-url", &url]);
        let created = run(&["admin", "create", "rush", "--database-url", &url]);
        let admin_token = created
            .lines()
            .map(str::trim)
            .find(|line| line.starts_with("sra_"))
            .unwrap_or_else(|| panic!("no admin token in: {created}"))
            .to_owned();
        let instances = (0..count).map(|_| Instance::start(&url)).collect();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .pool_max_idle_per_host(64)
            .build()
            .expect("an HTTP client");
        let cluster = Cluster {
            instances,
            admin_token,
            client,
            schema,
            _turn: turn,
        };
        for instance in &cluster.instances {
            cluster.wait_until_ready(instance).await;
        }
        Some(cluster)
    }

    async fn wait_until_ready(&self, instance: &Instance) {
        let started = Instant::now();
        loop {
            let ready = self
                .client
                .get(format!("{}/readyz", instance.base))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ready {
                return;
            }
            assert!(
                started.elapsed() < START_TIMEOUT,
                "{} did not start (schema {})",
                instance.base,
                self.schema.name
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `kill -9` of one instance: no shutdown, no answer to what it was doing.
    pub fn kill(&self, index: usize) {
        self.instances[index].kill();
    }
}

impl Instance {
    fn start(url: &str) -> Instance {
        let port = free_port();
        let process = Command::new(BINARY)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--database-url", url, "--pg-pool-max", "8"])
            // The rush's clients are all 127.0.0.1: no per-address limit.
            .args(["--rate-limit-per-second", "0"])
            // The events tests' receivers listen on 127.0.0.1.
            .arg("--webhook-allow-private")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("stockroom serve starts");
        Instance {
            base: format!("http://127.0.0.1:{port}"),
            process: Mutex::new(Some(process)),
        }
    }

    fn kill(&self) {
        let process = self
            .process
            .lock()
            .map(|mut p| p.take())
            .unwrap_or_default();
        if let Some(mut process) = process {
            // `Child::kill` is SIGKILL on Unix.
            let _ = process.kill();
            let _ = process.wait();
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A port nobody listens on: bound to :0 by the system, then let go.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Runs a `stockroom` command to completion and returns what it printed.
fn run(args: &[&str]) -> String {
    let output = Command::new(BINARY)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("stockroom runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "stockroom {} failed: {stdout}{}",
        args[0],
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

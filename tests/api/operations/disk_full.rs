//! A full disk under the database, on a small filesystem the test mounts
//! (a tmpfs of a few megabytes, or an ext4 loop file where tmpfs cannot be
//! mounted): the real binary answers every order 503 `unavailable` with
//! `Retry-After` and a sentence a buyer understands, never a 500; `/readyz`
//! answers 503 while writes fail for that reason and 200 again once space
//! is freed; reads go on; a metric counts the refused writes; the log says
//! once that the disk is full, and where; and every order acknowledged
//! before is still there, the audit consistent.
//!
//! On SQLite the database file lives on the small filesystem; on PostgreSQL
//! (the server on this machine, as a superuser) the test's tables live in
//! a tablespace there. Where no filesystem can be mounted (not root, no
//! tmpfs, no loop device), or PostgreSQL cannot reach it, the test says it
//! is skipped and why, even in CI: a mount is not something CI can always
//! give. Without `STOCKROOM_TEST_DATABASE_URL` the PostgreSQL test is
//! skipped, and fails in CI, like every PostgreSQL test.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::server::Server;
use super::{sqlite_url, stockroom, text};
use crate::helpers::{order_body, phone};
use crate::pg_schema::{TestSchema, base_url_for};

/// Orders placed before the disk fills up, before which a refusal is
/// expected; a bound, so a disk that never fills fails the test.
const ORDERS_MAX: usize = 5_000;
/// How long `/readyz` may take to notice that space was freed (it probes
/// at most once a second).
const READY_AGAIN_WITHIN: Duration = Duration::from_secs(10);

/// A small filesystem mounted for the test, unmounted when it ends,
/// however it ends.
struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    /// Mounts `megabytes` at `path`: a tmpfs, or else an ext4 loop file
    /// beside it. `Err` says why neither could be mounted.
    fn mount(path: &Path, megabytes: u32) -> Result<SmallDisk, String> {
        std::fs::create_dir_all(path).map_err(|e| e.to_string())?;
        let size = format!("size={megabytes}m");
        let tmpfs = run("mount", &["-t", "tmpfs", "-o", &size, "tmpfs", &show(path)]);
        let Err(tmpfs_error) = tmpfs else {
            return Ok(SmallDisk {
                path: path.to_owned(),
            });
        };
        let image = path.with_extension("img");
        let loop_file = std::fs::File::create(&image)
            .and_then(|f| f.set_len(u64::from(megabytes) * 1024 * 1024))
            .map_err(|e| e.to_string())
            .and_then(|()| run("mkfs.ext4", &["-q", "-F", &show(&image)]))
            .and_then(|()| run("mount", &["-o", "loop", &show(&image), &show(path)]));
        match loop_file {
            Ok(()) => Ok(SmallDisk {
                path: path.to_owned(),
            }),
            Err(loop_error) => Err(format!(
                "cannot mount a small filesystem (tmpfs: {tmpfs_error}; loop file: {loop_error})"
            )),
        }
    }

    /// Fills the filesystem to its last byte with a file of its own;
    /// removing the file frees the space.
    fn fill(&self) -> PathBuf {
        let filler = self.path.join("filler");
        let mut file = std::fs::File::create(&filler).expect("a filler file");
        let chunk = vec![0x5a_u8; 64 * 1024];
        loop {
            if file
                .write_all(&chunk)
                .and_then(|()| file.sync_data())
                .is_err()
            {
                break;
            }
        }
        // Whatever is left is smaller than a chunk: take it by the byte.
        let mut byte_chunk = vec![0x5a_u8; 4096];
        while !byte_chunk.is_empty() {
            if file.write_all(&byte_chunk).is_err() {
                byte_chunk.truncate(byte_chunk.len() / 2);
            }
        }
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let path = show(&self.path);
        // A process that still holds a file there must not keep the mount.
        if run("umount", &[&path]).is_err() {
            let _ = run("umount", &["-l", &path]);
        }
    }
}

fn run(program: &str, args: &[&str]) -> Result<(), String> {
    let output = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!("{program}: {}", text(&output.stderr).trim()))
    }
}

fn show(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Says that `test` is skipped and why; a missing mount does not fail CI.
fn skipped(test: &str, why: &str) {
    let _ = writeln!(std::io::stderr(), "skipped `{test}`: {why}");
}

#[tokio::test]
async fn on_sqlite_a_full_disk_refuses_writes_with_503_and_readyz_says_so_until_space_is_freed() {
    let test =
        "on_sqlite_a_full_disk_refuses_writes_with_503_and_readyz_says_so_until_space_is_freed";
    let dir = tempfile::tempdir().expect("a folder");
    let disk = match SmallDisk::mount(&dir.path().join("disk"), 4) {
        Ok(disk) => disk,
        Err(why) => return skipped(test, &why),
    };
    let database = disk.path.join("shop.db");
    let url = sqlite_url(&database);
    let log = dir.path().join("server.log");
    run_out_of_disk(&url, &disk, &log, &show(&database)).await;
}

#[tokio::test]
async fn on_postgresql_a_full_disk_refuses_writes_with_503_and_readyz_says_so_until_space_is_freed()
{
    let test =
        "on_postgresql_a_full_disk_refuses_writes_with_503_and_readyz_says_so_until_space_is_freed";
    let Some(base) = base_url_for(test) else {
        return;
    };
    let dir = tempfile::tempdir().expect("a folder");
    // PostgreSQL runs as its own user: it must reach the mount and own it.
    let _ = run("chmod", &["755", &show(dir.path())]);
    let disk = match SmallDisk::mount(&dir.path().join("disk"), 8) {
        Ok(disk) => disk,
        Err(why) => return skipped(test, &why),
    };
    let tablespace = match Tablespace::create(&base, &disk.path).await {
        Ok(tablespace) => tablespace,
        Err(why) => {
            return skipped(
                test,
                &format!("PostgreSQL cannot keep a tablespace on the small disk: {why}"),
            );
        }
    };
    let schema = TestSchema::create(&base).await;
    // The test's tables, and the probe's temporary table, on the small disk.
    let url = schema.url.replacen(
        "options=-c%20search_path",
        &format!(
            "options=-c%20default_tablespace%3D{name}%20-c%20temp_tablespaces%3D{name}\
             %20-c%20search_path",
            name = tablespace.name
        ),
        1,
    );
    let log = dir.path().join("server.log");
    run_out_of_disk(&url, &disk, &log, "127.0.0.1").await;
    drop(schema);
    drop(tablespace);
}

/// A PostgreSQL tablespace on the small disk, dropped when the test ends
/// (after the schema whose tables it holds).
struct Tablespace {
    name: String,
    base: String,
}

impl Tablespace {
    async fn create(base: &str, location: &Path) -> Result<Tablespace, String> {
        run("chown", &["postgres:postgres", &show(location)])?;
        let name = format!("stockroom_test_{}", uuid::Uuid::new_v4().simple());
        let sql = format!("create tablespace {name} location '{}'", show(location));
        execute(base, &sql).await?;
        Ok(Tablespace {
            name,
            base: base.to_owned(),
        })
    }
}

impl Drop for Tablespace {
    fn drop(&mut self) {
        let (base, sql) = (
            self.base.clone(),
            format!("drop tablespace if exists {}", self.name),
        );
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(execute(&base, &sql))
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!(
                "warning: tablespace {} was not dropped: {dropped:?}",
                self.name
            );
        }
    }
}

async fn execute(url: &str, sql: &str) -> Result<(), String> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .map_err(|e| e.to_string())?;
    let driver = tokio::spawn(connection);
    let done = client
        .batch_execute(sql)
        .await
        .map_err(|e| stockroom::store::describe_pg_error(&e));
    drop(client);
    let _ = driver.await;
    done
}

/// The whole story on the database at `url`, whose files are on `disk`;
/// `location` is what the log must name as where the disk is full.
async fn run_out_of_disk(url: &str, disk: &SmallDisk, log: &Path, location: &str) {
    let migrated = stockroom(&["migrate", "--database-url", url]).await;
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    let created = stockroom(&["admin", "create", "boss", "--database-url", url]).await;
    assert!(created.status.success(), "{}", text(&created.stderr));
    let token = text(&created.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let log_file = std::fs::File::create(log).expect("a log file");
    let server = Server::start_logging(url, None, &["--log-format", "json"], log_file);
    let client = reqwest::Client::new();
    let product = client
        .post(server.url("/api/v1/admin/products"))
        .bearer_auth(&token)
        .json(&json!({"slug": "robe", "title": "Robe", "price": 100,
                      "variants": [{"size": "M", "stock": 100_000}]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(product.status(), StatusCode::CREATED);
    let order = |n: usize| {
        client
            .post(server.url("/api/v1/orders"))
            .json(&order_body(&phone(n), &[("ROBE-M", 1)]))
    };
    let first = order(0).send().await.expect("sent");
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.expect("an order");

    let filler = disk.fill();
    let mut placed = 1;
    let refused = loop {
        assert!(
            placed < ORDERS_MAX,
            "{ORDERS_MAX} orders fit on a full disk"
        );
        let answer = order(placed).send().await.expect("sent");
        match answer.status() {
            StatusCode::CREATED => placed += 1,
            StatusCode::SERVICE_UNAVAILABLE => break answer,
            other => panic!(
                "order {placed} on a full disk: {other} {:?}",
                answer.text().await
            ),
        }
    };
    assert_eq!(
        refused.headers()["retry-after"].to_str().ok(),
        Some("30"),
        "a full disk is not a matter of a second"
    );
    let problem: Value = refused.json().await.expect("a problem");
    assert_eq!(problem["code"], "unavailable");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("ne peut pas prendre de commandes")),
        "{problem}"
    );
    // SQLite may find a few pages free again (a checkpoint, a page the
    // refused write left): an order may still fit; the next refusal is
    // the one read in English.
    let in_english: Value = loop {
        assert!(
            placed < ORDERS_MAX,
            "{ORDERS_MAX} orders fit on a full disk"
        );
        let answer = order(placed)
            .header("accept-language", "en")
            .send()
            .await
            .expect("sent");
        match answer.status() {
            StatusCode::CREATED => placed += 1,
            StatusCode::SERVICE_UNAVAILABLE => break answer.json().await.expect("a problem"),
            other => panic!(
                "order {placed} on a full disk: {other} {:?}",
                answer.text().await
            ),
        }
    };
    assert_eq!(
        in_english["detail"],
        "The shop cannot take orders or save changes right now. Please try again in a few minutes."
    );
    let restock = client
        .post(server.url("/api/v1/admin/stock/ROBE-M/restock"))
        .bearer_auth(&token)
        .json(&json!({"quantity": 5}))
        .send()
        .await
        .expect("sent");
    // A write that still fits in the pages the database has may go
    // through; none is a 500.
    assert!(
        [StatusCode::OK, StatusCode::SERVICE_UNAVAILABLE].contains(&restock.status()),
        "an admin's restock on a full disk: {}",
        restock.status()
    );

    // The load balancer is told; reads go on.
    let ready = client
        .get(server.url("/readyz"))
        .send()
        .await
        .expect("sent");
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    let live = client
        .get(server.url("/healthz"))
        .send()
        .await
        .expect("sent");
    assert_eq!(live.status(), StatusCode::OK);
    let catalog = client
        .get(server.url("/api/v1/products"))
        .send()
        .await
        .expect("sent");
    assert_eq!(catalog.status(), StatusCode::OK);
    let id = first["order"]["id"].as_str().expect("an id");
    let mine = client
        .get(server.url(&format!("/api/v1/orders/{id}")))
        .bearer_auth(first["access_token"].as_str().expect("a token"))
        .send()
        .await
        .expect("sent");
    assert_eq!(
        mine.status(),
        StatusCode::OK,
        "a buyer still reads their order"
    );
    let metrics = client
        .get(server.url("/metrics"))
        .send()
        .await
        .expect("sent");
    let metrics = metrics.text().await.expect("the metrics");
    assert_eq!(
        metric(&metrics, "stockroom_db_disk_full"),
        Some(1.0),
        "{metrics}"
    );
    assert!(
        metric(&metrics, "stockroom_db_disk_full_writes_total").is_some_and(|n| n >= 2.0),
        "{metrics}"
    );

    // Space freed: ready again, and orders are taken.
    std::fs::remove_file(&filler).expect("the filler removed");
    let started = Instant::now();
    loop {
        let ready = client
            .get(server.url("/readyz"))
            .send()
            .await
            .expect("sent");
        if ready.status() == StatusCode::OK {
            break;
        }
        assert!(
            started.elapsed() < READY_AGAIN_WITHIN,
            "/readyz still answers {} {:?} after space was freed",
            ready.status(),
            ready.text().await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let again = order(placed + 1).send().await.expect("sent");
    assert_eq!(again.status(), StatusCode::CREATED);
    let metrics = client
        .get(server.url("/metrics"))
        .send()
        .await
        .expect("sent");
    let metrics = metrics.text().await.expect("the metrics");
    assert_eq!(
        metric(&metrics, "stockroom_db_disk_full"),
        Some(0.0),
        "{metrics}"
    );
    drop(server);

    // One clear line, once, naming where; no error besides it.
    let logs = std::fs::read_to_string(log).expect("the log");
    let lines: Vec<Value> = logs
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let full: Vec<&Value> = lines
        .iter()
        .filter(|l| {
            l["fields"]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("the disk is full"))
        })
        .collect();
    assert_eq!(full.len(), 1, "said once:\n{logs}");
    assert_eq!(full[0]["level"], "ERROR");
    assert!(
        full[0]["fields"]["database"]
            .as_str()
            .is_some_and(|d| d.contains(location)),
        "where: {}",
        full[0]
    );
    let errors = lines.iter().filter(|l| l["level"] == "ERROR").count();
    assert_eq!(errors, 1, "no other error:\n{logs}");
    assert!(
        lines.iter().any(|l| l["fields"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("room again"))),
        "{logs}"
    );
    // The data held: every order acknowledged is there, the audit agrees.
    let audit = stockroom(&["audit", "--json", "--database-url", url]).await;
    assert!(audit.status.success(), "{}", text(&audit.stderr));
    let report: Value = serde_json::from_slice(&audit.stdout).expect("the audit");
    let sold = report["variants"][0]["sold"].as_i64().expect("sold");
    assert_eq!(sold, placed as i64 + 1, "{report}");
}

/// The value of an unlabelled metric in Prometheus text.
fn metric(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}

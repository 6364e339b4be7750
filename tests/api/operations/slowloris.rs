//! A slowloris against the real binary: one address (127.0.0.1) opens
//! hundreds of connections that send nothing, half a request head, a head
//! of a quarter of a megabyte that never ends, or a body a byte at a time,
//! under the 1,024 open-file limit many systems start a process with.
//! Meanwhile a buyer on another loopback address (127.0.0.2) keeps asking
//! `/healthz` and placing orders, and must be answered as usual; the
//! server's memory must stay bounded; the attacker's connections must be
//! closed by the server's timers; and `SIGTERM` must end the process within
//! its deadline whatever slow clients do.
//!
//! Everything talks to 127.0.0.1, is bounded in connections and in time,
//! and stops by itself.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::server::Server;
use super::{sqlite_url, stockroom, text};
use crate::helpers::{order_body, phone};

/// The server's timers in these tests, short so the test is.
const HEADER_TIMEOUT: Duration = Duration::from_millis(1000);
const BODY_TIMEOUT: Duration = Duration::from_millis(1000);
const IDLE_TIMEOUT: Duration = Duration::from_millis(2000);
/// What the machine may add to a timer, busy with the attack itself.
const SLACK: Duration = Duration::from_millis(1500);

/// The open-file limit the server runs under, a common default.
const OPEN_FILES: u32 = 1024;
/// More connections that send nothing than the server has files for.
const IDLE_CONNECTIONS: usize = 1100;
/// Heads of a quarter of a megabyte, never finished: without a cap on the
/// head's size, each one stays in the server's memory.
const HUGE_HEADS: usize = 200;
const HUGE_HEAD_BYTES: usize = 256 * 1024;
const SLOW_HEADS: usize = 50;
const SLOW_BODIES: usize = 100;
const ATTACK: Duration = Duration::from_secs(6);
/// What the attack may add to the server's memory (without a cap on heads
/// alone, the huge ones would add 50 MB).
const MEMORY_GROWTH_MAX_KB: u64 = 30 * 1024;
/// A buyer's request takes a few milliseconds; under attack it may take
/// longer on a busy machine, but never as long as a person notices.
const BUYER_LATENCY_MAX: Duration = Duration::from_secs(1);

/// A SQLite shop with one product of plenty of stock, and its sku.
async fn shop(dir: &std::path::Path) -> (String, String) {
    let url = sqlite_url(&dir.join("shop.db"));
    let migrated = stockroom(&["migrate", "--database-url", &url]).await;
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    let created = stockroom(&["admin", "create", "boss", "--database-url", &url]).await;
    assert!(created.status.success(), "{}", text(&created.stderr));
    let csv = dir.join("catalog.csv");
    std::fs::write(
        &csv,
        "slug,title,price,size,stock\nrobe,Robe,15000,M,100000\n",
    )
    .expect("a catalog");
    let csv = csv.to_string_lossy().into_owned();
    let imported = stockroom(&["import", &csv, "--database-url", &url]).await;
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    (url, "ROBE-M".to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slowloris_from_one_address_takes_neither_the_shop_nor_its_memory() {
    // The attacker holds more sockets than the default limit allows.
    stockroom::http::open_files::raise_soft_limit();
    let dir = tempfile::tempdir().expect("a folder");
    let (url, sku) = shop(dir.path()).await;
    let ms = |d: Duration| d.as_millis().to_string();
    let server = Server::start(
        &url,
        Some(OPEN_FILES),
        &[
            "--http-header-timeout-ms",
            &ms(HEADER_TIMEOUT),
            "--http-body-timeout-ms",
            &ms(BODY_TIMEOUT),
            "--http-idle-timeout-ms",
            &ms(IDLE_TIMEOUT),
        ],
    );
    let buyer = Buyer::new(&server.base, sku);
    buyer.round(0).await;
    let usual = buyer.round(1).await;
    let memory_before = server.rss_kb();

    let attack_ends = Instant::now() + ATTACK;
    let report = Arc::new(Report::default());
    let mut attackers = tokio::task::JoinSet::new();
    for _ in 0..HUGE_HEADS {
        attackers.spawn(huge_head(server.address, report.clone()));
    }
    for _ in 0..SLOW_HEADS {
        attackers.spawn(slow_head(server.address, report.clone()));
    }
    for _ in 0..SLOW_BODIES {
        attackers.spawn(slow_body(server.address, report.clone()));
    }
    for _ in 0..IDLE_CONNECTIONS {
        attackers.spawn(idle(server.address, attack_ends, report.clone()));
    }

    let mut worst = Duration::ZERO;
    let mut rounds = 0;
    let mut memory_peak = memory_before;
    while Instant::now() < attack_ends {
        rounds += 1;
        worst = worst.max(buyer.round(rounds + 1).await);
        memory_peak = memory_peak.max(server.rss_kb());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    while attackers.join_next().await.is_some() {}

    assert!(rounds >= 10, "the buyer was served {rounds} times");
    assert!(
        worst < BUYER_LATENCY_MAX,
        "a buyer's request took {worst:?} under attack (usually {usual:?})"
    );
    let growth = memory_peak.saturating_sub(memory_before);
    assert!(
        growth < MEMORY_GROWTH_MAX_KB,
        "the attack grew the server by {growth} KiB"
    );
    let slowest_close =
        Duration::from_millis(report.slowest_close_ms.load(Ordering::Relaxed) as u64);
    assert!(
        slowest_close < HEADER_TIMEOUT.max(BODY_TIMEOUT) + SLACK,
        "an attacker's connection stayed open {slowest_close:?}"
    );
    assert_eq!(
        report.left_open.load(Ordering::Relaxed),
        0,
        "connections the server never closed; bodies answered 408: {}",
        report.timed_out_bodies.load(Ordering::Relaxed)
    );
    assert_eq!(
        report.timed_out_bodies.load(Ordering::Relaxed),
        SLOW_BODIES,
        "every slow body is answered 408"
    );
    let metrics = buyer.metrics().await;
    for reason in ["address_limit", "header_timeout"] {
        let line = format!("stockroom_http_connections_dropped_total{{reason=\"{reason}\"}}");
        let count = metrics
            .lines()
            .find_map(|l| l.strip_prefix(&line))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(0.0);
        assert!(
            count > 0.0,
            "no connection dropped for {reason}:\n{metrics}"
        );
    }
}

#[tokio::test]
async fn sigterm_ends_the_process_within_its_deadline_whatever_slow_clients_do() {
    let dir = tempfile::tempdir().expect("a folder");
    let (url, _) = shop(dir.path()).await;
    // Timers far longer than the test: only the shutdown's deadline can
    // end these connections in time.
    let mut server = Server::start(
        &url,
        Some(OPEN_FILES),
        &[
            "--http-header-timeout-ms",
            "600000",
            "--http-body-timeout-ms",
            "600000",
            "--http-idle-timeout-ms",
            "600000",
            "--http-request-timeout-ms",
            "600000",
            "--shutdown-timeout-ms",
            "1000",
        ],
    );
    let report = Arc::new(Report::default());
    let mut held = Vec::new();
    for _ in 0..20 {
        held.push(TcpStream::connect(server.address).await.expect("idle"));
        let mut half = TcpStream::connect(server.address)
            .await
            .expect("half a head");
        half.write_all(b"GET /healthz HTTP/1.1\r\nHost: shop\r\n")
            .await
            .expect("sent");
        held.push(half);
        let mut body = TcpStream::connect(server.address).await.expect("a body");
        body.write_all(&order_head(1000)).await.expect("sent");
        body.write_all(b"{").await.expect("sent");
        held.push(body);
    }
    // A request whose body is still on its way when SIGTERM comes, and
    // arrives in full just after: it is answered before the process ends.
    let mut in_flight = TcpStream::connect(server.address).await.expect("a request");
    let body = br#"{"lines": []}"#;
    in_flight
        .write_all(&order_head(body.len()))
        .await
        .expect("sent");
    in_flight
        .write_all(&body[..5])
        .await
        .expect("half the body");
    tokio::time::sleep(Duration::from_millis(300)).await;

    server.terminate();
    tokio::time::sleep(Duration::from_millis(100)).await;
    in_flight.write_all(&body[5..]).await.expect("the rest");
    let answer = read_status(&mut in_flight, &report).await;
    assert_eq!(answer, Some(422), "the request in flight is answered");
    let exited = server.wait_for_exit(Duration::from_secs(5)).await;
    let exited = exited.expect("the process is still running 5 s after SIGTERM");
    assert!(
        exited < Duration::from_millis(1000) + SLACK,
        "the process took {exited:?} to end after SIGTERM"
    );
    drop(held);
}

/// What the attackers saw.
#[derive(Default)]
struct Report {
    /// The longest an admitted connection stayed open before the server
    /// closed it, in milliseconds.
    slowest_close_ms: AtomicUsize,
    /// Connections still open when their attacker gave up.
    left_open: AtomicUsize,
    /// Slow bodies answered 408.
    timed_out_bodies: AtomicUsize,
}

impl Report {
    fn closed_after(&self, open: Duration) {
        self.slowest_close_ms
            .fetch_max(open.as_millis() as usize, Ordering::Relaxed);
    }
}

/// Waits for the server to close `stream` (what it sends is dropped), at
/// most until the attack's timers must have done it.
async fn wait_for_close(stream: &mut TcpStream, opened: Instant, report: &Report) {
    let limit = HEADER_TIMEOUT.max(BODY_TIMEOUT).max(IDLE_TIMEOUT) + SLACK * 2;
    let mut buf = [0u8; 4096];
    loop {
        let left = limit.saturating_sub(opened.elapsed());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return report.closed_after(opened.elapsed()),
            Ok(Ok(_)) => {}
            Err(_) => {
                report.left_open.fetch_add(1, Ordering::Relaxed);
                return;
            }
        }
    }
}

/// Connects and sends nothing, again and again until the attack ends.
async fn idle(address: SocketAddr, ends: Instant, report: Arc<Report>) {
    while Instant::now() < ends {
        let Ok(mut stream) = TcpStream::connect(address).await else {
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        };
        wait_for_close(&mut stream, Instant::now(), &report).await;
        // A connection refused at once is tried again, not in a tight loop.
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// A head that never ends, sent as fast as the server takes it.
async fn huge_head(address: SocketAddr, report: Arc<Report>) {
    let Ok(mut stream) = TcpStream::connect(address).await else {
        return;
    };
    let opened = Instant::now();
    let mut head = b"GET /healthz HTTP/1.1\r\nHost: shop\r\n".to_vec();
    let mut n = 0;
    while head.len() < HUGE_HEAD_BYTES {
        head.extend_from_slice(format!("X-Padding-{n}: {}\r\n", "a".repeat(1000)).as_bytes());
        n += 1;
    }
    let (mut reader, mut writer) = stream.split();
    let write = async {
        let _ = writer.write_all(&head).await;
        // Then nothing: the head is never finished.
        std::future::pending::<()>().await;
    };
    let read = async {
        let mut sink = [0u8; 4096];
        loop {
            match reader.read(&mut sink).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    let limit = HEADER_TIMEOUT + SLACK * 2;
    tokio::select! {
        () = write => {}
        () = read => report.closed_after(opened.elapsed()),
        () = tokio::time::sleep(limit) => {
            report.left_open.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// A head sent a byte every 100 ms.
async fn slow_head(address: SocketAddr, report: Arc<Report>) {
    let Ok(mut stream) = TcpStream::connect(address).await else {
        return;
    };
    let opened = Instant::now();
    let (mut reader, mut writer) = stream.split();
    let write = async {
        for byte in b"GET /healthz HTTP/1.1\r\nHost: shop\r\nX-Slow: "
            .iter()
            .cycle()
        {
            if writer.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        std::future::pending::<()>().await;
    };
    let read = async {
        let mut sink = [0u8; 1024];
        while let Ok(1..) = reader.read(&mut sink).await {}
    };
    tokio::select! {
        () = write => {}
        () = read => report.closed_after(opened.elapsed()),
        () = tokio::time::sleep(HEADER_TIMEOUT + SLACK * 2) => {
            report.left_open.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// An order's head, then its body a byte every 100 ms.
async fn slow_body(address: SocketAddr, report: Arc<Report>) {
    let Ok(mut stream) = TcpStream::connect(address).await else {
        return;
    };
    if stream.write_all(&order_head(1000)).await.is_err() {
        return;
    }
    let status = {
        let (mut reader, mut writer) = stream.split();
        let write = async {
            loop {
                if writer.write_all(b" ").await.is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            std::future::pending::<Option<u16>>().await
        };
        tokio::select! {
            status = read_status_half(&mut reader, &report) => status,
            never = write => never,
        }
    };
    if status == Some(408) {
        report.timed_out_bodies.fetch_add(1, Ordering::Relaxed);
    }
}

/// The head of an order of `length` bytes.
fn order_head(length: usize) -> Vec<u8> {
    format!(
        "POST /api/v1/orders HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\n\r\n"
    )
    .into_bytes()
}

/// The status of the answer on `stream`, once the server closes it.
async fn read_status(stream: &mut TcpStream, report: &Report) -> Option<u16> {
    let (mut reader, _) = stream.split();
    read_status_half(&mut reader, report).await
}

async fn read_status_half(
    reader: &mut tokio::net::tcp::ReadHalf<'_>,
    report: &Report,
) -> Option<u16> {
    let opened = Instant::now();
    let limit = BODY_TIMEOUT + SLACK * 2;
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(
            limit.saturating_sub(opened.elapsed()),
            reader.read(&mut buf),
        )
        .await
        {
            Ok(Ok(0) | Err(_)) => break,
            Ok(Ok(n)) => {
                received.extend_from_slice(&buf[..n]);
                if received.windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
            Err(_) => {
                report.left_open.fetch_add(1, Ordering::Relaxed);
                break;
            }
        }
    }
    let head = String::from_utf8_lossy(&received);
    head.strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
}

/// A buyer on 127.0.0.2: another address than the attacker's.
struct Buyer {
    client: reqwest::Client,
    base: String,
    sku: String,
}

impl Buyer {
    fn new(base: &str, sku: String) -> Buyer {
        let client = reqwest::Client::builder()
            .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)))
            .timeout(Duration::from_secs(5))
            .build()
            .expect("a client");
        Buyer {
            client,
            base: base.to_owned(),
            sku,
        }
    }

    /// `/healthz` and one order; answers the slower of the two.
    async fn round(&self, n: usize) -> Duration {
        let started = Instant::now();
        let health = self
            .client
            .get(format!("{}/healthz", self.base))
            .send()
            .await
            .expect("/healthz answers");
        assert_eq!(health.status(), StatusCode::OK);
        let health_took = started.elapsed();
        let started = Instant::now();
        let order = self
            .client
            .post(format!("{}/api/v1/orders", self.base))
            .json(&order_body(&phone(n), &[(&self.sku, 1)]))
            .send()
            .await
            .expect("the checkout answers");
        assert_eq!(
            order.status(),
            StatusCode::CREATED,
            "{:?}",
            order.text().await
        );
        health_took.max(started.elapsed())
    }

    async fn metrics(&self) -> String {
        let response = self
            .client
            .get(format!("{}/metrics", self.base))
            .send()
            .await
            .expect("/metrics answers");
        assert_eq!(response.status(), StatusCode::OK);
        response.text().await.expect("the metrics")
    }
}

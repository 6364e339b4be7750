//! Logs of the real binary (`--log-format json`): one line per request with
//! its route, status, duration and request id, and never a token or a
//! database password.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{Server, command, serve_logging, sqlite_url, stockroom, text};
use crate::helpers::order_body;

#[tokio::test]
async fn requests_are_logged_with_route_status_duration_and_id_but_no_token() {
    let dir = tempfile::tempdir().expect("a folder");
    let url = sqlite_url(&dir.path().join("shop.db"));
    let migrated = stockroom(&["migrate", "--database-url", &url]).await;
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    let created = stockroom(&["admin", "create", "boss", "--database-url", &url]).await;
    assert!(created.status.success(), "{}", text(&created.stderr));
    let admin_token = text(&created.stdout)
        .lines()
        .last()
        .expect("the token line")
        .trim()
        .to_owned();
    assert!(admin_token.starts_with("sra_"));

    let log_path = dir.path().join("stderr.log");
    let mut serve = command();
    serve
        .args(["serve", "--database-url", &url, "--listen", "127.0.0.1:0"])
        .args([
            "--log-format",
            "json",
            "--metrics-token",
            "metrics-secret-42",
        ]);
    let (server, base) = serve_logging(serve, &log_path).await;

    let client = reqwest::Client::new();
    let product = client
        .post(format!("{base}/api/v1/admin/products"))
        .bearer_auth(&admin_token)
        .json(&json!({"slug": "robe", "title": "Robe", "price": 100,
                      "variants": [{"size": "M", "stock": 3}]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(product.status(), StatusCode::CREATED);
    let order = client
        .post(format!("{base}/api/v1/orders"))
        .json(&order_body("+2250700000001", &[("ROBE-M", 1)]))
        .send()
        .await
        .expect("sent");
    assert_eq!(order.status(), StatusCode::CREATED);
    let request_id = order.headers()["x-request-id"]
        .to_str()
        .expect("an id")
        .to_owned();
    let placed: Value = order.json().await.expect("json");
    let access_token = placed["access_token"].as_str().expect("a token").to_owned();
    let order_id = placed["order"]["id"].as_str().expect("an id").to_owned();
    let read = client
        .get(format!("{base}/api/v1/orders/{order_id}"))
        .bearer_auth(&access_token)
        .header("x-request-id", "forged request_id=by-the-client")
        .send()
        .await
        .expect("sent");
    assert_eq!(read.status(), StatusCode::OK);
    let refused = client
        .get(format!("{base}/api/v1/admin/audit"))
        .bearer_auth("sra_1_a-wrong-guess-of-a-token")
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let metrics = client
        .get(format!("{base}/metrics"))
        .bearer_auth("metrics-secret-42")
        .send()
        .await
        .expect("sent");
    assert_eq!(metrics.status(), StatusCode::OK);
    drop(server);

    let logs = std::fs::read_to_string(&log_path).expect("the logs");
    for secret in [
        admin_token.as_str(),
        access_token.as_str(),
        "a-wrong-guess-of-a-token",
        "metrics-secret-42",
    ] {
        assert!(!logs.contains(secret), "a secret is in the logs:\n{logs}");
    }
    assert!(
        !logs.contains("by-the-client"),
        "a client's request id is in the logs:\n{logs}"
    );
    let lines: Vec<Value> = logs
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}")))
        .collect();
    let answered = lines
        .iter()
        .find(|l| {
            l["fields"]["message"] == "request answered"
                && l["span"]["request_id"] == request_id.as_str()
        })
        .unwrap_or_else(|| panic!("no line for request {request_id}:\n{logs}"));
    assert_eq!(answered["level"], "INFO");
    assert_eq!(answered["span"]["method"], "POST");
    assert_eq!(answered["span"]["route"], "/api/v1/orders");
    assert_eq!(answered["fields"]["status"], json!(201));
    assert!(
        answered["fields"]["duration_ms"].as_f64().is_some(),
        "{answered}"
    );
    let placed_line = lines
        .iter()
        .find(|l| l["fields"]["message"] == "order placed")
        .expect("the order is logged");
    assert_eq!(placed_line["fields"]["order_id"], order_id.as_str());
    assert!(
        placed_line["fields"]["skus"]
            .as_str()
            .is_some_and(|s| s.contains("ROBE-M"))
    );
    let read_line = lines
        .iter()
        .find(|l| {
            l["span"]["route"] == "/api/v1/orders/{id}"
                && l["fields"]["message"] == "request answered"
        })
        .expect("the buyer's read is logged under its route");
    assert_eq!(read_line["fields"]["status"], json!(200));
}

/// The first lines `serve` prints, up to its last demo line, or all of
/// them if it stops first; the rest is drained on a thread of its own.
async fn first_lines(stdout: std::process::ChildStdout, last: &'static str) -> String {
    let (sender, lines) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut read = String::new();
        let mut lines_read = BufReader::new(stdout).lines();
        for line in lines_read.by_ref().map_while(Result::ok) {
            read.push_str(&line);
            read.push('\n');
            if line.trim_start().starts_with(last) {
                break;
            }
        }
        let _ = sender.send(read);
        lines_read.for_each(drop);
    });
    tokio::time::timeout(std::time::Duration::from_secs(60), lines)
        .await
        .expect("serve prints its address within a minute")
        .expect("the lines")
}

// The password moves from the url's user part to a `password` parameter,
// which the driver reads as well: `stockroom config`, the "database ready"
// log line and the demo's lines must show neither.
#[tokio::test]
async fn a_password_given_as_a_url_parameter_is_shown_nowhere() {
    let test = "a_password_given_as_a_url_parameter_is_shown_nowhere";
    let Some(base) = crate::pg_schema::base_url_for(test) else {
        return;
    };
    let schema = crate::pg_schema::TestSchema::create(&base).await;
    let mut url = url::Url::parse(&schema.url).expect("a url");
    let secret = url.password().unwrap_or("s3cret-in-the-url").to_owned();
    url.set_password(None).expect("a url with a password part");
    url.query_pairs_mut().append_pair("password", &secret);
    let url = url.to_string();
    let shown = |text: &str| {
        text.contains(&format!("password={secret}")) || text.contains(&format!(":{secret}@"))
    };

    let config = stockroom(&["config", "--database-url", &url]).await;
    assert!(config.status.success(), "{}", text(&config.stderr));
    let printed = text(&config.stdout);
    assert!(printed.contains("password=***"), "{printed}");
    assert!(!shown(&printed), "{printed}");

    let dir = tempfile::tempdir().expect("a folder");
    let log_path = dir.path().join("stderr.log");
    let log_file = std::fs::File::create(&log_path).expect("a log file");
    let mut child = command()
        .args(["serve", "--demo", "--database-url", &url])
        .args(["--listen", "127.0.0.1:0", "--log-format", "json"])
        .stdout(Stdio::piped())
        .stderr(log_file)
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let printed = first_lines(stdout, "try:").await;
    drop(server);
    let logs = std::fs::read_to_string(&log_path).expect("the logs");
    assert!(printed.contains("demo database: "), "{printed}\n{logs}");
    assert!(printed.contains("password=***"), "{printed}");
    assert!(!shown(&printed), "{printed}");
    let ready = logs
        .lines()
        .find(|l| l.contains("database ready"))
        .unwrap_or_else(|| panic!("no \"database ready\" line:\n{logs}"));
    assert!(ready.contains("password=***"), "{ready}");
    assert!(!shown(&logs), "{logs}");
}

#[tokio::test]
async fn logs_written_to_a_file_carry_no_colour_codes() {
    let dir = tempfile::tempdir().expect("a folder");
    let url = sqlite_url(&dir.path().join("shop.db"));
    let log_path = dir.path().join("stderr.log");
    let mut serve = command();
    serve
        .args(["serve", "--database-url", &url, "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "info");
    let (server, base) = serve_logging(serve, &log_path).await;
    let answer = reqwest::get(format!("{base}/api/v1/products"))
        .await
        .expect("sent");
    assert_eq!(answer.status(), StatusCode::OK);
    drop(server);
    let log = std::fs::read_to_string(&log_path).expect("the log");
    assert!(log.contains("request answered"), "{log}");
    assert!(!log.contains('\u{1b}'), "colour codes in a file: {log:?}");
}

// The log read through a pipe, as a service manager or `| tee` reads it:
// no colour codes there either, and a flood of rate-limited requests
// leaves no line per request at INFO (they are counted in the metrics).
#[tokio::test]
async fn a_log_read_through_a_pipe_has_no_colour_codes_and_no_line_per_rate_limited_request() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("a folder");
    let url = sqlite_url(&dir.path().join("shop.db"));
    let mut child = command()
        .args(["serve", "--database-url", &url, "--listen", "127.0.0.1:0"])
        .args(["--rate-limit-per-second", "1", "--rate-limit-burst", "1"])
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let server = Server(child);
    let log = std::thread::spawn(move || {
        let mut log = String::new();
        let _ = stderr.read_to_string(&mut log);
        log
    });
    let printed = first_lines(stdout, "stockroom is serving on ").await;
    let base = printed
        .lines()
        .last()
        .unwrap_or_default()
        .strip_prefix("stockroom is serving on ")
        .unwrap_or_else(|| panic!("no address line: {printed}"))
        .trim()
        .to_owned();

    let client = reqwest::Client::new();
    let mut refused = 0;
    for _ in 0..20 {
        let check = client
            .post(format!("{base}/api/v1/cart/check"))
            .json(&json!({"lines": [{"sku": "ROBE-M", "quantity": 1}]}))
            .send()
            .await
            .expect("sent");
        if check.status() == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert!(
        refused >= 10,
        "one a second: most of 20 are refused, {refused} were"
    );
    let metrics = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("sent")
        .text()
        .await
        .expect("the metrics");
    let counted = format!("stockroom_http_rate_limited_total{{limit=\"buyer_writes\"}} {refused}");
    assert!(metrics.contains(&counted), "{counted} in:\n{metrics}");
    drop(server);

    let log = log.join().expect("the pipe's reader");
    assert!(log.contains("request answered"), "{log}");
    assert!(!log.contains("\u{1b}["), "colour codes in a pipe: {log:?}");
    let answered = log.matches("request answered").count();
    assert!(
        answered <= 20 - refused + 1,
        "{answered} requests logged at INFO for {} served:\n{log}",
        20 - refused + 1
    );
    assert!(!log.contains("rate_limited"), "{log}");
}

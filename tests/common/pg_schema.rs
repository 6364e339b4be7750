//! A PostgreSQL schema of its own for one test, dropped when the test ends.
//! Shared by the test binaries (`#[path]`): the API tests, the store
//! contract suite and the several-instances tests.
//!
//! The tests read `STOCKROOM_TEST_DATABASE_URL`
//! (e.g. `postgres://postgres@127.0.0.1:5432/test`); without it the
//! PostgreSQL tests say that they are skipped, and pass, except in CI, where
//! they fail (`skip.rs`).

#![allow(dead_code)]

#[path = "skip.rs"]
pub mod skip;

use tokio_postgres::NoTls;

pub const URL_VARIABLE: &str = "STOCKROOM_TEST_DATABASE_URL";

/// The test database's url, if one is configured.
pub fn base_url() -> Option<String> {
    std::env::var(URL_VARIABLE)
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// The test database's url for `test`; without one, `None` after saying
/// that the test is skipped, or, in CI, the test fails.
pub fn base_url_for(test: &str) -> Option<String> {
    let url = base_url();
    if url.is_none() {
        skip::skip(
            test,
            &format!("{URL_VARIABLE} is not set (e.g. postgres://postgres@127.0.0.1:5432/test)"),
        );
    }
    url
}

/// A fresh schema; `url` reaches it through the connection's `search_path`,
/// so every table a store creates there is the test's own.
pub struct TestSchema {
    pub name: String,
    pub url: String,
    base: String,
}

impl TestSchema {
    pub async fn create(base: &str) -> TestSchema {
        let name = format!("stockroom_test_{}", uuid::Uuid::new_v4().simple());
        let (client, connection) = tokio_postgres::connect(base, NoTls)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {URL_VARIABLE}: {e}"));
        let driver = tokio::spawn(connection);
        client
            .batch_execute(&format!("create schema {name}"))
            .await
            .expect("a test schema");
        drop(client);
        let _ = driver.await;
        let separator = if base.contains('?') { '&' } else { '?' };
        // The schema's name is also the connections' application name, so a
        // test can find its own connections in `pg_stat_activity`.
        let url =
            format!("{base}{separator}options=-c%20search_path%3D{name}&application_name={name}");
        TestSchema {
            name,
            url,
            base: base.to_owned(),
        }
    }
}

impl Drop for TestSchema {
    /// Drops the schema from a thread of its own, with a runtime of its own,
    /// since `Drop` cannot wait on the test's runtime.
    fn drop(&mut self) {
        let (base, name) = (self.base.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let (client, connection) = tokio_postgres::connect(&base, NoTls).await?;
                let driver = tokio::spawn(connection);
                // A connection of a test that failed may still hold a lock:
                // give up after a while rather than hang the suite.
                let dropped = client
                    .batch_execute(&format!(
                        "set lock_timeout = '10s'; drop schema if exists {name} cascade"
                    ))
                    .await;
                drop(client);
                let _ = driver.await;
                dropped
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("warning: test schema {} was not dropped", self.name);
        }
    }
}

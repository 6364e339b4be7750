//! `serve --clock-offset`: the shop's clock moved for the browser tests of
//! a drop's countdown, on a demo only.

use chrono::{TimeDelta, Utc};
use clap::Parser;
use stockroom::cli::{Cli, Command};

use crate::operations::{stockroom, text};

fn serve_args(flags: &[&str]) -> Result<stockroom::config::ServeArgs, clap::Error> {
    let argv = ["stockroom", "serve"].iter().chain(flags);
    match Cli::try_parse_from(argv)?.command {
        Command::Serve(args) => Ok(*args),
        _ => unreachable!("serve parses as serve"),
    }
}

#[tokio::test]
async fn a_clock_offset_is_refused_without_demo_and_says_why() {
    let dir = tempfile::tempdir().expect("a folder");
    let url = format!("sqlite://{}", dir.path().join("shop.db").display());

    let output = stockroom(&[
        "serve",
        "--clock-offset",
        "30",
        "--database-url",
        &url,
        "--listen",
        "127.0.0.1:0",
    ])
    .await;

    assert!(!output.status.success());
    let said = text(&output.stderr);
    assert!(
        said.contains("--clock-offset") && said.contains("--demo"),
        "{said}"
    );
    assert!(
        !dir.path().join("shop.db").exists(),
        "refused before opening the database"
    );
}

#[tokio::test]
async fn on_a_demo_the_shops_clock_runs_ahead_or_behind_by_the_offset() {
    let ahead = serve_args(&["--demo", "--clock-offset", "3600"])
        .expect("valid flags")
        .clock();
    let behind = serve_args(&["--demo", "--clock-offset", "-90"])
        .expect("valid flags")
        .clock();
    let ignored = serve_args(&["--clock-offset", "3600"])
        .expect("valid flags")
        .clock();

    let near = |clock: &stockroom::domain::clock::Clock, secs: i64| {
        ((clock.now() - Utc::now()) - TimeDelta::seconds(secs))
            .num_seconds()
            .abs()
            < 5
    };
    assert!(near(&ahead, 3600));
    assert!(near(&behind, -90));
    // `serve` refuses it; were it read anyway, a real shop's clock would not move.
    assert!(near(&ignored, 0));
    assert!(serve_args(&["--demo", "--clock-offset", "99999999999"]).is_err());
    assert!(serve_args(&["--demo", "--clock-offset", "soon"]).is_err());
}

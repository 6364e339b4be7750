//! `stockroom serve`: the HTTP API on one port, until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::{TcpListener, TcpSocket};

use crate::config::{Config, ServeArgs};
use crate::config::{DatabaseUrl, redact_url};
use crate::demo;
use crate::domain::phone::SampleNumbers;
use crate::http::{self, AppState};
use crate::metrics::Metrics;
use crate::store::Store;

/// How often answers kept for idempotency keys past their time are deleted.
const IDEMPOTENCY_PURGE_INTERVAL: Duration = Duration::from_secs(600);

/// New connections the kernel queues until the server accepts them (its
/// `somaxconn` may lower it).
const LISTEN_BACKLOG: u32 = 4096;

/// How often histogram samples are folded into their buckets between scrapes.
const METRICS_UPKEEP_INTERVAL: Duration = Duration::from_secs(5);

pub async fn run(args: ServeArgs) -> Result<(), String> {
    let currency = args.currency.trim();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(format!(
            "--currency must be a three-letter ISO 4217 code such as XOF or EUR, not `{currency}`"
        ));
    }
    if args.clock_offset.is_some() && !args.demo {
        return Err(
            "--clock-offset moves the shop's clock, for browser tests of a drop's countdown: \
             it is accepted only with --demo, never on a shop's own data"
                .into(),
        );
    }
    let mut config = Config::from_args(&args);
    // Every connection is an open file: the caps are set below what is left.
    let open_files = http::open_files::raise_soft_limit();
    tracing::debug!(?open_files, "open-file limit");
    let metrics = Metrics::new();
    // The demo's temporary folder lives as long as the server.
    let (url, _demo_dir) = match (&args.database.database_url, args.demo) {
        (None, true) => {
            let dir = tempfile::Builder::new()
                .prefix("stockroom-demo-")
                .tempdir()
                .map_err(|e| e.to_string())?;
            let url = format!("sqlite://{}", dir.path().join("demo.db").display());
            (url, Some(dir))
        }
        _ => (args.database.url_or_default().to_owned(), None),
    };
    let store = Store::open(&DatabaseUrl::parse(&url)?, config.store.clone())
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(database = %redact_url(&url), "database ready");
    let demo_token = if args.demo {
        Some(demo::seed(&store).await?)
    } else {
        None
    };
    // The pages are made before the address is printed: whoever reads it
    // is answered at once.
    http::prepare_pages();
    let listener =
        listen(args.listen).map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    if args.public_url.is_none() {
        // Where it really listens, should the port have been 0.
        config.public_url = crate::config::PublicUrl::for_listen(address);
    }
    let shop = config.public_url.to_string();
    println!("stockroom is serving on http://{address}");
    println!("  storefront:  {shop}/");
    println!("  back office: {shop}/admin");
    println!("  catalog API: {shop}/api/v1/products");
    match demo_token {
        Some(token) => {
            let valid_for = config.sign_in.setup_link_valid_for;
            let link = store
                .reset_password(demo::OWNER, demo::OWNER, valid_for)
                .await
                .map_err(|e| e.to_string())?;
            println!("  demo database: {}", redact_url(&url));
            if let Some(secs) = args.clock_offset {
                println!("  the shop's clock is {secs} s off the machine's (--clock-offset)");
            }
            // Plain text for a terminal: no Markdown quotes around names.
            println!(
                "  back office sign-in: open {} to choose a password, then sign in with the name {}",
                config.public_url.setup_url(&link.token),
                demo::OWNER
            );
            println!("  demo API token: {token}");
            println!("  try: curl -H 'Authorization: Bearer {token}' {shop}/api/v1/admin/audit");
        }
        None => warn_without_owner(&store).await?,
    }
    spawn_idempotency_purge(store.clone());
    spawn_metrics_upkeep(metrics.clone());
    spawn_phone_warm_up(store.clone());
    let state = AppState::new(store, config, metrics);
    http::serve(listener, state, shutdown_signal())
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

/// Says how to make the first owner when nobody can sign in.
async fn warn_without_owner(store: &Store) -> Result<(), String> {
    let people = store.list_admins().await.map_err(|e| e.to_string())?;
    let owner = people
        .iter()
        .any(|p| p.revoked_at.is_none() && p.role == crate::domain::staff::Role::Owner);
    if !owner {
        tracing::warn!(
            "nobody can run the shop yet: make its owner with: stockroom admin create NAME --password-setup (then open the link it prints)"
        );
    }
    Ok(())
}

/// A listening socket whose queue holds a rush of new connections: a
/// thousand clients connecting at once, or those waiting while every place
/// is taken (`--connections-max`). With the usual queue of 128, the kernel
/// drops the rest, and each of those clients waits a second or more before
/// it tries again.
fn listen(address: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = match address {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(LISTEN_BACKLOG)
}

fn spawn_metrics_upkeep(metrics: Metrics) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(METRICS_UPKEEP_INTERVAL);
        loop {
            tick.tick().await;
            metrics.run_upkeep();
        }
    });
}

/// libphonenumber's metadata is read on its first use (70 ms measured on
/// a release build) and each country's patterns compiled on theirs: done
/// now, beside the start, rather than in the first buyer's checkout.
fn spawn_phone_warm_up(store: Store) {
    tokio::spawn(async move {
        if let Ok(settings) = store.settings().await {
            let country = settings.default_country;
            let _ = tokio::task::spawn_blocking(move || SampleNumbers::of(country).nth(0)).await;
        }
    });
}

fn spawn_idempotency_purge(store: Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(IDEMPOTENCY_PURGE_INTERVAL);
        loop {
            tick.tick().await;
            match store.purge_idempotency_keys().await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "expired idempotency keys deleted"),
                Err(error) => tracing::warn!(%error, "could not purge expired idempotency keys"),
            }
        }
    });
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight, within --shutdown-timeout-ms");
}

//! The HTTP server: accepts connections under their caps (`caps.rs`),
//! serves each with hyper's HTTP/1 under its timers (`clock.rs`) and the
//! request's own deadlines (`http/deadline.rs`), and, asked to stop,
//! finishes the requests in flight within its deadline, then closes what
//! is left, whatever the clients do.

mod caps;
mod clock;
pub mod open_files;

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tower::ServiceExt;

use super::AppState;
use super::rate_limit::ClientLimiter;
use crate::config::{Config, ConnectionLimits};
use crate::metrics::{ConnectionDrop, Metrics};
use caps::{Admitted, ConnectionCaps};
use clock::{Clocked, Requests, Timeouts};

/// How long to wait before accepting again after `accept` failed for want
/// of resources (open files, memory): at once would spin.
const ACCEPT_PAUSE: Duration = Duration::from_millis(50);

/// The same warning at most once per this long: under attack, a line per
/// refused connection would flood the logs.
const WARNING_PERIOD: Duration = Duration::from_secs(10);

/// Serves until `shutdown` completes, then finishes the requests in flight
/// within `--shutdown-timeout-ms` and closes every connection still open.
/// Each request knows its TCP peer (`ConnectInfo`), which the rate limit
/// counts against.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let limits = state.config.connections.clone();
    let caps = caps_for(&state.config);
    let metrics = state.metrics.clone();
    let refused = metrics.rate_limited(crate::metrics::RateLimit::BuyerWrites);
    let limiter = ClientLimiter::start(&state.config.rate_limit, refused);
    let connection = Connection {
        router: super::router(state, limiter),
        http: http1_builder(&limits),
        timeouts: Timeouts {
            header: limits.header_timeout,
            idle: limits.idle_timeout,
        },
        metrics: metrics.clone(),
    };
    let (closing, closing_seen) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    let mut warnings = Warnings::default();
    loop {
        while connections.try_join_next().is_some() {}
        if caps.full() && warnings.due(Warning::Full) {
            tracing::warn!(
                connections_max = caps.maxima().0,
                "every connection is taken; new ones wait to be accepted"
            );
        }
        let room = tokio::select! {
            room = caps.room() => room,
            () = &mut shutdown => break,
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) if is_connection_error(&error) => continue,
            Err(error) => {
                if warnings.due(Warning::Accept) {
                    tracing::warn!(%error, "cannot accept connections");
                }
                tokio::time::sleep(ACCEPT_PAUSE).await;
                continue;
            }
        };
        let Some(admitted) = caps.admit(peer.ip(), room) else {
            metrics.connection_dropped(ConnectionDrop::AddressLimit);
            if warnings.due(Warning::Address) {
                tracing::warn!(
                    peer = %peer.ip(),
                    connections_per_address_max = caps.maxima().1,
                    "an address holds all the connections it may; its new ones are closed"
                );
            }
            continue;
        };
        let served = connection
            .clone()
            .serve(stream, peer, admitted, closing_seen.clone());
        connections.spawn(served);
    }
    drop(listener);
    close(connections, &closing, limits.shutdown_timeout, &metrics).await;
    Ok(())
}

/// Lets every connection finish the request it is serving, then closes
/// it; what is still open at the deadline is closed there and then.
async fn close(
    mut connections: JoinSet<()>,
    closing: &watch::Sender<bool>,
    deadline: Duration,
    metrics: &Metrics,
) {
    closing.send_replace(true);
    let all_closed = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(deadline, all_closed).await.is_ok() {
        return;
    }
    let left = connections.len();
    tracing::warn!(
        connections = left,
        deadline_ms = deadline.as_millis() as u64,
        "closing the connections still open at the shutdown's deadline"
    );
    for _ in 0..left {
        metrics.connection_dropped(ConnectionDrop::Shutdown);
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}

/// The caps of `config`, lowered to what the open-file limit allows: the
/// whole to the files left after the store's, and one address to half of
/// the whole, so that one address never takes every connection.
fn caps_for(config: &Config) -> ConnectionCaps {
    let limits = &config.connections;
    let reserved =
        open_files::reserved_files(config.store.sqlite_readers_max, config.store.pg_pool_max);
    let fit = open_files::connections_that_fit(open_files::soft_limit(), reserved);
    let mut total = limits.connections_max;
    if let Some(fit) = fit.filter(|fit| *fit < total) {
        tracing::warn!(
            connections_max = total,
            lowered_to = fit.max(1),
            open_files_limit = open_files::soft_limit(),
            "the open-file limit is too low for --connections-max; raise it (docs/OPERATIONS.md)"
        );
        total = fit.max(1);
    }
    let mut per_address = limits.connections_per_address_max;
    if per_address >= total && total > 1 {
        per_address = total / 2;
        tracing::warn!(
            connections_per_address_max = limits.connections_per_address_max,
            lowered_to = per_address,
            "one address may hold at most half of all connections"
        );
    }
    ConnectionCaps::new(
        total,
        per_address.max(1),
        config.rate_limit.trusted_proxies.clone(),
    )
}

/// HTTP/1 as hyper serves it, with the head's size capped: both the
/// parsed head and the buffer an unfinished one fills. The header timeout
/// is `clock.rs`'s, not hyper's, whose timer would also run while a
/// keep-alive connection is idle.
fn http1_builder(limits: &ConnectionLimits) -> http1::Builder {
    let mut http = http1::Builder::new();
    http.max_header_size(limits.header_bytes_max)
        .max_buf_size(limits.header_bytes_max.max(8192))
        .header_read_timeout(None);
    http
}

/// What every connection is served with.
#[derive(Clone)]
struct Connection {
    router: Router,
    http: http1::Builder,
    timeouts: Timeouts,
    metrics: Metrics,
}

impl Connection {
    /// Serves one connection to its end, or, once `closing` says so, to the
    /// end of the request in flight.
    async fn serve(
        self,
        stream: TcpStream,
        peer: SocketAddr,
        admitted: Admitted,
        mut closing: watch::Receiver<bool>,
    ) {
        let _open = Open::count(&self.metrics, admitted);
        let requests = Arc::new(Requests::default());
        let io = TokioIo::new(Clocked::new(stream, requests.clone(), self.timeouts));
        let router = self.router;
        let counted = requests.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            counted.started();
            let answer = router.clone().oneshot(request);
            let counted = counted.clone();
            async move {
                let response = answer.await;
                counted.answered();
                response
            }
        });
        let mut connection = pin!(self.http.serve_connection(io, service));
        let closing = async move {
            // The guard `wait_for` answers must not live across an await.
            let _ = closing.wait_for(|closing| *closing).await.map(|_| ());
        };
        let ended = tokio::select! {
            ended = connection.as_mut() => ended,
            () = closing => {
                connection.as_mut().graceful_shutdown();
                connection.await
            }
        };
        if let Some(reason) = requests.expired() {
            self.metrics.connection_dropped(reason);
        }
        if let Err(error) = ended {
            tracing::debug!(%error, peer = %peer.ip(), "connection ended");
        }
    }
}

/// A connection counted as open, and its place under the caps, until dropped
/// (also when its task is aborted at the shutdown's deadline).
struct Open {
    metrics: Metrics,
    _admitted: Admitted,
}

impl Open {
    fn count(metrics: &Metrics, admitted: Admitted) -> Open {
        metrics.connections_open(1.0);
        Open {
            metrics: metrics.clone(),
            _admitted: admitted,
        }
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.metrics.connections_open(-1.0);
    }
}

/// An error of one connection (it was reset before we took it), not of
/// the listener.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

#[derive(Clone, Copy)]
enum Warning {
    Full,
    Accept,
    Address,
}

/// When each warning of the accept loop was last logged.
#[derive(Default)]
struct Warnings {
    last: [Option<Instant>; 3],
}

impl Warnings {
    fn due(&mut self, warning: Warning) -> bool {
        let last = &mut self.last[warning as usize];
        let now = Instant::now();
        if last.is_some_and(|at| now.duration_since(at) < WARNING_PERIOD) {
            return false;
        }
        *last = Some(now);
        true
    }
}

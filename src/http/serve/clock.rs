//! The timers of one connection between its requests: how long a request's
//! headers may take to arrive, and how long the connection may sit idle.
//!
//! They live in the connection's I/O, which hyper reads every request head
//! and writes every answer through, and polls whenever the connection
//! waits. The connection's service tells them when a request's head has
//! been read and when its answer is ready ([`Requests`]); in between, the
//! request's own deadlines apply (`http/deadline.rs`), not these.
//!
//! One tokio timer per connection, armed lazily: a deadline that moves
//! later (every request does that to the idle deadline) costs nothing, and
//! the timer, when it fires before the deadline now in force, is set again.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU32, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

use crate::metrics::ConnectionDrop;

/// The requests of one connection, as its service sees them; shared with
/// its I/O. Both are polled by the connection's one task.
#[derive(Debug, Default)]
pub struct Requests {
    started: AtomicU32,
    answered: AtomicU32,
    expired: AtomicU8,
}

// `expired` stays 0 while no timer has closed the connection.
const HEADER_EXPIRED: u8 = 1;
const IDLE_EXPIRED: u8 = 2;

impl Requests {
    /// A request's head was read: its own deadlines take over.
    pub fn started(&self) {
        self.started.fetch_add(1, Ordering::Relaxed);
    }

    /// A request's answer is ready to be written.
    pub fn answered(&self) {
        self.answered.fetch_add(1, Ordering::Relaxed);
    }

    /// Which timer closed the connection, if one did.
    pub fn expired(&self) -> Option<ConnectionDrop> {
        match self.expired.load(Ordering::Relaxed) {
            HEADER_EXPIRED => Some(ConnectionDrop::HeaderTimeout),
            IDLE_EXPIRED => Some(ConnectionDrop::IdleTimeout),
            _ => None,
        }
    }

    /// How many requests have started, and whether one is in flight.
    fn state(&self) -> (u32, bool) {
        let started = self.started.load(Ordering::Relaxed);
        (started, started != self.answered.load(Ordering::Relaxed))
    }
}

/// How long each wait between requests may last.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// From a request's first byte (a connection's opening, for its first
    /// request) to the end of its headers.
    pub header: Duration,
    /// From the last byte read or written to the next request's first byte.
    pub idle: Duration,
}

/// A connection's I/O with its timers: once one expires, reads and writes
/// fail with `TimedOut` and hyper closes the connection.
pub struct Clocked<T> {
    io: T,
    requests: Arc<Requests>,
    timeouts: Timeouts,
    /// When a byte last went either way (or the connection opened).
    last_activity: Instant,
    /// When the request head being read began, while one is.
    head_started: Option<Instant>,
    /// `requests.started` when last looked at.
    seen_started: u32,
    timer: Option<Pin<Box<Sleep>>>,
}

impl<T> Clocked<T> {
    pub fn new(io: T, requests: Arc<Requests>, timeouts: Timeouts) -> Clocked<T> {
        let opened = Instant::now();
        Clocked {
            io,
            requests,
            timeouts,
            last_activity: opened,
            // A new connection owes its first request's headers from now.
            head_started: Some(opened),
            seen_started: 0,
            timer: None,
        }
    }

    /// The deadline in force and the timer it belongs to; none while a
    /// request is in flight.
    fn deadline(&mut self) -> Option<(Instant, u8)> {
        let (started, in_flight) = self.requests.state();
        if started != self.seen_started {
            // A request's head was read since: the head being timed is done.
            self.seen_started = started;
            self.head_started = None;
        }
        if in_flight {
            return None;
        }
        Some(match self.head_started {
            Some(start) => (start + self.timeouts.header, HEADER_EXPIRED),
            None => (self.last_activity + self.timeouts.idle, IDLE_EXPIRED),
        })
    }

    /// Bytes went by: the connection is not idle, and if no request was in
    /// flight, the next one's head has begun.
    fn active(&mut self, read: bool) {
        let now = Instant::now();
        self.last_activity = now;
        if read && self.head_started.is_none() && !self.requests.state().1 {
            self.head_started = Some(now);
        }
    }

    /// `Ready` with the timer whose deadline has passed, if the one in force
    /// has; otherwise `Pending`, with the timer armed to wake the task.
    fn poll_deadline(&mut self, cx: &mut Context<'_>) -> Poll<u8> {
        let Some((deadline, which)) = self.deadline() else {
            return Poll::Pending;
        };
        let timer = self
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        if timer.deadline() > deadline {
            timer.as_mut().reset(deadline);
        }
        loop {
            if timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            // The timer was set for an earlier deadline than the one in force.
            if Instant::now() < deadline {
                timer.as_mut().reset(deadline);
                continue;
            }
            return Poll::Ready(which);
        }
    }

    /// Waits for the I/O or the deadline in force, whichever comes first;
    /// past the deadline, the error that closes the connection.
    fn poll_expired<R>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<R>> {
        let which = ready!(self.poll_deadline(cx));
        self.requests.expired.store(which, Ordering::Relaxed);
        let what = if which == HEADER_EXPIRED {
            "the request's headers did not arrive in time"
        } else {
            "the connection was idle too long"
        };
        Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, what)))
    }

    /// Bytes were written. The timer is armed for the wait that follows:
    /// after an answer hyper may sleep without reading again (it waits on
    /// the socket), and if the client then sends nothing, only the timer
    /// wakes it. A deadline already past fails the next read or write.
    fn wrote(&mut self, written: usize, cx: &mut Context<'_>) {
        if written > 0 {
            self.active(false);
        }
        let _ = self.poll_deadline(cx);
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Clocked<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.io).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    this.active(true);
                }
                Poll::Ready(Ok(()))
            }
            Poll::Pending => this.poll_expired(cx),
            failed => failed,
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Clocked<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_write(cx, buf) {
            Poll::Ready(Ok(written)) => {
                this.wrote(written, cx);
                Poll::Ready(Ok(written))
            }
            Poll::Pending => this.poll_expired(cx),
            failed => failed,
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_write_vectored(cx, bufs) {
            Poll::Ready(Ok(written)) => {
                this.wrote(written, cx);
                Poll::Ready(Ok(written))
            }
            Poll::Pending => this.poll_expired(cx),
            failed => failed,
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.io).poll_flush(cx) {
            Poll::Pending => this.poll_expired(cx),
            done => done,
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream, duplex};

    use super::*;

    const TIMEOUTS: Timeouts = Timeouts {
        header: Duration::from_secs(10),
        idle: Duration::from_secs(75),
    };

    fn connection() -> (Clocked<DuplexStream>, DuplexStream, Arc<Requests>) {
        let (server, client) = duplex(1024);
        let requests = Arc::new(Requests::default());
        (
            Clocked::new(server, requests.clone(), TIMEOUTS),
            client,
            requests,
        )
    }

    /// Reads until the server side fails; answers when, and the error.
    async fn read_until_closed(server: &mut Clocked<DuplexStream>) -> (Instant, io::Error) {
        let mut buf = [0u8; 64];
        loop {
            match server.read(&mut buf).await {
                Ok(0) => panic!("the client closed first"),
                Ok(_) => {}
                Err(error) => return (Instant::now(), error),
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
        let (mut server, _client, requests) = connection();
        let opened = Instant::now();
        let (closed, error) = read_until_closed(&mut server).await;
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert_eq!(closed - opened, TIMEOUTS.header);
        assert_eq!(requests.expired(), Some(ConnectionDrop::HeaderTimeout));
    }

    #[tokio::test(start_paused = true)]
    async fn headers_sent_a_byte_at_a_time_are_cut_at_the_header_timeout() {
        let (mut server, mut client, requests) = connection();
        let opened = Instant::now();
        tokio::spawn(async move {
            loop {
                if client.write_all(b"x").await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        let (closed, _) = read_until_closed(&mut server).await;
        assert_eq!(closed - opened, TIMEOUTS.header);
        assert_eq!(requests.expired(), Some(ConnectionDrop::HeaderTimeout));
    }

    #[tokio::test(start_paused = true)]
    async fn between_requests_the_idle_timeout_counts_from_the_last_answer() {
        let (mut server, mut client, requests) = connection();
        client
            .write_all(b"GET / HTTP/1.1\r\n\r\n")
            .await
            .expect("sent");
        let mut buf = [0u8; 64];
        let read = server.read(&mut buf).await.expect("the head");
        assert!(read > 0);
        requests.started();
        // A request in flight has no timer here, however long it takes.
        tokio::time::sleep(Duration::from_secs(300)).await;
        requests.answered();
        server
            .write_all(b"HTTP/1.1 200 OK\r\n\r\n")
            .await
            .expect("answered");
        let answered = Instant::now();
        let (closed, error) = read_until_closed(&mut server).await;
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert_eq!(closed - answered, TIMEOUTS.idle);
        assert_eq!(requests.expired(), Some(ConnectionDrop::IdleTimeout));
    }

    #[tokio::test(start_paused = true)]
    async fn the_next_requests_first_byte_starts_its_header_timeout() {
        let (mut server, mut client, requests) = connection();
        requests.started();
        requests.answered();
        server
            .write_all(b"HTTP/1.1 200 OK\r\n\r\n")
            .await
            .expect("answered");
        tokio::time::sleep(Duration::from_secs(60)).await;
        client.write_all(b"GET / HT").await.expect("half a head");
        let first_byte = Instant::now();
        let (closed, _) = read_until_closed(&mut server).await;
        assert_eq!(closed - first_byte, TIMEOUTS.header);
        assert_eq!(requests.expired(), Some(ConnectionDrop::HeaderTimeout));
    }

    #[tokio::test(start_paused = true)]
    async fn an_answer_the_client_does_not_read_is_cut_after_the_idle_timeout() {
        let (server, _client) = duplex(16);
        let requests = Arc::new(Requests::default());
        let mut server = Clocked::new(server, requests.clone(), TIMEOUTS);
        requests.started();
        requests.answered();
        let started = Instant::now();
        let error = server
            .write_all(&[b'a'; 4096])
            .await
            .expect_err("the client never reads");
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert_eq!(Instant::now() - started, TIMEOUTS.idle);
    }
}

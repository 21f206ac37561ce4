//! The accept loop: our own instead of `axum::serve`, because the release binary showed what
//! the plain one lets through — half-sent requests held open for minutes, and one client's
//! 20,000 of them starving everyone else.
//!
//! - A request's headers must arrive within `header_read_timeout` of their first byte
//!   (hyper's own timer, which starts only once bytes come).
//! - A connection with no request under way and no byte moving either way for
//!   `idle_timeout` is closed: a silent connection, a kept-alive one nobody uses, a client
//!   that stopped reading its response.
//! - One client (an IPv4 address, or an IPv6 /64) holds at most `max_connections_per_ip`
//!   connections; the extra ones are closed at once, and the first refused one of a burst is
//!   logged at `warn`.
//! - At most `max_connections` connections are open in all; past that the loop stops
//!   accepting (new connections wait in the kernel's queue) until one closes.
//! - Every request carries `ConnectInfo<SocketAddr>`, for handlers and the write limit.
//! - Ctrl+C or SIGTERM stops accepting; idle connections are closed and requests under way
//!   finish (cut after the request timeout and a little more).

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, Ipv6Addr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_service::Service;

/// How the server guards itself; `Default` gives the values for a real deployment.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Host names that requests may name in `Host`, besides IP literals and `localhost`,
    /// which are always allowed (DNS rebinding needs a name). A port is ignored.
    pub allowed_hosts: Vec<String>,
    /// Time for a request's headers to arrive once their first byte has. Default 10 s.
    pub header_read_timeout: Duration,
    /// A connection with no request under way and no byte moving for this long is closed:
    /// the keep-alive idle limit, and the limit for a connection that never sends anything.
    /// Default 15 s.
    pub idle_timeout: Duration,
    /// Open connections one client may hold; the extra ones are closed at once. Default 64.
    pub max_connections_per_ip: usize,
    /// Open connections in all; past it new ones wait to be accepted. Default 1024.
    pub max_connections: usize,
    /// Time for a whole request, from its headers to its response. Default 30 s.
    pub request_timeout: Duration,
    /// Time for a request body to arrive once its headers have. Default 15 s.
    pub body_read_timeout: Duration,
    /// Largest request body, in bytes. Default 1 MiB.
    pub body_limit: usize,
    /// Largest body of a unit's Excel upload (`…/units/{unit}/upload`), the one route that
    /// takes files. Default 10 MiB and 64 KiB for the multipart framing: the reader refuses
    /// a file over 10 MiB itself, with its own message.
    pub upload_limit: usize,
    /// Writes (POST, PUT, PATCH, DELETE) one client may send at once … Default 30.
    pub write_burst: u32,
    /// … and then per second. Default 5.
    pub writes_per_second: u32,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            allowed_hosts: Vec::new(),
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(15),
            max_connections_per_ip: 64,
            max_connections: 1024,
            request_timeout: Duration::from_secs(30),
            body_read_timeout: Duration::from_secs(15),
            body_limit: 1024 * 1024,
            upload_limit: 10 * 1024 * 1024 + 64 * 1024,
            write_burst: 30,
            writes_per_second: 5,
        }
    }
}

/// Who counts as one client for the limits: an IPv4 address, or an IPv6 /64 (one
/// subscriber's usual allocation, so that a client cannot rotate its way past the limit).
pub(crate) fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// Open connections per client.
struct Clients {
    limit: usize,
    open: Mutex<HashMap<IpAddr, Client>>,
}

#[derive(Default)]
struct Client {
    open: usize,
    /// Connections refused since this client last had none open.
    refused: u64,
}

/// One open connection of a client; dropping it frees the place.
struct Slot {
    clients: Arc<Clients>,
    key: IpAddr,
}

impl Clients {
    fn enter(self: &Arc<Self>, ip: IpAddr) -> Option<Slot> {
        let key = client_key(ip);
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let client = open.entry(key).or_default();
        if client.open >= self.limit {
            client.refused += 1;
            if client.refused == 1 {
                tracing::warn!(
                    client = %key,
                    limit = self.limit,
                    "too many connections from one client: the extra ones are closed"
                );
            }
            return None;
        }
        client.open += 1;
        Some(Slot {
            clients: self.clone(),
            key,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self
            .clients
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(client) = open.get_mut(&self.key) {
            client.open = client.open.saturating_sub(1);
            if client.open == 0 {
                if client.refused > 0 {
                    tracing::info!(
                        client = %self.key,
                        refused = client.refused,
                        "a client's burst of connections is over"
                    );
                }
                open.remove(&self.key);
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes.
pub(crate) async fn run(
    listener: TcpListener,
    app: Router,
    options: &ServeOptions,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut builder = auto::Builder::new(TokioExecutor::new()).http1_only();
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(options.header_read_timeout)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let clients = Arc::new(Clients {
        limit: options.max_connections_per_ip.max(1),
        open: Mutex::default(),
    });
    let capacity = options.max_connections.max(1);
    let places = Arc::new(Semaphore::new(capacity));
    let mut full_logged = false;
    tokio::pin!(shutdown);
    loop {
        let place = match places.clone().try_acquire_owned() {
            Ok(place) => {
                if places.available_permits() >= capacity / 2 {
                    full_logged = false;
                }
                place
            }
            Err(_) => {
                if !full_logged {
                    tracing::warn!(
                        limit = capacity,
                        "the connection limit is reached: new connections wait"
                    );
                    full_logged = true;
                }
                tokio::select! {
                    place = places.clone().acquire_owned() => match place {
                        Ok(place) => place,
                        Err(_) => break,
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Dropping the stream closes it: the client learns at once.
        let Some(slot) = clients.enter(peer.ip()) else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(Activity::new());
        let app = app.clone();
        let serving = activity.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let mut app = app.clone();
            let busy = Busy::new(serving.clone());
            // A Router is always ready: `call` needs no `poll_ready` first.
            async move {
                let response = app.call(req).await;
                drop(busy);
                response
            }
        });
        let io = TokioIo::new(Metered {
            inner: stream,
            activity: activity.clone(),
        });
        let connection = builder
            .serve_connection_with_upgrades(io, service)
            .into_owned();
        let watched = graceful.watch(connection);
        let idle = options.idle_timeout;
        tokio::spawn(async move {
            tokio::pin!(watched);
            let mut tick = tokio::time::interval((idle / 4).max(Duration::from_millis(100)));
            loop {
                tokio::select! {
                    ended = &mut watched => {
                        if let Err(e) = ended {
                            tracing::debug!(error = %e, "a connection ended with an error");
                        }
                        break;
                    }
                    _ = tick.tick() => {
                        if activity.idle_for() >= idle {
                            // Dropping the connection closes it.
                            tracing::debug!(client = %peer, "closed an idle connection");
                            break;
                        }
                    }
                }
            }
            drop(slot);
            drop(place);
        });
    }
    drop(listener);
    let grace = options.request_timeout + Duration::from_secs(5);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(grace) => {
            tracing::warn!("requests still under way at shutdown were cut");
        }
    }
    Ok(())
}

/// What a connection is doing: when a byte last moved, and how many requests are under
/// way (a handler may work for seconds without a byte moving).
struct Activity {
    start: Instant,
    /// Milliseconds from `start` to the last byte read or written.
    last: AtomicU64,
    busy: AtomicUsize,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last: AtomicU64::new(0),
            busy: AtomicUsize::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(ms, Ordering::Relaxed);
    }

    /// How long nothing has happened; zero while a request is under way.
    fn idle_for(&self) -> Duration {
        if self.busy.load(Ordering::Relaxed) > 0 {
            return Duration::ZERO;
        }
        let last = Duration::from_millis(self.last.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(last)
    }
}

/// A request under way on a connection, until dropped (also when its future is).
struct Busy(Arc<Activity>);

impl Busy {
    fn new(activity: Arc<Activity>) -> Busy {
        activity.busy.fetch_add(1, Ordering::Relaxed);
        Busy(activity)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// A socket that notes in its `Activity` when bytes move.
struct Metered<T> {
    inner: T,
    activity: Arc<Activity>,
}

impl<T: AsyncRead + Unpin> AsyncRead for Metered<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Metered<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A failed accept: a connection that went away before we took it is nothing; anything
/// else (too many open files …) is logged, and the loop waits a little before trying again
/// rather than spinning.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accepting a connection failed");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

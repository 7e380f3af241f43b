//! HTTP/1.1 through hyper's own connection API (`hyper::client::conn::http1`)
//! over TCP or rustls with the ring provider, and reading answers with a size cap.
//!
//! Why not reqwest: reqwest and what it adds over hyper (hyper-util's pooled
//! client, tower, tower-http, and `url`, whose IDNA support pulls in the
//! ICU4X crates) were about a third of a cold release build of the generated
//! crate, and its layers (URL parsing, a connection task per connection and
//! channels to it) most of the client's CPU time per call. A client here
//! talks to one origin, so the pool is a stack of idle connections, and the
//! calling task drives the connection itself while its request is in flight:
//! no task per connection, no wake-ups across threads.
//!
//! Proxies (see [`crate::proxy`]): a `CONNECT` tunnel for https endpoints,
//! requests in absolute form for http ones, both with the proxy URL's
//! credentials as `Proxy-Authorization`.
//!
//! Behaviour kept from the reqwest-based transport: no redirects (a 3xx is an
//! answer like any other), `TCP_NODELAY`, the connect timeout
//! covering DNS, TCP and the TLS handshake, connection failures reported as
//! [`TransportErrorKind::Connect`], a connection that breaks or an answer
//! hyper cannot read as [`TransportErrorKind::Io`], answers over the cap as
//! [`TransportErrorKind::BodyTooLarge`] (before reading when the length is
//! announced).
//!
//! The pool: idle connections are checked before reuse (the socket itself is
//! peeked, then hyper polled), closed by a reaper task once they pass the idle
//! timeout, and kept up to a limit. A request that meets a connection the
//! server closed before the request was written goes out on a new connection
//! within the same attempt; one that was written when the connection broke is
//! a failed attempt (the server may have acted on it).

use std::fmt;
use std::future::{Future, poll_fn};
use std::net::{IpAddr, SocketAddr};
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Bytes, Incoming};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use rustls_platform_verifier::BuilderVerifierExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
// Tokio's clock, not std's: idle times are then on the reaper's timer's clock (and a test's paused one).
use tokio::time::Instant;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::client::{PreparedRequest, Response};
use crate::config::{Config, ConfigError};
use crate::error::{Error, TransportError, TransportErrorKind};
use crate::proxy::Proxy;

/// What a [`Transport`]'s `send` returns: the whole answer, or why there is none.
pub type TransportFuture<'a> = Pin<Box<dyn Future<Output = Result<Response, TransportError>> + Send + 'a>>;

/// Sends a signed request and reads the whole answer: the part of a call below
/// signing. Set one with [`crate::ConfigBuilder::transport`] to replace the
/// built-in HTTP/1.1 client, e.g. with [`crate::testing::InMemoryTransport`] in
/// tests that should run without a server.
///
/// Everything above the transport is unchanged: validation, building, signing
/// (each attempt afresh), the attempt and total timeouts (which wrap `send`),
/// retries and back-off, the response size cap (an answer longer than
/// [`crate::Config::max_response_bytes`] fails with
/// [`TransportErrorKind::BodyTooLarge`]) and parsing. A [`TransportError`]
/// other than `BodyTooLarge` counts as a connection failure: it is retried.
///
/// `request.url` is absolute (`https://host/path?query`); `request.headers`
/// lists every header to send, `Host` first, signature included.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` and returns the answer, whatever its status.
    fn send<'a>(&'a self, request: &'a PreparedRequest) -> TransportFuture<'a>;
}

/// A request as hyper sends it.
pub(crate) type HttpRequest = hyper::Request<Full<Bytes>>;

/// A transport failure or a timeout: not generic over the operation's error,
/// so that this module is compiled once, not once per operation.
pub(crate) type Failure = Error<std::convert::Infallible>;

/// A client for one origin (`scheme://host[:port]`); clones share the idle connections.
#[derive(Clone)]
pub(crate) struct Client {
    shared: Arc<Shared>,
}

struct Shared {
    /// As in the URL, without the brackets of an IPv6 literal.
    host: String,
    port: u16,
    /// The proxy connections go through: a `CONNECT` tunnel for https, requests
    /// in absolute form for http.
    proxy: Option<Proxy>,
    /// `scheme://host[:port]` of the endpoint, for absolute-form requests.
    origin: String,
    tls: Option<(TlsConnector, ServerName<'static>)>,
    connect_timeout: Duration,
    /// Idle connections older than this are closed, not reused.
    idle_timeout: Duration,
    /// The reaper looks at the pool at least this often (see `reap`).
    reap_every: Duration,
    /// At most this many idle connections are kept.
    max_idle: usize,
    pool: Mutex<Pool>,
}

#[derive(Default)]
struct Pool {
    /// Oldest first: checkout takes the newest, the reaper closes from the front.
    idle: Vec<(Conn, Instant)>,
    /// Whether a task is running that closes idle connections as they expire.
    reaping: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &*self.shared;
        f.debug_struct("Client")
            .field("host", &s.host)
            .field("port", &s.port)
            .field("tls", &s.tls.is_some())
            .field("proxy", &s.proxy)
            .field("connect_timeout", &s.connect_timeout)
            .finish()
    }
}

/// One HTTP/1.1 connection: hyper's sender, the connection future that the
/// task using it drives, and a second handle on its socket.
struct Conn {
    sender: http1::SendRequest<Full<Bytes>>,
    driver: Driver,
    probe: Probe,
}

type Driver = http1::Connection<TokioIo<Stream>, Full<Bytes>>;

/// The TLS settings of a client: safe defaults of the ring provider, the
/// platform's verifier, HTTP/1.1 by ALPN. Without extra roots every client
/// shares one (the system's roots are read once); with some (a corporate
/// interception CA, [`crate::ConfigBuilder::add_root_certificate`]) the
/// platform's verifier trusts them besides the system's, and the few such
/// settings in use are kept, so that a host-prefixed origin does not read the
/// system's roots again.
fn tls_config(extra_roots: &[Vec<u8>]) -> Result<Arc<rustls::ClientConfig>, ConfigError> {
    type Made = Result<Arc<rustls::ClientConfig>, String>;
    static TLS: OnceLock<Made> = OnceLock::new();
    static WITH_ROOTS: Mutex<Vec<(Vec<Vec<u8>>, Made)>> = Mutex::new(Vec::new());
    fn make(extra_roots: &[Vec<u8>]) -> Made {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?;
        let builder = if extra_roots.is_empty() {
            builder.with_platform_verifier().map_err(|e| e.to_string())?
        } else {
            let roots = extra_roots.iter().map(|der| rustls::pki_types::CertificateDer::from(der.clone()));
            let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider)
                .map_err(|e| format!("an added root certificate cannot be used: {e}"))?;
            builder.dangerous().with_custom_certificate_verifier(Arc::new(verifier))
        };
        let mut tls = builder.with_no_client_auth();
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(tls))
    }
    let made = if extra_roots.is_empty() {
        TLS.get_or_init(|| make(&[])).clone()
    } else {
        let mut kept = WITH_ROOTS.lock().unwrap_or_else(|e| e.into_inner());
        match kept.iter().find(|(roots, _)| roots.as_slice() == extra_roots) {
            Some((_, made)) => made.clone(),
            None => {
                let made = make(extra_roots);
                if kept.len() >= 8 {
                    drop(kept.remove(0));
                }
                kept.push((extra_roots.to_vec(), made.clone()));
                made
            }
        }
    };
    made.map_err(ConfigError::Tls)
}

/// A client for `uri`'s origin (checked by [`crate::endpoint`] already), through
/// the configured proxy for its host, if any.
pub(crate) fn client(config: &Config, uri: &hyper::Uri) -> Result<Client, ConfigError> {
    let https = uri.scheme_str() == Some("https");
    let proxy = uri.host().and_then(|host| config.proxy().for_host(https, host)).cloned();
    client_via(config, uri, proxy)
}

/// A client for `uri`'s origin through `proxy`, or directly.
pub(crate) fn client_via(config: &Config, uri: &hyper::Uri, proxy: Option<Proxy>) -> Result<Client, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidEndpoint { endpoint: uri.to_string(), reason: reason.to_owned() };
    let https = uri.scheme_str() == Some("https");
    let host = uri.host().ok_or_else(|| invalid("no host"))?;
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let tls = if https {
        let name = ServerName::try_from(host.to_owned()).map_err(|e| invalid(&e.to_string()))?;
        Some((TlsConnector::from(tls_config(config.root_certificates())?), name))
    } else {
        None
    };
    let default_port = if https { 443 } else { 80 };
    let authority = if host.contains(':') { format!("[{host}]") } else { host.to_owned() };
    let origin = match port {
        p if p == default_port => format!("{}://{authority}", if https { "https" } else { "http" }),
        p => format!("{}://{authority}:{p}", if https { "https" } else { "http" }),
    };
    Ok(Client {
        shared: Arc::new(Shared {
            host: host.to_owned(),
            port,
            proxy,
            origin,
            tls,
            connect_timeout: config.connect_timeout(),
            idle_timeout: config.idle_timeout(),
            // Half the attempt limit: see `reap`.
            reap_every: config.attempt_timeout().map_or(Duration::MAX, |t| (t / 2).max(Duration::from_secs(1))),
            max_idle: config.max_idle_connections(),
            pool: Mutex::new(Pool::default()),
        }),
    })
}

/// One attempt's request, ready for the transport that sends it.
pub(crate) enum Outgoing<'a> {
    /// Through the built-in client, as hyper takes it.
    Http(&'a Client, HttpRequest),
    /// Through a configured [`Transport`].
    Custom(&'a dyn Transport, PreparedRequest),
}

impl Outgoing<'_> {
    /// Sends and reads the whole answer, at most `max_body` bytes of its body.
    pub(crate) async fn send(self, max_body: usize) -> Result<Response, Failure> {
        match self {
            Outgoing::Http(client, request) => send(client, request, max_body).await,
            Outgoing::Custom(transport, request) => {
                let response = transport.send(&request).await.map_err(Error::Transport)?;
                // The same cap as the built-in client's, so that a test transport behaves like it.
                if response.body.len() > max_body {
                    return Err(too_large(max_body));
                }
                Ok(response)
            }
        }
    }
}

impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn send<'a>(&'a self, request: &'a PreparedRequest) -> TransportFuture<'a> {
        (**self).send(request)
    }
}

/// Sends one request and reads the whole answer, at most `max_body` bytes of its body.
///
/// A request sent on an idle connection that turns out to be closed before the
/// request left (the server's keep-alive timeout, RFC 9112 section 9.6) is
/// sent again on a new connection: the same attempt, since nothing was sent.
pub(crate) async fn send(client: &Client, request: HttpRequest, max_body: usize) -> Result<Response, Failure> {
    let shared = &*client.shared;
    let mut request = request;
    if shared.tls.is_none()
        && let Some(proxy) = &shared.proxy
    {
        // Plain http through a proxy: the absolute URL as the request target, and the proxy's credentials.
        let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
        let absolute = format!("{}{target}", shared.origin);
        *request.uri_mut() = absolute.parse().map_err(|e| connect_error(format!("invalid request target: {e}")))?;
        if let Some(auth) = proxy.authorization() {
            let value = hyper::header::HeaderValue::from_str(auth)
                .map_err(|_| connect_error("invalid proxy credentials".to_owned()))?;
            request.headers_mut().insert(hyper::header::PROXY_AUTHORIZATION, value);
        }
    }
    let mut pooled = shared.checkout();
    loop {
        let reused = pooled.is_some();
        let conn = match pooled.take() {
            Some(conn) => conn,
            None => shared.connect().await?,
        };
        match exchange(conn, request, max_body).await {
            Outcome::Answered(response, conn) => {
                if let Some(conn) = conn {
                    Shared::checkin(&client.shared, conn);
                }
                return Ok(response);
            }
            // The other idle connections are likely as old: this one goes out on a new connection.
            Outcome::Unsent(back) if reused => request = back,
            Outcome::Unsent(_) => {
                let message = "the new connection closed before the request could be sent".to_owned();
                return Err(Error::Transport(TransportError { kind: TransportErrorKind::Io, message }));
            }
            Outcome::Failed(e) => return Err(e),
        }
    }
}

// Moved once per exchange; boxing the connection would cost an allocation per call instead.
#[expect(clippy::large_enum_variant)]
enum Outcome {
    /// The whole answer, and the connection if it can carry another request.
    Answered(Response, Option<Conn>),
    /// The connection ended before any of the request was written; here it is back.
    Unsent(HttpRequest),
    Failed(Failure),
}

/// One request and its answer on `conn`, driving the connection in this task.
async fn exchange(conn: Conn, request: HttpRequest, max_body: usize) -> Outcome {
    let Conn { mut sender, driver, probe } = conn;
    let mut driver = Some(driver);
    let answer = match drive(&mut driver, sender.try_send_request(request)).await {
        Ok(answer) => answer,
        Err(mut e) => {
            return match e.take_message() {
                Some(request) => Outcome::Unsent(request),
                None => Outcome::Failed(io_error(e.error())),
            };
        }
    };
    match drive(&mut driver, read_answer(answer, max_body)).await {
        Ok(response) => {
            // One more turn lets hyper finish the message and mark the connection idle (or closed).
            // The socket itself is looked at when the connection is taken again (`checkout`):
            // a close that arrives in between is what that check is for, so one look per call does.
            let conn = driver.map(|driver| Conn { sender, driver, probe }).and_then(|mut c| c.hyper_idle().then_some(c));
            Outcome::Answered(response, conn)
        }
        Err(e) => Outcome::Failed(e),
    }
}

/// Polls `work` and the connection together until `work` is done. Should the
/// connection end first, it is dropped, which settles whatever still waits on
/// it (a queued request comes back unsent, a body ends in an error): hyper
/// keeps those pending for as long as the finished connection is kept.
async fn drive<T>(driver: &mut Option<Driver>, work: impl Future<Output = T>) -> T {
    let mut work = pin!(work);
    let ended = poll_fn(|cx| {
        if let Poll::Ready(done) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(done));
        }
        match driver.as_mut().map(|d| Pin::new(d).poll(cx)) {
            Some(Poll::Ready(_)) => Poll::Ready(None),
            _ => Poll::Pending,
        }
    })
    .await;
    match ended {
        Some(done) => done,
        None => {
            *driver = None;
            work.await
        }
    }
}

async fn read_answer(answer: hyper::Response<Incoming>, max_body: usize) -> Result<Response, Failure> {
    let (parts, mut body) = answer.into_parts();
    if body.size_hint().exact().is_some_and(|n| n > max_body as u64) {
        return Err(too_large(max_body));
    }
    let headers = parts
        .headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let mut bytes = Vec::with_capacity(body.size_hint().exact().map_or(0, |n| n as usize));
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| io_error(&e))?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > max_body {
                return Err(too_large(max_body));
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(Response { status: parts.status.as_u16(), headers, body: bytes })
}

impl Conn {
    /// Open, idle and ready for a request: the socket has nothing to read (no
    /// close, reset or stray bytes from the server), and hyper, polled once
    /// without waiting, agrees.
    fn is_reusable(&mut self) -> bool {
        self.probe.is_quiet() && self.hyper_idle()
    }

    /// hyper, polled once without waiting, has the connection open and ready for a request.
    fn hyper_idle(&mut self) -> bool {
        let mut cx = Context::from_waker(Waker::noop());
        if Pin::new(&mut self.driver).poll(&mut cx).is_ready() {
            return false;
        }
        !self.sender.is_closed() && self.sender.is_ready()
    }
}

impl Shared {
    fn pool(&self) -> std::sync::MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The most recently used idle connection that is still open and ready.
    fn checkout(&self) -> Option<Conn> {
        loop {
            let (mut conn, since) = self.pool().idle.pop()?;
            // Checked outside the lock; a connection found closed is dropped here.
            if since.elapsed() < self.idle_timeout && conn.is_reusable() {
                return Some(conn);
            }
        }
    }

    fn checkin(this: &Arc<Shared>, conn: Conn) {
        let mut pool = this.pool();
        if pool.idle.len() >= this.max_idle {
            return;
        }
        pool.idle.push((conn, Instant::now()));
        if !pool.reaping {
            pool.reaping = true;
            tokio::spawn(reap(Arc::downgrade(this)));
        }
    }
}

/// Closes idle connections as they pass the idle timeout, so that none stays
/// open for long after its last use; ends when the pool is empty or gone.
async fn reap(shared: std::sync::Weak<Shared>) {
    loop {
        let wake = {
            let Some(shared) = shared.upgrade() else { return };
            let mut pool = shared.pool();
            let timeout = shared.idle_timeout;
            let expired = pool.idle.iter().take_while(|(_, since)| since.elapsed() >= timeout).count();
            let closed: Vec<_> = pool.idle.drain(..expired).collect();
            let Some((_, oldest)) = pool.idle.first() else {
                pool.reaping = false;
                return;
            };
            // At the oldest's expiry, or sooner: the timer of a call's attempt limit is then
            // never the runtime's earliest, so starting one does not wake the thread that
            // waits on the timers (an eventfd write and a context switch per call otherwise).
            let expiry = oldest.checked_add(timeout);
            let check = Instant::now().checked_add(shared.reap_every);
            let Some(wake) = expiry.into_iter().chain(check).min() else {
                // Nothing here can expire: the reaper stays marked as running and ends.
                return;
            };
            drop(pool);
            drop(closed);
            wake
        };
        tokio::time::sleep_until(wake).await;
    }
}

impl Shared {
    async fn connect(&self) -> Result<Conn, Failure> {
        let attempt = async {
            let mut tcp = match &self.proxy {
                Some(proxy) => connect_tcp(proxy.host(), proxy.port()).await.map_err(|e| match e {
                    Error::Transport(mut t) => {
                        t.message = format!("proxy {}:{}: {}", proxy.host(), proxy.port(), t.message);
                        Error::Transport(t)
                    }
                    other => other,
                })?,
                None => connect_tcp(&self.host, self.port).await?,
            };
            if let Some(proxy) = &self.proxy {
                crate::trace::via_proxy(proxy.host(), proxy.port(), self.tls.is_some());
                if self.tls.is_some() {
                    tunnel(&mut tcp, proxy, &self.host, self.port).await?;
                }
            }
            let probe = Probe::new(&tcp);
            let stream = match &self.tls {
                None => Stream::Plain(tcp),
                Some((connector, name)) => {
                    let tls = connector.connect(name.clone(), tcp).await.map_err(|e| {
                        connect_error(format!("TLS handshake with {}:{} failed: {}", self.host, self.port, chain(&e)))
                    })?;
                    Stream::Tls(Box::new(tls))
                }
            };
            let (sender, driver) = http1::Builder::new()
                .handshake(TokioIo::new(stream))
                .await
                .map_err(|e| connect_error(format!("HTTP/1.1 handshake failed: {}", chain(&e))))?;
            Ok(Conn { sender, driver, probe })
        };
        // A connection not made in time is a failed connect (nothing was sent,
        // so any operation may try again), not a timed-out attempt.
        match tokio::time::timeout(self.connect_timeout, attempt).await {
            Ok(result) => result,
            Err(_) => Err(connect_error(format!(
                "connecting to {}:{} timed out after {:?}",
                self.host, self.port, self.connect_timeout
            ))),
        }
    }

}

async fn connect_tcp(host: &str, port: u16) -> Result<TcpStream, Failure> {
    let addresses: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((host, port))
            .await
            .map_err(|e| connect_error(format!("cannot resolve {host}: {e}")))?
            .collect(),
    };
    let mut last = None;
    for address in &addresses {
        match TcpStream::connect(address).await {
            Ok(tcp) => {
                // Requests are small and go out at once; do not hold them back.
                let _ = tcp.set_nodelay(true);
                return Ok(tcp);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(connect_error(match last {
        Some(e) => format!("cannot connect to {host}:{port}: {e}"),
        None => format!("{host} has no address"),
    }))
}

/// Longest `CONNECT` answer head read from a proxy.
const MAX_TUNNEL_ANSWER: usize = 16 * 1024;

/// `CONNECT host:port` through `proxy` on `tcp`; the connection is a tunnel to
/// the endpoint once the proxy answers 2xx. Its answer is read byte by byte up
/// to the blank line, so that nothing of what follows (the TLS handshake) is lost.
async fn tunnel(tcp: &mut TcpStream, proxy: &Proxy, host: &str, port: u16) -> Result<(), Failure> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let authority = if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") };
    let mut head = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
    if let Some(auth) = proxy.authorization() {
        head.push_str("Proxy-Authorization: ");
        head.push_str(auth);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    let failed = |what: String| connect_error(format!("proxy {}:{}: {what}", proxy.host(), proxy.port()));
    tcp.write_all(head.as_bytes()).await.map_err(|e| failed(format!("cannot send CONNECT: {e}")))?;
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while !answer.ends_with(b"\r\n\r\n") {
        if answer.len() >= MAX_TUNNEL_ANSWER {
            return Err(failed(format!("its answer to CONNECT is longer than {MAX_TUNNEL_ANSWER} bytes")));
        }
        match tcp.read(&mut byte).await {
            Ok(0) => return Err(failed("closed the connection before answering CONNECT".to_owned())),
            Ok(_) => answer.push(byte[0]),
            Err(e) => return Err(failed(format!("reading its answer to CONNECT: {e}"))),
        }
    }
    let status_line = String::from_utf8_lossy(&answer[..answer.iter().position(|&b| b == b'\r').unwrap_or(0)]).into_owned();
    let status = status_line.strip_prefix("HTTP/1.").and_then(|r| r.get(2..5)).and_then(|s| s.parse::<u16>().ok());
    match status {
        Some(200..=299) => Ok(()),
        Some(407) => Err(failed("407 Proxy Authentication Required: the proxy refused the credentials (or wants some)".to_owned())),
        Some(code) => Err(failed(format!("answered CONNECT {authority} with {code}"))),
        None => {
            let shown: String = status_line.chars().take(80).collect();
            Err(failed(format!("its answer to CONNECT is not HTTP: {shown:?}")))
        }
    }
}

fn connect_error(message: String) -> Failure {
    Error::Transport(TransportError { kind: TransportErrorKind::Connect, message })
}

/// After connecting, everything hyper reports (the connection closed or reset
/// mid-answer, an answer that is not HTTP/1.1) is a broken exchange.
fn io_error(e: &dyn std::error::Error) -> Failure {
    Error::Transport(TransportError { kind: TransportErrorKind::Io, message: chain(e) })
}

fn too_large(max_body: usize) -> Failure {
    let message = format!("the answer is larger than the limit of {max_body} bytes");
    Error::Transport(TransportError { kind: TransportErrorKind::BodyTooLarge, message })
}

/// A second descriptor of a connection's socket, to look at it without reading:
/// hyper and rustls own the stream, and tokio's readiness flags may not yet
/// know of a close that the kernel already has.
struct Probe(Option<std::net::TcpStream>);

impl Probe {
    fn new(tcp: &TcpStream) -> Probe {
        #[cfg(unix)]
        let clone = std::os::fd::AsFd::as_fd(tcp).try_clone_to_owned().map(std::net::TcpStream::from);
        #[cfg(windows)]
        let clone = std::os::windows::io::AsSocket::as_socket(tcp).try_clone_to_owned().map(std::net::TcpStream::from);
        #[cfg(not(any(unix, windows)))]
        let clone: std::io::Result<std::net::TcpStream> = Err(std::io::ErrorKind::Unsupported.into());
        // Without a probe, reuse relies on hyper's own check alone.
        Probe(clone.ok().filter(|s| s.set_nonblocking(true).is_ok()))
    }

    /// Nothing to read: the peer has not closed, reset, or sent anything unasked.
    fn is_quiet(&self) -> bool {
        match &self.0 {
            Some(socket) => matches!(socket.peek(&mut [0u8; 1]), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            None => true,
        }
    }
}

/// A TCP connection, or TLS over one.
enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Stream::Plain(s) => s.is_write_vectored(),
            Stream::Tls(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// The error and its causes, which hold the useful part ("connection refused").
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

/// One-off requests of the credential providers that ask a service over HTTP
/// (instance metadata, container credentials, STS, Huawei's ECS metadata),
/// compiled only with one of them.
#[cfg(any(
    feature = "credentials-sts",
    feature = "credentials-container",
    feature = "credentials-imds",
    feature = "huawei"
))]
pub(crate) mod fetch {
    use std::time::Duration;

    use http_body_util::Full;
    use hyper::body::Bytes;

    use super::{Config, Proxy, Response, client_via, send};

    /// A one-off request of a credentials provider (instance metadata, container
    /// credentials, STS), on a connection of its own.
    pub(crate) struct Fetch<'a> {
        pub method: &'a str,
        /// Absolute `http(s)://host[:port]/path?query`.
        pub url: &'a str,
        /// Besides `Host` (added here).
        pub headers: Vec<(String, String)>,
        pub body: Vec<u8>,
        /// For connecting, and again for the whole exchange.
        pub timeout: Duration,
        /// The proxy to go through, if any.
        pub proxy: Option<Proxy>,
    }

    /// Longest answer a credentials provider reads.
    const MAX_FETCH_BODY: usize = 1024 * 1024;

    impl Fetch<'_> {
        /// Sends the request and reads the whole answer (any status).
        pub(crate) async fn send(self) -> Result<Response, String> {
            let uri: hyper::Uri = self.url.parse().map_err(|e| format!("invalid URL: {e}"))?;
            let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
                return Err("the URL is not absolute".to_owned());
            };
            if scheme != "http" && scheme != "https" {
                return Err(format!("the scheme {scheme:?} is not http or https"));
            }
            let origin: hyper::Uri =
                format!("{scheme}://{authority}").parse().map_err(|e| format!("invalid URL: {e}"))?;
            let config = Config::builder().connect_timeout(self.timeout).max_idle_connections(0).build();
            let client = client_via(&config, &origin, self.proxy).map_err(|e| e.to_string())?;
            let method = hyper::Method::from_bytes(self.method.as_bytes()).map_err(|e| e.to_string())?;
            let target = uri.path_and_query().map_or("/", |p| p.as_str());
            let mut request = hyper::Request::new(Full::new(Bytes::from(self.body)));
            *request.method_mut() = method;
            *request.uri_mut() = target.parse().map_err(|e| format!("invalid URL: {e}"))?;
            let headers = request.headers_mut();
            let host = authority.as_str();
            for (name, value) in std::iter::once(("Host".to_owned(), host.to_owned())).chain(self.headers) {
                let name = hyper::header::HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string())?;
                // The value is never echoed: it may be a token.
                let value = hyper::header::HeaderValue::from_str(&value)
                    .map_err(|_| format!("the value of header {name} cannot be sent"))?;
                headers.append(name, value);
            }
            match tokio::time::timeout(self.timeout, send(&client, request, MAX_FETCH_BODY)).await {
                Ok(Ok(response)) => Ok(response),
                Ok(Err(e)) => Err(e.to_string()),
                Err(_) => Err(format!("no answer within {:?}", self.timeout)),
            }
        }
    }
}

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
//! Behaviour kept from the reqwest-based transport: no redirects (a 3xx is an
//! answer like any other), no proxies, `TCP_NODELAY`, the connect timeout
//! covering DNS, TCP and the TLS handshake, connection failures reported as
//! [`TransportErrorKind::Connect`], a connection that breaks or an answer
//! hyper cannot read as [`TransportErrorKind::Io`], answers over the cap as
//! [`TransportErrorKind::BodyTooLarge`] (before reading when the length is
//! announced). Idle connections are checked for a close before reuse and
//! dropped after 90 s.

use std::fmt;
use std::future::{Future, poll_fn};
use std::net::{IpAddr, SocketAddr};
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Bytes, Incoming};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use rustls_platform_verifier::BuilderVerifierExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::client::Response;
use crate::config::{Config, ConfigError};
use crate::error::{Error, TransportError, TransportErrorKind};

/// A request as hyper sends it.
pub(crate) type HttpRequest = hyper::Request<Full<Bytes>>;

/// A transport failure or a timeout: not generic over the operation's error,
/// so that this module is compiled once, not once per operation.
pub(crate) type Failure = Error<std::convert::Infallible>;

/// Idle connections older than this are not reused.
const IDLE_TIMEOUT: Duration = Duration::from_secs(90);
/// At most this many idle connections are kept per client.
const MAX_IDLE: usize = 256;

/// A client for one origin (`scheme://host[:port]`); clones share the idle connections.
#[derive(Clone)]
pub(crate) struct Client {
    shared: Arc<Shared>,
}

struct Shared {
    /// As in the URL, without the brackets of an IPv6 literal.
    host: String,
    port: u16,
    tls: Option<(TlsConnector, ServerName<'static>)>,
    connect_timeout: Duration,
    idle: Mutex<Vec<(Conn, Instant)>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &*self.shared;
        f.debug_struct("Client")
            .field("host", &s.host)
            .field("port", &s.port)
            .field("tls", &s.tls.is_some())
            .field("connect_timeout", &s.connect_timeout)
            .finish()
    }
}

/// One HTTP/1.1 connection: hyper's sender and the connection future that the
/// task using it drives.
struct Conn {
    sender: http1::SendRequest<Full<Bytes>>,
    driver: http1::Connection<TokioIo<Stream>, Full<Bytes>>,
}

/// The TLS settings every client shares (the system's roots are read once):
/// safe defaults of the ring provider, the platform's verifier, HTTP/1.1 by ALPN.
fn tls_config() -> Result<Arc<rustls::ClientConfig>, ConfigError> {
    static TLS: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();
    let made = TLS.get_or_init(|| {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_platform_verifier()
            .map_err(|e| e.to_string())?
            .with_no_client_auth();
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(tls))
    });
    made.clone().map_err(ConfigError::Tls)
}

/// A client for `uri`'s origin (checked by [`crate::endpoint`] already).
pub(crate) fn client(config: &Config, uri: &hyper::Uri) -> Result<Client, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidEndpoint { endpoint: uri.to_string(), reason: reason.to_owned() };
    let https = uri.scheme_str() == Some("https");
    let host = uri.host().ok_or_else(|| invalid("no host"))?;
    let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let tls = if https {
        let name = ServerName::try_from(host.to_owned()).map_err(|e| invalid(&e.to_string()))?;
        Some((TlsConnector::from(tls_config()?), name))
    } else {
        None
    };
    Ok(Client {
        shared: Arc::new(Shared {
            host: host.to_owned(),
            port,
            tls,
            connect_timeout: config.connect_timeout(),
            idle: Mutex::new(Vec::new()),
        }),
    })
}

/// Sends one request and reads the whole answer, at most `max_body` bytes of its body.
pub(crate) async fn send(client: &Client, request: HttpRequest, max_body: usize) -> Result<Response, Failure> {
    let shared = &*client.shared;
    let mut conn = match shared.checkout() {
        Some(conn) => conn,
        None => shared.connect().await?,
    };
    let mut driver_done = false;
    let response = {
        let Conn { sender, driver } = &mut conn;
        let mut exchange = pin!(async {
            let answer = sender.send_request(request).await.map_err(|e| io_error(&e))?;
            read_answer(answer, max_body).await
        });
        // Drive the connection and the exchange together, in this task, until the whole answer is in.
        poll_fn(|cx| {
            if !driver_done && Pin::new(&mut *driver).poll(cx).is_ready() {
                driver_done = true;
            }
            exchange.as_mut().poll(cx)
        })
        .await?
    };
    // One more turn lets hyper finish the message and mark the connection idle (or closed).
    if !driver_done && conn.is_reusable() {
        shared.checkin(conn);
    }
    Ok(response)
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
    /// Open, idle and ready for a request: polls the connection once (without
    /// waiting) so that hyper notices a close, or stray bytes, from the server.
    fn is_reusable(&mut self) -> bool {
        let mut cx = Context::from_waker(Waker::noop());
        if Pin::new(&mut self.driver).poll(&mut cx).is_ready() {
            return false;
        }
        !self.sender.is_closed() && self.sender.is_ready()
    }
}

impl Shared {
    /// The most recently used idle connection that is still open and ready.
    fn checkout(&self) -> Option<Conn> {
        loop {
            let (mut conn, since) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop()?;
            if since.elapsed() < IDLE_TIMEOUT && conn.is_reusable() {
                return Some(conn);
            }
        }
    }

    fn checkin(&self, conn: Conn) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push((conn, Instant::now()));
        }
    }

    async fn connect(&self) -> Result<Conn, Failure> {
        let attempt = async {
            let tcp = self.connect_tcp().await?;
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
            Ok(Conn { sender, driver })
        };
        match tokio::time::timeout(self.connect_timeout, attempt).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout { after: self.connect_timeout }),
        }
    }

    async fn connect_tcp(&self) -> Result<TcpStream, Failure> {
        let addresses: Vec<SocketAddr> = match self.host.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, self.port)],
            Err(_) => tokio::net::lookup_host((self.host.as_str(), self.port))
                .await
                .map_err(|e| connect_error(format!("cannot resolve {}: {e}", self.host)))?
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
            Some(e) => format!("cannot connect to {}:{}: {e}", self.host, self.port),
            None => format!("{} has no address", self.host),
        }))
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

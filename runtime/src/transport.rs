//! HTTP/1.1 over TCP or rustls (ring provider), written for what the runtime
//! sends: one origin per client, a complete request in one write, the whole
//! answer read with a size cap, keep-alive connections reused.
//!
//! Why not reqwest: reqwest (with hyper, hyper-util, tower, tower-http and
//! url, whose IDNA support pulls in the ICU4X crates) was about a third of a
//! cold release build of the generated crate, and its layers (URL parsing,
//! header maps, a connection task per connection, channels between them) were
//! most of the client's CPU time per call. Here the calling task writes the
//! request and reads the answer itself, with `httparse` for the status line
//! and headers.
//!
//! Behaviour kept from the reqwest-based transport: no redirects (a 3xx is an
//! answer like any other), no proxies, `TCP_NODELAY`, the connect timeout
//! covering DNS, TCP and the TLS handshake, connection failures reported as
//! [`TransportErrorKind::Connect`], a connection that breaks or an answer
//! that cannot be read as [`TransportErrorKind::Io`], answers over the cap as
//! [`TransportErrorKind::BodyTooLarge`] (before reading when the length is
//! announced).
//!
//! Framing follows RFC 9112 §6: no body for `HEAD`, 1xx, 204 and 304;
//! `Transfer-Encoding` ending in `chunked` (trailers skipped), otherwise up to
//! the end of the connection; else `Content-Length` (repeated values must
//! agree); else up to the end of the connection. A connection goes back to the
//! pool only after a complete answer that neither closes it nor carries extra
//! bytes; before reuse it is checked for a close (or stray data) from the
//! server, and idle connections are dropped after 90 s.

use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use rustls_platform_verifier::BuilderVerifierExt;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use crate::client::Response;
use crate::config::{Config, ConfigError};
use crate::error::{Error, TransportError, TransportErrorKind};

/// Idle connections older than this are not reused.
const IDLE_TIMEOUT: Duration = Duration::from_secs(90);
/// At most this many idle connections are kept per client.
const MAX_IDLE: usize = 256;
/// Longest status line and header block accepted.
const MAX_HEAD: usize = 256 * 1024;
/// Most header fields accepted in one answer.
const MAX_HEADERS: usize = 128;
/// Longest chunk-size or trailer line accepted.
const MAX_LINE: usize = 8 * 1024;
/// How much more room each read asks for.
const READ_CHUNK: usize = 16 * 1024;

/// One request as it goes on the wire.
pub(crate) struct HttpRequest {
    /// The request line, the header lines, the blank line and the body.
    pub bytes: Vec<u8>,
    /// A `HEAD` request: its answer has no body whatever its headers say.
    pub head: bool,
}

/// A client for one origin (`scheme://host[:port]`); clones share the idle connections.
#[derive(Clone)]
pub(crate) struct Client {
    shared: Arc<Shared>,
}

struct Shared {
    /// As written in the URL, without the brackets of an IPv6 literal.
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

/// The TLS settings every client shares: safe defaults of the ring provider, the
/// platform's verifier (the system's roots), HTTP/1.1 by ALPN, no client certificate.
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

/// A client for `origin`, which [`crate::endpoint`] has already checked.
pub(crate) fn client(config: &Config, origin: &str) -> Result<Client, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidEndpoint { endpoint: origin.to_owned(), reason: reason.to_owned() };
    let (https, authority) = match origin.split_once("://") {
        Some(("https", rest)) => (true, rest),
        Some(("http", rest)) => (false, rest),
        _ => return Err(invalid("the scheme must be http or https")),
    };
    let (host, port) = split_authority(authority).ok_or_else(|| invalid("invalid host or port"))?;
    let port = port.unwrap_or(if https { 443 } else { 80 });
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

/// `host[:port]` or `[v6][:port]` -> (host without brackets, port).
pub(crate) fn split_authority(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        v6.parse::<std::net::Ipv6Addr>().ok()?;
        match after {
            "" => (v6, None),
            _ => (v6, Some(after.strip_prefix(':')?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return None;
    }
    let port = match port {
        None | Some("") => None,
        Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
    };
    Some((host, port))
}

/// Sends one request and reads the whole answer, at most `max_body` bytes of its body.
pub(crate) async fn send<E>(client: &Client, request: &HttpRequest, max_body: usize) -> Result<Response, Error<E>> {
    let shared = &*client.shared;
    let mut conn = match shared.checkout() {
        Some(conn) => conn,
        None => shared.connect().await?,
    };
    conn.stream.write_all(&request.bytes).await.map_err(|e| io_error(&e, "sending the request"))?;
    conn.stream.flush().await.map_err(|e| io_error(&e, "sending the request"))?;
    let (response, reusable) = read_response(&mut conn, max_body, request.head).await?;
    if reusable {
        shared.checkin(conn);
    }
    Ok(response)
}

impl Shared {
    /// The most recently used idle connection that is still open and quiet.
    fn checkout(&self) -> Option<Conn> {
        loop {
            let (mut conn, since) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop()?;
            if since.elapsed() < IDLE_TIMEOUT && conn.is_quiet() {
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

    async fn connect<E>(&self) -> Result<Conn, Error<E>> {
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
            Ok(Conn { stream, buf: Vec::with_capacity(READ_CHUNK) })
        };
        match tokio::time::timeout(self.connect_timeout, attempt).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout { after: self.connect_timeout }),
        }
    }

    async fn connect_tcp<E>(&self) -> Result<TcpStream, Error<E>> {
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
                    // Requests go out in one write; do not hold them back.
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

fn connect_error<E>(message: String) -> Error<E> {
    Error::Transport(TransportError { kind: TransportErrorKind::Connect, message })
}

fn io_error<E>(e: &io::Error, doing: &str) -> Error<E> {
    Error::Transport(TransportError { kind: TransportErrorKind::Io, message: format!("{doing}: {}", chain(e)) })
}

fn broken<E>(message: String) -> Error<E> {
    Error::Transport(TransportError { kind: TransportErrorKind::Io, message })
}

fn too_large<E>(max_body: usize) -> Error<E> {
    let message = format!("the answer is larger than the limit of {max_body} bytes");
    Error::Transport(TransportError { kind: TransportErrorKind::BodyTooLarge, message })
}

/// One open connection and the bytes read from it but not yet used.
struct Conn {
    stream: Stream,
    buf: Vec<u8>,
}

impl Conn {
    /// Nothing to read and not closed: what an idle HTTP/1.1 connection looks like.
    /// (For TLS this also takes in session tickets the server sent after the handshake.)
    fn is_quiet(&mut self) -> bool {
        if !self.buf.is_empty() {
            return false;
        }
        let mut probe = [0u8; 1];
        let mut buf = ReadBuf::new(&mut probe);
        let mut cx = Context::from_waker(Waker::noop());
        matches!(Pin::new(&mut self.stream).poll_read(&mut cx, &mut buf), Poll::Pending)
    }

    /// Reads more bytes into `buf`; 0 means the server closed the connection.
    async fn fill(&mut self) -> io::Result<usize> {
        self.buf.reserve(READ_CHUNK);
        self.stream.read_buf(&mut self.buf).await
    }
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// The parts of an answer's head the framing depends on.
struct Head {
    status: u16,
    /// HTTP/1.0 (as opposed to 1.1).
    http10: bool,
    headers: Vec<(String, String)>,
}

impl Head {
    fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Comma-separated tokens of every header of this name, trimmed and lower-cased.
    fn tokens(&self, name: &str) -> Vec<String> {
        self.values(name).flat_map(|v| v.split(',')).map(|t| t.trim().to_ascii_lowercase()).filter(|t| !t.is_empty()).collect()
    }
}

/// Reads one answer (skipping interim 1xx ones); the flag says whether the connection can be reused.
async fn read_response<E>(conn: &mut Conn, max_body: usize, head_only: bool) -> Result<(Response, bool), Error<E>> {
    let head = loop {
        let head = read_head(conn).await?;
        match head.status {
            101 => return Err(broken("the server switched protocols (101), which was not asked for".to_owned())),
            100..=199 => continue,
            _ => break head,
        }
    };
    let connection = head.tokens("connection");
    let mut reusable = if head.http10 {
        connection.iter().any(|t| t == "keep-alive")
    } else {
        !connection.iter().any(|t| t == "close")
    };
    let body = if head_only || head.status == 204 || head.status == 304 {
        Vec::new()
    } else if head.values("transfer-encoding").next().is_some() {
        let codings = head.tokens("transfer-encoding");
        if codings.last().is_some_and(|c| c == "chunked") {
            read_chunked(conn, max_body).await?
        } else {
            reusable = false;
            read_to_end(conn, max_body).await?
        }
    } else if let Some(length) = content_length(&head)? {
        if length > max_body as u64 {
            return Err(too_large(max_body));
        }
        read_exact(conn, length as usize).await?
    } else {
        reusable = false;
        read_to_end(conn, max_body).await?
    };
    // Bytes past the end of the answer: the connection is out of step; do not reuse it.
    reusable &= conn.buf.is_empty();
    Ok((Response { status: head.status, headers: head.headers, body }, reusable))
}

async fn read_head<E>(conn: &mut Conn) -> Result<Head, Error<E>> {
    loop {
        if !conn.buf.is_empty() {
            let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut parsed = httparse::Response::new(&mut fields);
            match parsed.parse(&conn.buf) {
                Ok(httparse::Status::Complete(len)) => {
                    let head = Head {
                        status: parsed.code.unwrap_or(0),
                        http10: parsed.version == Some(0),
                        headers: parsed
                            .headers
                            .iter()
                            .map(|h| (h.name.to_ascii_lowercase(), String::from_utf8_lossy(h.value).into_owned()))
                            .collect(),
                    };
                    conn.buf.drain(..len);
                    return Ok(head);
                }
                Ok(httparse::Status::Partial) => {}
                Err(e) => return Err(broken(format!("the answer is not valid HTTP/1.1: {e}"))),
            }
            if conn.buf.len() > MAX_HEAD {
                return Err(broken(format!("the answer's header block is longer than {MAX_HEAD} bytes")));
            }
        }
        let had = conn.buf.len();
        if conn.fill().await.map_err(|e| io_error(&e, "reading the answer"))? == 0 {
            let what = if had == 0 { "before answering" } else { "in the middle of the answer's headers" };
            return Err(broken(format!("the server closed the connection {what}")));
        }
    }
}

/// The announced body length; several `Content-Length` values must agree.
fn content_length<E>(head: &Head) -> Result<Option<u64>, Error<E>> {
    let mut length = None;
    for value in head.values("content-length").flat_map(|v| v.split(',')) {
        let value = value.trim();
        let n = (!value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()))
            .then(|| value.parse::<u64>().ok())
            .flatten()
            .ok_or_else(|| broken(format!("invalid Content-Length {value:?}")))?;
        if length.is_some_and(|l| l != n) {
            return Err(broken("conflicting Content-Length values".to_owned()));
        }
        length = Some(n);
    }
    Ok(length)
}

async fn read_exact<E>(conn: &mut Conn, length: usize) -> Result<Vec<u8>, Error<E>> {
    while conn.buf.len() < length {
        if conn.fill().await.map_err(|e| io_error(&e, "reading the answer's body"))? == 0 {
            return Err(broken(format!(
                "the server closed the connection after {} of {length} body bytes",
                conn.buf.len()
            )));
        }
    }
    // Copied out, so that the connection keeps its read buffer.
    let body = conn.buf[..length].to_vec();
    conn.buf.drain(..length);
    Ok(body)
}

async fn read_to_end<E>(conn: &mut Conn, max_body: usize) -> Result<Vec<u8>, Error<E>> {
    loop {
        if conn.buf.len() > max_body {
            return Err(too_large(max_body));
        }
        if conn.fill().await.map_err(|e| io_error(&e, "reading the answer's body"))? == 0 {
            if conn.buf.len() > max_body {
                return Err(too_large(max_body));
            }
            return Ok(std::mem::take(&mut conn.buf));
        }
    }
}

/// One line (without its CRLF) from the front of the buffer, reading more as needed.
async fn read_line<E>(conn: &mut Conn) -> Result<String, Error<E>> {
    let mut searched = 0;
    loop {
        if let Some(i) = conn.buf[searched..].iter().position(|&b| b == b'\n') {
            let end = searched + i;
            let line = conn.buf[..end].strip_suffix(b"\r").unwrap_or(&conn.buf[..end]);
            let line = String::from_utf8_lossy(line).into_owned();
            conn.buf.drain(..=end);
            return Ok(line);
        }
        searched = conn.buf.len();
        if searched > MAX_LINE {
            return Err(broken("a chunk-size or trailer line is too long".to_owned()));
        }
        if conn.fill().await.map_err(|e| io_error(&e, "reading the answer's body"))? == 0 {
            return Err(broken("the server closed the connection in the middle of a chunked body".to_owned()));
        }
    }
}

async fn read_chunked<E>(conn: &mut Conn, max_body: usize) -> Result<Vec<u8>, Error<E>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(conn).await?;
        let digits = line.split(';').next().unwrap_or("").trim_matches([' ', '\t']);
        let size = (!digits.is_empty() && digits.len() <= 16)
            .then(|| u64::from_str_radix(digits, 16).ok())
            .flatten()
            .ok_or_else(|| broken(format!("invalid chunk size {digits:?}")))?;
        if size == 0 {
            // Trailers, up to the blank line; their contents are not used.
            while !read_line(conn).await?.is_empty() {}
            return Ok(body);
        }
        if body.len() as u64 + size > max_body as u64 {
            return Err(too_large(max_body));
        }
        let size = size as usize;
        while conn.buf.len() < size + 2 {
            if conn.fill().await.map_err(|e| io_error(&e, "reading the answer's body"))? == 0 {
                return Err(broken("the server closed the connection in the middle of a chunk".to_owned()));
            }
        }
        if &conn.buf[size..size + 2] != b"\r\n" {
            return Err(broken("a chunk does not end with CRLF".to_owned()));
        }
        body.extend_from_slice(&conn.buf[..size]);
        conn.buf.drain(..size + 2);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorities() {
        assert_eq!(split_authority("h"), Some(("h", None)));
        assert_eq!(split_authority("h:8080"), Some(("h", Some(8080))));
        assert_eq!(split_authority("h:"), Some(("h", None)));
        assert_eq!(split_authority("[::1]:5000"), Some(("::1", Some(5000))));
        assert_eq!(split_authority("[::1]"), Some(("::1", None)));
        for bad in ["", ":80", "h:99999", "h:8a", "[::1", "[zz]:1", "[::1]x"] {
            assert_eq!(split_authority(bad), None, "{bad}");
        }
    }
}

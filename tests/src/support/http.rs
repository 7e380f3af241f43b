//! A loopback HTTP/1.1 server of our own, written by hand on a tokio
//! `TcpListener`: it records every request it receives and answers each with
//! the reply a test scripted, byte for byte (truncated bodies and hang-ups
//! included). One request per connection; every answer says
//! `Connection: close`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How long a connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Larger requests are refused (no test sends one).
const MAX_REQUEST: usize = 4 * 1024 * 1024;

/// A request as it arrived on the socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub method: String,
    /// The request target as sent: path and query, still percent-encoded.
    pub target: String,
    /// Names and values as sent, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    /// The first header of this name, any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// How many headers of this name arrived.
    pub fn header_count(&self, name: &str) -> usize {
        self.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).count()
    }

    /// The path part of the target, still percent-encoded.
    pub fn path(&self) -> &str {
        self.target.split_once('?').map_or(self.target.as_str(), |(p, _)| p)
    }
}

/// What the server answers to one request.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Send only this many body bytes (after a Content-Length for all of them), then close.
    truncate_at: Option<usize>,
    /// Close the connection without answering.
    hang_up: bool,
}

impl Reply {
    pub fn new(status: u16) -> Self {
        Self { status, headers: Vec::new(), body: Vec::new(), truncate_at: None, hang_up: false }
    }

    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Announces the whole body's length, sends only its first `n` bytes and closes.
    pub fn truncated_at(mut self, n: usize) -> Self {
        self.truncate_at = Some(n);
        self
    }

    /// Reads the request, then closes the connection without a word.
    pub fn hang_up() -> Self {
        Self { hang_up: true, ..Self::new(0) }
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (k, v) in &self.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !self.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-length")) {
            head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        head.push_str("Connection: close\r\n\r\n");
        let mut out = head.into_bytes();
        let n = self.truncate_at.unwrap_or(self.body.len()).min(self.body.len());
        out.extend_from_slice(&self.body[..n]);
        out
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Whatever",
    }
}

type Handler = Box<dyn FnMut(&Received) -> Reply + Send>;

/// The server; stops (its task is aborted) when dropped.
pub struct Server {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

impl Server {
    /// Answers the requests with `replies`, in order; any request after them
    /// gets a 599 that no client treats as success.
    pub async fn start(replies: Vec<Reply>) -> Server {
        let mut queue = VecDeque::from(replies);
        Self::start_with(move |_| {
            queue.pop_front().unwrap_or_else(|| Reply::new(599).body("no scripted reply left"))
        })
        .await
    }

    /// Answers each request with what `handler` makes of it.
    pub async fn start_with(handler: impl FnMut(&Received) -> Reply + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Mutex<Handler>> = Arc::new(Mutex::new(Box::new(handler)));
        let log = Arc::clone(&received);
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (log, handler) = (Arc::clone(&log), Arc::clone(&handler));
                tokio::spawn(async move {
                    let _ = serve(socket, log, handler).await;
                });
            }
        });
        Server { port, received, task }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port>`, for a client's endpoint override.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request received so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut socket: TcpStream,
    log: Arc<Mutex<Vec<Received>>>,
    handler: Arc<Mutex<Handler>>,
) -> std::io::Result<()> {
    let request = match tokio::time::timeout(READ_TIMEOUT, read_request(&mut socket)).await {
        Ok(Ok(Some(r))) => r,
        _ => return Ok(()),
    };
    log.lock().unwrap_or_else(|e| e.into_inner()).push(request.clone());
    let reply = (handler.lock().unwrap_or_else(|e| e.into_inner()))(&request);
    if !reply.hang_up {
        socket.write_all(&reply.to_bytes()).await?;
        socket.flush().await?;
    }
    socket.shutdown().await
}

/// Reads one request: head up to the blank line, then `Content-Length` body bytes.
async fn read_request(socket: &mut TcpStream) -> std::io::Result<Option<Received>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_REQUEST {
            return Ok(None);
        }
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let target = first.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    if length > MAX_REQUEST {
        return Ok(None);
    }
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Ok(Some(Received { method, target, headers, body }))
}

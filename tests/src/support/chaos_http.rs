//! A loopback HTTP/1.1 server for the reliability tests (`tests/tests/reliability_*.rs`):
//! unlike [`super::http`] (one scripted reply per connection, always closed),
//! it keeps connections alive and answers every request with the raw bytes
//! the test set last, whatever they are (garbage, truncated, lying framing),
//! closing the connection afterwards only when told to. It counts
//! connections and requests and keeps each request's line and headers, so a
//! test can assert that nothing reached it.
//!
//! Bound to 127.0.0.1; idle connections are dropped after 30 s, and every
//! task stops when the server is dropped.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// How long a connection may sit idle (or take to send a request).
const IDLE: Duration = Duration::from_secs(30);
/// Larger requests end the connection (no test sends one).
const MAX_REQUEST: usize = 4 * 1024 * 1024;

/// The answer to every request from now on: raw bytes, and whether to close afterwards.
#[derive(Debug, Clone, Default)]
pub struct RawReply {
    pub bytes: Vec<u8>,
    pub close: bool,
}

/// One request as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenRequest {
    /// `PUT /path?query HTTP/1.1`, exactly as sent.
    pub request_line: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl SeenRequest {
    /// The first header of this name, any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    reply: Mutex<RawReply>,
    seen: Mutex<Vec<SeenRequest>>,
    connections: AtomicU64,
    requests: AtomicU64,
}

/// The server; stops (every task aborted) when dropped.
pub struct ChaosServer {
    port: u16,
    state: Arc<State>,
    task: JoinHandle<()>,
}

impl ChaosServer {
    /// Starts on a free loopback port, answering `200 OK` with an empty body until told otherwise.
    pub async fn start() -> ChaosServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        let state = Arc::new(State::default());
        *state.reply.lock().unwrap_or_else(|e| e.into_inner()) =
            RawReply { bytes: b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".to_vec(), close: false };
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            // Dropped with this task, which aborts every connection it holds.
            let mut connections = JoinSet::new();
            while let Ok((socket, _)) = listener.accept().await {
                shared.connections.fetch_add(1, Ordering::SeqCst);
                connections.spawn(serve(socket, Arc::clone(&shared)));
                while connections.try_join_next().is_some() {}
            }
        });
        ChaosServer { port, state, task }
    }

    /// `http://127.0.0.1:<port>`, for a client's endpoint override.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Answer every request from now on with `reply`.
    pub fn set_reply(&self, reply: RawReply) {
        *self.state.reply.lock().unwrap_or_else(|e| e.into_inner()) = reply;
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.state.connections.load(Ordering::SeqCst)
    }

    /// Requests read so far.
    pub fn requests(&self) -> u64 {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// Every request read so far, in order.
    pub fn seen(&self) -> Vec<SeenRequest> {
        self.state.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for ChaosServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut socket: TcpStream, state: Arc<State>) {
    let mut buf = Vec::new();
    loop {
        let request = match tokio::time::timeout(IDLE, read_request(&mut socket, &mut buf)).await {
            Ok(Some(r)) => r,
            _ => return,
        };
        state.requests.fetch_add(1, Ordering::SeqCst);
        state.seen.lock().unwrap_or_else(|e| e.into_inner()).push(request);
        let reply = state.reply.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if socket.write_all(&reply.bytes).await.is_err() || socket.flush().await.is_err() {
            return;
        }
        if reply.close {
            let _ = socket.shutdown().await;
            return;
        }
    }
}

/// Reads one request (head, then `Content-Length` body bytes) from `socket`,
/// keeping whatever follows it in `buf` for the next one.
async fn read_request(socket: &mut TcpStream, buf: &mut Vec<u8>) -> Option<SeenRequest> {
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_REQUEST {
            return None;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).collect();
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    if length > MAX_REQUEST {
        return None;
    }
    buf.drain(..head_end + 4);
    while buf.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf.drain(..length).collect();
    Some(SeenRequest { request_line, headers, body })
}

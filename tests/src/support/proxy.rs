//! A forward proxy of our own on loopback that records what reaches it:
//! absolute-form requests (forwarded to their loopback target, in origin
//! form, without `Proxy-Authorization`) and `CONNECT` tunnels (relayed byte
//! for byte to their loopback target). It refuses any target that is not on
//! loopback, and can demand credentials (407 without the right ones).
//!
//! [`RawRecorder`] is a TCP listener that keeps the first bytes a client
//! sends (a TLS ClientHello through a tunnel) and closes.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What one client connection asked of the proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyRequest {
    /// `POST http://127.0.0.1:1234/ HTTP/1.1` or `CONNECT localhost:443 HTTP/1.1`.
    pub request_line: String,
    pub headers: Vec<(String, String)>,
}

impl ProxyRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn method(&self) -> &str {
        self.request_line.split(' ').next().unwrap_or_default()
    }

    pub fn target(&self) -> &str {
        self.request_line.split(' ').nth(1).unwrap_or_default()
    }
}

/// The proxy; stops when dropped.
pub struct RecordingProxy {
    port: u16,
    seen: Arc<Mutex<Vec<ProxyRequest>>>,
    task: JoinHandle<()>,
}

impl RecordingProxy {
    /// `required_auth`: the `Proxy-Authorization` value it demands, if any.
    pub async fn start(required_auth: Option<&str>) -> RecordingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
        let port = listener.local_addr().expect("address").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let required = required_auth.map(str::to_owned);
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (log, required) = (Arc::clone(&log), required.clone());
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(Duration::from_secs(20), serve(socket, log, required)).await;
                });
            }
        });
        RecordingProxy { port, seen, task }
    }

    /// `http://127.0.0.1:<port>`, with `user_info@` when given.
    pub fn url(&self, user_info: Option<&str>) -> String {
        match user_info {
            Some(u) => format!("http://{u}@127.0.0.1:{}", self.port),
            None => format!("http://127.0.0.1:{}", self.port),
        }
    }

    pub fn seen(&self) -> Vec<ProxyRequest> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for RecordingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_head(socket: &mut TcpStream) -> Option<(ProxyRequest, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?.to_owned();
    let headers =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).collect();
    Some((ProxyRequest { request_line, headers }, buf[end + 4..].to_vec()))
}

fn loopback_authority(authority: &str) -> Option<String> {
    let host =
        if let Some(v6) = authority.strip_prefix('[') { v6.split(']').next()? } else { authority.rsplit_once(':')?.0 };
    let ok = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    ok.then(|| authority.to_owned())
}

async fn serve(
    mut socket: TcpStream,
    log: Arc<Mutex<Vec<ProxyRequest>>>,
    required: Option<String>,
) -> std::io::Result<()> {
    let Some((request, rest)) = read_head(&mut socket).await else { return Ok(()) };
    log.lock().unwrap().push(request.clone());
    if let Some(required) = &required
        && request.header("proxy-authorization") != Some(required.as_str())
    {
        socket
            .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await?;
        return socket.shutdown().await;
    }
    if request.method() == "CONNECT" {
        let Some(target) = loopback_authority(request.target()) else {
            socket.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n").await?;
            return Ok(());
        };
        let target = target.replace("localhost", "127.0.0.1");
        let mut upstream = TcpStream::connect(&target).await?;
        socket.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await?;
        upstream.write_all(&rest).await?;
        let _ = tokio::io::copy_bidirectional(&mut socket, &mut upstream).await;
        return Ok(());
    }
    // Absolute form: forward in origin form, without the proxy's own header.
    let target = request.target().to_owned();
    let Some(after) = target.strip_prefix("http://") else {
        socket.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n").await?;
        return Ok(());
    };
    let (authority, path) = after.split_at(after.find('/').unwrap_or(after.len()));
    let Some(authority) = loopback_authority(authority) else {
        socket.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n").await?;
        return Ok(());
    };
    let mut upstream = TcpStream::connect(authority.replace("localhost", "127.0.0.1")).await?;
    let method = request.method();
    let mut head = format!("{method} {} HTTP/1.1\r\n", if path.is_empty() { "/" } else { path });
    for (k, v) in &request.headers {
        if !k.eq_ignore_ascii_case("proxy-authorization") {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    head.push_str("\r\n");
    upstream.write_all(head.as_bytes()).await?;
    upstream.write_all(&rest).await?;
    let _ = tokio::io::copy_bidirectional(&mut socket, &mut upstream).await;
    Ok(())
}

/// Keeps the first bytes of each connection, then closes it.
pub struct RawRecorder {
    port: u16,
    first_bytes: Arc<Mutex<Vec<Vec<u8>>>>,
    task: JoinHandle<()>,
}

impl RawRecorder {
    pub async fn start() -> RawRecorder {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let first_bytes = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&first_bytes);
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 512];
                    if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut buf)).await {
                        log.lock().unwrap().push(buf[..n].to_vec());
                    }
                });
            }
        });
        RawRecorder { port, first_bytes, task }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn first_bytes(&self) -> Vec<Vec<u8>> {
        self.first_bytes.lock().unwrap().clone()
    }
}

impl Drop for RawRecorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

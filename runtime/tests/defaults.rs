//! The defaults users get, one test each, observed through behaviour rather
//! than getters: 3 attempts, back-off with full jitter from 1 s (ceilings 1 s
//! and 2 s) capped at 20 s, connect 10 s, attempt 60 s and no total limit,
//! answers capped at 10 MiB, idle connections closed after 90 s, and the
//! `User-Agent`.
//!
//! Every test builds its configuration from [`base`]: `Config::builder()`
//! with a region and keys only, or, in a child process that
//! `every_default_holds_through_from_env` starts with a clean environment,
//! `Config::from_env()` with nothing but `AWS_REGION` and the keys set. Only
//! the endpoint (or the transport) is set on top.
//!
//! Waits of seconds and minutes run on tokio's paused clock (`start_paused`):
//! it jumps to the next timer whenever the runtime has nothing else to do, so
//! the durations below are virtual and exact, and the tests take milliseconds.
//! The 10 MiB test moves real bytes and runs on the real clock.

mod common;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use lifecycle_hooks_runtime::protocol::aws_json;
use lifecycle_hooks_runtime::testing::{InMemoryTransport, response};
use lifecycle_hooks_runtime::{
    AwsCredentials, Config, ConfigBuilder, Error, Handle, OperationMeta, PreparedRequest, Request, Response, Transport,
    TransportErrorKind, TransportFuture,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

// Idempotent, so that a timed-out attempt is tried again (a callback that is
// not is sent once: `retry::should_retry`).
static SEND: OperationMeta = OperationMeta { idempotent: true, ..OperationMeta::new("SendWorkflowStepState", "POST", 200) };

/// Set in the child process that runs every test here through `Config::from_env()`.
const FROM_ENV: &str = "LIFECYCLE_HOOKS_DEFAULTS_FROM_ENV";

/// The configuration under test, before the endpoint or transport.
fn base() -> ConfigBuilder {
    if std::env::var_os(FROM_ENV).is_some() {
        Config::from_env().expect("from_env in the child's clean environment").into_builder()
    } else {
        Config::builder().region("us-east-1").aws_credentials(AwsCredentials::new(AWS_KEY, AWS_SECRET, None))
    }
}

fn request() -> Request {
    aws_json::request(&TRANSFER, &SEND, br#"{"WorkflowId":"w-0123456789abcdef0"}"#.to_vec())
}

fn body_len(r: &Response) -> Result<usize, String> {
    Ok(r.body.len())
}

async fn call(h: &Handle) -> Result<usize, Error<TestError>> {
    h.call(&SEND, request(), body_len, json_err).await
}

fn paused(test: impl Future<Output = ()>) {
    tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build().unwrap().block_on(test)
}

/// A hang guard on the real clock (the paused one would fire it at once).
fn real_guard<T: Send + 'static>(what: &'static str, secs: u64, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    rx.recv_timeout(Duration::from_secs(secs))
        .unwrap_or_else(|_| panic!("{what}: no result after {secs} s of real time (or it panicked)"))
}

/// Answers every attempt `503` (with `retry_after`, if any) and notes when each began, on tokio's clock.
fn unavailable(retry_after: Option<&'static str>) -> (InMemoryTransport, Arc<Mutex<Vec<Instant>>>) {
    let starts = Arc::new(Mutex::new(Vec::new()));
    let seen = starts.clone();
    let transport = InMemoryTransport::from_fn(move |_| {
        seen.lock().unwrap().push(Instant::now());
        let headers: Vec<(&str, &str)> = retry_after.iter().map(|v| ("Retry-After", *v)).collect();
        Ok(response(503, &headers, r#"{"__type":"ServiceUnavailable"}"#))
    });
    (transport, starts)
}

fn gaps(starts: &[Instant]) -> Vec<Duration> {
    starts.windows(2).map(|w| w[1] - w[0]).collect()
}

/// tokio's timers have a resolution of 1 ms: a sleep may end up to that much later.
const TICK: Duration = Duration::from_millis(2);

#[test]
fn three_attempts_in_all() {
    paused(async {
        let (transport, starts) = unavailable(None);
        let h = Handle::new(&TRANSFER, base().transport(transport.clone()).build()).unwrap();
        let err = call(&h).await.unwrap_err();
        assert_eq!(err.http_status(), Some(503), "{err}");
        assert_eq!((transport.requests().len(), starts.lock().unwrap().len(), h.attempts()), (3, 3, 3));
    });
}

/// Full jitter: the delay before retry n is uniform below 1 s x 2^(n-1). Over
/// 400 calls, every delay stays below its ceiling, the largest comes within
/// 5% of it, and the mean is half of it (within 10%): the ceiling doubles.
#[test]
fn back_off_grows_from_1s_with_full_jitter() {
    paused(async {
        let (transport, starts) = unavailable(None);
        let h = Handle::new(&TRANSFER, base().transport(transport).build()).unwrap();
        let mut samples: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
        for _ in 0..400 {
            starts.lock().unwrap().clear();
            call(&h).await.unwrap_err();
            let gaps = gaps(&starts.lock().unwrap());
            assert_eq!(gaps.len(), 2);
            for (n, gap) in gaps.into_iter().enumerate() {
                samples[n].push(gap);
            }
        }
        for (n, ceiling) in [Duration::from_secs(1), Duration::from_secs(2)].into_iter().enumerate() {
            let s = &samples[n];
            assert_eq!(s.len(), 400);
            let max = *s.iter().max().unwrap();
            let mean = s.iter().sum::<Duration>() / s.len() as u32;
            assert!(max <= ceiling + TICK, "retry {}: {max:?} over the ceiling {ceiling:?}", n + 1);
            assert!(max >= ceiling.mul_f64(0.95), "retry {}: the largest of 400 is only {max:?}", n + 1);
            let half = ceiling / 2;
            assert!(mean >= half.mul_f64(0.9) && mean <= half.mul_f64(1.1) + TICK, "retry {}: mean {mean:?}", n + 1);
        }
    });
}

/// `Retry-After: 3600` is honoured only up to the 20 s cap.
#[test]
fn no_wait_is_longer_than_20s() {
    paused(async {
        let (transport, starts) = unavailable(Some("3600"));
        let h = Handle::new(&TRANSFER, base().transport(transport).build()).unwrap();
        let err = call(&h).await.unwrap_err();
        assert_eq!(err.as_service_error().unwrap().0.meta().retry_after, Some(Duration::from_secs(3600)));
        let gaps = gaps(&starts.lock().unwrap());
        assert_eq!(gaps.len(), 2);
        for gap in gaps {
            assert!(gap >= Duration::from_secs(20) && gap <= Duration::from_secs(20) + TICK, "waited {gap:?}");
        }
    });
}

/// A transport that never answers, noting when each attempt began.
#[derive(Clone, Default)]
struct Silent(Arc<Mutex<Vec<Instant>>>);

impl Transport for Silent {
    fn send<'a>(&'a self, _: &'a PreparedRequest) -> TransportFuture<'a> {
        self.0.lock().unwrap().push(Instant::now());
        Box::pin(std::future::pending())
    }
}

/// Each attempt ends after exactly 60 s; three of them, and no total limit
/// ends the call sooner.
#[test]
fn each_attempt_is_limited_to_60s_and_the_call_is_not() {
    paused(async {
        let silent = Silent::default();
        let h = Handle::new(&TRANSFER, base().transport(silent.clone()).build()).unwrap();
        let started = Instant::now();
        let err = call(&h).await.unwrap_err();
        let ended = Instant::now();
        assert!(matches!(err, Error::Timeout { after } if after == Duration::from_secs(60)), "{err}");
        let starts = silent.0.lock().unwrap().clone();
        assert_eq!(starts.len(), 3);
        let last = ended - starts[2];
        assert!(last >= Duration::from_secs(60) && last <= Duration::from_secs(60) + TICK, "{last:?}");
        // 3 x 60 s and the two back-offs (below 1 s and 2 s).
        let total = ended - started;
        assert!(total >= Duration::from_secs(180) && total <= Duration::from_secs(183) + TICK, "{total:?}");
    });
}

/// An https server that accepts connections and never answers the ClientHello:
/// connecting (which covers the TLS handshake) times out after 10 s, per attempt.
#[test]
fn connecting_is_limited_to_10s() {
    paused(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let accepted = Arc::new(AtomicU64::new(0));
        let count = accepted.clone();
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                held.push(socket);
            }
        });
        let h = Handle::new(&TRANSFER, base().endpoint_url(format!("https://{addr}")).build()).unwrap();
        let started = Instant::now();
        let err = call(&h).await.unwrap_err();
        let total = Instant::now() - started;
        assert!(
            matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::Connect && t.message.ends_with("timed out after 10s")),
            "{err}"
        );
        assert_eq!((h.attempts(), accepted.load(Ordering::SeqCst)), (3, 3));
        // 3 x 10 s and the two back-offs: the 60 s attempt limit never came into it.
        assert!(total >= Duration::from_secs(30) && total <= Duration::from_secs(33) + TICK, "{total:?}");
    });
}

/// An http/1.1 server of our own: every answer is `head` and then `body`,
/// the connection kept; it records each request's head and counts connections.
struct Server {
    addr: SocketAddr,
    accepted: Arc<AtomicU64>,
    open: Arc<AtomicUsize>,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Server {
    async fn start(answer: Arc<dyn Fn() -> Vec<u8> + Send + Sync>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (accepted, open, heads) =
            (Arc::new(AtomicU64::new(0)), Arc::new(AtomicUsize::new(0)), Arc::new(Mutex::new(Vec::new())));
        let (a, o, hs) = (accepted.clone(), open.clone(), heads.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                a.fetch_add(1, Ordering::SeqCst);
                o.fetch_add(1, Ordering::SeqCst);
                let (o, hs, answer) = (o.clone(), hs.clone(), answer.clone());
                tokio::spawn(async move {
                    serve(socket, &hs, &*answer).await;
                    o.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Server { addr, accepted, open, heads }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

async fn serve(mut socket: TcpStream, heads: &Mutex<Vec<String>>, answer: &(dyn Fn() -> Vec<u8> + Send + Sync)) {
    let mut buf = Vec::new();
    loop {
        let end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            let mut chunk = [0u8; 8192];
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        let length: usize = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.trim().parse().unwrap_or(0));
        while buf.len() < end + 4 + length {
            let mut chunk = [0u8; 8192];
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..end + 4 + length);
        heads.lock().unwrap().push(head);
        if socket.write_all(&answer()).await.is_err() {
            return;
        }
    }
}

fn ok_answer() -> Arc<dyn Fn() -> Vec<u8> + Send + Sync> {
    Arc::new(|| b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".to_vec())
}

/// The connection stays in the pool for 90 s after its last use, and is then
/// closed by the pool on its own (the server sees the close).
#[test]
fn idle_connections_are_closed_after_90s() {
    paused(async {
        let server = Server::start(ok_answer()).await;
        let h = Handle::new(&TRANSFER, base().endpoint_url(server.url()).build()).unwrap();
        call(&h).await.unwrap();
        tokio::time::sleep(Duration::from_secs(89)).await;
        assert_eq!(server.open.load(Ordering::SeqCst), 1, "closed before 90 s");
        call(&h).await.unwrap();
        assert_eq!(server.accepted.load(Ordering::SeqCst), 1, "not reused after 89 s idle");
        tokio::time::sleep(Duration::from_secs(89)).await;
        assert_eq!(server.open.load(Ordering::SeqCst), 1, "closed before 90 s");
        tokio::time::sleep(Duration::from_secs(1) + TICK).await;
        // The close is on its way; let the server's task see it.
        for _ in 0..200 {
            if server.open.load(Ordering::SeqCst) == 0 {
                break;
            }
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert_eq!(server.open.load(Ordering::SeqCst), 0, "still open 90 s after its last use");
        call(&h).await.unwrap();
        assert_eq!(server.accepted.load(Ordering::SeqCst), 2);
    });
}

#[test]
fn the_user_agent_names_the_runtime_and_its_version() {
    paused(async {
        let server = Server::start(ok_answer()).await;
        let h = Handle::new(&TRANSFER, base().endpoint_url(server.url()).build()).unwrap();
        call(&h).await.unwrap();
        let heads = server.heads.lock().unwrap().clone();
        assert_eq!(heads.len(), 1);
        let agents: Vec<&str> = heads[0]
            .lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(k, _)| k.eq_ignore_ascii_case("user-agent"))
            .map(|(_, v)| v.trim())
            .collect();
        // The version as Cargo.toml says it, read independently of the crate's own constant.
        let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
        let version = manifest.lines().find_map(|l| l.strip_prefix("version = ")).unwrap().trim_matches('"');
        assert_eq!(agents, [format!("lifecycle-hooks/{version}")]);
    });
}

/// 10 MiB is read whole; one byte more fails as `BodyTooLarge` (announced:
/// before the body is read; chunked: once it passes the cap), not retried.
#[test]
fn answers_are_capped_at_10_mib() {
    const MIB10: usize = 10 * 1024 * 1024;
    real_guard("10 MiB answers", 120, || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            let chunked = |size: usize| -> Arc<dyn Fn() -> Vec<u8> + Send + Sync> {
                Arc::new(move || {
                    let mut out = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
                    let mut left = size;
                    while left > 0 {
                        let piece = left.min(1 << 20);
                        out.extend_from_slice(format!("{piece:x}\r\n").as_bytes());
                        out.extend(std::iter::repeat_n(b' ', piece));
                        out.extend_from_slice(b"\r\n");
                        left -= piece;
                    }
                    out.extend_from_slice(b"0\r\n\r\n");
                    out
                })
            };
            let server = Server::start(chunked(MIB10)).await;
            let h = Handle::new(&TRANSFER, base().endpoint_url(server.url()).build()).unwrap();
            assert_eq!(call(&h).await.unwrap(), MIB10);

            let server = Server::start(chunked(MIB10 + 1)).await;
            let h = Handle::new(&TRANSFER, base().endpoint_url(server.url()).build()).unwrap();
            let err = call(&h).await.unwrap_err();
            assert!(matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::BodyTooLarge), "{err}");
            assert_eq!(h.attempts(), 1, "an answer over the cap is not retried");

            let announced =
                Arc::new(|| format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", MIB10 + 1).into_bytes());
            let server = Server::start(announced).await;
            let h = Handle::new(&TRANSFER, base().endpoint_url(server.url()).build()).unwrap();
            let err = call(&h).await.unwrap_err();
            assert!(matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::BodyTooLarge), "{err}");
            assert!(err.to_string().contains(&format!("limit of {MIB10} bytes")), "{err}");
            assert_eq!(h.attempts(), 1);
        });
    });
}

/// The tests above again, in a child process whose environment holds only
/// `AWS_REGION`, the keys, a home without profile files and no metadata: the
/// configuration is `Config::from_env()`'s.
#[test]
fn every_default_holds_through_from_env() {
    if std::env::var_os(FROM_ENV).is_some() {
        return; // the child itself
    }
    let home = std::env::temp_dir().join(format!("lifecycle-hooks-defaults-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap());
    child
        .args(["--test-threads=1", "--skip", "every_default_holds_through_from_env"])
        .env_clear()
        .env(FROM_ENV, "1")
        .env("HOME", &home)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", AWS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", AWS_SECRET)
        .env("AWS_CONFIG_FILE", home.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("none"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("HUAWEICLOUD_SDK_METADATA_DISABLED", "true");
    if let Some(path) = std::env::var_os("PATH") {
        child.env("PATH", path);
    }
    let output = child.output().unwrap();
    let _ = std::fs::remove_dir_all(&home);
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the from_env child failed:\n{text}");
    assert!(text.contains("test result: ok. 8 passed; 0 failed"), "not every default ran through from_env:\n{text}");
}

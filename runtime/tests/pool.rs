//! The connection pool against a keep-alive HTTP/1.1 server of our own on
//! 127.0.0.1, which counts the connections it accepts and closes them when a
//! test says so: reuse, a connection the server closed while idle (with the
//! answer, just after it, or later), the idle timeout, the idle limit under 64
//! concurrent callers, and file descriptors over 10,000 calls with the server
//! closing at random.
//!
//! Every call here runs with the default attempt timeout (60 s) unless a test
//! says otherwise, so a stall shows as a hang guard firing, never as a slow pass.

mod common;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use lifecycle_hooks_runtime::protocol::aws_json;
use lifecycle_hooks_runtime::{Config, Error, Handle, OperationMeta, Request, Response, RetryConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Idempotent, so that every failure worth another attempt is retried (a
/// non-idempotent operation is sent again only after a refusal; see the
/// runtime's retry policy).
static SEND: OperationMeta = OperationMeta { idempotent: true, ..OperationMeta::new("SendWorkflowStepState", "POST", 200) };

/// What the server does with a connection once it has written an answer.
#[derive(Debug, Clone, Copy)]
enum AfterAnswer {
    /// Wait for the next request.
    Keep,
    /// Close at once: the FIN follows the answer's last byte.
    Close,
    /// Close this long after the answer, unless a request came first.
    CloseAfter(Duration),
    /// Read the next request whole, then close without answering it.
    HangUpOnNext,
}

/// Decides, per answer, what happens next: `(connection number, answer number on it) -> action`.
type Policy = Arc<dyn Fn(u64, u64) -> AfterAnswer + Send + Sync>;

struct KeepAliveServer {
    addr: SocketAddr,
    accepted: Arc<AtomicU64>,
    requests: Arc<AtomicU64>,
    open: Arc<AtomicUsize>,
}

impl KeepAliveServer {
    /// Answers every request `200` with `body` and `Content-Length`, never `Connection: close`.
    async fn start(body: Vec<u8>, policy: Policy) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (accepted, requests, open) =
            (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)), Arc::new(AtomicUsize::new(0)));
        let body = Arc::new(body);
        let (acc, req, op) = (accepted.clone(), requests.clone(), open.clone());
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let n = acc.fetch_add(1, Ordering::SeqCst);
                op.fetch_add(1, Ordering::SeqCst);
                let (req, op, body, policy) = (req.clone(), op.clone(), body.clone(), policy.clone());
                tokio::spawn(async move {
                    serve(socket, n, &req, &body, &*policy).await;
                    op.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Self { addr, accepted, requests, open }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::SeqCst)
    }

    fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    fn open(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    /// Waits (up to 10 s) until the server holds at most `n` open connections.
    async fn wait_open_at_most(&self, n: usize) -> usize {
        for _ in 0..1000 {
            if self.open() <= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.open()
    }
}

async fn serve(
    mut socket: TcpStream,
    conn: u64,
    requests: &AtomicU64,
    body: &[u8],
    policy: &(dyn Fn(u64, u64) -> AfterAnswer + Send + Sync),
) {
    let mut buf = Vec::new();
    let mut served = 0;
    loop {
        // Read one request (head and Content-Length body); EOF ends the connection.
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            if !read_more(&mut socket, &mut buf, None).await {
                return;
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let length: usize = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.trim().parse().unwrap_or(0));
        while buf.len() < head_end + 4 + length {
            if !read_more(&mut socket, &mut buf, None).await {
                return;
            }
        }
        buf.drain(..head_end + 4 + length);
        requests.fetch_add(1, Ordering::SeqCst);
        let mut answer =
            format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nx-amzn-RequestId: r{conn}\r\n\r\n", body.len())
                .into_bytes();
        answer.extend_from_slice(body);
        if socket.write_all(&answer).await.is_err() {
            return;
        }
        match policy(conn, served) {
            AfterAnswer::Keep => {}
            AfterAnswer::Close => return,
            AfterAnswer::CloseAfter(idle) => {
                // The next request, if it comes in time, keeps the connection.
                if !read_more(&mut socket, &mut buf, Some(idle)).await {
                    return;
                }
            }
            AfterAnswer::HangUpOnNext => {
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    if !read_more(&mut socket, &mut buf, None).await {
                        return;
                    }
                }
                requests.fetch_add(1, Ordering::SeqCst);
                return;
            }
        }
        served += 1;
    }
}

/// Reads what is there into `buf`; false on EOF, error, or when `within` passes first.
async fn read_more(socket: &mut TcpStream, buf: &mut Vec<u8>, within: Option<Duration>) -> bool {
    let mut chunk = [0u8; 16 * 1024];
    let read = socket.read(&mut chunk);
    let n = match within {
        Some(t) => match tokio::time::timeout(t, read).await {
            Ok(r) => r,
            Err(_) => return false,
        },
        None => read.await,
    };
    match n {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

fn policy(f: impl Fn(u64, u64) -> AfterAnswer + Send + Sync + 'static) -> Policy {
    Arc::new(f)
}

fn body_len(r: &Response) -> Result<usize, String> {
    Ok(r.body.len())
}

fn request() -> Request {
    aws_json::request(&TRANSFER, &SEND, br#"{"WorkflowId":"w-0123456789abcdef0"}"#.to_vec())
}

/// No retries: a call that needs a second attempt fails, so a stale connection cannot hide behind one.
fn handle(
    server: &KeepAliveServer,
    configure: impl FnOnce(lifecycle_hooks_runtime::ConfigBuilder) -> lifecycle_hooks_runtime::ConfigBuilder,
) -> Handle {
    let config = configure(vector_config().endpoint_url(server.url()).retry(RetryConfig::disabled())).build();
    Handle::new(&TRANSFER, config).unwrap()
}

async fn call(h: &Handle) -> Result<usize, Error<TestError>> {
    h.call(&SEND, request(), body_len, json_err).await
}

/// Runs `test` on a current-thread runtime (as `hookctl` uses) and then on a
/// multi-threaded one (as `#[tokio::main]` makes): a stale connection shows
/// differently on each, since tokio learns of a close at different times.
fn on_both_runtimes<F: Future<Output = ()>>(test: impl Fn() -> F) {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(test());
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap().block_on(test());
}

/// A generous guard against a hang: far above what the work takes, far below the 60 s attempt timeout.
async fn within<T>(what: &str, secs: u64, work: impl Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(secs), work).await {
        Ok(t) => t,
        Err(_) => panic!("{what}: still running after {secs} s (a stalled connection?)"),
    }
}

#[test]
fn sequential_calls_reuse_one_connection() {
    on_both_runtimes(|| async {
        let server = KeepAliveServer::start(b"{}".to_vec(), policy(|_, _| AfterAnswer::Keep)).await;
        let h = handle(&server, |b| b);
        within("20 calls", 20, async {
            for _ in 0..20 {
                call(&h).await.unwrap();
            }
        })
        .await;
        assert_eq!((server.accepted(), server.requests(), h.attempts()), (1, 20, 20));
    });
}

/// The server closes each connection right behind its answer, without saying
/// `Connection: close`. Small answers and 1 MiB pages (pagination's case).
#[test]
fn a_close_with_the_answer_never_stalls_and_costs_no_attempt() {
    on_both_runtimes(|| async {
        for size in [2, 1 << 20] {
            let server = KeepAliveServer::start(vec![b' '; size], policy(|_, _| AfterAnswer::Close)).await;
            let h = handle(&server, |b| b);
            within("30 calls", 30, async {
                for _ in 0..30 {
                    assert_eq!(call(&h).await.unwrap(), size);
                }
            })
            .await;
            assert_eq!((server.requests(), h.attempts()), (30, 30), "answers of {size} bytes");
            assert_eq!(server.accepted(), 30, "every call needed a new connection");
        }
    });
}

/// Closed 20 ms after the answer; the next call comes 100 ms later.
#[test]
fn a_connection_closed_while_idle_is_not_used_again() {
    on_both_runtimes(|| async {
        let server =
            KeepAliveServer::start(b"{}".to_vec(), policy(|_, _| AfterAnswer::CloseAfter(Duration::from_millis(20))))
                .await;
        let h = handle(&server, |b| b);
        within("10 calls", 30, async {
            for _ in 0..10 {
                call(&h).await.unwrap();
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await;
        assert_eq!((server.accepted(), server.requests(), h.attempts()), (10, 10, 10));
    });
}

/// The close comes 5 ms after the answer; the next call 30 ms later finds it
/// already closed (tokio may not know yet) and goes out on a new connection.
#[test]
fn a_close_just_after_the_answer_costs_no_attempt() {
    on_both_runtimes(|| async {
        let server =
            KeepAliveServer::start(b"{}".to_vec(), policy(|_, _| AfterAnswer::CloseAfter(Duration::from_millis(5))))
                .await;
        let h = handle(&server, |b| b);
        within("20 calls", 30, async {
            for _ in 0..20 {
                call(&h).await.unwrap();
                tokio::time::sleep(Duration::from_millis(30)).await;
            }
        })
        .await;
        assert_eq!((server.accepted(), server.requests(), h.attempts()), (20, 20, 20));
    });
}

/// The close comes 1..4 ms after the answer, at the very moment the client
/// sends its next request (both timers fire on the same tick): a request that
/// meets the close before it was written goes out on a new connection within
/// its attempt; one already written when the close came is a failed attempt,
/// as in every HTTP client (the server may have read it), and is retried.
#[test]
fn a_close_racing_the_next_request_never_stalls() {
    on_both_runtimes(|| async {
        let server = KeepAliveServer::start(
            b"{}".to_vec(),
            policy(|c, _| AfterAnswer::CloseAfter(Duration::from_millis(1 + c % 4))),
        )
        .await;
        let h = handle(&server, |b| {
            b.retry(RetryConfig {
                max_attempts: 5,
                initial_backoff: Duration::from_millis(1),
                max_backoff: Duration::from_millis(5),
            })
        });
        within("200 calls", 60, async {
            for i in 0..200u64 {
                call(&h).await.unwrap();
                tokio::time::sleep(Duration::from_millis(i % 6)).await;
            }
        })
        .await;
        assert!(server.requests() >= 200 && server.requests() <= h.attempts());
    });
}

#[test]
fn idle_connections_are_closed_after_the_idle_timeout() {
    on_both_runtimes(|| async {
        let server = KeepAliveServer::start(b"{}".to_vec(), policy(|_, _| AfterAnswer::Keep)).await;
        let h = handle(&server, |b| b.idle_timeout(Duration::from_millis(200)));
        call(&h).await.unwrap();
        assert_eq!(server.open(), 1);
        // The pool closes it on its own, without another call.
        assert_eq!(server.wait_open_at_most(0).await, 0, "the idle connection was not closed");
        call(&h).await.unwrap();
        assert_eq!(server.accepted(), 2);
    });
}

#[test]
fn the_idle_limit_holds_under_64_concurrent_callers() {
    on_both_runtimes(|| async {
        let server = KeepAliveServer::start(b"{}".to_vec(), policy(|_, _| AfterAnswer::Keep)).await;
        let h = handle(&server, |b| b.max_idle_connections(4));
        for _round in 0..3 {
            let calls: Vec<_> = (0..64)
                .map(|_| {
                    let h = h.clone();
                    tokio::spawn(async move { call(&h).await.map(|_| ()) })
                })
                .collect();
            within("64 concurrent calls", 30, async {
                for c in calls {
                    c.await.unwrap().unwrap();
                }
            })
            .await;
            assert!(server.wait_open_at_most(4).await <= 4, "more than 4 idle connections kept");
        }
        assert_eq!(h.attempts(), 192);
    });
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map(|d| d.count()).unwrap_or(0)
}

/// 10,000 calls, 16 at a time; the server closes a connection after a random
/// number of answers, with the answer or a little later. Every call succeeds
/// and, once the server has closed everything, no descriptor is left behind.
#[test]
fn no_descriptor_leaks_over_10000_calls_with_random_closes() {
    on_both_runtimes(|| async {
        // A fixed sequence: the same closes every run.
        let state = Arc::new(AtomicU64::new(0x9E37_79B9_7F4A_7C15));
        let random = move || {
            let mut x = state.load(Ordering::Relaxed);
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            state.store(x, Ordering::Relaxed);
            x
        };
        let server = KeepAliveServer::start(
            b"{}".to_vec(),
            policy(move |_, _| match random() % 10 {
                0 => AfterAnswer::Close,
                1 => AfterAnswer::CloseAfter(Duration::from_millis(random() % 3)),
                _ => AfterAnswer::Keep,
            }),
        )
        .await;
        let before = open_fds();
        {
            let h = handle(&server, |b| {
                b.retry(RetryConfig {
                    max_attempts: 3,
                    initial_backoff: Duration::from_millis(1),
                    max_backoff: Duration::from_millis(5),
                })
            });
            let workers: Vec<_> = (0..16)
                .map(|_| {
                    let h = h.clone();
                    tokio::spawn(async move {
                        for _ in 0..625 {
                            call(&h).await.unwrap();
                        }
                    })
                })
                .collect();
            within("10,000 calls", 120, async {
                for w in workers {
                    w.await.unwrap();
                }
            })
            .await;
            // Every call was answered; an attempt the server never read (its close came first) is the only other kind.
            assert!(
                server.requests() >= 10_000 && server.requests() <= h.attempts(),
                "{} answers, {} attempts",
                server.requests(),
                h.attempts()
            );
        }
        // The handle is gone: its idle connections are closed, and the server sees it.
        assert_eq!(server.wait_open_at_most(0).await, 0);
        let after = open_fds();
        assert!(after <= before, "{before} descriptors before, {after} after");
    });
}

#[test]
fn a_stale_connection_with_retries_off_and_the_default_config() {
    on_both_runtimes(|| async {
        // Config::builder() untouched but for the endpoint and credentials: the default timeouts and pool.
        let server =
            KeepAliveServer::start(b"{}".to_vec(), policy(|_, _| AfterAnswer::CloseAfter(Duration::from_millis(5))))
                .await;
        let config = Config::builder()
            .region("us-east-1")
            .endpoint_url(server.url())
            .aws_credentials(lifecycle_hooks_runtime::AwsCredentials::new(AWS_KEY, AWS_SECRET, None))
            .retry(RetryConfig::disabled())
            .build();
        let h = Handle::new(&TRANSFER, config).unwrap();
        within("5 calls", 20, async {
            for _ in 0..5 {
                call(&h).await.unwrap();
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await;
        assert_eq!((server.accepted(), h.attempts()), (5, 5));
    });
}

/// The server reads the next request on a kept connection and closes it
/// instead of answering ("before the answer"). The request was sent, so this
/// is a failed attempt, as in every HTTP client (the server may have acted on
/// it): with retries off, a prompt `Transport(Io)` error, not a stall; with
/// retries, a second attempt on a new connection.
#[test]
fn a_close_instead_of_the_answer_is_a_prompt_failed_attempt() {
    on_both_runtimes(|| async {
        let hang_up_first = policy(|c, _| if c == 0 { AfterAnswer::HangUpOnNext } else { AfterAnswer::Keep });
        let server = KeepAliveServer::start(b"{}".to_vec(), hang_up_first.clone()).await;
        let h = handle(&server, |b| b);
        within("3 calls", 20, async {
            call(&h).await.unwrap();
            let err = call(&h).await.unwrap_err();
            assert!(
                matches!(&err, Error::Transport(t) if t.kind == lifecycle_hooks_runtime::TransportErrorKind::Io),
                "{err}"
            );
            call(&h).await.unwrap();
        })
        .await;
        assert_eq!((server.accepted(), server.requests(), h.attempts()), (2, 3, 3));

        let server = KeepAliveServer::start(b"{}".to_vec(), hang_up_first).await;
        let h = handle(&server, |b| {
            b.retry(RetryConfig {
                max_attempts: 2,
                initial_backoff: Duration::from_millis(1),
                max_backoff: Duration::from_millis(5),
            })
        });
        within("2 calls", 20, async {
            call(&h).await.unwrap();
            call(&h).await.unwrap();
        })
        .await;
        assert_eq!((server.accepted(), server.requests(), h.attempts()), (2, 3, 3));
    });
}

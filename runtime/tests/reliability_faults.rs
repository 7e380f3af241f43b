//! Fault injection: `Handle::call` against a loopback server of our own that
//! misbehaves on purpose. Each fault asserts the outcome, the number of
//! attempts (counted by the server where it can see them, and by
//! `Handle::attempts`) and the elapsed time, with generous one-sided bounds.
//!
//! `call.rs` holds the ordinary paths (retry on 503, Retry-After honoured and
//! capped, attempt and total timeouts, connect timeout, body cap, no
//! redirects); this file adds what those do not measure: connection refused,
//! resets mid-response (FIN and RST), stalls before and during the body,
//! 429/503 storms with their back-off and per-attempt signatures, exactly two
//! attempts for a 5xx then success, slow-drip bodies, an endless body over the
//! cap, and limits too large to represent.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use common::*;
use lifecycle_hooks_runtime::protocol::aws_json;
use lifecycle_hooks_runtime::{
    ConfigBuilder, Error, Handle, OperationMeta, Request, Response, RetryConfig, ServiceError,
    TransportErrorKind,
};
use time::PrimitiveDateTime;
use time::macros::format_description;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// Idempotent, so that every failure worth another attempt is retried (a
/// non-idempotent operation is sent again only after a refusal; see the
/// runtime's retry policy).
static SEND: OperationMeta = OperationMeta { idempotent: true, ..OperationMeta::new("SendWorkflowStepState", "POST", 200) };

/// Slack added to every upper bound on elapsed time: loaded CI machines are slow, never fast.
const SLACK: Duration = Duration::from_secs(2);


fn body_text(r: &Response) -> Result<String, String> {
    String::from_utf8(r.body.clone()).map_err(|e| e.to_string())
}

/// What the server does on one connection, after reading the request.
#[derive(Clone)]
enum Act {
    /// Write these bytes, then close: a FIN, or a RST (`SO_LINGER` 0) when `rst`.
    Write { bytes: Vec<u8>, rst: bool },
    /// Write `head` at once, then `body` a `piece` of bytes every `every`, then close.
    Drip { head: Vec<u8>, body: Vec<u8>, piece: usize, every: Duration },
    /// Write `head`, then chunked data until the client goes away (or 20 s pass).
    Endless { head: Vec<u8> },
    /// Write `head` (maybe nothing), then say nothing more for 30 s.
    Stall { head: Vec<u8> },
}

fn answer(status: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    format!("{head}\r\n{body}").into_bytes()
}

fn write(status: &str, headers: &[(&str, &str)], body: &str) -> Act {
    Act::Write { bytes: answer(status, headers, body), rst: false }
}

#[derive(Debug, Clone)]
struct Seen {
    at: Instant,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    _task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        // Aborting the accept loop drops its JoinSet, which aborts every connection task.
        self._task.abort();
    }
}

impl Server {
    /// Connection n gets `acts[n]` (the last one repeats). Loopback only.
    async fn start(acts: Vec<Act>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            for n in 0.. {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let act = acts[n.min(acts.len() - 1)].clone();
                connections.spawn(serve(socket, act, log.clone()));
            }
        });
        Server { addr, seen, _task: task }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(mut socket: TcpStream, act: Act, log: Arc<Mutex<Vec<Seen>>>) {
    let Some(seen) = read_request(&mut socket).await else {
        return;
    };
    log.lock().unwrap().push(seen);
    match act {
        Act::Write { bytes, rst } => {
            let _ = socket.write_all(&bytes).await;
            let _ = socket.flush().await;
            if rst {
                // Zero linger: closing sends a RST at once (and does not block).
                let _ = socket.set_zero_linger();
                drop(socket);
            } else {
                let _ = socket.shutdown().await;
            }
        }
        Act::Drip { head, body, piece, every } => {
            if socket.write_all(&head).await.is_err() {
                return;
            }
            for part in body.chunks(piece.max(1)) {
                tokio::time::sleep(every).await;
                if socket.write_all(part).await.is_err() || socket.flush().await.is_err() {
                    return;
                }
            }
            let _ = socket.shutdown().await;
        }
        Act::Endless { head } => {
            let chunk = format!("{:x}\r\n{}\r\n", 16 * 1024, "x".repeat(16 * 1024)).into_bytes();
            let stop = Instant::now() + Duration::from_secs(20);
            if socket.write_all(&head).await.is_err() {
                return;
            }
            while Instant::now() < stop {
                if socket.write_all(&chunk).await.is_err() {
                    return;
                }
            }
        }
        Act::Stall { head } => {
            let _ = socket.write_all(&head).await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    }
}

async fn read_request(socket: &mut TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let at = Instant::now();
    let head = String::from_utf8(buf[..head_end].to_vec()).ok()?;
    let headers: Vec<(String, String)> = head
        .split("\r\n")
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, v)| v.parse().unwrap_or(0));
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Seen { at, headers, body })
}

fn retries(max_attempts: u32, initial_backoff: Duration, max_backoff: Duration) -> RetryConfig {
    RetryConfig { max_attempts, initial_backoff, max_backoff }
}

/// Three attempts, back-off of at most 10 ms.
fn quick() -> RetryConfig {
    retries(3, Duration::from_millis(5), Duration::from_millis(10))
}

fn config(url: &str, retry: RetryConfig) -> ConfigBuilder {
    vector_config().endpoint_url(url).retry(retry).attempt_timeout(Some(Duration::from_secs(10)))
}

fn send_request() -> Request {
    aws_json::request(&TRANSFER, &SEND, br#"{"WorkflowId":"w-0123456789abcdef0"}"#.to_vec())
}

/// Calls once; returns the outcome, the attempts `Handle::attempts` counted and the time it took.
async fn timed_call(h: &Handle) -> (Result<String, Error<TestError>>, u64, Duration) {
    let before = h.attempts();
    let started = Instant::now();
    // Every call here is bounded by its own configuration; this outer bound only turns a hang into a failure.
    let result = tokio::time::timeout(Duration::from_secs(60), h.call(&SEND, send_request(), body_text, json_err))
        .await
        .expect("the call hung past 60 s");
    (result, h.attempts() - before, started.elapsed())
}

fn transport_kind(result: &Result<String, Error<TestError>>) -> Option<TransportErrorKind> {
    match result {
        Err(Error::Transport(t)) => Some(t.kind.clone()),
        _ => None,
    }
}

#[tokio::test]
async fn connection_refused_is_retried_max_attempts_times_quickly() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let h = Handle::new(&TRANSFER, config(&url, quick()).build()).unwrap();
    let (result, attempts, elapsed) = timed_call(&h).await;
    assert_eq!(transport_kind(&result), Some(TransportErrorKind::Connect), "{result:?}");
    assert_eq!(attempts, 3);
    assert!(elapsed < SLACK, "took {elapsed:?}");
    assert!(result.unwrap_err().is_retryable());
}

/// `Content-Length: 200` announced, half the headers or half the body sent, then a FIN or a RST.
/// Regression: a body cut short was a `TransportErrorKind::Other` (the reqwest-based transport
/// of the time called it a decode error); it is `Io`, like every other broken connection.
#[tokio::test]
async fn resets_mid_response_are_transport_errors_retried_to_the_limit() {
    let full = answer("200 OK", &[("x-amzn-RequestId", "r")], &"y".repeat(200));
    let head_end = full.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let cases = [
        ("half the headers, FIN", full[..head_end / 2].to_vec(), false),
        ("half the headers, RST", full[..head_end / 2].to_vec(), true),
        ("half the body, FIN", full[..head_end + 100].to_vec(), false),
        ("half the body, RST", full[..head_end + 100].to_vec(), true),
        ("nothing, FIN", Vec::new(), false),
        ("nothing, RST", Vec::new(), true),
    ];
    for (what, bytes, rst) in cases {
        let server = Server::start(vec![Act::Write { bytes, rst }]).await;
        let h = Handle::new(&TRANSFER, config(&server.url(), quick()).build()).unwrap();
        let (result, attempts, elapsed) = timed_call(&h).await;
        assert_eq!(transport_kind(&result), Some(TransportErrorKind::Io), "{what}: {result:?}");
        assert_eq!(attempts, 3, "{what}");
        assert_eq!(server.requests().len(), 3, "{what}");
        assert!(elapsed < SLACK, "{what}: took {elapsed:?}");
    }
}

#[tokio::test]
async fn a_reset_then_an_answer_succeeds_on_the_second_attempt() {
    let server = Server::start(vec![
        Act::Write { bytes: b"HTTP/1.1 200 OK\r\nContent-Le".to_vec(), rst: true },
        write("200 OK", &[], "{}"),
    ])
    .await;
    let h = Handle::new(&TRANSFER, config(&server.url(), quick()).build()).unwrap();
    let (result, attempts, elapsed) = timed_call(&h).await;
    assert_eq!(result.unwrap(), "{}");
    assert_eq!((attempts, server.requests().len()), (2, 2));
    assert!(elapsed < SLACK, "took {elapsed:?}");
}

/// No answer at all, or headers then silence: each attempt waits its full limit, then the call gives up.
#[tokio::test]
async fn stalls_hit_the_attempt_timeout_on_every_attempt() {
    let head = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345".to_vec();
    for (what, head) in [("before the status line", Vec::new()), ("in the middle of the body", head)] {
        let server = Server::start(vec![Act::Stall { head }]).await;
        let limit = Duration::from_millis(300);
        let h = Handle::new(
            &TRANSFER,
            config(&server.url(), retries(2, Duration::from_millis(1), Duration::from_millis(5)))
                .attempt_timeout(Some(limit))
                .build(),
        )
        .unwrap();
        let (result, attempts, elapsed) = timed_call(&h).await;
        assert!(matches!(result, Err(Error::Timeout { after }) if after == limit), "{what}: {result:?}");
        assert_eq!((attempts, server.requests().len()), (2, 2), "{what}");
        assert!(elapsed >= limit * 2, "{what}: took only {elapsed:?}");
        assert!(elapsed < limit * 2 + SLACK, "{what}: took {elapsed:?}");
    }
}

#[tokio::test]
async fn a_stall_in_the_body_hits_the_total_timeout() {
    let head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial".to_vec();
    let server = Server::start(vec![Act::Stall { head }]).await;
    let total = Duration::from_millis(500);
    let h =
        Handle::new(&TRANSFER, config(&server.url(), quick()).attempt_timeout(None).total_timeout(Some(total)).build())
            .unwrap();
    let (result, attempts, elapsed) = timed_call(&h).await;
    assert!(matches!(result, Err(Error::Timeout { after }) if after == total), "{result:?}");
    assert_eq!((attempts, server.requests().len()), (1, 1));
    assert!(elapsed >= total && elapsed < total + SLACK, "took {elapsed:?}");
}

/// The time a request was signed for, from its `X-Amz-Date`.
fn amz_date(seen: &Seen) -> SystemTime {
    let text = seen.header("x-amz-date").expect("X-Amz-Date");
    PrimitiveDateTime::parse(text, format_description!("[year][month][day]T[hour][minute][second]Z"))
        .unwrap()
        .assume_utc()
        .into()
}

/// A 429 storm with `Retry-After: 1`: three attempts, at least a second apart,
/// each signed anew for its own time (the signature is recomputed and checked
/// against one made for that attempt's `X-Amz-Date`).
#[tokio::test]
async fn a_429_storm_honours_retry_after_and_re_signs_every_attempt() {
    let throttled = write(
        "429 Too Many Requests",
        &[("Retry-After", "1"), ("x-amzn-RequestId", "r-429")],
        r#"{"__type":"ThrottlingException","message":"slow down"}"#,
    );
    let server = Server::start(vec![throttled]).await;
    let retry = retries(3, Duration::from_millis(1), Duration::from_secs(5));
    let base = config(&server.url(), retry).signing_time(None);
    let h = Handle::new(&TRANSFER, base.clone().build()).unwrap();
    let (result, attempts, elapsed) = timed_call(&h).await;
    let err = result.unwrap_err();
    assert_eq!((err.code(), err.http_status(), err.request_id()), ("ThrottlingException", Some(429), Some("r-429")));
    assert_eq!(err.as_service_error().unwrap().meta().retry_after, Some(Duration::from_secs(1)));
    let seen = server.requests();
    assert_eq!((attempts, seen.len()), (3, 3));
    assert!(elapsed >= Duration::from_secs(2), "took only {elapsed:?}");
    assert!(elapsed < Duration::from_secs(2) + SLACK, "took {elapsed:?}");
    for pair in seen.windows(2) {
        assert!(pair[1].at - pair[0].at >= Duration::from_millis(990), "{:?} apart", pair[1].at - pair[0].at);
        // At least one second apart, so signed in different seconds.
        assert_ne!(pair[0].header("x-amz-date"), pair[1].header("x-amz-date"));
        assert_ne!(pair[0].header("authorization"), pair[1].header("authorization"));
    }
    for (n, s) in seen.iter().enumerate() {
        let at = amz_date(s);
        let expected = Handle::new(&TRANSFER, base.clone().signing_time(Some(at)).build())
            .unwrap()
            .prepare(&SEND, &send_request())
            .unwrap();
        assert_eq!(s.header("authorization"), expected.header("authorization"), "attempt {}", n + 1);
        assert_eq!(s.body, expected.body);
    }
}

/// A 503 storm without `Retry-After`: exactly max_attempts, with jittered
/// exponential back-off between them (each gap below its ceiling, and all of
/// them together clearly more than nothing).
#[tokio::test]
async fn a_503_storm_backs_off_exponentially_up_to_max_attempts() {
    let server = Server::start(vec![write("503 Service Unavailable", &[], "")]).await;
    let initial = Duration::from_millis(100);
    let h = Handle::new(&TRANSFER, config(&server.url(), retries(5, initial, Duration::from_secs(1))).build()).unwrap();
    let (result, attempts, elapsed) = timed_call(&h).await;
    assert_eq!(result.unwrap_err().http_status(), Some(503));
    let seen = server.requests();
    assert_eq!((attempts, seen.len()), (5, 5));
    let gaps: Vec<Duration> = seen.windows(2).map(|p| p[1].at - p[0].at).collect();
    for (i, gap) in gaps.iter().enumerate() {
        // Ceiling of retry i+1: 100 ms, 200 ms, 400 ms, 800 ms.
        let ceiling = initial * (1 << i);
        assert!(*gap < ceiling + SLACK, "gap {} of {gap:?} over {ceiling:?}", i + 1);
    }
    // Full jitter can make one gap tiny, but all four under 10 ms has odds below one in a million.
    assert!(gaps.iter().sum::<Duration>() >= Duration::from_millis(10), "no back-off seen: {gaps:?}");
    assert!(elapsed < Duration::from_millis(1500) + SLACK, "took {elapsed:?}");

    // With one attempt allowed, the same storm ends at once.
    let single = Handle::new(&TRANSFER, config(&server.url(), RetryConfig::disabled()).build()).unwrap();
    let (result, attempts, elapsed) = timed_call(&single).await;
    assert_eq!((result.unwrap_err().http_status(), attempts), (Some(503), 1));
    assert!(elapsed < SLACK);
    assert_eq!(server.requests().len(), 6);
}

#[tokio::test]
async fn a_500_then_success_takes_exactly_two_attempts() {
    let server =
        Server::start(vec![write("500 Internal Server Error", &[], "oops"), write("200 OK", &[], r#"{"ok":1}"#)]).await;
    let h = Handle::new(&TRANSFER, config(&server.url(), quick()).build()).unwrap();
    let (result, attempts, elapsed) = timed_call(&h).await;
    assert_eq!(result.unwrap(), r#"{"ok":1}"#);
    assert_eq!((attempts, server.requests().len()), (2, 2));
    assert!(elapsed < SLACK, "took {elapsed:?}");
}

fn drip_head(length: usize) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n").into_bytes()
}

#[tokio::test]
async fn a_slow_drip_within_the_limit_completes() {
    let body = br#"{"status":"dripped slowly"}"#.to_vec();
    let every = Duration::from_millis(20);
    let act = Act::Drip { head: drip_head(body.len()), body: body.clone(), piece: 1, every };
    let server = Server::start(vec![act]).await;
    let h =
        Handle::new(&TRANSFER, config(&server.url(), quick()).attempt_timeout(Some(Duration::from_secs(10))).build())
            .unwrap();
    let (result, attempts, elapsed) = timed_call(&h).await;
    assert_eq!(result.unwrap().as_bytes(), body);
    assert_eq!((attempts, server.requests().len()), (1, 1));
    assert!(elapsed >= every * body.len() as u32, "the drip took only {elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

#[tokio::test]
async fn a_slow_drip_past_the_limit_times_out_on_every_attempt() {
    let body = vec![b'z'; 400];
    let act = Act::Drip { head: drip_head(body.len()), body, piece: 1, every: Duration::from_millis(25) };
    let server = Server::start(vec![act]).await;
    let limit = Duration::from_millis(400);
    let h = Handle::new(
        &TRANSFER,
        config(&server.url(), retries(2, Duration::from_millis(1), Duration::from_millis(5)))
            .attempt_timeout(Some(limit))
            .build(),
    )
    .unwrap();
    let (result, attempts, elapsed) = timed_call(&h).await;
    assert!(matches!(result, Err(Error::Timeout { after }) if after == limit), "{result:?}");
    assert_eq!((attempts, server.requests().len()), (2, 2));
    assert!(elapsed >= limit * 2 && elapsed < limit * 2 + SLACK, "took {elapsed:?}");
}

/// A body that never ends (chunked, no length) stops at the cap, at once, without a retry.
#[tokio::test]
async fn an_endless_body_stops_at_the_cap() {
    let head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    let server = Server::start(vec![Act::Endless { head }]).await;
    let h = Handle::new(&TRANSFER, config(&server.url(), quick()).max_response_bytes(256 * 1024).build()).unwrap();
    let (result, attempts, elapsed) = timed_call(&h).await;
    assert_eq!(transport_kind(&result), Some(TransportErrorKind::BodyTooLarge), "{result:?}");
    assert_eq!((attempts, server.requests().len()), (1, 1));
    assert!(elapsed < SLACK, "took {elapsed:?}");
}

#[tokio::test]
async fn an_announced_length_over_the_cap_fails_before_reading() {
    // Announces 1 GiB and sends a few bytes: refused on the announcement alone.
    let head = b"HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\nabc".to_vec();
    let server = Server::start(vec![Act::Stall { head }]).await;
    let h = Handle::new(&TRANSFER, config(&server.url(), quick()).max_response_bytes(1024).build()).unwrap();
    let (result, attempts, elapsed) = timed_call(&h).await;
    assert_eq!(transport_kind(&result), Some(TransportErrorKind::BodyTooLarge), "{result:?}");
    assert_eq!((attempts, server.requests().len()), (1, 1));
    assert!(elapsed < SLACK, "took {elapsed:?}");
}

/// Regression: a total timeout or back-off of `Duration::MAX` overflowed
/// `Instant + Duration` and panicked. Such limits now mean "no limit".
#[tokio::test]
async fn limits_too_large_to_represent_do_not_panic() {
    let server = Server::start(vec![
        write("503 Service Unavailable", &[("Retry-After", "99999999999999999999")], ""),
        write("200 OK", &[], "{}"),
    ])
    .await;
    let h = Handle::new(
        &TRANSFER,
        config(&server.url(), retries(2, Duration::MAX, Duration::MAX))
            .connect_timeout(Duration::MAX)
            .attempt_timeout(Some(Duration::MAX))
            .total_timeout(Some(Duration::MAX))
            .build(),
    )
    .unwrap();
    // The server asks for an unrepresentably long wait, and the back-off cap allows it: the call
    // then sleeps "forever"; what matters is that it sleeps instead of panicking.
    let call = h.call(&SEND, send_request(), body_text, json_err);
    let outcome = tokio::time::timeout(Duration::from_millis(500), call).await;
    assert!(outcome.is_err(), "expected to be still waiting, got {outcome:?}");
    assert_eq!((h.attempts(), server.requests().len()), (1, 1));

    // And a plain success goes through with the same limits.
    let ok_server = Server::start(vec![write("200 OK", &[], "{}")]).await;
    let h = Handle::new(
        &TRANSFER,
        config(&ok_server.url(), retries(3, Duration::MAX, Duration::MAX))
            .connect_timeout(Duration::MAX)
            .attempt_timeout(Some(Duration::MAX))
            .total_timeout(Some(Duration::MAX))
            .build(),
    )
    .unwrap();
    let (result, attempts, elapsed) = timed_call(&h).await;
    assert_eq!((result.unwrap().as_str(), attempts, ok_server.requests().len()), ("{}", 1, 1));
    assert!(elapsed < SLACK);
}

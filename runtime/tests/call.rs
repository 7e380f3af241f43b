//! `Handle::call` against a tiny HTTP/1.1 server of our own on 127.0.0.1:
//! success, retries, Retry-After, timeouts, transport failures, body cap,
//! header injection, and that what is sent is what was signed.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use lifecycle_hooks_runtime::protocol::{aws_json, huawei as huawei_rest};
use lifecycle_hooks_runtime::sign::huawei;
use lifecycle_hooks_runtime::{
    Config, ConfigBuilder, Error, Handle, OperationMeta, Request, Response, RetryConfig,
    ServiceMeta, TransportErrorKind, UnhandledError, path,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Idempotent, so that every failure worth another attempt is retried (a
/// non-idempotent operation is sent again only after a refusal; see the
/// runtime's retry policy).
static SEND: OperationMeta = OperationMeta { idempotent: true, ..OperationMeta::new("SendWorkflowStepState", "POST", 200) };


fn huawei_err(r: &Response) -> TestError {
    TestError(UnhandledError::new(huawei_rest::error_meta(r), &r.body))
}

fn body_text(r: &Response) -> Result<String, String> {
    String::from_utf8(r.body.clone()).map_err(|e| e.to_string())
}

#[derive(Clone)]
enum Reply {
    Send(Vec<u8>),
    /// Read the request, never answer.
    Hang,
}

fn reply(status: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    Reply::Send(format!("{head}\r\n{body}").into_bytes())
}

#[derive(Debug, Clone)]
struct Captured {
    request_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    at: Instant,
}

impl Captured {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Captured>>>,
}

impl Server {
    /// Answers connection n with `replies[n]` (the last one repeats). Loopback only.
    async fn start(replies: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            for n in 0.. {
                let Ok((mut socket, _)) = listener.accept().await else { return };
                let answer = replies[n.min(replies.len() - 1)].clone();
                let log = log.clone();
                tokio::spawn(async move {
                    let Some(captured) = read_request(&mut socket).await else { return };
                    log.lock().unwrap().push(captured);
                    match answer {
                        Reply::Send(bytes) => {
                            let _ = socket.write_all(&bytes).await;
                            let _ = socket.shutdown().await;
                        }
                        Reply::Hang => tokio::time::sleep(Duration::from_secs(30)).await,
                    }
                });
            }
        });
        Server { addr, seen }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<Captured> {
        self.seen.lock().unwrap().clone()
    }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Captured> {
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
    let head = String::from_utf8(buf[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?.to_owned();
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.to_owned(), v.trim().to_owned())).collect();
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
    Some(Captured { request_line, headers, body, at: Instant::now() })
}

fn fast_retries(max_attempts: u32) -> RetryConfig {
    RetryConfig { max_attempts, initial_backoff: Duration::from_millis(1), max_backoff: Duration::from_millis(20) }
}

fn config(server: &Server) -> ConfigBuilder {
    vector_config().endpoint_url(server.url()).retry(fast_retries(3))
}

fn handle(service: &'static ServiceMeta, config: Config) -> Handle {
    Handle::new(service, config).unwrap()
}

fn send_request() -> Request {
    aws_json::request(&TRANSFER, &SEND, br#"{"WorkflowId":"w-0123456789abcdef0"}"#.to_vec())
}

async fn call_json(handle: &Handle, request: Request) -> Result<String, Error<TestError>> {
    handle.call(&SEND, request, body_text, json_err).await
}

/// Header names lower-cased, sorted: HTTP does not care about either.
fn normalized(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<_> = headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.clone())).collect();
    out.sort();
    out
}

#[tokio::test]
async fn success_sends_exactly_the_prepared_request() {
    let server = Server::start(vec![reply("200 OK", &[("x-amzn-RequestId", "r1")], r#"{"ok":true}"#)]).await;
    let h = handle(&TRANSFER, config(&server).build());
    let out = call_json(&h, send_request()).await.unwrap();
    assert_eq!(out, r#"{"ok":true}"#);
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    let prepared = h.prepare(&SEND, &send_request()).unwrap();
    assert_eq!(seen[0].request_line, "POST / HTTP/1.1");
    assert_eq!(normalized(&seen[0].headers), normalized(&prepared.headers));
    assert_eq!(seen[0].body, prepared.body);
}

#[tokio::test]
async fn retries_503_then_succeeds() {
    let busy = reply("503 Service Unavailable", &[], "");
    let server = Server::start(vec![busy.clone(), busy, reply("200 OK", &[], "{}")]).await;
    let h = handle(&TRANSFER, config(&server).build());
    assert_eq!(call_json(&h, send_request()).await.unwrap(), "{}");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn retries_are_bounded() {
    let throttled = reply("400 Bad Request", &[], r#"{"__type":"ThrottlingException","message":"slow down"}"#);
    let server = Server::start(vec![throttled]).await;
    let h = handle(&TRANSFER, config(&server).retry(fast_retries(4)).build());
    let err = call_json(&h, send_request()).await.unwrap_err();
    assert_eq!(err.code(), "ThrottlingException");
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn client_errors_and_501_are_not_retried() {
    let bad = reply(
        "400 Bad Request",
        &[("x-amzn-RequestId", "r-400")],
        r#"{"__type":"InvalidRequestException","Message":"no"}"#,
    );
    let server = Server::start(vec![bad]).await;
    let h = handle(&TRANSFER, config(&server).build());
    let err = call_json(&h, send_request()).await.unwrap_err();
    assert_eq!(
        (err.code(), err.http_status(), err.request_id()),
        ("InvalidRequestException", Some(400), Some("r-400"))
    );
    assert_eq!(err.message().as_deref(), Some("no"));
    assert_eq!(server.requests().len(), 1);

    let server = Server::start(vec![reply("501 Not Implemented", &[], "")]).await;
    let h = handle(&TRANSFER, config(&server).build());
    assert_eq!(call_json(&h, send_request()).await.unwrap_err().code(), "501");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retry_after_is_honoured_and_each_attempt_is_signed_afresh() {
    let server =
        Server::start(vec![reply("503 Service Unavailable", &[("Retry-After", "1")], ""), reply("200 OK", &[], "{}")])
            .await;
    let retry =
        RetryConfig { max_attempts: 2, initial_backoff: Duration::from_millis(1), max_backoff: Duration::from_secs(5) };
    let h = handle(&TRANSFER, config(&server).retry(retry).signing_time(None).build());
    call_json(&h, send_request()).await.unwrap();
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert!(seen[1].at - seen[0].at >= Duration::from_millis(990), "waited {:?}", seen[1].at - seen[0].at);
    assert_ne!(seen[0].header("x-amz-date"), seen[1].header("x-amz-date"));
    assert_ne!(seen[0].header("authorization"), seen[1].header("authorization"));
}

#[tokio::test]
async fn retry_after_is_capped_by_max_backoff() {
    let server =
        Server::start(vec![reply("429 Too Many Requests", &[("Retry-After", "3600")], ""), reply("200 OK", &[], "{}")])
            .await;
    let h = handle(&TRANSFER, config(&server).build());
    let started = Instant::now();
    call_json(&h, send_request()).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn attempt_timeout_fires_and_is_retried() {
    let server = Server::start(vec![Reply::Hang]).await;
    let limit = Duration::from_millis(200);
    let h = handle(&TRANSFER, config(&server).retry(fast_retries(2)).attempt_timeout(Some(limit)).build());
    let err = call_json(&h, send_request()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { after } if after == limit), "{err}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn total_timeout_stops_everything() {
    let server = Server::start(vec![Reply::Hang]).await;
    let total = Duration::from_millis(300);
    let h = handle(
        &TRANSFER,
        config(&server).retry(fast_retries(10)).attempt_timeout(None).total_timeout(Some(total)).build(),
    );
    let started = Instant::now();
    let err = call_json(&h, send_request()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { after } if after == total), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let h = handle(&TRANSFER, vector_config().endpoint_url(url).retry(fast_retries(2)).build());
    match call_json(&h, send_request()).await.unwrap_err() {
        Error::Transport(t) => assert_eq!(t.kind, TransportErrorKind::Connect, "{t}"),
        other => panic!("expected a transport error, got {other}"),
    }
}

#[tokio::test]
async fn answers_over_the_cap_fail_without_retry() {
    let big = "x".repeat(5000);
    let chunked = Reply::Send(
        format!("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n1388\r\n{big}\r\n0\r\n\r\n")
            .into_bytes(),
    );
    for answer in [reply("200 OK", &[], &big), chunked] {
        let server = Server::start(vec![answer]).await;
        let h = handle(&TRANSFER, config(&server).max_response_bytes(1000).build());
        match call_json(&h, send_request()).await.unwrap_err() {
            Error::Transport(t) => assert_eq!(t.kind, TransportErrorKind::BodyTooLarge),
            other => panic!("expected BodyTooLarge, got {other}"),
        }
        assert_eq!(server.requests().len(), 1);
    }
}

#[tokio::test]
async fn unreadable_success_is_a_response_error() {
    let server = Server::start(vec![reply("200 OK", &[("x-amzn-RequestId", "r-9")], "\u{fffd}")]).await;
    let h = handle(&TRANSFER, config(&server).build());
    let bad_parse = |_: &Response| -> Result<(), String> { Err("missing field".into()) };
    let err = h.call(&SEND, send_request(), bad_parse, json_err).await.unwrap_err();
    assert!(matches!(&err, Error::Response { http_status: 200, .. }));
    assert_eq!(err.request_id(), Some("r-9"));
}

#[tokio::test]
async fn header_injection_and_unsafe_paths_are_refused_before_sending() {
    let server = Server::start(vec![reply("200 OK", &[], "{}")]).await;
    let h = handle(&TRANSFER, config(&server).build());
    let mut injected = send_request();
    injected.headers.push(("X-Note".into(), "a\r\nX-Injected: 1".into()));
    assert!(matches!(call_json(&h, injected).await.unwrap_err(), Error::Build(_)));
    let mut empty_label = send_request();
    empty_label.path = format!("/groups/{}/callback", path::encode_segment(""));
    assert!(matches!(call_json(&h, empty_label).await.unwrap_err(), Error::Build(_)));
    let mut own_host = send_request();
    own_host.headers.push(("host".into(), "elsewhere.example".into()));
    assert!(matches!(call_json(&h, own_host).await.unwrap_err(), Error::Build(_)));
    let bad_agent = handle(&TRANSFER, config(&server).user_agent("x\ny").build());
    assert!(matches!(call_json(&bad_agent, send_request()).await.unwrap_err(), Error::Build(_)));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn huawei_callback_round_trip_with_a_verifiable_signature() {
    let server = Server::start(vec![
        reply("204 No Content", &[("X-Request-Id", "rid")], ""),
        reply(
            "400 Bad Request",
            &[("x-request-id", "rid2")],
            r#"{"error":{"code":"AS.2017","message":"no pending action"}}"#,
        ),
    ])
    .await;
    let h = handle(&HUAWEI_AS, config(&server).signing_time(None).build());
    let path = format!(
        "/autoscaling-api/v1/{}/scaling_instance_hook/{}/callback",
        path::encode_segment(h.client_parameter("project_id").unwrap()),
        path::encode_segment("grp/../x")
    );
    let body = br#"{"lifecycle_action_key":"k","lifecycle_action_result":"CONTINUE"}"#.to_vec();
    let request = huawei_rest::request(path.clone(), Vec::new(), body.clone());
    let ok = |r: &Response| -> Result<u16, String> { Ok(r.status) };
    assert_eq!(h.call(&HUAWEI_CALLBACK, request.clone(), ok, huawei_err).await.unwrap(), 204);
    let err = h.call(&HUAWEI_CALLBACK, request, ok, huawei_err).await.unwrap_err();
    assert_eq!((err.code(), err.request_id()), ("AS.2017", Some("rid2")));

    // Re-sign on the server side what was received under the signed names: the signature must match.
    let seen = &server.requests()[0];
    assert_eq!(seen.request_line, format!("PUT {path} HTTP/1.1"));
    assert_eq!(seen.header("x-project-id"), Some(PROJECT));
    let auth = seen.header("authorization").unwrap();
    assert!(auth.contains("SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date,"), "{auth}");
    let signed_names = ["content-type", "host", "user-agent", "x-project-id", "x-sdk-date"];
    let signed: Vec<(String, String)> =
        seen.headers.iter().filter(|(k, _)| signed_names.contains(&k.to_ascii_lowercase().as_str())).cloned().collect();
    let resigned = huawei::sign(&huawei::SignInput {
        method: "PUT",
        host: "unused",
        path: &path,
        query: &[],
        headers: &signed,
        body: &seen.body,
        ak: HUAWEI_AK,
        sk: HUAWEI_SK,
        date: "unused",
    });
    assert_eq!(auth, resigned.authorization);
}

#[test]
fn huawei_project_header_from_generated_code_is_not_duplicated() {
    let h = handle(&HUAWEI_AS, vector_config().build());
    let mut request = huawei_rest::request(format!("/v1/{PROJECT}/x"), Vec::new(), b"{}".to_vec());
    request.headers.push(("X-Project-Id".into(), PROJECT.to_owned()));
    let prepared = h.prepare(&HUAWEI_CALLBACK, &request).unwrap();
    assert_eq!(prepared.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case("x-project-id")).count(), 1);
    assert_eq!(prepared.url, format!("https://as.us-east-1.myhuaweicloud.com/v1/{PROJECT}/x"));
}

#[tokio::test]
async fn a_connect_timeout_is_a_failed_connect() {
    // A listener that never accepts, its backlog filled: the kernel drops further SYNs, so connecting hangs.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        match tokio::time::timeout(Duration::from_millis(100), tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => fillers.push(stream),
            _ => break,
        }
    }
    let limit = Duration::from_millis(300);
    let config = vector_config().endpoint_url(format!("http://{addr}")).connect_timeout(limit).build();
    let started = Instant::now();
    let err = call_json(&handle(&TRANSFER, config), send_request()).await.unwrap_err();
    // Nothing was sent: a failed connect, which any operation may try again.
    let expected = format!("timed out after {limit:?}");
    assert!(
        matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::Connect && t.message.ends_with(&expected)),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let server = Server::start(vec![reply("307 Temporary Redirect", &[("Location", "http://127.0.0.1:1/")], "")]).await;
    let h = handle(&TRANSFER, config(&server).build());
    assert_eq!(call_json(&h, send_request()).await.unwrap_err().http_status(), Some(307));
    assert_eq!(server.requests().len(), 1);
}

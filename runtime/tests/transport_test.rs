//! The pluggable transport: `ConfigBuilder::transport` with the in-memory
//! implementation and with transports of the test's own. Signing, retries,
//! timeouts, the size cap and parsing must behave as with the HTTP client.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::*;
use lifecycle_hooks_runtime::protocol::aws_json;
use lifecycle_hooks_runtime::testing::{InMemoryTransport, response};
use lifecycle_hooks_runtime::{
    Error, Handle, OperationMeta, PreparedRequest, Request, Response, RetryConfig, Transport, TransportError,
    TransportErrorKind, TransportFuture,
};

/// Idempotent, so that every failure worth another attempt is retried (a
/// non-idempotent operation is sent again only after a refusal; see the
/// runtime's retry policy).
static SEND: OperationMeta = OperationMeta { idempotent: true, ..OperationMeta::new("SendWorkflowStepState", "POST", 200) };

fn request() -> Request {
    aws_json::request(&TRANSFER, &SEND, br#"{"WorkflowId":"w-1"}"#.to_vec())
}

fn body_text(r: &Response) -> Result<String, String> {
    String::from_utf8(r.body.clone()).map_err(|e| e.to_string())
}

fn fast_retries(n: u32) -> RetryConfig {
    RetryConfig { max_attempts: n, initial_backoff: Duration::from_millis(1), max_backoff: Duration::from_millis(2) }
}

#[tokio::test]
async fn records_the_signed_request_exactly_as_prepared_and_parses_the_canned_answer() {
    let transport = InMemoryTransport::new([response(200, &[("x-amzn-RequestId", "rid-1")], "hello")]);
    let handle = Handle::new(&TRANSFER, vector_config().transport(transport.clone()).build()).unwrap();
    let expected = handle.prepare(&SEND, &request()).unwrap();
    let out = handle.call(&SEND, request(), body_text, json_err).await.unwrap();
    assert_eq!(out, "hello");
    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    // The whole request as the HTTP client would put it on the wire: method,
    // absolute URL with host, every header (Host first, signature included), body.
    assert_eq!(sent[0], expected);
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sent[0].url, "https://transfer.us-east-1.amazonaws.com/");
    assert_eq!(sent[0].headers[0], ("Host".to_owned(), "transfer.us-east-1.amazonaws.com".to_owned()));
    assert!(sent[0].header("Authorization").unwrap().starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/"));
    assert_eq!(sent[0].header("X-Amz-Target"), Some("TransferService.SendWorkflowStepState"));
    assert_eq!(sent[0].body, br#"{"WorkflowId":"w-1"}"#);
    assert_eq!(transport.remaining(), 0);
}

#[tokio::test]
async fn retries_take_one_canned_answer_per_attempt_and_each_attempt_is_signed_afresh() {
    let throttled = response(400, &[], r#"{"__type":"ThrottlingException","message":"slow down"}"#);
    let transport = InMemoryTransport::with_results([
        Ok(throttled),
        Err(TransportError { kind: TransportErrorKind::Connect, message: "refused".into() }),
        Ok(response(200, &[], "ok")),
    ]);
    // The current clock, so that each attempt gets its own X-Amz-Date when a second passes.
    let config = vector_config().signing_time(None).retry(fast_retries(3)).transport(transport.clone()).build();
    let handle = Handle::new(&TRANSFER, config).unwrap();
    assert_eq!(handle.call(&SEND, request(), body_text, json_err).await.unwrap(), "ok");
    assert_eq!(handle.attempts(), 3);
    assert_eq!(transport.requests().len(), 3);

    // Out of answers: a transport failure, retried up to the limit, then reported.
    let transport = InMemoryTransport::new([response(503, &[], "")]);
    let handle =
        Handle::new(&TRANSFER, vector_config().retry(fast_retries(3)).transport(transport.clone()).build()).unwrap();
    let err = handle.call(&SEND, request(), body_text, json_err).await.unwrap_err();
    match err {
        Error::Transport(t) => {
            assert_eq!(t.kind, TransportErrorKind::Other);
            assert!(t.message.contains("no canned answer left for POST https://transfer.us-east-1.amazonaws.com/"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(transport.requests().len(), 3);

    // A modeled client error is not retried, and comes back as the service's error.
    let transport = InMemoryTransport::new([response(
        400,
        &[("x-amzn-RequestId", "r9")],
        r#"{"__type":"AccessDeniedException","message":"no"}"#,
    )]);
    let handle =
        Handle::new(&TRANSFER, vector_config().retry(fast_retries(3)).transport(transport.clone()).build()).unwrap();
    let err = handle.call(&SEND, request(), body_text, json_err).await.unwrap_err();
    let service = err.as_service_error().expect("a service error");
    assert_eq!(service.0.meta().code, "AccessDeniedException");
    assert_eq!(service.0.meta().request_id.as_deref(), Some("r9"));
    assert_eq!(transport.requests().len(), 1);
}

/// A transport of the test's own that answers after a delay.
struct Slow(Duration, AtomicUsize);

impl Transport for Slow {
    fn send<'a>(&'a self, _request: &'a PreparedRequest) -> TransportFuture<'a> {
        self.1.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            tokio::time::sleep(self.0).await;
            Ok(response(200, &[], "late"))
        })
    }
}

#[tokio::test]
async fn the_attempt_and_total_timeouts_wrap_the_transport() {
    let slow = Arc::new(Slow(Duration::from_secs(30), AtomicUsize::new(0)));
    let config = vector_config()
        .attempt_timeout(Some(Duration::from_millis(50)))
        .retry(fast_retries(2))
        .transport(Arc::clone(&slow))
        .build();
    let handle = Handle::new(&TRANSFER, config).unwrap();
    let started = Instant::now();
    let err = handle.call(&SEND, request(), body_text, json_err).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { after } if after == Duration::from_millis(50)), "{err:?}");
    assert_eq!(slow.1.load(Ordering::SeqCst), 2, "a timed-out attempt is retried");
    assert!(started.elapsed() < Duration::from_secs(5));

    let config = vector_config()
        .attempt_timeout(None)
        .total_timeout(Some(Duration::from_millis(80)))
        .transport(Arc::clone(&slow))
        .build();
    let err = Handle::new(&TRANSFER, config).unwrap().call(&SEND, request(), body_text, json_err).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { after } if after == Duration::from_millis(80)), "{err:?}");
}

#[tokio::test]
async fn the_size_cap_applies_and_a_bad_answer_is_a_response_error() {
    let transport = InMemoryTransport::new([response(200, &[], vec![b'x'; 101])]);
    let config = vector_config().max_response_bytes(100).retry(fast_retries(3)).transport(transport.clone()).build();
    let err = Handle::new(&TRANSFER, config).unwrap().call(&SEND, request(), body_text, json_err).await.unwrap_err();
    assert!(matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::BodyTooLarge), "{err:?}");
    assert_eq!(transport.requests().len(), 1, "an answer over the cap is not retried");

    let transport = InMemoryTransport::new([response(200, &[("x-amzn-RequestId", "r2")], vec![0xff, 0xfe])]);
    let handle = Handle::new(&TRANSFER, vector_config().transport(transport).build()).unwrap();
    let err = handle.call(&SEND, request(), body_text, json_err).await.unwrap_err();
    assert!(matches!(&err, Error::Response { http_status: 200, request_id: Some(id), .. } if id == "r2"), "{err:?}");
}

#[tokio::test]
async fn a_closure_answers_from_the_request_and_huawei_requests_are_signed_too() {
    let transport = InMemoryTransport::from_fn(|r| {
        Ok(response(204, &[("X-Request-Id", "hw-1")], format!("{} {}", r.method, r.url)))
    });
    let config = vector_config().endpoint_url("http://127.0.0.1:9").transport(transport.clone()).build();
    let handle = Handle::new(&HUAWEI_AS, config).unwrap();
    let req = Request::new(
        format!("/autoscaling-api/v1/{PROJECT}/scaling_instance_hook/g/callback"),
        vec![("b".into(), "2".into()), ("a".into(), "1 x".into())],
        vec![("Content-Type".into(), "application/json;charset=UTF-8".into())],
        b"{}".to_vec(),
    );
    let out = handle.call(&HUAWEI_CALLBACK, req, body_text, json_err).await.unwrap();
    let url = format!("http://127.0.0.1:9/autoscaling-api/v1/{PROJECT}/scaling_instance_hook/g/callback?a=1%20x&b=2");
    assert_eq!(out, format!("PUT {url}"));
    let sent = transport.last_request().unwrap();
    assert_eq!(sent.url, url);
    assert!(sent.header("Authorization").unwrap().starts_with(&format!("SDK-HMAC-SHA256 Access={HUAWEI_AK}, ")));
    assert_eq!(sent.header("X-Project-Id"), Some(PROJECT));
    assert_eq!(sent.header("Host"), Some("127.0.0.1:9"));
    assert_eq!(transport.remaining(), 0);
}

#[test]
fn a_config_with_a_transport_prints_without_it_and_needs_no_tls() {
    let config = vector_config().transport(InMemoryTransport::new([])).build();
    let text = format!("{config:?}");
    assert!(text.contains("transport: Some(\"custom\")"), "{text}");
    assert!(config.transport().is_some());
    assert!(vector_config().build().transport().is_none());
    // A handle is made outside any async runtime, and without a TLS setup.
    Handle::new(&TRANSFER, config).unwrap();
}

//! The Huawei Cloud AS callback (`huawei_as::Client::callback_lifecycle_hook`)
//! against a loopback server of our own that checks what arrives: method,
//! path (project id, and the scaling group id percent-encoded so that no value
//! can change the path), `X-Project-Id`, the JSON body, and the signature,
//! which the official SDK's `Signer` (huaweicloudsdkcore 3.1.219, through
//! `tests/oracle/huawei_verify.py`) recomputes from the request as received,
//! with the received `X-Sdk-Date`. Then the server answers 204 and each
//! documented error status with Huawei's error bodies, and the typed errors
//! are checked.
//!
//! The signer's own vectors (huawei.vectors.json `signer_vectors`) are
//! checked byte for byte by the runtime's tests (runtime/tests/vectors.rs);
//! not repeated here.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lifecycle_hooks::huawei_as::{self, CallbackLifecycleHookError, CallbackLifecycleHookInput, CallbackTarget, LifecycleActionResult};
use lifecycle_hooks::runtime::{Config, Error, HuaweiCredentials, RetryConfig};
use serde_json::{Value, json};
use tests::support::http::{Received, Reply, Server};
use tests::support::python::JsonLines;
use tests::support::reference::{HUAWEI_AK, HUAWEI_PROJECT, HUAWEI_SK, reference_json, str_of};

const REQUEST_ID: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

fn config(server: &Server) -> Config {
    Config::builder()
        .endpoint_url(server.url())
        .huawei_credentials(HuaweiCredentials::new(HUAWEI_AK, HUAWEI_SK, HUAWEI_PROJECT))
        .retry(RetryConfig::disabled())
        .attempt_timeout(Some(Duration::from_secs(10)))
        .build()
}

async fn callback(config: Config, input: CallbackLifecycleHookInput) -> Result<huawei_as::CallbackLifecycleHookOutput, Error<CallbackLifecycleHookError>> {
    huawei_as::Client::new(config).unwrap().callback_lifecycle_hook(input).await
}

fn no_content() -> Reply {
    Reply::new(204).header("X-Request-Id", REQUEST_ID)
}

/// Percent-encodes every byte but RFC 3986's unreserved ones (the test's own
/// encoder, to compare the client's with).
fn encode_segment(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn decode_segment(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap(), 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The SDK's signer, run on the request as the server received it: the
/// `Authorization` it computes, and what it signed.
fn sdk_signature(verifier: &mut JsonLines, server: &Server, r: &Received) -> Value {
    let answer = verifier.ask(&json!({
        "method": r.method,
        "host": format!("127.0.0.1:{}", server.port()),
        "path": r.path(),
        "query": [],
        "headers": r.headers.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        "body_b64": b64(&r.body),
        "ak": HUAWEI_AK,
        "sk": HUAWEI_SK,
    }));
    assert!(answer.get("error").is_none(), "the SDK could not re-sign {r:?}: {answer}");
    answer
}

fn b64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            out.push(if i <= chunk.len() { ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char } else { '=' });
        }
    }
    out
}

/// `YYYYMMDDTHHMMSSZ` as seconds since the epoch.
fn sdk_date_seconds(date: &str) -> i64 {
    assert!(date.len() == 16 && date.as_bytes()[8] == b'T' && date.ends_with('Z'), "X-Sdk-Date {date:?}");
    let n = |r: std::ops::Range<usize>| date[r].parse::<i64>().unwrap();
    let (y, m, d) = (n(0..4), n(4..6), n(6..8));
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    days * 86_400 + n(9..11) * 3600 + n(11..13) * 60 + n(13..15)
}

/// Group ids a path must survive: separators, dots, escapes, query and
/// fragment marks, spaces, non-ASCII.
const HOSTILE_GROUP_IDS: &[&str] = &[
    "a1b2c3d4-e5f6-7890-abcd-ef0123456789",
    "../x",
    "a/b",
    "..%2Fx",
    "%2F",
    "%",
    "?x=1#frag",
    "a b+c",
    "a..b",
    "...",
    "é🚀日本",
    "\\..\\x",
    ";x=1",
];

#[tokio::test]
async fn the_callback_arrives_as_sent_and_the_official_sdk_verifies_its_signature() {
    let mut verifier = JsonLines::spawn("huawei_verify.py", Duration::from_secs(30));
    let targets = [
        (CallbackTarget::by_action_key("b3e2f1a0-0000-4000-8000-000000000001"), json!({"lifecycle_action_key": "b3e2f1a0-0000-4000-8000-000000000001"})),
        (CallbackTarget::by_instance("f1e2d3c4-0000-4000-8000-0000000000aa", "hook-ÄÖ-名前"), json!({"instance_id": "f1e2d3c4-0000-4000-8000-0000000000aa", "lifecycle_hook_name": "hook-ÄÖ-名前"})),
        (CallbackTarget::by_action_key("x\"y\\z/\n\u{2028}&=?#"), json!({"lifecycle_action_key": "x\"y\\z/\n\u{2028}&=?#"})),
    ];
    let results = [(LifecycleActionResult::Continue, "CONTINUE"), (LifecycleActionResult::Abandon, "ABANDON"), (LifecycleActionResult::Extend, "EXTEND")];
    for (i, group) in HOSTILE_GROUP_IDS.iter().enumerate() {
        let (target, target_json) = &targets[i % targets.len()];
        let (result, result_text) = &results[i % results.len()];
        let server = Server::start(vec![no_content()]).await;
        let input = CallbackLifecycleHookInput::new(*group, result.clone(), target.clone());
        let before = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
        callback(config(&server), input).await.unwrap_or_else(|e| panic!("{group:?}: {e}"));
        let after = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;

        let received = server.received();
        assert_eq!(received.len(), 1, "{group:?}");
        let r = &received[0];
        assert_eq!(r.method, "PUT");
        // The path: the template's six segments, whatever the group id holds.
        let expected_path = format!("/autoscaling-api/v1/{HUAWEI_PROJECT}/scaling_instance_hook/{}/callback", encode_segment(group));
        assert_eq!(r.target, expected_path, "{group:?}");
        let segments: Vec<&str> = r.path().split('/').collect();
        assert_eq!(segments.len(), 7, "{group:?}: {segments:?}");
        assert_eq!(decode_segment(segments[5]), *group);
        assert_eq!(r.header("X-Project-Id"), Some(HUAWEI_PROJECT));
        assert_eq!(r.header_count("X-Project-Id"), 1);
        assert_eq!(r.header("Content-Type"), Some("application/json;charset=utf-8"));
        assert_eq!(r.header("Host"), Some(format!("127.0.0.1:{}", server.port()).as_str()));
        // The body: the result and the target's members, nothing else (the group id is in the path).
        let mut expected_body = target_json.clone();
        expected_body["lifecycle_action_result"] = json!(result_text);
        assert_eq!(serde_json::from_slice::<Value>(&r.body).unwrap(), expected_body, "{group:?}");
        // Signed now, by the real clock.
        let date = sdk_date_seconds(r.header("X-Sdk-Date").expect("X-Sdk-Date"));
        assert!(before - 1 <= date && date <= after + 1, "X-Sdk-Date {date} not in [{before}, {after}]");
        // The signature, as the official SDK computes it.
        let sdk = sdk_signature(&mut verifier, &server, r);
        assert_eq!(r.header("Authorization"), sdk["authorization"].as_str(), "{group:?}");
        let signed = str_of(&sdk, "signed_headers");
        for name in ["content-type", "host", "x-project-id", "x-sdk-date"] {
            assert!(signed.split(';').any(|s| s == name), "{name} is not signed: {signed}");
        }
    }

    // The verifier is not a rubber stamp: change one byte of the body, or the path, and it disagrees.
    let server = Server::start(vec![no_content()]).await;
    let input = CallbackLifecycleHookInput::new("g", LifecycleActionResult::Continue, CallbackTarget::by_action_key("k"));
    callback(config(&server), input).await.unwrap();
    let mut r = server.received().remove(0);
    r.body[2] ^= 1;
    assert_ne!(r.header("Authorization"), sdk_signature(&mut verifier, &server, &r)["authorization"].as_str());
    let mut r = server.received().remove(0);
    r.target = r.target.replace("/g/", "/h/");
    assert_ne!(r.header("Authorization"), sdk_signature(&mut verifier, &server, &r)["authorization"].as_str());
}

/// Group ids no encoding can make safe are refused before anything is sent.
#[tokio::test]
async fn group_ids_that_would_rewrite_the_path_are_never_sent() {
    for group in ["", ".", ".."] {
        let server = Server::start(vec![no_content()]).await;
        let input = CallbackLifecycleHookInput::new(group, LifecycleActionResult::Continue, CallbackTarget::by_action_key("k"));
        let err = callback(config(&server), input).await.unwrap_err();
        assert!(matches!(err, Error::Build(_) | Error::Validation(_)), "{group:?}: {err:?}");
        assert!(server.received().is_empty(), "{group:?} reached the server");
    }
}

/// The SDK sends any result value unchanged (`continue` in its captures); the
/// client validates the enum unless told not to.
#[tokio::test]
async fn unknown_results_are_refused_by_validation_and_sent_unchanged_without_it() {
    let input = || CallbackLifecycleHookInput::new("g", "continue", CallbackTarget::by_action_key("k"));
    let server = Server::start(vec![no_content()]).await;
    let err = callback(config(&server), input()).await.unwrap_err();
    assert!(matches!(&err, Error::Validation(v) if v.to_string().contains("lifecycle_action_result")), "{err:?}");
    assert!(server.received().is_empty());

    let lax = config(&server).into_builder().validate(false).build();
    callback(lax, input()).await.unwrap();
    let body: Value = serde_json::from_slice(&server.received()[0].body).unwrap();
    assert_eq!(body, json!({"lifecycle_action_key": "k", "lifecycle_action_result": "continue"}));
}

/// Name of the enum variant (`Forbidden`, `Unhandled`, ...) from the derived `Debug`.
fn variant_name(e: &CallbackLifecycleHookError) -> String {
    format!("{e:?}").split(['(', ' ', '{']).next().unwrap_or_default().to_owned()
}

/// Every abnormal status of models/huawei_as.yaml, with whether the runtime
/// retries it for the callback (not idempotent: only 503, which says the
/// service did not handle the request) and for a read (idempotent: also the
/// answers that may mean the request was applied, 408 and 5xx but 501). No
/// error is modeled as retryable: neither the page nor the SDK says so.
const ERROR_STATUSES: &[(u16, &str, bool, bool)] = &[
    (400, "BadRequest", false, false),
    (401, "Unauthorized", false, false),
    (403, "Forbidden", false, false),
    (404, "NotFound", false, false),
    (405, "MethodNotAllowed", false, false),
    (406, "NotAcceptable", false, false),
    (407, "ProxyAuthenticationRequired", false, false),
    (408, "RequestTimeout", false, true),
    (409, "Conflict", false, false),
    (500, "InternalServerError", false, true),
    (501, "NotImplemented", false, false),
    (502, "BadGateway", false, true),
    (503, "ServiceUnavailable", true, true),
    (504, "GatewayTimeout", false, true),
];

#[tokio::test]
async fn every_documented_error_status_maps_to_its_variant() {
    let input = || CallbackLifecycleHookInput::new("a1b2c3d4", LifecycleActionResult::Extend, CallbackTarget::by_instance("i-1", "hook"));
    for &(status, variant, _, _) in ERROR_STATUSES {
        let message = format!("status {status}: the instance does not have a pending lifecycle action.");
        let bodies = [
            json!({"error_code": "AS.2017", "error_msg": message}),
            json!({"error": {"code": "AS.2017", "message": message}}),
            json!({"errorCode": "AS.2017", "errorMsg": message, "request_id": "ignored"}),
        ];
        for (i, body) in bodies.iter().enumerate() {
            // Both spellings of the request id header the SDK reads.
            let id_header = if i == 1 { "x-request-id" } else { "X-Request-Id" };
            let reply = Reply::new(status).header("Content-Type", "application/json").header(id_header, REQUEST_ID).body(body.to_string());
            let server = Server::start(vec![reply, no_content()]).await;
            let err = callback(config(&server), input()).await.unwrap_err();
            let e = err.as_service_error().unwrap_or_else(|| panic!("{status}: not a service error: {err:?}"));
            assert_eq!(variant_name(e), variant, "{status} {body}");
            assert_eq!(e.code(), "AS.2017", "{status} {body}");
            assert_eq!(e.message(), Some(message.as_str()), "{status} {body}");
            assert_eq!(e.http_status(), status);
            assert_eq!(e.request_id(), Some(REQUEST_ID), "{status} {body}");
            assert!(!e.is_retryable(), "{status}: no Huawei error is modeled as retryable");
            assert_eq!(server.received().len(), 1, "retries are off");
        }
    }
}

/// With retries on, the callback (not idempotent: a second EXTEND would
/// extend twice) is tried again only after a 503, which says the service did
/// not handle it; a read (ShowLifecycleHook, idempotent) after 408 and every
/// 5xx but 501 too. The next answer (success) ends the call well.
#[tokio::test]
async fn statuses_are_retried_by_the_operations_idempotency() {
    let retry = RetryConfig { max_attempts: 2, initial_backoff: Duration::from_millis(1), max_backoff: Duration::from_millis(5) };
    for &(status, variant, callback_retried, read_retried) in ERROR_STATUSES {
        let server = Server::start(vec![Reply::new(status).header("X-Request-Id", REQUEST_ID).body("{}"), no_content()]).await;
        let input = CallbackLifecycleHookInput::new("g", LifecycleActionResult::Extend, CallbackTarget::by_action_key("k"));
        let result = callback(config(&server).into_builder().retry(retry).build(), input).await;
        assert_eq!(result.is_ok(), callback_retried, "callback, {status} {variant}: {result:?}");
        assert_eq!(server.received().len(), if callback_retried { 2 } else { 1 }, "callback, {status}");

        let ok = Reply::new(200).header("X-Request-Id", REQUEST_ID).body(r#"{"lifecycle_hook_name":"h"}"#);
        let server = Server::start(vec![Reply::new(status).header("X-Request-Id", REQUEST_ID).body("{}"), ok]).await;
        let client = huawei_as::Client::new(config(&server).into_builder().retry(retry).build()).unwrap();
        let result = client.show_lifecycle_hook(huawei_as::ShowLifecycleHookInput::new("g", "h")).await;
        assert_eq!(result.is_ok(), read_retried, "show, {status} {variant}: {result:?}");
        assert_eq!(server.received().len(), if read_retried { 2 } else { 1 }, "show, {status}");
    }
}

/// A callback whose answer never comes may have been applied: it is not sent
/// again (an EXTEND would extend twice); a read is.
#[tokio::test]
async fn a_timed_out_callback_is_not_sent_again_but_a_read_is() {
    let retry = RetryConfig { max_attempts: 3, initial_backoff: Duration::from_millis(1), max_backoff: Duration::from_millis(5) };
    let slow = || Reply::hang_up();
    let server = Server::start(vec![slow(), slow(), slow(), slow()]).await;
    let config = config(&server).into_builder().retry(retry).build();
    let input = CallbackLifecycleHookInput::new("g", LifecycleActionResult::Extend, CallbackTarget::by_action_key("k"));
    let err = callback(config.clone(), input).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_) | Error::Timeout { .. }), "{err:?}");
    assert_eq!(server.received().len(), 1, "the callback was sent again");
    let client = huawei_as::Client::new(config).unwrap();
    let err = client.show_lifecycle_hook(huawei_as::ShowLifecycleHookInput::new("g", "h")).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_) | Error::Timeout { .. }), "{err:?}");
    assert_eq!(server.received().len(), 1 + 3, "the read was tried three times");
}

/// Answers outside the model: other statuses are `Unhandled` with the SDK's
/// fallbacks (no code: the status; no message: the raw text).
#[tokio::test]
async fn unmodeled_answers_keep_everything() {
    let input = || CallbackLifecycleHookInput::new("g", LifecycleActionResult::Continue, CallbackTarget::by_action_key("k"));
    let cases = [
        (429, r#"{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached"}"#, "APIGW.0308", Some("The throttling threshold has been reached")),
        (418, "<html>teapot</html>", "418", Some("<html>teapot</html>")),
        (500, "", "500", None),
        (403, r#"{"code":"C"}"#, "403", Some(r#"{"code":"C"}"#)),
    ];
    for (status, body, code, message) in cases {
        let server = Server::start(vec![Reply::new(status).header("X-Request-Id", REQUEST_ID).body(body)]).await;
        let err = callback(config(&server), input()).await.unwrap_err();
        let e = err.as_service_error().unwrap();
        let expected_variant = ERROR_STATUSES.iter().find(|s| s.0 == status).map_or("Unhandled", |s| s.1);
        assert_eq!(variant_name(e), expected_variant, "{status}");
        assert_eq!((e.code(), e.message(), e.http_status(), e.request_id()), (code, message, status, Some(REQUEST_ID)), "{status}");
    }
}

/// The SDK's own loopback captures (huawei.vectors.json
/// `e2e_asclient_on_loopback`): their canned answers through the generated
/// client give what the SDK gave.
#[tokio::test]
async fn the_sdk_captures_canned_answers_give_what_the_sdk_gave() {
    let file = reference_json("vectors/huawei.vectors.json");
    for capture in file["e2e_asclient_on_loopback"].as_array().unwrap() {
        let id = str_of(capture, "id");
        let raw = str_of(capture, "canned_response");
        let (head, body) = raw.split_once("\r\n\r\n").unwrap();
        let mut lines = head.split("\r\n");
        let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let mut reply = Reply::new(status).body(body);
        for (k, v) in lines.filter_map(|l| l.split_once(": ")) {
            if !k.eq_ignore_ascii_case("content-length") && !k.eq_ignore_ascii_case("connection") {
                reply = reply.header(k, v);
            }
        }
        let server = Server::start(vec![reply]).await;
        let input = CallbackLifecycleHookInput::new("a1b2c3d4-e5f6-7890-abcd-ef0123456789", LifecycleActionResult::Continue, CallbackTarget::by_action_key("k"));
        let result = callback(config(&server), input).await;
        let sdk = &capture["sdk_result"];
        if sdk["outcome"] == "success" {
            assert!(result.is_ok(), "{id}: {result:?}");
            continue;
        }
        let err = result.unwrap_err();
        let e = err.as_service_error().unwrap_or_else(|| panic!("{id}: {err:?}"));
        assert_eq!(e.http_status() as u64, sdk["status_code"].as_u64().unwrap(), "{id}");
        assert_eq!(e.code(), str_of(sdk, "error_code"), "{id}");
        assert_eq!(e.message(), sdk["error_msg"].as_str(), "{id}");
        assert_eq!(e.request_id(), sdk["request_id"].as_str(), "{id}");
        let variant = ERROR_STATUSES.iter().find(|s| u64::from(s.0) == sdk["status_code"].as_u64().unwrap()).unwrap().1;
        assert_eq!(variant_name(e), variant, "{id}");
    }
}

/// The official SDK takes any status below 400 as success (WIRE.md C8, D);
/// the page documents 204. A gateway answering 200 (or 202) has succeeded.
#[tokio::test]
async fn any_2xx_answer_to_the_callback_is_a_success() {
    for status in [200, 202] {
        let server = Server::start(vec![Reply::new(status).header("X-Request-Id", REQUEST_ID)]).await;
        let input = CallbackLifecycleHookInput::new("g", LifecycleActionResult::Continue, CallbackTarget::by_action_key("k"));
        let result = callback(config(&server), input).await;
        assert!(result.is_ok(), "{status}: {result:?}");
    }
}

/// The project id is a path segment too (and a header): one with characters
/// that need encoding keeps the path's shape, and the SDK still verifies.
#[tokio::test]
async fn an_odd_project_id_is_encoded_in_the_path_and_sent_as_is_in_the_header() {
    let mut verifier = JsonLines::spawn("huawei_verify.py", Duration::from_secs(30));
    let project = "proj/1 ?#%.._~";
    let server = Server::start(vec![no_content()]).await;
    let config = config(&server).into_builder().huawei_credentials(HuaweiCredentials::new(HUAWEI_AK, HUAWEI_SK, project)).build();
    let input = CallbackLifecycleHookInput::new("g/1", LifecycleActionResult::Continue, CallbackTarget::by_action_key("k"));
    callback(config, input).await.unwrap();
    let r = &server.received()[0];
    assert_eq!(r.target, format!("/autoscaling-api/v1/{}/scaling_instance_hook/g%2F1/callback", encode_segment(project)));
    assert_eq!(r.header("X-Project-Id"), Some(project));
    assert_eq!(r.header("Authorization"), sdk_signature(&mut verifier, &server, r)["authorization"].as_str());
}

//! The generated answer parsers, through the public clients, against hostile
//! answers: a keep-alive loopback server ([`ChaosServer`]) answers each of
//! the five generated operations with random, truncated and mutated versions
//! of the reference answer vectors (`shared/reference/vectors/`: success and
//! error answers of each operation), with random statuses, headers, framing
//! (exact length, chunked, close-delimited, lying lengths, cut anywhere) and
//! bodies (truncated, bit-flipped, spliced, invalid UTF-8, deep, huge). Every
//! call must come back, within a bound, as a typed `Result`: `Ok`, or a
//! `Service`, `Transport`, `Timeout` or `Response` error (never a panic,
//! never a hang, never a `Build`/`Validation` error for a valid input).
//!
//! Cases per target (10 targets: 5 operations x success/error vector):
//! `RELIABILITY_CASES` (default 48). The long run (RELIABILITY.md) uses 100,000.

use std::time::Duration;

use lifecycle_hooks::runtime::{AwsCredentials, Config, Error, HuaweiCredentials, RetryConfig, ServiceError};
use lifecycle_hooks::{autoscaling, cloudformation, codedeploy, huawei_as, transfer};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};
use serde_json::Value;
use tests::support::chaos_http::{ChaosServer, RawReply};
use tests::support::reference::{
    AWS_ACCESS_KEY, AWS_SECRET_KEY, HUAWEI_AK, HUAWEI_PROJECT, HUAWEI_SK, REGION, reference_json, str_of,
};

fn cases() -> u32 {
    std::env::var("RELIABILITY_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48)
}

/// Bodies above this fail as `BodyTooLarge`; some generated bodies are larger.
const CAP: usize = 256 * 1024;
/// No call may take longer than this (two attempts of at most 5 s each, and slack).
const CALL_BOUND: Duration = Duration::from_secs(30);

/// A reference answer: status, headers, body.
#[derive(Debug, Clone)]
struct Vector {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// The error code the pristine answer must give (None: success).
    code: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    PutLifecycleHook,
    ListHookResults,
    PutLifecycleEventHookExecutionStatus,
    SendWorkflowStepState,
    CallbackLifecycleHook,
}

const OPS: [Op; 5] = [
    Op::PutLifecycleHook,
    Op::ListHookResults,
    Op::PutLifecycleEventHookExecutionStatus,
    Op::SendWorkflowStepState,
    Op::CallbackLifecycleHook,
];

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::PutLifecycleHook => "PutLifecycleHook",
            Op::ListHookResults => "ListHookResults",
            Op::PutLifecycleEventHookExecutionStatus => "PutLifecycleEventHookExecutionStatus",
            Op::SendWorkflowStepState => "SendWorkflowStepState",
            Op::CallbackLifecycleHook => "CallbackLifecycleHook",
        }
    }

    /// The operation's success and error vectors.
    fn vectors(self) -> (Vector, Vector) {
        let mut all = if self == Op::CallbackLifecycleHook { huawei_vectors() } else { aws_vectors(self.name()) };
        let error = all.iter().position(|v| v.code.is_some()).expect("an error vector");
        let error = all.remove(error);
        let success = all.into_iter().find(|v| v.code.is_none()).expect("a success vector");
        (success, error)
    }
}

fn aws_vectors(name: &str) -> Vec<Vector> {
    let file = reference_json(&format!("vectors/{name}.vectors.json"));
    file["response_vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| Vector {
            status: v["status_code"].as_u64().unwrap() as u16,
            headers: v["headers"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect(),
            body: str_of(v, "body").as_bytes().to_vec(),
            code: v["expected_parser_output"]["Error"]["Code"].as_str().map(str::to_owned),
        })
        .collect()
}

/// The Huawei SDK's loopback answers, split from their raw HTTP text.
fn huawei_vectors() -> Vec<Vector> {
    let file = reference_json("vectors/huawei.vectors.json");
    file["e2e_asclient_on_loopback"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v: &Value| {
            let raw = str_of(v, "canned_response");
            let (head, body) = raw.split_once("\r\n\r\n").unwrap();
            let mut lines = head.split("\r\n");
            let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
            let headers = lines
                .filter_map(|l| l.split_once(':'))
                .filter(|(k, _)| !k.eq_ignore_ascii_case("content-length") && !k.eq_ignore_ascii_case("connection"))
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .collect();
            let code = v["sdk_result"]["error_code"].as_str().map(str::to_owned);
            Vector { status, headers, body: body.as_bytes().to_vec(), code }
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(prop::sample::Index),
    Flip(prop::sample::Index, u8),
    Insert(prop::sample::Index, Vec<u8>),
    Remove(prop::sample::Index, usize),
    Duplicate(prop::sample::Index, prop::sample::Index, usize),
    InvalidUtf8(prop::sample::Index, u8),
    /// An element or member repeated, nested or stretched.
    Wrap(prop::sample::Index, usize),
    /// Every `2024-11-05T12:34:5` timestamp prefix replaced by an edge-case timestamp.
    Timestamp(String),
}

/// Timestamps at the edges: years 0 and 9999, impossible dates, offsets of ±23:59, leap seconds.
fn timestamp() -> impl Strategy<Value = String> {
    let pick = |v: &[&'static str]| prop::sample::select(v.to_vec());
    (
        prop_oneof![3 => pick(&["0000", "9999"]), 1 => pick(&["0001", "1969", "1970", "2024", "+1000", "99999"])],
        prop_oneof![3 => pick(&["01", "12"]), 1 => pick(&["00", "02", "13"])],
        prop_oneof![3 => pick(&["01", "31"]), 1 => pick(&["00", "29", "30", "32"])],
        pick(&["00", "23", "24"]),
        pick(&["00", "59", "60", "61"]),
        pick(&["", ".5", ".999999999", ".1234567890123", "."]),
        prop_oneof![
            3 => pick(&["+23:59", "-23:59", "-01:00", "+01:00"]),
            1 => pick(&["Z", "z", "+00:00", "-00:00", "+24:00", "", "+0100"]),
        ],
    )
        .prop_map(|(y, mo, d, h, mi, frac, off)| format!("{y}-{mo}-{d}T{h}:{mi}:{mi}{frac}{off}"))
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<prop::sample::Index>;
    prop_oneof![
        at().prop_map(Mutation::Truncate),
        (at(), 1u8..=255).prop_map(|(i, x)| Mutation::Flip(i, x)),
        (at(), prop::collection::vec(any::<u8>(), 1..16)).prop_map(|(i, b)| Mutation::Insert(i, b)),
        (at(), 1usize..32).prop_map(|(i, n)| Mutation::Remove(i, n)),
        (at(), at(), 1usize..64).prop_map(|(a, b, n)| Mutation::Duplicate(a, b, n)),
        (at(), prop::sample::select(vec![0x80u8, 0xbf, 0xc0, 0xc1, 0xf5, 0xfe, 0xff]))
            .prop_map(|(i, b)| Mutation::InvalidUtf8(i, b)),
        (at(), 1usize..2000).prop_map(|(i, n)| Mutation::Wrap(i, n)),
        timestamp().prop_map(Mutation::Timestamp),
    ]
}

fn apply(body: &mut Vec<u8>, m: &Mutation) {
    let at = |i: &prop::sample::Index, len: usize| i.index(len + 1);
    match m {
        Mutation::Truncate(i) => body.truncate(at(i, body.len())),
        Mutation::Flip(i, x) => {
            if !body.is_empty() {
                let i = i.index(body.len());
                body[i] ^= x;
            }
        }
        Mutation::Insert(i, bytes) => {
            let i = at(i, body.len());
            body.splice(i..i, bytes.iter().copied());
        }
        Mutation::Remove(i, n) => {
            let i = at(i, body.len());
            let end = (i + n).min(body.len());
            body.drain(i..end);
        }
        Mutation::Duplicate(from, to, n) => {
            if !body.is_empty() {
                let from = from.index(body.len());
                let piece = body[from..(from + n).min(body.len())].to_vec();
                let to = at(to, body.len());
                body.splice(to..to, piece);
            }
        }
        Mutation::InvalidUtf8(i, b) => {
            let i = at(i, body.len());
            body.insert(i, *b);
        }
        Mutation::Timestamp(t) => {
            let text = String::from_utf8_lossy(body).into_owned();
            if let Some(start) = text.find("2024-11-05T12:34:5") {
                // The whole timestamp: up to the next '<' or '"'.
                let end = text[start..].find(['<', '"']).map_or(text.len(), |e| start + e);
                *body = format!("{}{t}{}", &text[..start], &text[end..]).into_bytes();
            }
        }
        Mutation::Wrap(i, n) => {
            // Deep nesting in the body's own syntax, at a random place.
            let i = at(i, body.len());
            let xml = body.first() == Some(&b'<');
            let (open, close): (&[u8], &[u8]) = if xml { (b"<member>", b"</member>") } else { (b"{\"a\":[", b"]}") };
            let inner = body[i..].to_vec();
            body.truncate(i);
            body.extend(open.repeat(*n));
            body.extend(inner);
            body.extend(close.repeat(*n));
        }
    }
}

/// How the body is framed on the wire, and whether the connection stays open.
#[derive(Debug, Clone)]
enum Framing {
    /// `Content-Length` exact; the connection stays open for the next request.
    Exact,
    /// Chunked in pieces of these sizes (cycled); the connection stays open.
    Chunked(Vec<usize>),
    /// No length: the body ends when the connection closes.
    CloseDelimited,
    /// `Content-Length` larger than the body by this much, then closed.
    LengthLonger(usize),
    /// `Content-Length` smaller than the body by this much, then closed.
    LengthShorter(usize),
    /// The whole answer (head included) cut at this point, then closed.
    Cut(prop::sample::Index),
}

fn framing() -> impl Strategy<Value = Framing> {
    prop_oneof![
        6 => Just(Framing::Exact),
        2 => prop::collection::vec(1usize..300, 1..4).prop_map(Framing::Chunked),
        1 => Just(Framing::CloseDelimited),
        1 => (1usize..10_000).prop_map(Framing::LengthLonger),
        1 => (1usize..100).prop_map(Framing::LengthShorter),
        2 => any::<prop::sample::Index>().prop_map(Framing::Cut),
    ]
}

/// One hostile answer, derived from a reference vector.
#[derive(Debug, Clone)]
struct Answer {
    /// The vector itself, untouched: the outcome is checked, not just its type.
    pristine: bool,
    status_line: Vec<u8>,
    status: u16,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    body: Vec<u8>,
    framing: Framing,
}

impl Answer {
    /// The bytes on the wire, and whether the server closes afterwards.
    fn to_reply(&self) -> RawReply {
        let framing_header = |name: &[u8]| {
            let name = String::from_utf8_lossy(name).to_ascii_lowercase();
            matches!(name.trim(), "content-length" | "transfer-encoding" | "connection")
        };
        // Keep-alive only when the framing is unambiguous; anything else closes, so no
        // answer can leave bytes behind for the next case (or keep a client waiting).
        let keep_alive = !self.pristine
            && matches!(self.framing, Framing::Exact | Framing::Chunked(_))
            && (200..600).contains(&self.status)
            && self.status != 204
            && self.status != 304
            && self.status_line.starts_with(b"HTTP/1.1 ")
            && !self.headers.iter().any(|(k, _)| framing_header(k));
        let mut out = self.status_line.clone();
        out.extend_from_slice(b"\r\n");
        if !keep_alive {
            out.extend_from_slice(b"Connection: close\r\n");
        }
        for (k, v) in &self.headers {
            out.extend_from_slice(k);
            out.extend_from_slice(b": ");
            out.extend_from_slice(v);
            out.extend_from_slice(b"\r\n");
        }
        match &self.framing {
            Framing::Chunked(pieces) => {
                out.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
                let mut rest = self.body.as_slice();
                for size in pieces.iter().cycle() {
                    if rest.is_empty() {
                        break;
                    }
                    let (piece, tail) = rest.split_at((*size).min(rest.len()));
                    out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
                    out.extend_from_slice(piece);
                    out.extend_from_slice(b"\r\n");
                    rest = tail;
                }
                out.extend_from_slice(b"0\r\n\r\n");
            }
            Framing::CloseDelimited => {
                out.extend_from_slice(b"\r\n");
                out.extend_from_slice(&self.body);
            }
            other => {
                let length = match other {
                    Framing::LengthLonger(n) => self.body.len() + n,
                    Framing::LengthShorter(n) => self.body.len().saturating_sub(*n),
                    _ => self.body.len(),
                };
                out.extend_from_slice(format!("Content-Length: {length}\r\n\r\n").as_bytes());
                out.extend_from_slice(&self.body);
            }
        }
        if let Framing::Cut(i) = &self.framing {
            out.truncate(i.index(out.len() + 1));
        }
        RawReply { bytes: out, close: !keep_alive }
    }
}

fn header_name() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::sample::select(vec![
            "Content-Type",
            "x-amzn-RequestId",
            "X-Amzn-ErrorType",
            "X-Request-Id",
            "Retry-After",
            "Content-Length",
            "Transfer-Encoding",
            "Content-Encoding",
            "Connection",
            "Date",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,20}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>().prop_filter("no line breaks", |b| *b != b'\r' && *b != b'\n'), 0..12),
    ]
}

fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::sample::select(vec![
            "text/html",
            "application/json",
            "application/x-amz-json-1.1",
            "text/xml",
            "application/octet-stream",
            "multipart/form-data; boundary=x",
            "ns#ThrottlingException:http://internal/",
            "1",
            "0",
            "99999999999999999999",
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "gzip",
            "chunked",
            "close",
            "-1",
            "",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        "[ -~]{0,40}".prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>().prop_filter("no line breaks", |b| *b != b'\r' && *b != b'\n'), 0..40),
    ]
}

fn status_line() -> impl Strategy<Value = (u16, Vec<u8>)> {
    let status = prop_oneof![
        prop::sample::select(vec![
            200u16, 201, 202, 204, 206, 299, 300, 301, 304, 307, 400, 401, 403, 404, 408, 409, 413, 429, 500, 501, 502,
            503, 504, 599
        ]),
        200u16..1000,
    ];
    let form = prop_oneof![
        8 => Just(0u8),
        1 => Just(1u8), // HTTP/1.0
        1 => Just(2u8), // no reason phrase
        1 => Just(3u8), // garbage status line
    ];
    (status, form, "[ -~]{0,20}").prop_map(|(status, form, junk)| {
        let line = match form {
            0 => format!("HTTP/1.1 {status} Whatever"),
            1 => format!("HTTP/1.0 {status} Whatever"),
            2 => format!("HTTP/1.1 {status}"),
            _ => format!("HTTP/1.1 {junk}"),
        };
        (status, line.into_bytes())
    })
}

fn answer(vector: Vector) -> impl Strategy<Value = Answer> {
    let pristine = Answer {
        pristine: true,
        status_line: format!("HTTP/1.1 {} Whatever", vector.status).into_bytes(),
        status: vector.status,
        headers: vector.headers.iter().map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec())).collect(),
        body: vector.body.clone(),
        framing: Framing::Exact,
    };
    let base = pristine.clone();
    let mutated = (
        prop_oneof![3 => Just(None), 2 => status_line().prop_map(Some)],
        prop::collection::vec(any::<bool>(), base.headers.len()),
        prop::collection::vec((header_name(), header_value()), 0..4),
        prop::collection::vec(mutation(), 0..6),
        prop_oneof![12 => Just(0usize), 1 => CAP / 2..CAP * 2],
        framing(),
    )
        .prop_map(move |(status, keep, extra, mutations, grow, framing)| {
            let mut a = base.clone();
            a.pristine = false;
            if let Some((status, line)) = status {
                a.status = status;
                a.status_line = line;
            }
            a.headers = a.headers.into_iter().zip(keep).filter(|(_, keep)| *keep).map(|(h, _)| h).collect();
            a.headers.extend(extra);
            for m in &mutations {
                apply(&mut a.body, m);
            }
            if grow > 0 {
                // A huge answer: the body repeated (over the cap, or just under it).
                let seed = if a.body.is_empty() { b"x".to_vec() } else { a.body.clone() };
                a.body = seed.iter().copied().cycle().take(grow).collect();
            }
            a.framing = framing;
            a
        });
    prop_oneof![1 => Just(pristine), 15 => mutated]
}

/// The five clients, all pointed at one server.
struct Clients {
    autoscaling: autoscaling::Client,
    cloudformation: cloudformation::Client,
    codedeploy: codedeploy::Client,
    transfer: transfer::Client,
    huawei: huawei_as::Client,
}

fn config(url: &str) -> Config {
    Config::builder()
        .region(REGION)
        .endpoint_url(url)
        .aws_credentials(AwsCredentials::new(AWS_ACCESS_KEY, AWS_SECRET_KEY, None))
        .huawei_credentials(HuaweiCredentials::new(HUAWEI_AK, HUAWEI_SK, HUAWEI_PROJECT))
        .retry(RetryConfig {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
        })
        .attempt_timeout(Some(Duration::from_secs(5)))
        .max_response_bytes(CAP)
        .build()
}

/// What a call ended with, reduced to what the property checks.
#[derive(Debug)]
enum Outcome {
    Ok,
    /// Service error: its code.
    Service(String),
    /// Transport, timeout or unreadable answer: its text (read through `Debug` in failure messages).
    #[allow(dead_code)]
    Other(String),
}

/// Checks the error's accessors and Display (none may panic) and reduces it.
fn outcome<O, E: ServiceError>(result: Result<O, Error<E>>) -> Result<Outcome, TestCaseError> {
    let err = match result {
        Ok(_) => return Ok(Outcome::Ok),
        Err(e) => e,
    };
    let text = err.to_string();
    let _ = (err.code(), err.message(), err.http_status(), err.request_id(), err.is_retryable(), format!("{err:?}"));
    match err {
        Error::Service(e) => Ok(Outcome::Service(e.meta().code.clone())),
        Error::Transport(_) | Error::Timeout { .. } | Error::Response { .. } => Ok(Outcome::Other(text)),
        other => Err(TestCaseError::fail(format!("unexpected error kind for a valid input: {other}"))),
    }
}

async fn call(clients: &Clients, op: Op) -> Result<Outcome, TestCaseError> {
    match op {
        Op::PutLifecycleHook => outcome(
            clients.autoscaling.put_lifecycle_hook(autoscaling::PutLifecycleHookInput::new("my-asg", "my-hook")).await,
        ),
        Op::ListHookResults => outcome(
            clients
                .cloudformation
                .list_hook_results(
                    cloudformation::ListHookResultsInput::new()
                        .target_type(cloudformation::ListHookResultsTargetType::ChangeSet)
                        .target_id("arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/0a1b"),
                )
                .await,
        ),
        Op::PutLifecycleEventHookExecutionStatus => outcome(
            clients
                .codedeploy
                .put_lifecycle_event_hook_execution_status(
                    codedeploy::PutLifecycleEventHookExecutionStatusInput::new()
                        .deployment_id("d-A1B2C3D4E")
                        .lifecycle_event_hook_execution_id("eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0=")
                        .status(codedeploy::LifecycleEventStatus::Succeeded),
                )
                .await,
        ),
        Op::SendWorkflowStepState => outcome(
            clients
                .transfer
                .send_workflow_step_state(transfer::SendWorkflowStepStateInput::new(
                    "w-0123456789abcdefg",
                    "0123abcd-0000-1111-2222-333344445555",
                    "token_from_the_step",
                    transfer::CustomStepStatus::Success,
                ))
                .await,
        ),
        Op::CallbackLifecycleHook => outcome(
            clients
                .huawei
                .callback_lifecycle_hook(huawei_as::CallbackLifecycleHookInput::new(
                    "e5d27f5c-dd76-4a61-b4bc-a67c5686719a",
                    huawei_as::LifecycleActionResult::Abandon,
                    huawei_as::CallbackTarget::by_action_key("23880867-6288-4470-98a8-f8bda096b6c4"),
                ))
                .await,
        ),
    }
}

/// Runs `cases()` hostile answers derived from `vector` against `op`.
fn fuzz(op: Op, vector: Vector, what: &str) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = rt.block_on(ChaosServer::start());
    let url = server.url();
    let clients = Clients {
        autoscaling: autoscaling::Client::new(config(&url)).unwrap(),
        cloudformation: cloudformation::Client::new(config(&url)).unwrap(),
        codedeploy: codedeploy::Client::new(config(&url)).unwrap(),
        transfer: transfer::Client::new(config(&url)).unwrap(),
        huawei: huawei_as::Client::new(config(&url)).unwrap(),
    };
    let expected_code = vector.code.clone();
    let mut runner =
        TestRunner::new(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() });
    runner
        .run(&answer(vector), |answer| {
            server.set_reply(answer.to_reply());
            let result =
                rt.block_on(async { tokio::time::timeout(CALL_BOUND, call(&clients, op)).await }).map_err(|_| {
                    TestCaseError::fail(format!("{} ({what}): no result within {CALL_BOUND:?}", op.name()))
                })??;
            if answer.pristine {
                match (&expected_code, &result) {
                    (None, Outcome::Ok) => {}
                    (Some(code), Outcome::Service(got)) if code == got => {}
                    _ => {
                        return Err(TestCaseError::fail(format!(
                            "{} ({what}): the untouched vector gave {result:?}, expected {expected_code:?}",
                            op.name()
                        )));
                    }
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{} ({what}): {e}", op.name()));
    assert!(server.requests() > 0);
}

#[test]
fn success_answers_mutated() {
    for op in OPS {
        let (success, _) = op.vectors();
        fuzz(op, success, "success vector");
    }
}

#[test]
fn error_answers_mutated() {
    for op in OPS {
        let (_, error) = op.vectors();
        fuzz(op, error, "error vector");
    }
}

/// Edge-case timestamps in every `InvokedAt` of the ListHookResults answer:
/// either read, or a `Response` error. Found the `to_offset` panic below.
#[test]
fn edge_case_timestamps_in_answers() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = rt.block_on(ChaosServer::start());
    let client = cloudformation::Client::new(config(&server.url())).unwrap();
    let (success, _) = Op::ListHookResults.vectors();
    let mut runner =
        TestRunner::new(ProptestConfig { cases: cases() * 4, failure_persistence: None, ..ProptestConfig::default() });
    runner
        .run(&(timestamp(), timestamp()), |(first, second)| {
            let mut body = success.body.clone();
            apply(&mut body, &Mutation::Timestamp(first));
            apply(&mut body, &Mutation::Timestamp(second));
            let reply = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len());
            server.set_reply(RawReply { bytes: [reply.as_bytes(), &body].concat(), close: false });
            let input = cloudformation::ListHookResultsInput::new()
                .target_type(cloudformation::ListHookResultsTargetType::ChangeSet)
                .target_id("x");
            let call = async { tokio::time::timeout(CALL_BOUND, client.list_hook_results(input)).await };
            match rt.block_on(call).map_err(|_| TestCaseError::fail("no result in time"))? {
                Ok(out) => prop_assert_eq!(out.hook_results.map(|r| r.len()), Some(2)),
                Err(Error::Response { http_status: 200, .. }) => {}
                Err(other) => return Err(TestCaseError::fail(format!("unexpected {other}"))),
            }
            Ok(())
        })
        .unwrap();
}

/// Regression: a timestamp whose UTC form is past year 9999 panicked in the
/// runtime's `DateTime::parse_iso8601` (called by the generated XML reader).
#[test]
fn out_of_range_timestamp_in_an_answer_is_a_response_error() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = rt.block_on(ChaosServer::start());
    let body = "<ListHookResultsResponse><ListHookResultsResult><HookResults><member>\
                <InvokedAt>9999-12-31T23:59:59-01:00</InvokedAt></member></HookResults>\
                </ListHookResultsResult></ListHookResultsResponse>";
    server.set_reply(RawReply {
        bytes: format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}", body.len()).into_bytes(),
        close: false,
    });
    let client = cloudformation::Client::new(config(&server.url())).unwrap();
    let input = cloudformation::ListHookResultsInput::new()
        .target_type(cloudformation::ListHookResultsTargetType::ChangeSet)
        .target_id("x");
    let err = rt.block_on(client.list_hook_results(input)).unwrap_err();
    assert!(matches!(err, Error::Response { http_status: 200, .. }), "{err}");
    assert!(err.to_string().contains("out of range"), "{err}");
}

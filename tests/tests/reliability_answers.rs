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
//! Every answer that reaches a parser whole (framing intact, a real status
//! line, no framing headers injected) is also given to the peers' own
//! handling of the same operation (`tests/oracle/answer_oracle.py`): botocore's
//! response parser for the AWS operations, huaweicloudsdkcore's
//! `DefaultExceptionHandler` for Huawei's. Where the peer produces a result,
//! ours must be the same typed value (output, error code, message, request
//! id); every case where the two differ is one of the kinds listed in
//! [`Verdict`], each with the reason ours is right, and the counts of each
//! kind are printed (`--nocapture`) and asserted to be non-zero where expected.
//!
//! Cases per target (10 targets: 5 operations x success/error vector):
//! `RELIABILITY_CASES` (default 48; 0 or a typo is refused). The generator's
//! seed is fixed (`RELIABILITY_SEED` picks another). The long run
//! (RELIABILITY.md) uses 100,000.

use std::collections::BTreeMap;
use std::time::Duration;

use lifecycle_hooks::runtime::{AwsCredentials, Config, Error, HuaweiCredentials, RetryConfig, ServiceError};
use lifecycle_hooks::{autoscaling, cloudformation, codedeploy, huawei_as, transfer};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};
use serde_json::Value;
use serde_json::json;
use tests::support::base64;
use tests::support::chaos_http::{ChaosServer, RawReply};
use tests::support::python::JsonLines;
use tests::support::reference::{
    AWS_ACCESS_KEY, AWS_SECRET_KEY, HUAWEI_AK, HUAWEI_PROJECT, HUAWEI_SK, REGION, reference_json, str_of,
};

fn cases() -> u32 {
    match std::env::var("RELIABILITY_CASES") {
        Err(_) => 48,
        Ok(v) => match v.trim().parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => panic!("RELIABILITY_CASES={v:?}: expected a whole number of cases, at least 1"),
        },
    }
}

fn seed() -> u64 {
    match std::env::var("RELIABILITY_SEED") {
        Err(_) => 0x5EED_0015_2026_1201,
        Ok(v) => v.trim().parse().unwrap_or_else(|_| panic!("RELIABILITY_SEED={v:?}: expected a whole number")),
    }
}

fn proptest_config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, rng_seed: RngSeed::Fixed(seed()), ..ProptestConfig::default() }
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
    let vectors = file["response_vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 2, "{name}: a success and an error vector");
    vectors
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
    let canned = file["e2e_asclient_on_loopback"].as_array().unwrap();
    assert_eq!(canned.len(), 5, "the Huawei SDK's canned answers");
    canned
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

/// The vector exactly as stored: status, headers and body, exact length.
fn pristine(vector: &Vector) -> Answer {
    Answer {
        pristine: true,
        status_line: format!("HTTP/1.1 {} Whatever", vector.status).into_bytes(),
        status: vector.status,
        headers: vector.headers.iter().map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec())).collect(),
        body: vector.body.clone(),
        framing: Framing::Exact,
    }
}

fn answer(vector: Vector) -> impl Strategy<Value = Answer> {
    let pristine = pristine(&vector);
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

/// What a call ended with, reduced to what the property and the peers' comparison check.
#[derive(Debug)]
enum Outcome {
    /// The output as JSON (the API's member names; `serde`), and its request id.
    Ok(Value, Option<String>),
    /// A service error, modeled or not.
    Service { code: String, message: Option<String>, request_id: Option<String>, status: u16 },
    /// A success status whose body could not be read (`Error::Response`): its message.
    Unreadable(String),
    /// Transport or timeout: its text.
    Other(String),
}

/// Longest message of an `Error::Response`: a reader's reason with the path of
/// the member (cut) and the value it could not read (cut at 64 characters).
const MAX_RESPONSE_MESSAGE: usize = 512;

/// Checks the error's accessors and Display (none may panic) and reduces it.
fn outcome_of_error<E: ServiceError>(err: Error<E>) -> Result<Outcome, TestCaseError> {
    let text = err.to_string();
    let _ = (err.code(), err.message(), err.http_status(), err.request_id(), err.is_retryable(), format!("{err:?}"));
    match err {
        Error::Service(e) => {
            let meta = e.meta();
            Ok(Outcome::Service {
                code: meta.code.clone(),
                message: meta.message.clone(),
                request_id: meta.request_id.clone(),
                status: meta.http_status,
            })
        }
        Error::Response { message, .. } => {
            if message.len() > MAX_RESPONSE_MESSAGE {
                return Err(TestCaseError::fail(format!(
                    "a response error of {} bytes: {message:.300}",
                    message.len()
                )));
            }
            Ok(Outcome::Unreadable(message))
        }
        Error::Transport(_) | Error::Timeout { .. } => Ok(Outcome::Other(text)),
        other => Err(TestCaseError::fail(format!("unexpected error kind for a valid input: {other}"))),
    }
}

/// The outcome of a generated call: the output with its request id, or the error reduced.
macro_rules! outcome {
    ($call:expr) => {
        match $call {
            Ok(out) => Ok(Outcome::Ok(serde_json::to_value(&out).unwrap(), out.request_id().map(str::to_owned))),
            Err(e) => outcome_of_error(e),
        }
    };
}

async fn call(clients: &Clients, op: Op) -> Result<Outcome, TestCaseError> {
    match op {
        Op::PutLifecycleHook => {
            outcome!(
                clients
                    .autoscaling
                    .put_lifecycle_hook(autoscaling::PutLifecycleHookInput::new("my-asg", "my-hook"))
                    .await
            )
        }
        Op::ListHookResults => outcome!(
            clients
                .cloudformation
                .list_hook_results(
                    cloudformation::ListHookResultsInput::new()
                        .target_type(cloudformation::ListHookResultsTargetType::ChangeSet)
                        .target_id("arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/0a1b"),
                )
                .await
        ),
        Op::PutLifecycleEventHookExecutionStatus => outcome!(
            clients
                .codedeploy
                .put_lifecycle_event_hook_execution_status(
                    codedeploy::PutLifecycleEventHookExecutionStatusInput::new()
                        .deployment_id("d-A1B2C3D4E")
                        .lifecycle_event_hook_execution_id("eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0=")
                        .status(codedeploy::LifecycleEventStatus::Succeeded),
                )
                .await
        ),
        Op::SendWorkflowStepState => outcome!(
            clients
                .transfer
                .send_workflow_step_state(transfer::SendWorkflowStepStateInput::new(
                    "w-0123456789abcdefg",
                    "0123abcd-0000-1111-2222-333344445555",
                    "token_from_the_step",
                    transfer::CustomStepStatus::Success,
                ))
                .await
        ),
        Op::CallbackLifecycleHook => outcome!(
            clients
                .huawei
                .callback_lifecycle_hook(huawei_as::CallbackLifecycleHookInput::new(
                    "e5d27f5c-dd76-4a61-b4bc-a67c5686719a",
                    huawei_as::LifecycleActionResult::Abandon,
                    huawei_as::CallbackTarget::by_action_key("23880867-6288-4470-98a8-f8bda096b6c4"),
                ))
                .await
        ),
    }
}

// ---------------------------------------------------------------------------
// The peers' handling of the same answers.

/// How an answer's outcome compares with the peer's, each kind with why ours is right where they differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Verdict {
    /// Not given to the peer: the framing was broken (cut, lying lengths,
    /// chunked in HTTP/1.0 or after 204/304), the status line was not one, or
    /// framing headers were injected, or the status is 1xx: no whole answer
    /// reached a parser, on either side.
    NotAnAnswer,
    /// Over the client's cap (256 KiB here): ours stops reading (`BodyTooLarge`);
    /// botocore has no cap.
    OverTheCap,
    /// Status 300: botocore parses it as a success (its error branch starts at
    /// 301), then its client raises a `ClientError` without a code; ours reads
    /// the error envelope of every status that is not 2xx.
    Status300,
    /// hyper refused the answer's head, which holds a header RFC 9110 forbids
    /// (a name that is not a token, a control character in a value: checked
    /// here independently); http.client takes it.
    HttpRefused,
    /// A timestamp that is not RFC 3339 (checked here by a grammar of our
    /// own: an empty fraction, month 13, hour 24, an offset of +24:00, ...),
    /// which botocore's dateutil reads as some instant anyway: the model says
    /// `date-time`, so ours refuses the answer (`Error::Response`) rather than
    /// guess.
    OursRefusesLooseTimestamp,
    /// An RFC 3339 timestamp whose instant in UTC is past year 9999
    /// (`9999-12-31T23:59:59-01:00`): ours keeps instants in UTC, within
    /// years 0 to 9999, and refuses the answer; botocore keeps the local date
    /// and its offset.
    OursRefusesPastYear9999,
    /// The same output, request id included (or the same success for Huawei).
    SameOutput,
    /// Both refused a success answer.
    BothRefused,
    /// A success status whose awsJson body is not a JSON object: botocore reads
    /// it as an empty output, ours is an `Error::Response` (status kept, not
    /// retried): the answer broke the protocol, and an empty output would be a
    /// guess.
    OursRefusesNonJsonSuccess,
    /// botocore raised on a success answer that ours read: its JSON parser
    /// decodes the whole body as strict UTF-8 first (ours reads JSON as bytes,
    /// and only the members it needs must be UTF-8), or Python's `datetime`
    /// cannot hold the timestamp (years 0, or past 9999 in UTC).
    OursReadsWhatBotocoreRaisesOn,
    /// An operation whose output has no members (PutLifecycleHook): ours takes
    /// the 2xx as done without reading the body, as botocore's JSON parser does
    /// for the awsJson ones; botocore's query parser raises `KeyError` on a
    /// body without the result wrapper, after the hook was put.
    EmptyOutputNotRead,
    /// The same error code, message and request id.
    SameError,
    /// awsJson error codes: ours follows Smithy's rules (`X-Amzn-ErrorType`,
    /// then the body's `code`, then `__type`); botocore reads `__type` only.
    /// They agree whenever neither the header nor `code` says otherwise.
    SmithyErrorCode,
    /// A message not in the envelope: ours keeps the first 1024 bytes (a bounded
    /// error), the peer the whole body (or, for awsQuery, the status's reason
    /// phrase); they agree on what ours kept.
    BoundedMessage,
    /// botocore raised on an error answer that ours read as a typed error: its
    /// strict UTF-8 decoding of the whole JSON body, nesting past Python's
    /// recursion limit (ours reads in place, without recursion), a JSON error
    /// body that is not an object (`AttributeError`: botocore calls `.get` on
    /// a list), or an awsQuery error body
    /// that is not XML below status 500 (`ResponseParserError`). Ours gives the
    /// unmodeled error coded by the status with the body's beginning as its
    /// message, as botocore's own generic path does for 5xx.
    OursReadsErrorBotocoreRaisesOn,
    /// An error answer that names no code: botocore has none (its client then
    /// says `Unknown`) and no message; ours is coded by the status, as
    /// documented, with the body's beginning as its message. Huawei: JSON
    /// nested past Python's recursion limit makes the SDK's reader raise, and
    /// the SDK then gives no code (and `ServerResponseException` even for a
    /// 4xx); ours, reading in place, finds no pair within 16 levels and codes
    /// the error by its status.
    StatusAsCode,
    /// A 5xx whose body is empty or an HTML page: botocore's generic path
    /// gives the status as the code and the reason phrase as the message, and
    /// drops the request id and any `X-Amzn-ErrorType`; ours has the same code
    /// (or, for awsJson, the one `X-Amzn-ErrorType` names, as Smithy's rule
    /// says), keeps the request id and the body's beginning (none for an
    /// empty body).
    GenericError5xx,
    /// awsQuery: an `Error` element that is not a child of the root (a bare
    /// `<Error>` root, as S3 writes it, or one nested deeper): ours finds it
    /// wherever it is and reads its `Code`; botocore's query parser looks only
    /// below the root (or in `Errors`) and has no code.
    ErrorElementElsewhere,
    /// awsQuery: `Error` elements inside one another: ours reads the first in
    /// document order, botocore the root's child; when only one of them has a
    /// `Code`, they differ. No AWS answer nests them.
    NestedErrorElements,
    /// The answer repeats a header ours reads (a request id): urllib3 joins the
    /// values with ", ", ours takes the first (RFC 9110 section 5.3 joins
    /// only list-valued fields, and a request id is not a list).
    RepeatedHeader,
    /// A Huawei error body with bytes outside ASCII and no charset in its
    /// `Content-Type`: requests guesses a charset for the SDK
    /// (charset_normalizer), even for valid UTF-8 (`{"code":"éé"}` came out as
    /// `챕챕`), and the SDK reads whatever the guess makes of the bytes. Ours
    /// reads JSON as UTF-8 (RFC 8259 section 8.1): the code as written, or, for
    /// a body that is not UTF-8, no pair, the status as the code and the body's
    /// lossy beginning as the message.
    HuaweiSdkGuessesCharset,
    /// A request id header with bytes outside ASCII: http.client decodes it as
    /// ISO-8859-1 (and strips what Python counts as white space), ours lossily
    /// as UTF-8; RFC 9110 calls such bytes obs-text, and real request ids are ASCII.
    NonAsciiHeader,
    /// A request id header of spaces or tabs around its value: RFC 9110
    /// section 5.5 leaves surrounding white space out of a field value, as
    /// hyper does; http.client keeps some of it.
    HeaderWhitespace,
    /// An awsQuery element that should hold text holds child elements too
    /// (mixed content): botocore (ElementTree's `.text`) keeps the text before
    /// the first child, ours all of the element's own text, which begins with it.
    MixedContent,
    /// An awsQuery answer without a `RequestId` in its body: ours falls back to
    /// the `x-amzn-RequestId` header (which the query services send as well);
    /// botocore reads the body only.
    QueryRequestIdFromHeader,
    /// A Huawei pair nested deeper than 16 objects: ours stops searching there
    /// (a bound on the work a hostile body can cause) and codes the error by
    /// its status; the SDK searches down to Python's recursion limit.
    HuaweiDepthLimit,
    /// 3xx for Huawei: the SDK raises only from 400; ours takes only 2xx as
    /// success (a redirect is not a callback that landed).
    HuaweiBelow400,
}

struct Peers {
    oracle: JsonLines,
    tally: BTreeMap<Verdict, u64>,
}

impl Peers {
    fn start() -> Peers {
        Peers { oracle: JsonLines::spawn("answer_oracle.py", Duration::from_secs(60)), tally: BTreeMap::new() }
    }

    fn count(&mut self, verdict: Verdict) {
        *self.tally.entry(verdict).or_default() += 1;
    }

    fn total(&self) -> u64 {
        self.tally.values().sum()
    }

    fn of(&self, verdict: Verdict) -> u64 {
        self.tally.get(&verdict).copied().unwrap_or(0)
    }
}

/// The status the client saw, from the status line as sent (`None`: not a status line hyper reads).
fn wire_status(line: &[u8]) -> Option<u16> {
    let rest = line.strip_prefix(b"HTTP/1.1 ").or_else(|| line.strip_prefix(b"HTTP/1.0 "))?;
    let digits = rest.get(..3)?;
    if !digits.iter().all(u8::is_ascii_digit) || !matches!(rest.get(3), None | Some(b' ')) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// How deep JSON objects nest in `body`, counting braces outside strings.
fn object_depth(body: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in body {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, _, b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// RFC 9110 section 5: a field name is a token; a value holds visible
/// characters, spaces, tabs and obs-text (0x80..=0xff), no other control.
fn rfc9110_field(name: &[u8], value: &[u8]) -> bool {
    let tchar = |c: &u8| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(c);
    !name.is_empty() && name.iter().all(tchar) && value.iter().all(|&c| c == b'\t' || c >= 0x20 && c != 0x7f)
}

fn is_framing_header(name: &[u8]) -> bool {
    let name = String::from_utf8_lossy(name).trim().to_ascii_lowercase();
    matches!(name.as_str(), "content-length" | "transfer-encoding" | "connection" | "content-encoding")
}

/// Microseconds since the epoch of one of our timestamps (as serde writes it), cut as Python's `datetime` is.
fn micros(text: &str) -> Option<i128> {
    let nanos = lifecycle_hooks::runtime::DateTime::parse_iso8601(text).ok()?.unix_timestamp_nanos();
    Some(nanos.div_euclid(1000))
}

/// botocore's parsed output against ours, guided by botocore's tags (`$ts`).
fn same_value(theirs: &Value, ours: &Value, path: &str) -> Result<(), String> {
    match (theirs, ours) {
        (Value::Object(t), _) if t.len() == 1 && t.contains_key("$ts") => {
            let ours_micros = ours.as_str().and_then(micros);
            if ours_micros == t["$ts"].as_i64().map(i128::from) {
                Ok(())
            } else {
                Err(format!("{path}: timestamp {ours} is not botocore's {}", t["$ts"]))
            }
        }
        (Value::Object(t), Value::Object(o)) => {
            let (tk, ok): (Vec<_>, Vec<_>) = (t.keys().collect(), o.keys().collect());
            let mut sorted = (tk.clone(), ok.clone());
            sorted.0.sort();
            sorted.1.sort();
            if sorted.0 != sorted.1 {
                return Err(format!("{path}: members {:?} (botocore) and {:?} (ours)", sorted.0, sorted.1));
            }
            for k in tk {
                same_value(&t[k], &o[k], &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(t), Value::Array(o)) if t.len() == o.len() => {
            for (i, (a, b)) in t.iter().zip(o).enumerate() {
                same_value(a, b, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (t, o) if t == o => Ok(()),
        (t, o) => Err(format!("{path}: {t} (botocore) and {o} (ours)")),
    }
}

/// RFC 3339's `date-time` (section 5.6), with its ranges (section 5.7; a leap
/// second 60 allowed), written here independently of the runtime's reader.
fn rfc3339(text: &str) -> bool {
    let b = text.as_bytes();
    let num = |from: usize, to: usize| -> Option<u32> {
        let d = b.get(from..to)?;
        if !d.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(d).ok()?.parse().ok()
    };
    let fields = (|| {
        let (y, mo, d, h, mi, s) = (num(0, 4)?, num(5, 7)?, num(8, 10)?, num(11, 13)?, num(14, 16)?, num(17, 19)?);
        let shaped = b[4] == b'-' && b[7] == b'-' && matches!(b[10], b'T' | b't') && b[13] == b':' && b[16] == b':';
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        let valid = (1..=12).contains(&mo) && d >= 1 && d <= days[mo as usize - 1] && h <= 23 && mi <= 59 && s <= 60;
        Some(shaped && valid)
    })();
    if fields != Some(true) {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) => {
            (h1 - b'0') * 10 + (h2 - b'0') <= 23 && (m1 - b'0') * 10 + (m2 - b'0') <= 59
        }
        _ => false,
    }
}

/// The documented snippet of a body that is not an envelope (see `protocol::snippet`).
fn snippet(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&body[..body.len().min(1024)]);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(if body.len() > 1024 { format!("{text}…") } else { text.to_owned() })
}

/// Why the request ids may differ, if the answer gives a reason: the header is
/// repeated (urllib3 joins), holds bytes outside ASCII (decoded differently),
/// or, for awsQuery, the body's `RequestId` element holds child elements.
fn request_id_difference(
    answer: &Answer,
    op: Op,
    header: &str,
    theirs: &Option<String>,
    ours: &Option<String>,
) -> Option<Verdict> {
    if joined_header(answer, header, theirs, ours) {
        return Some(Verdict::RepeatedHeader);
    }
    let xml = matches!(op, Op::PutLifecycleHook | Op::ListHookResults);
    if !xml {
        let mut values = answer.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(header.as_bytes()));
        if values.any(|(_, v)| !v.is_ascii()) {
            return Some(Verdict::NonAsciiHeader);
        }
        let trim = |v: &Option<String>| v.as_deref().map(|v| v.trim_matches([' ', '\t']).to_owned());
        if trim(theirs) == trim(ours) {
            return Some(Verdict::HeaderWhitespace);
        }
    }
    let first_header = answer
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(header.as_bytes()))
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned());
    match (theirs, ours) {
        (Some(t), Some(o)) if xml && o.starts_with(t.as_str()) => Some(Verdict::MixedContent),
        (None, Some(o)) if xml && first_header.as_deref() == Some(o.as_str()) => {
            Some(Verdict::QueryRequestIdFromHeader)
        }
        _ => None,
    }
}

/// Whether `theirs` (joined by urllib3) is `ours` (the first value) of a header the answer repeats.
fn joined_header(answer: &Answer, name: &str, theirs: &Option<String>, ours: &Option<String>) -> bool {
    let repeated = answer.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name.as_bytes())).count() > 1;
    repeated && matches!((theirs, ours), (Some(t), Some(o)) if t.starts_with(&format!("{o}, ")))
}

/// Gives the answer to the peer and compares; returns what kind of agreement it was.
fn compare(peers: &mut Peers, op: Op, answer: &Answer, ours: &Outcome) -> Result<Verdict, String> {
    let status = match wire_status(&answer.status_line) {
        Some(s)
            if !matches!(answer.framing, Framing::Cut(_) | Framing::LengthLonger(_) | Framing::LengthShorter(_)) =>
        {
            s
        }
        _ => return Ok(Verdict::NotAnAnswer),
    };
    let no_body = status == 204 || status == 304;
    if answer.headers.iter().any(|(k, _)| is_framing_header(k))
        || status < 200
        || (no_body && matches!(answer.framing, Framing::Chunked(_)))
        // RFC 9112 section 6.1: chunked framing in an HTTP/1.0 message is faulty framing.
        || (answer.status_line.starts_with(b"HTTP/1.0") && matches!(answer.framing, Framing::Chunked(_)))
    {
        return Ok(Verdict::NotAnAnswer);
    }
    // HTTP gives 204 and 304 no body: what follows the head is not read, by either client.
    let body: &[u8] = if no_body { b"" } else { &answer.body };
    if let Outcome::Other(text) = ours
        && !(body.len() > CAP && text.contains("larger than the limit"))
    {
        // The whole answer was sent, well framed: only hyper's own checks of the head can refuse it.
        let forbidden = answer.headers.iter().any(|(k, v)| !rfc9110_field(k, v));
        return if forbidden && text.contains("invalid HTTP header parsed") {
            Ok(Verdict::HttpRefused)
        } else {
            Err(format!("a whole answer with valid headers gave {text}"))
        };
    }
    if body.len() > CAP {
        return match ours {
            Outcome::Other(text) if text.contains("larger than the limit") => Ok(Verdict::OverTheCap),
            other => Err(format!("a body over the cap gave {other:?}")),
        };
    }
    if status == 300 {
        return match ours {
            Outcome::Service { .. } => Ok(Verdict::Status300),
            other => Err(format!("status 300 gave {other:?}")),
        };
    }
    let headers: Vec<Value> =
        answer.headers.iter().map(|(k, v)| json!([base64::encode(k), base64::encode(v)])).collect();
    let request = json!({
        "peer": if op == Op::CallbackLifecycleHook { "huawei" } else { "botocore" },
        "operation": op.name(),
        "status": status,
        "headers": headers,
        "body_b64": base64::encode(body),
    });
    let theirs = peers.oracle.ask(&request);
    let kind = theirs["kind"].as_str().unwrap_or_default();
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let json_protocol = matches!(op, Op::PutLifecycleEventHookExecutionStatus | Op::SendWorkflowStepState);
    if !json_protocol && ["request_id", "code", "message"].iter().any(|k| theirs[*k].is_object()) {
        // ElementTree made a structure of an element holding elements: nothing to compare it with.
        return Ok(Verdict::MixedContent);
    }
    if op == Op::CallbackLifecycleHook {
        return match (kind, ours) {
            ("success", Outcome::Ok(..)) => Ok(Verdict::SameOutput),
            ("success", Outcome::Service { .. }) if (300..400).contains(&status) => Ok(Verdict::HuaweiBelow400),
            ("error", Outcome::Service { code, message, status: s, .. })
                if theirs["code"].is_null() && *code == s.to_string() && *message == snippet(body) =>
            {
                Ok(Verdict::StatusAsCode)
            }
            ("error", Outcome::Service { code, status: s, .. })
                if *code == s.to_string() && object_depth(body) > 16 =>
            {
                Ok(Verdict::HuaweiDepthLimit)
            }
            ("error", Outcome::Service { code, message, status: s, .. })
                if std::str::from_utf8(body).is_err() && *code == s.to_string() && *message == snippet(body) =>
            {
                Ok(Verdict::HuaweiSdkGuessesCharset)
            }
            ("error", Outcome::Service { code, .. })
                if !body.is_ascii()
                    && !answer.headers.iter().any(|(k, v)| {
                        k.eq_ignore_ascii_case(b"content-type")
                            && v.to_ascii_lowercase().windows(8).any(|w| w == b"charset=")
                    })
                    && std::str::from_utf8(body).is_ok_and(|b| b.contains(code.as_str()))
                    && text(&theirs["code"]).as_ref() != Some(code) =>
            {
                Ok(Verdict::HuaweiSdkGuessesCharset)
            }
            ("error", Outcome::Service { code, message, request_id, status: s }) => {
                if theirs["status"] != *s || text(&theirs["code"]).as_ref() != Some(code) {
                    return Err(format!("Huawei SDK {theirs} against ours {ours:?}"));
                }
                let their_id = text(&theirs["request_id"]);
                if their_id != *request_id {
                    if let Some(v) = request_id_difference(answer, op, "x-request-id", &their_id, request_id) {
                        return Ok(v);
                    }
                    return Err(format!("request id: Huawei SDK {theirs} against ours {ours:?}"));
                }
                let sdk_message = text(&theirs["message"]);
                if sdk_message == *message {
                    Ok(Verdict::SameError)
                } else if *message == snippet(body) {
                    Ok(Verdict::BoundedMessage)
                } else {
                    Err(format!("message: Huawei SDK {theirs} against ours {ours:?}"))
                }
            }
            _ => Err(format!("Huawei SDK {theirs} against ours {ours:?}")),
        };
    }
    match (kind, ours) {
        ("success", Outcome::Ok(value, request_id)) => {
            same_value(&theirs["output"], value, "output")?;
            let their_id = text(&theirs["request_id"]);
            if their_id != *request_id {
                if let Some(v) = request_id_difference(answer, op, "x-amzn-requestid", &their_id, request_id) {
                    return Ok(v);
                }
                return Err(format!("request id: botocore {} against ours {request_id:?}", theirs["request_id"]));
            }
            Ok(Verdict::SameOutput)
        }
        ("success", Outcome::Unreadable(_))
            if json_protocol && !serde_json::from_slice::<Value>(body).is_ok_and(|v| v.is_object()) =>
        {
            Ok(Verdict::OursRefusesNonJsonSuccess)
        }
        ("success", Outcome::Unreadable(message)) if message.starts_with("invalid timestamp \"") => {
            let quoted = message["invalid timestamp \"".len()..].split('"').next().unwrap_or_default();
            if !rfc3339(quoted) {
                Ok(Verdict::OursRefusesLooseTimestamp)
            } else if message.ends_with("out of range in UTC") {
                Ok(Verdict::OursRefusesPastYear9999)
            } else {
                Err(format!("ours refused the RFC 3339 timestamp {quoted:?}: {message}"))
            }
        }
        ("raised", Outcome::Unreadable(_)) => Ok(Verdict::BothRefused),
        ("raised", Outcome::Ok(value, _))
            if value.as_object().is_some_and(|o| o.is_empty())
                && theirs["exception"].as_str().is_some_and(|e| e.starts_with("KeyError")) =>
        {
            Ok(Verdict::EmptyOutputNotRead)
        }
        ("raised", Outcome::Ok(..)) => {
            let exception = theirs["exception"].as_str().unwrap_or_default();
            if exception.starts_with("UnicodeDecodeError") || exception.contains("year") {
                Ok(Verdict::OursReadsWhatBotocoreRaisesOn)
            } else {
                Err(format!("botocore raised {exception:?}; ours read {ours:?}"))
            }
        }
        ("raised", Outcome::Service { code, message, .. })
            if theirs["exception"].as_str().is_some_and(|e| {
                ["UnicodeDecodeError", "RecursionError", "AttributeError"].iter().any(|p| e.starts_with(p))
            }) || (*code == status.to_string() && *message == snippet(body)) =>
        {
            Ok(Verdict::OursReadsErrorBotocoreRaisesOn)
        }
        ("error", Outcome::Service { code, message, .. })
            if status >= 500
                && (body.trim_ascii().is_empty() || body.trim_ascii().starts_with(b"<html>"))
                && text(&theirs["code"]) == Some(status.to_string())
                && (*code == status.to_string() || (json_protocol && error_type_header(answer).as_ref() == Some(code)))
                && *message == snippet(body) =>
        {
            Ok(Verdict::GenericError5xx)
        }
        ("error", Outcome::Service { code, message, request_id, .. }) => {
            let their_id = text(&theirs["request_id"]);
            if their_id != *request_id {
                if let Some(v) = request_id_difference(answer, op, "x-amzn-requestid", &their_id, request_id) {
                    return Ok(v);
                }
                return Err(format!("request id: botocore {theirs} against ours {ours:?}"));
            }
            let their_code = text(&theirs["code"]).filter(|c| !c.is_empty());
            if their_code.is_none() && *code == status.to_string() && *message == snippet(body) {
                return Ok(Verdict::StatusAsCode);
            }
            let error_elements = body.windows(6).filter(|w| *w == b"<Error").count();
            let has_code = body.windows(6).any(|w| w == b"<Code>");
            if !json_protocol && has_code && error_elements > 0 {
                if their_code.is_none() && *code != status.to_string() {
                    return Ok(Verdict::ErrorElementElsewhere);
                }
                if error_elements > 1 && their_code.as_ref() != Some(code) {
                    return Ok(Verdict::NestedErrorElements);
                }
            }
            let their_message = text(&theirs["message"]).filter(|m| !m.is_empty());
            let same_message = their_message == *message;
            let bounded = !same_message && *message == snippet(body);
            if !same_message && !bounded {
                return Err(format!("message: botocore {theirs} against ours {ours:?}"));
            }
            if text(&theirs["code"]).as_ref() == Some(code) {
                return Ok(if same_message { Verdict::SameError } else { Verdict::BoundedMessage });
            }
            // awsJson: the header or the body's `code` decided ours.
            let says_otherwise = answer.headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(b"x-amzn-errortype"))
                || serde_json::from_slice::<Value>(body).is_ok_and(|v| v.get("code").is_some());
            if json_protocol && says_otherwise {
                Ok(Verdict::SmithyErrorCode)
            } else {
                Err(format!("code: botocore {theirs} against ours {ours:?}"))
            }
        }
        _ => Err(format!("botocore {theirs} against ours {ours:?}")),
    }
}

/// The error type an awsJson answer's `X-Amzn-ErrorType` header names, as ours reads it
/// (before a `:`, after a `namespace#`, trimmed).
fn error_type_header(answer: &Answer) -> Option<String> {
    let (_, v) = answer.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(b"x-amzn-errortype"))?;
    let v = String::from_utf8_lossy(v);
    let v = v.split(':').next().unwrap_or_default();
    Some(v.split_once('#').map_or(v, |(_, name)| name).trim().to_owned())
}

/// The clients and the server of one target, on one runtime.
struct Rig {
    rt: tokio::runtime::Runtime,
    server: ChaosServer,
    clients: Clients,
}

impl Rig {
    fn new() -> Rig {
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
        Rig { rt, server, clients }
    }

    fn answer(&self, op: Op, answer: &Answer) -> Result<Outcome, TestCaseError> {
        self.server.set_reply(answer.to_reply());
        self.rt
            .block_on(async { tokio::time::timeout(CALL_BOUND, call(&self.clients, op)).await })
            .map_err(|_| TestCaseError::fail(format!("{}: no result within {CALL_BOUND:?}", op.name())))?
    }
}

/// The untouched vector first (its exact outcome checks the harness), then
/// `cases()` hostile answers derived from it, each compared with the peer's
/// handling of the same bytes.
fn fuzz(op: Op, vector: Vector, what: &str, peers: &mut Peers) {
    let rig = Rig::new();
    let expected_code = vector.code.clone();
    let pristine = pristine(&vector);
    let strategy = answer(vector);
    let result = rig.answer(op, &pristine).unwrap_or_else(|e| panic!("{} ({what}): {e}", op.name()));
    match (&expected_code, &result) {
        (None, Outcome::Ok(..)) => {}
        (Some(code), Outcome::Service { code: got, .. }) if code == got => {}
        _ => panic!("{} ({what}): the untouched vector gave {result:?}, expected {expected_code:?}", op.name()),
    }
    let verdict = compare(peers, op, &pristine, &result).unwrap_or_else(|e| panic!("{} untouched: {e}", op.name()));
    assert!(matches!(verdict, Verdict::SameOutput | Verdict::SameError), "{} untouched: {verdict:?}", op.name());
    peers.count(verdict);

    let ran = std::cell::Cell::new(0u32);
    let peers = std::cell::RefCell::new(peers);
    let mut runner = TestRunner::new(proptest_config(cases()));
    runner
        .run(&strategy, |answer| {
            ran.set(ran.get() + 1);
            let result = rig.answer(op, &answer)?;
            let mut peers = peers.borrow_mut();
            let verdict = compare(&mut peers, op, &answer, &result)
                .map_err(|e| TestCaseError::fail(format!("{} ({what}) against the peer: {e}", op.name())))?;
            peers.count(verdict);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{} ({what}): {e}", op.name()));
    assert_eq!(ran.get(), cases(), "{} ({what}): cases run", op.name());
    assert!(rig.server.requests() > u64::from(cases()), "{} ({what}): the server saw every call", op.name());
}

fn report(name: &str, peers: &Peers) {
    println!("{name}: {} answers compared with the peers", peers.total());
    for (verdict, n) in &peers.tally {
        println!("  {verdict:?}: {n}");
    }
}

#[test]
fn success_answers_mutated() {
    let mut peers = Peers::start();
    for op in OPS {
        let (success, _) = op.vectors();
        fuzz(op, success, "success vector", &mut peers);
    }
    report("success_answers_mutated", &peers);
    assert_eq!(peers.total(), 5 * (u64::from(cases()) + 1));
    // The comparison compared: most answers reached a parser whole, and most of those agreed.
    assert!(peers.of(Verdict::SameOutput) >= 5, "{:?}", peers.tally);
}

#[test]
fn error_answers_mutated() {
    let mut peers = Peers::start();
    for op in OPS {
        let (_, error) = op.vectors();
        fuzz(op, error, "error vector", &mut peers);
    }
    report("error_answers_mutated", &peers);
    assert_eq!(peers.total(), 5 * (u64::from(cases()) + 1));
    assert!(peers.of(Verdict::SameError) >= 5, "{:?}", peers.tally);
}

/// Edge-case timestamps in every `InvokedAt` of the ListHookResults answer:
/// either read, or a `Response` error; and botocore's parser on the same
/// bytes gives the same instant, or refuses too. Found the `to_offset` panic below.
#[test]
fn edge_case_timestamps_in_answers() {
    let rig = Rig::new();
    let mut peers = Peers::start();
    let (success, _) = Op::ListHookResults.vectors();
    let ran = std::cell::Cell::new(0u32);
    let peers_cell = std::cell::RefCell::new(&mut peers);
    let mut runner = TestRunner::new(proptest_config(cases() * 4));
    runner
        .run(&(timestamp(), timestamp()), |(first, second)| {
            ran.set(ran.get() + 1);
            let mut body = success.body.clone();
            apply(&mut body, &Mutation::Timestamp(first));
            apply(&mut body, &Mutation::Timestamp(second));
            let answer = Answer {
                pristine: false,
                status_line: b"HTTP/1.1 200 OK".to_vec(),
                status: 200,
                headers: Vec::new(),
                body,
                framing: Framing::Exact,
            };
            let result = rig.answer(Op::ListHookResults, &answer)?;
            match &result {
                Outcome::Ok(out, _) => prop_assert_eq!(out["HookResults"].as_array().map(Vec::len), Some(2)),
                Outcome::Unreadable(_) => {}
                other => return Err(TestCaseError::fail(format!("unexpected {other:?}"))),
            }
            let mut peers = peers_cell.borrow_mut();
            let verdict = compare(&mut peers, Op::ListHookResults, &answer, &result)
                .map_err(|e| TestCaseError::fail(format!("against botocore: {e}")))?;
            peers.count(verdict);
            Ok(())
        })
        .unwrap();
    assert_eq!(ran.get(), cases() * 4);
    report("edge_case_timestamps_in_answers", &peers);
    assert_eq!(peers.total(), u64::from(cases()) * 4);
    assert!(peers.of(Verdict::SameOutput) > 0 && peers.of(Verdict::BothRefused) > 0, "{:?}", peers.tally);
}

/// `RELIABILITY_CASES=0` (or a typo) stops the run instead of passing with nothing checked.
#[test]
fn a_case_count_of_0_is_refused() {
    for bad in ["0", "", "many"] {
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "edge_case_timestamps_in_answers", "--test-threads=1"])
            .env("RELIABILITY_CASES", bad)
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(!output.status.success(), "RELIABILITY_CASES={bad:?} passed:\n{text}");
        assert!(text.contains("expected a whole number of cases, at least 1"), "RELIABILITY_CASES={bad:?}:\n{text}");
    }
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

/// The runtime's three error-envelope readers on the kinds of bodies
/// `runtime/tests/reliability_parsers.rs` builds (the vectors mutated and
/// spliced, random bytes and text, deep nesting, large strings), each against
/// its peer on the same bytes: botocore's query parser (`aws_query`, through
/// PutLifecycleHook), its JSON parser (`aws_json`, through SendWorkflowStepState)
/// and the Huawei SDK's handler (`huawei`). Error statuses only: these readers
/// are what every generated error reader starts from.
#[test]
fn envelope_readers_against_the_peers() {
    use lifecycle_hooks::runtime::Response;
    use lifecycle_hooks::runtime::protocol::{aws_json, aws_query, huawei};
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for op in OPS {
        let (success, error) = op.vectors();
        seeds.extend([success.body, error.body]);
    }
    seeds.extend(huawei_vectors().into_iter().map(|v| v.body));
    assert_eq!(seeds.len(), 15, "the 10 answers of the targets and the 5 Huawei answers");
    let nested = (0usize..4, 1usize..3000, any::<bool>()).prop_map(|(kind, depth, closed)| {
        let (open, close, inner) = [
            ("[", "]", "1"),
            ("{\"a\":", "}", "1"),
            ("{\"error\":", "}", "{\"code\":\"C\",\"message\":\"M\"}"),
            ("<Error>", "</Error>", "<Code>C</Code>"),
        ][kind];
        let mut s = open.repeat(depth);
        if closed {
            s.push_str(inner);
            s.push_str(&close.repeat(depth));
        }
        s.into_bytes()
    });
    let large = (0usize..3, 1usize..60_000).prop_map(|(kind, n)| {
        let big = "é".repeat(n);
        match kind {
            0 => format!(r#"{{"__type":"{big}","message":"{big}"}}"#),
            1 => format!(r#"{{"error":{{"code":"{big}","message":"{big}"}}}}"#),
            _ => format!("<ErrorResponse><Error><Code>{big}</Code><Message>{big}</Message></Error></ErrorResponse>"),
        }
        .into_bytes()
    });
    let mutated =
        (prop::sample::select(seeds.clone()), prop::collection::vec(mutation(), 0..8)).prop_map(|(mut b, ms)| {
            for m in &ms {
                apply(&mut b, m);
            }
            b
        });
    let spliced = (prop::sample::select(seeds.clone()), prop::sample::select(seeds), any::<prop::sample::Index>())
        .prop_map(|(a, b, i)| {
            let cut = i.index(a.len() + 1);
            [&a[..cut], &b[b.len() - b.len().min(a.len() - cut)..]].concat()
        });
    let body = prop_oneof![
        6 => mutated,
        2 => spliced,
        2 => prop::collection::vec(any::<u8>(), 0..512),
        1 => "(?s).{0,256}".prop_map(String::into_bytes),
        1 => nested,
        1 => large,
    ];
    let target = prop::sample::select(vec![Op::PutLifecycleHook, Op::SendWorkflowStepState, Op::CallbackLifecycleHook]);
    let headers = prop::collection::vec((header_name(), header_value()), 0..4);
    let mut peers = Peers::start();
    let ran = std::cell::Cell::new(0u32);
    let peers_cell = std::cell::RefCell::new(&mut peers);
    TestRunner::new(proptest_config(cases() * 4))
        .run(
            &(target, (301u16..600).prop_filter("304 has no body", |s| *s != 304), headers, body),
            |(op, status, headers, body)| {
                ran.set(ran.get() + 1);
                // What hyper would let through, as it gives it: valid fields, values without surrounding white space.
                let headers: Vec<(Vec<u8>, Vec<u8>)> = headers
                    .into_iter()
                    .filter(|(k, v)| rfc9110_field(k, v) && !is_framing_header(k))
                    .map(|(k, v)| (k, v.trim_ascii().to_vec()))
                    .collect();
                let response = Response {
                    status,
                    headers: headers
                        .iter()
                        .map(|(k, v)| {
                            (String::from_utf8_lossy(k).to_ascii_lowercase(), String::from_utf8_lossy(v).into_owned())
                        })
                        .collect(),
                    body: body.clone(),
                };
                let meta = match op {
                    Op::PutLifecycleHook => aws_query::error_meta(&response),
                    Op::SendWorkflowStepState => aws_json::error_meta(&response),
                    _ => huawei::error_meta(&response),
                };
                let ours = Outcome::Service {
                    code: meta.code,
                    message: meta.message,
                    request_id: meta.request_id,
                    status: meta.http_status,
                };
                let answer = Answer {
                    pristine: false,
                    status_line: format!("HTTP/1.1 {status} X").into_bytes(),
                    status,
                    headers,
                    body,
                    framing: Framing::Exact,
                };
                let mut peers = peers_cell.borrow_mut();
                let verdict = compare(&mut peers, op, &answer, &ours)
                    .map_err(|e| TestCaseError::fail(format!("{} envelope against the peer: {e}", op.name())))?;
                peers.count(verdict);
                Ok(())
            },
        )
        .unwrap();
    assert_eq!(ran.get(), cases() * 4);
    report("envelope_readers_against_the_peers", &peers);
    assert_eq!(peers.total(), u64::from(cases()) * 4);
    assert!(peers.of(Verdict::SameError) > 0, "{:?}", peers.tally);
}

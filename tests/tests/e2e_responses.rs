//! Answers and errors of the four AWS operations, through the generated
//! clients' real calls: a loopback HTTP/1.1 server of our own
//! (`tests::support::http`) answers each request with a scripted status,
//! headers and body, and the typed result is checked.
//!
//! Covered: every `response_vectors` entry of the four AWS vector files (what
//! botocore makes of them is the expectation), empty bodies, moto's HTML 500
//! page, truncated bodies, a 5xx followed by a success (the retry is seen on
//! the server), and the awsJson error type taken from `X-Amzn-Errortype`, the
//! body's `code` or `__type` (Smithy's rules, which botocore does not follow:
//! WIRE.md C7).

use std::fmt::Debug;
use std::time::Duration;

use lifecycle_hooks::runtime::{AwsCredentials, Config, DateTime, Error, RetryConfig, ServiceError, TransportErrorKind};
use lifecycle_hooks::{autoscaling, cloudformation, codedeploy, transfer};
use serde_json::Value;
use tests::support::http::{Received, Reply, Server};
use tests::support::reference::{AWS_ACCESS_KEY, AWS_SECRET_KEY, REGION, reference_json, str_of};

const REQUEST_ID: &str = "c0ffee00-1111-2222-3333-444455556666";

/// moto 5.2.1's answer to an operation it does not implement (WIRE.md §E).
const MOTO_500_PAGE: &str = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n";

fn config(server: &Server) -> Config {
    Config::builder()
        .region(REGION)
        .endpoint_url(server.url())
        .aws_credentials(AwsCredentials::new(AWS_ACCESS_KEY, AWS_SECRET_KEY, None))
        .retry(RetryConfig::disabled())
        .attempt_timeout(Some(Duration::from_secs(10)))
        .build()
}

fn fast_retries() -> RetryConfig {
    RetryConfig { max_attempts: 3, initial_backoff: Duration::from_millis(1), max_backoff: Duration::from_millis(5) }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    PutLifecycleHook,
    ListHookResults,
    PutLifecycleEventHookExecutionStatus,
    SendWorkflowStepState,
}

const ALL_OPS: [Op; 4] =
    [Op::PutLifecycleHook, Op::ListHookResults, Op::PutLifecycleEventHookExecutionStatus, Op::SendWorkflowStepState];

impl Op {
    fn from_name(name: &str) -> Op {
        *ALL_OPS.iter().find(|op| op.name() == name).unwrap_or_else(|| panic!("unknown operation {name}"))
    }

    fn name(self) -> &'static str {
        match self {
            Op::PutLifecycleHook => "PutLifecycleHook",
            Op::ListHookResults => "ListHookResults",
            Op::PutLifecycleEventHookExecutionStatus => "PutLifecycleEventHookExecutionStatus",
            Op::SendWorkflowStepState => "SendWorkflowStepState",
        }
    }

    fn is_json(self) -> bool {
        matches!(self, Op::PutLifecycleEventHookExecutionStatus | Op::SendWorkflowStepState)
    }

    /// Calls the operation with a valid input; the outcome, normalized.
    async fn call(self, config: Config) -> Outcome {
        match self {
            Op::PutLifecycleHook => outcome(put_lifecycle_hook(config).await),
            Op::ListHookResults => outcome(list_hook_results(config).await),
            Op::PutLifecycleEventHookExecutionStatus => outcome(put_lifecycle_event_hook_execution_status(config).await),
            Op::SendWorkflowStepState => outcome(send_workflow_step_state(config).await),
        }
    }
}

async fn put_lifecycle_hook(
    config: Config,
) -> Result<autoscaling::PutLifecycleHookOutput, Error<autoscaling::PutLifecycleHookError>> {
    let client = autoscaling::Client::new(config).unwrap();
    client.put_lifecycle_hook(autoscaling::PutLifecycleHookInput::new("my-asg", "my-launch-hook")).await
}

async fn list_hook_results(
    config: Config,
) -> Result<cloudformation::ListHookResultsOutput, Error<cloudformation::ListHookResultsError>> {
    let client = cloudformation::Client::new(config).unwrap();
    let input = cloudformation::ListHookResultsInput::new()
        .target_type(cloudformation::ListHookResultsTargetType::Stack)
        .target_id("arn:aws:cloudformation:us-east-1:123456789012:stack/my-stack/0a1b2c3d-4e5f-6789-abcd-ef0123456789");
    client.list_hook_results(input).await
}

async fn put_lifecycle_event_hook_execution_status(
    config: Config,
) -> Result<
    codedeploy::PutLifecycleEventHookExecutionStatusOutput,
    Error<codedeploy::PutLifecycleEventHookExecutionStatusError>,
> {
    let client = codedeploy::Client::new(config).unwrap();
    let input = codedeploy::PutLifecycleEventHookExecutionStatusInput::new()
        .deployment_id("d-A1B2C3D4E")
        .lifecycle_event_hook_execution_id("eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0=")
        .status(codedeploy::LifecycleEventStatus::Succeeded);
    client.put_lifecycle_event_hook_execution_status(input).await
}

async fn send_workflow_step_state(
    config: Config,
) -> Result<transfer::SendWorkflowStepStateOutput, Error<transfer::SendWorkflowStepStateError>> {
    let client = transfer::Client::new(config).unwrap();
    let input = transfer::SendWorkflowStepStateInput::new(
        "w-0123456789abcdef0",
        "01234567-89ab-cdef-0123-456789abcdef",
        "MzUwMDUxYjgtNmUxZi00YmFjLThjZDItYTQ0NWU2ODY1YzBl",
        transfer::CustomStepStatus::Success,
    );
    client.send_workflow_step_state(input).await
}

/// What a call came to, whatever the operation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    /// `Ok`, the service error's variant (`Unhandled`, `LimitExceededFault`, ...),
    /// or `Response` / `Transport(Io)` / ... for the other kinds of failure.
    kind: String,
    code: Option<String>,
    message: Option<String>,
    http_status: Option<u16>,
    request_id: Option<String>,
    retryable: bool,
    throttling: bool,
}

/// The variant's name from the derived `Debug` (`Name(...)`).
fn variant_name(e: &impl Debug) -> String {
    let text = format!("{e:?}");
    text.split(['(', ' ', '{']).next().unwrap_or_default().to_owned()
}

fn outcome<O, E: ServiceError + Debug>(result: Result<O, Error<E>>) -> Outcome {
    let err = match result {
        Ok(_) => {
            return Outcome {
                kind: "Ok".into(),
                code: None,
                message: None,
                http_status: None,
                request_id: None,
                retryable: false,
                throttling: false,
            };
        }
        Err(e) => e,
    };
    let kind = match &err {
        Error::Service(_) => variant_name(err.as_service_error().unwrap()),
        Error::Transport(t) => format!("Transport({:?})", t.kind),
        other => variant_name(other),
    };
    let service = err.as_service_error();
    Outcome {
        kind,
        code: service.map(|e| e.meta().code.clone()),
        message: service.and_then(|e| e.meta().message.clone()),
        http_status: err.http_status(),
        request_id: err.request_id().map(str::to_owned),
        retryable: err.is_retryable(),
        throttling: service.is_some_and(|e| e.is_throttling()),
    }
}

fn reply_from_vector(vector: &Value) -> Reply {
    let mut reply = Reply::new(vector["status_code"].as_u64().unwrap() as u16).body(str_of(vector, "body"));
    for (k, v) in vector["headers"].as_object().unwrap() {
        reply = reply.header(k, v.as_str().unwrap());
    }
    reply
}

/// The request reached the server once, as the operation it is.
fn assert_one_request(server: &Server, op: Op) -> Received {
    let received = server.received();
    assert_eq!(received.len(), 1, "{op:?}: {received:?}");
    let r = received.into_iter().next().unwrap();
    assert_eq!((r.method.as_str(), r.target.as_str()), ("POST", "/"), "{op:?}");
    if op.is_json() {
        assert!(r.header("X-Amz-Target").unwrap_or_default().ends_with(&format!(".{}", op.name())), "{r:?}");
    } else {
        assert!(String::from_utf8_lossy(&r.body).starts_with(&format!("Action={}&", op.name())), "{r:?}");
    }
    assert!(r.header("Authorization").is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256 ")), "{r:?}");
    r
}

// ---------------------------------------------------------------- vectors

fn opt_str(v: &Value) -> Option<&str> {
    v.as_str()
}

fn check_hook_result(got: &cloudformation::HookResultSummary, want: &Value) {
    assert_eq!(got.hook_result_id.as_deref(), opt_str(&want["HookResultId"]));
    assert_eq!(got.invocation_point.as_ref().map(|v| v.as_str()), opt_str(&want["InvocationPoint"]));
    assert_eq!(got.failure_mode.as_ref().map(|v| v.as_str()), opt_str(&want["FailureMode"]));
    assert_eq!(got.type_name.as_deref(), opt_str(&want["TypeName"]));
    assert_eq!(got.type_version_id.as_deref(), opt_str(&want["TypeVersionId"]));
    assert_eq!(got.type_configuration_version_id.as_deref(), opt_str(&want["TypeConfigurationVersionId"]));
    assert_eq!(got.status.as_ref().map(|v| v.as_str()), opt_str(&want["Status"]));
    assert_eq!(got.hook_status_reason.as_deref(), opt_str(&want["HookStatusReason"]));
    assert_eq!(got.target_type.as_ref().map(|v| v.as_str()), opt_str(&want["TargetType"]));
    assert_eq!(got.target_id.as_deref(), opt_str(&want["TargetId"]));
    assert_eq!(got.type_arn.as_deref(), opt_str(&want["TypeArn"]));
    assert_eq!(got.hook_execution_target.as_deref(), opt_str(&want["HookExecutionTarget"]));
    let invoked = want["InvokedAt"]["$datetime"].as_str().map(|t| DateTime::parse_iso8601(t).unwrap());
    assert_eq!(got.invoked_at, invoked);
    if let Some(t) = got.invoked_at {
        assert_ne!(t.unix_timestamp_nanos() % 1_000_000_000, 0, "fractions of a second are kept");
    }
}

/// A success vector's `result` against the typed output.
async fn check_success(op: Op, config: Config, result: &Value) {
    match op {
        Op::PutLifecycleHook => {
            put_lifecycle_hook(config).await.unwrap();
        }
        Op::ListHookResults => {
            let out = list_hook_results(config).await.unwrap();
            assert_eq!(out.target_type.as_ref().map(|v| v.as_str()), opt_str(&result["TargetType"]));
            assert_eq!(out.target_id.as_deref(), opt_str(&result["TargetId"]));
            assert_eq!(out.next_token.as_deref(), opt_str(&result["NextToken"]));
            let want = result["HookResults"].as_array().unwrap();
            let got = out.hook_results.as_deref().unwrap_or_default();
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(want) {
                check_hook_result(g, w);
            }
        }
        Op::PutLifecycleEventHookExecutionStatus => {
            let out = put_lifecycle_event_hook_execution_status(config).await.unwrap();
            assert_eq!(out.lifecycle_event_hook_execution_id.as_deref(), opt_str(&result["lifecycleEventHookExecutionId"]));
        }
        Op::SendWorkflowStepState => {
            send_workflow_step_state(config).await.unwrap();
        }
    }
}

/// Modeled members botocore merges into the error response, as the typed error carries them.
async fn check_error_members(op: Op, config: Config, response: &Value) {
    if op == Op::SendWorkflowStepState && response.get("Resource").is_some() {
        let err = send_workflow_step_state(config).await.unwrap_err();
        match err.as_service_error() {
            Some(transfer::SendWorkflowStepStateError::ResourceNotFoundException(e)) => {
                assert_eq!(e.message.as_deref(), opt_str(&response["Message"]));
                assert_eq!(e.resource.as_deref(), opt_str(&response["Resource"]));
                assert_eq!(e.resource_type.as_deref(), opt_str(&response["ResourceType"]));
            }
            other => panic!("expected ResourceNotFoundException, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn every_response_vector_through_the_real_call() {
    let mut checked = 0;
    for file in ["PutLifecycleHook", "ListHookResults", "PutLifecycleEventHookExecutionStatus", "SendWorkflowStepState"] {
        let op = Op::from_name(file);
        let vectors = reference_json(&format!("vectors/{file}.vectors.json"));
        for vector in vectors["response_vectors"].as_array().unwrap() {
            let id = format!("{file}/{}", str_of(vector, "id"));
            let expected = &vector["expected_client_result"];
            let server = Server::start(vec![reply_from_vector(vector); 3]).await;
            let got = op.call(config(&server)).await;
            assert_one_request(&server, op);
            if expected["outcome"] == "success" {
                assert_eq!(got.kind, "Ok", "{id}: {got:?}");
                check_success(op, config(&server), &expected["result"]).await;
            } else {
                let response = &expected["response"];
                assert_eq!(got.kind, str_of(expected, "exception_class"), "{id}");
                assert_eq!(got.code.as_deref(), response["Error"]["Code"].as_str(), "{id}");
                assert_eq!(got.message.as_deref(), response["Error"]["Message"].as_str(), "{id}");
                assert_eq!(got.http_status, vector["status_code"].as_u64().map(|s| s as u16), "{id}");
                assert_eq!(got.request_id.as_deref(), response["ResponseMetadata"]["RequestId"].as_str(), "{id}");
                check_error_members(op, config(&server), response).await;
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 8, "every response vector of the four AWS files");
}

// ---------------------------------------------------------------- odd bodies

#[tokio::test]
async fn empty_bodies() {
    for op in ALL_OPS {
        // Success with nothing in it: fine for awsJson (an output with no
        // members), unreadable for awsQuery (no XML; botocore raises
        // ResponseParserError too). The request id survives either way.
        let server = Server::start(vec![Reply::new(200).header("x-amzn-RequestId", REQUEST_ID)]).await;
        let got = op.call(config(&server)).await;
        if op.is_json() {
            assert_eq!(got.kind, "Ok", "{op:?}: {got:?}");
        } else {
            assert_eq!(got.kind, "Response", "{op:?}: {got:?}");
            assert_eq!((got.http_status, got.request_id.as_deref()), (Some(200), Some(REQUEST_ID)), "{op:?}");
            assert!(!got.retryable);
        }

        for status in [400, 403, 404, 500, 503] {
            let server = Server::start(vec![Reply::new(status).header("x-amzn-RequestId", REQUEST_ID)]).await;
            let got = op.call(config(&server)).await;
            let expected = Outcome {
                kind: "Unhandled".into(),
                code: Some(status.to_string()),
                message: None,
                http_status: Some(status),
                request_id: Some(REQUEST_ID.into()),
                retryable: status >= 500,
                throttling: false,
            };
            assert_eq!(got, expected, "{op:?} {status}");
            assert_one_request(&server, op);
        }
    }
}

#[tokio::test]
async fn the_moto_html_500_page_is_an_unhandled_500() {
    for op in ALL_OPS {
        for body in [MOTO_500_PAGE, "<html><body>Internal Server Error</body></html>"] {
            let reply = Reply::new(500)
                .header("Content-Type", "text/html; charset=utf-8")
                .header("x-amzn-RequestId", REQUEST_ID)
                .body(body);
            let server = Server::start(vec![reply]).await;
            let got = op.call(config(&server)).await;
            assert_eq!(got.kind, "Unhandled", "{op:?}: {got:?}");
            assert_eq!(got.code.as_deref(), Some("500"), "{op:?}");
            assert_eq!(got.http_status, Some(500), "{op:?}");
            assert_eq!(got.request_id.as_deref(), Some(REQUEST_ID), "{op:?}");
            assert!(got.message.as_deref().unwrap_or_default().contains("Internal Server Error"), "{op:?}: {got:?}");
            assert!(got.retryable, "{op:?}");
        }
    }
}

/// Bodies cut short: on the wire (the connection closes before the announced
/// length) or in their syntax (a complete answer holding half a document).
#[tokio::test]
async fn truncated_bodies() {
    let success_json = r#"{"lifecycleEventHookExecutionId":"eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0="}"#;
    let success_xml = reference_json("vectors/ListHookResults.vectors.json")["response_vectors"][0]["body"]
        .as_str()
        .unwrap()
        .to_owned();

    // On the wire: a transport error (retryable), not a parse of half a body.
    for op in ALL_OPS {
        let body = if op.is_json() { success_json.to_owned() } else { success_xml.clone() };
        let reply = Reply::new(200).header("x-amzn-RequestId", REQUEST_ID).body(body).truncated_at(20);
        let server = Server::start(vec![reply]).await;
        let got = op.call(config(&server)).await;
        assert_eq!(got.kind, "Transport(Io)", "{op:?}: {got:?}");
        assert!(got.retryable, "{op:?}");
        assert_one_request(&server, op);
    }
    // The same for an error answer cut short.
    let reply = Reply::new(400).body(r#"{"__type":"DeploymentDoesNotExistException"}"#).truncated_at(10);
    let server = Server::start(vec![reply]).await;
    let got = Op::PutLifecycleEventHookExecutionStatus.call(config(&server)).await;
    assert_eq!(got.kind, "Transport(Io)", "{got:?}");

    // In the syntax, on success: the answer cannot be read.
    let cases = [
        (Op::ListHookResults, success_xml[..success_xml.len() / 2].to_owned()),
        (Op::PutLifecycleHook, "<PutLifecycleHookResponse><PutLifecycleHookResult/>".to_owned()),
        (Op::PutLifecycleEventHookExecutionStatus, success_json[..30].to_owned()),
        (Op::SendWorkflowStepState, "{".to_owned()),
    ];
    for (op, body) in cases {
        let server = Server::start(vec![Reply::new(200).header("x-amzn-RequestId", REQUEST_ID).body(body)]).await;
        let got = op.call(config(&server)).await;
        assert_eq!(got.kind, "Response", "{op:?}: {got:?}");
        assert_eq!((got.http_status, got.request_id.as_deref()), (Some(200), Some(REQUEST_ID)), "{op:?}");
    }

    // In the syntax, on error: the status is the code, the text the message.
    let cases = [
        (Op::PutLifecycleHook, "<ErrorResponse><Error><Type>Sender</Type><Code>LimitExceeded</Co"),
        (Op::ListHookResults, "<ErrorResponse><Error><Code>HookResultNotFound</Code>"),
        (Op::PutLifecycleEventHookExecutionStatus, r#"{"__type":"DeploymentDoesNotExistException","mess"#),
        (Op::SendWorkflowStepState, r#"{"__type":"ResourceNotFoundExcep"#),
    ];
    for (op, body) in cases {
        let server = Server::start(vec![Reply::new(400).header("x-amzn-RequestId", REQUEST_ID).body(body)]).await;
        let got = op.call(config(&server)).await;
        assert_eq!((got.kind.as_str(), got.code.as_deref()), ("Unhandled", Some("400")), "{op:?}: {got:?}");
        assert_eq!(got.message.as_deref(), Some(body), "{op:?}");
        assert_eq!(got.request_id.as_deref(), Some(REQUEST_ID), "{op:?}");
    }
}

/// `TransportErrorKind::Io` is "the connection broke while sending or
/// receiving": a server that hangs up without answering, and a body that ends
/// before its `Content-Length` (reqwest calls the latter a decode error).
#[tokio::test]
async fn a_body_cut_short_on_the_wire_is_an_io_error() {
    let server = Server::start(vec![Reply::hang_up()]).await;
    let err = put_lifecycle_event_hook_execution_status(config(&server)).await.unwrap_err();
    assert!(matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::Io), "hang-up: {err:?}");

    let reply = Reply::new(200).header("x-amzn-RequestId", REQUEST_ID).body(r#"{"lifecycleEventHookExecutionId":"x"}"#).truncated_at(5);
    let server = Server::start(vec![reply]).await;
    let err = put_lifecycle_event_hook_execution_status(config(&server)).await.unwrap_err();
    assert!(matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::Io), "cut short: {err:?}");
}

// ---------------------------------------------------------------- retries

fn success_reply(op: Op) -> Reply {
    let body = match op {
        Op::PutLifecycleHook => reference_json("vectors/PutLifecycleHook.vectors.json")["response_vectors"][0]["body"].clone(),
        Op::ListHookResults => reference_json("vectors/ListHookResults.vectors.json")["response_vectors"][0]["body"].clone(),
        Op::PutLifecycleEventHookExecutionStatus => Value::from(r#"{"lifecycleEventHookExecutionId":"x"}"#),
        Op::SendWorkflowStepState => Value::from("{}"),
    };
    Reply::new(200).header("x-amzn-RequestId", REQUEST_ID).body(body.as_str().unwrap())
}

/// A 503 (the service did not handle the request), then success: the client
/// tries again by itself and succeeds; the server saw both attempts, each
/// complete and signed. An answer that may mean the request was applied (500,
/// 502, a hang-up, a body cut short) is retried only for an idempotent
/// operation (ListHookResults, a read); the three callbacks are sent once.
#[tokio::test]
async fn a_5xx_then_success_is_retried_when_that_is_safe() {
    for op in ALL_OPS {
        let idempotent = matches!(op, Op::ListHookResults);
        for (first, refused) in [
            (Reply::new(503).body("Service Unavailable"), true),
            (Reply::new(500).header("Content-Type", "text/html; charset=utf-8").body(MOTO_500_PAGE), false),
            (Reply::new(502), false),
            (Reply::hang_up(), false),
            (Reply::new(200).body(if op.is_json() { "{\"lifecycle" } else { "<Put" }).truncated_at(3), false),
        ] {
            let server = Server::start(vec![first.clone(), success_reply(op)]).await;
            let got = op.call(config(&server).into_builder().retry(fast_retries()).build()).await;
            let retried = refused || idempotent;
            assert_eq!(got.kind == "Ok", retried, "{op:?} after {first:?}: {got:?}");
            let received = server.received();
            assert_eq!(received.len(), if retried { 2 } else { 1 }, "{op:?} after {first:?}");
            assert_eq!(received[0].body, received.last().unwrap().body, "the same request again");
            for r in &received {
                assert!(r.header("Authorization").is_some() && r.header("X-Amz-Date").is_some(), "{r:?}");
            }
        }
    }
}

/// Retries stop: a client error is not retried, a persistent 5xx only up to
/// max_attempts, and the last answer is the error reported.
#[tokio::test]
async fn retries_are_bounded_and_client_errors_are_final() {
    let limit = r#"<ErrorResponse><Error><Type>Sender</Type><Code>LimitExceeded</Code><Message>m</Message></Error><RequestId>r1</RequestId></ErrorResponse>"#;
    let server = Server::start(vec![Reply::new(400).body(limit), success_reply(Op::PutLifecycleHook)]).await;
    let got = Op::PutLifecycleHook.call(config(&server).into_builder().retry(fast_retries()).build()).await;
    assert_eq!((got.kind.as_str(), got.request_id.as_deref()), ("LimitExceededFault", Some("r1")));
    assert_eq!(server.received().len(), 1, "a client error is final");

    let server = Server::start(vec![Reply::new(503); 5]).await;
    let got = Op::SendWorkflowStepState.call(config(&server).into_builder().retry(fast_retries()).build()).await;
    assert_eq!((got.kind.as_str(), got.http_status), ("Unhandled", Some(503)));
    assert_eq!(server.received().len(), 3, "max_attempts");

    // ResourceContention is HTTP 500 with senderFault: modeled, and retryable.
    let contention = r#"<ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><Error><Type>Sender</Type><Code>ResourceContention</Code><Message>busy</Message></Error><RequestId>r2</RequestId></ErrorResponse>"#;
    let server = Server::start(vec![Reply::new(500).body(contention), success_reply(Op::PutLifecycleHook)]).await;
    let got = Op::PutLifecycleHook.call(config(&server).into_builder().retry(fast_retries()).build()).await;
    assert_eq!(got.kind, "Ok");
    assert_eq!(server.received().len(), 2);
    let server = Server::start(vec![Reply::new(500).body(contention)]).await;
    let got = Op::PutLifecycleHook.call(config(&server)).await;
    let expected = Outcome {
        kind: "ResourceContentionFault".into(),
        code: Some("ResourceContention".into()),
        message: Some("busy".into()),
        http_status: Some(500),
        request_id: Some("r2".into()),
        retryable: true,
        throttling: false,
    };
    assert_eq!(got, expected);
}

// ---------------------------------------------------------------- error types

fn json_error(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut reply = Reply::new(status)
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("x-amzn-RequestId", REQUEST_ID)
        .body(body);
    for (k, v) in headers {
        reply = reply.header(*k, *v);
    }
    reply
}

async fn json_outcome(op: Op, reply: Reply) -> Outcome {
    let server = Server::start(vec![reply]).await;
    let got = op.call(config(&server)).await;
    assert_one_request(&server, op);
    got
}

/// awsJson error type per the Smithy specification: the `X-Amzn-Errortype`
/// header, else the body's `code`, else its `__type`, without a `namespace#`
/// prefix or a `:...` suffix. botocore reads only `__type` (it would say
/// "400" for the header-only and code-only answers): the specification wins.
#[tokio::test]
async fn aws_json_error_type_from_header_code_or_type() {
    let cd = Op::PutLifecycleEventHookExecutionStatus;
    let cases: Vec<(&str, Reply, &str, Option<&str>)> = vec![
        (
            "header only",
            json_error(400, &[("X-Amzn-Errortype", "DeploymentIdRequiredException")], "{}"),
            "DeploymentIdRequiredException",
            None,
        ),
        (
            "header only, any case, with a :suffix",
            json_error(400, &[("x-amzn-errortype", "InvalidDeploymentIdException:http://internal.amazon.com/coral/com.amazon.coral.validate/")], r#"{"message":"bad id"}"#),
            "InvalidDeploymentIdException",
            Some("bad id"),
        ),
        (
            "body code only",
            json_error(400, &[], r#"{"code":"LifecycleEventAlreadyCompletedException","message":"done"}"#),
            "LifecycleEventAlreadyCompletedException",
            Some("done"),
        ),
        (
            "__type with namespace and suffix",
            json_error(400, &[], r#"{"__type":"com.amazonaws.codedeploy#InvalidLifecycleEventHookExecutionIdException:http://internal.amazon.com/","Message":"Upper"}"#),
            "InvalidLifecycleEventHookExecutionIdException",
            Some("Upper"),
        ),
        (
            "header wins over code and __type",
            json_error(400, &[("X-Amzn-Errortype", "aws.codedeploy#DeploymentDoesNotExistException")], r#"{"code":"InvalidDeploymentIdException","__type":"DeploymentIdRequiredException","message":"m"}"#),
            "DeploymentDoesNotExistException",
            Some("m"),
        ),
        (
            "code wins over __type",
            json_error(400, &[], r#"{"code":"UnsupportedActionForDeploymentTypeException","__type":"DeploymentIdRequiredException"}"#),
            "UnsupportedActionForDeploymentTypeException",
            None,
        ),
        (
            "an empty header does not count",
            json_error(400, &[("X-Amzn-Errortype", "")], r#"{"__type":"InvalidLifecycleEventHookExecutionStatusException","message":"lower","Message":"upper"}"#),
            "InvalidLifecycleEventHookExecutionStatusException",
            Some("lower"),
        ),
    ];
    for (what, reply, variant, message) in cases {
        let got = json_outcome(cd, reply).await;
        assert_eq!(got.kind, variant, "{what}: {got:?}");
        assert_eq!(got.code.as_deref(), Some(variant), "{what}");
        assert_eq!(got.message.as_deref(), message, "{what}");
        assert_eq!((got.http_status, got.request_id.as_deref()), (Some(400), Some(REQUEST_ID)), "{what}");
        assert!(!got.retryable, "{what}");
    }

    // A code of another operation of the service is not this operation's: Unhandled, code kept.
    let got = json_outcome(cd, json_error(400, &[], r#"{"__type":"ThrottlingException","message":"slow down"}"#)).await;
    assert_eq!((got.kind.as_str(), got.code.as_deref()), ("Unhandled", Some("ThrottlingException")));
    assert!(got.throttling && got.retryable, "{got:?}");

    // Transfer: members come along with the variant.
    let tr = Op::SendWorkflowStepState;
    let server = Server::start(vec![json_error(400, &[("X-Amzn-Errortype", "ThrottlingException")], r#"{"RetryAfterSeconds":"5","Message":"slow"}"#)]).await;
    let err = send_workflow_step_state(config(&server)).await.unwrap_err();
    match err.as_service_error() {
        Some(transfer::SendWorkflowStepStateError::ThrottlingException(e)) => {
            assert_eq!(e.retry_after_seconds.as_deref(), Some("5"));
            assert_eq!(e.message(), Some("slow"));
            assert!(e.is_throttling() && e.is_retryable());
        }
        other => panic!("expected ThrottlingException, got {other:?}"),
    }
    let got = json_outcome(tr, json_error(400, &[("X-Amzn-Errortype", "AccessDeniedException")], "")).await;
    assert_eq!((got.kind.as_str(), got.code.as_deref(), got.message.as_deref()), ("AccessDeniedException", Some("AccessDeniedException"), None));
    let got = json_outcome(tr, json_error(500, &[], r#"{"code":"InternalServiceError","Message":"boom"}"#)).await;
    // Not modeled as retryable (neither the page nor botocore says so): the runtime retries it only for a read.
    assert_eq!((got.kind.as_str(), got.message.as_deref(), got.retryable), ("InternalServiceError", Some("boom"), false));
    let got = json_outcome(tr, json_error(400, &[], r#"{"__type":"com.amazonaws.transfer#InvalidRequestException","Message":"no"}"#)).await;
    assert_eq!(got.kind, "InvalidRequestException");
}

/// awsQuery errors: `<Error><Code>` picks the variant (modeled codes of the
/// model's `error` trait, not shape names), request id from `<RequestId>`,
/// else the header; xmlns optional.
#[tokio::test]
async fn aws_query_error_codes() {
    let body = |code: &str, id: &str| {
        format!("<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>msg {code}</Message></Error>{id}</ErrorResponse>")
    };
    let cases = [
        (Op::PutLifecycleHook, 400, "LimitExceeded", "LimitExceededFault", false),
        (Op::PutLifecycleHook, 400, "LimitExceededFault", "Unhandled", false),
        (Op::PutLifecycleHook, 400, "ValidationError", "Unhandled", false),
        (Op::PutLifecycleHook, 400, "Throttling", "Unhandled", true),
        (Op::ListHookResults, 404, "HookResultNotFound", "HookResultNotFoundException", false),
        (Op::ListHookResults, 404, "HookResultNotFoundException", "Unhandled", false),
        (Op::ListHookResults, 500, "InternalFailure", "Unhandled", false),
    ];
    for (op, status, code, variant, throttling) in cases {
        for (id_in_body, header) in [("<RequestId>body-id</RequestId>", None), ("", Some("header-id"))] {
            let mut reply = Reply::new(status).header("Content-Type", "text/xml").body(body(code, id_in_body));
            if let Some(h) = header {
                reply = reply.header("x-amzn-RequestId", h);
            }
            let server = Server::start(vec![reply]).await;
            let got = op.call(config(&server)).await;
            assert_eq!(got.kind, variant, "{op:?} {code}");
            assert_eq!(got.code.as_deref(), Some(code));
            assert_eq!(got.message, Some(format!("msg {code}")));
            assert_eq!(got.http_status, Some(status));
            assert_eq!(got.request_id.as_deref(), Some(header.unwrap_or("body-id")), "{op:?} {code}");
            assert_eq!(got.throttling, throttling, "{op:?} {code}");
        }
    }
}

// ---------------------------------------------------------------- tolerance

/// What a reader must take in its stride, as botocore does: namespace
/// prefixes, unknown elements and fields, empty lists and elements, entities
/// and CDATA, JSON nulls.
#[tokio::test]
async fn answers_with_unknown_and_empty_parts_are_read_like_botocore() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<cfn:ListHookResultsResponse xmlns:cfn="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <cfn:ListHookResultsResult>
    <cfn:Unexpected><Deep>ignored</Deep></cfn:Unexpected>
    <cfn:TargetType>SOMETHING_NEW</cfn:TargetType>
    <cfn:TargetId><![CDATA[arn:aws:x <&>]]></cfn:TargetId>
    <cfn:HookResults>
      <cfn:member>
        <cfn:HookStatusReason>a &amp; b &#233; &#x1F680;</cfn:HookStatusReason>
        <cfn:InvokedAt>2024-11-05T12:34:51Z</cfn:InvokedAt>
        <cfn:Status>HOOK_SOMETHING_ELSE</cfn:Status>
        <cfn:NewField>x</cfn:NewField>
      </cfn:member>
    </cfn:HookResults>
    <cfn:NextToken></cfn:NextToken>
  </cfn:ListHookResultsResult>
  <cfn:ResponseMetadata><cfn:RequestId>rid</cfn:RequestId></cfn:ResponseMetadata>
</cfn:ListHookResultsResponse>"#;
    let server = Server::start(vec![Reply::new(200).header("Content-Type", "text/xml").body(xml)]).await;
    let out = list_hook_results(config(&server)).await.unwrap();
    assert_eq!(out.target_type, Some(cloudformation::ListHookResultsTargetType::from("SOMETHING_NEW")));
    assert_eq!(out.target_type.as_ref().map(|t| t.as_str()), Some("SOMETHING_NEW"), "unknown enum values are kept");
    assert_eq!(out.target_id.as_deref(), Some("arn:aws:x <&>"));
    assert_eq!(out.next_token.as_deref(), Some(""), "an empty element is an empty string (botocore: '')");
    let results = out.hook_results.unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].hook_status_reason.as_deref(), Some("a & b é 🚀"));
    assert_eq!(results[0].status.as_ref().map(|s| s.as_str()), Some("HOOK_SOMETHING_ELSE"));
    assert_eq!(results[0].invoked_at, Some(DateTime::parse_iso8601("2024-11-05T12:34:51Z").unwrap()));
    assert_eq!(results[0].hook_result_id, None);

    let empty = r#"<ListHookResultsResponse><ListHookResultsResult><HookResults/></ListHookResultsResult></ListHookResultsResponse>"#;
    let server = Server::start(vec![Reply::new(200).body(empty)]).await;
    let out = list_hook_results(config(&server)).await.unwrap();
    assert_eq!(out.hook_results, Some(vec![]), "an empty list is an empty list (botocore: [])");
    assert_eq!((out.target_type, out.target_id, out.next_token), (None, None, None));

    for body in [
        r#"{"lifecycleEventHookExecutionId":"x","unknown":{"nested":[1,2,{"a":null}]},"n":1.5e300}"#,
        "  {\"lifecycleEventHookExecutionId\" : \"x\"}\n",
    ] {
        let server = Server::start(vec![Reply::new(200).body(body)]).await;
        let out = put_lifecycle_event_hook_execution_status(config(&server)).await.unwrap();
        assert_eq!(out.lifecycle_event_hook_execution_id.as_deref(), Some("x"), "{body}");
    }
    let server = Server::start(vec![Reply::new(200).body(r#"{"lifecycleEventHookExecutionId":null}"#)]).await;
    let out = put_lifecycle_event_hook_execution_status(config(&server)).await.unwrap();
    assert_eq!(out.lifecycle_event_hook_execution_id, None, "null is absent");
    // Any 2xx is a success for awsJson/awsQuery, as for botocore.
    let server = Server::start(vec![Reply::new(202).body("{}")]).await;
    assert_eq!(Op::SendWorkflowStepState.call(config(&server)).await.kind, "Ok");
}

//! `hookctl` against loopback servers of the project's own
//! (`tests::support::http`): for every operation, a success (the output as
//! JSON on stdout with the API's member names, exit 0) and each kind of
//! failure as JSON on stderr with its exit code: a modeled error and an
//! unmodeled one (4), validation (3, nothing sent), an unreadable success
//! answer, a refused connection and a timeout (5). Retries follow
//! `--max-attempts` (and `AWS_MAX_ATTEMPTS` without it).

use std::net::TcpListener;

use serde_json::{Value, json};
use tests::support::cli::{Output, Run};
use tests::support::http::{Received, Reply, Server};
use tests::support::reference::{HUAWEI_PROJECT, form_pairs};

/// One operation: a valid command line, and answers of its protocol.
struct Op {
    command: Vec<&'static str>,
    /// A success answer and the output hookctl prints for it.
    success: fn() -> Reply,
    output: Value,
    /// A modeled error answer, and its kind, code, status, request id and retryability.
    modeled: fn() -> Reply,
    error: (&'static str, &'static str, u16, Option<&'static str>, bool),
    /// What the request must carry, checked on the received request.
    check: fn(&Received),
}

const QUERY_ERROR: &str = r#"<ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>{id}</RequestId></ErrorResponse>"#;

fn query_error(status: u16, code: &str, message: &str, id: &str) -> Reply {
    let body = QUERY_ERROR.replace("{code}", code).replace("{message}", message).replace("{id}", id);
    Reply::new(status).header("Content-Type", "text/xml").body(body)
}

fn json_reply(status: u16, body: &str) -> Reply {
    Reply::new(status).header("Content-Type", "application/x-amz-json-1.1").header("x-amzn-RequestId", "req-json").body(body.to_owned())
}

fn ops() -> Vec<Op> {
    vec![
        Op {
            command: vec!["autoscaling", "put-lifecycle-hook", "--auto-scaling-group-name", "my-asg", "--lifecycle-hook-name", "my-hook", "--heartbeat-timeout", "300"],
            success: || {
                Reply::new(200).header("Content-Type", "text/xml").body(
                    r#"<PutLifecycleHookResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><PutLifecycleHookResult/><ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata></PutLifecycleHookResponse>"#,
                )
            },
            output: json!({}),
            modeled: || query_error(400, "LimitExceeded", "too many hooks", "req-limit"),
            error: ("LimitExceededFault", "LimitExceeded", 400, Some("req-limit"), false),
            check: |r| {
                let pairs = form_pairs(&r.body);
                assert_eq!(pairs[0], ("Action".to_owned(), "PutLifecycleHook".to_owned()));
                assert!(pairs.contains(&("HeartbeatTimeout".to_owned(), "300".to_owned())), "{pairs:?}");
            },
        },
        Op {
            command: vec!["cloudformation", "list-hook-results", "--target-type", "CHANGE_SET", "--target-id", "arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/1"],
            success: || {
                Reply::new(200).header("Content-Type", "text/xml").body(
                    r#"<ListHookResultsResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ListHookResultsResult><TargetType>CHANGE_SET</TargetType><TargetId>arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/1</TargetId><HookResults><member><InvocationPoint>PRE_PROVISION</InvocationPoint><FailureMode>FAIL</FailureMode><TypeName>My::Org::Hook</TypeName><Status>HOOK_COMPLETE_SUCCEEDED</Status><InvokedAt>2024-01-02T03:04:05.123Z</InvokedAt></member><member><TypeName>My::Other::Hook</TypeName><Status>SOMETHING_NEW</Status></member></HookResults></ListHookResultsResult><ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata></ListHookResultsResponse>"#,
                )
            },
            output: json!({
                "TargetType": "CHANGE_SET",
                "TargetId": "arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/1",
                "HookResults": [
                    {"InvocationPoint": "PRE_PROVISION", "FailureMode": "FAIL", "TypeName": "My::Org::Hook", "Status": "HOOK_COMPLETE_SUCCEEDED", "InvokedAt": "2024-01-02T03:04:05.123Z"},
                    {"TypeName": "My::Other::Hook", "Status": "SOMETHING_NEW"}
                ]
            }),
            modeled: || query_error(404, "HookResultNotFound", "no hooks ran", "req-404"),
            error: ("HookResultNotFoundException", "HookResultNotFound", 404, Some("req-404"), false),
            check: |r| assert!(form_pairs(&r.body).contains(&("TargetType".to_owned(), "CHANGE_SET".to_owned()))),
        },
        Op {
            command: vec!["codedeploy", "put-lifecycle-event-hook-execution-status", "--deployment-id", "d-A1B2C3D4E", "--lifecycle-event-hook-execution-id", "exec-1", "--status", "Succeeded"],
            success: || json_reply(200, r#"{"lifecycleEventHookExecutionId":"exec-1"}"#),
            output: json!({"lifecycleEventHookExecutionId": "exec-1"}),
            modeled: || json_reply(400, r#"{"__type":"DeploymentDoesNotExistException","message":"no such deployment"}"#),
            error: ("DeploymentDoesNotExistException", "DeploymentDoesNotExistException", 400, Some("req-json"), false),
            check: |r| {
                assert_eq!(r.header("X-Amz-Target"), Some("CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus"));
                let body: Value = serde_json::from_slice(&r.body).unwrap();
                assert_eq!(body, json!({"deploymentId": "d-A1B2C3D4E", "lifecycleEventHookExecutionId": "exec-1", "status": "Succeeded"}));
            },
        },
        Op {
            command: vec!["transfer", "send-workflow-step-state", "--workflow-id", "w-0123456789abcdefg", "--execution-id", "0123abcd-0000-1111-2222-333344445555", "--token", "tok", "--status", "FAILURE"],
            success: || json_reply(200, "{}"),
            output: json!({}),
            modeled: || json_reply(400, r#"{"__type":"ThrottlingException","RetryAfterSeconds":"1"}"#),
            error: ("ThrottlingException", "ThrottlingException", 400, Some("req-json"), true),
            check: |r| {
                let body: Value = serde_json::from_slice(&r.body).unwrap();
                assert_eq!(body["Status"], "FAILURE");
            },
        },
        Op {
            command: vec!["huawei-as", "callback-lifecycle-hook", "--scaling-group-id", "g-1", "--lifecycle-action-result", "EXTEND", "--lifecycle-action-key", "key-1"],
            success: || Reply::new(204).header("X-Request-Id", "req-ok"),
            output: json!({}),
            modeled: || {
                Reply::new(404)
                    .header("Content-Type", "application/json")
                    .header("X-Request-Id", "req-hw")
                    .body(r#"{"error":{"code":"AS.2007","message":"The AS group does not exist."}}"#)
            },
            error: ("NotFound", "AS.2007", 404, Some("req-hw"), false),
            check: |r| {
                assert_eq!(r.method, "PUT");
                assert_eq!(r.path(), format!("/autoscaling-api/v1/{HUAWEI_PROJECT}/scaling_instance_hook/g-1/callback"));
                let body: Value = serde_json::from_slice(&r.body).unwrap();
                assert_eq!(body, json!({"lifecycle_action_result": "EXTEND", "lifecycle_action_key": "key-1"}));
            },
        },
    ]
}

fn run(op: &Op, endpoint: &str) -> Run {
    Run::hookctl(op.command.iter().copied()).args(["--endpoint-url", endpoint, "--max-attempts", "1"])
}

#[track_caller]
fn assert_error(out: &Output, exit: i32, kind: &str, code: &str, status: Option<u16>, request_id: Option<&str>, retryable: bool) {
    out.assert_code(exit);
    assert!(out.stdout.is_empty(), "nothing on stdout:\n{out}");
    let e = out.error();
    assert_eq!(e["kind"], kind, "{out}");
    assert_eq!(e["code"], code, "{out}");
    assert_eq!(e["http_status"], json!(status), "{out}");
    assert_eq!(e["request_id"], json!(request_id), "{out}");
    assert_eq!(e["retryable"], retryable, "{out}");
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{out}");
}

#[tokio::test]
async fn every_operation_succeeds_with_its_output_on_stdout() {
    for op in ops() {
        let server = Server::start(vec![(op.success)()]).await;
        let out = run(&op, &server.url()).run_async().await;
        out.assert_code(0);
        assert!(out.stderr.is_empty(), "{out}");
        assert_eq!(out.json(), op.output, "{:?}", op.command);
        let received = server.received();
        assert_eq!(received.len(), 1, "{:?}", op.command);
        (op.check)(&received[0]);
        assert!(received[0].header("User-Agent").unwrap().starts_with("hookctl/0.1.0 "));
    }
}

#[tokio::test]
async fn modeled_errors_exit_4_with_their_variant_as_kind() {
    for op in ops() {
        let server = Server::start(vec![(op.modeled)()]).await;
        let out = run(&op, &server.url()).run_async().await;
        let (kind, code, status, id, retryable) = op.error;
        assert_error(&out, 4, kind, code, Some(status), id, retryable);
        assert_eq!(server.received().len(), 1, "--max-attempts 1: {:?}", op.command);
    }
}

#[tokio::test]
async fn unmodeled_errors_exit_4_as_unhandled() {
    for op in ops() {
        let reply = if op.command[0] == "huawei-as" {
            Reply::new(418).header("X-Request-Id", "req-teapot").body(r#"{"error_code":"AS.9999","error_msg":"I am a teapot"}"#)
        } else if matches!(op.command[0], "codedeploy" | "transfer") {
            json_reply(400, r#"{"__type":"SomethingNewException","message":"new"}"#)
        } else {
            query_error(400, "SomethingNew", "new", "req-new")
        };
        let server = Server::start(vec![reply]).await;
        let out = run(&op, &server.url()).run_async().await;
        let (code, status, id) = match op.command[0] {
            "huawei-as" => ("AS.9999", 418, "req-teapot"),
            "codedeploy" | "transfer" => ("SomethingNewException", 400, "req-json"),
            _ => ("SomethingNew", 400, "req-new"),
        };
        assert_error(&out, 4, "Unhandled", code, Some(status), Some(id), false);
    }
    // A 5xx answer the model does not list is unhandled too, and retryable.
    let op = &ops()[0];
    let server = Server::start(vec![Reply::new(503).body("Service Unavailable")]).await;
    let out = run(op, &server.url()).run_async().await;
    assert_error(&out, 4, "Unhandled", "503", Some(503), None, true);
}

#[tokio::test]
async fn invalid_inputs_exit_3_and_send_nothing() {
    let server = Server::start(vec![]).await;
    let cases: [&[&str]; 4] = [
        &["autoscaling", "put-lifecycle-hook", "--auto-scaling-group-name", "", "--lifecycle-hook-name", "h", "--heartbeat-timeout", "7201"],
        &["cloudformation", "list-hook-results", "--target-type", "STACK", "--target-id", "!", "--next-token", ""],
        &["codedeploy", "put-lifecycle-event-hook-execution-status", "--status", "Skipped"],
        &["transfer", "send-workflow-step-state", "--workflow-id", "w-1", "--execution-id", "e", "--token", "t", "--status", "SUCCESS"],
    ];
    for args in cases {
        let out = Run::hookctl(args.iter().copied()).args(["--endpoint-url", &server.url()]).run_async().await;
        assert_error(&out, 3, "Validation", "ValidationError", None, None, false);
        let violations = out.error()["violations"].as_array().unwrap().len();
        assert!(violations >= 1, "{out}");
        if args[0] == "autoscaling" || args[0] == "cloudformation" {
            assert!(violations >= 2, "every violation is listed:\n{out}");
        }
    }
    assert!(server.received().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn an_unreadable_success_answer_exits_5() {
    let op = &ops()[1];
    let server = Server::start(vec![Reply::new(200).body("<ListHookResultsResponse><oops")]).await;
    let out = run(op, &server.url()).run_async().await;
    assert_error(&out, 5, "Response", "ResponseError", Some(200), None, false);
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    for op in ops() {
        let out = run(&op, &format!("http://127.0.0.1:{port}")).run_async().await;
        assert_error(&out, 5, "Transport", "TransportError", None, None, true);
        assert!(out.error()["message"].as_str().unwrap().contains("Connect"), "{out}");
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    // Connections complete in the kernel's backlog; nobody ever reads or answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    for op in ops() {
        let started = std::time::Instant::now();
        let out = run(&op, &url).args(["--timeout", "0.3"]).run_async().await;
        assert_error(&out, 5, "Timeout", "Timeout", None, None, true);
        assert!(started.elapsed().as_secs_f64() < 10.0, "{:?}", started.elapsed());
    }
    drop(listener);
}

#[tokio::test]
async fn max_attempts_counts_every_attempt() {
    let op = &ops()[3];
    let retry_then_ok = || vec![Reply::new(503), (op.success)()];
    // One attempt: the 503 is final.
    let server = Server::start(retry_then_ok()).await;
    let out = run(op, &server.url()).run_async().await;
    assert_error(&out, 4, "Unhandled", "503", Some(503), None, true);
    assert_eq!(server.received().len(), 1);
    // Two: the retry succeeds.
    let server = Server::start(retry_then_ok()).await;
    let out = Run::hookctl(op.command.iter().copied()).args(["--endpoint-url", &server.url(), "--max-attempts", "2"]).run_async().await;
    out.assert_code(0);
    assert_eq!(server.received().len(), 2);
    // AWS_MAX_ATTEMPTS=1 without the flag...
    let server = Server::start(retry_then_ok()).await;
    let out = Run::hookctl(op.command.iter().copied())
        .args(["--endpoint-url", &server.url()])
        .env("AWS_MAX_ATTEMPTS", Some("1"))
        .run_async()
        .await;
    out.assert_code(4);
    assert_eq!(server.received().len(), 1);
    // ...and the flag over it.
    let server = Server::start(retry_then_ok()).await;
    let out = Run::hookctl(op.command.iter().copied())
        .args(["--endpoint-url", &server.url(), "--max-attempts", "2"])
        .env("AWS_MAX_ATTEMPTS", Some("1"))
        .run_async()
        .await;
    out.assert_code(0);
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn dry_run_sends_nothing() {
    let server = Server::start(vec![]).await;
    for op in ops() {
        let out = run(&op, &server.url()).arg("--dry-run").run_async().await;
        out.assert_code(0);
        assert!(out.json()["url"].as_str().unwrap().starts_with(&server.url()));
    }
    assert!(server.received().is_empty());
}

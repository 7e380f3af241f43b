//! The generated clients against a real server: moto 5.2.1's server on
//! loopback (`.venv/bin/moto_server`, started per test, killed on drop).
//!
//! What moto stored is read back through boto3 (`tests/oracle/moto_describe.py`),
//! not through the client under test. moto's documented quirks (WIRE.md §E)
//! are asserted as moto really behaves: it replaces RoleARN and
//! NotificationTargetARN by hard-coded ARNs, drops NotificationMetadata, adds
//! GlobalTimeout, validates nothing, and an update replaces the whole hook.

use std::time::{Duration, Instant};

use lifecycle_hooks::autoscaling::{self, LifecycleActionResult, LifecycleTransition, PutLifecycleHookInput};
use lifecycle_hooks::runtime::{AwsCredentials, Config, Error, RetryConfig};
use lifecycle_hooks::{cloudformation, codedeploy, transfer};
use serde_json::Value;
use tests::support::moto::MotoServer;
use tests::support::python::run_json;
use tests::support::reference::{AWS_ACCESS_KEY, AWS_SECRET_KEY, REGION};

/// moto's hard-coded values (WIRE.md §E): whatever the request said.
const MOTO_ROLE_ARN: &str = "arn:aws:iam::1234567890:role/my-auto-scaling-role";
const MOTO_TARGET_ARN: &str = "arn:aws:sqs:us-east-1:123456789012:my-queue";
const MOTO_GLOBAL_TIMEOUT: i64 = 172_800;

fn config(moto: &MotoServer) -> Config {
    Config::builder()
        .region(REGION)
        .endpoint_url(moto.endpoint())
        .aws_credentials(AwsCredentials::new(AWS_ACCESS_KEY, AWS_SECRET_KEY, None))
        .retry(RetryConfig::disabled())
        .attempt_timeout(Some(Duration::from_secs(20)))
        .build()
}

/// DescribeLifecycleHooks of `group` through boto3.
fn describe(moto: &MotoServer, group: &str) -> Vec<Value> {
    let out = run_json("moto_describe.py", &[&moto.endpoint(), group], Duration::from_secs(60));
    out["LifecycleHooks"].as_array().cloned().unwrap_or_else(|| panic!("no LifecycleHooks in {out}"))
}

fn hook<'a>(hooks: &'a [Value], name: &str) -> &'a Value {
    hooks.iter().find(|h| h["LifecycleHookName"] == name).unwrap_or_else(|| panic!("no hook {name} in {hooks:?}"))
}

/// Waits (bounded) until moto's log satisfies `done`, and returns it.
fn wait_for_log(moto: &MotoServer, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let log = moto.log();
        if done(&log) || Instant::now() >= deadline {
            return log;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn not_implemented(action: &str) -> String {
    format!("NotImplementedError: The {action} action has not been implemented")
}

const POST_500: &str = "\"POST / HTTP/1.1\" 500";

#[tokio::test]
async fn put_lifecycle_hook_with_every_field_is_stored_by_moto() {
    let moto = MotoServer::start();
    let client = autoscaling::Client::new(config(&moto)).unwrap();
    // A group name that only survives if the form encoding is right end to end.
    let group = "e2e grp é🚀日本 &=+/?%#\"\\ <x>";
    let input = PutLifecycleHookInput::new(group, "launch-hook")
        .lifecycle_transition(LifecycleTransition::Ec2InstanceLaunching)
        .role_arn("arn:aws:iam::123456789012:role/my-notification-role")
        .notification_target_arn("arn:aws:sns:us-east-1:123456789012:my-sns-topic")
        .notification_metadata("additional info & = + %")
        .heartbeat_timeout(300)
        .default_result(LifecycleActionResult::Continue);
    client.put_lifecycle_hook(input).await.unwrap_or_else(|e| panic!("{e}\nmoto:\n{}", moto.log()));

    let hooks = describe(&moto, group);
    assert_eq!(hooks.len(), 1, "{hooks:?}");
    let h = hook(&hooks, "launch-hook");
    assert_eq!(h["AutoScalingGroupName"], group);
    assert_eq!(h["LifecycleTransition"], "autoscaling:EC2_INSTANCE_LAUNCHING");
    assert_eq!(h["HeartbeatTimeout"], 300);
    assert_eq!(h["DefaultResult"], "CONTINUE");
    // moto's quirks: these are not what was sent.
    assert_eq!(h["RoleARN"], MOTO_ROLE_ARN);
    assert_eq!(h["NotificationTargetARN"], MOTO_TARGET_ARN);
    assert_eq!(h["GlobalTimeout"], MOTO_GLOBAL_TIMEOUT);
    assert!(h.get("NotificationMetadata").is_none(), "moto drops NotificationMetadata: {h}");
    // Another group sees nothing.
    assert!(describe(&moto, "e2e grp é🚀日本").is_empty());

    // A second put of the same hook replaces it (moto): the transition is
    // gone and DefaultResult is back to ABANDON.
    let update = PutLifecycleHookInput::new(group, "launch-hook").heartbeat_timeout(45);
    client.put_lifecycle_hook(update).await.unwrap();
    let hooks = describe(&moto, group);
    assert_eq!(hooks.len(), 1, "an update does not add a hook: {hooks:?}");
    let h = hook(&hooks, "launch-hook");
    assert_eq!(h["HeartbeatTimeout"], 45);
    assert_eq!(h["DefaultResult"], "ABANDON");
    assert!(h.get("LifecycleTransition").is_none(), "moto replaced the hook: {h}");
    assert_eq!(h["RoleARN"], MOTO_ROLE_ARN);

    // A second hook on the same group sits next to the first.
    let terminate = PutLifecycleHookInput::new(group, "terminate-hook")
        .lifecycle_transition(LifecycleTransition::Ec2InstanceTerminating)
        .role_arn("arn:aws:iam::123456789012:role/r");
    client.put_lifecycle_hook(terminate).await.unwrap();
    let hooks = describe(&moto, group);
    assert_eq!(hooks.len(), 2, "{hooks:?}");
    assert_eq!(hook(&hooks, "terminate-hook")["LifecycleTransition"], "autoscaling:EC2_INSTANCE_TERMINATING");
    assert_eq!(hook(&hooks, "terminate-hook")["HeartbeatTimeout"], 3600, "moto's default");
    assert_eq!(hook(&hooks, "launch-hook")["HeartbeatTimeout"], 45);
}

/// The client validates before sending (nothing reaches moto); with
/// validation off the same input goes out, and moto, which validates nothing,
/// stores it as it is.
#[tokio::test]
async fn invalid_hooks_are_stopped_by_validation_and_stored_by_moto_without_it() {
    let moto = MotoServer::start();
    let group = "e2e-invalid";
    let bogus = || {
        PutLifecycleHookInput::new(group, "bogus-hook")
            .lifecycle_transition("bogus")
            .default_result("MAYBE")
            .heartbeat_timeout(-5)
    };
    let validating = autoscaling::Client::new(config(&moto)).unwrap();
    match validating.put_lifecycle_hook(bogus()).await {
        Err(Error::Validation(v)) => {
            let text = v.to_string();
            for field in ["LifecycleTransition", "DefaultResult", "HeartbeatTimeout"] {
                assert!(text.contains(field), "{field} not reported: {text}");
            }
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(describe(&moto, group).is_empty(), "nothing was sent");

    let lax = autoscaling::Client::new(config(&moto).into_builder().validate(false).build()).unwrap();
    lax.put_lifecycle_hook(bogus()).await.unwrap();
    let hooks = describe(&moto, group);
    let h = hook(&hooks, "bogus-hook");
    assert_eq!(h["LifecycleTransition"], "bogus");
    assert_eq!(h["DefaultResult"], "MAYBE");
    assert_eq!(h["HeartbeatTimeout"], -5);
}

/// moto implements none of the other three operations: it answers
/// `500 INTERNAL SERVER ERROR` with a Werkzeug HTML page and no request id.
/// Each client must turn that into a typed, unmodeled service error (status
/// 500, code "500", the page's text as message), not a panic or a parse error.
/// moto's log proves each request reached the right action.
#[tokio::test]
async fn unimplemented_operations_are_typed_500_errors() {
    let moto = MotoServer::start();

    let codedeploy = codedeploy::Client::new(config(&moto)).unwrap();
    let input = codedeploy::PutLifecycleEventHookExecutionStatusInput::new()
        .deployment_id("d-A1B2C3D4E")
        .lifecycle_event_hook_execution_id("eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0=")
        .status(codedeploy::LifecycleEventStatus::Succeeded);
    let err = codedeploy.put_lifecycle_event_hook_execution_status(input).await.unwrap_err();
    assert_eq!(err.http_status(), Some(500), "{err}");
    assert_eq!(err.code(), "500");
    assert_eq!(err.request_id(), None, "moto's HTML 500 page carries no request id");
    assert!(err.message().unwrap_or_default().contains("Internal Server Error"), "{err}");
    assert!(err.is_retryable());
    match err.as_service_error() {
        Some(codedeploy::PutLifecycleEventHookExecutionStatusError::Unhandled(e)) => {
            assert!(e.body().starts_with("<!doctype html>"), "{}", e.body());
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }

    let transfer = transfer::Client::new(config(&moto)).unwrap();
    let input = transfer::SendWorkflowStepStateInput::new(
        "w-0123456789abcdef0",
        "01234567-89ab-cdef-0123-456789abcdef",
        "tok_123",
        transfer::CustomStepStatus::Failure,
    );
    let err = transfer.send_workflow_step_state(input).await.unwrap_err();
    assert_eq!((err.http_status(), err.code(), err.request_id()), (Some(500), "500", None), "{err}");
    assert!(matches!(err.as_service_error(), Some(transfer::SendWorkflowStepStateError::Unhandled(_))), "{err:?}");

    // awsQuery: the HTML page is not XML; botocore raises a parser error here
    // (WIRE.md §E), the generated client a typed 500.
    let cloudformation = cloudformation::Client::new(config(&moto)).unwrap();
    let input = cloudformation::ListHookResultsInput::new()
        .target_type(cloudformation::ListHookResultsTargetType::ChangeSet)
        .target_id("arn:aws:cloudformation:us-east-1:123456789012:changeSet/c/0a1b2c3d-4e5f-6789-abcd-ef0123456789");
    let err = cloudformation.list_hook_results(input).await.unwrap_err();
    assert_eq!((err.http_status(), err.code(), err.request_id()), (Some(500), "500", None), "{err}");
    assert!(err.message().unwrap_or_default().contains("Internal Server Error"), "{err}");
    assert!(matches!(err.as_service_error(), Some(cloudformation::ListHookResultsError::Unhandled(_))), "{err:?}");

    let actions = ["put_lifecycle_event_hook_execution_status", "send_workflow_step_state", "list_hook_results"];
    let log = wait_for_log(&moto, |log| actions.iter().all(|a| log.contains(&not_implemented(a))));
    for action in actions {
        assert_eq!(log.matches(&not_implemented(action)).count(), 1, "moto did not route one request to {action}:\n{log}");
    }
    assert_eq!(log.matches(POST_500).count(), 3, "one attempt each, retries off:\n{log}");
}

/// A 500 may mean the request was applied: with retries on, a callback
/// (SendWorkflowStepState, not idempotent) is sent once, while a read
/// (DescribeExecution, idempotent; moto answers 500 to both) is tried again up
/// to the configured number of attempts, and the last answer is reported.
#[tokio::test]
async fn a_real_server_500_is_retried_up_to_max_attempts_for_a_read_only() {
    let moto = MotoServer::start();
    let retry = RetryConfig { max_attempts: 3, initial_backoff: Duration::from_millis(5), max_backoff: Duration::from_millis(20) };
    let transfer = transfer::Client::new(config(&moto).into_builder().retry(retry).build()).unwrap();
    let input = transfer::SendWorkflowStepStateInput::new(
        "w-0123456789abcdef0",
        "01234567-89ab-cdef-0123-456789abcdef",
        "tok_123",
        transfer::CustomStepStatus::Success,
    );
    let err = transfer.send_workflow_step_state(input).await.unwrap_err();
    assert_eq!(err.http_status(), Some(500), "{err}");
    let input = transfer::DescribeExecutionInput::new("01234567-89ab-cdef-0123-456789abcdef", "w-0123456789abcdef0");
    let err = transfer.describe_execution(input).await.unwrap_err();
    assert_eq!(err.http_status(), Some(500), "{err}");
    let log = wait_for_log(&moto, |log| log.matches(&not_implemented("describe_execution")).count() >= 3);
    assert_eq!(log.matches(&not_implemented("send_workflow_step_state")).count(), 1, "the callback once:\n{log}");
    assert_eq!(log.matches(&not_implemented("describe_execution")).count(), 3, "the read three times:\n{log}");
    assert_eq!(log.matches(POST_500).count(), 4, "{log}");
}

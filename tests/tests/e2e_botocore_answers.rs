//! Every AWS operation's answer, as the official model says it looks, read
//! as botocore reads it.
//!
//! `tests/oracle/botocore_answers.py` makes an output value at random from the
//! operation's output shape in botocore's model (seeded), has moto's response
//! serializer (which writes answers from botocore's operation models) turn it
//! into the wire answer, and has botocore's parser read it back. The generated
//! client gets the same answer (status, headers, body) through the runtime's
//! in-memory transport and must read the same members with the same values
//! (its output as JSON in the API's member names; timestamps compared as
//! epoch milliseconds).

use std::sync::{LazyLock, Mutex, MutexGuard};
use std::time::Duration;

use lifecycle_hooks::runtime::testing::{InMemoryTransport, response};
use lifecycle_hooks::runtime::{AwsCredentials, Config, DateTime, RetryConfig};
use lifecycle_hooks::{autoscaling, cloudformation, codedeploy, transfer};
use serde_json::{Value, json};
use tests::support::python::JsonLines;
use tests::support::reference::{AWS_ACCESS_KEY, AWS_SECRET_KEY, REGION};

static ORACLE: LazyLock<Mutex<JsonLines>> =
    LazyLock::new(|| Mutex::new(JsonLines::spawn("botocore_answers.py", Duration::from_secs(30))));

fn oracle() -> MutexGuard<'static, JsonLines> {
    tests::support::python::python();
    ORACLE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Every AWS operation of the models: botocore's service name, the operation.
const OPERATIONS: &[(&str, &str)] = &[
    ("autoscaling", "PutLifecycleHook"),
    ("autoscaling", "CompleteLifecycleAction"),
    ("autoscaling", "RecordLifecycleActionHeartbeat"),
    ("autoscaling", "DescribeLifecycleHooks"),
    ("autoscaling", "DeleteLifecycleHook"),
    ("autoscaling", "DescribeLifecycleHookTypes"),
    ("cloudformation", "ListHookResults"),
    ("cloudformation", "GetHookResult"),
    ("cloudformation", "DescribeChangeSetHooks"),
    ("codedeploy", "PutLifecycleEventHookExecutionStatus"),
    ("transfer", "SendWorkflowStepState"),
    ("transfer", "DescribeExecution"),
    ("transfer", "ListExecutions"),
];

/// Answers per operation; with fixed seeds the run is the same every time.
const SEEDS: u64 = 40;

fn config(transport: InMemoryTransport) -> Config {
    Config::builder()
        .region(REGION)
        .aws_credentials(AwsCredentials::new(AWS_ACCESS_KEY, AWS_SECRET_KEY, None))
        .validate(false)
        .retry(RetryConfig::disabled())
        .transport(transport)
        .build()
}

fn unb64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {text}"),
    };
    let mut out = Vec::new();
    for chunk in text.as_bytes().chunks(4) {
        let data: Vec<u8> = chunk.iter().copied().filter(|&c| c != b'=').map(value).collect();
        let n = data.iter().enumerate().fold(0u32, |n, (i, &v)| n | (u32::from(v) << (18 - 6 * i)));
        for i in 0..data.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// The generated client's reading of `answer` for `operation`, as JSON in the API's names.
async fn ours(operation: &str, answer: &Value) -> Result<Value, String> {
    let headers: Vec<(String, String)> = answer["headers"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
        .collect();
    let header_refs: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let status = answer["status"].as_u64().unwrap() as u16;
    let body = unb64(answer["body_b64"].as_str().unwrap());
    let transport = InMemoryTransport::new([response(status, &header_refs, body)]);
    let config = config(transport);
    macro_rules! call {
        ($module:ident, $input:ty, $method:ident, $json:expr) => {{
            let client = $module::Client::new(config).map_err(|e| e.to_string())?;
            let input: $input = serde_json::from_value($json).map_err(|e| format!("input: {e}"))?;
            let output = client.$method(input).await.map_err(|e| format!("{e}"))?;
            serde_json::to_value(&output).map_err(|e| e.to_string())
        }};
    }
    let hook = json!({"AutoScalingGroupName": "g", "LifecycleHookName": "h"});
    match operation {
        "PutLifecycleHook" => call!(autoscaling, autoscaling::PutLifecycleHookInput, put_lifecycle_hook, hook),
        "CompleteLifecycleAction" => call!(
            autoscaling,
            autoscaling::CompleteLifecycleActionInput,
            complete_lifecycle_action,
            json!({"AutoScalingGroupName": "g", "LifecycleHookName": "h", "LifecycleActionResult": "CONTINUE"})
        ),
        "RecordLifecycleActionHeartbeat" => call!(
            autoscaling,
            autoscaling::RecordLifecycleActionHeartbeatInput,
            record_lifecycle_action_heartbeat,
            hook
        ),
        "DescribeLifecycleHooks" => call!(
            autoscaling,
            autoscaling::DescribeLifecycleHooksInput,
            describe_lifecycle_hooks,
            json!({"AutoScalingGroupName": "g"})
        ),
        "DeleteLifecycleHook" => call!(autoscaling, autoscaling::DeleteLifecycleHookInput, delete_lifecycle_hook, hook),
        "DescribeLifecycleHookTypes" => {
            call!(autoscaling, autoscaling::DescribeLifecycleHookTypesInput, describe_lifecycle_hook_types, json!({}))
        }
        "ListHookResults" => call!(cloudformation, cloudformation::ListHookResultsInput, list_hook_results, json!({})),
        "GetHookResult" => call!(cloudformation, cloudformation::GetHookResultInput, get_hook_result, json!({})),
        "DescribeChangeSetHooks" => call!(
            cloudformation,
            cloudformation::DescribeChangeSetHooksInput,
            describe_change_set_hooks,
            json!({"ChangeSetName": "cs"})
        ),
        "PutLifecycleEventHookExecutionStatus" => call!(
            codedeploy,
            codedeploy::PutLifecycleEventHookExecutionStatusInput,
            put_lifecycle_event_hook_execution_status,
            json!({})
        ),
        "SendWorkflowStepState" => call!(
            transfer,
            transfer::SendWorkflowStepStateInput,
            send_workflow_step_state,
            json!({"WorkflowId": "w", "ExecutionId": "e", "Token": "t", "Status": "SUCCESS"})
        ),
        "DescribeExecution" => call!(
            transfer,
            transfer::DescribeExecutionInput,
            describe_execution,
            json!({"WorkflowId": "w", "ExecutionId": "e"})
        ),
        "ListExecutions" => {
            call!(transfer, transfer::ListExecutionsInput, list_executions, json!({"WorkflowId": "w"}))
        }
        other => panic!("no operation {other}"),
    }
}

/// Timestamps as epoch milliseconds (botocore's are numbers already).
fn normalized(v: Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, normalized(v))).collect()),
        Value::Array(a) => Value::Array(a.into_iter().map(normalized).collect()),
        Value::String(s) => match DateTime::parse_iso8601(&s) {
            Ok(t) if s.len() >= 20 && s.as_bytes()[4] == b'-' => {
                Value::from((t.unix_timestamp_nanos() / 1_000_000) as i64)
            }
            _ => Value::String(s),
        },
        other => other,
    }
}

#[tokio::test]
async fn every_answer_reads_as_botocore_reads_it() {
    let mut failures = Vec::new();
    let mut members = 0;
    for &(service, operation) in OPERATIONS {
        for seed in 0..SEEDS {
            let answer = oracle().ask(&json!({ "service": service, "operation": operation, "seed": seed }));
            assert!(answer.get("error").is_none(), "{operation} seed {seed}: the oracle failed: {answer}");
            let expected = normalized(answer["parsed"].clone());
            members += expected.as_object().map_or(0, |o| o.len());
            match ours(operation, &answer).await {
                Ok(got) if normalized(got.clone()) == expected => {}
                Ok(got) => failures
                    .push(format!("{operation} seed {seed}:\n  botocore {expected}\n  ours     {}", normalized(got))),
                Err(e) => failures.push(format!("{operation} seed {seed}: {e}\n  answer {answer}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} answers read differently:\n{}",
        failures.len(),
        OPERATIONS.len() as u64 * SEEDS,
        failures.join("\n\n")
    );
    // The answers are not all empty: the operations with outputs gave members.
    assert!(members > 200, "only {members} members in all the answers");
}

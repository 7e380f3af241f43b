//! `hookctl <service> <operation> ... --dry-run` prints the request botocore
//! would send for the same input: every AWS operation, from flags and from
//! `--input-json`, compared with a real botocore client
//! (`tests/oracle/botocore_oracle.py`: same credentials, region and clock,
//! 2024-01-02T03:04:05Z, given to hookctl with `--signing-time`). Compared:
//! method, URL, `Host`, `Content-Type`, `X-Amz-Target`, `X-Amz-Date`,
//! `Content-Length`, the SigV4 `Authorization` exactly, and the body (query
//! bodies byte for byte, JSON bodies as JSON; botocore signs hookctl's bytes,
//! since awsJson serializers legitimately differ in spacing).
//!
//! The Huawei Cloud callback has no botocore: its dry-run request goes to the
//! official SDK's signer (`tests/oracle/huawei_verify.py`), which must compute
//! the same `Authorization`.

use std::sync::{LazyLock, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Value, json};
use tests::support::base64;
use tests::support::cli::{Output, Run};
use tests::support::python::JsonLines;
use tests::support::reference::{HUAWEI_AK, HUAWEI_PROJECT, HUAWEI_SK, form_pairs};

const SIGNING_TIME: &str = "2024-01-02T03:04:05Z";

/// One botocore process for the whole test binary.
static ORACLE: LazyLock<Mutex<JsonLines>> =
    LazyLock::new(|| Mutex::new(JsonLines::spawn("botocore_oracle.py", Duration::from_secs(30))));

fn oracle() -> MutexGuard<'static, JsonLines> {
    ORACLE.lock().unwrap_or_else(|e| e.into_inner())
}

/// One command line, and the same input as botocore's parameters (in the
/// model's member order, which botocore keeps on the wire).
struct Case {
    name: &'static str,
    command: [&'static str; 2],
    operation: &'static str,
    args: Vec<String>,
    params: Vec<(&'static str, Value)>,
}

impl Case {
    fn new(name: &'static str, command: [&'static str; 2], operation: &'static str) -> Case {
        Case { name, command, operation, args: Vec::new(), params: Vec::new() }
    }

    /// `--flag value` for the parameter `member`.
    fn flag(mut self, flag: &str, member: &'static str, value: impl Into<Value>) -> Case {
        let value = value.into();
        let text = match &value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        self.args.extend([format!("--{flag}"), text]);
        self.params.push((member, value));
        self
    }

    /// `--input-json` with these members (kept in this order for botocore).
    fn input_json(mut self, members: &[(&'static str, Value)]) -> Case {
        let object: serde_json::Map<String, Value> = members.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
        self.args.extend(["--input-json".to_owned(), Value::Object(object).to_string()]);
        self.params.extend(members.iter().cloned());
        self
    }

    /// A flag that overrides a member `--input-json` gave.
    fn override_flag(mut self, flag: &str, member: &'static str, value: &str) -> Case {
        self.args.extend([format!("--{flag}"), value.to_owned()]);
        for p in &mut self.params {
            if p.0 == member {
                p.1 = Value::from(value);
            }
        }
        self
    }

    fn is_json(&self) -> bool {
        matches!(self.command[0], "codedeploy" | "transfer")
    }

    fn run(&self) -> Output {
        Run::hookctl(self.command).args(self.args.iter().cloned()).args(["--dry-run", "--signing-time", SIGNING_TIME]).run()
    }
}

fn header<'a>(headers: &'a Value, name: &str) -> Option<&'a str> {
    headers.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str())
}

/// Every difference between hookctl's dry run and botocore's request.
fn compare(case: &Case, ours: &Value, theirs: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let mut check = |what: &str, a: Option<&str>, b: Option<&str>| {
        if a != b {
            diffs.push(format!("{what}: hookctl {a:?}, botocore {b:?}"));
        }
    };
    check("method", ours["method"].as_str(), theirs["method"].as_str());
    check("url", ours["url"].as_str(), theirs["url"].as_str());
    let their_host = theirs["url"].as_str().and_then(|u| u.split_once("://")).and_then(|(_, rest)| rest.split('/').next());
    check("Host", header(&ours["headers"], "Host"), their_host);
    for name in ["X-Amz-Target", "Content-Type", "X-Amz-Date", "Authorization", "Content-Length"] {
        check(name, header(&ours["headers"], name), header(&theirs["headers"], name));
    }
    let body = ours["body"].as_str().unwrap_or_default().as_bytes();
    let serialized = base64::decode(theirs["serialized_body_b64"].as_str().unwrap_or_default());
    if base64::decode(theirs["body_b64"].as_str().unwrap_or_default()) != body {
        diffs.push("botocore signed other bytes than hookctl's (oracle problem)".to_owned());
    }
    if case.is_json() {
        let a: Result<Value, _> = serde_json::from_slice(body);
        let b: Result<Value, _> = serde_json::from_slice(&serialized);
        match (a, b) {
            (Ok(a), Ok(b)) if a == b => {}
            (a, b) => diffs.push(format!("JSON body: hookctl {a:?}, botocore {b:?}")),
        }
    } else {
        if form_pairs(body) != form_pairs(&serialized) {
            diffs.push(format!("form pairs: hookctl {:?}, botocore {:?}", form_pairs(body), form_pairs(&serialized)));
        }
        if body != serialized.as_slice() {
            diffs.push(format!("form bytes: hookctl {:?}, botocore {:?}", String::from_utf8_lossy(body), String::from_utf8_lossy(&serialized)));
        }
    }
    diffs
}

fn check(case: &Case) -> Result<(), String> {
    let out = case.run();
    if out.code != Some(0) {
        return Err(format!("{}: hookctl failed:\n{out}", case.name));
    }
    let ours = out.json();
    let params: Vec<Value> = case.params.iter().map(|(k, v)| json!([k, v])).collect();
    let body = ours["body"].as_str().unwrap_or_default().as_bytes().to_vec();
    let theirs = oracle().ask(&json!({"operation": case.operation, "params": params, "sign_body_b64": base64::encode(&body)}));
    if let Some(e) = theirs.get("error") {
        return Err(format!("{}: botocore failed: {e}", case.name));
    }
    let diffs = compare(case, &ours, &theirs);
    if diffs.is_empty() { Ok(()) } else { Err(format!("{} ({:?}):\n  {}", case.name, case.args, diffs.join("\n  "))) }
}

fn check_all(cases: &[Case]) {
    let failures: Vec<String> = cases.iter().filter_map(|c| check(c).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases differ from botocore:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

const PUT: [&str; 2] = ["autoscaling", "put-lifecycle-hook"];
const LIST: [&str; 2] = ["cloudformation", "list-hook-results"];
const STATUS: [&str; 2] = ["codedeploy", "put-lifecycle-event-hook-execution-status"];
const STEP: [&str; 2] = ["transfer", "send-workflow-step-state"];

/// Text that every encoder has an opinion about.
const AWKWARD: &str = "a b&c=d+e%f/g~h*i'j(k)l!m \"n\" é 日本 🚀";

#[test]
fn put_lifecycle_hook_like_botocore() {
    check_all(&[
        Case::new("required only", PUT, "PutLifecycleHook")
            .flag("auto-scaling-group-name", "AutoScalingGroupName", "my-asg")
            .flag("lifecycle-hook-name", "LifecycleHookName", "my-hook"),
        Case::new("every member", PUT, "PutLifecycleHook")
            .flag("auto-scaling-group-name", "AutoScalingGroupName", "my-asg")
            .flag("lifecycle-hook-name", "LifecycleHookName", "launch/hook_1-a")
            .flag("default-result", "DefaultResult", "CONTINUE")
            .flag("heartbeat-timeout", "HeartbeatTimeout", 300)
            .flag("lifecycle-transition", "LifecycleTransition", "autoscaling:EC2_INSTANCE_LAUNCHING")
            .flag("notification-metadata", "NotificationMetadata", AWKWARD.replace(['é', '日', '本', '🚀'], "x"))
            .flag("notification-target-arn", "NotificationTargetARN", "arn:aws:sqs:us-east-1:123456789012:my-queue")
            .flag("role-arn", "RoleARN", "arn:aws:iam::123456789012:role/my-notification-role"),
        Case::new("input json, a flag over it, an empty ARN", PUT, "PutLifecycleHook")
            .input_json(&[
                ("AutoScalingGroupName", json!(AWKWARD)),
                ("LifecycleHookName", json!("from-json")),
                ("DefaultResult", json!("ABANDON")),
                ("HeartbeatTimeout", json!(7200)),
                ("LifecycleTransition", json!("autoscaling:EC2_INSTANCE_TERMINATING")),
                ("NotificationTargetARN", json!("")),
            ])
            .override_flag("lifecycle-hook-name", "LifecycleHookName", "from-flag"),
    ]);
}

#[test]
fn list_hook_results_like_botocore() {
    let change_set = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/my-change-set/4eca1a01-e285-xmpl-8026-9a1967bfb4b0";
    check_all(&[
        Case::new("target only", LIST, "ListHookResults")
            .flag("target-type", "TargetType", "CHANGE_SET")
            .flag("target-id", "TargetId", change_set),
        Case::new("every member", LIST, "ListHookResults")
            .flag("target-type", "TargetType", "CLOUD_CONTROL")
            .flag("target-id", "TargetId", "4eca1a01-e285-4b7d-8026-9a1967bfb4b0")
            .flag("next-token", "NextToken", "eyJwYWdlIjogMn0=/+")
            .flag("type-arn", "TypeArn", "arn:aws:cloudformation:us-east-1:123456789012:type/hook/My-Org-Hook/")
            .flag("status", "Status", "HOOK_COMPLETE_FAILED"),
        Case::new("input json", LIST, "ListHookResults").input_json(&[
            ("TargetType", json!("STACK")),
            ("TargetId", json!("my-stack")),
            ("NextToken", json!(AWKWARD)),
        ]),
    ]);
}

#[test]
fn put_lifecycle_event_hook_execution_status_like_botocore() {
    check_all(&[
        Case::new("no member", STATUS, "PutLifecycleEventHookExecutionStatus"),
        Case::new("every member", STATUS, "PutLifecycleEventHookExecutionStatus")
            .flag("deployment-id", "deploymentId", "d-A1B2C3D4E")
            .flag("lifecycle-event-hook-execution-id", "lifecycleEventHookExecutionId", "eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0=")
            .flag("status", "status", "Failed"),
        Case::new("input json with awkward text", STATUS, "PutLifecycleEventHookExecutionStatus").input_json(&[
            ("deploymentId", json!(AWKWARD)),
            ("status", json!("Succeeded")),
        ]),
    ]);
}

#[test]
fn send_workflow_step_state_like_botocore() {
    check_all(&[
        Case::new("flags", STEP, "SendWorkflowStepState")
            .flag("workflow-id", "WorkflowId", "w-0123456789abcdefg")
            .flag("execution-id", "ExecutionId", "0123abcd-0000-1111-2222-333344445555")
            .flag("token", "Token", "token_from_the_step")
            .flag("status", "Status", "SUCCESS"),
        Case::new("input json and a flag", STEP, "SendWorkflowStepState")
            .input_json(&[
                ("WorkflowId", json!("w-abcdefghijklmnopq")),
                ("ExecutionId", json!("ABCDEF01-2345-6789-abcd-ef0123456789")),
                ("Token", json!("T")),
                ("Status", json!("SUCCESS")),
            ])
            .override_flag("status", "Status", "FAILURE"),
    ]);
}

/// The Huawei callback's dry run, signed as the official SDK signs it.
#[test]
fn callback_lifecycle_hook_is_signed_as_the_huawei_sdk_signs() {
    let mut verifier = JsonLines::spawn("huawei_verify.py", Duration::from_secs(30));
    let base = ["huawei-as", "callback-lifecycle-hook", "--dry-run", "--signing-time", SIGNING_TIME];
    let cases: Vec<Vec<&str>> = vec![
        vec!["--scaling-group-id", "e5d27f5c-dd76-4a61-b4bc-a67c5686719a", "--lifecycle-action-result", "CONTINUE", "--lifecycle-action-key", "23880867-6288-4470-98a8-f8bda096b6c4"],
        vec!["--scaling-group-id", "g 1/é", "--lifecycle-action-result", "EXTEND", "--instance-id", "i-1", "--lifecycle-hook-name", AWKWARD],
        vec!["--input-json", r#"{"scaling_group_id": "g", "lifecycle_action_result": "ABANDON", "lifecycle_action_key": "k"}"#],
    ];
    for args in cases {
        let out = Run::hookctl(base).args(args.iter().copied()).run();
        out.assert_code(0);
        let ours = out.json();
        let url = ours["url"].as_str().unwrap();
        let (host, path) = url.strip_prefix("https://").unwrap().split_once('/').unwrap();
        assert_eq!(host, "as.cn-north-4.myhuaweicloud.com");
        assert!(path.starts_with(&format!("autoscaling-api/v1/{HUAWEI_PROJECT}/scaling_instance_hook/")), "{url}");
        let headers: Vec<Value> = ours["headers"].as_object().unwrap().iter().map(|(k, v)| json!([k, v])).collect();
        let answer = verifier.ask(&json!({
            "method": ours["method"],
            "host": host,
            "path": format!("/{path}"),
            "query": [],
            "headers": headers,
            "body_b64": base64::encode(ours["body"].as_str().unwrap().as_bytes()),
            "ak": HUAWEI_AK,
            "sk": HUAWEI_SK,
        }));
        assert!(answer.get("error").is_none(), "{args:?}: {answer}");
        assert_eq!(answer["authorization"].as_str(), header(&ours["headers"], "Authorization"), "{args:?}");
        assert_eq!(header(&ours["headers"], "X-Sdk-Date"), Some("20240102T030405Z"));
        assert_eq!(header(&ours["headers"], "X-Project-Id"), Some(HUAWEI_PROJECT));
    }
}

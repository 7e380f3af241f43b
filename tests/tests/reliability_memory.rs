//! Memory of the error path, measured: a 9 MiB error answer must cost about
//! what its body does, not 17 times it (issue 15: about 160 MiB for a 9 MiB
//! JSON error body, when a tree of the whole body was built). Each case runs
//! in a child process of this test binary, which resets its peak resident
//! size (`/proc/self/clear_refs`, 5) once the answer is in memory, goes
//! through the path, and reports the new peak (`VmHWM`): the three envelope
//! readers on their own, the generated error readers through each client
//! (an in-memory transport hands over the answer), and, for comparison, a
//! success answer of the same size.

use std::time::Duration;

use lifecycle_hooks::runtime::testing::InMemoryTransport;
use lifecycle_hooks::runtime::{AwsCredentials, Config, HuaweiCredentials, Response, RetryConfig};
use lifecycle_hooks::{autoscaling, cloudformation, codedeploy, huawei_as, transfer};

/// The size of the answers' long string.
const SIZE: usize = 9 * 1024 * 1024;
const CHILD: &str = "LIFECYCLE_HOOKS_MEMORY_CASE";

const CASES: [&str; 10] = [
    "envelope aws_json",
    "envelope aws_query",
    "envelope huawei",
    "client transfer",
    "client codedeploy",
    "client autoscaling",
    "client cloudformation",
    "client huawei_as",
    "success codedeploy",
    "success autoscaling",
];

/// A long message with escapes in it, so that readers must decode (not borrow) it.
fn long_text(escape: &str) -> String {
    let mut s = String::with_capacity(SIZE + 64);
    while s.len() < SIZE {
        s.push_str(&"x".repeat(1000));
        s.push_str(escape);
    }
    s
}

fn body_of(case: &str) -> Vec<u8> {
    match case {
        "envelope aws_json" | "client transfer" => {
            format!(r#"{{"__type":"ThrottlingException","message":"{}"}}"#, long_text("\\\"")).into_bytes()
        }
        "client codedeploy" => {
            format!(r#"{{"__type":"DeploymentDoesNotExistException","message":"{}"}}"#, long_text("\\n")).into_bytes()
        }
        "envelope aws_query" | "client autoscaling" | "client cloudformation" => {
            let code = if case == "client cloudformation" { "HookResultNotFound" } else { "LimitExceeded" };
            format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{}</Message></Error><RequestId>r</RequestId></ErrorResponse>",
                long_text("&amp;")
            )
            .into_bytes()
        }
        "envelope huawei" | "client huawei_as" => {
            format!(r#"{{"error_code":"AS.2017","error_msg":"{}"}}"#, long_text("\\\"")).into_bytes()
        }
        "success codedeploy" => format!(r#"{{"lifecycleEventHookExecutionId":"{}"}}"#, long_text("\\n")).into_bytes(),
        "success autoscaling" => format!(
            "<DescribeLifecycleHooksResponse><DescribeLifecycleHooksResult><LifecycleHooks><member>\
             <LifecycleHookName>h</LifecycleHookName><NotificationMetadata>{}</NotificationMetadata>\
             </member></LifecycleHooks></DescribeLifecycleHooksResult>\
             <ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeLifecycleHooksResponse>",
            long_text("&amp;")
        )
        .into_bytes(),
        other => panic!("unknown case {other}"),
    }
}

fn kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line =
        status.lines().find(|l| l.starts_with(field)).unwrap_or_else(|| panic!("no {field} in /proc/self/status"));
    line[field.len()..].trim().trim_end_matches("kB").trim().parse().unwrap()
}

fn config() -> Config {
    Config::builder()
        .region("us-east-1")
        .aws_credentials(AwsCredentials::new("AKIDEXAMPLE", "secret", None))
        .huawei_credentials(HuaweiCredentials::new("AK", "SK", "0123456789abcdef0123456789abcdef"))
        .retry(RetryConfig::disabled())
        .max_response_bytes(16 * 1024 * 1024)
        .attempt_timeout(Some(Duration::from_secs(30)))
        .build()
}

/// One case, in the child: returns what the path kept (so that it is not optimized away) and the peak.
fn run_case(case: &str) {
    let body = body_of(case);
    let status = if case.starts_with("success") { 200 } else { 400 };
    let answer = Response { status, headers: vec![("x-amzn-requestid".into(), "r".into())], body };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let transport = InMemoryTransport::new([answer.clone()]);
    let cfg = config().into_builder().transport(transport).build();
    // The answer is in memory (twice: here and in the transport); the peak starts from here.
    std::fs::write("/proc/self/clear_refs", "5").expect("resetting the peak resident size (Linux 4.0 or later)");
    let before = kib("VmHWM:");
    let kept: usize = match case {
        "envelope aws_json" => {
            lifecycle_hooks::runtime::protocol::aws_json::error_meta(&answer).message.map_or(0, |m| m.len())
        }
        "envelope aws_query" => {
            lifecycle_hooks::runtime::protocol::aws_query::error_meta(&answer).message.map_or(0, |m| m.len())
        }
        "envelope huawei" => {
            lifecycle_hooks::runtime::protocol::huawei::error_meta(&answer).message.map_or(0, |m| m.len())
        }
        "client transfer" => {
            let input = transfer::SendWorkflowStepStateInput::new(
                "w-0123456789abcdefg",
                "0123abcd-0000-1111-2222-333344445555",
                "token",
                transfer::CustomStepStatus::Success,
            );
            let err = rt.block_on(transfer::Client::new(cfg).unwrap().send_workflow_step_state(input)).unwrap_err();
            assert_eq!(err.code(), "ThrottlingException");
            err.message().map_or(0, |m| m.len())
        }
        "client codedeploy" | "success codedeploy" => {
            let input = codedeploy::PutLifecycleEventHookExecutionStatusInput::new()
                .deployment_id("d-A1B2C3D4E")
                .lifecycle_event_hook_execution_id("x")
                .status(codedeploy::LifecycleEventStatus::Succeeded);
            let result =
                rt.block_on(codedeploy::Client::new(cfg).unwrap().put_lifecycle_event_hook_execution_status(input));
            match result {
                Ok(out) => out.lifecycle_event_hook_execution_id.map_or(0, |s| s.len()),
                Err(err) => {
                    assert_eq!(err.code(), "DeploymentDoesNotExistException");
                    err.message().map_or(0, |m| m.len())
                }
            }
        }
        "success autoscaling" => {
            let input = autoscaling::DescribeLifecycleHooksInput::new("asg");
            let out = rt.block_on(autoscaling::Client::new(cfg).unwrap().describe_lifecycle_hooks(input)).unwrap();
            let hooks = out.lifecycle_hooks.unwrap_or_default();
            hooks.first().and_then(|h| h.notification_metadata.as_ref()).map_or(0, String::len)
        }
        "client autoscaling" => {
            let input = autoscaling::PutLifecycleHookInput::new("asg", "hook");
            let err = rt.block_on(autoscaling::Client::new(cfg).unwrap().put_lifecycle_hook(input)).unwrap_err();
            assert_eq!(err.code(), "LimitExceeded");
            err.message().map_or(0, |m| m.len())
        }
        "client cloudformation" => {
            let input = cloudformation::ListHookResultsInput::new()
                .target_type(cloudformation::ListHookResultsTargetType::ChangeSet)
                .target_id("x");
            let err = rt.block_on(cloudformation::Client::new(cfg).unwrap().list_hook_results(input)).unwrap_err();
            assert_eq!(err.code(), "HookResultNotFound");
            err.message().map_or(0, |m| m.len())
        }
        "client huawei_as" => {
            let input = huawei_as::CallbackLifecycleHookInput::new(
                "e5d27f5c-dd76-4a61-b4bc-a67c5686719a",
                huawei_as::LifecycleActionResult::Abandon,
                huawei_as::CallbackTarget::by_action_key("23880867-6288-4470-98a8-f8bda096b6c4"),
            );
            let err = rt.block_on(huawei_as::Client::new(cfg).unwrap().callback_lifecycle_hook(input)).unwrap_err();
            assert_eq!(err.code(), "AS.2017");
            err.message().map_or(0, |m| m.len())
        }
        other => panic!("unknown case {other}"),
    };
    let after = kib("VmHWM:");
    assert!(kept >= SIZE / 100 * 99, "{case}: the long text was not read ({kept} bytes)");
    println!("PEAK {case}: {} KiB over {before} KiB", after.saturating_sub(before));
}

/// Runs each case in its own child; the peak growth of each, in MiB.
fn measure(cases: &[&'static str]) -> Vec<(&'static str, f64)> {
    let size_mib = SIZE as f64 / (1024.0 * 1024.0);
    let mut peaks = Vec::new();
    for &case in cases {
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "an_error_answer_costs_about_its_own_size", "--nocapture", "--test-threads=1"])
            .env(CHILD, case)
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "{case}: the child failed:\n{text}");
        let prefix = format!("PEAK {case}: ");
        let line = text
            .lines()
            .find_map(|l| l.split_once(prefix.as_str()).map(|(_, rest)| rest))
            .unwrap_or_else(|| panic!("{case}:\n{text}"));
        let grown: f64 = line.split(' ').next().unwrap().parse::<f64>().unwrap() / 1024.0;
        println!("{case}: peak grew {grown:.1} MiB for a {size_mib:.0} MiB answer");
        peaks.push((case, grown));
    }
    peaks
}

/// Every path costs at most four times its answer (the tree cost seventeen).
/// Measured (RELIABILITY.md): about 1x for Huawei's and for a success answer,
/// 2x for the JSON and query envelopes (the decoded message, and the growth of
/// its buffer), 2.9x for Auto Scaling's modeled errors (see the next test).
#[test]
fn an_error_answer_costs_about_its_own_size() {
    if let Ok(case) = std::env::var(CHILD) {
        return run_case(&case);
    }
    let size_mib = SIZE as f64 / (1024.0 * 1024.0);
    let peaks = measure(&CASES);
    assert_eq!(peaks.len(), CASES.len());
    for (case, grown) in &peaks {
        assert!(*grown <= 4.0 * size_mib, "{case}: {grown:.1} MiB for a {size_mib:.0} MiB answer");
    }
}

/// The issue's promise, "error parsing should cost no more than success
/// parsing", within one more copy of the answer, each error path against a
/// success answer of the same size read by the same parser: the JSON readers'
/// (awsJson, restJson, Huawei) against CodeDeploy's, the XML reader's (awsQuery)
/// against Auto Scaling's `DescribeLifecycleHooks`. The one more copy is by
/// design: a modeled error holds its message twice (`ErrorMeta.message`, and
/// the `message` member, which the envelope fills when the body leaves it out,
/// so that the field and `message()` agree). The awsQuery errors read their
/// body once (`aws_query::ErrorAnswer`; twice before, 35 MiB for Auto
/// Scaling's).
#[test]
fn error_parsing_costs_no_more_than_success_parsing() {
    if let Ok(case) = std::env::var(CHILD) {
        return run_case(&case);
    }
    let size_mib = SIZE as f64 / (1024.0 * 1024.0);
    let peaks = measure(&CASES);
    let peak = |case: &str| peaks.iter().find(|(c, _)| *c == case).unwrap().1;
    let (json_success, xml_success) = (peak("success codedeploy"), peak("success autoscaling"));
    for (case, grown) in &peaks {
        let xml = case.contains("aws_query") || *case == "client autoscaling" || *case == "client cloudformation";
        let success = if xml { xml_success } else { json_success };
        assert!(
            *grown <= success + size_mib * 1.1,
            "{case}: {grown:.1} MiB, a success answer of its parser {success:.1} MiB"
        );
    }
}

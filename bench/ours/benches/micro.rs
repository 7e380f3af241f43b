//! Our own per-call costs, without the network: `cargo bench` in bench/ours
//! (divan; `cargo bench -- --test` runs each benchmark once).
//!
//! - build the input, validate it (every model constraint);
//! - prepare: validate, serialize (awsQuery form / awsJson), sign (SigV4 through aws-sigv4);
//! - prepare, validation off: serialize and sign only;
//! - parse: the XML answer of PutLifecycleHook as the generated parser reads it,
//!   and a JSON answer (CodeDeploy's output) as the generated client reads it.

use std::hint::black_box;
use std::sync::LazyLock;

use lifecycle_hooks::runtime::{AwsCredentials, Config, protocol::aws_query};
use lifecycle_hooks::{autoscaling, codedeploy, transfer};

fn main() {
    divan::main();
}

fn config(validate: bool) -> Config {
    Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:5000")
        .aws_credentials(AwsCredentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None))
        .validate(validate)
        .build()
}

fn hook_input() -> autoscaling::PutLifecycleHookInput {
    autoscaling::PutLifecycleHookInput::new("my-asg", "my-launch-hook")
        .lifecycle_transition(autoscaling::LifecycleTransition::Ec2InstanceLaunching)
        .heartbeat_timeout(300)
        .default_result(autoscaling::LifecycleActionResult::Continue)
}

static ASG: LazyLock<autoscaling::Client> = LazyLock::new(|| autoscaling::Client::new(config(true)).unwrap());
static ASG_UNCHECKED: LazyLock<autoscaling::Client> =
    LazyLock::new(|| autoscaling::Client::new(config(false)).unwrap());
static TRANSFER: LazyLock<transfer::Client> = LazyLock::new(|| transfer::Client::new(config(true)).unwrap());

const ASG_ANSWER: &[u8] = b"<PutLifecycleHookResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">\
<PutLifecycleHookResult/><ResponseMetadata><RequestId>8d4c2b4e-0000-4000-8000-000000000001</RequestId>\
</ResponseMetadata></PutLifecycleHookResponse>";

const CODEDEPLOY_ANSWER: &[u8] = br#"{"lifecycleEventHookExecutionId":"eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0="}"#;

#[divan::bench]
fn put_lifecycle_hook_build_input() -> autoscaling::PutLifecycleHookInput {
    hook_input()
}

#[divan::bench]
fn put_lifecycle_hook_validate(bencher: divan::Bencher) {
    let input = hook_input();
    bencher.bench_local(|| black_box(black_box(&input).validate()).unwrap());
}

#[divan::bench]
fn put_lifecycle_hook_prepare(bencher: divan::Bencher) {
    let input = hook_input();
    bencher.bench_local(|| black_box(ASG.prepare_put_lifecycle_hook(black_box(&input))).unwrap());
}

#[divan::bench]
fn put_lifecycle_hook_prepare_validation_off(bencher: divan::Bencher) {
    let input = hook_input();
    bencher.bench_local(|| black_box(ASG_UNCHECKED.prepare_put_lifecycle_hook(black_box(&input))).unwrap());
}

#[divan::bench]
fn put_lifecycle_hook_parse_xml_answer() {
    // The document read whole, the result element found, the request id taken.
    black_box(aws_query::read_answer(black_box(ASG_ANSWER), Some("PutLifecycleHookResult"), |_| Ok(())).unwrap());
}

#[divan::bench]
fn send_workflow_step_state_prepare(bencher: divan::Bencher) {
    let step = transfer::SendWorkflowStepStateInput::new(
        "w-0123456789abcdefg",
        "0123abcd-0000-1111-2222-333344445555",
        "token_from_the_step",
        transfer::CustomStepStatus::Success,
    );
    bencher.bench_local(|| black_box(TRANSFER.prepare_send_workflow_step_state(black_box(&step))).unwrap());
}

#[divan::bench]
fn codedeploy_parse_json_answer() -> codedeploy::PutLifecycleEventHookExecutionStatusOutput {
    serde_json::from_slice(black_box(CODEDEPLOY_ANSWER)).unwrap()
}

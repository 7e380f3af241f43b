//! Our own per-call costs, without the network: `cargo bench` in bench/ours.
//! (No framework: batches of calls timed with `Instant`, median per call.)
//!
//! - validate: every model constraint of a PutLifecycleHook input;
//! - prepare: validate, serialize (awsQuery form / awsJson), sign (SigV4 through aws-sigv4);
//! - prepare, validation off: serialize and sign only;
//! - parse: the XML answer of PutLifecycleHook as the generated parser reads it,
//!   and a JSON answer (CodeDeploy's output) through serde.

use std::hint::black_box;
use std::time::{Duration, Instant};

use lifecycle_hooks::runtime::{AwsCredentials, Config, protocol::aws_query, xml};
use lifecycle_hooks::{autoscaling, codedeploy, transfer};

const BATCH: u32 = 2_000;
const BATCHES: usize = 25;

fn measure(name: &str, mut f: impl FnMut()) {
    for _ in 0..BATCH {
        f();
    }
    let mut per_call: Vec<Duration> = (0..BATCHES)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..BATCH {
                f();
            }
            start.elapsed() / BATCH
        })
        .collect();
    per_call.sort();
    println!("{name:<52} {:>9.2} µs  (min {:.2})", per_call[BATCHES / 2].as_secs_f64() * 1e6, per_call[0].as_secs_f64() * 1e6);
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

const ASG_ANSWER: &[u8] = b"<PutLifecycleHookResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">\
<PutLifecycleHookResult/><ResponseMetadata><RequestId>8d4c2b4e-0000-4000-8000-000000000001</RequestId>\
</ResponseMetadata></PutLifecycleHookResponse>";

fn main() {
    // `cargo bench` passes `--bench`; nothing to filter.
    let asg = autoscaling::Client::new(config(true)).unwrap();
    let asg_unchecked = autoscaling::Client::new(config(false)).unwrap();
    let transfer = transfer::Client::new(config(true)).unwrap();
    let input = hook_input();
    let step = transfer::SendWorkflowStepStateInput::new(
        "w-0123456789abcdefg",
        "0123abcd-0000-1111-2222-333344445555",
        "token_from_the_step",
        transfer::CustomStepStatus::Success,
    );

    measure("PutLifecycleHook: build the input", || {
        black_box(hook_input());
    });
    measure("PutLifecycleHook: validate", || {
        black_box(black_box(&input).validate()).unwrap();
    });
    measure("PutLifecycleHook: prepare (validate+serialize+sign)", || {
        black_box(asg.prepare_put_lifecycle_hook(black_box(&input))).unwrap();
    });
    measure("PutLifecycleHook: prepare, validation off", || {
        black_box(asg_unchecked.prepare_put_lifecycle_hook(black_box(&input))).unwrap();
    });
    measure("PutLifecycleHook: parse the XML answer", || {
        let doc = xml::parse_document(black_box(ASG_ANSWER)).unwrap();
        black_box(aws_query::parse_result(&doc, "PutLifecycleHookResult").unwrap());
        black_box(aws_query::request_id_in(&doc));
    });
    measure("SendWorkflowStepState: prepare (validate+serialize+sign)", || {
        black_box(transfer.prepare_send_workflow_step_state(black_box(&step))).unwrap();
    });
    measure("CodeDeploy answer: parse JSON", || {
        let body = br#"{"lifecycleEventHookExecutionId":"eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0="}"#;
        black_box(serde_json::from_slice::<codedeploy::PutLifecycleEventHookExecutionStatusOutput>(black_box(body)).unwrap());
    });
}

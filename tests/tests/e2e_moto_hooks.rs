//! A lifecycle hook's whole life on moto 5.2.1's server (loopback, started per
//! test): created, listed, updated and deleted with the generated client, and
//! after each step read back through boto3 (`tests/oracle/moto_describe.py`,
//! not the client under test) and through the client's own
//! DescribeLifecycleHooks, which must agree with boto3. moto's quirks
//! (WIRE.md §E: hard-coded role and target ARNs, an update replaces the whole
//! hook) are asserted as moto behaves.

use std::time::Duration;

use lifecycle_hooks::autoscaling::{
    self, DeleteLifecycleHookInput, DescribeLifecycleHooksInput, LifecycleActionResult, LifecycleTransition,
    PutLifecycleHookInput,
};
use lifecycle_hooks::runtime::{AwsCredentials, Config, RetryConfig};
use serde_json::{Value, json};
use tests::support::moto::MotoServer;
use tests::support::python::run_json;
use tests::support::reference::{AWS_ACCESS_KEY, AWS_SECRET_KEY, REGION};

fn client(moto: &MotoServer) -> autoscaling::Client {
    let config = Config::builder()
        .region(REGION)
        .endpoint_url(moto.endpoint())
        .aws_credentials(AwsCredentials::new(AWS_ACCESS_KEY, AWS_SECRET_KEY, None))
        .retry(RetryConfig::disabled())
        .attempt_timeout(Some(Duration::from_secs(20)))
        .build();
    autoscaling::Client::new(config).unwrap()
}

/// The group's hooks through boto3, by name.
fn boto3_hooks(moto: &MotoServer, group: &str) -> Vec<Value> {
    let out = run_json("moto_describe.py", &[&moto.endpoint(), group], Duration::from_secs(60));
    let mut hooks = out["LifecycleHooks"].as_array().cloned().unwrap_or_else(|| panic!("no LifecycleHooks in {out}"));
    hooks.sort_by_key(|h| h["LifecycleHookName"].as_str().unwrap_or_default().to_owned());
    hooks
}

/// The group's hooks through the client under test, as JSON in the API's names.
async fn our_hooks(client: &autoscaling::Client, group: &str) -> Vec<Value> {
    let out = client.describe_lifecycle_hooks(DescribeLifecycleHooksInput::new(group)).await.unwrap();
    assert!(out.request_id().is_some_and(|id| !id.is_empty()), "{out:?}");
    let mut hooks: Vec<Value> =
        out.lifecycle_hooks.unwrap_or_default().iter().map(|h| serde_json::to_value(h).unwrap()).collect();
    hooks.sort_by_key(|h| h["LifecycleHookName"].as_str().unwrap_or_default().to_owned());
    hooks
}

/// Both readings, which must agree.
async fn read_back(moto: &MotoServer, client: &autoscaling::Client, group: &str) -> Vec<Value> {
    let theirs = boto3_hooks(moto, group);
    assert_eq!(our_hooks(client, group).await, theirs, "the client reads what boto3 reads");
    theirs
}

#[tokio::test]
async fn a_hook_is_created_listed_updated_and_deleted() {
    let moto = MotoServer::start();
    let client = client(&moto);
    let group = "web-asg";

    // Created: two hooks, one for each transition.
    let drain = PutLifecycleHookInput::new(group, "drain")
        .lifecycle_transition(LifecycleTransition::Ec2InstanceTerminating)
        .heartbeat_timeout(300)
        .default_result(LifecycleActionResult::Continue)
        .role_arn("arn:aws:iam::123456789012:role/hooks")
        .notification_target_arn("arn:aws:sqs:us-east-1:123456789012:hooks");
    client.put_lifecycle_hook(drain).await.unwrap();
    let warm =
        PutLifecycleHookInput::new(group, "warm-up").lifecycle_transition(LifecycleTransition::Ec2InstanceLaunching);
    client.put_lifecycle_hook(warm).await.unwrap();

    // Listed.
    let hooks = read_back(&moto, &client, group).await;
    assert_eq!(hooks.len(), 2, "{hooks:?}");
    assert_eq!(hooks[0]["LifecycleHookName"], "drain");
    assert_eq!(hooks[0]["LifecycleTransition"], "autoscaling:EC2_INSTANCE_TERMINATING");
    assert_eq!(
        (hooks[0]["HeartbeatTimeout"].as_i64(), hooks[0]["DefaultResult"].as_str()),
        (Some(300), Some("CONTINUE"))
    );
    assert_eq!(hooks[1]["LifecycleHookName"], "warm-up");
    assert_eq!(hooks[1]["LifecycleTransition"], "autoscaling:EC2_INSTANCE_LAUNCHING");
    assert_eq!(
        (hooks[1]["HeartbeatTimeout"].as_i64(), hooks[1]["DefaultResult"].as_str()),
        (Some(3600), Some("ABANDON"))
    );
    // moto's hard-coded ARNs, whatever was sent.
    assert_eq!(hooks[0]["RoleARN"], "arn:aws:iam::1234567890:role/my-auto-scaling-role");

    // One of them by name.
    let named = client
        .describe_lifecycle_hooks(
            DescribeLifecycleHooksInput::new(group).lifecycle_hook_names(vec!["warm-up".to_owned()]),
        )
        .await;
    let named = named.unwrap().lifecycle_hooks.unwrap_or_default();
    assert_eq!(named.iter().map(|h| h.lifecycle_hook_name.as_deref()).collect::<Vec<_>>(), [Some("warm-up")]);

    // Updated: the same call again (moto replaces the hook: the transition must be sent again).
    let longer = PutLifecycleHookInput::new(group, "drain")
        .lifecycle_transition(LifecycleTransition::Ec2InstanceTerminating)
        .heartbeat_timeout(900)
        .default_result(LifecycleActionResult::Abandon);
    client.put_lifecycle_hook(longer).await.unwrap();
    let hooks = read_back(&moto, &client, group).await;
    assert_eq!(
        (hooks[0]["HeartbeatTimeout"].as_i64(), hooks[0]["DefaultResult"].as_str()),
        (Some(900), Some("ABANDON"))
    );
    assert_eq!(hooks.len(), 2);

    // Deleted, one then the other.
    client.delete_lifecycle_hook(DeleteLifecycleHookInput::new("drain", group)).await.unwrap();
    let hooks = read_back(&moto, &client, group).await;
    assert_eq!(hooks.iter().map(|h| h["LifecycleHookName"].clone()).collect::<Vec<_>>(), [json!("warm-up")]);
    client.delete_lifecycle_hook(DeleteLifecycleHookInput::new("warm-up", group)).await.unwrap();
    assert!(read_back(&moto, &client, group).await.is_empty());
}

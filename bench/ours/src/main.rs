//! All five lifecycle-hook operations through the generated crate (see
//! bench/common/harness.rs for the command line).

#[path = "../../common/harness.rs"]
mod harness;

use harness::{CallFuture, LargeFuture};
use lifecycle_hooks::runtime::{AwsCredentials, Config, HuaweiCredentials};
use lifecycle_hooks::{autoscaling, cloudformation, codedeploy, huawei_as, transfer};

#[derive(Clone)]
struct Clients {
    autoscaling: autoscaling::Client,
    codedeploy: codedeploy::Client,
    cloudformation: cloudformation::Client,
    transfer: transfer::Client,
    huawei_as: huawei_as::Client,
}

fn put_lifecycle_hook(c: Clients) -> CallFuture {
    Box::pin(async move {
        let input = autoscaling::PutLifecycleHookInput::new("my-asg", "my-launch-hook")
            .lifecycle_transition(autoscaling::LifecycleTransition::Ec2InstanceLaunching)
            .heartbeat_timeout(300)
            .default_result(autoscaling::LifecycleActionResult::Continue);
        c.autoscaling.put_lifecycle_hook(input).await.map(drop).map_err(|e| e.to_string())
    })
}

fn all_five(c: Clients) -> CallFuture {
    Box::pin(async move {
        let e = |e: &dyn std::fmt::Display| e.to_string();
        put_lifecycle_hook(c.clone()).await?;
        println!("autoscaling PutLifecycleHook: ok");
        let out = c
            .codedeploy
            .put_lifecycle_event_hook_execution_status(
                codedeploy::PutLifecycleEventHookExecutionStatusInput::new()
                    .deployment_id("d-A1B2C3D4E")
                    .lifecycle_event_hook_execution_id("eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0=")
                    .status(codedeploy::LifecycleEventStatus::Succeeded),
            )
            .await
            .map_err(|x| e(&x))?;
        println!("codedeploy PutLifecycleEventHookExecutionStatus: {:?}", out.lifecycle_event_hook_execution_id);
        let out = c
            .cloudformation
            .list_hook_results(
                cloudformation::ListHookResultsInput::new()
                    .target_type(cloudformation::ListHookResultsTargetType::ChangeSet)
                    .target_id("arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/0a1b"),
            )
            .await
            .map_err(|x| e(&x))?;
        println!("cloudformation ListHookResults: {} result(s)", out.hook_results.map_or(0, |r| r.len()));
        c.transfer
            .send_workflow_step_state(transfer::SendWorkflowStepStateInput::new(
                "w-0123456789abcdefg",
                "0123abcd-0000-1111-2222-333344445555",
                "token_from_the_step",
                transfer::CustomStepStatus::Success,
            ))
            .await
            .map_err(|x| e(&x))?;
        println!("transfer SendWorkflowStepState: ok");
        c.huawei_as
            .callback_lifecycle_hook(huawei_as::CallbackLifecycleHookInput::new(
                "e5d27f5c-dd76-4a61-b4bc-a67c5686719a",
                huawei_as::LifecycleActionResult::Abandon,
                huawei_as::CallbackTarget::by_action_key("23880867-6288-4470-98a8-f8bda096b6c4"),
            ))
            .await
            .map_err(|x| e(&x))?;
        println!("huawei_as CallbackLifecycleHook: ok");
        Ok(())
    })
}

/// DescribeLifecycleHooks with its large answer: how many hooks have every field set.
fn describe_lifecycle_hooks(c: Clients) -> LargeFuture {
    Box::pin(async move {
        let out = c
            .autoscaling
            .describe_lifecycle_hooks(autoscaling::DescribeLifecycleHooksInput::new("my-asg"))
            .await
            .map_err(|e| e.to_string())?;
        let complete = |h: &&autoscaling::LifecycleHook| {
            h.lifecycle_hook_name.is_some()
                && h.auto_scaling_group_name.is_some()
                && h.lifecycle_transition.is_some()
                && h.notification_target_arn.is_some()
                && h.role_arn.is_some()
                && h.notification_metadata.is_some()
                && h.heartbeat_timeout.is_some()
                && h.global_timeout.is_some()
                && h.default_result.is_some()
        };
        Ok(out.lifecycle_hooks.unwrap_or_default().iter().filter(complete).count())
    })
}

/// ListHookResults (every invocation of one hook) with its large answer: how many results have every field set.
fn list_hook_results(c: Clients) -> LargeFuture {
    Box::pin(async move {
        let input = cloudformation::ListHookResultsInput::new()
            .type_arn("arn:aws:cloudformation:us-east-1:123456789012:type/hook/MyCompany-Security-S3Encryption");
        let out = c.cloudformation.list_hook_results(input).await.map_err(|e| e.to_string())?;
        let complete = |r: &&cloudformation::HookResultSummary| {
            r.hook_result_id.is_some()
                && r.invocation_point.is_some()
                && r.failure_mode.is_some()
                && r.type_name.is_some()
                && r.type_version_id.is_some()
                && r.type_configuration_version_id.is_some()
                && r.status.is_some()
                && r.hook_status_reason.is_some()
                && r.invoked_at.is_some()
                && r.target_type.is_some()
                && r.target_id.is_some()
                && r.type_arn.is_some()
                && r.hook_execution_target.is_some()
        };
        Ok(out.hook_results.unwrap_or_default().iter().filter(complete).count())
    })
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let endpoint = std::env::args().nth(1).ok_or("usage: bench-ours <endpoint-url> <mode> ...")?;
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .aws_credentials(AwsCredentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None))
        .huawei_credentials(HuaweiCredentials::new("AK", "SK", "0123456789abcdef0123456789abcdef"))
        .build();
    let e = |e: lifecycle_hooks::runtime::ConfigError| e.to_string();
    let clients = Clients {
        autoscaling: autoscaling::Client::new(config.clone()).map_err(e)?,
        codedeploy: codedeploy::Client::new(config.clone()).map_err(e)?,
        cloudformation: cloudformation::Client::new(config.clone()).map_err(e)?,
        transfer: transfer::Client::new(config.clone()).map_err(e)?,
        huawei_as: huawei_as::Client::new(config).map_err(e)?,
    };
    let large: [harness::Large<Clients>; 2] =
        [("describe-lifecycle-hooks", describe_lifecycle_hooks), ("list-hook-results", list_hook_results)];
    harness::main("ours", clients, put_lifecycle_hook, all_five, &large).await
}

//! The four AWS lifecycle-hook operations through aws-sdk-rust (see
//! bench/common/harness.rs for the command line). The fifth operation of
//! bench/ours, Huawei Cloud's CallbackLifecycleHook, has no AWS SDK client.
//! Without the `four-services` feature only Auto Scaling's client is built:
//! PutLifecycleHook and the large DescribeLifecycleHooks answer.

#[path = "../../common/harness.rs"]
mod harness;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_autoscaling::config::Credentials;
use harness::{CallFuture, LargeFuture};

#[derive(Clone)]
struct Clients {
    autoscaling: aws_sdk_autoscaling::Client,
    #[cfg(feature = "four-services")]
    codedeploy: aws_sdk_codedeploy::Client,
    #[cfg(feature = "four-services")]
    cloudformation: aws_sdk_cloudformation::Client,
    #[cfg(feature = "four-services")]
    transfer: aws_sdk_transfer::Client,
}

fn put_lifecycle_hook(c: Clients) -> CallFuture {
    Box::pin(async move {
        c.autoscaling
            .put_lifecycle_hook()
            .auto_scaling_group_name("my-asg")
            .lifecycle_hook_name("my-launch-hook")
            .lifecycle_transition("autoscaling:EC2_INSTANCE_LAUNCHING")
            .heartbeat_timeout(300)
            .default_result("CONTINUE")
            .send()
            .await
            .map(drop)
            .map_err(|e| format!("{}", aws_sdk_autoscaling::error::DisplayErrorContext(e)))
    })
}

#[cfg(not(feature = "four-services"))]
fn all_four(c: Clients) -> CallFuture {
    Box::pin(async move {
        put_lifecycle_hook(c).await?;
        println!("autoscaling PutLifecycleHook: ok");
        Ok(())
    })
}

#[cfg(feature = "four-services")]
fn all_four(c: Clients) -> CallFuture {
    Box::pin(async move {
        put_lifecycle_hook(c.clone()).await?;
        println!("autoscaling PutLifecycleHook: ok");
        let out = c
            .codedeploy
            .put_lifecycle_event_hook_execution_status()
            .deployment_id("d-A1B2C3D4E")
            .lifecycle_event_hook_execution_id("eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0=")
            .status(aws_sdk_codedeploy::types::LifecycleEventStatus::Succeeded)
            .send()
            .await
            .map_err(|e| format!("{}", aws_sdk_codedeploy::error::DisplayErrorContext(e)))?;
        println!("codedeploy PutLifecycleEventHookExecutionStatus: {:?}", out.lifecycle_event_hook_execution_id);
        let out = c
            .cloudformation
            .list_hook_results()
            .target_type(aws_sdk_cloudformation::types::ListHookResultsTargetType::ChangeSet)
            .target_id("arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/0a1b")
            .send()
            .await
            .map_err(|e| format!("{}", aws_sdk_cloudformation::error::DisplayErrorContext(e)))?;
        println!("cloudformation ListHookResults: {} result(s)", out.hook_results().len());
        c.transfer
            .send_workflow_step_state()
            .workflow_id("w-0123456789abcdefg")
            .execution_id("0123abcd-0000-1111-2222-333344445555")
            .token("token_from_the_step")
            .status(aws_sdk_transfer::types::CustomStepStatus::Success)
            .send()
            .await
            .map_err(|e| format!("{}", aws_sdk_transfer::error::DisplayErrorContext(e)))?;
        println!("transfer SendWorkflowStepState: ok");
        Ok(())
    })
}

/// DescribeLifecycleHooks with its large answer: how many hooks have every field set.
fn describe_lifecycle_hooks(c: Clients) -> LargeFuture {
    Box::pin(async move {
        let out = c
            .autoscaling
            .describe_lifecycle_hooks()
            .auto_scaling_group_name("my-asg")
            .send()
            .await
            .map_err(|e| format!("{}", aws_sdk_autoscaling::error::DisplayErrorContext(e)))?;
        let complete = |h: &&aws_sdk_autoscaling::types::LifecycleHook| {
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
        Ok(out.lifecycle_hooks().iter().filter(complete).count())
    })
}

/// ListHookResults (every invocation of one hook) with its large answer: how many results have every field set.
#[cfg(feature = "four-services")]
fn list_hook_results(c: Clients) -> LargeFuture {
    Box::pin(async move {
        let out = c
            .cloudformation
            .list_hook_results()
            .type_arn("arn:aws:cloudformation:us-east-1:123456789012:type/hook/MyCompany-Security-S3Encryption")
            .send()
            .await
            .map_err(|e| format!("{}", aws_sdk_cloudformation::error::DisplayErrorContext(e)))?;
        let complete = |r: &&aws_sdk_cloudformation::types::HookResultSummary| {
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
        Ok(out.hook_results().iter().filter(complete).count())
    })
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let endpoint = std::env::args().nth(1).ok_or("usage: bench-peer-aws-sdk <endpoint-url> <mode> ...")?;
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "bench",
        ))
        .load()
        .await;
    let clients = Clients {
        autoscaling: aws_sdk_autoscaling::Client::new(&config),
        #[cfg(feature = "four-services")]
        codedeploy: aws_sdk_codedeploy::Client::new(&config),
        #[cfg(feature = "four-services")]
        cloudformation: aws_sdk_cloudformation::Client::new(&config),
        #[cfg(feature = "four-services")]
        transfer: aws_sdk_transfer::Client::new(&config),
    };
    let large: &[harness::Large<Clients>] = &[
        ("describe-lifecycle-hooks", describe_lifecycle_hooks),
        #[cfg(feature = "four-services")]
        ("list-hook-results", list_hook_results),
    ];
    harness::main("peer-aws-sdk", clients, put_lifecycle_hook, all_four, large).await
}

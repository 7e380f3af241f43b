//! All five lifecycle-hook operations through the generated crate (see
//! bench/common/harness.rs for the command line).

#[path = "../../common/harness.rs"]
mod harness;

use harness::CallFuture;
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
    harness::main("ours", clients, put_lifecycle_hook, all_five).await
}

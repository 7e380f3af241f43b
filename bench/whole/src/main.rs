//! The four AWS lifecycle-hook operations through a crate generated from the
//! whole official models (see Cargo.toml for what each feature compiles, and
//! bench/common/harness.rs for the command line). With `four` off, only
//! `PutLifecycleHook` is called.

#[path = "../../common/harness.rs"]
mod harness;

use harness::CallFuture;
use lifecycle_hooks::autoscaling;
use lifecycle_hooks::runtime::{AwsCredentials, Config, ConfigError};
#[cfg(feature = "four")]
use lifecycle_hooks::{cloudformation, codedeploy, transfer};

#[derive(Clone)]
struct Clients {
    autoscaling: autoscaling::Client,
    #[cfg(feature = "four")]
    codedeploy: codedeploy::Client,
    #[cfg(feature = "four")]
    cloudformation: cloudformation::Client,
    #[cfg(feature = "four")]
    transfer: transfer::Client,
}

fn put_lifecycle_hook(c: Clients) -> CallFuture {
    Box::pin(async move {
        let input = autoscaling::PutLifecycleHookInput::new("my-launch-hook", "my-asg")
            .lifecycle_transition("autoscaling:EC2_INSTANCE_LAUNCHING")
            .heartbeat_timeout(300)
            .default_result("CONTINUE");
        c.autoscaling.put_lifecycle_hook(input).await.map(drop).map_err(|e| e.to_string())
    })
}

#[cfg(not(feature = "four"))]
fn all(c: Clients) -> CallFuture {
    Box::pin(async move {
        put_lifecycle_hook(c).await?;
        println!("autoscaling PutLifecycleHook: ok");
        Ok(())
    })
}

#[cfg(feature = "four")]
fn all(c: Clients) -> CallFuture {
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
        Ok(())
    })
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let endpoint = std::env::args().nth(1).ok_or("usage: bench-whole <endpoint-url> <mode> ...")?;
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .aws_credentials(AwsCredentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None))
        .build();
    let e = |e: ConfigError| e.to_string();
    let clients = Clients {
        #[cfg(feature = "four")]
        codedeploy: codedeploy::Client::new(config.clone()).map_err(e)?,
        #[cfg(feature = "four")]
        cloudformation: cloudformation::Client::new(config.clone()).map_err(e)?,
        #[cfg(feature = "four")]
        transfer: transfer::Client::new(config.clone()).map_err(e)?,
        autoscaling: autoscaling::Client::new(config).map_err(e)?,
    };
    harness::main("whole", clients, put_lifecycle_hook, all, &[]).await
}

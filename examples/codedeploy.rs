//! AWS CodeDeploy: a validation hook reports that the deployment may go on,
//! as a Lambda function behind `BeforeAllowTraffic` does.
//!
//! ```sh
//! AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... AWS_REGION=us-east-1 \
//!     cargo run -p lifecycle-hooks-examples --example codedeploy -- http://127.0.0.1:4566
//! ```
#![forbid(unsafe_code)]

use std::process::ExitCode;

use lifecycle_hooks::codedeploy::{Client, LifecycleEventStatus, PutLifecycleEventHookExecutionStatusInput};
use lifecycle_hooks::runtime::Config;

/// Both come in the event CodeDeploy invokes the hook with.
const DEPLOYMENT: &str = "d-A1B2C3D4E";
const EXECUTION: &str = "eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0=";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => return fail(&e),
    };
    let config = match std::env::args().nth(1) {
        Some(url) => config.into_builder().endpoint_url(url).build(),
        None => config,
    };
    let client = match Client::new(config) {
        Ok(client) => client,
        Err(e) => return fail(&e),
    };

    // Only Succeeded and Failed are accepted here; anything else fails validation before sending.
    let input = PutLifecycleEventHookExecutionStatusInput::new()
        .deployment_id(DEPLOYMENT)
        .lifecycle_event_hook_execution_id(EXECUTION)
        .status(LifecycleEventStatus::Succeeded);

    match client.put_lifecycle_event_hook_execution_status(input).await {
        Ok(output) => {
            println!("reported Succeeded for hook execution {}", output.lifecycle_event_hook_execution_id.as_deref().unwrap_or("?"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{} (code {}, retryable {})", e, e.code(), e.is_retryable());
            ExitCode::FAILURE
        }
    }
}

fn fail(e: &dyn std::error::Error) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

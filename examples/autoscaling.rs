//! Amazon EC2 Auto Scaling: creates (or updates) a launch lifecycle hook.
//!
//! ```sh
//! .venv/bin/moto_server -H 127.0.0.1 -p 5000 &   # a local Auto Scaling
//! AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 \
//!     cargo run -p lifecycle-hooks-examples --example autoscaling -- http://127.0.0.1:5000
//! ```
#![forbid(unsafe_code)]

use std::process::ExitCode;

use lifecycle_hooks::autoscaling::{
    Client, LifecycleActionResult, LifecycleTransition, PutLifecycleHookError, PutLifecycleHookInput,
};
use lifecycle_hooks::runtime::Config;

const GROUP: &str = "my-asg";
const HOOK: &str = "drain-before-launch";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    // Region and credentials from the environment; the endpoint from the first argument.
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

    // Required members are constructor arguments; optional ones are setters.
    let input = PutLifecycleHookInput::new(GROUP, HOOK)
        .lifecycle_transition(LifecycleTransition::Ec2InstanceLaunching)
        .heartbeat_timeout(300)
        .default_result(LifecycleActionResult::Continue);

    match client.put_lifecycle_hook(input).await {
        Ok(output) => {
            println!("put lifecycle hook {HOOK} on {GROUP} (request id {})", output.request_id().unwrap_or("-"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            match e.as_service_error() {
                Some(PutLifecycleHookError::LimitExceededFault(_)) => eprintln!("{GROUP} has all the hooks it may have"),
                Some(PutLifecycleHookError::ResourceContentionFault(_)) => eprintln!("{GROUP} is busy; try again later"),
                _ => {}
            }
            fail(&e)
        }
    }
}

fn fail(e: &dyn std::error::Error) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

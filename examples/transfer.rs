//! AWS Transfer Family: a custom workflow step reports its outcome.
//!
//! ```sh
//! AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... AWS_REGION=us-east-1 \
//!     cargo run -p lifecycle-hooks-examples --example transfer -- http://127.0.0.1:4566
//! ```
#![forbid(unsafe_code)]

use std::process::ExitCode;

use lifecycle_hooks::runtime::Config;
use lifecycle_hooks::transfer::{Client, CustomStepStatus, SendWorkflowStepStateError, SendWorkflowStepStateInput};

/// All three come in the event the workflow step is invoked with.
const WORKFLOW: &str = "w-0123456789abcdefg";
const EXECUTION: &str = "0123abcd-0000-1111-2222-333344445555";
const TOKEN: &str = "token_from_the_step";

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

    let input = SendWorkflowStepStateInput::new(WORKFLOW, EXECUTION, TOKEN, CustomStepStatus::Success);
    match client.send_workflow_step_state(input).await {
        Ok(output) => {
            println!("step reported SUCCESS (request id {})", output.request_id().unwrap_or("-"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let Some(SendWorkflowStepStateError::ThrottlingException(t)) = e.as_service_error() {
                eprintln!("throttled; retry after {:?} s", t.retry_after_seconds);
            }
            fail(&e)
        }
    }
}

fn fail(e: &dyn std::error::Error) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

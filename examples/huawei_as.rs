//! Huawei Cloud Auto Scaling: lets a scaling instance waiting on its lifecycle
//! hook continue.
//!
//! ```sh
//! HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_PROJECT_ID=... \
//! HUAWEICLOUD_SDK_REGION=cn-north-4 \
//!     cargo run -p lifecycle-hooks-examples --example huawei_as -- http://127.0.0.1:8080
//! ```
#![forbid(unsafe_code)]

use std::process::ExitCode;

use lifecycle_hooks::huawei_as::{
    CallbackLifecycleHookError, CallbackLifecycleHookInput, CallbackTarget, Client, LifecycleActionResult,
};
use lifecycle_hooks::runtime::Config;

const SCALING_GROUP: &str = "e5d27f5c-dd76-4a61-b4bc-a67c5686719a";
/// From the instance's hanging lifecycle action (the API for querying instance suspension).
const ACTION_KEY: &str = "23880867-6288-4470-98a8-f8bda096b6c4";

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

    // The callback target is either the action key or the instance with its hook's name.
    let input = CallbackLifecycleHookInput::new(
        SCALING_GROUP,
        LifecycleActionResult::Continue,
        CallbackTarget::by_action_key(ACTION_KEY),
    );

    match client.callback_lifecycle_hook(input).await {
        Ok(_) => {
            println!("instance of {SCALING_GROUP} continues");
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let Some(CallbackLifecycleHookError::NotFound(_)) = e.as_service_error() {
                eprintln!("no scaling group {SCALING_GROUP} (or no hanging instance)");
            }
            fail(&e)
        }
    }
}

fn fail(e: &dyn std::error::Error) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

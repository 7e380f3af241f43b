//! AWS CloudFormation: every hook result of a change set, fetched page by page.
//!
//! ```sh
//! AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... AWS_REGION=us-east-1 \
//!     cargo run -p lifecycle-hooks-examples --example cloudformation -- http://127.0.0.1:4566
//! ```
#![forbid(unsafe_code)]

use std::process::ExitCode;

use lifecycle_hooks::cloudformation::{Client, ListHookResultsError, ListHookResultsInput, ListHookResultsTargetType};
use lifecycle_hooks::runtime::{Config, Error};

const CHANGE_SET: &str = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/my-change-set/0a1b2c3d";

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

    // The items of every page, one at a time; the next page is fetched when needed.
    let input = ListHookResultsInput::new().target_type(ListHookResultsTargetType::ChangeSet).target_id(CHANGE_SET);
    let mut items = client.list_hook_results_pages(input).items();
    let mut count = 0;
    while let Some(item) = items.next_item().await {
        match item {
            Ok(result) => {
                count += 1;
                let name = result.type_name.as_deref().unwrap_or("?");
                let status = result.status.as_ref().map_or("?", |s| s.as_str());
                println!("{name}: {status}");
            }
            Err(Error::Service(e)) if matches!(*e, ListHookResultsError::HookResultNotFoundException(_)) => {
                println!("no hook ran for this change set");
                return ExitCode::SUCCESS;
            }
            Err(e) => return fail(&e),
        }
    }
    println!("{count} hook results");
    ExitCode::SUCCESS
}

fn fail(e: &dyn std::error::Error) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

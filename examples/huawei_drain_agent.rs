//! The Huawei Cloud equivalent of `drain_agent`: for an instance an AS
//! lifecycle hook holds, it lists the hook's suspended instances
//! (ListHookInstances), takes the instance's lifecycle action key, runs the
//! drain command, and calls the hook back with CONTINUE when the command
//! succeeded, or ABANDON when it failed. While the command runs past half of
//! the hook's timeout, it extends the timeout (EXTEND, one hour each) once per
//! such period.
//!
//! ```sh
//! HUAWEICLOUD_SDK_AK=... HUAWEICLOUD_SDK_SK=... HUAWEICLOUD_SDK_PROJECT_ID=... HUAWEICLOUD_SDK_REGION=cn-north-4 \
//!     cargo run -p lifecycle-hooks-examples --example huawei_drain_agent -- \
//!     --group <scaling group id> --instance-id <instance id> [--extend-every SECONDS] [--endpoint-url URL] \
//!     -- systemctl stop my-service
//! ```
//!
//! Exit codes: 0 CONTINUE sent, 3 ABANDON sent (the drain failed), 1 anything else.
#![forbid(unsafe_code)]

use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use lifecycle_hooks::huawei_as::{
    CallbackLifecycleHookInput, CallbackTarget, Client, LifecycleActionResult, LifecycleHookStatus,
    ListHookInstancesInput,
};
use lifecycle_hooks::runtime::Config;

struct Args {
    endpoint_url: Option<String>,
    group: String,
    instance_id: String,
    extend_every: Duration,
    command: Vec<String>,
}

fn args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let (mut endpoint_url, mut group, mut instance_id, mut every) = (None, None, None, Duration::from_secs(1800));
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--endpoint-url" => endpoint_url = Some(value()?),
            "--group" => group = Some(value()?),
            "--instance-id" => instance_id = Some(value()?),
            "--extend-every" => {
                let v = value()?;
                let secs: f64 = v.parse().map_err(|_| format!("--extend-every {v}: not a number of seconds"))?;
                every = Duration::try_from_secs_f64(secs).map_err(|e| format!("--extend-every {v}: {e}"))?;
            }
            "--" => break,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let command: Vec<String> = it.collect();
    if command.is_empty() {
        return Err("no drain command after --".to_owned());
    }
    let need = |v: Option<String>, name: &str| v.ok_or_else(|| format!("{name} is required"));
    Ok(Args {
        endpoint_url,
        group: need(group, "--group")?,
        instance_id: need(instance_id, "--instance-id")?,
        extend_every: every,
        command,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match args() {
        Ok(a) => a,
        Err(e) => return fail(&e),
    };
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let config = match &args.endpoint_url {
        Some(url) => config.into_builder().endpoint_url(url.as_str()).build(),
        None => config,
    };
    let client = match Client::new(config) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };

    // The key of the hook that holds this instance.
    let list = ListHookInstancesInput::new(&args.group).instance_id(args.instance_id.as_str());
    let key = match client.list_hook_instances(list).await {
        Ok(out) => {
            let held = out.instance_hanging_info.unwrap_or_default().into_iter().find(|i| {
                i.instance_id.as_deref() == Some(args.instance_id.as_str())
                    && i.lifecycle_hook_status == Some(LifecycleHookStatus::Hanging)
            });
            match held.and_then(|i| i.lifecycle_action_key.map(|k| (k, i.lifecycle_hook_name))) {
                Some((key, hook)) => {
                    println!("instance {} is held by hook {}", args.instance_id, hook.as_deref().unwrap_or("?"));
                    key
                }
                None => return fail(&format!("no lifecycle hook holds instance {}", args.instance_id)),
            }
        }
        Err(e) => return fail(&e),
    };
    let callback = |result: LifecycleActionResult| {
        CallbackLifecycleHookInput::new(&args.group, result, CallbackTarget::by_action_key(key.as_str()))
    };

    let mut child = match Command::new(&args.command[0]).args(&args.command[1..]).spawn() {
        Ok(c) => c,
        Err(e) => return fail(&format!("cannot start {}: {e}", args.command[0])),
    };
    let mut extended = 0;
    let mut last = Instant::now();
    let drained = loop {
        tokio::time::sleep(Duration::from_millis(50).min(args.extend_every)).await;
        match child.try_wait() {
            Ok(Some(status)) => break status.success(),
            Ok(None) => {}
            Err(e) => {
                eprintln!("cannot wait for the drain command: {e}");
                break false;
            }
        }
        if last.elapsed() >= args.extend_every {
            // EXTEND is not idempotent (one hour more each time): the client never sends it twice by itself.
            match client.callback_lifecycle_hook(callback(LifecycleActionResult::Extend)).await {
                Ok(_) => extended += 1,
                Err(e) => eprintln!("timeout not extended: {e}"),
            }
            last = Instant::now();
        }
    };

    let result = if drained { LifecycleActionResult::Continue } else { LifecycleActionResult::Abandon };
    match client.callback_lifecycle_hook(callback(result.clone())).await {
        Ok(out) => {
            println!(
                "drain {} after {extended} extension(s); called back with {} (request id {})",
                if drained { "succeeded" } else { "failed" },
                result.as_str(),
                out.request_id().unwrap_or("-")
            );
            if drained { ExitCode::SUCCESS } else { ExitCode::from(3) }
        }
        Err(e) => fail(&e),
    }
}

fn fail(e: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

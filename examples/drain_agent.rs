//! An instance-draining agent for an Auto Scaling terminate hook: it runs the
//! drain command, sends a lifecycle action heartbeat while the command runs
//! (so that the hook does not time out), then completes the lifecycle action
//! with CONTINUE when the command succeeded, or ABANDON when it failed.
//!
//! ```sh
//! AWS_REGION=us-east-1 cargo run -p lifecycle-hooks-examples --example drain_agent -- \
//!     --group my-asg --hook drain --instance-id i-0123456789abcdef0 [--token TOKEN] \
//!     [--heartbeat-every SECONDS] [--endpoint-url URL] -- systemctl stop my-service
//! ```
//!
//! The heartbeat interval is half the hook's HeartbeatTimeout (read with
//! DescribeLifecycleHooks) unless `--heartbeat-every` is shorter. Exit codes:
//! 0 CONTINUE sent, 3 ABANDON sent (the drain failed), 1 anything else.
#![forbid(unsafe_code)]

use std::process::{Command, ExitCode};
use std::time::Duration;

use lifecycle_hooks::autoscaling::{
    Client, CompleteLifecycleActionInput, DescribeLifecycleHooksInput, LifecycleActionResult,
    RecordLifecycleActionHeartbeatInput,
};
use lifecycle_hooks::runtime::Config;

struct Args {
    endpoint_url: Option<String>,
    group: String,
    hook: String,
    instance_id: String,
    token: Option<String>,
    heartbeat_every: Option<Duration>,
    command: Vec<String>,
}

fn args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let (mut endpoint_url, mut group, mut hook, mut instance_id, mut token, mut every) =
        (None, None, None, None, None, None);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--endpoint-url" => endpoint_url = Some(value()?),
            "--group" => group = Some(value()?),
            "--hook" => hook = Some(value()?),
            "--instance-id" => instance_id = Some(value()?),
            "--token" => token = Some(value()?),
            "--heartbeat-every" => {
                let v = value()?;
                let secs: f64 = v.parse().map_err(|_| format!("--heartbeat-every {v}: not a number of seconds"))?;
                every = Some(Duration::try_from_secs_f64(secs).map_err(|e| format!("--heartbeat-every {v}: {e}"))?);
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
        hook: need(hook, "--hook")?,
        instance_id: need(instance_id, "--instance-id")?,
        token,
        heartbeat_every: every,
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

    // How long the hook waits for a heartbeat.
    let describe = DescribeLifecycleHooksInput::new(&args.group).lifecycle_hook_names(vec![args.hook.clone()]);
    let timeout = match client.describe_lifecycle_hooks(describe).await {
        Ok(out) => {
            let hooks = out.lifecycle_hooks.unwrap_or_default();
            let Some(hook) = hooks.iter().find(|h| h.lifecycle_hook_name.as_deref() == Some(args.hook.as_str())) else {
                return fail(&format!("{} has no lifecycle hook {}", args.group, args.hook));
            };
            hook.heartbeat_timeout.unwrap_or(3600)
        }
        Err(e) => return fail(&e),
    };
    let half = Duration::from_secs(u64::try_from(timeout).unwrap_or(60).max(2) / 2);
    let every = args.heartbeat_every.map_or(half, |e| e.min(half));
    println!("hook {} times out after {timeout} s; heartbeat every {:?}", args.hook, every);

    let mut child = match Command::new(&args.command[0]).args(&args.command[1..]).spawn() {
        Ok(c) => c,
        Err(e) => return fail(&format!("cannot start {}: {e}", args.command[0])),
    };
    let mut heartbeats = 0;
    let drained = loop {
        tokio::time::sleep(every).await;
        match child.try_wait() {
            Ok(Some(status)) => break status.success(),
            Ok(None) => {}
            Err(e) => {
                eprintln!("cannot wait for the drain command: {e}");
                break false;
            }
        }
        let mut heartbeat = RecordLifecycleActionHeartbeatInput::new(&args.hook, &args.group);
        heartbeat = match &args.token {
            Some(token) => heartbeat.lifecycle_action_token(token.as_str()),
            None => heartbeat.instance_id(args.instance_id.as_str()),
        };
        match client.record_lifecycle_action_heartbeat(heartbeat).await {
            Ok(_) => heartbeats += 1,
            // A heartbeat lost on the way is not the end; the next one may arrive in time.
            Err(e) if e.as_service_error().is_none() => eprintln!("heartbeat not sent: {e}"),
            Err(e) => {
                let _ = child.kill();
                return fail(&e);
            }
        }
    };

    let result = if drained { LifecycleActionResult::Continue } else { LifecycleActionResult::Abandon };
    let mut complete = CompleteLifecycleActionInput::new(&args.hook, &args.group, result.clone());
    complete = match &args.token {
        Some(token) => complete.lifecycle_action_token(token.as_str()),
        None => complete.instance_id(args.instance_id.as_str()),
    };
    match client.complete_lifecycle_action(complete).await {
        Ok(out) => {
            println!(
                "drain {} after {heartbeats} heartbeat(s); completed with {} (request id {})",
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

//! `hookctl autoscaling put-lifecycle-hook` against moto's server on loopback
//! (`.venv/bin/moto_server`, started per test and killed on drop), as a shell
//! script would call it. What moto stored is read back through boto3
//! (`tests/oracle/moto_describe.py`), not through hookctl. moto's quirks
//! (WIRE.md §E: hard-coded ARNs, no metadata, an update replaces the hook)
//! are not what is checked here; the members moto keeps are.

use std::time::Duration;

use serde_json::Value;
use tests::support::cli::Run;
use tests::support::moto::MotoServer;
use tests::support::python::run_json;

fn describe(moto: &MotoServer, group: &str) -> Vec<Value> {
    let out = run_json("moto_describe.py", &[&moto.endpoint(), group], Duration::from_secs(60));
    out["LifecycleHooks"].as_array().cloned().unwrap_or_else(|| panic!("no LifecycleHooks in {out}"))
}

fn hookctl(moto: &MotoServer) -> Run {
    Run::hookctl(["autoscaling", "put-lifecycle-hook", "--endpoint-url", &moto.endpoint(), "--max-attempts", "1", "--timeout", "20"])
}

#[tokio::test]
async fn put_lifecycle_hook_from_flags_and_from_input_json() {
    let moto = MotoServer::start();
    // A group name that survives only if the form encoding is right end to end.
    let group = "cli grp é🚀 &=+/?%#\"\\ <x>";
    let out = hookctl(&moto)
        .args(["--auto-scaling-group-name", group, "--lifecycle-hook-name", "launch-hook"])
        .args(["--lifecycle-transition", "autoscaling:EC2_INSTANCE_LAUNCHING", "--heartbeat-timeout", "300"])
        .args(["--default-result", "CONTINUE"])
        .run_async()
        .await;
    out.assert_code(0);
    assert_eq!(out.json(), serde_json::json!({}), "PutLifecycleHook has no output members");

    let input = serde_json::json!({
        "AutoScalingGroupName": group,
        "LifecycleHookName": "terminate-hook",
        "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING",
        "HeartbeatTimeout": 7200,
        "DefaultResult": "ABANDON",
    });
    let out = hookctl(&moto).args(["--input-json", "@-"]).stdin(input.to_string()).run_async().await;
    out.assert_code(0);

    let hooks = describe(&moto, group);
    assert_eq!(hooks.len(), 2, "{hooks:?}\nmoto:\n{}", moto.log());
    let hook = |name: &str| hooks.iter().find(|h| h["LifecycleHookName"] == name).unwrap_or_else(|| panic!("no {name}"));
    let launch = hook("launch-hook");
    assert_eq!(launch["AutoScalingGroupName"], group);
    assert_eq!(launch["LifecycleTransition"], "autoscaling:EC2_INSTANCE_LAUNCHING");
    assert_eq!(launch["HeartbeatTimeout"], 300);
    assert_eq!(launch["DefaultResult"], "CONTINUE");
    let terminate = hook("terminate-hook");
    assert_eq!(terminate["LifecycleTransition"], "autoscaling:EC2_INSTANCE_TERMINATING");
    assert_eq!(terminate["HeartbeatTimeout"], 7200);
    assert_eq!(terminate["DefaultResult"], "ABANDON");
}

#[tokio::test]
async fn an_invalid_hook_never_reaches_moto() {
    let moto = MotoServer::start();
    let out = hookctl(&moto)
        .args(["--auto-scaling-group-name", "g", "--lifecycle-hook-name", "h", "--heartbeat-timeout", "10"])
        .run_async()
        .await;
    out.assert_code(3);
    assert_eq!(out.error()["violations"][0]["path"], "HeartbeatTimeout");
    assert!(describe(&moto, "g").is_empty(), "moto stored nothing");
    // moto validates nothing: with --no-validate the same hook is stored.
    let out = hookctl(&moto)
        .args(["--auto-scaling-group-name", "g", "--lifecycle-hook-name", "h", "--heartbeat-timeout", "10", "--no-validate"])
        .run_async()
        .await;
    out.assert_code(0);
    assert_eq!(describe(&moto, "g")[0]["HeartbeatTimeout"], 10);
}

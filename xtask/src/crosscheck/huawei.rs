//! The official facts of a Huawei Cloud AS model: the AS SDK's classes
//! (`huaweicloudsdkas`, pinned in `scripts/requirements.txt`, in `.venv`), as
//! `tests/oracle/huawei_sdk_facts.py` dumps them in this project's format.
//!
//! The SDK names its operations differently (`CreateLifyCycleHook`, sic); the
//! table below gives the SDK method of each of the model's operations. The SDK
//! states no success status, no per-operation errors and no idempotency (those
//! facts are skipped), and raises `ClientRequestException` for every 4xx and
//! `ServerResponseException` from 500 without retrying: each of the model's
//! errors is compared with that (its fault by its status, never retryable).

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use super::{ModelFile, Official};

/// The model's operation name, and the SDK method (`AsClient.<method>`).
pub const OPERATIONS: &[(&str, &str)] = &[
    ("CallbackLifecycleHook", "attach_callback_instance_life_cycle_hook"),
    ("CreateLifecycleHook", "create_lify_cycle_hook"),
    ("ShowLifecycleHook", "show_life_cycle_hook"),
    ("ListLifecycleHooks", "list_life_cycle_hooks"),
    ("UpdateLifecycleHook", "update_life_cycle_hook"),
    ("DeleteLifecycleHook", "delete_lifecycle_hook"),
    ("ListHookInstances", "list_hook_instances"),
];

/// The SDK's facts for the operations of `ours`.
pub fn official(root: &Path, ours: &ModelFile) -> Result<Official, String> {
    let mut mapping = serde_json::Map::new();
    for name in ours
        .get(&["operations"])
        .and_then(Value::as_object)
        .map(|o| o.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        // An operation the table does not know stays out of the dump: the comparison says it has no counterpart.
        if let Some((_, method)) = OPERATIONS.iter().find(|(n, _)| *n == name) {
            mapping.insert(name, Value::from(*method));
        }
    }
    let python = root.join(".venv/bin/python");
    let script = root.join("tests/oracle/huawei_sdk_facts.py");
    let output = Command::new(&python)
        .arg(&script)
        .arg(Value::Object(mapping).to_string())
        .output()
        .map_err(|e| format!("cannot run {} (run scripts/setup-python first): {e}", python.display()))?;
    if !output.status.success() {
        return Err(format!("{} failed: {}", script.display(), String::from_utf8_lossy(&output.stderr)));
    }
    let mut tree: Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("{}: not JSON: {e}", script.display()))?;
    errors(&mut tree, ours);
    let version = Command::new(&python)
        .args(["-c", "import importlib.metadata as m; print(m.version('huaweicloudsdkas'))"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    Ok(Official { label: format!("huaweicloudsdkas {version} (tests/oracle/huawei_sdk_facts.py)"), tree })
}

/// The SDK's error rule, for each error shape of the model: a client fault
/// below 500, a server fault from 500, never retried by the SDK; no code of
/// its own (the code comes from the answer's envelope).
fn errors(tree: &mut Value, ours: &ModelFile) {
    let Some(shapes) = ours.get(&["shapes"]).and_then(Value::as_object) else { return };
    let Some(official) = tree.get_mut("shapes").and_then(Value::as_object_mut) else { return };
    for (name, shape) in shapes {
        let Some(status) = shape.get("error").and_then(|e| e.get("http_status")).and_then(Value::as_u64) else {
            continue;
        };
        let fault = if status >= 500 { "server" } else { "client" };
        let members = shape.get("members").cloned().unwrap_or_else(|| json!({}));
        official.insert(
            name.clone(),
            json!({
                "type": "structure",
                "members": members,
                "error": { "code": null, "http_status": status, "fault": fault, "retryable": false, "throttling": false },
            }),
        );
    }
}

//! botocore's model of an AWS service, in this project's format: the importer
//! run on the pinned botocore's `service-2.json` for the operations the model
//! has, then the two facts botocore keeps elsewhere: which error codes are
//! throttling (`data/_retry.json`) and the China partition's DNS suffix
//! (`data/partitions.json`).

use std::path::Path;

use serde_json::Value;

use super::{ModelFile, Official};
use crate::import::{self, ImportOptions, Json};

/// The official model of `ours` (an AWS model).
pub fn official(root: &Path, ours: &ModelFile) -> Result<Official, String> {
    let name = ours.get(&["service", "name"]).and_then(Value::as_str).ok_or("the model has no service.name")?;
    let folder = name.replace('_', "-");
    let bc = import::pinned_botocore(root).map_err(|e| e.to_string())?;
    let model_path = import::service_file(&bc, &folder).map_err(|e| e.to_string())?;
    let model = import::read_json_file(&model_path).map_err(|e| e.to_string())?;
    let pages = import::paginators_beside(&model_path)
        .as_deref()
        .map(import::read_json_file)
        .transpose()
        .map_err(|e| e.to_string())?;
    let operations: Vec<String> =
        ours.get(&["operations"]).and_then(Value::as_object).map(|o| o.keys().cloned().collect()).unwrap_or_default();
    let label =
        format!("botocore {} {}", bc.version, model_path.strip_prefix(&bc.package).unwrap_or(&model_path).display());
    let mut options = ImportOptions::new(name, label.clone());
    options.operations = Some(operations);
    options.unenforced_patterns = true;
    let yaml = import::convert(&model, pages.as_ref(), &options)
        .map_err(|e| format!("{}: botocore's model: {e}", ours.display))?;
    let mut tree = ModelFile::parse("botocore", &yaml)?.tree;
    let data = bc.package.join("data");
    throttling(&mut tree, &import::read_json_file(&data.join("_retry.json")).map_err(|e| e.to_string())?);
    partitions(&mut tree, &import::read_json_file(&data.join("partitions.json")).map_err(|e| e.to_string())?, &model)?;
    Ok(Official { label, tree })
}

/// Errors whose code botocore's retry handler treats as throttling (every
/// `service_error_code` of `_retry.json`'s definitions) are throttling, and so
/// retryable, as botocore retries them.
fn throttling(tree: &mut Value, retry: &Json) {
    let codes: Vec<&str> = retry
        .get("definitions")
        .and_then(Json::as_object)
        .map(|defs| {
            defs.iter()
                .filter_map(|(_, d)| d.get("applies_when")?.get("response")?.get("service_error_code")?.as_str())
                .collect()
        })
        .unwrap_or_default();
    let Some(shapes) = tree.get_mut("shapes").and_then(Value::as_object_mut) else { return };
    for shape in shapes.values_mut() {
        let Some(error) = shape.get_mut("error").and_then(Value::as_object_mut) else { continue };
        if error.get("code").and_then(Value::as_str).is_some_and(|c| codes.contains(&c)) {
            error.insert("retryable".to_owned(), Value::Bool(true));
            error.insert("throttling".to_owned(), Value::Bool(true));
        }
    }
}

/// The endpoint: `https://{endpointPrefix}.{region}.<dnsSuffix>` of the `aws`
/// partition, and the `aws-cn` partition's for regions starting `cn-`.
fn partitions(tree: &mut Value, partitions: &Json, model: &Json) -> Result<(), String> {
    let prefix = model
        .get("metadata")
        .and_then(|m| m.get("endpointPrefix"))
        .and_then(Json::as_str)
        .ok_or("no endpointPrefix")?;
    let suffix = |id: &str| {
        partitions
            .get("partitions")
            .and_then(Json::as_array)
            .and_then(|ps| ps.iter().find(|p| p.get("id").and_then(Json::as_str) == Some(id)))
            .and_then(|p| p.get("outputs")?.get("dnsSuffix")?.as_str())
            .map(str::to_owned)
            .ok_or_else(|| format!("partitions.json has no dnsSuffix for {id}"))
    };
    let service_id = model.get("metadata").and_then(|m| m.get("serviceId")).and_then(Json::as_str);
    let endpoint = serde_json::json!({
        "template": format!("https://{prefix}.{{region}}.{}", suffix("aws")?),
        "service_id": service_id,
        "partitions": [{ "region_prefix": "cn-", "template": format!("https://{prefix}.{{region}}.{}", suffix("aws-cn")?) }],
    });
    if let Some(service) = tree.get_mut("service").and_then(Value::as_object_mut) {
        service.insert("endpoint".to_owned(), endpoint);
    }
    Ok(())
}

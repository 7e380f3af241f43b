//! `cargo xtask crosscheck`: the models pass, and copies of them with one fact
//! changed away from the official model fail, naming that fact, its line and
//! both values. The copies are made from `models/` at run time (one edit each,
//! written to `target/crosscheck-cases/`), so that they follow the models.
//!
//! Needs `.venv` (scripts/setup-python): botocore and huaweicloudsdkas are the
//! official counterparts.

use std::path::{Path, PathBuf};

use xtask::crosscheck::{Difference, check_file, run};

fn root() -> PathBuf {
    xtask::repo_root()
}

/// `models/<model>` with `from` replaced by `to` (exactly once), as a file of its own.
fn edited(model: &str, case: &str, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(root().join("models").join(model)).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{model}: the edit of {case} must match once: {from:?}");
    let dir = root().join("target/crosscheck-cases");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{case}.yaml"));
    std::fs::write(&path, text.replace(from, to)).unwrap();
    path
}

fn line_of(path: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle:?} not in {}", path.display())) + 1
}

/// The one difference the edit made, and nothing else unrecorded.
fn only_unrecorded(path: &Path) -> Difference {
    let report = check_file(&root(), path).unwrap();
    let unrecorded: Vec<&Difference> = report.unrecorded().collect();
    assert_eq!(unrecorded.len(), 1, "{}: {unrecorded:#?}", path.display());
    unrecorded[0].clone()
}

#[test]
fn every_model_agrees_with_its_official_counterpart_or_records_why_not() {
    run(&root(), &[]).unwrap();
    for model in ["autoscaling", "cloudformation", "codedeploy", "huawei_as", "transfer"] {
        let report = check_file(&root(), &root().join(format!("models/{model}.yaml"))).unwrap();
        assert!(!report.counterpart.starts_with("nothing"), "{model}: {}", report.counterpart);
        let unrecorded: Vec<String> = report.unrecorded().map(ToString::to_string).collect();
        assert!(unrecorded.is_empty(), "{model}:\n{}", unrecorded.join("\n"));
    }
}

#[test]
fn the_recorded_disagreements_are_found() {
    // The page's facts kept against botocore's: each is a difference, and recorded.
    let report = check_file(&root(), &root().join("models/autoscaling.yaml")).unwrap();
    let facts: Vec<&str> = report.differences.iter().map(|d| d.fact.as_str()).collect();
    for fact in [
        "shapes.HeartbeatTimeout.range.min",
        "shapes.LifecycleTransition.type",
        "shapes.NotificationMetadata.length.max",
    ] {
        let d = report.differences.iter().find(|d| d.fact == fact).unwrap_or_else(|| panic!("{fact} not in {facts:?}"));
        assert!(d.recorded, "{d}");
    }
    let metadata = report.differences.iter().find(|d| d.fact == "shapes.NotificationMetadata.length.max").unwrap();
    assert_eq!((metadata.ours.as_str(), metadata.official.as_str()), ("1023", "4000"));
}

#[test]
fn a_required_member_the_official_model_no_longer_requires_fails() {
    let path = edited(
        "cloudformation.yaml",
        "required_no_longer",
        "      HookResultId:\n        shape: HookInvocationId\n        documentation: The unique identifier (ID) of the Hook invocation result that you want details about.",
        "      HookResultId:\n        shape: HookInvocationId\n        required: true\n        documentation: The unique identifier (ID) of the Hook invocation result that you want details about.",
    );
    let d = only_unrecorded(&path);
    assert_eq!(d.fact, "shapes.GetHookResultInput.members.HookResultId.required");
    assert_eq!((d.ours.as_str(), d.official.as_str()), ("true", "false"));
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("      HookResultId:\n        shape: HookInvocationId\n        required: true").unwrap();
    assert_eq!(d.line, text[..at].lines().count() + 3, "the line of `required: true`");
    let printed = d.to_string();
    assert!(
        printed.starts_with(&format!(
            "{}:{}: shapes.GetHookResultInput.members.HookResultId.required: ours true, official false",
            path.strip_prefix(root()).unwrap().display(),
            d.line
        )),
        "{printed}"
    );
    assert!(run(&root(), &[path.to_str().unwrap()]).unwrap_err().contains("1 difference(s)"));
}

#[test]
fn a_changed_length_bound_fails() {
    let path = edited(
        "autoscaling.yaml",
        "length_bound",
        "  AsciiStringMaxLen255:\n    type: string\n    documentation: An ASCII name, 1 to 255 long (the lifecycle hook name).\n    length:\n      min: 1\n      max: 255",
        "  AsciiStringMaxLen255:\n    type: string\n    documentation: An ASCII name, 1 to 255 long (the lifecycle hook name).\n    length:\n      min: 1\n      max: 254",
    );
    let d = only_unrecorded(&path);
    assert_eq!(d.fact, "shapes.AsciiStringMaxLen255.length.max");
    assert_eq!((d.ours.as_str(), d.official.as_str()), ("254", "255"));
    assert_eq!(d.line, line_of(&path, "      max: 254"));
}

#[test]
fn a_service_id_away_from_botocores_fails() {
    let path = edited("autoscaling.yaml", "service_id", "    service_id: Auto Scaling\n", "    service_id: AutoScaling\n");
    let d = only_unrecorded(&path);
    assert_eq!(d.fact, "service.endpoint.service_id");
    assert_eq!((d.ours.as_str(), d.official.as_str()), ("\"AutoScaling\"", "\"Auto Scaling\""));
    assert_eq!(d.line, line_of(&path, "    service_id: AutoScaling"));
}

#[test]
fn an_enum_value_the_official_model_lacks_fails() {
    let path = edited(
        "cloudformation.yaml",
        "enum_value",
        "      - value: HOOK_FAILED\n",
        "      - value: HOOK_FAILED\n      - value: HOOK_SKIPPED\n",
    );
    let d = only_unrecorded(&path);
    assert_eq!(d.fact, "shapes.HookStatus.values");
    assert!(d.ours.contains("not official: [\"HOOK_SKIPPED\"]"), "{d}");
}

#[test]
fn a_huawei_range_or_required_member_away_from_the_sdk_fails() {
    let path =
        edited("huawei_as.yaml", "huawei_range", "      min: 60\n      max: 86400", "      min: 60\n      max: 86401");
    let d = only_unrecorded(&path);
    assert_eq!(
        (d.fact.as_str(), d.ours.as_str(), d.official.as_str()),
        ("shapes.LifecycleHookTimeout.range.max", "86401", "86400")
    );
    let path = edited(
        "huawei_as.yaml",
        "huawei_required",
        "      notification_topic_urn:\n        shape: NotificationTopicUrn\n        required: true\n",
        "      notification_topic_urn:\n        shape: NotificationTopicUrn\n",
    );
    let d = only_unrecorded(&path);
    assert_eq!(d.fact, "shapes.CreateLifecycleHookRequest.members.notification_topic_urn.required");
    assert_eq!((d.ours.as_str(), d.official.as_str()), ("false", "true"));
}

#[test]
fn a_difference_with_a_disagreement_passes_and_one_without_fails() {
    // The same edit, once recorded on the shape: accepted and still printed.
    let path = edited(
        "autoscaling.yaml",
        "length_bound_recorded",
        "    documentation: An ASCII name, 1 to 255 long (the lifecycle hook name).\n    length:\n      min: 1\n      max: 255",
        "    documentation: An ASCII name, 1 to 255 long (the lifecycle hook name).\n    disagreement: a test's own.\n    length:\n      min: 1\n      max: 254",
    );
    let report = check_file(&root(), &path).unwrap();
    assert_eq!(report.unrecorded().count(), 0, "{:#?}", report.differences);
    assert!(report.differences.iter().any(|d| d.fact == "shapes.AsciiStringMaxLen255.length.max" && d.recorded));
}

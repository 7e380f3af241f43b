//! Generated validators at their boundaries: lengths in Unicode scalar values,
//! Smithy pattern semantics, exact lengths, ranges, enums, the Huawei
//! conditional requirement, and constraints switched off in the model.

use lifecycle_hooks::autoscaling::{LifecycleActionResult, LifecycleTransition, PutLifecycleHookInput};
use lifecycle_hooks::codedeploy::{LifecycleEventStatus, PutLifecycleEventHookExecutionStatusInput};
use lifecycle_hooks::huawei_as::{self, CallbackLifecycleHookInput, CallbackTarget};
use lifecycle_hooks::runtime::{Constraint, ValidationError};
use lifecycle_hooks::transfer::{CustomStepStatus, SendWorkflowStepStateInput};
use tests::fixtures::obstacle_course as oc;

const WORKFLOW: &str = "w-0123456789abcdefg";
const EXECUTION: &str = "0123abcd-0000-1111-2222-333344445555";

fn transfer(workflow: &str, execution: &str, token: &str) -> SendWorkflowStepStateInput {
    SendWorkflowStepStateInput::new(workflow, execution, token, CustomStepStatus::Success)
}

/// (path, constraint) of every violation.
fn broken(result: Result<(), ValidationError>) -> Vec<(String, Constraint)> {
    match result {
        Ok(()) => vec![],
        Err(e) => e.into_violations().into_iter().map(|v| (v.path, v.constraint)).collect(),
    }
}

fn paths(result: Result<(), ValidationError>) -> Vec<String> {
    broken(result).into_iter().map(|(p, _)| p).collect()
}

#[test]
fn transfer_valid_input_passes() {
    transfer(WORKFLOW, EXECUTION, "tok_1").validate().unwrap();
}

#[test]
fn token_length_counts_characters_not_bytes() {
    // CallbackToken: length 1..=64, pattern \w+ (one ASCII word character somewhere).
    let ok = |t: &str| transfer(WORKFLOW, EXECUTION, t).validate();
    assert_eq!(paths(ok("")), ["Token", "Token"], "min-1: too short and no match");
    ok("a").unwrap();
    ok(&format!("a{}", "é".repeat(63))).unwrap(); // 64 characters, 127 bytes
    ok(&format!("a{}", "🚀".repeat(63))).unwrap(); // 64 characters, 253 bytes
    let too_long = broken(ok(&format!("a{}", "🚀".repeat(64))));
    assert_eq!(too_long, [("Token".to_owned(), Constraint::Length { min: Some(1), max: Some(64) })]);
    assert_eq!(paths(ok(&"é".repeat(65))), ["Token", "Token"], "max+1 and no ASCII word character");
}

#[test]
fn word_pattern_is_unanchored_and_ascii() {
    let ok = |t: &str| transfer(WORKFLOW, EXECUTION, t).validate();
    ok("!hello!").unwrap();
    let e = broken(ok("日本"));
    assert_eq!(e, [("Token".to_owned(), Constraint::Pattern { pattern: r"\w+" })]);
    assert!(broken(ok("日本_")).is_empty(), "`_` is a word character");
}

#[test]
fn exact_lengths_19_and_36() {
    let w = |id: &str| paths(transfer(id, EXECUTION, "t").validate());
    // 18: too short, and too short for `w-` plus 17 characters to match anywhere.
    assert_eq!(broken(transfer("w-0123456789abcdef", EXECUTION, "t").validate()).len(), 2, "18");
    assert!(w(WORKFLOW).is_empty(), "19");
    assert_eq!(w("w-0123456789abcdefgh"), ["WorkflowId"], "20 (the unanchored pattern still matches)");
    assert_eq!(w("x-0123456789abcdefg"), ["WorkflowId"], "19 characters but no `w-` followed by 17");
    let e = |id: &str| paths(transfer(WORKFLOW, id, "t").validate());
    let short = broken(transfer(WORKFLOW, &EXECUTION[1..], "t").validate());
    assert!(short.contains(&("ExecutionId".to_owned(), Constraint::Length { min: Some(36), max: Some(36) })), "35: {short:?}");
    assert!(e(EXECUTION).is_empty(), "36");
    assert_eq!(e(&format!("{EXECUTION}0")), ["ExecutionId"], "37");
}

#[test]
fn every_violation_is_reported_at_once() {
    let input = SendWorkflowStepStateInput::new("w", "e", "", CustomStepStatus::from("MAYBE"));
    let all = paths(input.validate());
    assert_eq!(all, ["WorkflowId", "WorkflowId", "ExecutionId", "ExecutionId", "Token", "Token", "Status"]);
}

#[test]
fn heartbeat_timeout_range_edges() {
    let hook = |t: i32| PutLifecycleHookInput::new("asg", "hook").heartbeat_timeout(t).validate();
    assert_eq!(broken(hook(29)), [("HeartbeatTimeout".to_owned(), Constraint::Range { min: Some(30), max: Some(7200) })]);
    hook(30).unwrap();
    hook(7200).unwrap();
    assert_eq!(paths(hook(7201)), ["HeartbeatTimeout"]);
    assert_eq!(paths(hook(i32::MIN)), ["HeartbeatTimeout"]);
}

#[test]
fn autoscaling_lengths_and_patterns() {
    // LifecycleHookName 1..=255, pattern [A-Za-z0-9\-_\/]+ (unanchored).
    let name = |n: &str| paths(PutLifecycleHookInput::new("asg", n).validate());
    assert!(name(&format!("h{}", "é".repeat(254))).is_empty(), "255 characters");
    assert_eq!(name(&format!("h{}", "é".repeat(255))), ["LifecycleHookName"], "256 characters");
    assert_eq!(name(""), ["LifecycleHookName", "LifecycleHookName"]);
    // The group name's pattern is the translated Java surrogate-pair class: any XML character.
    assert!(paths(PutLifecycleHookInput::new("grüße 🚀\t", "h").validate()).is_empty());
    assert_eq!(paths(PutLifecycleHookInput::new("\u{1}", "h").validate()), Vec::<String>::new(), "unanchored `*` matches the empty string");
    // NotificationMetadata: the page's 1..=1023, printable ASCII somewhere.
    let meta = |m: &str| paths(PutLifecycleHookInput::new("a", "h").notification_metadata(m).validate());
    assert!(meta(&"x".repeat(1023)).is_empty());
    assert_eq!(meta(&"x".repeat(1024)), ["NotificationMetadata"]);
    assert_eq!(meta("ééé"), ["NotificationMetadata"], "no printable ASCII character");
    // NotificationTargetARN: min 0, an empty string is allowed (it clears the ARN).
    assert!(paths(PutLifecycleHookInput::new("a", "h").notification_target_arn("").validate()).is_empty());
}

#[test]
fn enums_outside_the_model_fail_validation_but_round_trip() {
    let input = PutLifecycleHookInput::new("a", "h")
        .lifecycle_transition("autoscaling:EC2_INSTANCE_LAUNCHING")
        .default_result(LifecycleActionResult::from("MAYBE"));
    assert_eq!(input.lifecycle_transition, Some(LifecycleTransition::Ec2InstanceLaunching));
    assert_eq!(paths(input.validate()), ["DefaultResult"]);
    let json = serde_json::to_value(PutLifecycleHookInput::new("a", "h").default_result("MAYBE")).unwrap();
    assert_eq!(json["DefaultResult"], "MAYBE");
    let back: PutLifecycleHookInput = serde_json::from_value(json).unwrap();
    assert_eq!(back.default_result.unwrap().as_str(), "MAYBE");
}

#[test]
fn codedeploy_accepts_only_succeeded_and_failed() {
    let with = |s: LifecycleEventStatus| paths(PutLifecycleEventHookExecutionStatusInput::new().status(s).validate());
    assert!(with(LifecycleEventStatus::Succeeded).is_empty());
    assert!(with(LifecycleEventStatus::Failed).is_empty());
    for s in ["Pending", "InProgress", "Skipped", "Unknown", "Bogus"] {
        assert_eq!(with(LifecycleEventStatus::from(s)), ["status"], "{s}");
    }
    // The real value `Unknown` is a variant of its own, beside the catch-all.
    assert_eq!(LifecycleEventStatus::from("Unknown"), LifecycleEventStatus::UnknownValue);
    assert!(matches!(LifecycleEventStatus::from("unknown"), LifecycleEventStatus::Unknown(_)));
    PutLifecycleEventHookExecutionStatusInput::new().validate().unwrap();
}

/// The callback target as the CLI and `--input-json` would give it.
fn huawei_from_json(body: serde_json::Value) -> Result<CallbackLifecycleHookInput, String> {
    let mut v = serde_json::json!({"scaling_group_id": "g", "lifecycle_action_result": "CONTINUE"});
    v.as_object_mut().unwrap().extend(body.as_object().unwrap().clone());
    serde_json::from_value(v).map_err(|e| e.to_string())
}

#[test]
fn huawei_conditional_requirement_in_every_combination() {
    use serde_json::json;
    // Neither, instance alone, hook name alone: not a valid callback target.
    for body in [json!({}), json!({"instance_id": "i"}), json!({"lifecycle_hook_name": "h"})] {
        assert!(huawei_from_json(body.clone()).is_err(), "{body}");
    }
    let key = huawei_from_json(json!({"lifecycle_action_key": "k"})).unwrap();
    assert_eq!(key.target, CallbackTarget::by_action_key("k"));
    let both = huawei_from_json(json!({"instance_id": "i", "lifecycle_hook_name": "h"})).unwrap();
    assert_eq!(both.target, CallbackTarget::by_instance("i", "h"));
    // All three, as the page allows (the service uses the key): all three are kept, to be sent.
    let all = huawei_from_json(json!({"lifecycle_action_key": "k", "instance_id": "i", "lifecycle_hook_name": "h"})).unwrap();
    assert_eq!(all.target, CallbackTarget::by_action_key_and_instance("k", "i", "h"));
    // Built in code, the type allows only the three valid shapes; each validates.
    for target in [
        CallbackTarget::by_action_key("k"),
        CallbackTarget::by_instance("i", "h"),
        CallbackTarget::by_action_key_and_instance("k", "i", "h"),
    ] {
        CallbackLifecycleHookInput::new("g", huawei_as::LifecycleActionResult::Extend, target).validate().unwrap();
    }
}

#[test]
fn disabled_constraints_are_not_enforced() {
    // Every constraint of oc::N2fastInput is in the model with `enforce: false`.
    let loose = oc::N2fastInput::new("way too long and no x")
        .small(99)
        .kind(oc::LooseKind::from("TWO"))
        .picked(oc::Type::from("1st"));
    loose.validate().unwrap();
}

#[test]
fn nested_paths_name_list_elements_and_map_keys() {
    let input = oc::MatchInput::new(oc::Type::from("Nope"))
        .r#async(0)
        .crate_(vec![oc::Item::new("ok"), oc::Item::new("too long"), oc::Item::new("")])
        .r#fn([("toolong".to_owned(), "v".to_owned())].into_iter().collect::<std::collections::BTreeMap<_, _>>());
    let all = paths(input.validate());
    assert_eq!(all, ["type", "async", "crate", "crate[1].name", "crate[2].name", "fn[\"toolong\"]"]);
}

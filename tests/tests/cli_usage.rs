//! `hookctl` as a person at a shell uses it: `--help` at every level (checked
//! against the models themselves), usage errors and their exit code, how
//! flags, `--input-json` (inline, `@FILE`, `@-`) and the environment combine,
//! validation, and configuration errors. The request a command would send is
//! observed with `--dry-run`, so nothing here needs a server.

use codegen::ir::{Rule, Service, ShapeKind};
use codegen::naming::snake;
use serde_json::{Value, json};
use tests::support::cli::{Output, Run};

fn hookctl<const N: usize>(args: [&str; N]) -> Output {
    Run::hookctl(args).run()
}

fn kebab(name: &str) -> String {
    snake(name).replace('_', "-")
}

fn models() -> Vec<Service> {
    codegen::load_models(&tests::repo_root().join("models")).expect("models are valid")
}

/// The first sentence of the first paragraph, as `-h` shows it.
fn summary(docs: &[String]) -> String {
    let first = docs.iter().map(|d| d.trim()).find(|d| !d.is_empty()).unwrap_or_default();
    let line = first.lines().next().unwrap_or_default().trim();
    line.find(". ").map_or(line, |i| &line[..=i]).to_owned()
}

/// Help text with its wrapping undone, to look for sentences in it.
fn unwrapped(help: &str) -> String {
    help.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[track_caller]
fn assert_usage_error(out: &Output, message_part: &str) -> Value {
    out.assert_code(2);
    assert!(out.stdout.is_empty(), "nothing on stdout:\n{out}");
    let e = out.error();
    assert_eq!(e["kind"], "Usage", "{out}");
    assert_eq!(e["code"], "UsageError", "{out}");
    assert_eq!(e["http_status"], Value::Null);
    assert_eq!(e["request_id"], Value::Null);
    assert_eq!(e["retryable"], false);
    let message = e["message"].as_str().unwrap();
    assert!(message.contains(message_part), "message {message:?} lacks {message_part:?}");
    e
}

fn dry_run_body(out: &Output) -> String {
    out.assert_code(0);
    out.json()["body"].as_str().expect("body").to_owned()
}

fn dry_run_json_body(out: &Output) -> Value {
    serde_json::from_str(&dry_run_body(out)).expect("a JSON body")
}

// ------------------------------------------------------------------ help

#[test]
fn root_help_lists_services_exit_codes_and_environment() {
    let out = hookctl(["--help"]);
    out.assert_code(0);
    assert!(out.stderr.is_empty());
    let help = &out.stdout;
    for s in models() {
        assert!(help.contains(&format!("  {}", kebab(&s.module))), "{} missing:\n{help}", s.module);
        assert!(help.contains(&s.title), "{}", s.title);
    }
    for line in [
        "Usage: hookctl <SERVICE> <OPERATION>",
        "Exit codes:",
        "  0  success",
        "  2  usage",
        "  3  validation",
        "  4  service",
        "  5  anything else",
        "AWS_ACCESS_KEY_ID",
        "HUAWEICLOUD_SDK_PROJECT_ID",
        "--input-json",
        "--dry-run",
        "--endpoint-url <URL>",
        "--region <REGION>",
        "--no-validate",
        "--max-attempts <N>",
    ] {
        assert!(help.contains(line), "{line:?} missing:\n{help}");
    }
    // -h is the summary: the same services, without the long sections.
    let short = hookctl(["-h"]);
    short.assert_code(0);
    assert!(short.stdout.contains("huawei-as") && !short.stdout.contains("Exit codes:"), "{short}");
    // clap's help subcommand works too.
    let via_help = hookctl(["help", "transfer", "send-workflow-step-state"]);
    via_help.assert_code(0);
    assert!(via_help.stdout.contains("--workflow-id <STRING>"), "{via_help}");
}

#[test]
fn version() {
    let out = hookctl(["--version"]);
    out.assert_code(0);
    assert_eq!(out.stdout.trim(), "hookctl 0.1.0");
}

/// Every service's and every operation's help says what the model says:
/// title and documentation, each member's flag, its first sentence, type,
/// constraints, whether it is required, and the enum values.
#[test]
fn every_service_and_operation_help_comes_from_its_model() {
    for s in models() {
        let service = kebab(&s.module);
        let out = Run::hookctl([service.as_str(), "--help"]).run();
        out.assert_code(0);
        let help = unwrapped(&out.stdout);
        assert!(help.contains(&format!("{} (API version {})", s.title, s.api_version)), "{service}:\n{}", out.stdout);
        for doc in &s.docs {
            assert!(help.contains(&unwrapped(doc)), "{service}: doc {doc:?} missing:\n{}", out.stdout);
        }
        for op in &s.operations {
            let name = kebab(&op.name);
            assert!(help.contains(&format!("{name} {}", unwrapped(&summary(&op.docs)))), "{service}: {name} missing");

            let out = Run::hookctl([service.as_str(), name.as_str(), "--help"]).run();
            out.assert_code(0);
            let help = unwrapped(&out.stdout);
            let ctx = format!("{service} {name} --help");
            for doc in &op.docs {
                assert!(help.contains(&unwrapped(doc)), "{ctx}: {doc:?} missing:\n{}", out.stdout);
            }
            assert!(help.contains(&format!("HTTP: {} ", op.http_method)), "{ctx}");
            for &e in &op.errors {
                assert!(help.contains(&s.shape(e).rust_name), "{ctx}: error {} missing", s.shape(e).rust_name);
            }
            assert!(help.contains("Exit codes:"), "{ctx}");
            let input = s.structure(op.input);
            for m in &input.members {
                let flag = format!("--{}", kebab(&m.name));
                assert!(out.stdout.contains(&format!("      {flag} <")), "{ctx}: {flag} missing:\n{}", out.stdout);
                for doc in &m.docs {
                    assert!(help.contains(&unwrapped(doc)), "{ctx}: {flag} doc {doc:?} missing");
                }
                assert!(help.contains(&format!("Member `{}` of --input-json.", m.name)), "{ctx}: {flag}");
                let required = if m.required {
                    "Required."
                } else if m.one_of_variant.is_some() {
                    "Part of "
                } else {
                    "Optional."
                };
                assert!(help.contains(required), "{ctx}: {flag} {required}");
                let target = s.shape(m.target);
                for c in &target.constraints {
                    let text = match &c.rule {
                        Rule::Length { min, max, unit } => {
                            let unit = unit.as_str();
                            match (min, max) {
                                (Some(a), Some(b)) => format!("length {a}..={b} {unit}"),
                                (None, Some(b)) => format!("length <= {b} {unit}"),
                                (Some(a), None) => format!("length >= {a} {unit}"),
                                (None, None) => "length".into(),
                            }
                        }
                        Rule::Range { min: Some(a), max: Some(b) } => format!("range {a}..={b}"),
                        Rule::Pattern(p) => format!("pattern `{}`", p.ecma),
                        _ => continue,
                    };
                    assert!(help.contains(&text), "{ctx}: {flag} {text}");
                }
                if let ShapeKind::Enum { values } = &target.kind {
                    let list = values.iter().map(|v| v.value.as_str()).collect::<Vec<_>>().join(", ");
                    assert!(help.contains(&format!("one of: {list}")), "{ctx}: {flag} values {list}");
                }
                for c in &m.constraints {
                    if let Rule::OneOf(values) = &c.rule {
                        assert!(help.contains(&format!("Accepted values: {}", values.join(", "))), "{ctx}: {flag}");
                    }
                }
            }
            // The usage line spells out the required flags.
            let usage = out.stdout.lines().find(|l| l.starts_with("Usage: ")).unwrap();
            for m in input.members.iter().filter(|m| m.required) {
                assert!(usage.contains(&format!("--{} <", kebab(&m.name))), "{ctx}: usage {usage}");
            }
            assert_eq!(help.contains("--all-pages"), op.pagination.is_some(), "{ctx}: --all-pages");
        }
    }
}

#[test]
fn the_one_of_alternatives_are_spelled_out() {
    let out = hookctl(["huawei-as", "callback-lifecycle-hook", "--help"]);
    out.assert_code(0);
    assert!(out.stdout.contains(
        "(--lifecycle-action-key <STRING> --instance-id <STRING> --lifecycle-hook-name <STRING> | --lifecycle-action-key <STRING> | --instance-id <STRING> --lifecycle-hook-name <STRING>)"
    ));
    assert!(unwrapped(&out.stdout).contains("Part of CallbackTarget (give --lifecycle-action-key with --instance-id with --lifecycle-hook-name, or --lifecycle-action-key, or --instance-id with --lifecycle-hook-name)."));
}

// ------------------------------------------------------------------ usage errors

#[test]
fn usage_errors_exit_2_with_a_json_error() {
    let e = assert_usage_error(&hookctl([]), "requires a subcommand");
    assert!(e["usage"].as_str().unwrap().starts_with("hookctl <SERVICE> <OPERATION>"), "{e}");
    assert_usage_error(&hookctl(["s3"]), "unrecognized subcommand 's3'");
    assert_usage_error(&hookctl(["autoscaling"]), "requires a subcommand");
    assert_usage_error(&hookctl(["autoscaling", "create-auto-scaling-group"]), "unrecognized subcommand 'create-auto-scaling-group'");
    assert_usage_error(
        &hookctl(["autoscaling", "delete-lifecycle-hook"]),
        "required arguments were not provided (as flags or in --input-json): --lifecycle-hook-name <STRING> --auto-scaling-group-name <STRING>",
    );
    let e = assert_usage_error(
        &hookctl(["autoscaling", "put-lifecycle-hook", "--auto-scaling-group-name", "g", "--lifecycle-hook-name", "h", "--bogus", "1"]),
        "unexpected argument '--bogus'",
    );
    assert!(e["usage"].as_str().unwrap().contains("hookctl autoscaling put-lifecycle-hook --auto-scaling-group-name <STRING>"));
    assert_usage_error(
        &hookctl(["transfer", "send-workflow-step-state", "--all-pages"]),
        "unexpected argument '--all-pages'",
    );
    assert_usage_error(&hookctl(["codedeploy", "put-lifecycle-event-hook-execution-status", "--max-attempts", "0"]), "--max-attempts <N>");
    assert_usage_error(&hookctl(["codedeploy", "put-lifecycle-event-hook-execution-status", "--timeout", "soon"]), "--timeout <SECONDS>");
    assert_usage_error(
        &hookctl(["codedeploy", "put-lifecycle-event-hook-execution-status", "--signing-time", "2024-01-02T03:04:05Z"]),
        "--dry-run",
    );
}

#[test]
fn missing_required_members_name_their_flags() {
    let e = assert_usage_error(
        &hookctl(["autoscaling", "put-lifecycle-hook", "--lifecycle-hook-name", "h"]),
        "the following required arguments were not provided",
    );
    let message = e["message"].as_str().unwrap();
    assert!(message.contains("--auto-scaling-group-name <STRING>"), "{message}");
    assert!(!message.contains("--lifecycle-hook-name"), "{message}");
    assert!(e["usage"].as_str().unwrap().starts_with("hookctl autoscaling put-lifecycle-hook"), "{e}");

    let e = assert_usage_error(&hookctl(["transfer", "send-workflow-step-state"]), "required");
    let message = e["message"].as_str().unwrap();
    for flag in ["--workflow-id <STRING>", "--execution-id <STRING>", "--token <STRING>", "--status <VALUE>"] {
        assert!(message.contains(flag), "{message}");
    }

    // The one-of: neither alternative complete.
    let base = ["huawei-as", "callback-lifecycle-hook", "--scaling-group-id", "g", "--lifecycle-action-result", "CONTINUE"];
    let e = assert_usage_error(&Run::hookctl(base).arg("--instance-id").arg("i-1").run(), "required");
    assert!(
        e["message"].as_str().unwrap().contains(
            "(--lifecycle-action-key <STRING> --instance-id <STRING> --lifecycle-hook-name <STRING> | --lifecycle-action-key <STRING> | --instance-id <STRING> --lifecycle-hook-name <STRING>)"
        ),
        "{e}"
    );
    // Either one is enough.
    Run::hookctl(base).args(["--lifecycle-action-key", "k", "--dry-run"]).run().assert_code(0);
    Run::hookctl(base).args(["--instance-id", "i-1", "--lifecycle-hook-name", "h", "--dry-run"]).run().assert_code(0);
}

#[test]
fn typed_flags_reject_what_the_model_does_not_allow() {
    let put = ["autoscaling", "put-lifecycle-hook", "--auto-scaling-group-name", "g", "--lifecycle-hook-name", "h"];
    let e = assert_usage_error(&Run::hookctl(put).args(["--heartbeat-timeout", "ninety"]).run(), "--heartbeat-timeout <INTEGER>");
    assert!(e["message"].as_str().unwrap().contains("invalid digit"), "{e}");
    assert_usage_error(&Run::hookctl(put).args(["--heartbeat-timeout", "4294967296"]).run(), "too large");
    let e = assert_usage_error(&Run::hookctl(put).args(["--default-result", "continue"]).run(), "--default-result <VALUE>");
    assert!(e["message"].as_str().unwrap().contains("expected one of CONTINUE, ABANDON"), "{e}");

    // --no-validate lets an unknown enum value through, unchanged.
    let out = Run::hookctl(put).args(["--default-result", "continue", "--no-validate", "--dry-run"]).run();
    assert!(dry_run_body(&out).contains("&DefaultResult=continue"), "{out}");
    let out = Run::hookctl(["huawei-as", "callback-lifecycle-hook", "--scaling-group-id", "g", "--lifecycle-action-key", "k"])
        .args(["--lifecycle-action-result", "continue", "--no-validate", "--dry-run"])
        .run();
    assert_eq!(dry_run_json_body(&out)["lifecycle_action_result"], "continue");
}

#[test]
fn input_json_errors_are_usage_errors() {
    let op = ["transfer", "send-workflow-step-state"];
    assert_usage_error(&Run::hookctl(op).args(["--input-json", "{"]).run(), "invalid JSON");
    assert_usage_error(&Run::hookctl(op).args(["--input-json", "[1]"]).run(), "expected a JSON object");
    assert_usage_error(&Run::hookctl(op).args(["--input-json", "@/nonexistent/input.json"]).run(), "cannot read /nonexistent/input.json");
    let e = assert_usage_error(&Run::hookctl(op).args(["--input-json", r#"{"WorkflowID": "w"}"#]).run(), "\"WorkflowID\"");
    assert!(e["message"].as_str().unwrap().contains("WorkflowId, ExecutionId, Token, Status"), "{e}");
    let e = assert_usage_error(
        &Run::hookctl(["autoscaling", "put-lifecycle-hook", "--input-json", r#"{"AutoScalingGroupName": "g", "LifecycleHookName": "h", "HeartbeatTimeout": "60"}"#]).run(),
        "HeartbeatTimeout",
    );
    assert!(e["message"].as_str().unwrap().contains("invalid type: string \"60\", expected i32"), "{e}");
    // An enumeration's value outside the model's list is a constraint: a
    // validation error (exit 3, nothing sent), as it is anywhere in the input.
    let out = Run::hookctl(op)
        .args(["--input-json", r#"{"WorkflowId": "w-0123456789abcdefg", "ExecutionId": "e", "Token": "t", "Status": "DONE"}"#])
        .run();
    out.assert_code(3);
    let violations = out.error()["violations"].to_string();
    assert!(violations.contains("Status") && violations.contains("SUCCESS, FAILURE"), "{out}");
}

// ------------------------------------------------------------------ input

const WORKFLOW: &str = "w-0123456789abcdefg";
const EXECUTION: &str = "0123abcd-0000-1111-2222-333344445555";

#[test]
fn flags_override_input_json_members() {
    let input = json!({"WorkflowId": WORKFLOW, "ExecutionId": EXECUTION, "Token": "from_json", "Status": "FAILURE"});
    let out = Run::hookctl(["transfer", "send-workflow-step-state", "--dry-run", "--input-json", &input.to_string(), "--token", "from_flag"]).run();
    assert_eq!(
        dry_run_json_body(&out),
        json!({"WorkflowId": WORKFLOW, "ExecutionId": EXECUTION, "Token": "from_flag", "Status": "FAILURE"})
    );
    // A null member counts as absent: the flag or nothing fills it.
    let out = Run::hookctl(["codedeploy", "put-lifecycle-event-hook-execution-status", "--dry-run"])
        .args(["--input-json", r#"{"deploymentId": null, "status": "Succeeded"}"#])
        .run();
    assert_eq!(dry_run_json_body(&out), json!({"status": "Succeeded"}));
}

#[test]
fn input_json_from_a_file_and_from_standard_input() {
    let input = json!({"WorkflowId": WORKFLOW, "ExecutionId": EXECUTION, "Token": "tok", "Status": "SUCCESS"});
    let path = std::env::temp_dir().join(format!("hookctl-input-{}.json", std::process::id()));
    std::fs::write(&path, input.to_string()).unwrap();
    let from_file =
        Run::hookctl(["transfer", "send-workflow-step-state", "--dry-run", "--input-json", &format!("@{}", path.display())]).run();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(dry_run_json_body(&from_file), input);

    let from_stdin = Run::hookctl(["transfer", "send-workflow-step-state", "--dry-run", "--input-json", "@-"])
        .stdin(input.to_string())
        .run();
    assert_eq!(dry_run_json_body(&from_stdin), input);
}

#[test]
fn the_huawei_one_of_comes_from_flags_or_json_alike() {
    let by_key = Run::hookctl(["huawei-as", "callback-lifecycle-hook", "--dry-run"])
        .args(["--input-json", r#"{"scaling_group_id": "g-1", "lifecycle_action_result": "EXTEND", "lifecycle_action_key": "k-1"}"#])
        .run();
    assert_eq!(dry_run_json_body(&by_key), json!({"lifecycle_action_result": "EXTEND", "lifecycle_action_key": "k-1"}));
    let url = by_key.json()["url"].as_str().unwrap().to_owned();
    assert_eq!(
        url,
        "https://as.cn-north-4.myhuaweicloud.com/autoscaling-api/v1/0123456789abcdef0123456789abcdef/scaling_instance_hook/g-1/callback"
    );
    let by_instance = Run::hookctl(["huawei-as", "callback-lifecycle-hook", "--dry-run", "--scaling-group-id", "g-1"])
        .args(["--lifecycle-action-result", "ABANDON", "--instance-id", "i-1", "--lifecycle-hook-name", "hook"])
        .run();
    assert_eq!(
        dry_run_json_body(&by_instance),
        json!({"lifecycle_action_result": "ABANDON", "instance_id": "i-1", "lifecycle_hook_name": "hook"})
    );
    // All three given: all three are sent, as the page allows (the service uses the key).
    let both = Run::hookctl(["huawei-as", "callback-lifecycle-hook", "--dry-run", "--scaling-group-id", "g-1"])
        .args(["--lifecycle-action-result", "ABANDON", "--instance-id", "i-1", "--lifecycle-hook-name", "hook", "--lifecycle-action-key", "k"])
        .run();
    assert_eq!(
        dry_run_json_body(&both),
        json!({"lifecycle_action_result": "ABANDON", "lifecycle_action_key": "k", "instance_id": "i-1", "lifecycle_hook_name": "hook"})
    );
}

#[test]
fn global_options_go_anywhere_and_override_the_environment() {
    let args = ["--token", "t", "--status", "SUCCESS", "--workflow-id", WORKFLOW, "--execution-id", EXECUTION, "--dry-run"];
    // The environment's endpoint and region...
    let out = Run::hookctl(["transfer", "send-workflow-step-state"])
        .args(args)
        .env("AWS_ENDPOINT_URL", Some("http://127.0.0.1:9"))
        .env("AWS_REGION", None)
        .env("AWS_DEFAULT_REGION", Some("eu-west-3"))
        .run();
    out.assert_code(0);
    let v = out.json();
    assert_eq!(v["url"], "http://127.0.0.1:9/");
    assert!(v["headers"]["Authorization"].as_str().unwrap().contains("/eu-west-3/transfer/aws4_request"), "{v}");
    // ...and the flags over them, before the subcommands too.
    let out = Run::hookctl(["--region", "ap-south-1", "transfer", "--endpoint-url", "http://127.0.0.1:10", "send-workflow-step-state"])
        .args(args)
        .env("AWS_ENDPOINT_URL", Some("http://127.0.0.1:9"))
        .run();
    out.assert_code(0);
    let v = out.json();
    assert_eq!(v["url"], "http://127.0.0.1:10/");
    assert!(v["headers"]["Authorization"].as_str().unwrap().contains("/ap-south-1/transfer/aws4_request"), "{v}");
    // Without an override, the region picks the endpoint.
    let out = Run::hookctl(["transfer", "send-workflow-step-state", "--region", "cn-north-1"]).args(args).run();
    assert_eq!(out.json()["url"], "https://transfer.cn-north-1.amazonaws.com.cn/");
}

#[test]
fn dry_run_prints_every_header_and_masks_session_tokens() {
    let out = Run::hookctl(["codedeploy", "put-lifecycle-event-hook-execution-status", "--dry-run", "--deployment-id", "d-1"])
        .env("AWS_SESSION_TOKEN", Some("SECRET-SESSION-TOKEN"))
        .run();
    out.assert_code(0);
    assert!(!out.stdout.contains("SECRET-SESSION-TOKEN"), "{out}");
    let v = out.json();
    let names: Vec<&str> = v["headers"].as_object().unwrap().keys().map(String::as_str).collect();
    for name in ["Host", "Content-Type", "X-Amz-Target", "X-Amz-Date", "X-Amz-Security-Token", "Authorization", "User-Agent", "Content-Length", "Accept"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    assert_eq!(v["headers"]["X-Amz-Security-Token"], "** redacted **");
    assert_eq!(v["headers"]["Content-Length"], dry_run_body(&out).len().to_string());
    assert!(v["headers"]["User-Agent"].as_str().unwrap().starts_with("hookctl/0.1.0 "), "{v}");
    // The members keep the request's order: method, url, headers, body; headers as sent.
    let keys: Vec<&str> = out.stdout.lines().filter(|l| l.starts_with("  \"")).map(|l| l.trim().split('"').nth(1).unwrap()).collect();
    assert_eq!(keys, ["method", "url", "headers", "body"]);
    assert!(out.stdout.find("\"Host\"").unwrap() < out.stdout.find("\"Authorization\"").unwrap());
}

// ------------------------------------------------------------------ validation and configuration

#[test]
fn validation_failures_list_every_violation_and_exit_3() {
    let out = hookctl(["transfer", "send-workflow-step-state", "--workflow-id", "w-short", "--execution-id", "nope", "--token", "!!!", "--status", "SUCCESS"]);
    out.assert_code(3);
    assert!(out.stdout.is_empty());
    let e = out.error();
    assert_eq!(e["kind"], "Validation");
    assert_eq!(e["code"], "ValidationError");
    assert_eq!(e["retryable"], false);
    let violations = e["violations"].as_array().unwrap();
    let paths: Vec<&str> = violations.iter().map(|v| v["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["WorkflowId", "WorkflowId", "ExecutionId", "ExecutionId", "Token"], "{e}");
    assert_eq!(violations[0]["constraint"], "length 19..=19");
    assert_eq!(violations[1]["constraint"], "pattern w-([a-z0-9]{17})");
    assert!(violations[4]["message"].as_str().unwrap().contains("does not match pattern"), "{e}");

    // The CodeDeploy status enum has six values, of which only two are accepted.
    let out = hookctl(["codedeploy", "put-lifecycle-event-hook-execution-status", "--status", "Pending"]);
    out.assert_code(3);
    assert_eq!(out.error()["violations"][0]["constraint"], "one of Succeeded, Failed");
    let out = hookctl(["autoscaling", "put-lifecycle-hook", "--auto-scaling-group-name", "g", "--lifecycle-hook-name", "h", "--heartbeat-timeout", "29"]);
    out.assert_code(3);
    assert_eq!(out.error()["violations"][0]["message"], "is 29, expected 30..=7200");

    // --no-validate sends it anyway (here: prepares it).
    let out = hookctl(["codedeploy", "put-lifecycle-event-hook-execution-status", "--status", "Pending", "--no-validate", "--dry-run"]);
    assert_eq!(dry_run_json_body(&out), json!({"status": "Pending"}));
}

#[test]
fn configuration_errors_exit_5() {
    let out = Run::hookctl(["transfer", "send-workflow-step-state", "--dry-run", "--input-json", "{}"]).run();
    assert_usage_error(&out, "required");
    let args = ["codedeploy", "put-lifecycle-event-hook-execution-status", "--dry-run"];
    let out = Run::hookctl(args).env("AWS_ACCESS_KEY_ID", None).env("AWS_SECRET_ACCESS_KEY", None).run();
    out.assert_code(5);
    let e = out.error();
    assert_eq!(e["kind"], "Config");
    assert!(e["message"].as_str().unwrap().contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"), "{e}");
    let out = Run::hookctl(args).env("AWS_REGION", None).run();
    out.assert_code(5);
    assert!(out.error()["message"].as_str().unwrap().contains("no region"), "{out}");
    // A secret never shows, even in an error about it.
    let out = Run::hookctl(args).env("AWS_ACCESS_KEY_ID", None).env("AWS_SECRET_ACCESS_KEY", Some("TOPSECRET")).run();
    out.assert_code(5);
    assert!(!out.stderr.contains("TOPSECRET"), "{out}");
    let out = Run::hookctl(args).arg("--endpoint-url").arg("ftp://127.0.0.1").run();
    out.assert_code(5);
    assert_eq!(out.error()["kind"], "Config");
}

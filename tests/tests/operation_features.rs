//! The per-operation cargo features of the generated crate, checked by the
//! compiler: each operation's feature alone builds the crate with no warning
//! (nothing it leaves out is needed, nothing it keeps is dead), and a program
//! on one operation's feature can use that operation and not another's.
//!
//! Each build runs in `target/operation-features` so that the suite's own
//! build directory keeps its feature set.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn target_dir() -> PathBuf {
    tests::repo_root().join("target/operation-features")
}

fn cargo(dir: &Path, args: &[&str]) -> Output {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

/// The one-operation features `generated/Cargo.toml` declares, with the
/// service features that list them.
fn features() -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let manifest = std::fs::read_to_string(tests::repo_root().join("generated/Cargo.toml")).unwrap();
    let mut operations = Vec::new();
    let mut services = Vec::new();
    let features = manifest.split("[features]").nth(1).expect("a [features] table");
    for line in features.lines().filter(|l| !l.starts_with('#') && l.contains(" = ")) {
        let (name, value) = line.split_once(" = ").unwrap();
        let listed: Vec<String> = value.trim_matches(['[', ']']).split(", ").filter(|s| !s.is_empty()).map(|s| s.trim_matches('"').to_owned()).collect();
        match name {
            "default" | "serde" => {}
            _ if listed.is_empty() => operations.push(name.to_owned()),
            _ => services.push((name.to_owned(), listed)),
        }
    }
    (operations, services)
}

#[test]
fn each_service_feature_is_exactly_its_operations() {
    let (operations, services) = features();
    assert_eq!(services.len(), 5, "{services:?}");
    let mut listed: Vec<&String> = services.iter().flat_map(|(_, ops)| ops).collect();
    listed.sort();
    let mut all: Vec<&String> = operations.iter().collect();
    all.sort();
    assert_eq!(listed, all, "every operation feature belongs to exactly one service feature");
    for (service, ops) in &services {
        for op in ops {
            assert!(op.starts_with(&format!("{service}-")), "{op} is not named after {service}");
        }
    }
    // One feature per operation of the models.
    let models: usize = codegen::load_models(&tests::repo_root().join("models")).unwrap().iter().map(|s| s.operations.len()).sum();
    assert_eq!(operations.len(), models);
}

#[test]
fn each_operation_alone_builds_without_a_warning() {
    let (operations, _) = features();
    let root = tests::repo_root();
    let mut failed = Vec::new();
    for op in &operations {
        let out = cargo(
            &root,
            &["clippy", "--offline", "--quiet", "-p", "lifecycle-hooks", "--no-default-features", "--features", op, "--", "-D", "warnings"],
        );
        if !out.status.success() {
            failed.push(format!("{op}:\n{}", String::from_utf8_lossy(&out.stderr)));
        }
    }
    assert!(failed.is_empty(), "{} of {} operations do not build alone:\n{}", failed.len(), operations.len(), failed.join("\n"));
}

/// A program depending on the crate with one operation's feature.
fn program(name: &str, feature: &str, main: &str) -> PathBuf {
    let dir = target_dir().join("programs").join(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let generated = tests::repo_root().join("generated");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nlifecycle-hooks = {{ path = {:?}, default-features = false, features = [\"{feature}\"] }}\n\n[workspace]\n",
            generated.display().to_string()
        ),
    )
    .unwrap();
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
    let lock = tests::repo_root().join("Cargo.lock");
    std::fs::copy(lock, dir.join("Cargo.lock")).unwrap();
    dir
}

const PUT_HOOK: &str = r#"use lifecycle_hooks::autoscaling::{Client, PutLifecycleHookInput};
use lifecycle_hooks::runtime::{AwsCredentials, Config};

fn main() {
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .aws_credentials(AwsCredentials::new("AKIDEXAMPLE", "secret", None))
        .build();
    let client = Client::new(config).expect("client");
    let request = client.prepare_put_lifecycle_hook(&PutLifecycleHookInput::new("hook", "group")).expect("request");
    println!("{}", String::from_utf8_lossy(&request.body));
}
"#;

#[test]
fn a_program_on_one_operation_has_that_operation_and_no_other() {
    let dir = program("one-operation", "autoscaling-put-lifecycle-hook", PUT_HOOK);
    let out = cargo(&dir, &["run", "--offline", "--quiet"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let body = String::from_utf8_lossy(&out.stdout);
    assert!(body.starts_with("Action=PutLifecycleHook&Version=2011-01-01&"), "{body}");

    // Another operation of the same service is not compiled: its input type and method are missing.
    let other = PUT_HOOK.replace("PutLifecycleHookInput};", "PutLifecycleHookInput, DescribeLifecycleHooksInput};").replace(
        "println!",
        "let _ = client.describe_lifecycle_hooks(DescribeLifecycleHooksInput::new(\"group\"));\n    println!",
    );
    let dir = program("other-operation", "autoscaling-put-lifecycle-hook", &other);
    let out = cargo(&dir, &["check", "--offline", "--quiet"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "another operation's code compiled");
    assert!(stderr.contains("no `DescribeLifecycleHooksInput` in `autoscaling`"), "{stderr}");
    assert!(stderr.contains("no method named `describe_lifecycle_hooks`"), "{stderr}");
}

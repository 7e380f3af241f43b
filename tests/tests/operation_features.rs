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

/// A feature's name with what it lists.
type Feature = (String, Vec<String>);

/// A manifest's `[features]`.
fn feature_table(manifest: &Path) -> Vec<Feature> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let features = text.split("[features]").nth(1).expect("a [features] table");
    features
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains(" = "))
        .map(|line| {
            let (name, value) = line.split_once(" = ").unwrap();
            let listed = value.trim_matches(['[', ']']).split(", ").filter(|s| !s.is_empty()).map(|s| s.trim_matches('"').to_owned());
            (name.to_owned(), listed.collect())
        })
        .collect()
}

/// The one-operation features the facade (`generated/Cargo.toml`) declares,
/// each with the service crate it forwards to, and the service features that
/// list them.
fn features() -> (Vec<(String, String)>, Vec<Feature>) {
    let mut operations = Vec::new();
    let mut services = Vec::new();
    for (name, listed) in feature_table(&tests::repo_root().join("generated/Cargo.toml")) {
        match name.as_str() {
            "default" | "serde" => {}
            // The runtime's AWS credential sources, forwarded one by one, and all of them.
            "aws-credentials" => assert!(listed.iter().all(|f| f.starts_with("credentials-")), "{listed:?}"),
            _ if name.starts_with("credentials-") => {
                assert_eq!(listed, [format!("lifecycle-hooks-runtime/{name}")], "{name}");
            }
            _ if listed.iter().any(|f| f.contains('/')) => {
                // `["dep:<package>", "<package>/<the same feature>"]`: the operation lives in its service's crate.
                let package = listed[0].strip_prefix("dep:").expect("the service crate first").to_owned();
                assert_eq!(listed, [format!("dep:{package}"), format!("{package}/{name}")], "{name}");
                operations.push((name, package));
            }
            _ => services.push((name, listed)),
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
    let mut all: Vec<&String> = operations.iter().map(|(op, _)| op).collect();
    all.sort();
    assert_eq!(listed, all, "every operation feature belongs to exactly one service feature");
    for (service, ops) in &services {
        let package = codegen::naming::service_package(service);
        // The service's own crate declares the same features, every operation on by default.
        let own = feature_table(&tests::repo_root().join(format!("generated/services/{service}/Cargo.toml")));
        // Besides the operations, an AWS service's crate has the runtime's AWS credential sources on by default.
        let default = own.iter().find(|(n, _)| n == "default").map(|(_, l)| l.clone()).unwrap_or_default();
        let aws = own.iter().any(|(n, _)| n == "aws-credentials");
        let expected: Vec<String> = std::iter::once(service.clone()).chain(aws.then(|| "aws-credentials".to_owned())).collect();
        assert_eq!(default, expected, "{package}");
        assert!(own.contains(&(service.clone(), ops.clone())), "{package}: {own:?}");
        for op in ops {
            assert!(op.starts_with(&format!("{service}-")), "{op} is not named after {service}");
            assert!(operations.contains(&(op.clone(), package.clone())), "{op} is not forwarded to {package}");
            assert!(own.contains(&(op.clone(), vec![])), "{package} lacks {op}");
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
    for (op, package) in &operations {
        // Both packages named, so clippy lints the service crate's code, not only the facade's.
        let feature = format!("lifecycle-hooks/{op}");
        let args = ["clippy", "--offline", "--quiet", "-p", "lifecycle-hooks", "-p", package, "--no-default-features"];
        let out = cargo(&root, &[&args[..], &["--features", &feature, "--", "-D", "warnings"]].concat());
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
    assert!(stderr.contains("unresolved import `lifecycle_hooks::autoscaling::DescribeLifecycleHooksInput`"), "{stderr}");
    assert!(stderr.contains("no method named `describe_lifecycle_hooks`"), "{stderr}");
}

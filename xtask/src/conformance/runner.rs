//! The scratch crate (`target/conformance/crate`): every suite module the
//! generator made, one function per case, built and run once; what each case
//! produced comes back as JSON.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;
use std::process::Command;

use codegen::ir::{Operation, Service, ShapeKind};
use serde_json::Value;

use super::literal::{converters, literal};
use super::{Case, Module};

/// The runner's answer per case key: what it produced, or why it produced nothing.
pub type Results = BTreeMap<String, Result<Value, String>>;

/// Builds and runs the cases; modules that do not import, check or compile
/// fail their cases with the reason.
pub fn run(root: &Path, work: &Path, cases: &[Case], modules: &[Module]) -> Result<Results, String> {
    let mut results = Results::new();
    let mut services: BTreeMap<String, Service> = BTreeMap::new();
    for m in modules {
        let checked = m.yaml.clone().and_then(|yaml| {
            codegen::load_model(&yaml, &format!("target/conformance/models/{}.yaml", m.name)).map_err(|d| {
                let first = d.0.first().map(|x| x.to_string()).unwrap_or_default();
                format!("the generator rejects the imported model: {first}")
            })
        });
        match checked {
            Ok(s) => {
                services.insert(m.name.clone(), s);
            }
            Err(why) => {
                for c in cases.iter().filter(|c| c.module == m.name) {
                    results.insert(c.key(), Err(why.clone()));
                }
            }
        }
    }
    let crate_dir = work.join("crate");
    let mut broken: BTreeMap<String, String> = BTreeMap::new();
    // A module that does not compile is taken out and the crate built again.
    for _round in 0..4 {
        let live: Vec<&Case> = cases
            .iter()
            .filter(|c| !c.ignored && services.contains_key(&c.module) && !broken.contains_key(&c.module))
            .collect();
        let mut case_errors = BTreeMap::new();
        write_crate(root, &crate_dir, &services, &broken, &live, &mut case_errors)?;
        for (key, why) in case_errors {
            results.insert(key, Err(why));
        }
        match build(&crate_dir, &work.join("target"))? {
            Ok(binary) => {
                let ran = execute(&binary)?;
                for c in &live {
                    if results.contains_key(&c.key()) {
                        continue;
                    }
                    let r = ran.get(&c.key()).cloned().unwrap_or_else(|| Err("the runner printed nothing for it".into()));
                    results.insert(c.key(), r);
                }
                for (module, why) in &broken {
                    for c in cases.iter().filter(|c| &c.module == module) {
                        results.insert(c.key(), Err(why.clone()));
                    }
                }
                return Ok(results);
            }
            Err(failed) => {
                if failed.is_empty() {
                    return Err("the conformance crate does not compile, and the errors name no suite module".into());
                }
                broken.extend(failed);
            }
        }
    }
    Err("the conformance crate still does not compile after taking out the modules that broke it".into())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    // Unchanged files keep their times, so cargo rebuilds only what changed.
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn write_crate(
    root: &Path,
    dir: &Path,
    services: &BTreeMap<String, Service>,
    broken: &BTreeMap<String, String>,
    cases: &[&Case],
    case_errors: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    let runtime = root.join("runtime");
    write(
        &dir.join("Cargo.toml"),
        &format!(
            r#"# Written by `cargo xtask conformance`; not part of the workspace.
[package]
name = "conformance-runner"
version = "0.0.0"
edition = "2024"
publish = false

[features]
serde = []

[dependencies]
lifecycle-hooks-runtime = {{ path = {:?} }}
serde_json = "1"
tokio = {{ version = "1", default-features = false, features = ["rt"] }}

[workspace]
"#,
            runtime.display().to_string()
        ),
    )?;
    // The workspace's lock file: the same versions, nothing to resolve anew.
    if !dir.join("Cargo.lock").exists() {
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
        write(&dir.join("Cargo.lock"), &lock)?;
    }
    let mut mods = String::new();
    for (name, s) in services.iter().filter(|(n, _)| !broken.contains_key(*n)) {
        let _ = writeln!(mods, "pub mod {name};");
        for f in codegen::emit::service_files(s, "") {
            write(&dir.join("src/suites").join(&f.path), &f.contents)?;
        }
    }
    write(&dir.join("src/suites/mod.rs"), &mods)?;
    let mut conv = String::new();
    let mut fns = String::new();
    let mut keys = Vec::new();
    let mut by_module: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for case in cases {
        let s = &services[&case.module];
        let Some(op) = s.operations.iter().find(|o| o.name == case.given) else {
            case_errors.insert(case.key(), format!("the generated service has no operation `{}`", case.given));
            continue;
        };
        let body = if case.is_input() { request_case(case, s, op) } else { response_case(case, s, op) };
        match body {
            Ok(body) => {
                let i = keys.len();
                keys.push(case.key());
                let _ = writeln!(fns, "pub async fn case_{i}() -> serde_json::Value {{\n#[allow(unused_imports)]\nuse crate::suites::{}::*;\n{body}\n}}", case.module);
                if !case.is_input() {
                    let roots = by_module.entry(&case.module).or_default();
                    roots.insert(op.output);
                    roots.extend(op.errors.iter().copied());
                }
            }
            Err(why) => {
                case_errors.insert(case.key(), why);
            }
        }
    }
    for (module, roots) in by_module {
        let roots: Vec<usize> = roots.into_iter().collect();
        let _ = writeln!(conv, "pub mod {module} {{\n#[allow(unused_imports)]\nuse crate::suites::{module}::*;\n{}\n}}", converters(module, &services[module], &roots));
    }
    let arms: String = (0..keys.len()).map(|i| format!("{i} => case_{i}().await,\n")).collect();
    let _ = write!(
        fns,
        "pub const KEYS: &[&str] = &{keys:?};\n\npub async fn run(i: usize) -> serde_json::Value {{\nmatch i {{\n{arms}_ => serde_json::Value::Null,\n}}\n}}\n"
    );
    write(&dir.join("src/cases.rs"), &fns)?;
    write(&dir.join("src/conv.rs"), &conv)?;
    write(&dir.join("src/main.rs"), MAIN)?;
    Ok(())
}

/// `prepare_<op>` on the case's input: the request as it would be sent.
fn request_case(case: &Case, s: &Service, op: &Operation) -> Result<String, String> {
    let params = case.json.get("params").cloned().unwrap_or(Value::Object(Default::default()));
    let input = literal(&case.module, s, op.input, &params)?;
    let endpoint = case.client_endpoint.clone().unwrap_or_else(|| "https://example.com".to_owned());
    Ok(format!(
        "let client = Client::new(crate::config({endpoint:?}).build()).unwrap();\nlet input = {input};\nmatch client.{}(&input) {{\nOk(p) => crate::prepared_json(p),\nErr(e) => serde_json::json!({{ \"error\": e.to_string() }}),\n}}",
        op.names.prepare
    ))
}

/// The operation answered with the case's response, through an in-memory transport.
fn response_case(case: &Case, s: &Service, op: &Operation) -> Result<String, String> {
    let response = &case.json["response"];
    let status = response["status_code"].as_u64().unwrap_or(200);
    let mut headers = String::new();
    for (k, v) in response.get("headers").and_then(Value::as_object).into_iter().flatten() {
        let _ = write!(headers, "({:?}.to_owned(), {:?}.to_owned()),", k, v.as_str().unwrap_or_default());
    }
    // botocore's harness: a case without a body answers `<xml/>` in the query protocol, nothing otherwise.
    let body = match response.get("body").and_then(Value::as_str) {
        Some(body) => body,
        None if case.file.ends_with("/query") => "<xml/>",
        None => "",
    };
    let input = literal(&case.module, s, op.input, &Value::Object(Default::default()))?;
    let module = &case.module;
    let error_enum = &op.names.error_enum;
    let mut arms = String::new();
    for &e in &op.errors {
        let v = &s.shape(e).rust_name;
        let members = match &s.shape(e).kind {
            ShapeKind::Structure(st) if !st.members.is_empty() => format!("crate::conv::{module}::j{e}(&x)"),
            _ => "serde_json::json!({})".to_owned(),
        };
        let _ = writeln!(arms, "{error_enum}::{v}(x) => ({v:?}, {members}),");
    }
    Ok(format!(
        r#"let response = crate::runtime::client::Response {{ status: {status}, headers: vec![{headers}], body: {body:?}.as_bytes().to_vec() }};
let transport = crate::runtime::testing::InMemoryTransport::new(vec![response]);
let client = Client::new(crate::config("https://example.com").transport(transport).build()).unwrap();
let input = {input};
match client.{method}(input).await {{
    Ok(out) => serde_json::json!({{ "output": crate::conv::{module}::j{output}(&out) }}),
    Err(crate::runtime::Error::Service(e)) => {{
        let (code, message) = (e.code().to_owned(), e.message().map(str::to_owned));
        #[allow(unreachable_patterns)]
        let (variant, members) = match *e {{
            {arms}
            _ => ("Unhandled", serde_json::json!({{}})),
        }};
        serde_json::json!({{ "error": {{ "code": code, "message": message, "variant": variant, "members": members }} }})
    }}
    Err(other) => serde_json::json!({{ "failure": other.to_string() }}),
}}"#,
        method = op.names.method,
        output = op.output,
    ))
}

/// Builds the crate: the binary, or the modules whose code failed to compile (with the first error).
fn build(dir: &Path, target: &Path) -> Result<Result<std::path::PathBuf, BTreeMap<String, String>>, String> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "--message-format=json"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.success() {
        return Ok(Ok(target.join("debug/conformance-runner")));
    }
    let mut failed = BTreeMap::new();
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else { continue };
        if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
            continue;
        }
        let text = msg["message"]["message"].as_str().unwrap_or_default().to_owned();
        for span in msg["message"]["spans"].as_array().into_iter().flatten() {
            let file = span["file_name"].as_str().unwrap_or_default();
            // src/suites/<module>/... or a case of the module in src/cases.rs or src/conv.rs.
            if let Some(rest) = file.split("src/suites/").nth(1)
                && let Some(module) = rest.split('/').next()
            {
                let line = span["line_start"].as_u64().unwrap_or(0);
                failed.entry(module.to_owned()).or_insert_with(|| format!("generated code does not compile: {text} ({rest}:{line})"));
            }
        }
    }
    if failed.is_empty() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first_error = stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|m| m["message"]["level"] == "error")
            .and_then(|m| m["message"]["rendered"].as_str().map(str::to_owned))
            .unwrap_or_else(|| stderr.chars().take(4000).collect());
        return Err(format!("the conformance crate does not compile:\n{first_error}"));
    }
    Ok(Err(failed))
}

/// Runs the binary; each line of its output is `{"case": key, "result": ...}`.
fn execute(binary: &Path) -> Result<Results, String> {
    let out = Command::new(binary).output().map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let mut results = Results::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else { continue };
        let key = v["case"].as_str().unwrap_or_default().to_owned();
        let result = match v.get("panic") {
            Some(p) => Err(format!("the case panicked: {}", p.as_str().unwrap_or_default())),
            None => Ok(v["result"].clone()),
        };
        results.insert(key, result);
    }
    if !out.status.success() && results.is_empty() {
        return Err(format!("the runner failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(results)
}

const MAIN: &str = r#"//! Written by `cargo xtask conformance`: botocore's protocol test cases against generated clients.
#![allow(warnings, clippy::all)]

pub use lifecycle_hooks_runtime as runtime;

mod cases;
mod conv;
pub mod suites;

/// The vectors' clock and credentials, no retries, no validation (the suites send what botocore would).
pub fn config(endpoint: &str) -> runtime::ConfigBuilder {
    runtime::Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .aws_credentials(runtime::AwsCredentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None))
        .signing_time(Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_704_164_645)))
        .validate(false)
        .retry(runtime::RetryConfig::disabled())
}

pub fn prepared_json(p: runtime::PreparedRequest) -> serde_json::Value {
    serde_json::json!({
        "method": p.method,
        "url": p.url,
        "headers": p.headers,
        "body": p.body,
    })
}

pub fn float_json(x: f64) -> serde_json::Value {
    match runtime::number::special_float(x) {
        Some(name) => serde_json::json!(name),
        None => serde_json::json!(x),
    }
}

/// Epoch seconds, as botocore's harness turns parsed timestamps into numbers.
pub fn time_json(t: &runtime::DateTime) -> serde_json::Value {
    serde_json::json!(t.unix_timestamp_nanos() as f64 / 1e9)
}

pub fn document_json(d: &runtime::Document) -> serde_json::Value {
    use runtime::document::Number;
    match d {
        runtime::Document::Null => serde_json::Value::Null,
        runtime::Document::Bool(b) => serde_json::json!(b),
        runtime::Document::Number(Number::PosInt(n)) => serde_json::json!(n),
        runtime::Document::Number(Number::NegInt(n)) => serde_json::json!(n),
        runtime::Document::Number(Number::Float(x)) => float_json(*x),
        runtime::Document::String(s) => serde_json::json!(s),
        runtime::Document::Array(items) => serde_json::Value::Array(items.iter().map(document_json).collect()),
        runtime::Document::Object(map) => serde_json::Value::Object(map.iter().map(|(k, v)| (k.clone(), document_json(v))).collect()),
    }
}

fn main() {
    std::panic::set_hook(Box::new(|_| {}));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    for (i, key) in cases::KEYS.iter().enumerate() {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rt.block_on(cases::run(i))));
        let line = match run {
            Ok(result) => serde_json::json!({ "case": key, "result": result }),
            Err(p) => {
                let why = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
                serde_json::json!({ "case": key, "panic": why.unwrap_or_default() })
            }
        };
        println!("{line}");
    }
}
"#;

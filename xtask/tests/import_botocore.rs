//! `cargo xtask import botocore` against the pinned botocore in `.venv`
//! (installed by `scripts/setup-python`; these tests fail, not skip, without it):
//! every operation of the four services the project touches, and the seed
//! operations compared fact by fact with the official fragments in
//! `../shared/reference/botocore-models/`.

use std::path::PathBuf;
use std::process::Command;

use codegen::model::{Model, Number};
use xtask::import::json::Json;
use xtask::import::{self, Args, ImportError, read_json_file};

/// botocore folder and its number of operations in botocore 1.43.11.
const SERVICES: &[(&str, usize)] = &[("autoscaling", 66), ("cloudformation", 90), ("codedeploy", 47), ("transfer", 71)];

fn root() -> PathBuf {
    xtask::repo_root()
}

fn args(service: &str, operations: Option<&[&str]>, unenforced_patterns: bool) -> Args {
    Args {
        service: service.to_owned(),
        operations: operations.map(|o| o.iter().map(|s| (*s).to_owned()).collect()),
        from: None,
        out: None,
        unenforced_patterns,
    }
}

fn parse(label: &str, text: &str) -> Model {
    let mut sink = codegen::diagnostics::Sink::new(label);
    codegen::load::parse(text, &mut sink)
        .unwrap_or_else(|| panic!("{label}: the import does not parse: {:#?}", sink.found))
}

/// The botocore model of `service` as botocore has it.
fn botocore_model(service: &str) -> Json {
    let bc = import::pinned_botocore(&root()).unwrap_or_else(|e| panic!("{e}"));
    read_json_file(&import::service_file(&bc, service).unwrap()).unwrap()
}

/// Documentation that still holds markup rustdoc would read as HTML: a `<`
/// that is not escaped, not inside a code span or fence, and not an autolink.
fn raw_html(doc: &str) -> Option<String> {
    let mut in_code = false;
    let mut in_fence = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut prev = ' ';
        for (i, c) in line.char_indices() {
            match c {
                '`' => in_code = !in_code,
                '<' if !in_code
                    && prev != '\\'
                    && !line[i..].starts_with("<http")
                    && !line[i..].starts_with("<mailto:") =>
                {
                    return Some(line.to_owned());
                }
                _ => {}
            }
            prev = c;
        }
    }
    None
}

fn all_docs(m: &Model) -> Vec<String> {
    let mut out: Vec<String> = m.service.value.documentation.iter().cloned().collect();
    for op in m.operations.values() {
        out.push(op.value.documentation.clone());
    }
    for s in m.shapes.values() {
        out.extend(s.value.documentation.iter().cloned());
        for mem in s.value.members.iter().flat_map(|ms| ms.values()) {
            out.extend(mem.value.documentation.iter().cloned());
        }
    }
    out
}

#[test]
fn every_operation_of_the_four_services_imports() {
    for &(service, count) in SERVICES {
        let text = import::import(&root(), &args(service, None, true)).unwrap_or_else(|e| panic!("{service}: {e}"));
        assert_eq!(text, import::import(&root(), &args(service, None, true)).unwrap(), "{service}: not deterministic");
        let m = parse(service, &text);
        assert_eq!(m.operations.len(), count, "{service}: operations");
        let botocore = botocore_model(service);
        let ops: Vec<&str> = botocore.get("operations").unwrap().as_object().unwrap().keys().collect();
        assert_eq!(m.operations.keys().map(String::as_str).collect::<Vec<_>>(), ops, "{service}: botocore's order");
        // Shapes in botocore's order, each a botocore shape.
        let shapes: Vec<&str> = botocore.get("shapes").unwrap().as_object().unwrap().keys().collect();
        let imported: Vec<&str> = m.shapes.keys().map(String::as_str).collect();
        let in_order: Vec<&str> = shapes.iter().copied().filter(|s| m.shapes.contains_key(*s)).collect();
        assert_eq!(imported, in_order, "{service}: shapes out of botocore's order or not botocore's");
        assert_eq!(m.service.value.source.value, "botocore");
        assert!(
            m.sources["botocore"].path.starts_with(&format!("botocore 1.43.11 data/{service}/")),
            "{}",
            m.sources["botocore"].path
        );
        for (name, op) in &m.operations {
            assert_eq!(op.value.source.as_ref().map(|s| s.value.as_str()), Some("botocore"), "{service}.{name}");
        }
        for (name, s) in &m.shapes {
            assert_eq!(s.value.source.as_ref().map(|s| s.value.as_str()), Some("botocore"), "{service} shape {name}");
        }
        for d in all_docs(&m) {
            assert!(raw_html(&d).is_none(), "{service}: raw HTML in {:?}", raw_html(&d));
            assert!(!d.contains("<p>") && !d.contains("</"), "{service}: {d}");
        }
    }
}

#[test]
fn every_pattern_of_the_four_services_is_enforced() {
    // `[\s\S]+` (CloudFormation), Java's `\p{Print}` and `\p{L}` (Transfer), and
    // counted repetitions too big for an unanchored automaton (Transfer's
    // S3Bucket and UserName) all translate and compile: nothing is switched off.
    for &(service, _) in SERVICES {
        let text = import::import(&root(), &args(service, None, false)).unwrap_or_else(|e| panic!("{service}: {e}"));
        let m = parse(service, &text);
        let off: Vec<&String> =
            m.shapes.iter().filter(|(_, s)| s.value.pattern.as_ref().is_some_and(|p| !p.value.enforce)).map(|(n, _)| n).collect();
        assert!(off.is_empty(), "{service}: patterns switched off: {off:?}");
    }
}

#[test]
fn a_pattern_the_generator_cannot_enforce_fails_the_import_unless_asked() {
    let dir = std::env::temp_dir().join(format!("xtask-import-pattern-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = r#"{"metadata": {"protocol": "json", "jsonVersion": "1.1", "targetPrefix": "T", "apiVersion": "2020-01-01", "endpointPrefix": "t", "serviceFullName": "T"},
        "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/"}, "input": {"shape": "In"}}},
        "shapes": {"In": {"type": "structure", "members": {"Name": {"shape": "Name"}}},
                   "Name": {"type": "string", "pattern": "^a(?=b)"}}}"#;
    let path = dir.join("service-2.json");
    std::fs::write(&path, model).unwrap();
    let mut a = args("t", None, false);
    a.from = Some(path.clone());
    match import::import(&root(), &a) {
        Err(ImportError::Model { problems }) => {
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].place.shape.as_deref(), Some("Name"));
            assert_eq!(problems[0].feature(), Some("pattern"));
        }
        other => panic!("a lookahead was imported: {other:?}"),
    }
    // With --unenforced-patterns it stays, documented and switched off, with the reason.
    a.unenforced_patterns = true;
    let m = parse("t", &import::import(&root(), &a).unwrap());
    let p = m.shapes["Name"].value.pattern.as_ref().unwrap();
    assert!(!p.value.enforce);
    assert!(p.value.note.as_deref().unwrap().starts_with("Not enforced: it is outside the generator's ECMA-262 dialect: "));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The seed operations, fact by fact against the official fragments.
#[test]
fn seed_operations_match_the_official_fragments() {
    let seeds = [
        ("autoscaling", "PutLifecycleHook"),
        ("cloudformation", "ListHookResults"),
        ("codedeploy", "PutLifecycleEventHookExecutionStatus"),
        ("transfer", "SendWorkflowStepState"),
    ];
    for (service, op) in seeds {
        let text = import::import(&root(), &args(service, Some(&[op]), false)).unwrap_or_else(|e| panic!("{op}: {e}"));
        let m = parse(op, &text);
        let reference =
            read_json_file(&root().join(format!("../shared/reference/botocore-models/{op}.model.json"))).unwrap();
        let fragment = reference.get("model_fragment").unwrap();
        let meta = reference.get("metadata_by_version").unwrap().get("botocore-1.43.11 (installed)").unwrap();
        compare_service(op, &m, meta);
        compare_operation(op, &m, fragment.get("operation").unwrap(), fragment.get("paginator").unwrap());
        // Exactly the fragment's shape closure.
        let shapes = fragment.get("shapes").unwrap().as_object().unwrap();
        let mut want: Vec<&str> = shapes.keys().collect();
        let mut got: Vec<&str> = m.shapes.keys().map(String::as_str).collect();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{op}: the shapes the operation reaches");
        for (name, def) in shapes.iter() {
            compare_shape(op, name, def, &m);
        }
        // The current generator check accepts all four.
        codegen::load_model(&text, &format!("{op}.yaml")).unwrap_or_else(|d| panic!("{op}: {d}"));
    }
}

fn s<'a>(j: &'a Json, key: &str) -> Option<&'a str> {
    j.get(key).and_then(Json::as_str)
}

fn compare_service(op: &str, m: &Model, meta: &Json) {
    let svc = &m.service.value;
    assert_eq!(Some(svc.api_version.as_str()), s(meta, "apiVersion"), "{op}");
    assert_eq!(Some(svc.title.as_str()), s(meta, "serviceFullName"), "{op}");
    let p = &svc.protocol.value;
    let protocols: Vec<&str> =
        meta.get("protocols").unwrap().as_array().unwrap().iter().filter_map(Json::as_str).collect();
    let chosen = protocols.iter().find(|p| ["json", "query", "rest-json"].contains(p)).unwrap();
    match *chosen {
        "json" => {
            assert_eq!(p.kind.value, format!("aws-json-{}", s(meta, "jsonVersion").unwrap()), "{op}");
            assert_eq!(p.target_prefix.as_deref(), s(meta, "targetPrefix"), "{op}");
        }
        "query" => {
            assert_eq!(p.kind.value, "aws-query", "{op}");
            assert_eq!(p.xml_namespace.as_deref(), s(meta, "xmlNamespace"), "{op}");
        }
        other => panic!("{op}: {other}"),
    }
    let signing = s(meta, "signingName").or(s(meta, "endpointPrefix"));
    assert_eq!(svc.signing.value.name.as_deref(), signing, "{op}");
    let prefix = s(meta, "endpointPrefix").unwrap();
    assert_eq!(svc.endpoint.value.template, format!("https://{prefix}.{{region}}.amazonaws.com"), "{op}");
    assert_eq!(
        svc.endpoint.value.partitions[0].template,
        format!("https://{prefix}.{{region}}.amazonaws.com.cn"),
        "{op}"
    );
}

fn compare_operation(op: &str, m: &Model, o: &Json, paginator: &Json) {
    let got = &m.operations[op].value;
    let http = o.get("http").unwrap();
    assert_eq!(Some(got.http.value.method.value.as_str()), s(http, "method"), "{op}");
    assert_eq!(Some(got.http.value.path.value.as_str()), s(http, "requestUri"), "{op}");
    assert_eq!(got.input.as_ref().map(|i| i.value.as_str()), o.get("input").and_then(|i| s(i, "shape")), "{op}");
    assert_eq!(got.output.as_ref().map(|i| i.value.as_str()), o.get("output").and_then(|i| s(i, "shape")), "{op}");
    assert_eq!(
        got.result_wrapper.as_ref().map(|i| i.value.as_str()),
        o.get("output").and_then(|i| s(i, "resultWrapper")),
        "{op}"
    );
    let errors: Vec<&str> =
        o.get("errors").and_then(Json::as_array).unwrap_or_default().iter().filter_map(|e| s(e, "shape")).collect();
    assert_eq!(got.errors.iter().map(|e| e.value.as_str()).collect::<Vec<_>>(), errors, "{op}");
    let idempotent = o.get("idempotent").and_then(Json::as_bool).unwrap_or(false)
        || o.get("readonly").and_then(Json::as_bool).unwrap_or(false);
    assert_eq!(got.idempotent, idempotent, "{op}");
    assert_eq!(got.pagination.is_some(), *paginator != Json::Null, "{op}");
    assert!(!got.documentation.is_empty() && !got.documentation.contains("<p>"), "{op}");
}

fn number(j: &Json) -> Number {
    match j {
        Json::Number(xtask::import::json::Number::Int(i)) => Number::Int(*i),
        Json::Number(xtask::import::json::Number::Float(f)) => Number::Float(*f),
        other => panic!("{other}"),
    }
}

fn compare_shape(op: &str, name: &str, def: &Json, m: &Model) {
    let at = format!("{op}: shape {name}");
    let got = &m.shapes[name].value;
    let btype = s(def, "type").unwrap();
    let want_kind = match btype {
        "string" if def.get("enum").is_some() => "enum",
        "structure" if def.get("union").is_some() => "union",
        other => other,
    };
    assert_eq!(got.kind.value, want_kind, "{at}");
    let (min, max) = (def.get("min"), def.get("max"));
    match btype {
        "string" | "list" | "map" | "blob" if min.is_some() || max.is_some() => {
            let l = got.length.as_ref().unwrap_or_else(|| panic!("{at}: length"));
            assert_eq!(l.value.min.map(|v| Number::Int(v as i64)), min.map(number), "{at}");
            assert_eq!(l.value.max.map(|v| Number::Int(v as i64)), max.map(number), "{at}");
        }
        "integer" | "long" | "double" | "float" if min.is_some() || max.is_some() => {
            let r = got.range.as_ref().unwrap_or_else(|| panic!("{at}: range"));
            assert_eq!(r.value.min, min.map(number), "{at}");
            assert_eq!(r.value.max, max.map(number), "{at}");
        }
        _ => assert!(got.length.is_none() && got.range.is_none(), "{at}: no constraint in botocore"),
    }
    assert_eq!(got.pattern.as_ref().map(|p| p.value.regex.as_str()), s(def, "pattern"), "{at}");
    assert!(got.pattern.as_ref().is_none_or(|p| p.value.enforce), "{at}");
    if let Some(values) = def.get("enum").and_then(Json::as_array) {
        let got_values: Vec<String> = got
            .values
            .as_ref()
            .unwrap()
            .iter()
            .map(|v| match &v.value.value {
                codegen::model::Scalar::String(s) => s.clone(),
                other => panic!("{at}: {other:?}"),
            })
            .collect();
        let want: Vec<&str> = values.iter().filter_map(Json::as_str).collect();
        assert_eq!(got_values, want, "{at}");
    }
    assert_eq!(got.sensitive, def.get("sensitive").and_then(Json::as_bool).unwrap_or(false), "{at}");
    assert_eq!(
        got.format.as_ref().map(|f| f.value.as_str()),
        s(def, "timestampFormat").map(|f| match f {
            "iso8601" => "date-time",
            "unixTimestamp" => "epoch-seconds",
            _ => "http-date",
        }),
        "{at}"
    );
    if let Some(member) = def.get("member") {
        assert_eq!(got.member.as_ref().map(|m| m.value.as_str()), s(member, "shape"), "{at}");
        assert_eq!(got.member_name.as_deref(), s(member, "locationName"), "{at}");
    }
    if let Some(members) = def.get("members").and_then(Json::as_object) {
        let got_members = got.members.as_ref().unwrap_or_else(|| panic!("{at}: members"));
        assert_eq!(
            got_members.keys().map(String::as_str).collect::<Vec<_>>(),
            members.keys().collect::<Vec<_>>(),
            "{at}: members in order"
        );
        let required: Vec<&str> =
            def.get("required").and_then(Json::as_array).unwrap_or_default().iter().filter_map(Json::as_str).collect();
        for (mname, mdef) in members.iter() {
            let gm = &got_members[mname].value;
            assert_eq!(Some(gm.shape.value.as_str()), s(mdef, "shape"), "{at}.{mname}");
            assert_eq!(gm.required, required.contains(&mname), "{at}.{mname}: required");
            assert_eq!(gm.wire_name.as_deref(), s(mdef, "locationName").filter(|w| *w != mname), "{at}.{mname}");
            assert!(gm.location.is_none(), "{at}.{mname}: body members only in these protocols");
        }
    }
    match def.get("exception").and_then(Json::as_bool) {
        Some(true) => {
            let e = &got.error.as_ref().unwrap_or_else(|| panic!("{at}: error")).value;
            let err = def.get("error");
            assert_eq!(e.code.as_deref(), Some(err.and_then(|e| s(e, "code")).unwrap_or(name)), "{at}");
            let fault = def.get("fault").and_then(Json::as_bool).unwrap_or(false);
            let status = err.and_then(|e| e.get("httpStatusCode")).map(|n| match number(n) {
                Number::Int(i) => i as u16,
                Number::Float(_) => panic!(),
            });
            assert_eq!(e.http_status, status.unwrap_or(if fault { 500 } else { 400 }), "{at}");
            let sender = err.and_then(|e| e.get("senderFault")).and_then(Json::as_bool);
            assert_eq!(e.fault.value, if fault || sender == Some(false) { "server" } else { "client" }, "{at}");
            assert_eq!(e.retryable, def.get("retryable").is_some(), "{at}");
        }
        _ => assert!(got.error.is_none(), "{at}"),
    }
}

#[test]
fn the_command_line() {
    let xtask = env!("CARGO_BIN_EXE_xtask");
    let out = std::env::temp_dir().join(format!("xtask-import-{}.yaml", std::process::id()));
    let run = |args: &[&str]| Command::new(xtask).args(args).current_dir(root()).output().unwrap();

    let ok = run(&[
        "import",
        "botocore",
        "transfer",
        "--operations",
        "SendWorkflowStepState",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let written = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let stdout = run(&["import", "botocore", "transfer", "--operations", "SendWorkflowStepState"]);
    assert!(stdout.status.success());
    assert_eq!(String::from_utf8(stdout.stdout).unwrap(), written, "--out and standard output get the same bytes");
    assert!(written.starts_with("# Imported from botocore 1.43.11 data/transfer/2018-11-05/service-2.json.gz by `cargo xtask import botocore transfer --operations SendWorkflowStepState`.\n"));

    // --from a file, .json or .json.gz, with paginators-1.json beside it.
    let bc = import::pinned_botocore(&root()).unwrap();
    let gz = import::service_file(&bc, "cloudformation").unwrap();
    let from = run(&[
        "import",
        "botocore",
        "cloudformation",
        "--from",
        gz.to_str().unwrap(),
        "--operations",
        "ListHookResults",
    ]);
    assert!(from.status.success(), "{}", String::from_utf8_lossy(&from.stderr));
    let from_text = String::from_utf8(from.stdout).unwrap();
    assert!(
        from_text.contains("path: botocore 1.43.11 data/cloudformation/2010-05-15/service-2.json.gz"),
        "{from_text}"
    );
    assert!(
        from_text.contains("note: Pagination from botocore 1.43.11 data/cloudformation/2010-05-15/paginators-1.json.")
    );

    let usage = run(&["import", "botocore"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("usage: cargo xtask import botocore <service>"));

    let unknown = run(&["import", "botocore", "autoscalling"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&unknown.stderr),
        "error: botocore has no service `autoscalling` (did you mean `autoscaling`?)\n"
    );

    let bad_op = run(&["import", "botocore", "autoscaling", "--operations", "PutLifecycleHook,PutLifecyleHook"]);
    assert_eq!(bad_op.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&bad_op.stderr),
        "error: the model has no operation `PutLifecyleHook` (did you mean `PutLifecycleHook`?)\n"
    );

    let missing = run(&["import", "botocore", "x", "--from", "/nonexistent/service-2.json"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).starts_with("error: cannot read /nonexistent/service-2.json: "));
}

/// The imported seed operations go through the whole generator (check, IR,
/// emit, format) like the hand-written models. (Compiling the result in a
/// scratch crate waits for the generator to accept every imported model.)
#[test]
fn imported_seed_operations_regenerate() {
    let dir = std::env::temp_dir().join(format!("xtask-import-regenerate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (service, op) in [
        ("autoscaling", "PutLifecycleHook"),
        ("cloudformation", "ListHookResults"),
        ("codedeploy", "PutLifecycleEventHookExecutionStatus"),
        ("transfer", "SendWorkflowStepState"),
    ] {
        let text = import::import(&root(), &args(service, Some(&[op]), false)).unwrap();
        std::fs::write(dir.join(format!("{service}.yaml")), text).unwrap();
    }
    let files = codegen::generate(&dir).unwrap_or_else(|d| panic!("{d}"));
    let _ = std::fs::remove_dir_all(&dir);
    for module in ["autoscaling", "cloudformation", "codedeploy", "transfer"] {
        for part in ["lib.rs", "client.rs", "types.rs", "errors.rs"] {
            let path = format!("services/{module}/src/{part}");
            assert!(files.iter().any(|f| f.path == path && !f.contents.is_empty()), "{path} missing");
        }
        let client = files.iter().find(|f| f.path == format!("services/{module}/src/client.rs")).unwrap();
        assert!(client.contents.contains("pub struct Client"), "{module}");
    }
}

/// Every operation of the four services, imported, compiles without a
/// warning: the generated crate, in a scratch workspace under
/// `target/import-scratch` (the runtime copied beside it), passes
/// `cargo clippy --all-targets -D warnings` and rustdoc with `-D warnings`.
#[test]
fn every_imported_operation_compiles_without_warnings() {
    let root = root();
    let scratch = root.join("target/import-scratch");
    for dir in ["generated", "runtime", "models"] {
        let _ = std::fs::remove_dir_all(scratch.join(dir));
    }
    fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.path().is_dir() {
                copy_dir(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), target).unwrap();
            }
        }
    }
    copy_dir(&root.join("runtime"), &scratch.join("runtime"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let manifest: String = manifest
        .lines()
        .map(|l| match l {
            l if l.starts_with("members = ") => "members = [\"runtime\", \"generated\"]".to_owned(),
            l if l.starts_with("default-members = ") || l.starts_with("exclude = ") => String::new(),
            l => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(scratch.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    let models = scratch.join("models");
    std::fs::create_dir_all(&models).unwrap();
    for &(service, _) in SERVICES {
        let text = import::import(&root, &args(service, None, false)).unwrap();
        std::fs::write(models.join(format!("{service}.yaml")), text).unwrap();
    }
    for f in codegen::generate(&models).unwrap_or_else(|d| panic!("{d}")) {
        if f.path.starts_with("cli/") {
            continue;
        }
        let path = scratch.join("generated").join(&f.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, f.contents).unwrap();
    }
    // The facade and each service's own crate, which holds the generated code.
    let mut packages = vec!["-p".to_owned(), "lifecycle-hooks".to_owned()];
    for &(service, _) in SERVICES {
        packages.extend(["-p".to_owned(), codegen::naming::service_package(service)]);
    }
    let out = Command::new(env!("CARGO"))
        .args(["clippy", "--offline", "--quiet", "--all-targets"])
        .args(&packages)
        .args(["--", "-D", "warnings"])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the imported services do not compile cleanly:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(env!("CARGO"))
        .args(["doc", "--offline", "--quiet", "--no-deps"])
        .args(&packages)
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(out.status.success(), "the imported services' docs have warnings:\n{}", String::from_utf8_lossy(&out.stderr));
}

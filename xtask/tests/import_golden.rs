//! Golden tests: each `tests/import/<name>.service.json` (with
//! `<name>.paginators.json` when there is one) imports to exactly
//! `tests/import/<name>.yaml`, which the generator's loader reads.
//!
//! After a deliberate change, `IMPORT_BLESS=1 cargo test -p xtask --test
//! import_golden` rewrites the expected files (and fails, so that a blessing
//! run is never taken for a passing one); review the diff before committing.

use std::path::{Path, PathBuf};

use xtask::import::botocore::{ImportOptions, convert};
use xtask::import::read_json_file;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/import")
}

fn import(name: &str) -> String {
    let dir = fixtures();
    let model = read_json_file(&dir.join(format!("{name}.service.json"))).unwrap_or_else(|e| panic!("{e}"));
    let pages_path = dir.join(format!("{name}.paginators.json"));
    let pages = pages_path.is_file().then(|| read_json_file(&pages_path).unwrap_or_else(|e| panic!("{e}")));
    let mut options = ImportOptions::new(name, format!("xtask/tests/import/{name}.service.json"));
    options.paginators_path = pages.as_ref().map(|_| format!("xtask/tests/import/{name}.paginators.json"));
    options.header = vec![format!("Golden fixture {name}: imported by xtask/tests/import_golden.rs.")];
    convert(&model, pages.as_ref(), &options).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok()?.strip_suffix(".service.json").map(str::to_owned))
        .collect();
    names.sort();
    names
}

fn parse(name: &str, text: &str) -> codegen::model::Model {
    let mut sink = codegen::diagnostics::Sink::new(name);
    codegen::load::parse(text, &mut sink).unwrap_or_else(|| panic!("{name}: {:#?}", sink.found))
}

#[test]
fn fixtures_import_to_their_golden_yaml() {
    let names = names();
    assert_eq!(names, ["json", "query", "rest_json"], "fixtures changed: update this list and the assertions below");
    let bless = std::env::var_os("IMPORT_BLESS").is_some();
    let mut blessed = Vec::new();
    for name in &names {
        let got = import(name);
        assert_eq!(got, import(name), "{name}: not deterministic");
        parse(name, &got);
        let path = fixtures().join(format!("{name}.yaml"));
        if bless {
            std::fs::write(&path, &got).unwrap();
            blessed.push(path.display().to_string());
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(got.lines().count().min(want.lines().count()));
            panic!(
                "{name}: the import differs from {} from line {}:\n  got:  {:?}\n  want: {:?}\n(IMPORT_BLESS=1 rewrites it)",
                Path::new(&path).display(),
                line + 1,
                got.lines().nth(line),
                want.lines().nth(line)
            );
        }
    }
    assert!(!bless, "blessed {}; rerun without IMPORT_BLESS", blessed.join(", "));
}

/// The golden files say what they should; these are the facts that matter most, read back through the model types.
#[test]
fn golden_facts_read_back() {
    let q = parse("query", &import("query"));
    assert_eq!(q.service.value.protocol.value.kind.value, "aws-query");
    assert_eq!(
        q.service.value.protocol.value.xml_namespace.as_deref(),
        Some("http://autoscaling.amazonaws.com/doc/2011-01-01/")
    );
    assert_eq!(q.service.value.signing.value.name.as_deref(), Some("autoscaling"));
    // Only the operations' closure: `Unused` is an operation, so its shapes come too; nothing else.
    assert_eq!(q.operations.keys().collect::<Vec<_>>(), ["DescribeThings", "DeleteThing", "Unused"]);
    let d = &q.operations["DescribeThings"].value;
    assert!(d.idempotent, "readonly means idempotent");
    assert_eq!(d.result_wrapper.as_ref().unwrap().value, "DescribeThingsResult");
    let p = d.pagination.as_ref().unwrap();
    assert_eq!((p.value.input_token.value.as_str(), p.value.output_token.value.as_str()), ("NextToken", "NextToken"));
    assert_eq!(p.value.items.as_ref().unwrap().value, "Things");
    assert_eq!(p.value.page_size.as_ref().unwrap().value, "MaxRecords");
    assert!(q.operations["DeleteThing"].value.output.is_none());
    assert_eq!(
        q.operations["DeleteThing"].value.deprecated.as_ref().unwrap().value.message.as_deref(),
        Some("Use DeleteThings.")
    );
    let filters = &q.shapes["Filters"].value;
    assert!(filters.flattened);
    assert_eq!(filters.member_name.as_deref(), Some("item"));
    let tags = &q.shapes["TagMap"].value;
    assert_eq!((tags.key_name.as_deref(), tags.value_name.as_deref()), (Some("Key"), Some("Value")));
    let member = &q.shapes["DescribeThingsType"].value.members.as_ref().unwrap()["Filters"].value;
    assert_eq!(member.wire_name.as_deref(), Some("Filter"));
    let e = q.shapes["ResourceContentionFault"].value.error.as_ref().unwrap();
    assert_eq!(
        (e.value.code.as_deref(), e.value.http_status, e.value.fault.value.as_str()),
        (Some("ResourceContention"), 500, "client")
    );
    let values: Vec<_> =
        q.shapes["ThingStatus"].value.values.as_ref().unwrap().iter().map(|v| v.value.value.clone()).collect();
    use codegen::model::Scalar;
    assert_eq!(values, [Scalar::String("Active".into()), Scalar::String("yes".into()), Scalar::String("1".into())]);
    let w = q.shapes["Weight"].value.range.as_ref().unwrap();
    assert_eq!(
        (w.value.min, w.value.max),
        (Some(codegen::model::Number::Int(0)), Some(codegen::model::Number::Float(1.5)))
    );
    assert!(q.shapes["XmlStringMaxLen255"].value.sensitive);
    assert!(q.shapes.values().all(|s| s.value.source.as_ref().is_some_and(|s| s.value == "botocore")));
    assert!(q.shapes.get("UnusedString").is_some());

    let r = parse("rest_json", &import("rest_json"));
    assert_eq!(r.service.value.protocol.value.kind.value, "rest-json-1");
    assert_eq!(r.service.value.signing.value.name.as_deref(), Some("restsign"));
    let g = &r.operations["GetObject"].value;
    assert_eq!(g.http.value.path.value, "/things/{ThingName}/objects/{Key+}?format=json", "labels named after members");
    assert_eq!(g.http.value.host_prefix.as_ref().unwrap().value, "data.{Account}.");
    assert_eq!(g.http.value.success_status, 200);
    let members = r.shapes["GetObjectRequest"].value.members.as_ref().unwrap();
    let loc = |m: &str| members[m].value.location.as_ref().map(|l| l.value.clone());
    assert_eq!(loc("ThingName").as_deref(), Some("path"));
    assert_eq!(members["ThingName"].value.wire_name, None, "a label's name is the path template's business");
    assert_eq!(loc("Account").as_deref(), Some("host_label"));
    assert_eq!(loc("Version").as_deref(), Some("query"));
    assert_eq!(members["Version"].value.wire_name.as_deref(), Some("version"));
    assert_eq!(loc("Extra").as_deref(), Some("query_params"));
    assert_eq!(loc("Since").as_deref(), Some("header"));
    assert_eq!(members["Since"].value.timestamp_format.as_ref().unwrap().value, "http-date");
    assert_eq!(loc("Meta").as_deref(), Some("headers"));
    assert_eq!(members["Meta"].value.wire_name.as_deref(), Some("x-meta-"));
    assert!(members["Token"].value.idempotency_token);
    assert!(members["Context"].value.json_value);
    assert!(members["Old"].value.deprecated.is_some());
    let out = r.shapes["GetObjectResponse"].value.members.as_ref().unwrap();
    assert_eq!(out["Body"].value.location.as_ref().unwrap().value, "payload");
    assert_eq!(out["Status"].value.location.as_ref().unwrap().value, "status_code");
    assert_eq!(r.shapes["Document"].value.kind.value, "document");
    assert_eq!(r.shapes["Choice"].value.kind.value, "union");
    assert_eq!(r.shapes["Choice"].value.deprecated.as_ref().unwrap().value.since.as_deref(), Some("2020-01-01"));
    assert_eq!(r.shapes["Stamp"].value.format.as_ref().unwrap().value, "epoch-seconds");
    assert_eq!(r.shapes["Data"].value.kind.value, "blob");
    let t = r.shapes["ThrottlingException"].value.error.as_ref().unwrap();
    assert_eq!(
        (t.value.code.as_deref(), t.value.http_status, t.value.retryable, t.value.throttling),
        (Some("ThrottlingException"), 429, true, true)
    );
    let i = r.shapes["InternalError"].value.error.as_ref().unwrap();
    assert_eq!(
        (i.value.http_status, i.value.fault.value.as_str(), i.value.retryable, i.value.throttling),
        (500, "server", true, false)
    );
    assert_eq!(r.operations["PutDocument"].value.auth.as_ref().unwrap().value, "none");
    assert_eq!(r.operations["PutDocument"].value.http.value.success_status, 204);
    assert!(r.operations["PutDocument"].value.idempotent);
    let ping = &r.operations["Ping"].value;
    assert!(ping.input.is_none() && ping.output.is_none());
    assert_eq!(ping.auth.as_ref().unwrap().value, "none");

    let j = parse("json", &import("json"));
    assert_eq!(j.service.value.protocol.value.kind.value, "aws-json-1.0");
    assert_eq!(j.service.value.protocol.value.target_prefix.as_deref(), Some("Fixture_20141006"));
    assert!(j.service.value.protocol.value.note.as_ref().unwrap().contains("`json` is the first"));
    let li = &j.operations["ListItems"].value;
    assert_eq!(
        li.pagination.as_ref().unwrap().value.items.as_ref().unwrap().value,
        "items",
        "a result_key list of one"
    );
    assert!(li.note.as_ref().unwrap().contains("compressing"));
    assert!(li.note.as_ref().unwrap().contains("truncated"), "non-aggregate keys noted");
    for op in ["ListNested", "ListMore"] {
        let o = &j.operations[op].value;
        assert!(o.pagination.is_none(), "{op}: the format cannot express it");
        assert!(o.note.as_ref().unwrap().contains("no `pagination`"), "{op}: {:?}", o.note);
    }
    assert_eq!(
        li.documentation,
        "Lists items:\n\n1. first\n   - nested **bold**\n2. second & last\n\nSee [the guide](https://docs.aws.amazon.com/x)."
    );
}

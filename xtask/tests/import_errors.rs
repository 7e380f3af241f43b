//! Broken and unsupported input: every failure is a typed error that names
//! the place and the feature, and no input makes the importer panic.

use std::io::Write;
use std::path::PathBuf;

use xtask::import::botocore::{ImportOptions, convert};
use xtask::import::json::{Json, Object};
use xtask::import::{ImportError, Problem, ProblemKind, read_json_file};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-import-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn options() -> ImportOptions {
    ImportOptions::new("fixture", "fixture.json")
}

fn json(text: &str) -> Json {
    Json::parse(text).unwrap()
}

/// A small valid awsJson 1.1 model; `extra_*` are spliced in.
fn model(extra_op: &str, extra_shapes: &str, protocol: &str) -> Json {
    json(&format!(
        r#"{{
  "metadata": {{"apiVersion": "2020-01-01", "endpointPrefix": "fx", "jsonVersion": "1.1", "protocol": "{protocol}",
                "protocols": ["{protocol}"], "serviceFullName": "Fixture", "signatureVersion": "v4", "targetPrefix": "Fx"}},
  "operations": {{
    "Op": {{"name": "Op", "http": {{"method": "POST", "requestUri": "/"}}, "input": {{"shape": "In"}}, "output": {{"shape": "Out"}}{extra_op}}}
  }},
  "shapes": {{
    "In": {{"type": "structure", "required": ["A"], "members": {{"A": {{"shape": "Str"}}}}}},
    "Out": {{"type": "structure", "members": {{"B": {{"shape": "Str"}}}}}},
    "Str": {{"type": "string", "min": 1, "max": 10}}{extra_shapes}
  }}
}}"#
    ))
}

fn problems(m: &Json) -> Vec<Problem> {
    match convert(m, None, &options()) {
        Err(ImportError::Model { problems }) => problems,
        other => panic!("expected model problems, got {other:?}"),
    }
}

fn one_unsupported(m: &Json) -> (String, Problem) {
    let p = problems(m);
    assert_eq!(p.len(), 1, "{p:#?}");
    let feature = p[0].feature().unwrap_or_else(|| panic!("not an unsupported feature: {}", p[0])).to_owned();
    (feature, p[0].clone())
}

#[test]
fn the_base_model_imports() {
    let yaml = convert(&model("", "", "json"), None, &options()).unwrap();
    let mut sink = codegen::diagnostics::Sink::new("fixture");
    assert!(codegen::load::parse(&yaml, &mut sink).is_some(), "{:?}", sink.found);
    codegen::load_model(&yaml, "fixture.yaml").unwrap_or_else(|d| panic!("{d}"));
}

#[test]
fn files_that_cannot_be_read() {
    let missing = read_json_file(&scratch("missing.json")).unwrap_err();
    assert!(matches!(&missing, ImportError::Read { path, .. } if path.ends_with("missing.json")), "{missing}");
    assert!(missing.to_string().starts_with("error: cannot read "), "{missing}");

    let not_json = scratch("not.json");
    std::fs::write(&not_json, "{\"metadata\": [1, 2,,]}").unwrap();
    let e = read_json_file(&not_json).unwrap_err();
    assert!(matches!(&e, ImportError::NotJson { message, .. } if message.contains("line 1")), "{e}");

    let bad_gz = scratch("bad.json.gz");
    std::fs::write(&bad_gz, b"this is not gzip").unwrap();
    let e = read_json_file(&bad_gz).unwrap_err();
    assert!(matches!(&e, ImportError::Read { message, .. } if message.starts_with("not a readable gzip file")), "{e}");

    let not_utf8 = scratch("latin1.json");
    std::fs::write(&not_utf8, b"{\"a\": \"\xe9\"}").unwrap();
    assert!(
        matches!(read_json_file(&not_utf8), Err(ImportError::Read { message, .. }) if message.starts_with("not UTF-8"))
    );

    let good_gz = scratch("good.json.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(br#"{"b": 1, "a": 2}"#).unwrap();
    std::fs::write(&good_gz, enc.finish().unwrap()).unwrap();
    let j = read_json_file(&good_gz).unwrap();
    assert_eq!(j.as_object().unwrap().keys().collect::<Vec<_>>(), ["b", "a"]);
    let _ = std::fs::remove_dir_all(
        scratch("").parent().unwrap().join(format!("xtask-import-errors-{}", std::process::id())),
    );
}

#[test]
fn models_that_are_not_botocore_models() {
    for (text, why) in [
        ("[]", "must be a JSON object"),
        ("{}", "`metadata` is missing"),
        (r#"{"metadata": {}}"#, "`operations` is missing"),
        (r#"{"metadata": {}, "operations": {}, "shapes": []}"#, "`shapes` is not an object"),
        (r#"{"metadata": {}, "operations": {}}"#, "the model has no operations"),
    ] {
        let p = problems(&json(text));
        assert!(matches!(&p[0].kind, ProblemKind::Invalid { message } if message.contains(why)), "{text}: {p:?}");
    }
    let bad_pages = convert(&model("", "", "json"), Some(&json("[]")), &options()).unwrap_err();
    assert!(bad_pages.to_string().contains("the paginators file has no `pagination` object"));
}

#[test]
fn malformed_parts_are_all_reported_with_their_place() {
    let m = model(
        r#", "errors": [{"shape": "Nope"}, {"shape": "Str"}]"#,
        r#", "Bad": {"type": "list"}, "Odd": {"type": "quantum"}, "L": {"type": "structure", "members": {"x": {"shape": "Missing"}}, "required": ["y"]}"#,
        "json",
    );
    let p = problems(&m);
    let text: Vec<String> = p.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "operation `Op`: `errors` refers to shape `Nope`, which is not defined in `shapes`",
            "operation `Op`: error shape `Str` has no `exception: true`",
        ],
        "unreachable shapes are not imported, so not checked"
    );
    let m = model(
        "",
        r#", "Str2": {"type": "string", "min": "one", "max": -1}, "Wrong": {"type": "structure", "members": {"x": {"shape": "Missing"}}, "required": ["y"], "payload": "z"}"#,
        "json",
    );
    let mut j = m.clone();
    // Point the input at the broken shapes.
    if let Json::Object(root) = &mut j {
        let mut shapes = root.get("shapes").unwrap().as_object().unwrap().clone();
        shapes.insert(
            "In",
            json(r#"{"type": "structure", "members": {"A": {"shape": "Str2"}, "W": {"shape": "Wrong"}}}"#),
        );
        root.insert("shapes", Json::Object(shapes));
    }
    let text: Vec<String> = problems(&j).iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "shape `Str2`: `min` is \"one\", expected a whole number of at least 0",
            "shape `Str2`: `max` is -1, expected a whole number of at least 0",
            "shape `Wrong`: `required` names `y`, which is not a member",
            "shape `Wrong`: `payload` names `z`, which is not a member",
            "shape `Wrong`, member `x`: refers to shape `Missing`, which is not defined in `shapes`",
        ],
    );
}

#[test]
fn unsupported_features_name_place_and_feature() {
    let cases: &[(Json, &str, &str)] = &[
        (model("", "", "rest-xml"), "protocol rest-xml", "service metadata"),
        (model("", "", "ec2"), "protocol ec2", "service metadata"),
        (model(r#", "httpChecksumRequired": true"#, "", "json"), "httpChecksumRequired", "operation `Op`"),
        (model(r#", "authtype": "v4-unsigned-body""#, "", "json"), "authtype v4-unsigned-body", "operation `Op`"),
        (model(r#", "endpointdiscovery": {"required": true}"#, "", "json"), "endpointdiscovery", "operation `Op`"),
        (model(r#", "somethingNew": 1"#, "", "json"), "somethingNew", "operation `Op`"),
    ];
    for (m, feature, place) in cases {
        let (f, p) = one_unsupported(m);
        assert_eq!((f.as_str(), p.place.to_string().as_str()), (*feature, *place), "{p}");
    }
    // Event streams, streaming blobs and sparse lists in the output.
    let with_output = |out_member: &str, shapes: &str| {
        let mut m = model("", shapes, "json");
        if let Json::Object(root) = &mut m {
            let mut s = root.get("shapes").unwrap().as_object().unwrap().clone();
            s.insert("Out", json(&format!(r#"{{"type": "structure", "members": {{"B": {out_member}}}}}"#)));
            root.insert("shapes", Json::Object(s));
        }
        m
    };
    let stream = with_output(
        r#"{"shape": "Events"}"#,
        r#", "Events": {"type": "structure", "members": {"E": {"shape": "Ev"}}, "eventstream": true}, "Ev": {"type": "structure", "members": {}, "event": true}"#,
    );
    let (f, p) = one_unsupported(&stream);
    assert_eq!(f, "eventstream");
    assert_eq!(
        p.to_string(),
        "operation `Op`, shape `Out`, member `B`: `eventstream` is not supported yet: the member is the event stream `Events`"
    );
    let blob = with_output(r#"{"shape": "Body"}"#, r#", "Body": {"type": "blob", "streaming": true}"#);
    let (f, p) = one_unsupported(&blob);
    assert_eq!((f.as_str(), p.place.member.as_deref()), ("streaming", Some("B")));
    let sparse = with_output(
        r#"{"shape": "Sparse"}"#,
        r#", "Sparse": {"type": "list", "member": {"shape": "Str"}, "sparse": true}"#,
    );
    let (f, p) = one_unsupported(&sparse);
    assert_eq!((f.as_str(), p.place.shape.as_deref()), ("sparse", Some("Sparse")));
    let header = with_output(r#"{"shape": "Str", "location": "header", "locationName": "X-B"}"#, "");
    let (f, p) = one_unsupported(&header);
    assert_eq!((f.as_str(), p.place.member.as_deref()), ("location header", Some("B")));
    let lookahead = with_output(r#"{"shape": "P"}"#, r#", "P": {"type": "string", "pattern": "a(?=b)"}"#);
    let (f, p) = one_unsupported(&lookahead);
    assert_eq!(f, "pattern");
    assert!(p.to_string().contains("lookahead"), "{p}");
    let global = {
        let mut m = model("", "", "json");
        if let Json::Object(root) = &mut m {
            let mut meta = root.get("metadata").unwrap().as_object().unwrap().clone();
            meta.insert("globalEndpoint", Json::String("fx.amazonaws.com".into()));
            root.insert("metadata", Json::Object(meta));
        }
        m
    };
    assert_eq!(one_unsupported(&global).0, "globalEndpoint");
    // Several problems come together.
    let both = model(r#", "httpChecksumRequired": true, "unsignedPayload": true"#, "", "json");
    let features: Vec<String> = problems(&both).iter().filter_map(|p| p.feature().map(str::to_owned)).collect();
    assert_eq!(features, ["httpChecksumRequired", "unsignedPayload"]);
}

#[test]
fn unknown_operations_get_close_matches() {
    let mut o = options();
    o.operations = Some(vec!["op".into(), "Op".into(), "Zzz".into()]);
    let e = convert(&model("", "", "json"), None, &o).unwrap_err();
    assert_eq!(
        e.to_string(),
        "error: the model has no operation `op` (did you mean `Op`?)\nerror: the model has no operation `Zzz`"
    );
}

/// Every value of a valid model replaced, one at a time, by values of every
/// other JSON type: the importer answers each with YAML or an error, never a panic.
#[test]
fn no_mutation_of_a_model_panics() {
    let base =
        read_json_file(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/import/rest_json.service.json")).unwrap();
    let replacements = [
        Json::Null,
        Json::Bool(true),
        Json::String(String::new()),
        Json::String("{x}".into()),
        json("-1"),
        json("1e300"),
        Json::Array(vec![Json::Null]),
        Json::Object(Object::new()),
    ];
    fn paths(j: &Json, here: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(here.clone());
        match j {
            Json::Object(o) => {
                for (k, v) in o.iter() {
                    here.push(k.to_owned());
                    paths(v, here, out);
                    here.pop();
                }
            }
            Json::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    here.push(format!("#{i}"));
                    paths(v, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }
    fn replace(j: &Json, path: &[String], with: &Json) -> Json {
        let Some((first, rest)) = path.split_first() else { return with.clone() };
        match j {
            Json::Object(o) => Json::Object(
                o.iter()
                    .map(|(k, v)| (k.to_owned(), if k == first { replace(v, rest, with) } else { v.clone() }))
                    .collect(),
            ),
            Json::Array(a) => Json::Array(
                a.iter()
                    .enumerate()
                    .map(|(i, v)| if format!("#{i}") == *first { replace(v, rest, with) } else { v.clone() })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let mut all = Vec::new();
    paths(&base, &mut Vec::new(), &mut all);
    assert!(all.len() > 150, "{}", all.len());
    let (mut ok, mut err) = (0, 0);
    for path in &all {
        for r in &replacements {
            let mutated = replace(&base, path, r);
            match convert(&mutated, None, &options()) {
                Ok(yaml) => {
                    ok += 1;
                    let mut sink = codegen::diagnostics::Sink::new("mutated");
                    assert!(
                        codegen::load::parse(&yaml, &mut sink).is_some(),
                        "{path:?} = {r}: {:?}\n{yaml}",
                        sink.found
                    );
                }
                Err(ImportError::Model { problems }) => {
                    err += 1;
                    assert!(!problems.is_empty());
                }
                Err(other) => panic!("{path:?} = {r}: {other}"),
            }
        }
    }
    assert!(ok > 0 && err > 0, "ok {ok}, err {err}");
}

/// awsJson with `awsQueryCompatible`: the JSON answer names an error by its
/// shape, so that is the code; botocore's awsQuery code is kept in a note.
#[test]
fn query_compatible_errors_are_coded_by_shape_name() {
    let mut m = model(
        r#", "errors": [{"shape": "QueueGone"}]"#,
        r#", "QueueGone": {"type": "structure", "members": {}, "exception": true, "error": {"code": "AWS.SimpleQueueService.NonExistentQueue", "httpStatusCode": 400, "senderFault": true}}"#,
        "json",
    );
    if let Json::Object(root) = &mut m {
        let mut meta = root.get("metadata").unwrap().as_object().unwrap().clone();
        meta.insert("awsQueryCompatible", Json::Object(Object::new()));
        root.insert("metadata", Json::Object(meta));
    }
    let yaml = convert(&m, None, &options()).unwrap();
    let mut sink = codegen::diagnostics::Sink::new("fixture");
    let model = codegen::load::parse(&yaml, &mut sink).unwrap();
    let e = model.shapes["QueueGone"].value.error.as_ref().unwrap();
    assert_eq!(e.value.code.as_deref(), Some("QueueGone"));
    assert!(e.value.note.as_ref().unwrap().contains("`AWS.SimpleQueueService.NonExistentQueue`"));
}

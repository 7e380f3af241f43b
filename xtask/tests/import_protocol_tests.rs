//! Every group of botocore's protocol test suites that the conformance
//! harness runs converts: its `metadata`, `shapes` and the operations of its
//! cases' `given` become a model that the generator's loader reads. A group
//! that cannot be converted must fail only for a feature expected not to be
//! supported yet, named in the error.

use std::collections::BTreeMap;
use std::path::PathBuf;

use xtask::import::botocore::{ImportOptions, convert, protocol_test_service};
use xtask::import::{ImportError, read_json_file};

/// The suite files of issue 10's conformance run.
const SUITES: &[&str] = &[
    "input/json.json",
    "input/query.json",
    "input/rest-json.json",
    "output/json.json",
    "output/json_1_0.json",
    "output/query.json",
    "output/rest-json.json",
];

/// Features a group may fail on, and how many groups do (botocore 1.43.11's suites).
const EXPECTED_UNSUPPORTED: &[(&str, usize)] = &[("httpChecksumRequired", 1)];

fn suites_dir() -> PathBuf {
    xtask::repo_root().join("../shared/reference/protocol-tests")
}

#[test]
fn every_group_of_the_conformance_suites_converts() {
    let mut converted = 0;
    let mut failed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut report = String::new();
    for suite in SUITES {
        let path = suites_dir().join(suite);
        let groups = read_json_file(&path).unwrap_or_else(|e| panic!("{e}"));
        let groups = groups.as_array().unwrap_or_else(|| panic!("{suite} is not an array"));
        assert!(!groups.is_empty(), "{suite} has no groups");
        for (i, group) in groups.iter().enumerate() {
            let label = format!("{suite}#{i}");
            let service = protocol_test_service(group).unwrap_or_else(|e| panic!("{label}: {e}"));
            let options = ImportOptions::new("protocol_test", format!("../shared/reference/protocol-tests/{suite}"));
            match convert(&service, None, &options) {
                Ok(yaml) => {
                    let mut sink = codegen::diagnostics::Sink::new(&label);
                    if codegen::load::parse(&yaml, &mut sink).is_none() {
                        panic!("{label}: the imported model does not parse:\n{:#?}\n{yaml}", sink.found);
                    }
                    converted += 1;
                }
                Err(ImportError::Model { problems }) => {
                    for p in &problems {
                        let feature = p.feature().unwrap_or_else(|| panic!("{label}: not an unsupported feature: {p}"));
                        report.push_str(&format!("{label}: {p}\n"));
                        failed.entry(feature.to_owned()).or_default().push(label.clone());
                    }
                }
                Err(other) => panic!("{label}: {other}"),
            }
        }
    }
    eprint!("{report}");
    eprintln!("{converted} groups converted");
    let got: Vec<(&str, usize)> = failed.iter().map(|(f, groups)| (f.as_str(), groups.len())).collect();
    assert_eq!(got, EXPECTED_UNSUPPORTED, "unexpected unsupported features:\n{report}");
    assert!(converted >= 150, "only {converted} groups converted");
}

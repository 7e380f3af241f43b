//! `cargo xtask conformance [--write]`: botocore's protocol test suites, run
//! through the importer, the generator and the generated clients.
//!
//! Every case of `input/{json,query,rest-json}.json` and
//! `output/{json,json_1_0,query,rest-json}.json` (in `../shared/reference/protocol-tests/`):
//! each suite group's embedded model is imported ([`crate::import::botocore`])
//! into a YAML model, checked and emitted by the generator into a module of a
//! scratch crate under `target/conformance/`, together with one function per
//! case, compiled and run. A request case builds the typed input from the
//! case's `params` and prepares (signs) the request, which is compared with
//! `serialized` as botocore's own harness compares them; a response case
//! answers the operation with the case's `response` through an in-memory
//! transport and compares what the client returns (output or error) with the
//! expected `result` or error.
//!
//! Cases on botocore's ignore list are counted as ignored. Any other case that
//! fails must be listed, with its reason, in `conformance/expected-failures.txt`;
//! a listed case that passes fails the run, so the list can only shrink.
//! `CONFORMANCE.md` is the report; `--write` rewrites it, otherwise the run
//! fails when it is stale. The last line printed is
//! `conformance: P passed, F failed` (F: unexpected results only).

mod compare;
mod literal;
mod runner;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The suite files this harness runs, by botocore's file label.
pub const SUITES: &[&str] =
    &["input/json", "input/query", "input/rest-json", "output/json", "output/json_1_0", "output/query", "output/rest-json"];

pub const USAGE: &str = "usage: cargo xtask conformance [--write] [--suites DIR] [--only FILE_LABEL]";

/// One case of one suite.
#[derive(Debug, Clone)]
pub struct Case {
    /// `input/json`, `output/rest-json`, ...
    pub file: String,
    /// The group's `description` (botocore's "suite").
    pub suite: String,
    pub id: String,
    pub given: String,
    /// The service module the case runs against.
    pub module: String,
    pub client_endpoint: Option<String>,
    pub ignored: bool,
    /// The case as written.
    pub json: Value,
}

impl Case {
    pub fn is_input(&self) -> bool {
        self.file.starts_with("input/")
    }

    /// `input/json RestJsonFoo`, how the expected-failure file names it.
    pub fn key(&self) -> String {
        format!("{} {}", self.file, self.id)
    }
}

/// A service module made from one suite group (or the part of one whose
/// cases share each operation's definition).
pub struct Module {
    pub name: String,
    pub file: String,
    /// The importer's output, or why there is none.
    pub yaml: Result<String, String>,
}

/// What happened to one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Ignored,
    Failed(String),
}

/// botocore's ignore list: (protocol, direction) -> suites and case ids; `general` applies to all.
struct IgnoreList(Value);

impl IgnoreList {
    fn ignores(&self, file: &str, suite: &str, id: &str) -> bool {
        let (direction, protocol) = file.split_once('/').unwrap_or((file, ""));
        let listed = |v: &Value, key: &str, what: &str| {
            v.get(key).and_then(Value::as_array).is_some_and(|a| a.iter().any(|x| x.as_str() == Some(what)))
        };
        let general = &self.0["general"][direction];
        let specific = &self.0["protocols"][protocol][direction];
        listed(general, "suites", suite) || listed(general, "cases", id) || listed(specific, "suites", suite) || listed(specific, "cases", id)
    }
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

/// Module names from suite labels: `input/rest-json` group 3 -> `in_rest_json_03`.
fn module_name(file: &str, group: usize, part: usize) -> String {
    let base = file.replace("input/", "in_").replace("output/", "out_").replace(['-', '.'], "_");
    if part == 0 { format!("{base}_{group:02}") } else { format!("{base}_{group:02}_{part}") }
}

/// Reads every case and makes the modules they run against.
pub fn load(suites_dir: &Path, only: Option<&str>) -> Result<(Vec<Case>, Vec<Module>), String> {
    let ignore = IgnoreList(read_json(&suites_dir.join("protocol-tests-ignore-list.json"))?);
    let mut cases = Vec::new();
    let mut modules = Vec::new();
    for file in SUITES.iter().filter(|f| only.is_none_or(|o| o == **f)) {
        let path = suites_dir.join(format!("{file}.json"));
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let groups: Vec<Value> = serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
        // The same file read keeping the order of keys, which the models' member order is.
        let ordered = crate::import::json::Json::parse(&text)?;
        let ordered_groups = match &ordered {
            crate::import::json::Json::Array(items) => items.clone(),
            _ => return Err(format!("{} is not an array of groups", path.display())),
        };
        for (gi, group) in groups.iter().enumerate() {
            let suite = group["description"].as_str().unwrap_or_default().to_owned();
            let client_endpoint = group.get("clientEndpoint").and_then(Value::as_str).map(str::to_owned);
            // Cases whose operation of the same name is defined differently go to modules of their own.
            let mut parts: Vec<BTreeMap<String, Value>> = Vec::new();
            let mut part_cases: Vec<Vec<usize>> = Vec::new();
            for (ci, case) in group["cases"].as_array().into_iter().flatten().enumerate() {
                let given = case["given"].clone();
                let name = given["name"].as_str().unwrap_or("OperationName").to_owned();
                let part = match parts.iter().position(|p| p.get(&name).is_none_or(|g| *g == given)) {
                    Some(p) => p,
                    None => {
                        parts.push(BTreeMap::new());
                        part_cases.push(Vec::new());
                        parts.len() - 1
                    }
                };
                parts[part].insert(name.clone(), given);
                part_cases[part].push(ci);
                let id = case["id"].as_str().unwrap_or_default().to_owned();
                cases.push(Case {
                    file: (*file).to_owned(),
                    ignored: ignore.ignores(file, &suite, &id),
                    suite: suite.clone(),
                    id,
                    given: name,
                    module: module_name(file, gi, part),
                    client_endpoint: client_endpoint.clone(),
                    json: case.clone(),
                });
            }
            for (pi, these) in part_cases.into_iter().enumerate() {
                let name = module_name(file, gi, pi);
                let yaml = sub_group(&ordered_groups[gi], &these).and_then(|sub| import_group(&sub, &name, file, gi));
                modules.push(Module { name, file: (*file).to_owned(), yaml });
            }
        }
    }
    Ok((cases, modules))
}

/// The group with only the cases at `indices`.
fn sub_group(group: &crate::import::json::Json, indices: &[usize]) -> Result<crate::import::json::Json, String> {
    use crate::import::json::Json;
    let object = group.as_object().ok_or("a group is not an object")?;
    let cases = match object.get("cases") {
        Some(Json::Array(cases)) => indices.iter().filter_map(|&i| cases.get(i).cloned()).collect(),
        _ => return Err("a group has no cases".to_owned()),
    };
    let mut sub = object.clone();
    sub.insert("cases", Json::Array(cases));
    Ok(Json::Object(sub))
}

/// The importer's YAML for one group.
fn import_group(group: &crate::import::json::Json, name: &str, file: &str, index: usize) -> Result<String, String> {
    let service = crate::import::botocore::protocol_test_service(group)?;
    let mut options = crate::import::botocore::ImportOptions::new(
        name,
        format!("botocore protocol tests {file}.json, group {index}"),
    );
    options.unenforced_patterns = true;
    crate::import::botocore::convert(&service, None, &options).map_err(|e| e.to_string())
}

/// Runs the whole harness; `write` rewrites CONFORMANCE.md instead of checking it.
pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    let mut write = false;
    let mut suites_dir = root.join("../shared/reference/protocol-tests");
    let mut only = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--write" => write = true,
            "--suites" => suites_dir = PathBuf::from(it.next().ok_or(USAGE)?),
            "--only" => only = Some(it.next().ok_or(USAGE)?.to_string()),
            _ => return Err(USAGE.to_owned()),
        }
    }
    let (cases, modules) = load(&suites_dir, only.as_deref())?;
    let work = root.join("target/conformance");
    let results = runner::run(root, &work, &cases, &modules)?;
    let outcomes: Vec<Outcome> = cases
        .iter()
        .map(|case| {
            if case.ignored {
                return Outcome::Ignored;
            }
            match results.get(&case.key()) {
                Some(Ok(actual)) => match compare::case(case, actual) {
                    Ok(()) => Outcome::Passed,
                    Err(why) => Outcome::Failed(why),
                },
                Some(Err(why)) => Outcome::Failed(why.clone()),
                None => Outcome::Failed("the runner produced no result".to_owned()),
            }
        })
        .collect();
    report(root, &cases, &outcomes, write, only.is_some())
}

/// The expected-failure list: `file case-id  reason`, one per line, `#` comments.
fn expected_failures(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, char::is_whitespace);
        let (Some(file), Some(id)) = (parts.next(), parts.next()) else {
            return Err(format!("{}:{}: expected `<file> <case id> <reason>`", path.display(), n + 1));
        };
        let reason = parts.next().unwrap_or_default().trim();
        if reason.is_empty() {
            return Err(format!("{}:{}: `{file} {id}` needs a reason", path.display(), n + 1));
        }
        out.insert(format!("{file} {id}"), reason.to_owned());
    }
    Ok(out)
}

fn report(root: &Path, cases: &[Case], outcomes: &[Outcome], write: bool, partial: bool) -> Result<(), String> {
    let list_path = root.join("conformance/expected-failures.txt");
    let expected = expected_failures(&list_path)?;
    let mut unexpected = Vec::new();
    let mut listed_seen = BTreeSet::new();
    let mut passed = 0;
    for (case, outcome) in cases.iter().zip(outcomes) {
        let key = case.key();
        match (outcome, expected.get(&key)) {
            (Outcome::Passed, None) => passed += 1,
            (Outcome::Passed, Some(_)) => {
                listed_seen.insert(key.clone());
                unexpected.push(format!("{key}: passes now; remove it from conformance/expected-failures.txt"));
            }
            (Outcome::Failed(_), Some(_)) => {
                listed_seen.insert(key.clone());
            }
            (Outcome::Failed(why), None) => unexpected.push(format!("{key}: {why}")),
            (Outcome::Ignored, Some(_)) => {
                listed_seen.insert(key.clone());
                unexpected.push(format!("{key}: on botocore's ignore list; remove it from conformance/expected-failures.txt"));
            }
            (Outcome::Ignored, None) => {}
        }
    }
    if !partial {
        for key in expected.keys().filter(|k| !listed_seen.contains(*k)) {
            unexpected.push(format!("{key}: listed as an expected failure, but no such case exists"));
        }
    }
    let markdown = markdown(cases, outcomes, &expected);
    let doc_path = root.join("CONFORMANCE.md");
    if !partial {
        if write {
            std::fs::write(&doc_path, &markdown).map_err(|e| format!("cannot write {}: {e}", doc_path.display()))?;
        } else if std::fs::read_to_string(&doc_path).ok().as_deref() != Some(markdown.as_str()) {
            unexpected.push("CONFORMANCE.md: out of date; run `cargo xtask conformance --write` and commit it".to_owned());
        }
    }
    for line in &unexpected {
        println!("unexpected: {line}");
    }
    println!("conformance: {passed} passed, {} failed", unexpected.len());
    if unexpected.is_empty() { Ok(()) } else { Err(format!("conformance: {} unexpected result(s)", unexpected.len())) }
}

fn markdown(cases: &[Case], outcomes: &[Outcome], expected: &BTreeMap<String, String>) -> String {
    let mut out = String::from(
        "# Protocol conformance\n\n\
         botocore's protocol test suites (`../shared/reference/protocol-tests/`, botocore's own\n\
         ignore list applied), run by `cargo xtask conformance` (the test suite runs it): each\n\
         suite group's model is imported with `cargo xtask import`'s converter, generated into a\n\
         scratch crate with one function per case, compiled and run. Requests are compared as\n\
         botocore's harness compares them (JSON bodies as values, query bodies as exact bytes,\n\
         expected headers present with their values, forbidden headers absent, the path and query\n\
         exactly); answers are parsed by the generated operation through an in-memory transport and\n\
         compared with the expected result or error. `conformance/expected-failures.txt` lists what\n\
         fails, with the reason; it can only shrink.\n\n\
         This file is written by `cargo xtask conformance --write`.\n\n\
         | suite file | cases | passed | ignored | expected failures |\n|---|---|---|---|---|\n",
    );
    let mut totals = (0, 0, 0, 0);
    for file in SUITES {
        let rows: Vec<(&Case, &Outcome)> = cases.iter().zip(outcomes).filter(|(c, _)| c.file == *file).collect();
        if rows.is_empty() {
            continue;
        }
        let passed = rows.iter().filter(|(_, o)| **o == Outcome::Passed).count();
        let ignored = rows.iter().filter(|(_, o)| **o == Outcome::Ignored).count();
        let failed = rows.iter().filter(|(c, o)| matches!(o, Outcome::Failed(_)) && expected.contains_key(&c.key())).count();
        out.push_str(&format!("| `{file}.json` | {} | {passed} | {ignored} | {failed} |\n", rows.len()));
        totals = (totals.0 + rows.len(), totals.1 + passed, totals.2 + ignored, totals.3 + failed);
    }
    out.push_str(&format!("| all | {} | {} | {} | {} |\n", totals.0, totals.1, totals.2, totals.3));
    let failures: Vec<(&Case, &String)> = cases
        .iter()
        .zip(outcomes)
        .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
        .filter_map(|(c, _)| expected.get(&c.key()).map(|r| (c, r)))
        .collect();
    if failures.is_empty() {
        out.push_str("\nEvery case that is not ignored passes.\n");
    } else {
        out.push_str("\n## Expected failures\n\n| case | reason |\n|---|---|\n");
        for (c, reason) in failures {
            out.push_str(&format!("| `{}` `{}` | {} |\n", c.file, c.id, reason.replace('|', "\\|")));
        }
    }
    out
}

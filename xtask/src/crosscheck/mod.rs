//! `cargo xtask crosscheck [FILE...]`: every fact of every model that has an
//! official counterpart, compared with that counterpart.
//!
//! - AWS models (SigV4): botocore's service model, as the botocore pinned in
//!   `scripts/requirements.txt` has it in `.venv`. It is read through the
//!   importer ([`crate::import::convert`], the operations of the model and the
//!   shapes they reach), so that both sides are in this project's format and
//!   botocore's conventions (default HTTP statuses, faults, protocol names)
//!   are applied in one place; botocore's `_retry.json` adds which error codes
//!   are throttling, and `partitions.json` the China partition.
//! - Huawei models: the AS SDK's classes (`huaweicloudsdkas`, pinned too), as
//!   `tests/oracle/huawei_sdk_facts.py` dumps them; see [`huawei`].
//!
//! Compared, operation by operation and then member by member (shape names
//! may differ between the two): the service's protocol, API version, signing
//! and endpoints; each operation's method, path, success status, input,
//! output, errors, result wrapper, pagination and idempotency; each member's
//! presence, required-ness, location and wire name; each shape's type,
//! length, range, pattern, enum values, list and map members, and error trait
//! (code, HTTP status, fault, retryable, throttling); member-level
//! `allowed_values`. Documentation is not compared.
//!
//! Every difference is printed as `file:line: fact: ours ..., official ...`.
//! A difference is accepted when the model records it: a `disagreement` on the
//! fact's own block or on the block that holds it (the constraint, the shape,
//! the member through which the shape was reached, the structure, the error
//! trait, the operation, the pagination, the protocol or the service). Facts
//! filled from the official model (`source: botocore`, `source: huawei-sdk-as`)
//! are checked like every other: a difference there means the copy is stale.
//! Any difference the model does not record fails the command.

pub mod botocore;
pub mod huawei;
pub mod tree;

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

pub use tree::ModelFile;

pub const USAGE: &str = "usage: cargo xtask crosscheck [MODEL.yaml ...]   (default: every file in models/)";

/// One difference between a model and its official counterpart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub file: String,
    pub line: usize,
    /// The fact, as a model path (`shapes.X.length.max`).
    pub fact: String,
    pub ours: String,
    pub official: String,
    /// The model records it (a `disagreement` on the fact or its holder).
    pub recorded: bool,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tail = if self.recorded { " (recorded as a disagreement)" } else { " (NOT RECORDED)" };
        write!(f, "{}:{}: {}: ours {}, official {}{tail}", self.file, self.line, self.fact, self.ours, self.official)
    }
}

/// The outcome for one model.
#[derive(Debug, Clone)]
pub struct Report {
    pub file: String,
    /// What the model was compared with (`botocore 1.43.11 data/...`), or why nothing.
    pub counterpart: String,
    pub differences: Vec<Difference>,
}

impl Report {
    pub fn unrecorded(&self) -> impl Iterator<Item = &Difference> {
        self.differences.iter().filter(|d| !d.recorded)
    }
}

/// `cargo xtask crosscheck [FILE...]`.
pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    if args.iter().any(|a| a.starts_with('-')) {
        return Err(USAGE.to_owned());
    }
    let files: Vec<PathBuf> = if args.is_empty() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("models"))
            .map_err(|e| format!("cannot read models/: {e}"))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        files.sort();
        files
    } else {
        args.iter().map(PathBuf::from).collect()
    };
    let mut failed = 0;
    let mut total = 0;
    for path in &files {
        let report = check_file(root, path)?;
        println!("{}: compared with {}", report.file, report.counterpart);
        for d in &report.differences {
            println!("{d}");
        }
        total += report.differences.len();
        failed += report.unrecorded().count();
    }
    println!("{} model(s), {total} difference(s), {failed} not recorded", files.len());
    if failed > 0 {
        return Err(format!(
            "crosscheck failed: {failed} difference(s) with the official models are not recorded (a `disagreement:` on the fact, or a fix of the model)"
        ));
    }
    Ok(())
}

/// Compares one model file with its official counterpart.
pub fn check_file(root: &Path, path: &Path) -> Result<Report, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let display = path.strip_prefix(root).unwrap_or(path).display().to_string();
    let ours = ModelFile::parse(&display, &text)?;
    let scheme = ours.get(&["service", "signing", "scheme"]).and_then(Value::as_str).unwrap_or("");
    let official = match scheme {
        "sigv4" => botocore::official(root, &ours)?,
        "huawei-sdk-hmac-sha256" => huawei::official(root, &ours)?,
        other => {
            return Ok(Report {
                file: display,
                counterpart: format!("nothing (no official model is known for signing `{other}`)"),
                differences: Vec::new(),
            });
        }
    };
    let mut cx = Compare { ours: &ours, official: &official.tree, differences: Vec::new(), seen: HashSet::new() };
    cx.service();
    cx.operations();
    // A shape reached from several official shapes differs from each the same way: once is enough.
    let mut differences: Vec<Difference> = Vec::new();
    for d in cx.differences {
        if !differences.contains(&d) {
            differences.push(d);
        }
    }
    Ok(Report { file: display, counterpart: official.label, differences })
}

/// An official model in this project's format (keys as `models/` use them;
/// an explicit `null` is a fact the counterpart does not state).
pub struct Official {
    pub label: String,
    pub tree: Value,
}

struct Compare<'a> {
    ours: &'a ModelFile,
    official: &'a Value,
    differences: Vec<Difference>,
    seen: HashSet<(String, String)>,
}

/// A fact's value as printed: `none` when absent.
fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "none".to_owned(),
        Some(Value::String(s)) => format!("{s:?}"),
        Some(other) => other.to_string(),
    }
}

fn str_at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    tree::get(v, path).and_then(Value::as_str)
}

/// Integer types: Huawei's SDK says only `int` (and `str` for a string or an
/// enum whose documentation lists no values).
const INTEGERS: &[&str] = &["byte", "short", "integer", "long"];

impl Compare<'_> {
    /// Records a difference at `at` (a model path), accepted when any block of `holders` disagrees.
    fn differ(&mut self, at: &[&str], fact: String, ours: String, official: String, holders: &[Vec<&str>]) {
        let recorded = holders.iter().any(|h| self.ours.disagrees(h));
        let line = self.ours.line(at);
        self.differences.push(Difference { file: self.ours.display.clone(), line, fact, ours, official, recorded });
    }

    /// Compares a scalar fact at `ours_path` / `official_path`, with a default
    /// for both when absent; an official `null` is a fact the counterpart does
    /// not state.
    fn scalar(
        &mut self,
        ours_at: &[&str],
        official_at: (&Value, &[&str]),
        default: Option<Value>,
        holders: &[Vec<&str>],
    ) {
        let official = tree::get(official_at.0, official_at.1);
        if official.is_some_and(Value::is_null) {
            return;
        }
        let ours = self.ours.get(ours_at).cloned().or_else(|| default.clone());
        let theirs = official.cloned().or(default);
        if !same(ours.as_ref(), theirs.as_ref()) {
            self.differ(ours_at, ours_at.join("."), show(ours.as_ref()), show(theirs.as_ref()), holders);
        }
    }

    fn service(&mut self) {
        let off = self.official;
        let service = vec!["service"];
        for (path, holder) in [
            (vec!["service", "api_version"], vec!["service"]),
            (vec!["service", "protocol", "type"], vec!["service", "protocol"]),
            (vec!["service", "protocol", "target_prefix"], vec!["service", "protocol"]),
            (vec!["service", "protocol", "json_version"], vec!["service", "protocol"]),
            (vec!["service", "protocol", "xml_namespace"], vec!["service", "protocol"]),
            (vec!["service", "signing", "scheme"], vec!["service", "signing"]),
            (vec!["service", "signing", "name"], vec!["service", "signing"]),
            (vec!["service", "endpoint", "template"], vec!["service", "endpoint"]),
            (vec!["service", "endpoint", "service_id"], vec!["service", "endpoint"]),
        ] {
            if tree::get(off, &path[..path.len() - 1]).is_none() {
                continue;
            }
            self.scalar(&path, (off, &path), None, &[holder, service.clone()]);
        }
        let partitions = |v: Option<&Value>| -> Value {
            let list = v.and_then(Value::as_array).cloned().unwrap_or_default();
            let mut pairs: Vec<String> = list
                .iter()
                .map(|p| {
                    format!(
                        "{}={}",
                        str_at(p, &["region_prefix"]).unwrap_or(""),
                        str_at(p, &["template"]).unwrap_or("")
                    )
                })
                .collect();
            pairs.sort();
            Value::from(pairs)
        };
        if tree::get(off, &["service", "endpoint"]).is_some() {
            let at = ["service", "endpoint", "partitions"];
            let (o, t) = (partitions(self.ours.get(&at)), partitions(tree::get(off, &at)));
            if o != t {
                self.differ(&at, at.join("."), o.to_string(), t.to_string(), &[vec!["service", "endpoint"], service]);
            }
        }
    }

    fn operations(&mut self) {
        let names: Vec<String> = self
            .ours
            .get(&["operations"])
            .and_then(Value::as_object)
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        for name in &names {
            self.operation(name);
        }
    }

    fn operation(&mut self, name: &str) {
        let off_root = self.official;
        let op_path = ["operations", name];
        let Some(theirs) = tree::get(off_root, &op_path) else {
            self.differ(&op_path, op_path.join("."), "an operation".into(), "none".into(), &[op_path.to_vec()]);
            return;
        };
        let holders = [op_path.to_vec()];
        let ours_op = self.ours.get(&op_path).cloned().unwrap_or(Value::Null);
        for (key, default) in [("method", None), ("path", None), ("success_status", Some(Value::from(200)))] {
            let path = ["operations", name, "http", key];
            self.scalar(&path, (theirs, &["http", key]), default, &holders);
        }
        for (key, default) in [("result_wrapper", None), ("idempotent", Some(Value::Bool(false)))] {
            self.scalar(&["operations", name, key], (theirs, &[key]), default, &holders);
        }
        self.pagination(name, &ours_op, theirs);
        // Errors: the lists, then each error both have.
        let errors = |v: &Value| -> Option<Vec<String>> {
            v.get("errors")
                .map(|e| e.as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect()))?
        };
        let ours_errors = errors(&ours_op).unwrap_or_default();
        let official_errors = match theirs.get("errors") {
            Some(Value::Null) => None,
            _ => Some(errors(theirs).unwrap_or_default()),
        };
        if let Some(official_errors) = &official_errors {
            for e in ours_errors.iter().filter(|e| !official_errors.contains(e)) {
                let at = ["operations", name, "errors"];
                self.differ(
                    &at,
                    format!("{}.errors", op_path.join(".")),
                    format!("lists {e}"),
                    "does not".into(),
                    &holders,
                );
            }
            for e in official_errors.iter().filter(|e| !ours_errors.contains(e)) {
                let at = ["operations", name, "errors"];
                self.differ(
                    &at,
                    format!("{}.errors", op_path.join(".")),
                    "does not list it".into(),
                    format!("lists {e}"),
                    &holders,
                );
            }
        }
        for e in &ours_errors {
            if official_errors.as_ref().is_none_or(|l| l.contains(e)) && tree::get(off_root, &["shapes", e]).is_some() {
                self.shape(e, e, None);
            }
        }
        for key in ["input", "output"] {
            let o = ours_op.get(key).and_then(Value::as_str).map(str::to_owned);
            let t = theirs.get(key).and_then(Value::as_str).map(str::to_owned);
            match (o, t) {
                (Some(o), Some(t)) => self.shape(&o, &t, None),
                (None, None) => {}
                (o, t) => {
                    let at = ["operations", name, key];
                    self.differ(
                        &at,
                        at.join("."),
                        show(o.map(Value::from).as_ref()),
                        show(t.map(Value::from).as_ref()),
                        &holders,
                    );
                }
            }
        }
    }

    fn pagination(&mut self, name: &str, ours_op: &Value, theirs: &Value) {
        let at = ["operations", name, "pagination"];
        let holders = [at.to_vec(), at[..2].to_vec()];
        match (ours_op.get("pagination"), theirs.get("pagination")) {
            (_, Some(Value::Null)) | (None, None) => {}
            (Some(_), Some(_)) => {
                for key in ["input_token", "output_token", "items", "page_size"] {
                    self.scalar(
                        &["operations", name, "pagination", key],
                        (theirs, &["pagination", key]),
                        None,
                        &holders,
                    );
                }
            }
            (o, t) => {
                let brief = |p: Option<&Value>| {
                    p.map_or("none".to_owned(), |p| {
                        format!("{} -> {}", show(p.get("input_token")), show(p.get("output_token")))
                    })
                };
                self.differ(&at, at.join("."), brief(o), brief(t), &holders);
            }
        }
    }

    /// Compares our shape `o` with the official shape `t`, reached through
    /// member `via` (`shapes.S.members.M`) when it is a member's.
    fn shape(&mut self, o: &str, t: &str, via: Option<[String; 2]>) {
        if !self.seen.insert((o.to_owned(), t.to_owned())) {
            return;
        }
        let off_root = self.official;
        let Some(theirs) = tree::get(off_root, &["shapes", t]) else { return };
        let Some(ours) = self.ours.get(&["shapes", o]).cloned() else { return };
        let base = ["shapes", o];
        let via_path: Vec<String> =
            via.map(|[s, m]| vec!["shapes".to_owned(), s, "members".to_owned(), m]).unwrap_or_default();
        let via_ref: Vec<&str> = via_path.iter().map(String::as_str).collect();
        let holders = |block: Option<&'static str>| -> Vec<Vec<&str>> {
            let mut h = Vec::new();
            if let Some(b) = block {
                h.push(vec!["shapes", o, b]);
            }
            h.push(base.to_vec());
            if !via_ref.is_empty() {
                h.push(via_ref.clone());
            }
            h
        };
        // Type (and values with it).
        let ours_type = ours.get("type").and_then(Value::as_str).unwrap_or("").to_owned();
        let their_type = theirs.get("type").and_then(Value::as_str).unwrap_or("").to_owned();
        let same_type = ours_type == their_type
            || (their_type == "int" && INTEGERS.contains(&ours_type.as_str()))
            || (their_type == "str" && matches!(ours_type.as_str(), "string" | "enum"));
        let values = |v: &Value| -> Option<Vec<String>> {
            v.get("values")?.as_array().map(|a| {
                a.iter()
                    .filter_map(|x| x.get("value"))
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                    .collect()
            })
        };
        if !same_type {
            let with_values = |ty: &str, v: Option<Vec<String>>| match v {
                Some(v) => format!("{ty} {v:?}"),
                None => ty.to_owned(),
            };
            self.differ(
                &["shapes", o, "type"],
                format!("shapes.{o}.type"),
                with_values(&ours_type, values(&ours)),
                with_values(&their_type, values(theirs)),
                &holders(None),
            );
        } else if let (Some(a), Some(b)) = (values(&ours), values(theirs)) {
            let (mut sa, mut sb) = (a.clone(), b.clone());
            sa.sort();
            sb.sort();
            if sa != sb {
                let only_ours: Vec<&String> = a.iter().filter(|v| !b.contains(v)).collect();
                let only_theirs: Vec<&String> = b.iter().filter(|v| !a.contains(v)).collect();
                self.differ(
                    &["shapes", o, "values"],
                    format!("shapes.{o}.values"),
                    format!("{a:?} (not official: {only_ours:?})"),
                    format!("{b:?} (not ours: {only_theirs:?})"),
                    &holders(None),
                );
            }
        }
        // Constraints.
        for (block, keys) in
            [("length", &["min", "max"][..]), ("range", &["min", "max"][..]), ("pattern", &["regex"][..])]
        {
            if theirs.get(block).is_some_and(Value::is_null) {
                continue;
            }
            for key in keys {
                let path = ["shapes", o, block, key];
                let (a, b) = (ours.get(block).and_then(|x| x.get(*key)), theirs.get(block).and_then(|x| x.get(*key)));
                if !same(a, b) {
                    self.differ(&path, path.join("."), show(a), show(b), &holders(Some(block)));
                }
            }
        }
        // Error trait.
        if ours.get("error").is_some() || theirs.get("error").is_some() {
            let defaults = [
                ("code", None),
                ("http_status", None),
                ("fault", None),
                ("retryable", Some(Value::Bool(false))),
                ("throttling", Some(Value::Bool(false))),
            ];
            for (key, default) in defaults {
                let their = theirs.get("error").and_then(|e| e.get(key));
                if their.is_some_and(Value::is_null) {
                    continue;
                }
                let a = ours.get("error").and_then(|e| e.get(key)).cloned().or_else(|| default.clone());
                let b = their.cloned().or(default);
                if !same(a.as_ref(), b.as_ref()) {
                    let path = ["shapes", o, "error", key];
                    self.differ(&path, path.join("."), show(a.as_ref()), show(b.as_ref()), &holders(Some("error")));
                }
            }
        }
        // Lists and maps: their members.
        for key in ["member", "key", "value"] {
            if let (Some(a), Some(b)) = (ours.get(key).and_then(Value::as_str), theirs.get(key).and_then(Value::as_str))
            {
                self.shape(a, b, None);
            }
        }
        self.scalar(&["shapes", o, "flattened"], (theirs, &["flattened"]), Some(Value::Bool(false)), &holders(None));
        // Structures: member by member.
        let members = |v: &Value| v.get("members").and_then(Value::as_object).cloned().unwrap_or_default();
        let (om, tm) = (members(&ours), members(theirs));
        for (name, m) in &om {
            let mpath = ["shapes", o, "members", name.as_str()];
            let mholders = [mpath.to_vec(), base.to_vec()];
            let Some(tmem) = tm.get(name) else {
                self.differ(&mpath, mpath.join("."), "a member".into(), "none".into(), &mholders);
                continue;
            };
            for (key, default) in [
                ("required", Value::Bool(false)),
                ("location", Value::from("body")),
                ("wire_name", Value::from(name.as_str())),
                ("flattened", Value::Bool(false)),
                ("idempotency_token", Value::Bool(false)),
                ("timestamp_format", Value::Null),
            ] {
                let path = ["shapes", o, "members", name.as_str(), key];
                let a = m.get(key).cloned().unwrap_or_else(|| default.clone());
                let b = tmem.get(key).cloned().unwrap_or(default);
                if !same(Some(&a), Some(&b)) {
                    self.differ(&path, path.join("."), show(Some(&a)), show(Some(&b)), &mholders);
                }
            }
            if let Some(allowed) = m.get("allowed_values").and_then(|a| a.get("values")) {
                let path = ["shapes", o, "members", name.as_str(), "allowed_values"];
                self.differ(&path, path.join("."), allowed.to_string(), show(tmem.get("allowed_values")), &mholders);
            }
            if let (Some(a), Some(b)) =
                (m.get("shape").and_then(Value::as_str), tmem.get("shape").and_then(Value::as_str))
            {
                self.shape(a, b, Some([o.to_owned(), name.clone()]));
            }
        }
        for name in tm.keys().filter(|n| !om.contains_key(*n)) {
            let at = ["shapes", o, "members"];
            self.differ(&at, format!("shapes.{o}.members.{name}"), "none".into(), "a member".into(), &[base.to_vec()]);
        }
    }
}

/// Two facts are the same: equal values, whole numbers compared as numbers.
fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (None | Some(Value::Null), None | Some(Value::Null)) => true,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64() == y.as_f64(),
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

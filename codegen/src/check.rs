//! Checking a raw model and resolving it into the intermediate form.
//!
//! Every problem is reported (with its line and model path) rather than the
//! first; the IR is only returned when there were none.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use indexmap::IndexMap;
use serde_saphyr::Spanned;

use crate::diagnostics::Sink;
use crate::ir::{self, Location, PathPart, ShapeId, ShapeKind};
use crate::model as raw;
use crate::naming;
use crate::{automaton, pattern};

const SHAPE_TYPES: &[&str] = &["string", "integer", "long", "boolean", "timestamp", "enum", "list", "map", "structure"];
const PROTOCOLS: &[&str] = &["aws-json-1.1", "aws-query", "huawei-rest"];
const HTTP_METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];
/// Methods generated input types have besides their setters.
/// Names generated types use themselves: input methods, and the field outputs keep the request id in.
const INPUT_METHODS: &[&str] = &["new", "validate", "validate_at", "meta_request_id"];

fn line<T>(s: &Spanned<T>) -> Option<usize> {
    let l = s.referenced.line() as usize;
    (l > 0).then_some(l)
}

/// Paragraphs of documentation: the text, then notes and disagreements.
fn docs(text: Option<&str>, note: Option<&str>, disagreement: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) {
        out.extend(t.split("\n\n").map(|p| p.trim().to_owned()));
    }
    if let Some(n) = note {
        out.push(format!("Note: {}", n.trim()));
    }
    if let Some(d) = disagreement {
        out.push(format!("Disagreement with the official model: {}", d.trim()));
    }
    out
}

struct Checker<'m> {
    model: &'m raw::Model,
    sink: &'m mut Sink,
    shape_ids: HashMap<&'m str, ShapeId>,
}

/// Checks `model` (read from `model_path`) and builds the IR, or reports into `sink`.
pub fn check(model: &raw::Model, model_path: &str, sink: &mut Sink) -> Option<ir::Service> {
    let shape_ids = model.shapes.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let mut c = Checker { model, sink, shape_ids };
    let service = c.service(model_path);
    if c.sink.found.is_empty() { service } else { None }
}

impl<'m> Checker<'m> {
    fn err(&mut self, line: Option<usize>, path: impl Into<String>, message: impl Into<String>) {
        self.sink.error(line, path, message);
    }

    fn source(&mut self, source: &Option<Spanned<String>>, path: &str) {
        if let Some(s) = source
            && !self.model.sources.contains_key(&s.value) {
                let known: Vec<_> = self.model.sources.keys().map(String::as_str).collect();
                self.err(
                    line(s),
                    format!("{path}.source"),
                    format!("unknown source `{}`; expected a key of `sources` ({})", s.value, known.join(", ")),
                );
            }
    }

    fn shape_ref(&mut self, r: &Spanned<String>, path: &str) -> Option<ShapeId> {
        let id = self.shape_ids.get(r.value.as_str()).copied();
        if id.is_none() {
            self.err(line(r), path, format!("shape `{}` is not defined in `shapes`", r.value));
        }
        id
    }

    fn service(&mut self, model_path: &str) -> Option<ir::Service> {
        let m = self.model;
        let s = &m.service.value;
        let module = s.name.value.clone();
        if naming::snake(&module) != module || naming::field_ident(&module) != module {
            self.err(
                line(&s.name),
                "service.name",
                format!("`{module}` cannot be a module and feature name; expected snake_case such as `{}`", naming::snake(&module)),
            );
        }
        self.source(&Some(Spanned { value: s.source.value.clone(), referenced: s.source.referenced, defined: s.source.defined }), "service");
        self.source(&s.protocol.value.source, "service.protocol");
        self.source(&s.signing.value.source, "service.signing");
        self.source(&s.endpoint.value.source, "service.endpoint");
        let protocol = self.protocol(&s.protocol);
        let signing = self.signing(&s.signing);
        let endpoint = &s.endpoint.value;
        for (i, t) in std::iter::once(&endpoint.template).chain(endpoint.partitions.iter().map(|p| &p.template)).enumerate() {
            let path = if i == 0 { "service.endpoint.template".to_owned() } else { format!("service.endpoint.partitions[{}].template", i - 1) };
            if !t.contains("{region}") || !t.starts_with("https://") {
                self.err(line(&s.endpoint), path, format!("`{t}` must be an https:// URL containing `{{region}}`"));
            }
        }
        for (name, p) in &s.client_parameters {
            self.source(&p.source, &format!("service.client_parameters.{name}"));
        }
        if m.operations.is_empty() {
            self.err(None, "operations", "the model defines no operations; expected at least one");
        }

        let mut shapes = self.shapes();
        let operations = self.operations(&protocol, &mut shapes);
        self.rust_name_collisions(&shapes, &operations);
        let protocol = protocol?;
        let signing = signing?;
        mark_reachable(&mut shapes, &operations);
        Some(ir::Service {
            module,
            model_path: model_path.to_owned(),
            title: s.title.clone(),
            docs: docs(s.documentation.as_deref(), s.note.as_deref(), s.disagreement.as_deref()),
            api_version: s.api_version.clone(),
            protocol,
            signing,
            endpoint_template: endpoint.template.clone(),
            endpoint_partitions: endpoint.partitions.iter().map(|p| (p.region_prefix.clone(), p.template.clone())).collect(),
            client_parameters: s
                .client_parameters
                .iter()
                .map(|(n, p)| ir::ClientParameter { name: n.clone(), docs: p.documentation.clone(), header: p.header.clone() })
                .collect(),
            operations,
            shapes,
            sources: m.sources.iter().map(|(k, v)| (k.clone(), v.path.clone(), v.title.clone())).collect(),
        })
    }

    fn protocol(&mut self, p: &Spanned<raw::Protocol>) -> Option<ir::Protocol> {
        let v = &p.value;
        let kind = v.kind.value.as_str();
        let need = |this: &mut Self, key: &str, value: &Option<String>| -> Option<String> {
            if value.is_none() {
                this.err(line(p), format!("service.protocol.{key}"), format!("protocol `{kind}` needs `{key}`"));
            }
            value.clone()
        };
        let forbid = |this: &mut Self, key: &str, value: &Option<String>| {
            if value.is_some() {
                this.err(line(p), format!("service.protocol.{key}"), format!("`{key}` does not apply to protocol `{kind}`"));
            }
        };
        match kind {
            "aws-json-1.1" => {
                forbid(self, "xml_namespace", &v.xml_namespace);
                let target_prefix = need(self, "target_prefix", &v.target_prefix);
                if let Some(j) = &v.json_version
                    && j != "1.1" {
                        self.err(line(p), "service.protocol.json_version", format!("`{j}` does not match aws-json-1.1; expected \"1.1\""));
                    }
                Some(ir::Protocol::AwsJson11 { target_prefix: target_prefix? })
            }
            "aws-query" => {
                forbid(self, "target_prefix", &v.target_prefix);
                forbid(self, "json_version", &v.json_version);
                Some(ir::Protocol::AwsQuery { xml_namespace: need(self, "xml_namespace", &v.xml_namespace)? })
            }
            "huawei-rest" => {
                forbid(self, "target_prefix", &v.target_prefix);
                forbid(self, "xml_namespace", &v.xml_namespace);
                Some(ir::Protocol::RestJson)
            }
            other => {
                self.err(line(&v.kind), "service.protocol.type", format!("unknown protocol `{other}`; expected one of {}", PROTOCOLS.join(", ")));
                None
            }
        }
    }

    fn signing(&mut self, s: &Spanned<raw::Signing>) -> Option<ir::Signing> {
        match s.value.scheme.value.as_str() {
            "sigv4" => match &s.value.name {
                Some(name) => Some(ir::Signing::SigV4 { name: name.clone() }),
                None => {
                    self.err(line(s), "service.signing.name", "sigv4 needs the signing `name` (the service in the credential scope)");
                    None
                }
            },
            "huawei-sdk-hmac-sha256" => Some(ir::Signing::HuaweiSdkHmacSha256),
            other => {
                self.err(line(&s.value.scheme), "service.signing.scheme", format!("unknown signing scheme `{other}`; expected sigv4 or huawei-sdk-hmac-sha256"));
                None
            }
        }
    }

    /// Keys a shape of each type may use.
    fn allowed_keys(kind: &str) -> &'static [&'static str] {
        match kind {
            "string" => &["length", "pattern"],
            "integer" | "long" => &["range"],
            "enum" => &["values", "value_check"],
            "list" => &["member", "length"],
            "map" => &["key", "value", "length"],
            "structure" => &["members", "one_of", "error"],
            _ => &[],
        }
    }

    fn shapes(&mut self) -> Vec<ir::Shape> {
        let m = self.model;
        let mut out = Vec::with_capacity(m.shapes.len());
        for (name, shape) in &m.shapes {
            let path = format!("shapes.{name}");
            let s = &shape.value;
            self.source(&s.source, &path);
            let kind = s.kind.value.as_str();
            if !SHAPE_TYPES.contains(&kind) {
                self.err(line(&s.kind), format!("{path}.type"), format!("unknown shape type `{kind}`; expected one of {}", SHAPE_TYPES.join(", ")));
            } else {
                let present: [(&str, bool); 10] = [
                    ("length", s.length.is_some()),
                    ("pattern", s.pattern.is_some()),
                    ("range", s.range.is_some()),
                    ("values", s.values.is_some()),
                    ("value_check", s.value_check.is_some()),
                    ("members", s.members.is_some()),
                    ("one_of", s.one_of.is_some()),
                    ("error", s.error.is_some()),
                    ("member", s.member.is_some()),
                    ("key", s.key.is_some() || s.value.is_some()),
                ];
                let allowed = Self::allowed_keys(kind);
                for (key, is_present) in present {
                    let key_allowed = allowed.contains(&key) || (key == "key" && allowed.contains(&"value"));
                    if is_present && !key_allowed {
                        let what = if allowed.is_empty() { "none".to_owned() } else { allowed.join(", ") };
                        self.err(line(shape), format!("{path}.{key}"), format!("`{key}` does not apply to a shape of type {kind} (it may use: {what})"));
                    }
                }
            }
            let kind = self.shape_kind(name, s, &path).unwrap_or(ShapeKind::Boolean);
            out.push(ir::Shape {
                name: name.clone(),
                rust_name: naming::type_ident(name),
                snake_name: naming::snake(name),
                docs: docs(s.documentation.as_deref(), s.note.as_deref(), s.disagreement.as_deref()),
                kind,
                in_input: false,
                in_output: false,
            });
        }
        out
    }

    fn length(&mut self, l: &Option<Spanned<raw::Length>>, path: &str) -> Option<ir::Length> {
        let l = l.as_ref()?;
        self.source(&l.value.source, &format!("{path}.length"));
        let (min, max) = (l.value.min, l.value.max);
        if let (Some(a), Some(b)) = (min, max)
            && a > b {
                self.err(line(l), format!("{path}.length"), format!("min {a} is greater than max {b}; expected min <= max"));
            }
        if min.is_none() && max.is_none() {
            self.err(line(l), format!("{path}.length"), "a length constraint needs `min`, `max` or both");
        }
        Some(ir::Length { min, max, enforce: l.value.enforce })
    }

    fn range(&mut self, r: &Option<Spanned<raw::Range>>, path: &str) -> Option<ir::Range> {
        let r = r.as_ref()?;
        self.source(&r.value.source, &format!("{path}.range"));
        let whole = |this: &mut Self, n: Option<raw::Number>| match n {
            None => None,
            Some(raw::Number::Int(i)) => Some(i),
            Some(raw::Number::Float(_)) => {
                this.err(line(r), format!("{path}.range"), "this range needs whole numbers");
                None
            }
        };
        let (min, max) = (whole(self, r.value.min), whole(self, r.value.max));
        if let (Some(a), Some(b)) = (min, max)
            && a > b {
                self.err(line(r), format!("{path}.range"), format!("min {a} is greater than max {b}; expected min <= max"));
            }
        if min.is_none() && max.is_none() {
            self.err(line(r), format!("{path}.range"), "a range constraint needs `min`, `max` or both");
        }
        Some(ir::Range { min, max, enforce: r.value.enforce })
    }

    fn shape_kind(&mut self, name: &str, s: &raw::Shape, path: &str) -> Option<ShapeKind> {
        Some(match s.kind.value.as_str() {
            "string" => {
                let length = self.length(&s.length, path);
                let pattern = s.pattern.as_ref().and_then(|p| {
                    self.source(&p.value.source, &format!("{path}.pattern"));
                    // An enforced pattern is matched by its automaton; one that is not is only documented.
                    let regex = &p.value.regex;
                    let compiled = pattern::translate(regex)
                        .map_err(|why| format!("regex `{regex}` is outside the supported ECMA-262 dialect: {why}"))
                        .and_then(|rust| {
                            let automaton = match p.value.enforce {
                                true => Some(automaton::compile(&rust).map_err(|why| format!("regex `{regex}` {why}"))?),
                                false => None,
                            };
                            Ok(ir::Pattern { ecma: regex.clone(), rust, automaton })
                        });
                    match compiled {
                        Ok(pattern) => Some(pattern),
                        Err(message) => {
                            self.err(line(p), format!("{path}.pattern"), message);
                            None
                        }
                    }
                });
                ShapeKind::String { length, pattern }
            }
            "integer" => ShapeKind::Integer { range: self.range(&s.range, path) },
            "long" => ShapeKind::Long { range: self.range(&s.range, path) },
            "boolean" => ShapeKind::Boolean,
            "timestamp" => ShapeKind::Timestamp,
            "enum" => self.enum_kind(s, path),
            "list" => {
                let length = self.length(&s.length, path);
                let member = match &s.member {
                    Some(m) => self.shape_ref(m, &format!("{path}.member"))?,
                    None => {
                        self.err(line(&s.kind), format!("{path}.member"), "a list needs `member` (the element shape)");
                        return None;
                    }
                };
                ShapeKind::List { member, length }
            }
            "map" => {
                let length = self.length(&s.length, path);
                let (Some(k), Some(v)) = (&s.key, &s.value) else {
                    self.err(line(&s.kind), path, "a map needs both `key` and `value` shapes");
                    return None;
                };
                let key = self.shape_ref(k, &format!("{path}.key"));
                let value = self.shape_ref(v, &format!("{path}.value"));
                if let Some(kid) = key {
                    let kind = self.model.shapes[kid].value.kind.value.as_str();
                    if kind != "string" && kind != "enum" {
                        self.err(line(k), format!("{path}.key"), format!("map keys must be string or enum shapes, not {kind}"));
                    }
                }
                ShapeKind::Map { key: key?, value: value?, length }
            }
            "structure" => ShapeKind::Structure(self.structure(name, s, path)),
            _ => return None,
        })
    }

    fn enum_kind(&mut self, s: &raw::Shape, path: &str) -> ShapeKind {
        let values = s.values.as_deref().unwrap_or_default();
        if values.is_empty() {
            self.err(line(&s.kind), format!("{path}.values"), "an enum needs at least one value");
        }
        let mut seen_values = BTreeSet::new();
        let mut variants: BTreeMap<String, String> = BTreeMap::new();
        let mut out = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let vpath = format!("{path}.values[{i}]");
            let raw::Scalar::String(value) = &v.value.value else {
                self.err(line(v), &vpath, "an enum value must be a string");
                continue;
            };
            if !seen_values.insert(value.as_str()) {
                self.err(line(v), &vpath, format!("duplicate enum value `{value}`"));
                continue;
            }
            let mut variant = match &v.value.rust_name {
                Some(n) => naming::type_ident(n),
                None => naming::type_ident(value),
            };
            // `Unknown` is the catch-all for values the model does not list.
            if variant == "Unknown" {
                variant = "UnknownValue".into();
            }
            if let Some(other) = variants.insert(variant.clone(), value.clone()) {
                self.err(
                    line(v),
                    &vpath,
                    format!("enum values `{other}` and `{}` both become the Rust variant `{variant}`; give one a `rust_name`", value),
                );
            }
            out.push(ir::EnumValue { value: value.clone(), variant, docs: docs(v.value.documentation.as_deref(), None, None) });
        }
        let check = match &s.value_check {
            Some(t) => {
                self.source(&t.value.source, &format!("{path}.value_check"));
                t.value.enforce
            }
            None => true,
        };
        ShapeKind::Enum { values: out, check }
    }

    fn structure(&mut self, name: &str, s: &raw::Shape, path: &str) -> ir::Structure {
        let empty = IndexMap::new();
        let members_raw = s.members.as_ref().unwrap_or(&empty);
        let mut members = Vec::new();
        let mut fields: BTreeMap<String, &str> = BTreeMap::new();
        for (mname, m) in members_raw {
            let mpath = format!("{path}.members.{mname}");
            let mv = &m.value;
            self.source(&mv.source, &mpath);
            let target = self.shape_ref(&mv.shape, &format!("{mpath}.shape"));
            let field = naming::field_ident(mname);
            if let Some(other) = fields.insert(field.clone(), mname) {
                self.err(line(m), &mpath, format!("members `{other}` and `{mname}` both become the Rust field `{field}`"));
            }
            if INPUT_METHODS.contains(&field.as_str()) {
                self.err(line(m), &mpath, format!("member `{mname}` would become `{field}`, which clashes with the generated method of that name"));
            }
            let location = match mv.location.as_ref().map(|l| l.value.as_str()) {
                None | Some("body") => Location::Body,
                Some("path") => Location::Path,
                Some("query") => Location::Query,
                Some("header") => Location::Header,
                Some(other) => {
                    let l = mv.location.as_ref().and_then(line);
                    self.err(l, format!("{mpath}.location"), format!("unknown location `{other}`; expected body, path, query or header"));
                    Location::Body
                }
            };
            let allowed_values = mv.allowed_values.as_ref().map(|a| {
                self.source(&a.value.source, &format!("{mpath}.allowed_values"));
                let known: Option<Vec<&str>> = target.and_then(|t| match &self.model.shapes[t].value.values {
                    Some(vs) if self.model.shapes[t].value.kind.value == "enum" => Some(vs.iter().filter_map(|v| match &v.value.value { raw::Scalar::String(s) => Some(s.as_str()), _ => None }).collect()),
                    _ => None,
                });
                match known {
                    None => self.err(line(a), format!("{mpath}.allowed_values"), "`allowed_values` applies only to members whose shape is an enum"),
                    Some(known) => {
                        for v in &a.value.values {
                            if !known.contains(&v.as_str()) {
                                self.err(line(a), format!("{mpath}.allowed_values"), format!("`{v}` is not a value of the enum `{}`", mv.shape.value));
                            }
                        }
                    }
                }
                ir::AllowedValues { values: a.value.values.clone(), enforce: a.value.enforce }
            });
            let mut member_docs = docs(mv.documentation.as_deref(), mv.note.as_deref(), mv.disagreement.as_deref());
            if let Some(d) = &mv.default {
                let d = match &d.value {
                    raw::Scalar::Bool(b) => b.to_string(),
                    raw::Scalar::Int(i) => i.to_string(),
                    raw::Scalar::Float(f) => f.to_string(),
                    raw::Scalar::String(s) => s.clone(),
                };
                member_docs.push(format!("When left out, the service uses `{d}`."));
            }
            members.push(ir::Member {
                name: mname.clone(),
                field,
                target: target.unwrap_or(0),
                required: mv.required,
                location,
                location_name: mv.wire_name.clone().unwrap_or_else(|| mname.clone()),
                docs: member_docs,
                allowed_values,
                one_of_variant: None,
            });
        }
        let one_of = s.one_of.as_ref().map(|o| self.one_of(o, &mut members, &format!("{path}.one_of"), &fields));
        let error = s.error.as_ref().map(|e| {
            let epath = format!("{path}.error");
            self.source(&e.value.source, &epath);
            let fault = match e.value.fault.value.as_str() {
                "client" => ir::Fault::Client,
                "server" => ir::Fault::Server,
                other => {
                    self.err(line(&e.value.fault), format!("{epath}.fault"), format!("unknown fault `{other}`; expected client or server"));
                    ir::Fault::Client
                }
            };
            if !(100..=599).contains(&e.value.http_status) {
                self.err(line(e), format!("{epath}.http_status"), format!("{} is not an HTTP status; expected 100..=599", e.value.http_status));
            }
            let _ = name;
            ir::ErrorInfo {
                code: e.value.code.clone(),
                http_status: e.value.http_status,
                fault,
                retryable: e.value.retryable,
                throttling: e.value.throttling,
            }
        });
        ir::Structure { members, one_of, error }
    }

    fn one_of(&mut self, o: &Spanned<raw::OneOf>, members: &mut [ir::Member], path: &str, fields: &BTreeMap<String, &str>) -> ir::OneOf {
        self.source(&o.value.source, path);
        let field = naming::field_ident(&o.value.field);
        if fields.contains_key(&field) {
            self.err(line(o), format!("{path}.field"), format!("field `{field}` clashes with a member's field"));
        }
        if o.value.variants.len() < 2 {
            self.err(line(o), format!("{path}.variants"), "a one_of needs at least two variants");
        }
        let mut variants = Vec::new();
        let mut names = BTreeSet::new();
        for (vi, v) in o.value.variants.iter().enumerate() {
            let vpath = format!("{path}.variants[{vi}]");
            let vname = naming::type_ident(&v.value.name);
            if !names.insert(vname.clone()) {
                self.err(line(v), &vpath, format!("two variants become `{vname}`"));
            }
            if v.value.members.is_empty() {
                self.err(line(v), format!("{vpath}.members"), "a variant needs at least one member");
            }
            let mut idx = Vec::new();
            for m in &v.value.members {
                match members.iter().position(|x| x.name == m.value) {
                    None => self.err(line(m), format!("{vpath}.members"), format!("`{}` is not a member of this structure", m.value)),
                    Some(i) if members[i].required => {
                        self.err(line(m), format!("{vpath}.members"), format!("`{}` is required, so it cannot be part of a one_of variant", m.value))
                    }
                    Some(i) if members[i].location != Location::Body => {
                        self.err(line(m), format!("{vpath}.members"), format!("`{}` is not a body member; one_of variants hold body members only", m.value))
                    }
                    Some(i) if members[i].one_of_variant.is_some() => {
                        self.err(line(m), format!("{vpath}.members"), format!("`{}` is already in another variant", m.value))
                    }
                    Some(i) => {
                        members[i].one_of_variant = Some(vi);
                        idx.push(i);
                    }
                }
            }
            variants.push(ir::OneOfVariant { name: vname, docs: docs(Some(&v.value.documentation), None, None), members: idx });
        }
        ir::OneOf { name: naming::type_ident(&o.value.name), field, docs: docs(Some(&o.value.documentation), o.value.note.as_deref(), None), variants }
    }

    fn expect_structure(&mut self, r: &Spanned<String>, path: &str, shapes: &[ir::Shape]) -> Option<ShapeId> {
        let id = self.shape_ref(r, path)?;
        if !matches!(shapes[id].kind, ShapeKind::Structure(_)) {
            self.err(line(r), path, format!("shape `{}` must be a structure", r.value));
            return None;
        }
        Some(id)
    }

    fn operations(&mut self, protocol: &Option<ir::Protocol>, shapes: &mut [ir::Shape]) -> Vec<ir::Operation> {
        let m = self.model;
        let mut out = Vec::new();
        let mut methods: BTreeMap<String, &str> = BTreeMap::new();
        let client_params: BTreeSet<&str> = m.service.value.client_parameters.keys().map(String::as_str).collect();
        for (name, op) in &m.operations {
            let path = format!("operations.{name}");
            let o = &op.value;
            self.source(&o.source, &path);
            self.source(&o.http.value.source, &format!("{path}.http"));
            let method_name = naming::field_ident(name);
            if let Some(other) = methods.insert(method_name.clone(), name) {
                self.err(line(op), &path, format!("operations `{other}` and `{name}` both become the method `{method_name}`"));
            }
            let http = &o.http.value;
            if !HTTP_METHODS.contains(&http.method.value.as_str()) {
                self.err(line(&http.method), format!("{path}.http.method"), format!("unknown HTTP method `{}`; expected one of {}", http.method.value, HTTP_METHODS.join(", ")));
            }
            if !(200..=299).contains(&http.success_status) {
                self.err(line(&o.http), format!("{path}.http.success_status"), format!("{} is not a success status; expected 200..=299", http.success_status));
            }
            let (Some(o_input), Some(o_output)) = (&o.input, &o.output) else {
                self.err(line(op), &path, "operations without an input or an output are not supported yet");
                continue;
            };
            let input = self.expect_structure(o_input, &format!("{path}.input"), shapes);
            let output = self.expect_structure(o_output, &format!("{path}.output"), shapes);
            let path_parts = input.map(|i| self.path_template(&http.path, &format!("{path}.http.path"), &shapes[i], &client_params));
            if let (Some(i), Some(p)) = (input, protocol)
                && *p != ir::Protocol::RestJson {
                    for mem in &structure_of(&shapes[i]).members {
                        if mem.location != Location::Body {
                            self.err(line(o_input), format!("shapes.{}.members.{}.location", shapes[i].name, mem.name), "this protocol sends every member in the body; expected no `location`");
                        }
                    }
                }
            let mut errors = Vec::new();
            let mut codes: BTreeMap<String, String> = BTreeMap::new();
            for (ei, e) in o.errors.iter().enumerate() {
                let epath = format!("{path}.errors[{ei}]");
                let Some(id) = self.expect_structure(e, &epath, shapes) else { continue };
                let Some(info) = structure_of(&shapes[id]).error.clone() else {
                    self.err(line(e), &epath, format!("shape `{}` has no `error` block, so it cannot be an error", e.value));
                    continue;
                };
                let key = match &info.code {
                    Some(c) => format!("code `{c}`"),
                    None => format!("HTTP status {} (no code)", info.http_status),
                };
                if let Some(other) = codes.insert(key.clone(), e.value.clone()) {
                    self.err(line(e), &epath, format!("errors `{other}` and `{}` are both recognised by {key}", e.value));
                }
                errors.push(id);
            }
            let result_wrapper = o.result_wrapper.as_ref().map(|w| {
                if !matches!(protocol, Some(ir::Protocol::AwsQuery { .. })) {
                    self.err(line(w), format!("{path}.result_wrapper"), "`result_wrapper` applies only to the aws-query protocol");
                }
                w.value.clone()
            });
            let pagination = match (&o.pagination, input, output) {
                (Some(p), Some(i), Some(out_id)) => self.pagination(p, &format!("{path}.pagination"), &shapes[i], &shapes[out_id]),
                _ => None,
            };
            // Inputs and outputs are named after their operation, unless several operations share them.
            let sole = |r: &Spanned<String>, role: fn(&raw::Operation) -> &Option<Spanned<String>>| {
                m.operations.values().filter(|o| role(&o.value).as_ref().is_some_and(|x| x.value == r.value)).count() == 1
            };
            if let Some(i) = input.filter(|_| sole(o_input, |o| &o.input)) {
                rename_io(shapes, i, &format!("{name}Input"));
            }
            if let Some(out_id) = output.filter(|_| sole(o_output, |o| &o.output)) {
                rename_io(shapes, out_id, &format!("{name}Output"));
            }
            let (Some(input), Some(output), Some(path_parts)) = (input, output, path_parts) else { continue };
            out.push(ir::Operation {
                name: name.clone(),
                method_name,
                error_enum: format!("{}Error", naming::type_ident(name)),
                docs: docs(Some(&o.documentation), o.note.as_deref(), o.disagreement.as_deref()),
                http_method: http.method.value.clone(),
                path: path_parts,
                success_status: http.success_status,
                input,
                output,
                errors,
                result_wrapper,
                pagination,
            });
        }
        out
    }

    fn path_template(&mut self, p: &Spanned<String>, path: &str, input: &ir::Shape, client_params: &BTreeSet<&str>) -> Vec<PathPart> {
        let members = &structure_of(input).members;
        let mut parts = Vec::new();
        let mut used = BTreeSet::new();
        if !p.value.starts_with('/') {
            self.err(line(p), path, format!("`{}` must start with `/`", p.value));
        }
        let mut rest = p.value.as_str();
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.err(line(p), path, format!("unclosed `{{` in `{}`", p.value));
                return parts;
            };
            let name = &rest[open + 1..open + close];
            match members.iter().position(|m| m.name == name) {
                Some(i) => {
                    let m = &members[i];
                    if m.location != Location::Path {
                        self.err(line(p), path, format!("path parameter `{{{name}}}` is bound to member `{name}`, which needs `location: path`"));
                    } else if !m.required {
                        self.err(line(p), path, format!("path parameter `{{{name}}}` must be a required member"));
                    }
                    used.insert(name.to_owned());
                    parts.push(PathPart::Member(i));
                }
                None if client_params.contains(name) => parts.push(PathPart::ClientParameter(name.to_owned())),
                None => self.err(
                    line(p),
                    path,
                    format!("path parameter `{{{name}}}` is neither a member of input `{}` nor a client parameter", input.name),
                ),
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        for m in members {
            if m.location == Location::Path && !used.contains(&m.name) {
                self.err(line(p), path, format!("member `{}` has `location: path` but the path has no `{{{}}}`", m.name, m.name));
            }
        }
        parts
    }

    fn pagination(&mut self, p: &Spanned<raw::Pagination>, path: &str, input: &ir::Shape, output: &ir::Shape) -> Option<ir::Pagination> {
        self.source(&p.value.source, path);
        let find = |this: &mut Self, s: &ir::Shape, r: &Spanned<String>, key: &str| {
            let found = structure_of(s).members.iter().position(|m| m.name == r.value);
            if found.is_none() {
                this.err(line(r), format!("{path}.{key}"), format!("`{}` is not a member of `{}`", r.value, s.name));
            }
            found
        };
        let input_token = find(self, input, &p.value.input_token, "input_token");
        let output_token = find(self, output, &p.value.output_token, "output_token");
        let items = p.value.items.as_ref().map(|r| find(self, output, r, "items"));
        let kind_of = |s: &ir::Shape, i: usize| self.model.shapes.get_index(structure_of(s).members[i].target).map(|(_, v)| v.value.kind.value.clone());
        for (key, shape, idx) in [("input_token", input, input_token), ("output_token", output, output_token)] {
            if let Some(i) = idx
                && kind_of(shape, i).as_deref() != Some("string")
            {
                self.err(line(p), format!("{path}.{key}"), "a pagination token must be a string member");
            }
        }
        if let Some(i) = input_token
            && structure_of(input).members[i].required
        {
            self.err(line(p), format!("{path}.input_token"), "the input token must be optional (the first page has none)");
        }
        if let Some(Some(i)) = items
            && kind_of(output, i).as_deref() != Some("list")
        {
            self.err(line(p), format!("{path}.items"), "`items` must be a list member of the output");
        }
        Some(ir::Pagination { input_token: input_token?, output_token: output_token?, items: items.flatten() })
    }

    fn rust_name_collisions(&mut self, shapes: &[ir::Shape], ops: &[ir::Operation]) {
        let m = self.model;
        let shape_line = |name: &str| m.shapes.get(name).and_then(line);
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        let mut claim = |this: &mut Self, rust: &str, what: String, at: Option<usize>, path: String| {
            if let Some(other) = names.insert(rust.to_owned(), what.clone()) {
                this.err(at, path, format!("{other} and {what} both become the Rust type `{rust}`"));
            }
        };
        for s in shapes {
            let path = format!("shapes.{}", s.name);
            if matches!(s.kind, ShapeKind::Structure(_) | ShapeKind::Enum { .. }) {
                claim(self, &s.rust_name, format!("shape `{}`", s.name), shape_line(&s.name), path.clone());
            }
            if let ShapeKind::Structure(st) = &s.kind
                && let Some(o) = &st.one_of
            {
                claim(self, &o.name, format!("the one_of of `{}`", s.name), shape_line(&s.name), format!("{path}.one_of"));
            }
        }
        for o in ops {
            let at = m.operations.get(&o.name).and_then(line);
            claim(self, &o.error_enum, format!("the error enum of operation `{}`", o.name), at, format!("operations.{}", o.name));
        }
        let mut fns: BTreeMap<String, &str> = BTreeMap::new();
        for s in shapes {
            if matches!(s.kind, ShapeKind::String { .. } | ShapeKind::Integer { .. } | ShapeKind::Long { .. } | ShapeKind::List { .. } | ShapeKind::Map { .. } | ShapeKind::Enum { .. }) {
                let f = naming::snake(&s.name);
                if let Some(other) = fns.insert(f.clone(), &s.name) {
                    self.err(shape_line(&s.name), format!("shapes.{}", s.name), format!("shapes `{other}` and `{}` both become the validator `validate_{f}`", s.name));
                }
            }
        }
    }
}

fn structure_of(s: &ir::Shape) -> &ir::Structure {
    static EMPTY: std::sync::OnceLock<ir::Structure> = std::sync::OnceLock::new();
    match &s.kind {
        ShapeKind::Structure(st) => st,
        _ => EMPTY.get_or_init(ir::Structure::default),
    }
}

/// Operation inputs and outputs are named after the operation (`PutLifecycleHookType` reads badly).
fn rename_io(shapes: &mut [ir::Shape], id: ShapeId, name: &str) {
    shapes[id].rust_name = naming::type_ident(name);
}

fn mark_reachable(shapes: &mut [ir::Shape], ops: &[ir::Operation]) {
    fn walk(shapes: &mut [ir::Shape], id: ShapeId, input: bool) {
        let seen = if input { shapes[id].in_input } else { shapes[id].in_output };
        if seen {
            return;
        }
        if input {
            shapes[id].in_input = true;
        } else {
            shapes[id].in_output = true;
        }
        let next: Vec<ShapeId> = match &shapes[id].kind {
            ShapeKind::Structure(s) => s.members.iter().map(|m| m.target).collect(),
            ShapeKind::List { member, .. } => vec![*member],
            ShapeKind::Map { key, value, .. } => vec![*key, *value],
            _ => vec![],
        };
        for n in next {
            walk(shapes, n, input);
        }
    }
    for op in ops {
        walk(shapes, op.input, true);
        walk(shapes, op.output, false);
        for &e in &op.errors {
            walk(shapes, e, false);
        }
    }
}

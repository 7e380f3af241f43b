//! Checking a raw model and resolving it into the intermediate form.
//!
//! Every problem is reported (with its line and model path) rather than the
//! first; the IR is only returned when there were none. The work is split by
//! concern, in the order it runs:
//! - this module: the service block (protocol, signing, endpoint);
//! - [`shapes`]: each shape's kind, constraints, enum values and members;
//! - [`operations`]: HTTP facts, path and host templates, errors, pagination,
//!   and the empty structures of operations without input or output;
//! - [`resolve`]: what follows from where shapes are used: reachability, the
//!   HTTP bindings each protocol allows, which members are `Option`, the
//!   timestamp format of each member, `Eq`, boxes for recursion;
//! - [`names`]: every name the generated code adds, and their collisions.

mod names;
mod operations;
mod resolve;
mod shapes;

use std::collections::HashMap;

use serde_saphyr::Spanned;

use crate::diagnostics::Sink;
use crate::ir::{self, ShapeId};
use crate::model as raw;
use crate::naming;

const PROTOCOLS: &[&str] = &["aws-json-1.0", "aws-json-1.1", "aws-query", "rest-json-1", "huawei-rest"];

fn line<T>(s: &Spanned<T>) -> Option<usize> {
    let l = s.referenced.line() as usize;
    (l > 0).then_some(l)
}

/// The paragraphs of a documentation text.
fn docs(text: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    // Paragraphs keep their indentation: one inside a list item is indented under it.
    if let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) {
        out.extend(t.split("\n\n").map(|p| p.trim_end().trim_start_matches('\n').to_owned()).filter(|p| !p.trim().is_empty()));
    }
    out
}

/// A note or disagreement as written, trimmed; an empty one is none.
fn text(t: Option<&str>) -> Option<String> {
    t.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

fn deprecation(d: &Option<Spanned<raw::Deprecated>>) -> Option<ir::Deprecation> {
    d.as_ref().map(|d| ir::Deprecation { message: d.value.message.clone(), since: d.value.since.clone() })
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

    /// A block's provenance, its `source` checked against the model's `sources`.
    fn provenance(&mut self, p: raw::Provenance<'_>, path: &str) -> ir::Provenance {
        if let Some(s) = p.source
            && !self.model.sources.contains_key(&s.value)
        {
            let known: Vec<_> = self.model.sources.keys().map(String::as_str).collect();
            self.err(
                line(s),
                format!("{path}.source"),
                format!("unknown source `{}`; expected a key of `sources` ({})", s.value, known.join(", ")),
            );
        }
        ir::Provenance { source: p.source.map(|s| s.value.clone()), note: text(p.note), disagreement: text(p.disagreement) }
    }

    fn shape_ref(&mut self, r: &Spanned<String>, path: &str) -> Option<ShapeId> {
        let id = self.shape_ids.get(r.value.as_str()).copied();
        if id.is_none() {
            self.err(line(r), path, format!("shape `{}` is not defined in `shapes`", r.value));
        }
        id
    }

    /// The line of a shape's definition.
    fn shape_line(&self, name: &str) -> Option<usize> {
        self.model.shapes.get(name).and_then(line)
    }

    fn service(&mut self, model_path: &str) -> Option<ir::Service> {
        let m = self.model;
        let s = &m.service.value;
        let module = s.name.value.clone();
        if naming::snake(&module) != module || naming::field_ident(&module) != module {
            self.err(
                line(&s.name),
                "service.name",
                format!(
                    "`{module}` cannot be a module and feature name; expected snake_case such as `{}`",
                    naming::snake(&module)
                ),
            );
        }
        if naming::RESERVED_MODULES.contains(&module.as_str()) {
            self.err(
                line(&s.name),
                "service.name",
                format!("`{module}` is taken by the generated crate itself (`lifecycle_hooks::{module}`); name the service otherwise"),
            );
        }
        if !m.sources.contains_key(&s.source.value) {
            let known: Vec<_> = m.sources.keys().map(String::as_str).collect();
            self.err(
                line(&s.source),
                "service.source",
                format!("unknown source `{}`; expected a key of `sources` ({})", s.source.value, known.join(", ")),
            );
        }
        let protocol_provenance = self.provenance(s.protocol.value.provenance(), "service.protocol");
        let signing_provenance = self.provenance(s.signing.value.provenance(), "service.signing");
        let endpoint_provenance = self.provenance(s.endpoint.value.provenance(), "service.endpoint");
        let protocol = self.protocol(&s.protocol);
        let signing = self.signing(&s.signing);
        let endpoint = &s.endpoint.value;
        for (i, t) in std::iter::once(&endpoint.template).chain(endpoint.partitions.iter().map(|p| &p.template)).enumerate()
        {
            let path = if i == 0 {
                "service.endpoint.template".to_owned()
            } else {
                format!("service.endpoint.partitions[{}].template", i - 1)
            };
            if !t.contains("{region}") || !t.starts_with("https://") {
                self.err(line(&s.endpoint), path, format!("`{t}` must be an https:// URL containing `{{region}}`"));
            }
        }
        if let Some(id) = &endpoint.service_id {
            let aws = !matches!(s.protocol.value.kind.value.as_str(), "huawei-rest");
            if !aws {
                self.err(line(&s.endpoint), "service.endpoint.service_id", "`service_id` is an AWS SDK setting; huawei-rest services have none");
            } else if id.trim().is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-') {
                self.err(
                    line(&s.endpoint),
                    "service.endpoint.service_id",
                    format!("`{id}` is not an SDK service id; expected letters, digits, spaces and `-` (`Auto Scaling`)"),
                );
            }
        }
        let client_parameters: Vec<ir::ClientParameter> = s
            .client_parameters
            .iter()
            .map(|(n, p)| ir::ClientParameter {
                name: n.clone(),
                docs: p.documentation.clone(),
                header: p.header.clone(),
                provenance: self.provenance(p.provenance(), &format!("service.client_parameters.{n}")),
            })
            .collect();
        if m.operations.is_empty() {
            self.err(None, "operations", "the model defines no operations; expected at least one");
        }

        let mut shapes = self.shapes();
        let protocol = protocol?;
        let mut operations = self.operations(&protocol, &mut shapes);
        resolve::reachability(&mut shapes, &operations);
        self.bindings(&protocol, &mut shapes, &operations);
        resolve::presence(&mut shapes);
        self.required_cycles(&shapes);
        self.timestamp_formats(&protocol, &mut shapes);
        resolve::eq(&mut shapes);
        resolve::boxes(&mut shapes);
        resolve::error_messages(&mut shapes);
        self.names(&module, &mut shapes, &mut operations);
        let signing = signing?;
        Some(ir::Service {
            module,
            model_path: model_path.to_owned(),
            title: s.title.clone(),
            docs: docs(s.documentation.as_deref()),
            provenance: ir::Provenance {
                source: Some(s.source.value.clone()),
                note: text(s.note.as_deref()),
                disagreement: text(s.disagreement.as_deref()),
            },
            protocol_provenance,
            signing_provenance,
            endpoint_provenance,
            main_source: s.source.value.clone(),
            api_version: s.api_version.clone(),
            protocol,
            signing,
            endpoint_template: endpoint.template.clone(),
            endpoint_partitions: endpoint
                .partitions
                .iter()
                .map(|p| (p.region_prefix.clone(), p.template.clone()))
                .collect(),
            service_id: endpoint.service_id.clone(),
            client_parameters,
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
            "aws-json-1.0" | "aws-json-1.1" => {
                forbid(self, "xml_namespace", &v.xml_namespace);
                let version = if kind == "aws-json-1.0" { ir::JsonVersion::V1_0 } else { ir::JsonVersion::V1_1 };
                let target_prefix = need(self, "target_prefix", &v.target_prefix);
                if let Some(j) = &v.json_version
                    && j != version.as_str()
                {
                    self.err(
                        line(p),
                        "service.protocol.json_version",
                        format!("`{j}` does not match {kind}; expected \"{}\"", version.as_str()),
                    );
                }
                Some(ir::Protocol::AwsJson { version, target_prefix: target_prefix? })
            }
            // The namespace is documentation: answers are read by local names (as botocore reads them).
            "aws-query" => {
                forbid(self, "target_prefix", &v.target_prefix);
                forbid(self, "json_version", &v.json_version);
                Some(ir::Protocol::AwsQuery { xml_namespace: v.xml_namespace.clone() })
            }
            "rest-json-1" | "huawei-rest" => {
                forbid(self, "target_prefix", &v.target_prefix);
                forbid(self, "xml_namespace", &v.xml_namespace);
                forbid(self, "json_version", &v.json_version);
                Some(if kind == "rest-json-1" { ir::Protocol::RestJson1 } else { ir::Protocol::HuaweiRest })
            }
            "rest-json" => {
                self.err(
                    line(&v.kind),
                    "service.protocol.type",
                    "`rest-json` is ambiguous: write `rest-json-1` for AWS restJson1 or `huawei-rest` for Huawei Cloud's REST",
                );
                None
            }
            other => {
                self.err(
                    line(&v.kind),
                    "service.protocol.type",
                    format!("unknown protocol `{other}`; expected one of {}", PROTOCOLS.join(", ")),
                );
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
                self.err(
                    line(&s.value.scheme),
                    "service.signing.scheme",
                    format!("unknown signing scheme `{other}`; expected sigv4 or huawei-sdk-hmac-sha256"),
                );
                None
            }
        }
    }
}

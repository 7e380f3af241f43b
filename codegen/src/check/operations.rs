//! Operations: HTTP facts, path and host templates, errors and pagination.

use std::collections::{BTreeMap, BTreeSet};

use serde_saphyr::Spanned;

use super::{Checker, deprecation, docs, line};
use crate::ir::{self, HostPart, Location, PathPart, ShapeId, ShapeKind};
use crate::model as raw;
use crate::naming;

const HTTP_METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];

/// The members of a structure shape (empty for any other kind).
pub(super) fn members_of(s: &ir::Shape) -> &[ir::Member] {
    match &s.kind {
        ShapeKind::Structure(st) | ShapeKind::Union(st) => &st.members,
        _ => &[],
    }
}

impl Checker<'_> {
    fn expect_structure(&mut self, r: &Spanned<String>, path: &str, shapes: &[ir::Shape]) -> Option<ShapeId> {
        let id = self.shape_ref(r, path)?;
        if !matches!(shapes[id].kind, ShapeKind::Structure(_)) {
            self.err(line(r), path, format!("shape `{}` must be a structure", r.value));
            return None;
        }
        Some(id)
    }

    /// The operation's input or output: the model's structure, renamed after the
    /// operation when no other operation shares it, or an empty one made here.
    fn io_shape(
        &mut self,
        op: &str,
        role: &str,
        given: &Option<Spanned<String>>,
        path: &str,
        shapes: &mut Vec<ir::Shape>,
        sole: bool,
    ) -> Option<ShapeId> {
        let rust_name = naming::type_ident(&format!("{op}{role}"));
        match given {
            Some(r) => {
                let id = self.expect_structure(r, path, shapes)?;
                // `PutLifecycleHookType` reads badly; shared structures keep their own name.
                if sole {
                    shapes[id].rust_name = rust_name;
                }
                Some(id)
            }
            None => {
                let name = format!("{op}{role}");
                let synthesized = match role {
                    "Input" => ir::Synthesized::Input(op.to_owned()),
                    _ => ir::Synthesized::Output(op.to_owned()),
                };
                shapes.push(ir::Shape {
                    names: Default::default(),
                    name,
                    rust_name,
                    docs: Vec::new(),
                    provenance: ir::Provenance::default(),
                    synthesized: Some(synthesized),
                    kind: ShapeKind::Structure(ir::Structure::default()),
                    constraints: Vec::new(),
                    input_ops: Vec::new(),
                    output_ops: Vec::new(),
                    sensitive: false,
                    deprecated: None,
                    eq: true,
                });
                Some(shapes.len() - 1)
            }
        }
    }

    pub(super) fn operations(&mut self, protocol: &ir::Protocol, shapes: &mut Vec<ir::Shape>) -> Vec<ir::Operation> {
        let m = self.model;
        let mut out = Vec::new();
        let client_params: BTreeSet<&str> = m.service.value.client_parameters.keys().map(String::as_str).collect();
        let uses = |r: &Spanned<String>, role: fn(&raw::Operation) -> &Option<Spanned<String>>| {
            m.operations.values().filter(|o| role(&o.value).as_ref().is_some_and(|x| x.value == r.value)).count()
        };
        for (name, op) in &m.operations {
            let path = format!("operations.{name}");
            let o = &op.value;
            let provenance = self.provenance(o.provenance(), &path);
            let http_provenance = self.provenance(o.http.value.provenance(), &format!("{path}.http"));
            let http = &o.http.value;
            if !HTTP_METHODS.contains(&http.method.value.as_str()) {
                self.err(
                    line(&http.method),
                    format!("{path}.http.method"),
                    format!("unknown HTTP method `{}`; expected one of {}", http.method.value, HTTP_METHODS.join(", ")),
                );
            }
            if !(200..=299).contains(&http.success_status) {
                self.err(
                    line(&o.http),
                    format!("{path}.http.success_status"),
                    format!("{} is not a success status; expected 200..=299", http.success_status),
                );
            }
            let input_sole = o.input.as_ref().is_some_and(|r| uses(r, |o| &o.input) == 1);
            let output_sole = o.output.as_ref().is_some_and(|r| uses(r, |o| &o.output) == 1);
            let input = self.io_shape(name, "Input", &o.input, &format!("{path}.input"), shapes, input_sole);
            let output = self.io_shape(name, "Output", &o.output, &format!("{path}.output"), shapes, output_sole);
            let (path_parts, literal_query) = match input {
                Some(i) => self.path_template(&http.path, &format!("{path}.http.path"), &shapes[i], &client_params),
                None => (Vec::new(), Vec::new()),
            };
            if !protocol.has_http_bindings() && (http.path.value != "/" || http.method.value != "POST") {
                self.err(
                    line(&http.path),
                    format!("{path}.http"),
                    format!("{} operations are `POST /`; expected no other method or path", protocol.name()),
                );
            }
            let host_prefix = match (&http.host_prefix, input) {
                (Some(h), Some(i)) => self.host_prefix(h, &format!("{path}.http.host_prefix"), &shapes[i]),
                _ => Vec::new(),
            };
            let errors = self.errors(&o.errors, &path, shapes);
            // botocore looks for the result element only when the output has members.
            let output_has_members = output
                .is_some_and(|id| matches!(&shapes[id].kind, ir::ShapeKind::Structure(st) if !st.members.is_empty()));
            let result_wrapper = match (protocol, &o.result_wrapper) {
                (ir::Protocol::AwsQuery { .. }, w) => output_has_members
                    .then(|| w.as_ref().map_or_else(|| format!("{name}Result"), |w| w.value.clone())),
                (_, Some(w)) => {
                    self.err(line(w), format!("{path}.result_wrapper"), "`result_wrapper` applies only to the aws-query protocol");
                    None
                }
                (_, None) => None,
            };
            let pagination = match (&o.pagination, input, output) {
                (Some(p), Some(i), Some(out_id)) => {
                    self.pagination(p, &format!("{path}.pagination"), &shapes[i], &shapes[out_id])
                }
                _ => None,
            };
            let unsigned = match o.auth.as_ref().map(|a| a.value.as_str()) {
                None | Some("sigv4") | Some("default") => false,
                Some("none") => true,
                Some(other) => {
                    let at = o.auth.as_ref().and_then(line);
                    self.err(at, format!("{path}.auth"), format!("unknown auth `{other}`; expected default or none"));
                    false
                }
            };
            let (Some(input), Some(output)) = (input, output) else { continue };
            out.push(ir::Operation {
                name: name.clone(),
                // Minted with every other name in `names`.
                names: ir::OperationNames::default(),
                docs: docs(Some(&o.documentation)),
                provenance,
                http_provenance,
                http_method: http.method.value.clone(),
                path: path_parts,
                literal_query,
                host_prefix,
                success_status: http.success_status,
                input,
                input_modeled: o.input.is_some(),
                output,
                output_modeled: o.output.is_some(),
                errors,
                result_wrapper,
                pagination,
                idempotent: o.idempotent,
                unsigned,
                deprecated: deprecation(&o.deprecated),
            });
        }
        out
    }

    fn errors(&mut self, list: &[Spanned<String>], path: &str, shapes: &[ir::Shape]) -> Vec<ShapeId> {
        let mut errors = Vec::new();
        let mut codes: BTreeMap<String, String> = BTreeMap::new();
        for (ei, e) in list.iter().enumerate() {
            let epath = format!("{path}.errors[{ei}]");
            let Some(id) = self.expect_structure(e, &epath, shapes) else { continue };
            let ShapeKind::Structure(st) = &shapes[id].kind else { continue };
            let Some(info) = &st.error else {
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
        errors
    }

    /// `/a/{Label}/b/{Greedy+}?literal=1&flag` into its parts.
    fn path_template(
        &mut self,
        p: &Spanned<String>,
        path: &str,
        input: &ir::Shape,
        client_params: &BTreeSet<&str>,
    ) -> (Vec<PathPart>, Vec<(String, Option<String>)>) {
        let members = members_of(input);
        let mut parts = Vec::new();
        let mut used = BTreeSet::new();
        let (template, query) = match p.value.split_once('?') {
            Some((t, q)) => (t, Some(q)),
            None => (p.value.as_str(), None),
        };
        if !template.starts_with('/') {
            self.err(line(p), path, format!("`{}` must start with `/`", p.value));
        }
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.err(line(p), path, format!("unclosed `{{` in `{}`", p.value));
                return (parts, Vec::new());
            };
            let label = &rest[open + 1..open + close];
            let (name, greedy) = match label.strip_suffix('+') {
                Some(n) => (n, true),
                None => (label, false),
            };
            if greedy && !rest[open + close + 1..].is_empty() && !rest[open + close + 1..].starts_with('/') {
                self.err(line(p), path, format!("the greedy label `{{{label}}}` must end a path segment"));
            }
            match members.iter().position(|m| m.location == Location::Label { greedy: false } && m.wire_name == name) {
                Some(i) => {
                    if !members[i].required {
                        self.err(line(p), path, format!("path parameter `{{{name}}}` must be a required member"));
                    }
                    used.insert(i);
                    parts.push(PathPart::Label { member: i, greedy });
                }
                None if client_params.contains(name) => parts.push(PathPart::ClientParameter(name.to_owned())),
                None => match members.iter().find(|m| m.name == name || m.wire_name == name) {
                    Some(m) => self.err(
                        line(p),
                        path,
                        format!("path parameter `{{{name}}}` is bound to member `{}`, which needs `location: path`", m.name),
                    ),
                    None => self.err(
                        line(p),
                        path,
                        format!(
                            "path parameter `{{{name}}}` is neither a member of input `{}` nor a client parameter",
                            input.name
                        ),
                    ),
                },
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        for (i, m) in members.iter().enumerate() {
            if matches!(m.location, Location::Label { .. }) && !used.contains(&i) {
                self.err(
                    line(p),
                    path,
                    format!("member `{}` has `location: path` but the path has no `{{{}}}`", m.name, m.wire_name),
                );
            }
        }
        let literal_query = query
            .map(|q| {
                q.split('&')
                    .filter(|kv| !kv.is_empty())
                    .map(|kv| match kv.split_once('=') {
                        Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
                        None => (kv.to_owned(), None),
                    })
                    .collect()
            })
            .unwrap_or_default();
        (parts, literal_query)
    }

    /// `{Label}.data.` into its parts; labels are required string `host_label` members.
    fn host_prefix(&mut self, h: &Spanned<String>, path: &str, input: &ir::Shape) -> Vec<HostPart> {
        let members = members_of(input);
        let mut parts = Vec::new();
        let mut rest = h.value.as_str();
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(HostPart::Literal(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                self.err(line(h), path, format!("unclosed `{{` in `{}`", h.value));
                return parts;
            };
            let name = &rest[open + 1..open + close];
            match members.iter().position(|m| m.host_label && m.wire_name == name) {
                Some(i) if !members[i].required => {
                    self.err(line(h), path, format!("host label `{{{name}}}` must be a required member"))
                }
                Some(i) => parts.push(HostPart::Label(i)),
                None => self.err(
                    line(h),
                    path,
                    format!("host label `{{{name}}}` is not a `location: host_label` member of input `{}`", input.name),
                ),
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(HostPart::Literal(rest.to_owned()));
        }
        let literal_ok = parts.iter().all(|p| match p {
            HostPart::Literal(l) => l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'),
            HostPart::Label(_) => true,
        });
        if !literal_ok {
            self.err(line(h), path, format!("`{}` may hold only letters, digits, `-`, `.` and labels", h.value));
        }
        parts
    }

    fn pagination(
        &mut self,
        p: &Spanned<raw::Pagination>,
        path: &str,
        input: &ir::Shape,
        output: &ir::Shape,
    ) -> Option<ir::Pagination> {
        let provenance = self.provenance(p.value.provenance(), path);
        let find = |this: &mut Self, s: &ir::Shape, r: &Spanned<String>, key: &str| {
            let found = members_of(s).iter().position(|m| m.name == r.value);
            if found.is_none() {
                this.err(line(r), format!("{path}.{key}"), format!("`{}` is not a member of `{}`", r.value, s.name));
            }
            found
        };
        let input_token = find(self, input, &p.value.input_token, "input_token");
        let output_token = find(self, output, &p.value.output_token, "output_token");
        let items = p.value.items.as_ref().map(|r| find(self, output, r, "items"));
        let page_size = p.value.page_size.as_ref().map(|r| find(self, input, r, "page_size"));
        let kind_of = |s: &ir::Shape, i: usize| {
            self.model.shapes.get_index(members_of(s)[i].target).map(|(_, v)| v.value.kind.value.clone())
        };
        for (key, shape, idx) in [("input_token", input, input_token), ("output_token", output, output_token)] {
            if let Some(i) = idx
                && kind_of(shape, i).as_deref() != Some("string")
            {
                self.err(line(p), format!("{path}.{key}"), "a pagination token must be a string member");
            }
        }
        if let Some(i) = input_token
            && members_of(input)[i].required
        {
            self.err(line(p), format!("{path}.input_token"), "the input token must be optional (the first page has none)");
        }
        if let Some(Some(i)) = items
            && kind_of(output, i).as_deref() != Some("list")
        {
            self.err(line(p), format!("{path}.items"), "`items` must be a list member of the output");
        }
        if let Some(Some(i)) = page_size
            && !matches!(kind_of(input, i).as_deref(), Some("integer" | "long" | "short" | "byte"))
        {
            self.err(line(p), format!("{path}.page_size"), "`page_size` must be a whole-number member of the input");
        }
        Some(ir::Pagination {
            input_token: input_token?,
            output_token: output_token?,
            items: items.flatten(),
            page_size: page_size.flatten(),
            provenance,
        })
    }
}

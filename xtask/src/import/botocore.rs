//! botocore's service model (`service-2.json`, with `paginators-1.json`) to a
//! YAML model in the format of `codegen/src/model.rs`.
//!
//! [`convert`] takes the parsed JSON and returns the YAML text, or every
//! problem at once: a botocore feature the format cannot express yet is an
//! [`ProblemKind::Unsupported`] error naming the operation, shape and member
//! and botocore's key, never a silently different model. What it drops on
//! purpose, because it changes nothing on the wire of the protocols the
//! generator speaks, is listed in [`IGNORED_SHAPE_KEYS`] and its siblings, or
//! recorded in a `note` beside the fact.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::error::{ImportError, Place, Problem, ProblemKind, close_matches};
use super::html::to_markdown;
use super::json::{Json, Number, Object};
use super::yaml::{self, Map, Node};

/// What to import and how to label it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// `service.name`: the Rust module and cargo feature (snake_case).
    pub service_name: String,
    /// `sources.botocore.path`: the file the model was read from, e.g.
    /// `botocore 1.43.11 data/autoscaling/2011-01-01/service-2.json.gz`.
    pub source_path: String,
    /// `sources.botocore.title`; `None` for one made from the metadata.
    pub source_title: Option<String>,
    /// The paginators file, named in the source's note when one was read.
    pub paginators_path: Option<String>,
    /// Only these operations (botocore's names) and the shapes they reach;
    /// `None` for all. Output keeps botocore's order whatever the order here.
    pub operations: Option<Vec<String>>,
    /// Comment lines at the top of the file (without `# `).
    pub header: Vec<String>,
    /// Import a pattern the generator cannot enforce (one it cannot translate,
    /// or whose automaton would be too big) with `enforce: false` and a note
    /// saying why, instead of failing with an unsupported `pattern`.
    pub unenforced_patterns: bool,
}

impl ImportOptions {
    pub fn new(service_name: impl Into<String>, source_path: impl Into<String>) -> Self {
        ImportOptions {
            service_name: service_name.into(),
            source_path: source_path.into(),
            source_title: None,
            paginators_path: None,
            operations: None,
            header: Vec::new(),
            unenforced_patterns: false,
        }
    }
}

/// The `sources` key every imported fact points at.
pub const SOURCE_KEY: &str = "botocore";

/// botocore protocols the generator speaks, by botocore's name.
const SUPPORTED_PROTOCOLS: &[&str] = &["json", "query", "rest-json"];

/// Shape keys with no effect on the wire of the supported protocols, dropped:
/// `box` (Smithy 1 boxing: every member without `required` is optional
/// anyway), `wrapper`, `synthetic` and `xmlOrder` (markers botocore's own
/// serializers and parsers never read).
pub const IGNORED_SHAPE_KEYS: &[&str] = &["box", "wrapper", "synthetic", "xmlOrder"];
/// Member keys dropped: `box` (as above), `contextParam` (an input of the
/// endpoint rule set, which the importer does not read: endpoints come from
/// `endpointPrefix`).
pub const IGNORED_MEMBER_KEYS: &[&str] = &["box", "contextParam"];
/// Operation keys dropped: `documentationUrl`, the endpoint rule set's
/// `staticContextParams` and `operationContextParams`, and
/// `endpointoperation` (marks the endpoint-discovery operation itself).
pub const IGNORED_OPERATION_KEYS: &[&str] =
    &["name", "documentationUrl", "staticContextParams", "operationContextParams", "endpointoperation"];
/// Metadata keys with no counterpart in the format and no effect on the wire.
pub const IGNORED_METADATA_KEYS: &[&str] =
    &["serviceAbbreviation", "uid", "checksumFormat", "ripServiceName", "protocolSettings"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    Json,
    Query,
    RestJson,
}

struct Cx<'a> {
    shapes: &'a Object,
    protocol: Protocol,
    problems: Vec<Problem>,
    /// Structures that are an operation's input or output, and that operation
    /// (the first), for naming it in problems.
    io_of: BTreeMap<String, String>,
    unenforced_patterns: bool,
    /// "Input of `Op`" for each structure that is an operation's input or output.
    io_roles: BTreeMap<String, Vec<String>>,
    /// awsJson with `awsQueryCompatible`: error codes are the shape names.
    query_compatible: bool,
}

impl Cx<'_> {
    fn invalid(&mut self, place: Place, message: impl Into<String>) {
        self.problems.push(Problem { place, kind: ProblemKind::Invalid { message: message.into() } });
    }

    fn unsupported(&mut self, place: Place, feature: impl Into<String>, detail: impl Into<String>) {
        self.problems
            .push(Problem { place, kind: ProblemKind::Unsupported { feature: feature.into(), detail: detail.into() } });
    }

    fn shape_def(&self, name: &str) -> Option<&Object> {
        self.shapes.get(name).and_then(Json::as_object)
    }

    fn shape_type(&self, name: &str) -> Option<&str> {
        self.shape_def(name).and_then(|s| s.get("type")).and_then(Json::as_str)
    }

    fn flag(&self, name: &str, key: &str) -> bool {
        self.shape_def(name).and_then(|s| s.get(key)).and_then(Json::as_bool).unwrap_or(false)
    }

    /// A string field; a present field of another type is reported.
    fn string<'j>(&mut self, obj: &'j Object, key: &str, place: &Place) -> Option<&'j str> {
        match obj.get(key) {
            None => None,
            Some(Json::String(s)) => Some(s),
            Some(other) => {
                self.invalid(place.clone(), format!("`{key}` is {}, expected a string", other.kind()));
                None
            }
        }
    }

    fn boolean(&mut self, obj: &Object, key: &str, place: &Place) -> bool {
        match obj.get(key) {
            None => false,
            Some(Json::Bool(b)) => *b,
            Some(other) => {
                self.invalid(place.clone(), format!("`{key}` is {}, expected true or false", other.kind()));
                false
            }
        }
    }

    /// A `{"shape": "Name", ...}` reference to a defined shape.
    fn shape_ref<'j>(&mut self, r: &'j Json, key: &str, place: &Place) -> Option<&'j str> {
        let Some(name) = r.get("shape").and_then(Json::as_str) else {
            self.invalid(place.clone(), format!("`{key}` must be an object with a `shape` name"));
            return None;
        };
        if self.shape_def(name).is_none() {
            self.invalid(place.clone(), format!("`{key}` refers to shape `{name}`, which is not defined in `shapes`"));
            return None;
        }
        Some(name)
    }
}

/// A shape type of botocore as the model's `type`.
fn shape_kind(t: &str) -> Option<&'static str> {
    Some(match t {
        "string" => "string",
        "integer" => "integer",
        "long" => "long",
        "short" => "short",
        "byte" => "byte",
        "float" => "float",
        "double" => "double",
        "bigInteger" => "big_integer",
        "bigDecimal" => "big_decimal",
        "boolean" => "boolean",
        "blob" => "blob",
        "timestamp" => "timestamp",
        "structure" => "structure",
        "list" => "list",
        "map" => "map",
        _ => return None,
    })
}

fn timestamp_format(f: &str) -> Option<&'static str> {
    Some(match f {
        "unixTimestamp" => "epoch-seconds",
        "iso8601" => "date-time",
        "rfc822" => "http-date",
        _ => return None,
    })
}

fn docs(obj: &Object) -> Option<String> {
    let md = to_markdown(obj.get("documentation").and_then(Json::as_str)?);
    (!md.is_empty()).then_some(md)
}

fn sourced(map: &mut Map) {
    map.str("source", SOURCE_KEY);
}

fn join_notes(notes: &[String]) -> Option<String> {
    (!notes.is_empty()).then(|| notes.join(" "))
}

/// Converts a botocore service model (and its paginators) to model YAML.
pub fn convert(model: &Json, paginators: Option<&Json>, options: &ImportOptions) -> Result<String, ImportError> {
    let problem = |message: &str| ImportError::Model {
        problems: vec![Problem { place: Place::service(), kind: ProblemKind::Invalid { message: message.to_owned() } }],
    };
    let root = model
        .as_object()
        .ok_or_else(|| problem("the model must be a JSON object with `metadata`, `operations` and `shapes`"))?;
    let meta = root
        .get("metadata")
        .and_then(Json::as_object)
        .ok_or_else(|| problem("`metadata` is missing or not an object"))?;
    let operations = root
        .get("operations")
        .and_then(Json::as_object)
        .ok_or_else(|| problem("`operations` is missing or not an object"))?;
    let empty = Object::new();
    let shapes = match root.get("shapes") {
        None => &empty,
        Some(Json::Object(o)) => o,
        Some(_) => return Err(problem("`shapes` is not an object")),
    };
    let pages = match paginators {
        None => None,
        Some(p) => Some(
            p.get("pagination")
                .and_then(Json::as_object)
                .ok_or_else(|| problem("the paginators file has no `pagination` object"))?,
        ),
    };

    // The operations asked for, in botocore's order.
    let selected: Vec<(&str, &Json)> = match &options.operations {
        None => operations.iter().collect(),
        Some(wanted) => {
            let unknown: Vec<(String, Vec<String>)> = wanted
                .iter()
                .filter(|w| operations.get(w).is_none())
                .map(|w| (w.clone(), close_matches(w, operations.keys())))
                .collect();
            if !unknown.is_empty() {
                return Err(ImportError::UnknownOperations { unknown });
            }
            operations.iter().filter(|(k, _)| wanted.iter().any(|w| w == k)).collect()
        }
    };
    if selected.is_empty() {
        return Err(problem("the model has no operations"));
    }

    let mut cx = Cx {
        shapes,
        protocol: Protocol::Json,
        problems: Vec::new(),
        io_of: BTreeMap::new(),
        unenforced_patterns: options.unenforced_patterns,
        query_compatible: false,
        io_roles: BTreeMap::new(),
    };
    let service = service_block(&mut cx, root, meta, options);

    for (name, op) in &selected {
        for key in ["input", "output"] {
            if let Some(s) = op.get(key).and_then(|r| r.get("shape")).and_then(Json::as_str) {
                cx.io_of.entry(s.to_owned()).or_insert_with(|| (*name).to_owned());
                cx.io_roles
                    .entry(s.to_owned())
                    .or_default()
                    .push(format!("{} of `{name}`", if key == "input" { "Input" } else { "Output" }));
            }
        }
    }

    let mut ops = Map { spaced: true, ..Map::new() };
    for (name, op) in &selected {
        let paginator = pages.and_then(|p| p.get(name));
        if let Some(m) = operation(&mut cx, name, op, paginator) {
            ops.push(*name, Node::Map(m));
        }
    }

    let reachable = reachable_shapes(&cx, &selected);
    let mut shape_map = Map { spaced: true, ..Map::new() };
    for (name, def) in shapes.iter() {
        if !reachable.contains(name) {
            continue;
        }
        let Some(def) = def.as_object() else {
            cx.invalid(Place::shape(name), format!("the shape is {}, expected an object", def.kind()));
            continue;
        };
        if let Some(m) = shape(&mut cx, name, def) {
            shape_map.push(name, Node::Map(m));
        }
    }

    if !cx.problems.is_empty() {
        return Err(ImportError::Model { problems: cx.problems });
    }

    let mut source = Map::new();
    source.str("path", options.source_path.clone());
    let api_version = meta.get("apiVersion").and_then(Json::as_str).unwrap_or_default();
    let full_name = meta.get("serviceFullName").and_then(Json::as_str).unwrap_or(&options.service_name);
    source.str(
        "title",
        options
            .source_title
            .clone()
            .unwrap_or_else(|| format!("botocore service model of {full_name}, API version {api_version}")),
    );
    if let Some(p) = &options.paginators_path {
        source.str("note", format!("Pagination from {p}."));
    }
    let mut sources = Map::new();
    sources.push(SOURCE_KEY, Node::Map(source));

    let mut top = Map::new();
    top.push("service", Node::Map(service));
    top.push("sources", Node::Map(sources));
    top.push("operations", Node::Map(ops));
    top.push("shapes", Node::Map(shape_map));
    Ok(yaml::document(&options.header, &top))
}

fn service_block(cx: &mut Cx, root: &Object, meta: &Object, options: &ImportOptions) -> Map {
    let place = Place::service();
    let known_meta = [
        "apiVersion",
        "endpointPrefix",
        "protocol",
        "protocols",
        "serviceFullName",
        "signatureVersion",
        "signingName",
        "auth",
        "jsonVersion",
        "targetPrefix",
        "xmlNamespace",
        "serviceId",
        "globalEndpoint",
        "awsQueryCompatible",
    ];
    for key in meta.keys() {
        if !known_meta.contains(&key) && !IGNORED_METADATA_KEYS.contains(&key) {
            cx.unsupported(place.clone(), format!("metadata.{key}"), "a metadata key the importer does not know");
        }
    }
    let mut s = Map::new();
    s.str("name", options.service_name.clone());
    let title = cx
        .string(meta, "serviceFullName", &place)
        .or_else(|| meta.get("serviceId").and_then(Json::as_str))
        .unwrap_or(&options.service_name)
        .to_owned();
    s.str("title", title);
    s.opt_str("documentation", docs(root));
    let api_version = cx.string(meta, "apiVersion", &place).unwrap_or_default().to_owned();
    if api_version.is_empty() {
        cx.invalid(place.clone(), "`metadata.apiVersion` is missing");
    }
    s.push("api_version", Node::Quoted(api_version));
    sourced(&mut s);
    s.push("protocol", Node::Map(protocol_block(cx, meta)));
    s.push("signing", Node::Map(signing_block(cx, meta)));
    s.push("endpoint", Node::Map(endpoint_block(cx, meta)));
    let mut notes = Vec::new();
    for (key, what) in
        [("clientContextParams", "client context parameters of the endpoint rule set"), ("examples", "examples")]
    {
        if root.get(key).is_some() {
            notes.push(format!("botocore's `{key}` ({what}) is not imported."));
        }
    }
    if cx.boolean(root, "deprecated", &place) {
        let msg = root.get("deprecatedMessage").and_then(Json::as_str).unwrap_or("no message");
        notes.push(format!("botocore marks the whole service deprecated: {msg}"));
    }
    for key in root.keys() {
        if ![
            "version",
            "metadata",
            "operations",
            "shapes",
            "documentation",
            "clientContextParams",
            "examples",
            "deprecated",
            "deprecatedMessage",
        ]
        .contains(&key)
        {
            cx.unsupported(place.clone(), key, "a top-level key of service-2.json the importer does not know");
        }
    }
    s.opt_str("note", join_notes(&notes));
    s
}

fn protocol_block(cx: &mut Cx, meta: &Object) -> Map {
    let place = Place::service();
    let listed: Vec<String> = match meta.get("protocols") {
        Some(Json::Array(a)) => a.iter().filter_map(Json::as_str).map(str::to_owned).collect(),
        _ => cx.string(meta, "protocol", &place).map(str::to_owned).into_iter().collect(),
    };
    let mut p = Map::new();
    let mut notes = Vec::new();
    let Some(chosen) = listed.iter().find(|l| SUPPORTED_PROTOCOLS.contains(&l.as_str())) else {
        let names = if listed.is_empty() { "(none)".to_owned() } else { listed.join(", ") };
        cx.unsupported(
            place,
            format!("protocol {names}"),
            "the generator speaks botocore's json (awsJson 1.0/1.1), query (awsQuery) and rest-json (restJson1)",
        );
        p.str("type", "unsupported");
        return p;
    };
    if listed.first() != Some(chosen) {
        notes.push(format!(
            "botocore lists the protocols {}; `{chosen}` is the first of them the generator speaks.",
            listed.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    match chosen.as_str() {
        "json" => {
            cx.protocol = Protocol::Json;
            let version = cx.string(meta, "jsonVersion", &place).unwrap_or_default().to_owned();
            let kind = match version.as_str() {
                "1.0" => "aws-json-1.0",
                "1.1" => "aws-json-1.1",
                "" => {
                    cx.invalid(place.clone(), "protocol json needs `metadata.jsonVersion` (1.0 or 1.1)");
                    "aws-json-1.1"
                }
                other => {
                    cx.unsupported(place.clone(), format!("jsonVersion {other}"), "awsJson has versions 1.0 and 1.1");
                    "aws-json-1.1"
                }
            };
            p.str("type", kind);
            match cx.string(meta, "targetPrefix", &place) {
                Some(t) => p.str("target_prefix", t),
                None => cx.invalid(place.clone(), "protocol json needs `metadata.targetPrefix`"),
            }
            p.push("json_version", Node::Quoted(version));
            if meta.get("awsQueryCompatible").is_some() {
                cx.query_compatible = true;
                notes.push(
                    "botocore marks the service awsQueryCompatible: its errors also carry their awsQuery code in the \
                     x-amzn-query-error header; each error's code here is its shape name, as awsJson sends it."
                        .to_owned(),
                );
            }
        }
        "query" => {
            cx.protocol = Protocol::Query;
            p.str("type", "aws-query");
            match cx.string(meta, "xmlNamespace", &place) {
                Some(ns) => p.push("xml_namespace", Node::Quoted(ns.to_owned())),
                None => notes.push("botocore's metadata has no xmlNamespace.".to_owned()),
            }
        }
        _ => {
            cx.protocol = Protocol::RestJson;
            p.str("type", "rest-json-1");
        }
    }
    sourced(&mut p);
    p.opt_str("note", join_notes(&notes));
    p
}

fn signing_block(cx: &mut Cx, meta: &Object) -> Map {
    let place = Place::service();
    let mut notes = Vec::new();
    if let Some(v) = cx.string(meta, "signatureVersion", &place)
        && v != "v4"
    {
        cx.unsupported(place.clone(), format!("signatureVersion {v}"), "the generator signs with SigV4 (`v4`) only");
    }
    if let Some(Json::Array(auth)) = meta.get("auth") {
        let names: Vec<&str> = auth.iter().filter_map(Json::as_str).collect();
        match names.iter().position(|a| *a == "aws.auth#sigv4") {
            None => cx.unsupported(
                place.clone(),
                format!("auth {}", names.join(", ")),
                "the generator signs with SigV4 only",
            ),
            Some(0) => {}
            Some(_) => notes.push(format!(
                "botocore lists the auth schemes {}; SigV4 is the first the generator supports.",
                names.join(", ")
            )),
        }
    }
    let mut s = Map::new();
    s.str("scheme", "sigv4");
    let signing_name = cx.string(meta, "signingName", &place).map(str::to_owned);
    let prefix = meta.get("endpointPrefix").and_then(Json::as_str);
    match (&signing_name, prefix) {
        (Some(n), _) => s.str("name", n.clone()),
        (None, Some(p)) => {
            s.str("name", p);
            notes.push(format!("botocore has no signingName, so the signing name is the endpointPrefix `{p}`."));
        }
        (None, None) => cx.invalid(
            place,
            "neither `metadata.signingName` nor `metadata.endpointPrefix` gives the SigV4 signing name",
        ),
    }
    sourced(&mut s);
    s.opt_str("note", join_notes(&notes));
    s
}

fn endpoint_block(cx: &mut Cx, meta: &Object) -> Map {
    let place = Place::service();
    let mut e = Map::new();
    let prefix = cx.string(meta, "endpointPrefix", &place).unwrap_or_default().to_owned();
    if prefix.is_empty() {
        cx.invalid(place.clone(), "`metadata.endpointPrefix` is missing, so there is no endpoint");
    }
    if let Some(g) = cx.string(meta, "globalEndpoint", &place) {
        cx.unsupported(
            place,
            "globalEndpoint",
            format!("the service has the global endpoint {g}; the format's endpoint is a per-region template"),
        );
    }
    e.push("template", Node::Quoted(format!("https://{prefix}.{{region}}.amazonaws.com")));
    let mut cn = Map::new();
    cn.str("region_prefix", "cn-");
    cn.push("template", Node::Quoted(format!("https://{prefix}.{{region}}.amazonaws.com.cn")));
    e.push("partitions", Node::Seq(vec![Node::Map(cn)]));
    if let Some(id) = meta.get("serviceId").and_then(Json::as_str) {
        e.str("service_id", id);
    }
    sourced(&mut e);
    e.str(
        "note",
        format!(
            "endpointPrefix `{prefix}`; the China partition uses the amazonaws.com.cn suffix. botocore's endpoint rule set \
             (endpoint-rule-set-1.json) is not read."
        ),
    );
    e
}

/// The `{label}`s of a URI template, without a trailing `+`.
fn labels(template: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        let label = &rest[open + 1..open + close];
        match label.strip_suffix('+') {
            Some(l) => out.push((l.to_owned(), true)),
            None => out.push((label.to_owned(), false)),
        }
        rest = &rest[open + close + 1..];
    }
    out
}

fn operation(cx: &mut Cx, name: &str, op: &Json, paginator: Option<&Json>) -> Option<Map> {
    let place = Place::operation(name);
    let Some(o) = op.as_object() else {
        cx.invalid(place, format!("the operation is {}, expected an object", op.kind()));
        return None;
    };
    let handled = [
        "http",
        "input",
        "output",
        "errors",
        "documentation",
        "idempotent",
        "readonly",
        "endpoint",
        "deprecated",
        "deprecatedMessage",
        "deprecatedSince",
        "authtype",
        "auth",
        "requestcompression",
        "httpChecksum",
        "endpointdiscovery",
    ];
    let mut notes: Vec<String> = Vec::new();
    for key in o.keys() {
        if handled.contains(&key) || IGNORED_OPERATION_KEYS.contains(&key) {
            continue;
        }
        match key {
            "httpChecksumRequired" => {
                if cx.boolean(o, key, &place) {
                    cx.unsupported(
                        place.clone(),
                        key,
                        "the request must carry a checksum header (Content-MD5 or x-amz-checksum-*)",
                    );
                }
            }
            "unsignedPayload" => cx.unsupported(place.clone(), key, "SigV4 with an unsigned payload"),
            other => cx.unsupported(place.clone(), other, "an operation key the importer does not know"),
        }
    }
    let mut m = Map::new();
    m.str("documentation", docs(o).unwrap_or_default());

    // Input and output.
    let io = |cx: &mut Cx, key: &str| -> Option<String> {
        let r = o.get(key)?;
        let shape = cx.shape_ref(r, key, &place)?.to_owned();
        if cx.shape_type(&shape) != Some("structure") {
            cx.invalid(place.clone(), format!("`{key}` shape `{shape}` is not a structure"));
        }
        if let Some(ro) = r.as_object() {
            for k in ro.keys() {
                match k {
                    "shape" | "documentation" => {}
                    "resultWrapper" if key == "output" => {}
                    "locationName" | "xmlNamespace" => {
                        cx.unsupported(place.clone(), format!("{key}.{k}"), "the root element of a rest-xml request")
                    }
                    other => {
                        cx.unsupported(place.clone(), format!("{key}.{other}"), "a key the importer does not know")
                    }
                }
            }
        }
        Some(shape)
    };
    let input = io(cx, "input");
    let output = io(cx, "output");

    // HTTP binding.
    let mut http = Map::new();
    match o.get("http").and_then(Json::as_object) {
        None => cx.invalid(place.clone(), "`http` is missing or not an object"),
        Some(h) => {
            for k in h.keys() {
                match k {
                    "method" | "requestUri" | "responseCode" => {}
                    "authPath" => cx.unsupported(place.clone(), "http.authPath", "a separate path to sign (S3)"),
                    other => {
                        cx.unsupported(place.clone(), format!("http.{other}"), "an http key the importer does not know")
                    }
                }
            }
            match cx.string(h, "method", &place) {
                Some(method) => http.str("method", method),
                None => cx.invalid(place.clone(), "`http.method` is missing"),
            }
            let uri = cx.string(h, "requestUri", &place).unwrap_or("/").to_owned();
            let path = rewrite_labels(cx, name, &uri, input.as_deref());
            http.push("path", if path == "/" { Node::Str(path) } else { Node::Quoted(path) });
            match h.get("responseCode") {
                None => {}
                Some(Json::Number(Number::Int(c))) if (100..=599).contains(c) => {
                    http.push("success_status", Node::Int(*c))
                }
                Some(other) => {
                    cx.invalid(place.clone(), format!("`http.responseCode` is {other}, expected an HTTP status"))
                }
            }
        }
    }
    if let Some(endpoint) = o.get("endpoint") {
        match endpoint.get("hostPrefix").and_then(Json::as_str) {
            Some(prefix) => http.push("host_prefix", Node::Quoted(prefix.to_owned())),
            None => cx.invalid(place.clone(), "`endpoint` has no `hostPrefix` string"),
        }
        if let Some(eo) = endpoint.as_object() {
            for k in eo.keys().filter(|k| *k != "hostPrefix") {
                cx.unsupported(place.clone(), format!("endpoint.{k}"), "an endpoint key the importer does not know");
            }
        }
    }
    m.push("http", Node::Map(http));
    if let Some(i) = &input {
        m.str("input", i.clone());
    }
    if let Some(out) = &output {
        m.str("output", out.clone());
    }

    // Errors.
    let mut errors = Vec::new();
    match o.get("errors") {
        None => {}
        Some(Json::Array(list)) => {
            for e in list {
                let Some(shape) = cx.shape_ref(e, "errors", &place).map(str::to_owned) else { continue };
                if !cx.flag(&shape, "exception") {
                    cx.invalid(place.clone(), format!("error shape `{shape}` has no `exception: true`"));
                }
                errors.push(Node::Str(shape));
            }
        }
        Some(other) => cx.invalid(place.clone(), format!("`errors` is {}, expected an array", other.kind())),
    }
    if !errors.is_empty() {
        m.push("errors", Node::Seq(errors));
    }

    if let Some(wrapper) = o.get("output").and_then(|r| r.get("resultWrapper")) {
        match (wrapper.as_str(), cx.protocol) {
            (Some(w), Protocol::Query) => m.str("result_wrapper", w),
            (Some(w), _) => notes.push(format!(
                "botocore's resultWrapper `{w}` applies to awsQuery only, and this model speaks another protocol."
            )),
            (None, _) => cx.invalid(place.clone(), "`output.resultWrapper` is not a string"),
        }
    }

    if let Some(p) = paginator {
        match pagination(cx, name, p, input.as_deref(), output.as_deref()) {
            Ok((block, note)) => {
                m.push("pagination", Node::Map(block));
                notes.extend(note);
            }
            Err(why) => notes.push(why),
        }
    }

    let idempotent = cx.boolean(o, "idempotent", &place);
    let readonly = cx.boolean(o, "readonly", &place);
    m.flag("idempotent", idempotent || readonly);
    if readonly && !idempotent {
        notes.push("botocore marks it readonly, so it is idempotent.".to_owned());
    }

    // Authentication: botocore takes the first scheme of `auth` it supports, else `authtype`.
    let unsigned = match (o.get("auth"), o.get("authtype").and_then(Json::as_str)) {
        (Some(Json::Array(auth)), _) => {
            let names: Vec<&str> = auth.iter().filter_map(Json::as_str).collect();
            match names.iter().find(|a| matches!(**a, "aws.auth#sigv4" | "smithy.api#noAuth")) {
                Some(&"smithy.api#noAuth") => true,
                Some(_) => false,
                None => {
                    cx.unsupported(
                        place.clone(),
                        format!("auth {}", names.join(", ")),
                        "the generator signs with SigV4 or sends unsigned",
                    );
                    false
                }
            }
        }
        (Some(other), _) => {
            cx.invalid(place.clone(), format!("`auth` is {}, expected an array", other.kind()));
            false
        }
        (None, Some("none")) => true,
        (None, Some("v4")) | (None, None) => false,
        (None, Some(other)) => {
            cx.unsupported(
                place.clone(),
                format!("authtype {other}"),
                "the generator signs with SigV4 (whole payload) or sends unsigned",
            );
            false
        }
    };
    if unsigned {
        m.str("auth", "none");
    }
    if let Some(d) = deprecated(cx, o, &place) {
        m.push("deprecated", Node::Map(d));
    }

    if let Some(rc) = o.get("requestcompression") {
        let encodings = rc.get("encodings").map(|e| e.to_string()).unwrap_or_default();
        notes.push(format!("botocore allows compressing the request body ({encodings}); compression is optional, and the request is sent uncompressed."));
    }
    if let Some(hc) = o.get("httpChecksum").and_then(Json::as_object) {
        if hc.get("requestChecksumRequired").and_then(Json::as_bool) == Some(true) {
            cx.unsupported(
                place.clone(),
                "httpChecksum.requestChecksumRequired",
                "the request must carry a checksum header",
            );
        } else {
            notes.push("botocore's optional request and response checksums (httpChecksum) are not used.".to_owned());
        }
    }
    if let Some(ed) = o.get("endpointdiscovery") {
        if ed.get("required").and_then(Json::as_bool) == Some(true) {
            cx.unsupported(place.clone(), "endpointdiscovery", "the operation must be sent to a discovered endpoint");
        } else {
            notes.push("botocore's optional endpoint discovery is not used.".to_owned());
        }
    }
    sourced(&mut m);
    m.opt_str("note", join_notes(&notes));
    Some(m)
}

/// The request URI with each `{label}` named after the input member bound to
/// it (botocore binds by the member's `locationName`; the format by member name).
fn rewrite_labels(cx: &mut Cx, op: &str, uri: &str, input: Option<&str>) -> String {
    let (path, query) = match uri.find('?') {
        Some(q) => (&uri[..q], &uri[q..]),
        None => (uri, ""),
    };
    let mut bound: Vec<(String, String)> = Vec::new();
    if let Some(members) = input.and_then(|i| cx.shape_def(i)).and_then(|s| s.get("members")).and_then(Json::as_object)
    {
        for (mname, m) in members.iter() {
            if m.get("location").and_then(Json::as_str) == Some("uri") {
                let wire = m.get("locationName").and_then(Json::as_str).unwrap_or(mname);
                bound.push((wire.to_owned(), mname.to_owned()));
            }
        }
    }
    let mut out = path.to_owned();
    for (label, greedy) in labels(path) {
        match bound.iter().find(|(w, _)| *w == label) {
            Some((_, member)) => {
                let plus = if greedy { "+" } else { "" };
                out = out.replacen(&format!("{{{label}{plus}}}"), &format!("{{{member}{plus}}}"), 1);
            }
            None => cx.invalid(
                Place::operation(op),
                format!("`http.requestUri` label `{{{label}}}` matches no `location: uri` member of the input"),
            ),
        }
    }
    out.push_str(query);
    out
}

/// The `pagination` block, or why the format cannot express this paginator.
fn pagination(
    cx: &mut Cx,
    op: &str,
    p: &Json,
    input: Option<&str>,
    output: Option<&str>,
) -> Result<(Map, Option<String>), String> {
    let place = Place::operation(op);
    let Some(p) = p.as_object() else {
        cx.invalid(place, "its paginator is not an object");
        return Err(String::new());
    };
    let cannot = |why: String| {
        Err(format!(
            "botocore's paginator cannot be written in the model format ({why}), so the operation has no `pagination`."
        ))
    };
    let (Some(input), Some(output)) = (input, output) else {
        return cannot("the operation has no input or no output".to_owned());
    };
    let members = |shape: &str| -> Vec<String> {
        cx.shape_def(shape)
            .and_then(|s| s.get("members"))
            .and_then(Json::as_object)
            .map(|m| m.keys().map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let (in_members, out_members) = (members(input), members(output));
    let single = |key: &str| -> Result<Option<String>, String> {
        match p.get(key) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.clone())),
            Some(Json::Array(a)) if a.len() == 1 && a[0].as_str().is_some() => Ok(a[0].as_str().map(str::to_owned)),
            Some(Json::Array(a)) => Err(format!("`{key}` has {} entries", a.len())),
            Some(other) => Err(format!("`{key}` is {}", other.kind())),
        }
    };
    let mut block = Map::new();
    let mut notes = Vec::new();
    for k in p.keys() {
        if !["input_token", "output_token", "result_key", "limit_key", "more_results", "non_aggregate_keys"]
            .contains(&k)
        {
            return cannot(format!("it has the key `{k}`"));
        }
    }
    if p.get("more_results").is_some() {
        return cannot("it ends on a `more_results` flag, not on a missing token".to_owned());
    }
    let mut item = |key: &str, yaml_key: &str, shape_members: &[String], of: &str| -> Result<(), String> {
        let Some(v) = single(key)? else {
            return match key {
                "input_token" | "output_token" => Err(format!("it has no `{key}`")),
                _ => Ok(()),
            };
        };
        if v.contains(['.', '[', '|', ' ']) {
            return Err(format!("`{key}` is the path `{v}`, not a member"));
        }
        if !shape_members.contains(&v) {
            return Err(format!("`{key}` `{v}` is not a member of `{of}`"));
        }
        block.str(yaml_key, v);
        Ok(())
    };
    let steps = [
        ("input_token", "input_token", &in_members, input),
        ("output_token", "output_token", &out_members, output),
        ("result_key", "items", &out_members, output),
        ("limit_key", "page_size", &in_members, input),
    ];
    for (key, yaml_key, shape_members, of) in steps {
        if let Err(why) = item(key, yaml_key, shape_members, of) {
            return cannot(why);
        }
    }
    if let Some(n) = p.get("non_aggregate_keys") {
        notes.push(format!("botocore's paginator also keeps the non-aggregate keys {n} from the pages."));
    }
    sourced(&mut block);
    Ok((block, join_notes(&notes)))
}

fn deprecated(cx: &mut Cx, obj: &Object, place: &Place) -> Option<Map> {
    let is = cx.boolean(obj, "deprecated", place);
    let message = cx.string(obj, "deprecatedMessage", place).map(str::to_owned);
    let since = cx.string(obj, "deprecatedSince", place).map(str::to_owned);
    if !is {
        if message.is_some() || since.is_some() {
            cx.invalid(place.clone(), "`deprecatedMessage`/`deprecatedSince` without `deprecated: true`");
        }
        return None;
    }
    let mut d = Map::new();
    d.opt_str("message", message);
    if let Some(s) = since {
        d.push("since", Node::Quoted(s));
    }
    Some(d)
}

/// Every shape the selected operations reach (inputs, outputs, errors, and
/// what their members, list members and map keys and values target).
fn reachable_shapes(cx: &Cx, selected: &[(&str, &Json)]) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    for (_, op) in selected {
        for key in ["input", "output"] {
            if let Some(s) = op.get(key).and_then(|r| r.get("shape")).and_then(Json::as_str) {
                queue.push_back(s.to_owned());
            }
        }
        for e in op.get("errors").and_then(Json::as_array).unwrap_or_default() {
            if let Some(s) = e.get("shape").and_then(Json::as_str) {
                queue.push_back(s.to_owned());
            }
        }
    }
    while let Some(name) = queue.pop_front() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = cx.shape_def(&name) else { continue };
        let mut targets: Vec<String> = Vec::new();
        if let Some(members) = def.get("members").and_then(Json::as_object) {
            for (_, m) in members.iter() {
                targets.push(m.get("shape").and_then(Json::as_str).unwrap_or_default().to_owned());
            }
        }
        for key in ["member", "key", "value"] {
            if let Some(r) = def.get(key) {
                targets.push(r.get("shape").and_then(Json::as_str).unwrap_or_default().to_owned());
            }
        }
        for t in targets {
            // A target that does not exist is reported where the member is converted.
            if cx.shape_def(&t).is_some() && !seen.contains(&t) {
                queue.push_back(t);
            }
        }
    }
    seen
}

/// A whole number of a constraint (`min`/`max`), exactly.
fn whole(n: &Json) -> Option<i64> {
    match n {
        Json::Number(Number::Int(i)) => Some(*i),
        Json::Number(Number::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
        _ => None,
    }
}

fn shape(cx: &mut Cx, name: &str, s: &Object) -> Option<Map> {
    let place = Place::shape(name);
    let Some(btype) = cx.string(s, "type", &place).map(str::to_owned) else {
        cx.invalid(place, "the shape has no `type`");
        return None;
    };
    let Some(kind) = shape_kind(&btype) else {
        cx.invalid(place, format!("unknown shape type `{btype}`"));
        return None;
    };
    let is_enum = kind == "string" && s.get("enum").is_some();
    let is_union = kind == "structure" && cx.boolean(s, "union", &place);
    let is_document = kind == "structure" && cx.boolean(s, "document", &place);
    let yaml_kind = match kind {
        _ if is_enum => "enum",
        _ if is_document => "document",
        _ if is_union => "union",
        k => k,
    };
    let common = ["type", "documentation", "sensitive", "deprecated", "deprecatedMessage", "deprecatedSince"];
    let specific: &[&str] = match kind {
        "string" => &["min", "max", "pattern", "enum"],
        "blob" => &["min", "max", "streaming", "requiresLength"],
        "integer" | "long" | "short" | "byte" | "float" | "double" | "big_integer" | "big_decimal" => &["min", "max"],
        "timestamp" => &["timestampFormat"],
        "structure" => &[
            "members",
            "required",
            "payload",
            "exception",
            "error",
            "fault",
            "retryable",
            "union",
            "document",
            "xmlNamespace",
            "locationName",
            "event",
            "eventstream",
        ],
        "list" => &["member", "min", "max", "flattened", "locationName", "xmlNamespace"],
        "map" => &["key", "value", "min", "max", "flattened", "locationName", "xmlNamespace"],
        _ => &[],
    };
    for key in s.keys() {
        if common.contains(&key) || specific.contains(&key) || IGNORED_SHAPE_KEYS.contains(&key) {
            continue;
        }
        match key {
            "sparse" => cx.unsupported(
                place.clone(),
                key,
                "lists and maps with null entries (Smithy @sparse); the format has no key for it",
            ),
            other => cx.unsupported(
                place.clone(),
                other,
                format!("a botocore key the importer does not know on a {btype} shape"),
            ),
        }
    }

    let mut m = Map::new();
    let mut notes: Vec<String> = Vec::new();
    m.str("type", yaml_kind);
    match docs(s) {
        Some(d) => m.str("documentation", d),
        // botocore documents operations, rarely their inputs and outputs; say whose they are, as models/ do.
        None => m.opt_str("documentation", cx.io_roles.get(name).map(|roles| format!("{}.", roles.join(", ")))),
    }
    sourced(&mut m);
    m.flag("sensitive", cx.boolean(s, "sensitive", &place));
    if let Some(d) = deprecated(cx, s, &place) {
        m.push("deprecated", Node::Map(d));
    }

    // Constraints.
    let (min, max) = (s.get("min"), s.get("max"));
    if min.is_some() || max.is_some() {
        let mut c = Map::flow();
        let numeric = !matches!(kind, "string" | "blob" | "list" | "map");
        let integral = matches!(kind, "integer" | "long" | "short" | "byte" | "big_integer");
        for (key, v) in [("min", min), ("max", max)] {
            let Some(v) = v else { continue };
            let node = match (v, numeric, integral) {
                (Json::Number(Number::UInt(u)), _, _) => {
                    cx.unsupported(
                        place.clone(),
                        key,
                        format!("the bound {u} is above the format's 64-bit signed range"),
                    );
                    continue;
                }
                (_, false, _) => match whole(v).filter(|w| *w >= 0) {
                    Some(w) => Node::Int(w),
                    None => {
                        cx.invalid(place.clone(), format!("`{key}` is {v}, expected a whole number of at least 0"));
                        continue;
                    }
                },
                (_, true, true) => match whole(v) {
                    Some(w) => Node::Int(w),
                    None => {
                        cx.invalid(place.clone(), format!("`{key}` is {v}, expected a whole number for a {btype}"));
                        continue;
                    }
                },
                (Json::Number(Number::Int(i)), true, false) => Node::Int(*i),
                (Json::Number(Number::Float(f)), true, false) => Node::Float(*f),
                (other, _, _) => {
                    cx.invalid(place.clone(), format!("`{key}` is {}, expected a number", other.kind()));
                    continue;
                }
            };
            c.push(key, node);
        }
        if !c.is_empty() {
            m.push(if numeric { "range" } else { "length" }, Node::Map(c));
        }
    }
    if let Some(p) = cx.string(s, "pattern", &place) {
        let mut pm = Map::new();
        pm.push("regex", Node::Quoted(p.to_owned()));
        // What the generator's check does with an enforced pattern: translate, then build its automaton.
        let why = codegen::pattern::translate(p)
            .map_err(|why| format!("it is outside the generator's ECMA-262 dialect: {why}"))
            .and_then(|rust| codegen::automaton::compile(&rust).map(|_| ()).map_err(|why| format!("it {why}")));
        if let Err(why) = why {
            if cx.unenforced_patterns {
                pm.push("enforce", Node::Bool(false));
                pm.str("note", format!("Not enforced: {why}. Imported with --unenforced-patterns."));
            } else {
                cx.unsupported(place.clone(), "pattern", format!("the regex `{p}` cannot be enforced: {why}"));
            }
        }
        m.push("pattern", Node::Map(pm));
    }

    match kind {
        "string" if is_enum => match s.get("enum") {
            Some(Json::Array(values)) if !values.is_empty() => {
                let mut out = Vec::new();
                for v in values {
                    match v.as_str() {
                        Some(v) => {
                            let mut e = Map::new();
                            e.push("value", Node::Str(v.to_owned()));
                            out.push(Node::Map(e));
                        }
                        None => {
                            cx.invalid(place.clone(), format!("an `enum` value is {}, expected a string", v.kind()))
                        }
                    }
                }
                m.push("values", Node::Seq(out));
            }
            _ => cx.invalid(place.clone(), "`enum` must be a non-empty array of strings"),
        },
        // A `streaming` blob (with or without `requiresLength`) is reported
        // at the member that uses it, with its operation.
        "blob" => {}
        "timestamp" => {
            if let Some(f) = cx.string(s, "timestampFormat", &place) {
                match timestamp_format(f) {
                    Some(t) => m.str("format", t),
                    None => cx.invalid(
                        place.clone(),
                        format!("unknown timestampFormat `{f}`; expected unixTimestamp, iso8601 or rfc822"),
                    ),
                }
            }
        }
        "structure" => structure(cx, name, s, &mut m, &mut notes, is_document),
        "list" => {
            match s.get("member") {
                Some(r) => {
                    if let Some(target) = cx.shape_ref(r, "member", &place) {
                        m.str("member", target);
                    }
                    if let Some(ro) = r.as_object() {
                        for (k, v) in ro.iter() {
                            match k {
                                "shape" | "documentation" => {}
                                "locationName" => match v.as_str() {
                                    Some(n) => m.str("member_name", n),
                                    None => cx.invalid(place.clone(), "`member.locationName` is not a string"),
                                },
                                "xmlNamespace" => notes.push(format!(
                                    "botocore gives the list's member the xmlNamespace {v}; the format has no key for it, and it changes nothing in the protocols the generator speaks (only XML request bodies carry namespaces)."
                                )),
                                other => cx.unsupported(place.clone(), format!("member.{other}"), "a key on a list's member the format has no place for"),
                            }
                        }
                    }
                }
                None => cx.invalid(place.clone(), "a list needs `member`"),
            }
            m.flag("flattened", cx.boolean(s, "flattened", &place));
            notes.extend(xml_namespace_note(cx, s, &place));
        }
        "map" => {
            for (key, name_key) in [("key", "key_name"), ("value", "value_name")] {
                match s.get(key) {
                    Some(r) => {
                        if let Some(target) = cx.shape_ref(r, key, &place) {
                            m.str(key, target);
                        }
                        if let Some(ro) = r.as_object() {
                            for (k, v) in ro.iter() {
                                match k {
                                    "shape" | "documentation" => {}
                                    "locationName" => match v.as_str() {
                                        Some(n) => m.str(name_key, n),
                                        None => cx.invalid(place.clone(), format!("`{key}.locationName` is not a string")),
                                    },
                                    "xmlNamespace" => notes.push(format!(
                                        "botocore gives the map's {key} the xmlNamespace {v}; the format has no key for it, and it changes nothing in the protocols the generator speaks (only XML request bodies carry namespaces)."
                                    )),
                                    other => cx.unsupported(place.clone(), format!("{key}.{other}"), format!("a key on a map's {key} the format has no place for")),
                                }
                            }
                        }
                    }
                    None => cx.invalid(place.clone(), format!("a map needs `{key}`")),
                }
            }
            m.flag("flattened", cx.boolean(s, "flattened", &place));
            notes.extend(xml_namespace_note(cx, s, &place));
        }
        _ => {}
    }
    m.opt_str("note", join_notes(&notes));
    Some(m)
}

/// botocore's `xmlNamespace` of a shape or member, as a note: the format has
/// no key for it, since only XML request bodies (restXml) carry namespaces.
fn xml_namespace_note(cx: &mut Cx, obj: &Object, place: &Place) -> Option<String> {
    let uri = match obj.get("xmlNamespace")? {
        Json::String(uri) => uri.clone(),
        Json::Object(o) => match o.get("uri").and_then(Json::as_str) {
            Some(uri) => uri.to_owned(),
            None => {
                cx.invalid(place.clone(), "`xmlNamespace` has no `uri`");
                return None;
            }
        },
        _ => {
            cx.invalid(place.clone(), "`xmlNamespace` is neither a string nor an object");
            return None;
        }
    };
    Some(format!(
        "botocore gives it the xmlNamespace {uri}; the format has no key for it, and it changes nothing in the protocols the generator speaks (only XML request bodies carry namespaces)."
    ))
}

fn structure(cx: &mut Cx, name: &str, s: &Object, m: &mut Map, notes: &mut Vec<String>, is_document: bool) {
    let place = Place::shape(name);
    let members = match s.get("members") {
        None => Object::new(),
        Some(Json::Object(o)) => o.clone(),
        Some(other) => {
            cx.invalid(place.clone(), format!("`members` is {}, expected an object", other.kind()));
            Object::new()
        }
    };
    let required: Vec<String> = match s.get("required") {
        None => Vec::new(),
        Some(Json::Array(a)) => a.iter().filter_map(Json::as_str).map(str::to_owned).collect(),
        Some(other) => {
            cx.invalid(place.clone(), format!("`required` is {}, expected an array", other.kind()));
            Vec::new()
        }
    };
    for r in &required {
        if members.get(r).is_none() {
            cx.invalid(place.clone(), format!("`required` names `{r}`, which is not a member"));
        }
    }
    let payload = cx.string(s, "payload", &place).map(str::to_owned);
    if let Some(p) = &payload
        && members.get(p).is_none()
    {
        cx.invalid(place.clone(), format!("`payload` names `{p}`, which is not a member"));
    }
    // An event stream (`eventstream`, and its `event` structures) is reported
    // at the member of the operation's input or output that carries it.

    if cx.boolean(s, "exception", &place) {
        m.push("error", Node::Map(error_block(cx, name, s)));
    } else {
        for key in ["error", "fault", "retryable"] {
            if s.get(key).is_some() {
                cx.invalid(place.clone(), format!("`{key}` on a shape without `exception: true`"));
            }
        }
    }
    notes.extend(xml_namespace_note(cx, s, &place));
    if is_document {
        if !members.is_empty() {
            cx.invalid(place, "a document shape has no members");
        }
        return;
    }
    let mut out = Map::new();
    for (mname, mdef) in members.iter() {
        let mplace = Place::member(name, mname);
        let Some(mo) = mdef.as_object() else {
            cx.invalid(mplace, format!("the member is {}, expected an object", mdef.kind()));
            continue;
        };
        let is_payload = payload.as_deref() == Some(mname);
        if let Some(mm) = member(cx, name, mname, mo, required.iter().any(|r| r == mname), is_payload) {
            out.push(mname, Node::Map(mm));
        }
    }
    m.push("members", Node::Map(out));
}

fn error_block(cx: &mut Cx, name: &str, s: &Object) -> Map {
    let place = Place::shape(name);
    let e = match s.get("error") {
        None => Object::new(),
        Some(Json::Object(o)) => o.clone(),
        Some(other) => {
            cx.invalid(place.clone(), format!("`error` is {}, expected an object", other.kind()));
            Object::new()
        }
    };
    for k in e.keys() {
        if !["code", "httpStatusCode", "senderFault", "fault"].contains(&k) {
            cx.unsupported(place.clone(), format!("error.{k}"), "an error key the importer does not know");
        }
    }
    let fault = cx.boolean(s, "fault", &place) || cx.boolean(&e, "fault", &place);
    let sender = match e.get("senderFault") {
        None => None,
        Some(Json::Bool(b)) => Some(*b),
        Some(other) => {
            cx.invalid(place.clone(), format!("`error.senderFault` is {}, expected true or false", other.kind()));
            None
        }
    };
    let mut b = Map::new();
    let mut notes = Vec::new();
    let code = cx.string(&e, "code", &place).map(str::to_owned);
    match code {
        // awsJson answers name the error by its shape (`__type`); the awsQuery code travels in x-amzn-query-error.
        Some(c) if cx.query_compatible && c != name => {
            b.str("code", name);
            notes.push(format!(
                "awsQueryCompatible: botocore's code `{c}` is the awsQuery code, sent in the x-amzn-query-error header."
            ));
        }
        Some(c) => b.str("code", c),
        None => b.str("code", name),
    }
    let status = match e.get("httpStatusCode") {
        None => {
            let s = if fault { 500 } else { 400 };
            notes.push(format!(
                "botocore gives no httpStatusCode; {s} is the default for a {} error.",
                if fault { "server" } else { "client" }
            ));
            s
        }
        Some(Json::Number(Number::Int(c))) if (100..=599).contains(c) => *c,
        Some(other) => {
            cx.invalid(place.clone(), format!("`error.httpStatusCode` is {other}, expected an HTTP status"));
            400
        }
    };
    b.push("http_status", Node::Int(status));
    // `fault` (Smithy @error("server")) decides; awsQuery's senderFault only when it is absent.
    let server = fault || sender == Some(false);
    if fault && sender == Some(true) {
        notes.push("botocore marks it both a server fault and senderFault; the fault wins.".to_owned());
    }
    b.str("fault", if server { "server" } else { "client" });
    match s.get("retryable") {
        None => {}
        Some(Json::Object(r)) => {
            b.push("retryable", Node::Bool(true));
            let throttling = cx.boolean(r, "throttling", &place);
            b.flag("throttling", throttling);
        }
        Some(other) => cx.invalid(place.clone(), format!("`retryable` is {}, expected an object", other.kind())),
    }
    sourced(&mut b);
    b.opt_str("note", join_notes(&notes));
    b
}

fn member(cx: &mut Cx, shape: &str, name: &str, mo: &Object, required: bool, payload: bool) -> Option<Map> {
    let op = cx.io_of.get(shape).cloned();
    let place = Place { operation: op, ..Place::member(shape, name) };
    let handled = [
        "shape",
        "documentation",
        "location",
        "locationName",
        "flattened",
        "idempotencyToken",
        "jsonvalue",
        "timestampFormat",
        "xmlNamespace",
        "deprecated",
        "deprecatedMessage",
        "deprecatedSince",
        "hostLabel",
    ];
    for key in mo.keys() {
        if handled.contains(&key) || IGNORED_MEMBER_KEYS.contains(&key) {
            continue;
        }
        match key {
            "streaming" => cx.unsupported(place.clone(), key, "a streaming payload member"),
            "eventpayload" => cx.unsupported(place.clone(), key, "the payload of an event-stream event"),
            "xmlAttribute" => cx.unsupported(place.clone(), key, "a member written as an XML attribute (rest-xml)"),
            "queryName" => cx.unsupported(place.clone(), key, "a member name of the ec2 protocol's query form"),
            "enum" => cx.unsupported(place.clone(), key, "an enum declared on a member of a plain string shape"),
            other => cx.unsupported(place.clone(), other, "a member key the importer does not know"),
        }
    }
    let Some(target) = mo.get("shape").and_then(Json::as_str) else {
        cx.invalid(place, "the member has no `shape`");
        return None;
    };
    let Some(tdef) = cx.shape_def(target).cloned() else {
        cx.invalid(place, format!("refers to shape `{target}`, which is not defined in `shapes`"));
        return None;
    };
    let ttype = tdef.get("type").and_then(Json::as_str).unwrap_or_default().to_owned();
    if tdef.get("eventstream").and_then(Json::as_bool) == Some(true) {
        cx.unsupported(place.clone(), "eventstream", format!("the member is the event stream `{target}`"));
    }
    if ttype == "blob" && tdef.get("streaming").and_then(Json::as_bool) == Some(true) {
        cx.unsupported(place.clone(), "streaming", format!("the member is the streaming blob `{target}`"));
    }

    let mut m = Map::new();
    m.str("shape", target);
    m.flag("required", required);
    m.opt_str("documentation", docs(mo));

    let location = cx.string(mo, "location", &place).map(str::to_owned);
    let host_label = cx.boolean(mo, "hostLabel", &place);
    let mut notes = Vec::new();
    let loc = match (location.as_deref(), host_label, payload) {
        (None, false, false) => None,
        (None, true, false) => {
            notes.push(
                "botocore: hostLabel, bound into the host prefix (the protocol tests also send it in the body)."
                    .to_owned(),
            );
            Some("host_label")
        }
        (None, false, true) => Some("payload"),
        (Some(l), false, false) => match l {
            "uri" => Some("path"),
            "querystring" if ttype == "map" => Some("query_params"),
            "querystring" => Some("query"),
            "header" => Some("header"),
            "headers" => Some("headers"),
            "statusCode" => Some("status_code"),
            other => {
                cx.invalid(place.clone(), format!("unknown location `{other}`"));
                None
            }
        },
        _ => {
            cx.invalid(
                place.clone(),
                "the member has more than one of `location`, `hostLabel` and the structure's `payload`",
            );
            None
        }
    };
    if let Some(l) = loc {
        if cx.protocol != Protocol::RestJson && l != "host_label" {
            // botocore's json and query serializers put every member in the body, whatever its location.
            cx.unsupported(
                place.clone(),
                format!("location {l}"),
                "an HTTP binding in a protocol that sends every member in the body",
            );
        }
        m.str("location", l);
    }
    // botocore merges a member's keys over its target's: a `locationName` on
    // the target shape names every member that has none of its own.
    let wire = cx
        .string(mo, "locationName", &place)
        .map(str::to_owned)
        .or_else(|| tdef.get("locationName").and_then(Json::as_str).map(str::to_owned));
    if let Some(w) = wire
        && w != name
        && loc != Some("path")
    {
        m.str("wire_name", w);
    }
    m.flag("flattened", cx.boolean(mo, "flattened", &place));
    m.flag("idempotency_token", cx.boolean(mo, "idempotencyToken", &place));
    if let Some(f) = cx.string(mo, "timestampFormat", &place) {
        match timestamp_format(f) {
            Some(t) => m.str("timestamp_format", t),
            None => cx.invalid(place.clone(), format!("unknown timestampFormat `{f}`")),
        }
    }
    m.flag("json_value", cx.boolean(mo, "jsonvalue", &place));
    if let Some(d) = deprecated(cx, mo, &place) {
        m.push("deprecated", Node::Map(d));
    }
    notes.extend(xml_namespace_note(cx, mo, &place));
    m.opt_str("note", join_notes(&notes));
    Some(m)
}

/// A botocore-style service model for one group of botocore's protocol test
/// suites (`protocol-tests/{input,output}/*.json`): the group's `metadata`
/// and `shapes`, and the operations of its cases' `given` (the first
/// definition of each name, in case order). The test metadata has no
/// `endpointPrefix`, so `protocoltest` is filled in (the tests override the
/// endpoint; it names the SigV4 scope).
pub fn protocol_test_service(group: &Json) -> Result<Json, String> {
    let g = group.as_object().ok_or("a protocol test group must be an object")?;
    let mut metadata = g.get("metadata").and_then(Json::as_object).ok_or("the group has no `metadata` object")?.clone();
    if metadata.get("endpointPrefix").is_none() {
        metadata.insert("endpointPrefix", Json::String("protocoltest".into()));
    }
    let shapes = g.get("shapes").cloned().unwrap_or(Json::Object(Object::new()));
    let mut operations = Object::new();
    for case in g.get("cases").and_then(Json::as_array).ok_or("the group has no `cases` array")? {
        let given = case.get("given").ok_or("a case has no `given`")?;
        let name = given.get("name").and_then(Json::as_str).ok_or("a case's `given` has no `name`")?;
        if operations.get(name).is_none() {
            operations.insert(name, given.clone());
        }
    }
    let mut service = Object::new();
    service.insert("metadata", Json::Object(metadata));
    service.insert("operations", Json::Object(operations));
    service.insert("shapes", shapes);
    if let Some(d) = g.get("description") {
        service.insert("documentation", d.clone());
    }
    Ok(Json::Object(service))
}

//! The YAML model format, exactly as written in `models/*.yaml`.
//!
//! These types are the *raw* form: every key a model may use, and nothing else
//! (`deny_unknown_fields` everywhere). They are deliberately loose about which
//! keys go with which shape type, so that `check` can report every misuse at
//! once with a model path, instead of serde stopping at the first.
//!
//! Values that an error may need to point at are wrapped in [`Spanned`] so that
//! the checker can name the line they came from.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_saphyr::Spanned;

/// One model file: one service.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub service: Spanned<Service>,
    /// Documents the facts come from, by a short key (`seed`, `botocore`, ...).
    #[serde(default)]
    pub sources: IndexMap<String, Source>,
    #[serde(default)]
    pub operations: IndexMap<String, Spanned<Operation>>,
    #[serde(default)]
    pub shapes: IndexMap<String, Spanned<Shape>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Path of the document, relative to the repository root.
    pub path: String,
    pub title: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Rust module and cargo feature name (`snake_case`).
    pub name: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub documentation: Option<String>,
    pub api_version: String,
    pub protocol: Spanned<Protocol>,
    pub signing: Spanned<Signing>,
    pub endpoint: Spanned<Endpoint>,
    /// Key into `sources` of the document this service was transcribed from.
    pub source: Spanned<String>,
    /// Values the client supplies rather than the caller (Huawei's `project_id`).
    #[serde(default)]
    pub client_parameters: IndexMap<String, ClientParameter>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub disagreement: Option<String>,
}

/// Protocol facts. Which keys are needed depends on `type`; `check` enforces it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protocol {
    /// `aws-json-1.1`, `aws-query` or `rest-json`.
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    #[serde(default)]
    pub target_prefix: Option<String>,
    #[serde(default)]
    pub json_version: Option<String>,
    #[serde(default)]
    pub xml_namespace: Option<String>,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub disagreement: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signing {
    /// `sigv4` or `huawei-sdk-hmac-sha256`.
    pub scheme: Spanned<String>,
    /// SigV4 signing name (service name in the credential scope).
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// URL template with a `{region}` placeholder.
    pub template: String,
    /// Regions whose name starts with `prefix` use `template` instead (partitions).
    #[serde(default)]
    pub partitions: Vec<Partition>,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partition {
    pub region_prefix: String,
    pub template: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientParameter {
    pub documentation: String,
    /// Header that carries the value on every request, if any.
    #[serde(default)]
    pub header: Option<String>,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    pub documentation: String,
    pub http: Spanned<Http>,
    pub input: Spanned<String>,
    pub output: Spanned<String>,
    #[serde(default)]
    pub errors: Vec<Spanned<String>>,
    /// aws-query only: the element that wraps the output (`<OpResult>`).
    #[serde(default)]
    pub result_wrapper: Option<Spanned<String>>,
    #[serde(default)]
    pub pagination: Option<Spanned<Pagination>>,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub disagreement: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Http {
    pub method: Spanned<String>,
    /// Path template; `{name}` segments are bound to input members (or client parameters).
    pub path: Spanned<String>,
    #[serde(default = "default_success")]
    pub success_status: u16,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
}

fn default_success() -> u16 {
    200
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    pub input_token: Spanned<String>,
    pub output_token: Spanned<String>,
    #[serde(default)]
    pub items: Option<Spanned<String>>,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A shape. `type` decides which of the other keys are allowed (checked by `check`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    /// string, integer, long, boolean, timestamp, structure, list, map, enum
    #[serde(rename = "type")]
    pub kind: Spanned<String>,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub disagreement: Option<String>,
    // string, list, map
    #[serde(default)]
    pub length: Option<Spanned<Length>>,
    // string
    #[serde(default)]
    pub pattern: Option<Spanned<Pattern>>,
    // integer, long
    #[serde(default)]
    pub range: Option<Spanned<Range>>,
    // enum
    #[serde(default)]
    pub values: Option<Vec<Spanned<EnumValue>>>,
    /// enum: whether `validate()` rejects values outside `values`.
    #[serde(default)]
    pub value_check: Option<Spanned<Toggle>>,
    // structure
    #[serde(default)]
    pub members: Option<IndexMap<String, Spanned<Member>>>,
    #[serde(default)]
    pub one_of: Option<Spanned<OneOf>>,
    #[serde(default)]
    pub error: Option<Spanned<ErrorTrait>>,
    // list
    #[serde(default)]
    pub member: Option<Spanned<String>>,
    // map
    #[serde(default)]
    pub key: Option<Spanned<String>>,
    #[serde(default)]
    pub value: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Length {
    #[serde(default)]
    pub min: Option<u64>,
    #[serde(default)]
    pub max: Option<u64>,
    #[serde(default = "yes")]
    pub enforce: bool,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub disagreement: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    /// ECMA-262 syntax, not implicitly anchored (Smithy semantics).
    pub regex: String,
    #[serde(default = "yes")]
    pub enforce: bool,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub disagreement: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default = "yes")]
    pub enforce: bool,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub disagreement: Option<String>,
}

/// A constraint with nothing but its on/off switch and provenance.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Toggle {
    #[serde(default = "yes")]
    pub enforce: bool,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub disagreement: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The value on the wire.
    pub value: String,
    /// Rust variant name, when the derived one reads badly.
    #[serde(default)]
    pub rust_name: Option<String>,
    #[serde(default)]
    pub documentation: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Target shape name.
    pub shape: Spanned<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub documentation: Option<String>,
    /// body (default), path, query or header.
    #[serde(default)]
    pub location: Option<Spanned<String>>,
    /// Wire name for a header or query member, when it differs from the member name.
    #[serde(default)]
    pub location_name: Option<String>,
    /// The service's documented default when the member is left out (documentation only).
    #[serde(default)]
    pub default: Option<String>,
    /// Member-level restriction of an enum to fewer values than its shape lists.
    #[serde(default)]
    pub allowed_values: Option<Spanned<AllowedValues>>,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub disagreement: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowedValues {
    pub values: Vec<String>,
    #[serde(default = "yes")]
    pub enforce: bool,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A conditional requirement: exactly the members of one variant must be given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneOf {
    /// Rust name of the generated enum.
    pub name: String,
    /// Rust field name that holds it in the structure.
    pub field: String,
    pub documentation: String,
    pub variants: Vec<Spanned<OneOfVariant>>,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneOfVariant {
    pub name: String,
    pub documentation: String,
    pub members: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorTrait {
    /// Wire error code. Without one, the error is recognised by `http_status` alone.
    #[serde(default)]
    pub code: Option<String>,
    pub http_status: u16,
    /// `client` or `server`.
    pub fault: Spanned<String>,
    #[serde(default)]
    pub retryable: bool,
    #[serde(default)]
    pub throttling: bool,
    #[serde(default)]
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub disagreement: Option<String>,
}

fn yes() -> bool {
    true
}

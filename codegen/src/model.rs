//! The YAML model format, exactly as written in `models/*.yaml`.
//!
//! These types are the *raw* form: every key a model may use, and nothing else
//! (`deny_unknown_fields` everywhere). They are deliberately loose about which
//! keys go with which shape type, so that `check` can report every misuse at
//! once with a model path, instead of serde stopping at the first.
//!
//! Values that an error may need to point at are wrapped in [`Spanned`] so that
//! the checker can name the line they came from.
//!
//! The format speaks Smithy's data model and the HTTP bindings of the
//! protocols the generator implements (awsJson 1.0 and 1.1, awsQuery, AWS
//! restJson1, Huawei Cloud's REST). Its names follow Smithy's where a Smithy
//! name exists; where botocore's JSON model names a fact differently, the
//! botocore name is given in the comment (the importer, `cargo xtask import
//! botocore`, maps one to the other).
//!
//! Every block that states facts may say where they come from: `source` (a key
//! of the model's `sources`), `note` (how a fact was read or filled) and
//! `disagreement` (where the documentation and the official model differ: the
//! model keeps the documentation's fact and records the other here).

use indexmap::IndexMap;
use serde::Deserialize;
use serde_saphyr::Spanned;

/// Where a block's facts come from, as every block that states facts may say.
#[derive(Debug, Clone, Copy)]
pub struct Provenance<'a> {
    /// A key of the model's `sources`.
    pub source: Option<&'a Spanned<String>>,
    /// How a fact was read or filled.
    pub note: Option<&'a str>,
    /// Where the documentation and the official model differ (the model keeps
    /// the documentation's fact and records the other here).
    pub disagreement: Option<&'a str>,
}

/// A block of facts: its own keys, then `source`, `note` and `disagreement`.
/// The three are declared here once; serde's `flatten` could hold them in one
/// struct, but an unknown key would then be reported at its block's first
/// line rather than its own (and the loader recovers by blanking that line's block).
macro_rules! block {
    ($(#[$doc:meta])* pub struct $name:ident { $($fields:tt)* }) => {
        $(#[$doc])*
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($fields)*
            /// A key of the model's `sources`: the document these facts come from.
            #[serde(default)]
            pub source: Option<Spanned<String>>,
            /// How a fact was read or filled.
            #[serde(default)]
            pub note: Option<String>,
            /// Where the documentation and the official model differ.
            #[serde(default)]
            pub disagreement: Option<String>,
        }

        impl $name {
            /// Where the block's facts come from.
            pub fn provenance(&self) -> Provenance<'_> {
                Provenance { source: self.source.as_ref(), note: self.note.as_deref(), disagreement: self.disagreement.as_deref() }
            }
        }
    };
}

/// A constraint: a [`block!`] with `enforce` (default true); `enforce: false`
/// keeps a published constraint in the documentation without checking it.
macro_rules! constraint {
    ($(#[$doc:meta])* pub struct $name:ident { $($fields:tt)* }) => {
        block! {
            $(#[$doc])*
            pub struct $name {
                $($fields)*
                /// Checked by `validate()` (the default), or only documented.
                #[serde(default = "yes")]
                pub enforce: bool,
            }
        }
    };
}

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
    /// Path of the document, relative to the repository root (or a URL).
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

block! {
    /// Protocol facts. Which keys are needed depends on `type`; `check` enforces it.
    pub struct Protocol {
        /// `aws-json-1.0`, `aws-json-1.1` (both need `target_prefix`), `aws-query`,
        /// `rest-json-1` (AWS restJson1) or `huawei-rest`
        /// (Huawei Cloud: restJson1's bindings, Huawei's error envelope and request id).
        #[serde(rename = "type")]
        pub kind: Spanned<String>,
        /// awsJson: the `X-Amz-Target` prefix (botocore `targetPrefix`).
        #[serde(default)]
        pub target_prefix: Option<String>,
        /// awsJson: must agree with the type's version when given (botocore `jsonVersion`).
        #[serde(default)]
        pub json_version: Option<String>,
        /// awsQuery: the namespace of the service's XML answers (botocore
        /// `xmlNamespace`); documentation, since answers are read by local names
        /// as botocore reads them, and botocore's protocol tests give none.
        #[serde(default)]
        pub xml_namespace: Option<String>,
    }
}

block! {
    pub struct Signing {
        /// `sigv4` or `huawei-sdk-hmac-sha256`.
        pub scheme: Spanned<String>,
        /// SigV4 signing name (service name in the credential scope).
        #[serde(default)]
        pub name: Option<String>,
    }
}

block! {
    pub struct Endpoint {
        /// URL template with a `{region}` placeholder.
        pub template: String,
        /// AWS: the SDKs' service id (botocore's `serviceId`, `Auto Scaling`),
        /// which names the endpoint settings `AWS_ENDPOINT_URL_<ID>` (upper
        /// case, spaces as `_`) and a profile's `services` key (`auto_scaling`).
        #[serde(default)]
        pub service_id: Option<String>,
        /// Regions whose name starts with `prefix` use `template` instead (partitions).
        #[serde(default)]
        pub partitions: Vec<Partition>,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partition {
    pub region_prefix: String,
    pub template: String,
}

block! {
    pub struct ClientParameter {
        pub documentation: String,
        /// Header that carries the value on every request, if any.
        #[serde(default)]
        pub header: Option<String>,
    }
}

block! {
    pub struct Operation {
        pub documentation: String,
        pub http: Spanned<Http>,
        /// A structure; left out, the operation takes no input (Smithy `Unit`).
        #[serde(default)]
        pub input: Option<Spanned<String>>,
        /// A structure; left out, the operation answers nothing but its status.
        #[serde(default)]
        pub output: Option<Spanned<String>>,
        #[serde(default)]
        pub errors: Vec<Spanned<String>>,
        /// aws-query only: the element that wraps the output (`<OpResult>`).
        #[serde(default)]
        pub result_wrapper: Option<Spanned<String>>,
        #[serde(default)]
        pub pagination: Option<Spanned<Pagination>>,
        /// Safe to send again after an answer that may mean it was applied
        /// (Smithy `@idempotent`, or `@readonly`). Only such operations are
        /// retried after a timeout, a broken connection or a 5xx.
        #[serde(default)]
        pub idempotent: bool,
        /// `sigv4` (the service's scheme, the default) or `none`: sent unsigned
        /// (botocore `authtype: none`, e.g. STS `AssumeRoleWithWebIdentity`).
        #[serde(default)]
        pub auth: Option<Spanned<String>>,
        #[serde(default)]
        pub deprecated: Option<Spanned<Deprecated>>,
    }
}

block! {
    pub struct Http {
        pub method: Spanned<String>,
        /// Path template: `{Name}` binds a `location: path` member (or a client
        /// parameter), `{Name+}` a greedy one (slashes kept); a `?k=v&flag` tail
        /// is a literal query sent on every request (botocore `requestUri`).
        pub path: Spanned<String>,
        #[serde(default = "default_success")]
        pub success_status: u16,
        /// A prefix put before the endpoint's host, with `{Name}` bound to
        /// `location: host_label` members (botocore `endpoint.hostPrefix`).
        #[serde(default)]
        pub host_prefix: Option<Spanned<String>>,
    }
}

fn default_success() -> u16 {
    200
}

block! {
    pub struct Pagination {
        pub input_token: Spanned<String>,
        pub output_token: Spanned<String>,
        #[serde(default)]
        pub items: Option<Spanned<String>>,
        /// The input member that sets the page size, if any (botocore `limit_key`).
        #[serde(default)]
        pub page_size: Option<Spanned<String>>,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deprecated {
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub since: Option<String>,
}

block! {
    /// A shape. `type` decides which of the other keys are allowed (checked by `check`).
    pub struct Shape {
        /// boolean, byte, short, integer, long, float, double, big_integer,
        /// big_decimal, string, blob, timestamp, document, enum, int_enum, list,
        /// map, structure, union.
        #[serde(rename = "type")]
        pub kind: Spanned<String>,
        #[serde(default)]
        pub documentation: Option<String>,
        /// Values of this shape are secrets: never printed by `Debug`.
        #[serde(default)]
        pub sensitive: bool,
        #[serde(default)]
        pub deprecated: Option<Spanned<Deprecated>>,
        // string, blob, list, map
        #[serde(default)]
        pub length: Option<Spanned<Length>>,
        // string
        #[serde(default)]
        pub pattern: Option<Spanned<Pattern>>,
        // byte, short, integer, long, float, double, big_integer, big_decimal
        #[serde(default)]
        pub range: Option<Spanned<Range>>,
        // timestamp: epoch-seconds, date-time or http-date (botocore `timestampFormat`:
        // unixTimestamp, iso8601, rfc822); left out, each protocol's default per location.
        #[serde(default)]
        pub format: Option<Spanned<String>>,
        // enum, int_enum
        #[serde(default)]
        pub values: Option<Vec<Spanned<EnumValue>>>,
        /// enum, int_enum: whether `validate()` rejects values outside `values`.
        #[serde(default)]
        pub value_check: Option<Spanned<Toggle>>,
        // structure, union
        #[serde(default)]
        pub members: Option<IndexMap<String, Spanned<Member>>>,
        // structure
        #[serde(default)]
        pub one_of: Option<Spanned<OneOf>>,
        #[serde(default)]
        pub error: Option<Spanned<ErrorTrait>>,
        // list
        #[serde(default)]
        pub member: Option<Spanned<String>>,
        /// list: the element name of its items in query and XML forms (default `member`).
        #[serde(default)]
        pub member_name: Option<String>,
        // map
        #[serde(default)]
        pub key: Option<Spanned<String>>,
        #[serde(default)]
        pub value: Option<Spanned<String>>,
        /// map: element names of an entry's key and value (default `key`, `value`).
        #[serde(default)]
        pub key_name: Option<String>,
        #[serde(default)]
        pub value_name: Option<String>,
        /// list, map: items repeat directly under the member's name, without a wrapper.
        #[serde(default)]
        pub flattened: bool,
    }
}

constraint! {
    pub struct Length {
        #[serde(default)]
        pub min: Option<u64>,
        #[serde(default)]
        pub max: Option<u64>,
    }
}

constraint! {
    pub struct Pattern {
        /// ECMA-262 syntax, not implicitly anchored (Smithy semantics).
        pub regex: String,
    }
}

constraint! {
    pub struct Range {
        /// Whole numbers for the integer types; any number for float, double and big_decimal.
        #[serde(default)]
        pub min: Option<Number>,
        #[serde(default)]
        pub max: Option<Number>,
    }
}

/// A number as written: whole numbers stay exact (an `i64` bound survives).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Number {
    Int(i64),
    Float(f64),
}

constraint! {
    /// A switch with its provenance (`value_check`).
    pub struct Toggle {
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The value on the wire: a string for `enum`, a whole number for `int_enum`.
    pub value: Scalar,
    /// Rust variant name, when the derived one reads badly (needed for `int_enum`).
    #[serde(default)]
    pub rust_name: Option<String>,
    #[serde(default)]
    pub documentation: Option<String>,
    #[serde(default)]
    pub deprecated: Option<Deprecated>,
}

/// A YAML scalar whose type the shape decides (enum values, defaults).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
}

block! {
    pub struct Member {
        /// Target shape name.
        pub shape: Spanned<String>,
        #[serde(default)]
        pub required: bool,
        #[serde(default)]
        pub documentation: Option<String>,
        /// Where the member travels: `body` (the default), `path` (a URI label),
        /// `query`, `query_params` (a map of string or list-of-string values spread
        /// over the query string; botocore `querystring`), `header`, `headers` (a
        /// map whose keys get `wire_name` as a prefix), `payload` (the whole body:
        /// structure, union, document, string or blob), `status_code` (the
        /// answer's HTTP status; botocore `statusCode`), `host_label` (bound into
        /// the operation's `host_prefix`). Non-body locations apply to the
        /// top-level input, output and error structures of REST protocols.
        #[serde(default)]
        pub location: Option<Spanned<String>>,
        /// The name on the wire, when it differs from the member name: the header,
        /// the query key, the label, the JSON key, the XML element or the form key
        /// (botocore `locationName`; Smithy `httpHeader`, `httpQuery`, `jsonName`,
        /// `xmlName`). For `headers` it is the prefix.
        #[serde(default)]
        pub wire_name: Option<String>,
        /// A list or map member written without a wrapper (query and XML forms).
        #[serde(default)]
        pub flattened: bool,
        /// The service's documented value when the member is left out: documented,
        /// and checked against the member's shape (Smithy `@default`).
        #[serde(default)]
        pub default: Option<Spanned<Scalar>>,
        /// Filled with a fresh UUID v4 when the caller leaves it unset.
        #[serde(default)]
        pub idempotency_token: bool,
        /// This member's value overrides its shape's timestamp `format`.
        #[serde(default)]
        pub timestamp_format: Option<Spanned<String>>,
        /// A string member in a header that carries JSON text, base64-encoded
        /// (Smithy `@mediaType("application/json")`; botocore `jsonvalue`).
        #[serde(default)]
        pub json_value: bool,
        #[serde(default)]
        pub sensitive: bool,
        #[serde(default)]
        pub deprecated: Option<Spanned<Deprecated>>,
        /// Member-level restriction of an enum to fewer values than its shape lists.
        #[serde(default)]
        pub allowed_values: Option<Spanned<AllowedValues>>,
    }
}

constraint! {
    pub struct AllowedValues {
        pub values: Vec<String>,
    }
}

block! {
    /// A conditional requirement: exactly the members of one variant must be given.
    pub struct OneOf {
        /// Rust name of the generated enum.
        pub name: String,
        /// Rust field name that holds it in the structure.
        pub field: String,
        pub documentation: String,
        pub variants: Vec<Spanned<OneOfVariant>>,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneOfVariant {
    pub name: String,
    pub documentation: String,
    pub members: Vec<Spanned<String>>,
}

block! {
    pub struct ErrorTrait {
        /// Wire error code. Without one, the error is recognised by `http_status`
        /// alone (Huawei); AWS errors give the shape name, or botocore's
        /// `error.code` where the service sends another code (awsQueryError).
        #[serde(default)]
        pub code: Option<String>,
        pub http_status: u16,
        /// `client` or `server`.
        pub fault: Spanned<String>,
        #[serde(default)]
        pub retryable: bool,
        #[serde(default)]
        pub throttling: bool,
    }
}

fn yes() -> bool {
    true
}

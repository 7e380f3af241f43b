//! The checked, resolved form of a model that emission works from.
//!
//! Everything here is already valid: references are indices, names are Rust
//! identifiers (minted by [`crate::naming`] in the check), patterns are
//! translated, and every protocol-dependent fact that emission needs is
//! decided: each member's wire name, location, timestamp format and whether
//! its Rust type is an `Option`. Emission never has to fail, and never
//! re-derives a fact.

/// Index into [`Service::shapes`].
pub type ShapeId = usize;

#[derive(Debug, Clone)]
pub struct Service {
    /// Module and feature name.
    pub module: String,
    /// Path of the model file, relative to the repository root.
    pub model_path: String,
    pub title: String,
    pub docs: Vec<String>,
    pub api_version: String,
    pub protocol: Protocol,
    pub signing: Signing,
    pub endpoint_template: String,
    pub endpoint_partitions: Vec<(String, String)>,
    /// AWS: the SDKs' service id, naming `AWS_ENDPOINT_URL_<ID>`.
    pub service_id: Option<String>,
    pub client_parameters: Vec<ClientParameter>,
    pub operations: Vec<Operation>,
    pub shapes: Vec<Shape>,
    /// Source documents: (key, path, title).
    pub sources: Vec<(String, String, String)>,
    /// Key of the source the service was transcribed from; facts from others say so.
    pub main_source: String,
    pub provenance: Provenance,
    pub protocol_provenance: Provenance,
    pub signing_provenance: Provenance,
    pub endpoint_provenance: Provenance,
}

/// Where a fact comes from: the `source`, `note` and `disagreement` of its block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    /// A key of the service's sources.
    pub source: Option<String>,
    pub note: Option<String>,
    pub disagreement: Option<String>,
}

/// The wire protocol. Every dispatch on it is an exhaustive `match`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protocol {
    /// awsJson 1.0 or 1.1: `POST /`, `X-Amz-Target`, JSON bodies.
    AwsJson { version: JsonVersion, target_prefix: String },
    /// awsQuery: form-encoded requests, XML answers. The namespace of the
    /// answers is documented (answers are read by local names, as botocore reads them).
    AwsQuery { xml_namespace: Option<String> },
    /// AWS restJson1: HTTP bindings and JSON bodies.
    RestJson1,
    /// Huawei Cloud: restJson1's bindings with Huawei's error envelope and request id.
    HuaweiRest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonVersion {
    V1_0,
    V1_1,
}

impl JsonVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            JsonVersion::V1_0 => "1.0",
            JsonVersion::V1_1 => "1.1",
        }
    }
}

impl Protocol {
    /// Whether members may be bound to the path, query string and headers.
    pub fn has_http_bindings(&self) -> bool {
        match self {
            Protocol::AwsJson { .. } | Protocol::AwsQuery { .. } => false,
            Protocol::RestJson1 | Protocol::HuaweiRest => true,
        }
    }

    /// The format of a timestamp at `location` when the model names none
    /// (Smithy's `timestampFormat` defaults, per protocol and location).
    pub fn default_timestamp_format(&self, location: Location) -> TimestampFormat {
        match location {
            Location::Header | Location::HeaderPrefix => TimestampFormat::HttpDate,
            Location::Label { .. } | Location::Query | Location::QueryParams => TimestampFormat::DateTime,
            Location::Body | Location::Payload | Location::StatusCode => match self {
                Protocol::AwsJson { .. } | Protocol::RestJson1 => TimestampFormat::EpochSeconds,
                Protocol::AwsQuery { .. } | Protocol::HuaweiRest => TimestampFormat::DateTime,
            },
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Protocol::AwsJson { version: JsonVersion::V1_0, .. } => "awsJson 1.0",
            Protocol::AwsJson { version: JsonVersion::V1_1, .. } => "awsJson 1.1",
            Protocol::AwsQuery { .. } => "awsQuery",
            Protocol::RestJson1 => "restJson1",
            Protocol::HuaweiRest => "Huawei REST",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signing {
    SigV4 { name: String },
    HuaweiSdkHmacSha256,
}

#[derive(Debug, Clone)]
pub struct ClientParameter {
    pub name: String,
    pub docs: String,
    pub header: Option<String>,
    pub provenance: Provenance,
}

/// Every Rust name an operation adds to the generated code, minted in the check.
#[derive(Debug, Clone, Default)]
pub struct OperationNames {
    /// Client method (`send_workflow_step_state`, maybe raw).
    pub method: String,
    /// `prepare_<method>`.
    pub prepare: String,
    /// The per-operation error enum.
    pub error_enum: String,
    /// `<method>_pages` and its iterator types, when paginated.
    pub pages_method: String,
    pub pages_type: String,
    pub items_type: String,
    /// The operation's name in snake case (no raw prefix), the base of the private names.
    pub snake: String,
    /// The client's private method that validates (or not) and sends (`call_<snake>`).
    pub call: String,
    /// The operation's static metadata in the client module (`<SNAKE>`).
    pub meta: String,
    /// The codec's request builder and answer reader (`request_<snake>`, `output_<snake>`).
    pub request: String,
    pub output: String,
    /// The CLI's function of the operation (`run_<snake>`).
    pub cli_function: String,
    /// The operation's cargo feature (`<service>-<kebab-case name>`), which
    /// compiles its methods, types, validators, errors and codecs; empty where
    /// the module is emitted whole (test fixtures, whose host crate has none).
    pub feature: String,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// Wire name (`SendWorkflowStepState`).
    pub name: String,
    pub names: OperationNames,
    pub docs: Vec<String>,
    pub http_method: String,
    pub path: Vec<PathPart>,
    /// The literal query of the path template (`?k=v&flag`), in order.
    pub literal_query: Vec<(String, Option<String>)>,
    pub host_prefix: Vec<HostPart>,
    pub success_status: u16,
    /// The input structure (synthesized and empty when the model has none).
    pub input: ShapeId,
    /// Whether the model gives an input (protocols differ on an absent one).
    pub input_modeled: bool,
    pub output: ShapeId,
    pub output_modeled: bool,
    pub errors: Vec<ShapeId>,
    /// awsQuery: the element that holds the output's members (`<OpResult>`),
    /// resolved; `None` for an output without members, read from the document
    /// root as botocore reads it, and for the other protocols.
    pub result_wrapper: Option<String>,
    pub pagination: Option<Pagination>,
    /// Safe to send again after an answer that may mean it was applied.
    pub idempotent: bool,
    /// Sent without a signature.
    pub unsigned: bool,
    pub deprecated: Option<Deprecation>,
    pub provenance: Provenance,
    /// Of the `http` block (method, path, status, host prefix).
    pub http_provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// Index into the input structure's members.
    Label { member: usize, greedy: bool },
    ClientParameter(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPart {
    Literal(String),
    /// Index into the input structure's members (a `host_label`).
    Label(usize),
}

#[derive(Debug, Clone)]
pub struct Pagination {
    /// Member indices in the input and output structures.
    pub input_token: usize,
    pub output_token: usize,
    pub items: Option<usize>,
    pub page_size: Option<usize>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deprecation {
    pub message: Option<String>,
    pub since: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Shape {
    /// Name in the model.
    pub name: String,
    /// Rust type name.
    pub rust_name: String,
    /// The private functions named after the shape, minted in the check.
    pub names: ShapeNames,
    /// The model's documentation, paragraph by paragraph.
    pub docs: Vec<String>,
    pub provenance: Provenance,
    /// Made by the check for an operation that has no input or output.
    pub synthesized: Option<Synthesized>,
    pub kind: ShapeKind,
    /// Rules on the shape's values, in the model's order (length, pattern, range, values).
    pub constraints: Vec<Constraint>,
    /// The operations (indices into `Service::operations`, ascending) whose
    /// input reaches the shape: it gets `validate` and serializers, compiled
    /// when one of their features is on.
    pub input_ops: Vec<usize>,
    /// The operations whose output or errors reach the shape: it gets parsers.
    pub output_ops: Vec<usize>,
    pub sensitive: bool,
    pub deprecated: Option<Deprecation>,
    /// Values can derive `Eq` and `Hash`: no float or document inside.
    pub eq: bool,
}

/// The private functions of a shape, each unique in its module (the check
/// numbers the second of two that would clash). Codec functions are only
/// emitted where the protocol and the shape's use need them.
#[derive(Debug, Clone, Default)]
pub struct ShapeNames {
    /// `validate_<shape>` (types module).
    pub validate: String,
    /// `write_<shape>`, `read_<shape>`: the JSON codec.
    pub json_writer: String,
    pub json_reader: String,
    /// `form_<shape>`, `xml_<shape>`: the awsQuery codec; maps also `xml_<shape>_entry`.
    pub form_writer: String,
    pub xml_reader: String,
    pub xml_entry_reader: String,
    /// Errors: `error_<shape>`, the reader of an error answer's members.
    pub error_reader: String,
}

/// The stand-in structure of an operation without an input or an output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Synthesized {
    Input(String),
    Output(String),
}

#[derive(Debug, Clone)]
pub enum ShapeKind {
    Boolean,
    Number { kind: NumberKind },
    String,
    Blob,
    Timestamp { format: Option<TimestampFormat> },
    Document,
    Enum { values: Vec<EnumValue> },
    IntEnum { values: Vec<IntEnumValue> },
    List { member: ShapeId, member_name: Option<String>, flattened: bool },
    Map { key: ShapeId, value: ShapeId, key_name: Option<String>, value_name: Option<String>, flattened: bool },
    Structure(Structure),
    Union(Structure),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
}

impl NumberKind {
    pub fn is_integer(self) -> bool {
        matches!(self, NumberKind::Byte | NumberKind::Short | NumberKind::Integer | NumberKind::Long)
    }

    pub fn is_float(self) -> bool {
        matches!(self, NumberKind::Float | NumberKind::Double)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    EpochSeconds,
    DateTime,
    HttpDate,
}

/// A rule on values, checked by the generated `validate()` when enforced.
/// Each maps to one kind of the runtime's `Constraint` (and one `Validator` check).
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    pub rule: Rule,
    /// `false`: the model publishes the rule but does not want it checked (`enforce: false`).
    pub enforce: bool,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// How many characters, bytes, elements or entries.
    Length { min: Option<u64>, max: Option<u64>, unit: LengthUnit },
    /// An ECMA-262 pattern that must match somewhere in a string.
    Pattern(Pattern),
    /// Bounds of a number, both inclusive: whole for the integer kinds.
    Range { min: Option<Bound>, max: Option<Bound> },
    /// One of these strings: an enum's values, or a member's allowed values.
    OneOf(Vec<String>),
    /// One of these whole numbers: an int_enum's values.
    IntOneOf(Vec<i32>),
}

/// What a length counts, by the kind of the shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthUnit {
    /// Unicode scalar values of a string.
    Characters,
    Bytes,
    /// Elements of a list.
    Elements,
    /// Entries of a map.
    Entries,
}

impl LengthUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            LengthUnit::Characters => "characters",
            LengthUnit::Bytes => "bytes",
            LengthUnit::Elements => "elements",
            LengthUnit::Entries => "entries",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub ecma: String,
    /// The translation into `regex` syntax ([`crate::pattern::translate`]).
    pub rust: String,
    /// The automaton the generated code matches with; `None` when the
    /// constraint is not enforced (the pattern is then only documented).
    pub automaton: Option<crate::automaton::Automaton>,
    /// The static that holds the automaton (`<SHAPE>_PATTERN`), shared by every
    /// shape with the same enforced pattern.
    pub static_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    Int(i64),
    Float(f64),
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::Int(i) => write!(f, "{i}"),
            Bound::Float(x) => write!(f, "{x}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub value: String,
    pub variant: String,
    pub docs: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct IntEnumValue {
    pub value: i32,
    pub variant: String,
    pub docs: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub members: Vec<Member>,
    pub one_of: Option<OneOf>,
    pub error: Option<ErrorInfo>,
}

impl Structure {
    /// The member bound to the whole body, if any.
    pub fn payload(&self) -> Option<(usize, &Member)> {
        self.members.iter().enumerate().find(|(_, m)| m.location == Location::Payload)
    }

    pub fn body_members(&self) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(|m| m.location == Location::Body)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Body,
    Label { greedy: bool },
    Query,
    QueryParams,
    Header,
    HeaderPrefix,
    Payload,
    StatusCode,
}

#[derive(Debug, Clone)]
pub struct Member {
    /// Member name in the model (the key of the CLI's and serde's JSON form, and of validation paths).
    pub name: String,
    /// The name on the wire at its location (header, query key, label, JSON key, XML element, form key).
    pub wire_name: String,
    /// Rust field name (may be a raw identifier).
    pub field: String,
    /// Rust variant name, for union members.
    pub variant: String,
    pub target: ShapeId,
    /// Required by the model.
    pub required: bool,
    /// Whether the Rust field is `T` (required on the input side) or `Option<T>`.
    pub presence: Presence,
    pub location: Location,
    /// The format of this member's timestamps (its own, its element's or its
    /// value's), resolved from the model and the protocol's default for its location.
    pub timestamp_format: TimestampFormat,
    /// List or map written without a wrapper.
    pub flattened: bool,
    /// Bound into the operation's host prefix as well (Smithy `@hostLabel`:
    /// the member still travels in the body).
    pub host_label: bool,
    /// The field holds a `Box` (the structure contains itself through it).
    pub boxed: bool,
    pub idempotency_token: bool,
    pub json_value: bool,
    pub sensitive: bool,
    pub deprecated: Option<Deprecation>,
    /// The service's value when the member is left out (documented, not sent).
    pub default: Option<DefaultValue>,
    /// The model's documentation, paragraph by paragraph.
    pub docs: Vec<String>,
    pub provenance: Provenance,
    /// Rules of this member beside its shape's: an enum restricted to fewer values (`allowed_values`).
    pub constraints: Vec<Constraint>,
    /// Set when the member belongs to a variant of the structure's `one_of`.
    pub one_of_variant: Option<usize>,
}

/// How a member appears in its Rust structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// `T`: a constructor argument on the input side; when an answer lacks it,
    /// the parser fills in the type's zero value (Smithy's client error correction).
    Required,
    /// `Option<T>`.
    Optional,
}

/// A documented default, typed by the member's shape.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
}

impl std::fmt::Display for DefaultValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DefaultValue::Bool(b) => write!(f, "{b}"),
            DefaultValue::Int(i) => write!(f, "{i}"),
            DefaultValue::Float(x) => write!(f, "{x}"),
            DefaultValue::String(s) => f.write_str(s),
        }
    }
}

#[derive(Debug, Clone)]
pub struct OneOf {
    /// Rust enum name.
    pub name: String,
    /// Rust field name in the structure.
    pub field: String,
    pub docs: Vec<String>,
    pub provenance: Provenance,
    pub variants: Vec<OneOfVariant>,
}

#[derive(Debug, Clone)]
pub struct OneOfVariant {
    pub name: String,
    /// Rust name of its constructor function.
    pub constructor: String,
    pub docs: Vec<String>,
    /// Member indices.
    pub members: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Client,
    Server,
}

#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// Wire code; `None` means the error is recognised by its HTTP status.
    pub code: Option<String>,
    pub http_status: u16,
    pub fault: Fault,
    pub retryable: bool,
    pub throttling: bool,
    /// The string member that carries the error's message (`Message`, `message`),
    /// if the model has one: the error's `message()` reads it, and the reader
    /// fills it from the answer's envelope when the body leaves it out.
    pub message_member: Option<usize>,
    pub provenance: Provenance,
}

impl Shape {
    /// Reachable from an operation input.
    pub fn in_input(&self) -> bool {
        !self.input_ops.is_empty()
    }

    /// Reachable from an operation output or error.
    pub fn in_output(&self) -> bool {
        !self.output_ops.is_empty()
    }

    /// Every operation that reaches the shape either way, ascending.
    pub fn operations(&self) -> Vec<usize> {
        let all: std::collections::BTreeSet<usize> = self.input_ops.iter().chain(&self.output_ops).copied().collect();
        all.into_iter().collect()
    }

    /// The constraints `validate()` checks.
    pub fn enforced(&self) -> impl Iterator<Item = &Constraint> {
        self.constraints.iter().filter(|c| c.enforce)
    }

    /// The shape's pattern, if it has one.
    pub fn pattern(&self) -> Option<&Pattern> {
        self.constraints.iter().find_map(|c| match &c.rule {
            Rule::Pattern(p) => Some(p),
            _ => None,
        })
    }

    pub fn pattern_mut(&mut self) -> Option<&mut Pattern> {
        self.constraints.iter_mut().find_map(|c| match &mut c.rule {
            Rule::Pattern(p) => Some(p),
            _ => None,
        })
    }

    /// An enum whose values `validate()` checks (the model's `value_check`).
    pub fn checks_values(&self) -> bool {
        self.enforced().any(|c| matches!(c.rule, Rule::OneOf(_) | Rule::IntOneOf(_)))
    }
}

impl Service {
    pub fn shape(&self, id: ShapeId) -> &Shape {
        &self.shapes[id]
    }

    /// The members of a structure or union (`check` only lets those be used
    /// where members are needed).
    pub fn structure(&self, id: ShapeId) -> &Structure {
        match &self.shapes[id].kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => s,
            _ => unreachable_structure(),
        }
    }
}

/// `check` only lets structures be used where a structure is required.
fn unreachable_structure() -> &'static Structure {
    static EMPTY: std::sync::OnceLock<Structure> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Structure::default)
}

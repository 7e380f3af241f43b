//! The checked, resolved form of a model that emission works from.
//!
//! Everything here is already valid: references are indices, names are Rust
//! identifiers, patterns are translated. Emission never has to fail.

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
    pub client_parameters: Vec<ClientParameter>,
    pub operations: Vec<Operation>,
    pub shapes: Vec<Shape>,
    /// Source documents: (key, path, title).
    pub sources: Vec<(String, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protocol {
    AwsJson11 { target_prefix: String },
    AwsQuery { xml_namespace: String },
    RestJson,
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
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// Wire name (`SendWorkflowStepState`).
    pub name: String,
    /// Client method name (`send_workflow_step_state`).
    pub method_name: String,
    /// Rust name of the per-operation error enum.
    pub error_enum: String,
    pub docs: Vec<String>,
    pub http_method: String,
    pub path: Vec<PathPart>,
    pub success_status: u16,
    pub input: ShapeId,
    pub output: ShapeId,
    pub errors: Vec<ShapeId>,
    pub result_wrapper: Option<String>,
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// Index into the input structure's members.
    Member(usize),
    ClientParameter(String),
}

#[derive(Debug, Clone)]
pub struct Pagination {
    /// Member indices in the input and output structures.
    pub input_token: usize,
    pub output_token: usize,
    pub items: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Shape {
    /// Name in the model.
    pub name: String,
    /// Rust type name.
    pub rust_name: String,
    /// snake_case name (validator functions, pattern statics), made once here.
    pub snake_name: String,
    pub docs: Vec<String>,
    pub kind: ShapeKind,
    /// Reachable from an operation input (gets `validate`, serializers).
    pub in_input: bool,
    /// Reachable from an operation output or error (gets parsers).
    pub in_output: bool,
}

#[derive(Debug, Clone)]
pub enum ShapeKind {
    String { length: Option<Length>, pattern: Option<Pattern> },
    Integer { range: Option<Range> },
    Long { range: Option<Range> },
    Boolean,
    Timestamp,
    Enum { values: Vec<EnumValue>, check: bool },
    List { member: ShapeId, length: Option<Length> },
    Map { key: ShapeId, value: ShapeId, length: Option<Length> },
    Structure(Structure),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Length {
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub enforce: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub ecma: String,
    /// The translation into `regex` syntax ([`crate::pattern::translate`]).
    pub rust: String,
    /// The automaton the generated code matches with; `None` when the model
    /// says `enforce: false` (the pattern is then only documented).
    pub automaton: Option<crate::automaton::Automaton>,
}

impl Pattern {
    pub fn enforce(&self) -> bool {
        self.automaton.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub enforce: bool,
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub value: String,
    pub variant: String,
    pub docs: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub members: Vec<Member>,
    pub one_of: Option<OneOf>,
    pub error: Option<ErrorInfo>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Body,
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone)]
pub struct Member {
    /// Wire name (also the serde name and the validation path segment).
    pub name: String,
    /// Rust field name (may be a raw identifier).
    pub field: String,
    pub target: ShapeId,
    pub required: bool,
    pub location: Location,
    /// Header or query parameter name.
    pub location_name: String,
    pub docs: Vec<String>,
    pub allowed_values: Option<AllowedValues>,
    /// Set when the member belongs to a variant of the structure's `one_of`.
    pub one_of_variant: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct AllowedValues {
    pub values: Vec<String>,
    pub enforce: bool,
}

#[derive(Debug, Clone)]
pub struct OneOf {
    /// Rust enum name.
    pub name: String,
    /// Rust field name in the structure.
    pub field: String,
    pub docs: Vec<String>,
    pub variants: Vec<OneOfVariant>,
}

#[derive(Debug, Clone)]
pub struct OneOfVariant {
    pub name: String,
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
}

impl Service {
    pub fn shape(&self, id: ShapeId) -> &Shape {
        &self.shapes[id]
    }

    pub fn structure(&self, id: ShapeId) -> &Structure {
        match &self.shapes[id].kind {
            ShapeKind::Structure(s) => s,
            _ => unreachable_structure(),
        }
    }
}

/// `check` only lets structures be used where a structure is required.
fn unreachable_structure() -> &'static Structure {
    static EMPTY: std::sync::OnceLock<Structure> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Structure::default)
}

//! Every name the generated code adds to a service module, minted here from
//! [`crate::naming`] and checked for collisions, so that an odd model (an
//! operation `PrepareFoo` beside `Foo`, an error member `Meta`) is a model
//! error instead of code that does not compile.

use std::collections::{BTreeMap, BTreeSet};

use super::Checker;
use crate::ir::{self, ShapeId, ShapeKind};
use crate::naming;

/// Methods of the generated client besides one set per operation.
const CLIENT_METHODS: &[&str] = &["new", "from_env", "config", "resolve_credentials", "clone"];
/// Methods and fields generated structures have besides their members' fields and setters.
const INPUT_METHODS: &[&str] = &["new", "validate", "validate_at", "builder"];
/// The field outputs keep their request id in.
pub(crate) const REQUEST_ID_FIELD: &str = "meta_request_id";
/// The field error structures keep the answer's code, message and status in.
pub(crate) const ERROR_META_FIELD: &str = "meta";

/// Names taken in one namespace, each with what took it, for the message.
#[derive(Default)]
struct Namespace {
    taken: BTreeMap<String, String>,
}

impl Namespace {
    /// Claims `name` for `what`; the earlier claimant when it was taken.
    fn claim(&mut self, name: &str, what: String) -> Option<String> {
        match self.taken.get(name) {
            Some(other) => Some(other.clone()),
            None => {
                self.taken.insert(name.to_owned(), what);
                None
            }
        }
    }
}

impl Checker<'_> {
    pub(super) fn names(&mut self, module: &str, shapes: &mut [ir::Shape], ops: &mut [ir::Operation]) {
        // Types the operations add are `{Op}Error`, `{Op}Pages`, `{Op}Items`; where a
        // shape already has that name (botocore has `LaunchInstancesError`, a
        // structure), `{Op}OperationError` and so on. A clash left after that is reported.
        let shape_types: BTreeSet<String> = shapes
            .iter()
            .filter(|s| {
                matches!(
                    s.kind,
                    ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Enum { .. } | ShapeKind::IntEnum { .. }
                )
            })
            .map(|s| s.rust_name.clone())
            .collect();
        let free = |camel: &str, suffix: &str| {
            let plain = format!("{camel}{suffix}");
            if shape_types.contains(&plain) { format!("{camel}Operation{suffix}") } else { plain }
        };
        // Each operation's own method comes first; a derived name (`prepare_foo`,
        // `foo_pages`) that another operation's method already is takes a longer form.
        let methods: BTreeSet<String> = ops.iter().map(|o| naming::field_ident(&o.name).trim_start_matches("r#").to_owned()).collect();
        let derived = |plain: String, longer: String| if methods.contains(&plain) { longer } else { plain };
        for op in ops.iter_mut() {
            let snake = naming::snake(&op.name);
            let camel = naming::type_ident(&op.name);
            op.names = ir::OperationNames {
                method: naming::field_ident(&op.name),
                prepare: derived(format!("prepare_{snake}"), format!("prepare_{snake}_request")),
                error_enum: free(&camel, "Error"),
                pages_method: derived(format!("{snake}_pages"), format!("{snake}_paginator")),
                pages_type: free(&camel, "Pages"),
                items_type: free(&camel, "Items"),
                snake,
                ..Default::default()
            };
        }
        self.type_names(shapes, ops);
        self.client_names(ops);
        self.field_names(shapes, ops);
        private_names(module, shapes, ops);
    }

    /// Types of the module: shapes, one_of enums, error enums, paginators.
    fn type_names(&mut self, shapes: &[ir::Shape], ops: &[ir::Operation]) {
        let mut types = Namespace::default();
        for s in shapes {
            let path = format!("shapes.{}", s.name);
            let at = self.shape_line(&s.name);
            if matches!(
                s.kind,
                ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Enum { .. } | ShapeKind::IntEnum { .. }
            ) && let Some(other) = types.claim(&s.rust_name, format!("shape `{}`", s.name))
            {
                self.err(at, path.clone(), format!("{other} and shape `{}` both become the Rust type `{}`", s.name, s.rust_name));
            }
            if let ShapeKind::Structure(st) = &s.kind
                && let Some(o) = &st.one_of
                && let Some(other) = types.claim(&o.name, format!("the one_of of `{}`", s.name))
            {
                self.err(at, format!("{path}.one_of"), format!("{other} and the one_of of `{}` both become the Rust type `{}`", s.name, o.name));
            }
        }
        for o in ops {
            let at = self.model.operations.get(&o.name).and_then(super::line);
            let mut names = vec![(o.names.error_enum.clone(), "the error enum")];
            if o.pagination.is_some() {
                names.push((o.names.pages_type.clone(), "the paginator"));
                names.push((o.names.items_type.clone(), "the item iterator"));
            }
            for (name, role) in names {
                let what = format!("{role} of operation `{}`", o.name);
                if let Some(other) = types.claim(&name, what.clone()) {
                    self.err(at, format!("operations.{}", o.name), format!("{other} and {what} both become the Rust type `{name}`"));
                }
            }
        }
    }

    /// Methods of the client: each operation's call, `prepare_` and `_pages`.
    fn client_names(&mut self, ops: &[ir::Operation]) {
        let mut methods = Namespace::default();
        for m in CLIENT_METHODS {
            methods.claim(m, format!("the client's own method `{m}`"));
        }
        let mut snakes = Namespace::default();
        for o in ops {
            let at = self.model.operations.get(&o.name).and_then(super::line);
            let path = format!("operations.{}", o.name);
            if let Some(other) = snakes.claim(&o.names.snake, format!("operation `{}`", o.name)) {
                self.err(at, &path, format!("{other} and operation `{}` both become the method `{}`", o.name, o.names.method));
                continue;
            }
            let mut names = vec![o.names.method.trim_start_matches("r#").to_owned(), o.names.prepare.clone()];
            if o.pagination.is_some() {
                names.push(o.names.pages_method.clone());
            }
            for name in names {
                let what = format!("a method of operation `{}`", o.name);
                if let Some(other) = methods.claim(&name, what.clone()) {
                    self.err(at, &path, format!("{other} and {what} both become the client method `{name}`"));
                }
            }
        }
    }

    /// Fields of each structure: members, the one_of field, and the fields and
    /// methods the generated code adds to inputs, outputs and errors (a member
    /// named like one of those gets a `_value` suffix, as a type named like a
    /// prelude type does); and the wire names of each structure's members, which must differ.
    fn field_names(&mut self, shapes: &mut [ir::Shape], ops: &[ir::Operation]) {
        for (id, s) in shapes.iter_mut().enumerate() {
            let generated = generated_names(s, id, ops);
            let ShapeKind::Structure(st) = &mut s.kind else { continue };
            for m in &mut st.members {
                let field = m.field.trim_start_matches("r#");
                if generated.taken.contains_key(field) {
                    m.field = format!("{field}_value");
                }
            }
        }
        for (id, s) in shapes.iter().enumerate() {
            let ShapeKind::Structure(st) = &s.kind else { continue };
            let mut fields = generated_names(s, id, ops);
            let mut wire = Namespace::default();
            for m in &st.members {
                let at = self
                    .model
                    .shapes
                    .get(&s.name)
                    .and_then(|raw| raw.value.members.as_ref().and_then(|ms| ms.get(&m.name)).and_then(super::line));
                let path = format!("shapes.{}.members.{}", s.name, m.name);
                let what = format!("member `{}`", m.name);
                match fields.claim(m.field.trim_start_matches("r#"), what.clone()) {
                    Some(other) if other.starts_with("member `") => {
                        let other = other.trim_start_matches("member ");
                        self.err(at, &path, format!("members {other} and `{}` both become the Rust field `{}`", m.name, m.field));
                    }
                    Some(other) => {
                        self.err(at, &path, format!("{other} and {what} both become the Rust name `{}`", m.field));
                    }
                    None => {}
                }
                let slot = format!("{:?} {}", m.location, m.wire_name);
                if m.location != ir::Location::Payload
                    && m.location != ir::Location::StatusCode
                    && let Some(other) = wire.claim(&slot, what.clone())
                {
                    self.err(at, &path, format!("{other} and {what} are both sent as `{}`", m.wire_name));
                }
            }
        }
        for s in shapes {
            let ShapeKind::Union(u) = &s.kind else { continue };
            let mut variants = Namespace::default();
            variants.claim("Unknown", "the variant for members the model does not list".into());
            for m in &u.members {
                if let Some(other) = variants.claim(&m.variant, format!("member `{}`", m.name)) {
                    self.err(
                        self.shape_line(&s.name),
                        format!("shapes.{}.members.{}", s.name, m.name),
                        format!("{other} and member `{}` both become the variant `{}`", m.name, m.variant),
                    );
                }
            }
        }
    }
}

/// The fields and methods the generated code adds to structure `s` (shape `id`).
fn generated_names(s: &ir::Shape, id: ShapeId, ops: &[ir::Operation]) -> Namespace {
    let mut generated = Namespace::default();
    let ShapeKind::Structure(st) = &s.kind else { return generated };
    if st.error.is_some() {
        generated.claim(ERROR_META_FIELD, "the error's answer metadata".into());
    }
    if ops.iter().any(|o| o.output == id) {
        generated.claim(REQUEST_ID_FIELD, "the answer's request id".into());
    }
    if s.in_input() {
        for m in INPUT_METHODS {
            generated.claim(m, format!("the generated method `{m}`"));
        }
    }
    if let Some(o) = &st.one_of {
        generated.claim(&o.field, "the one_of field".into());
    }
    generated
}

/// The names of one Rust namespace that the generated code keeps private: a
/// name already taken gets a number (`_2`, `_3`), since nothing outside the
/// module sees it (botocore has both `RoleARN` and `RoleArn`; an operation
/// `CallFoo` beside `Foo` would make `call_foo` twice).
#[derive(Default)]
struct Minter {
    taken: BTreeSet<String>,
}

impl Minter {
    fn reserving<'a>(names: impl IntoIterator<Item = &'a str>) -> Minter {
        Minter { taken: names.into_iter().map(str::to_owned).collect() }
    }

    fn mint(&mut self, base: String) -> String {
        if self.taken.insert(base.clone()) {
            return base;
        }
        let mut n = 2;
        loop {
            let candidate = format!("{base}_{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// The private functions and statics of each module, per operation and per
/// shape: the client's `call_` methods and operation statics, the codecs, the
/// validators and pattern tables, the CLI's functions. Shapes with the same
/// enforced pattern share one table.
fn private_names(module: &str, shapes: &mut [ir::Shape], ops: &mut [ir::Operation]) {
    let mut client_methods = Minter::reserving(CLIENT_METHODS.iter().copied());
    for o in ops.iter() {
        client_methods.taken.insert(o.names.method.trim_start_matches("r#").to_owned());
        client_methods.taken.insert(o.names.prepare.clone());
        client_methods.taken.insert(o.names.pages_method.clone());
    }
    let mut client_statics = Minter::reserving(["SERVICE"]);
    let mut codec = Minter::default();
    let mut cli = Minter::reserving(["api", "cli", "SERVICE"]);
    for o in ops.iter_mut() {
        let snake = o.names.snake.clone();
        o.names.call = client_methods.mint(format!("call_{snake}"));
        o.names.meta = client_statics.mint(snake.to_uppercase());
        o.names.request = codec.mint(format!("request_{snake}"));
        o.names.output = codec.mint(format!("output_{snake}"));
        o.names.cli_function = cli.mint(format!("run_{snake}"));
        o.names.feature = format!("{module}-{}", snake.replace('_', "-"));
    }
    let mut types = Minter::default();
    let mut patterns: BTreeMap<(String, bool), String> = BTreeMap::new();
    for s in shapes.iter_mut() {
        let snake = naming::snake(&s.name);
        let is_map = matches!(s.kind, ShapeKind::Map { .. });
        let is_error = matches!(&s.kind, ShapeKind::Structure(st) if st.error.is_some());
        s.names = ir::ShapeNames {
            validate: types.mint(format!("validate_{snake}")),
            json_writer: codec.mint(format!("write_{snake}")),
            json_reader: codec.mint(format!("read_{snake}")),
            form_writer: codec.mint(format!("form_{snake}")),
            xml_reader: codec.mint(format!("xml_{snake}")),
            xml_entry_reader: if is_map { codec.mint(format!("xml_{snake}_entry")) } else { String::new() },
            error_reader: if is_error { codec.mint(format!("error_{snake}")) } else { String::new() },
        };
        if let Some(p) = s.pattern_mut() {
            let key = (p.ecma.clone(), p.automaton.is_some());
            p.static_name = patterns.entry(key).or_insert_with(|| types.mint(format!("{}_PATTERN", snake.to_uppercase()))).clone();
        }
    }
}

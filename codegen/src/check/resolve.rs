//! What follows from where shapes are used: reachability, the HTTP bindings
//! each protocol allows, which members are `Option`, the timestamp format of
//! each member, `Eq`, and boxes for recursive structures.

use std::collections::BTreeSet;

use super::shapes::timestamp_format;
use super::{Checker, line};
use crate::ir::{self, Location, NumberKind, Presence, ShapeId, ShapeKind};

/// The shapes a value of `id` directly holds.
fn children(kind: &ShapeKind) -> Vec<ShapeId> {
    match kind {
        ShapeKind::Structure(s) | ShapeKind::Union(s) => s.members.iter().map(|m| m.target).collect(),
        ShapeKind::List { member, .. } => vec![*member],
        ShapeKind::Map { key, value, .. } => vec![*key, *value],
        _ => vec![],
    }
}

pub(super) fn reachability(shapes: &mut [ir::Shape], ops: &[ir::Operation]) {
    // Per operation and direction: the gates of the per-operation features.
    fn walk(shapes: &mut [ir::Shape], roots: Vec<ShapeId>, index: usize, input: bool) {
        let mut stack = roots;
        while let Some(id) = stack.pop() {
            let reached = if input { &mut shapes[id].input_ops } else { &mut shapes[id].output_ops };
            if reached.last() != Some(&index) {
                reached.push(index);
                stack.extend(children(&shapes[id].kind));
            }
        }
    }
    for (index, op) in ops.iter().enumerate() {
        walk(shapes, vec![op.input], index, true);
        walk(shapes, [op.output].into_iter().chain(op.errors.iter().copied()).collect(), index, false);
    }
}

/// Required members are the constructor's arguments on the input side; in
/// answers they may be missing, so output-only structures hold `Option`s. A
/// structure used both ways keeps `T`, and its parser fills in zero values.
pub(super) fn presence(shapes: &mut [ir::Shape]) {
    for shape in shapes.iter_mut() {
        let in_input = shape.in_input();
        if let ShapeKind::Structure(st) = &mut shape.kind {
            for m in &mut st.members {
                let required = m.required
                    && in_input
                    && !m.idempotency_token
                    && m.one_of_variant.is_none()
                    && m.location != Location::StatusCode;
                m.presence = if required { Presence::Required } else { Presence::Optional };
            }
        }
    }
}

/// The member that carries an error's message: a string member named `message` in any case.
pub(super) fn error_messages(shapes: &mut [ir::Shape]) {
    let is_string: Vec<bool> = shapes.iter().map(|s| matches!(s.kind, ShapeKind::String)).collect();
    for shape in shapes.iter_mut() {
        if let ShapeKind::Structure(st) = &mut shape.kind
            && let Some(error) = &mut st.error
        {
            error.message_member = st
                .members
                .iter()
                .position(|m| m.name.eq_ignore_ascii_case("message") && is_string[m.target] && !m.boxed && m.location == Location::Body);
        }
    }
}

/// A shape holds no float and no document, so its values can be `Eq` and `Hash`.
pub(super) fn eq(shapes: &mut [ir::Shape]) {
    for s in shapes.iter_mut() {
        s.eq = !matches!(
            s.kind,
            ShapeKind::Document | ShapeKind::Number { kind: NumberKind::Float | NumberKind::Double, .. }
        );
    }
    loop {
        let mut changed = false;
        for i in 0..shapes.len() {
            if shapes[i].eq && children(&shapes[i].kind).iter().any(|&c| !shapes[c].eq) {
                shapes[i].eq = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// A member holds its structure in a `Box` when that structure leads back to
/// the one holding the member through structure and union members alone
/// (lists and maps allocate already).
pub(super) fn boxes(shapes: &mut [ir::Shape]) {
    let direct = |shapes: &[ir::Shape], id: ShapeId| -> Vec<ShapeId> {
        match &shapes[id].kind {
            ShapeKind::Structure(s) | ShapeKind::Union(s) => s
                .members
                .iter()
                .map(|m| m.target)
                .filter(|&t| matches!(shapes[t].kind, ShapeKind::Structure(_) | ShapeKind::Union(_)))
                .collect(),
            _ => vec![],
        }
    };
    let leads_to = |shapes: &[ir::Shape], from: ShapeId, to: ShapeId| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(id) = stack.pop() {
            if id == to {
                return true;
            }
            if seen.insert(id) {
                stack.extend(direct(shapes, id));
            }
        }
        false
    };
    for id in 0..shapes.len() {
        let targets: Vec<ShapeId> = direct(shapes, id);
        let boxed: Vec<bool> = targets.iter().map(|&t| leads_to(shapes, t, id)).collect();
        if let ShapeKind::Structure(s) | ShapeKind::Union(s) = &mut shapes[id].kind {
            let mut flags = boxed.into_iter();
            for m in s.members.iter_mut() {
                // `direct` lists exactly the structure and union members, in order.
                if targets.contains(&m.target) {
                    m.boxed = flags.next().unwrap_or(false);
                }
            }
        }
    }
}

impl Checker<'_> {
    /// A structure that requires itself (through required members only) has no
    /// finite value: one member on the way must be optional.
    pub(super) fn required_cycles(&mut self, shapes: &[ir::Shape]) {
        let required = |id: ShapeId| -> Vec<ShapeId> {
            match &shapes[id].kind {
                ShapeKind::Structure(s) => {
                    s.members.iter().filter(|m| m.presence == Presence::Required).map(|m| m.target).collect()
                }
                _ => vec![],
            }
        };
        for (id, shape) in shapes.iter().enumerate() {
            let mut seen = BTreeSet::new();
            let mut stack = required(id);
            while let Some(next) = stack.pop() {
                if next == id {
                    let name = &shape.name;
                    self.err(
                        self.shape_line(name),
                        format!("shapes.{name}"),
                        "this structure requires itself through required members; one of them must be optional",
                    );
                    break;
                }
                if seen.insert(next) {
                    stack.extend(required(next));
                }
            }
        }
    }
}

/// Where a structure is used at the top of an operation.
#[derive(Default, Clone, Copy)]
struct Roles {
    input: bool,
    output: bool,
    error: bool,
}

impl Checker<'_> {
    /// Each member's timestamp format: its own, else its shape's (or its
    /// element's), else the protocol's default for its location.
    pub(super) fn timestamp_formats(&mut self, protocol: &ir::Protocol, shapes: &mut [ir::Shape]) {
        let model = self.model;
        for id in 0..shapes.len() {
            let Some((_, raw_shape)) = model.shapes.get_index(id) else { continue };
            let formats: Vec<ir::TimestampFormat> = match &shapes[id].kind {
                ShapeKind::Structure(s) | ShapeKind::Union(s) => s
                    .members
                    .iter()
                    .map(|m| {
                        let own = raw_shape
                            .value
                            .members
                            .as_ref()
                            .and_then(|ms| ms.get(&m.name))
                            .and_then(|rm| rm.value.timestamp_format.as_ref())
                            .and_then(|f| timestamp_format(&f.value));
                        let element = match &shapes[m.target].kind {
                            ShapeKind::List { member, .. } => *member,
                            ShapeKind::Map { value, .. } => *value,
                            _ => m.target,
                        };
                        let of_shape = match &shapes[element].kind {
                            ShapeKind::Timestamp { format } => *format,
                            _ => None,
                        };
                        own.or(of_shape).unwrap_or_else(|| protocol.default_timestamp_format(m.location))
                    })
                    .collect(),
                _ => continue,
            };
            if let ShapeKind::Structure(s) | ShapeKind::Union(s) = &mut shapes[id].kind {
                for (m, f) in s.members.iter_mut().zip(formats) {
                    m.timestamp_format = f;
                }
            }
        }
    }

    /// The HTTP bindings: which locations a protocol allows, on which
    /// structures, for which shapes; greedy labels marked from the path.
    pub(super) fn bindings(&mut self, protocol: &ir::Protocol, shapes: &mut [ir::Shape], ops: &[ir::Operation]) {
        let mut roles = vec![Roles::default(); shapes.len()];
        for op in ops {
            roles[op.input].input = true;
            roles[op.output].output = true;
            for &e in &op.errors {
                roles[e].error = true;
            }
            for part in &op.path {
                if let ir::PathPart::Label { member, greedy: true } = part
                    && let ShapeKind::Structure(st) = &mut shapes[op.input].kind
                {
                    st.members[*member].location = Location::Label { greedy: true };
                }
            }
        }
        let nested: BTreeSet<ShapeId> = shapes
            .iter()
            .flat_map(|s| match &s.kind {
                ShapeKind::Structure(st) | ShapeKind::Union(st) => st.members.iter().map(|m| m.target).collect(),
                ShapeKind::List { member, .. } => vec![*member],
                ShapeKind::Map { value, .. } => vec![*value],
                _ => vec![],
            })
            .collect();
        for id in 0..shapes.len() {
            let ShapeKind::Structure(st) = &shapes[id].kind else { continue };
            let shape_name = shapes[id].name.clone();
            let role = roles[id];
            let top = role.input || role.output || role.error;
            let mut payloads = 0;
            let mut body = 0;
            for m in &st.members {
                let path = format!("shapes.{shape_name}.members.{}", m.name);
                let at = self.model.shapes.get(&shape_name).and_then(|s| {
                    s.value.members.as_ref().and_then(|ms| ms.get(&m.name)).and_then(line)
                });
                let at = at.or_else(|| self.shape_line(&shape_name));
                if m.host_label {
                    if !role.input || nested.contains(&id) {
                        self.err(at, format!("{path}.location"), "a `host_label` member belongs to an operation's input");
                    } else if !matches!(shapes[m.target].kind, ShapeKind::String | ShapeKind::Enum { .. }) {
                        self.err(at, format!("{path}.shape"), "a host label is a string");
                    }
                }
                if m.location == Location::Body {
                    body += 1;
                    continue;
                }
                if m.location == Location::Payload {
                    payloads += 1;
                }
                if !protocol.has_http_bindings() {
                    self.err(
                        at,
                        format!("{path}.location"),
                        format!("{} sends every member in the body; expected no `location`", protocol.name()),
                    );
                    continue;
                }
                if !top || nested.contains(&id) {
                    self.err(
                        at,
                        format!("{path}.location"),
                        "HTTP bindings apply to the top-level input, output and error structures only; this structure is also used inside another",
                    );
                    continue;
                }
                if let Some(why) = binding_shape_problem(shapes, m) {
                    self.err(at, format!("{path}.shape"), why);
                }
            }
            if payloads > 1 {
                self.err(self.shape_line(&shape_name), format!("shapes.{shape_name}"), "at most one member can be the `payload`");
            }
            if payloads == 1 && body > 0 {
                self.err(
                    self.shape_line(&shape_name),
                    format!("shapes.{shape_name}"),
                    "with a `payload` member, every other member must be bound to the path, query or headers",
                );
            }
        }
    }
}

/// Why member `m`'s shape cannot travel at its location, if it cannot.
fn binding_shape_problem(shapes: &[ir::Shape], m: &ir::Member) -> Option<String> {
    let scalar = |id: ShapeId| {
        matches!(
            shapes[id].kind,
            ShapeKind::Boolean
                | ShapeKind::Number { .. }
                | ShapeKind::String
                | ShapeKind::Timestamp { .. }
                | ShapeKind::Enum { .. }
                | ShapeKind::IntEnum { .. }
        )
    };
    let string = |id: ShapeId| matches!(shapes[id].kind, ShapeKind::String | ShapeKind::Enum { .. });
    let list_of = |id: ShapeId, ok: &dyn Fn(ShapeId) -> bool| match &shapes[id].kind {
        ShapeKind::List { member, .. } => ok(*member),
        _ => false,
    };
    let t = m.target;
    let ok = match m.location {
        Location::Body => true,
        Location::Label { .. } => scalar(t),
        Location::Query | Location::Header => scalar(t) || list_of(t, &scalar),
        Location::QueryParams => match &shapes[t].kind {
            ShapeKind::Map { key, value, .. } => string(*key) && (string(*value) || list_of(*value, &string)),
            _ => false,
        },
        Location::HeaderPrefix => match &shapes[t].kind {
            ShapeKind::Map { key, value, .. } => string(*key) && string(*value),
            _ => false,
        },
        Location::Payload => matches!(
            shapes[t].kind,
            ShapeKind::Structure(_)
                | ShapeKind::Union(_)
                | ShapeKind::Document
                | ShapeKind::String
                | ShapeKind::Enum { .. }
                | ShapeKind::Blob
        ),
        Location::StatusCode => matches!(shapes[t].kind, ShapeKind::Number { kind: NumberKind::Integer, .. }),
    };
    let what = match m.location {
        Location::Body => "",
        Location::Label { .. } => "a path label holds a boolean, number, string, enum or timestamp",
        Location::Query => "a query parameter holds a scalar or a list of scalars",
        Location::Header => "a header holds a scalar or a list of scalars",
        Location::QueryParams => "`query_params` is a map of strings to strings or lists of strings",
        Location::HeaderPrefix => "`headers` is a map of strings to strings",
        Location::Payload => "a payload is a structure, union, document, string, enum or blob",
        Location::StatusCode => "a status code is an integer member",
    };
    (!ok).then(|| format!("shape `{}` cannot be used here: {what}", shapes[t].name))
}

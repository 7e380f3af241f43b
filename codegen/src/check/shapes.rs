//! Each shape on its own: its kind, constraints, enum values and members.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use serde_saphyr::Spanned;

use super::{Checker, deprecation, docs, line};
use crate::ir::{self, Location, NumberKind, ShapeKind};
use crate::model as raw;
use crate::naming;
use crate::{automaton, pattern};

const SHAPE_TYPES: &[&str] = &[
    "boolean",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "big_integer",
    "big_decimal",
    "string",
    "blob",
    "timestamp",
    "document",
    "enum",
    "int_enum",
    "list",
    "map",
    "structure",
    "union",
];

const LOCATIONS: &[&str] =
    &["body", "path", "query", "query_params", "header", "headers", "payload", "status_code", "host_label"];

/// Keys a shape of each type may use besides the common ones.
fn allowed_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "string" => &["length", "pattern"],
        "blob" => &["length"],
        "byte" | "short" | "integer" | "long" | "float" | "double" | "big_integer" | "big_decimal" => &["range"],
        "timestamp" => &["format"],
        "enum" | "int_enum" => &["values", "value_check"],
        "list" => &["member", "member_name", "length", "flattened"],
        "map" => &["key", "value", "key_name", "value_name", "length", "flattened"],
        "structure" => &["members", "one_of", "error"],
        "union" => &["members"],
        _ => &[],
    }
}

fn number_kind(kind: &str) -> Option<NumberKind> {
    Some(match kind {
        "byte" => NumberKind::Byte,
        "short" => NumberKind::Short,
        "integer" => NumberKind::Integer,
        "long" => NumberKind::Long,
        "float" => NumberKind::Float,
        "double" => NumberKind::Double,
        "big_integer" => NumberKind::BigInteger,
        "big_decimal" => NumberKind::BigDecimal,
        _ => return None,
    })
}

/// The inclusive bounds of an integer kind.
pub(super) fn integer_bounds(kind: NumberKind) -> Option<(i64, i64)> {
    Some(match kind {
        NumberKind::Byte => (i8::MIN.into(), i8::MAX.into()),
        NumberKind::Short => (i16::MIN.into(), i16::MAX.into()),
        NumberKind::Integer => (i32::MIN.into(), i32::MAX.into()),
        NumberKind::Long => (i64::MIN, i64::MAX),
        _ => return None,
    })
}

pub(super) fn timestamp_format(text: &str) -> Option<ir::TimestampFormat> {
    Some(match text {
        "epoch-seconds" => ir::TimestampFormat::EpochSeconds,
        "date-time" => ir::TimestampFormat::DateTime,
        "http-date" => ir::TimestampFormat::HttpDate,
        _ => return None,
    })
}

impl Checker<'_> {
    pub(super) fn shapes(&mut self) -> Vec<ir::Shape> {
        let m = self.model;
        let mut out = Vec::with_capacity(m.shapes.len());
        for (name, shape) in &m.shapes {
            let path = format!("shapes.{name}");
            let s = &shape.value;
            let provenance = self.provenance(s.provenance(), &path);
            let kind = s.kind.value.as_str();
            if !SHAPE_TYPES.contains(&kind) {
                self.err(
                    line(&s.kind),
                    format!("{path}.type"),
                    format!("unknown shape type `{kind}`; expected one of {}", SHAPE_TYPES.join(", ")),
                );
            } else {
                self.misplaced_keys(shape, kind, &path);
            }
            let kind = self.shape_kind(s, &path).unwrap_or(ShapeKind::Boolean);
            let constraints = self.constraints(s, &kind, &path);
            out.push(ir::Shape {
                name: name.clone(),
                rust_name: naming::type_ident(name),
                names: Default::default(),
                docs: docs(s.documentation.as_deref()),
                provenance,
                synthesized: None,
                kind,
                constraints,
                input_ops: Vec::new(),
                output_ops: Vec::new(),
                sensitive: s.sensitive,
                deprecated: deprecation(&s.deprecated),
                eq: true,
            });
        }
        out
    }

    /// Keys that do not belong to a shape of this type.
    fn misplaced_keys(&mut self, shape: &Spanned<raw::Shape>, kind: &str, path: &str) {
        let s = &shape.value;
        let present: [(&str, bool); 13] = [
            ("length", s.length.is_some()),
            ("pattern", s.pattern.is_some()),
            ("range", s.range.is_some()),
            ("format", s.format.is_some()),
            ("values", s.values.is_some()),
            ("value_check", s.value_check.is_some()),
            ("members", s.members.is_some()),
            ("one_of", s.one_of.is_some()),
            ("error", s.error.is_some()),
            ("member", s.member.is_some() || s.member_name.is_some()),
            ("key", s.key.is_some() || s.value.is_some() || s.key_name.is_some() || s.value_name.is_some()),
            ("flattened", s.flattened),
            ("member_name", false),
        ];
        let allowed = allowed_keys(kind);
        for (key, is_present) in present {
            if is_present && !allowed.contains(&key) {
                let what = if allowed.is_empty() { "none".to_owned() } else { allowed.join(", ") };
                self.err(
                    line(shape),
                    format!("{path}.{key}"),
                    format!("`{key}` does not apply to a shape of type {kind} (it may use: {what})"),
                );
            }
        }
    }

    /// The shape's constraints, in one order: length, pattern, range, values.
    /// (A key that does not apply to the shape's type is reported by `misplaced_keys`.)
    fn constraints(&mut self, s: &raw::Shape, kind: &ShapeKind, path: &str) -> Vec<ir::Constraint> {
        let mut out = Vec::new();
        let unit = match kind {
            ShapeKind::String => Some(ir::LengthUnit::Characters),
            ShapeKind::Blob => Some(ir::LengthUnit::Bytes),
            ShapeKind::List { .. } => Some(ir::LengthUnit::Elements),
            ShapeKind::Map { .. } => Some(ir::LengthUnit::Entries),
            _ => None,
        };
        if let (Some(l), Some(unit)) = (&s.length, unit) {
            out.extend(self.length(l, unit, path));
        }
        if let (Some(p), ShapeKind::String) = (&s.pattern, kind) {
            out.extend(self.pattern(p, path));
        }
        if let (Some(r), ShapeKind::Number { kind }) = (&s.range, kind) {
            out.extend(self.range(r, *kind, path));
        }
        let (enforce, provenance) = match &s.value_check {
            Some(t) => (t.value.enforce, self.provenance(t.value.provenance(), &format!("{path}.value_check"))),
            None => (true, ir::Provenance::default()),
        };
        match kind {
            ShapeKind::Enum { values } => {
                let rule = ir::Rule::OneOf(values.iter().map(|v| v.value.clone()).collect());
                out.push(ir::Constraint { rule, enforce, provenance });
            }
            ShapeKind::IntEnum { values } => {
                let rule = ir::Rule::IntOneOf(values.iter().map(|v| v.value).collect());
                out.push(ir::Constraint { rule, enforce, provenance });
            }
            _ => {}
        }
        out
    }

    fn length(&mut self, l: &Spanned<raw::Length>, unit: ir::LengthUnit, path: &str) -> Option<ir::Constraint> {
        let provenance = self.provenance(l.value.provenance(), &format!("{path}.length"));
        let (min, max) = (l.value.min, l.value.max);
        if let (Some(a), Some(b)) = (min, max)
            && a > b
        {
            self.err(line(l), format!("{path}.length"), format!("min {a} is greater than max {b}; expected min <= max"));
        }
        if min.is_none() && max.is_none() {
            self.err(line(l), format!("{path}.length"), "a length constraint needs `min`, `max` or both");
        }
        Some(ir::Constraint { rule: ir::Rule::Length { min, max, unit }, enforce: l.value.enforce, provenance })
    }

    fn range(&mut self, r: &Spanned<raw::Range>, kind: NumberKind, path: &str) -> Option<ir::Constraint> {
        let provenance = self.provenance(r.value.provenance(), &format!("{path}.range"));
        let at = format!("{path}.range");
        let bound = |this: &mut Self, n: Option<raw::Number>| -> Option<ir::Bound> {
            let n = n?;
            match (n, integer_bounds(kind)) {
                (raw::Number::Int(i), Some((lo, hi))) if i < lo || i > hi => {
                    this.err(line(r), &at, format!("{i} is outside the values of a {kind:?} ({lo}..={hi})"));
                    None
                }
                (raw::Number::Int(i), Some(_)) => Some(ir::Bound::Int(i)),
                (raw::Number::Float(x), Some(_)) if x.fract() == 0.0 && x.abs() < 9.0e15 => Some(ir::Bound::Int(x as i64)),
                (raw::Number::Float(_), Some(_)) => {
                    this.err(line(r), &at, "the range of an integer shape needs whole numbers");
                    None
                }
                (raw::Number::Int(i), None) => Some(ir::Bound::Float(i as f64)),
                (raw::Number::Float(x), None) => Some(ir::Bound::Float(x)),
            }
        };
        let (min, max) = (bound(self, r.value.min), bound(self, r.value.max));
        let as_f64 = |b: ir::Bound| match b {
            ir::Bound::Int(i) => i as f64,
            ir::Bound::Float(x) => x,
        };
        if let (Some(a), Some(b)) = (min, max)
            && as_f64(a) > as_f64(b)
        {
            self.err(line(r), &at, format!("min {a} is greater than max {b}; expected min <= max"));
        }
        if r.value.min.is_none() && r.value.max.is_none() {
            self.err(line(r), &at, "a range constraint needs `min`, `max` or both");
        }
        // The runtime keeps big numbers as their text: their range is documented, not checked.
        let big = matches!(kind, NumberKind::BigInteger | NumberKind::BigDecimal);
        Some(ir::Constraint { rule: ir::Rule::Range { min, max }, enforce: r.value.enforce && !big, provenance })
    }

    fn pattern(&mut self, p: &Spanned<raw::Pattern>, path: &str) -> Option<ir::Constraint> {
        let provenance = self.provenance(p.value.provenance(), &format!("{path}.pattern"));
        // An enforced pattern is matched by its automaton; one that is not is only documented.
        let regex = &p.value.regex;
        let enforce = p.value.enforce;
        let compiled = pattern::translate(regex)
            .map_err(|why| format!("regex `{regex}` is outside the supported ECMA-262 dialect: {why}"))
            .and_then(|rust| {
                let automaton = match enforce {
                    true => Some(automaton::compile(&rust).map_err(|why| format!("regex `{regex}` {why}"))?),
                    false => None,
                };
                Ok(ir::Pattern { ecma: regex.clone(), rust, automaton, static_name: String::new() })
            });
        match compiled {
            Ok(pattern) => Some(ir::Constraint { rule: ir::Rule::Pattern(pattern), enforce, provenance }),
            Err(message) => {
                self.err(line(p), format!("{path}.pattern"), message);
                None
            }
        }
    }

    fn shape_kind(&mut self, s: &raw::Shape, path: &str) -> Option<ShapeKind> {
        let kind = s.kind.value.as_str();
        if let Some(number) = number_kind(kind) {
            return Some(ShapeKind::Number { kind: number });
        }
        Some(match kind {
            "boolean" => ShapeKind::Boolean,
            "string" => ShapeKind::String,
            "blob" => ShapeKind::Blob,
            "timestamp" => ShapeKind::Timestamp {
                format: s.format.as_ref().and_then(|f| {
                    let parsed = timestamp_format(&f.value);
                    if parsed.is_none() {
                        self.err(
                            line(f),
                            format!("{path}.format"),
                            format!("unknown timestamp format `{}`; expected epoch-seconds, date-time or http-date", f.value),
                        );
                    }
                    parsed
                }),
            },
            "document" => ShapeKind::Document,
            "enum" => self.enum_kind(s, path),
            "int_enum" => self.int_enum_kind(s, path),
            "list" => {
                let Some(m) = &s.member else {
                    self.err(line(&s.kind), format!("{path}.member"), "a list needs `member` (the element shape)");
                    return None;
                };
                let member = self.shape_ref(m, &format!("{path}.member"))?;
                ShapeKind::List { member, member_name: s.member_name.clone(), flattened: s.flattened }
            }
            "map" => {
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
                ShapeKind::Map {
                    key: key?,
                    value: value?,
                    key_name: s.key_name.clone(),
                    value_name: s.value_name.clone(),
                    flattened: s.flattened,
                }
            }
            "structure" => ShapeKind::Structure(self.structure(s, path, false)),
            "union" => {
                let st = self.structure(s, path, true);
                if st.members.is_empty() {
                    self.err(line(&s.kind), format!("{path}.members"), "a union needs at least one member");
                }
                ShapeKind::Union(st)
            }
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
                self.err(line(v), &vpath, "an enum value must be a string (an `int_enum` has whole numbers)");
                continue;
            };
            if !seen_values.insert(value.as_str()) {
                self.err(line(v), &vpath, format!("duplicate enum value `{value}`"));
                continue;
            }
            let variant = naming::variant_ident(v.value.rust_name.as_deref().unwrap_or(value));
            if let Some(other) = variants.insert(variant.clone(), value.clone()) {
                self.err(
                    line(v),
                    &vpath,
                    format!(
                        "enum values `{other}` and `{value}` both become the Rust variant `{variant}`; give one a `rust_name`"
                    ),
                );
            }
            out.push(ir::EnumValue { value: value.clone(), variant, docs: docs(v.value.documentation.as_deref()) });
        }
        ShapeKind::Enum { values: out }
    }

    fn int_enum_kind(&mut self, s: &raw::Shape, path: &str) -> ShapeKind {
        let values = s.values.as_deref().unwrap_or_default();
        if values.is_empty() {
            self.err(line(&s.kind), format!("{path}.values"), "an int_enum needs at least one value");
        }
        let mut seen = BTreeSet::new();
        let mut variants = BTreeSet::new();
        let mut out = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let vpath = format!("{path}.values[{i}]");
            let value = match &v.value.value {
                raw::Scalar::Int(n) if i32::try_from(*n).is_ok() => *n as i32,
                _ => {
                    self.err(line(v), &vpath, "an int_enum value must be a whole number that fits 32 bits");
                    continue;
                }
            };
            let Some(name) = &v.value.rust_name else {
                self.err(line(v), &vpath, "an int_enum value needs a `rust_name`");
                continue;
            };
            if !seen.insert(value) {
                self.err(line(v), &vpath, format!("duplicate int_enum value {value}"));
            }
            let variant = naming::variant_ident(name);
            if !variants.insert(variant.clone()) {
                self.err(line(v), &vpath, format!("two values become the Rust variant `{variant}`"));
            }
            out.push(ir::IntEnumValue { value, variant, docs: docs(v.value.documentation.as_deref()) });
        }
        ShapeKind::IntEnum { values: out }
    }

    /// The members of a structure (or union), with their locations as written;
    /// what depends on where the structure is used is settled in `resolve`.
    fn structure(&mut self, s: &raw::Shape, path: &str, union: bool) -> ir::Structure {
        let empty = IndexMap::new();
        let members_raw = s.members.as_ref().unwrap_or(&empty);
        let mut members = Vec::new();
        for (mname, m) in members_raw {
            let mpath = format!("{path}.members.{mname}");
            members.push(self.member(mname, m, &mpath, union));
        }
        let one_of = s.one_of.as_ref().map(|o| self.one_of(o, &mut members, &format!("{path}.one_of")));
        let error = s.error.as_ref().map(|e| self.error_info(e, &format!("{path}.error")));
        ir::Structure { members, one_of, error }
    }

    fn member(&mut self, mname: &str, m: &Spanned<raw::Member>, mpath: &str, union: bool) -> ir::Member {
        let mv = &m.value;
        let provenance = self.provenance(mv.provenance(), mpath);
        let target = self.shape_ref(&mv.shape, &format!("{mpath}.shape"));
        let target_kind = target.map(|t| self.model.shapes[t].value.kind.value.as_str());
        let location = match mv.location.as_ref().map(|l| l.value.as_str()) {
            None | Some("body") => Location::Body,
            Some("path") => Location::Label { greedy: false },
            Some("query") => Location::Query,
            Some("query_params") => Location::QueryParams,
            Some("header") => Location::Header,
            Some("headers") => Location::HeaderPrefix,
            Some("payload") => Location::Payload,
            Some("status_code") => Location::StatusCode,
            Some("host_label") => Location::Body,
            Some(other) => {
                let l = mv.location.as_ref().and_then(line);
                self.err(
                    l,
                    format!("{mpath}.location"),
                    format!("unknown location `{other}`; expected one of {}", LOCATIONS.join(", ")),
                );
                Location::Body
            }
        };
        if union && (location != Location::Body || mv.required) {
            self.err(line(m), mpath, "a union member has no `location` and is never `required` (exactly one is set)");
        }
        let allowed_values = mv.allowed_values.as_ref().map(|a| {
            let provenance = self.provenance(a.value.provenance(), &format!("{mpath}.allowed_values"));
            let known: Option<Vec<&str>> = target.and_then(|t| match &self.model.shapes[t].value.values {
                Some(vs) if self.model.shapes[t].value.kind.value == "enum" => Some(
                    vs.iter()
                        .filter_map(|v| match &v.value.value {
                            raw::Scalar::String(s) => Some(s.as_str()),
                            _ => None,
                        })
                        .collect(),
                ),
                _ => None,
            });
            match known {
                None => self.err(
                    line(a),
                    format!("{mpath}.allowed_values"),
                    "`allowed_values` applies only to members whose shape is an enum",
                ),
                Some(known) => {
                    for v in &a.value.values {
                        if !known.contains(&v.as_str()) {
                            self.err(
                                line(a),
                                format!("{mpath}.allowed_values"),
                                format!("`{v}` is not a value of the enum `{}`", mv.shape.value),
                            );
                        }
                    }
                }
            }
            ir::Constraint { rule: ir::Rule::OneOf(a.value.values.clone()), enforce: a.value.enforce, provenance }
        });
        let default = mv.default.as_ref().and_then(|d| self.default_value(d, target_kind, &format!("{mpath}.default")));
        if mv.idempotency_token && target_kind.is_some_and(|k| k != "string") {
            self.err(line(m), format!("{mpath}.idempotency_token"), "an idempotency token must be a string member");
        }
        if mv.json_value && target_kind.is_some_and(|k| k != "string") {
            self.err(line(m), format!("{mpath}.json_value"), "`json_value` applies to string members only");
        }
        if let Some(f) = &mv.timestamp_format
            && timestamp_format(&f.value).is_none()
        {
            self.err(
                line(f),
                format!("{mpath}.timestamp_format"),
                format!("unknown timestamp format `{}`; expected epoch-seconds, date-time or http-date", f.value),
            );
        }
        ir::Member {
            name: mname.to_owned(),
            wire_name: mv.wire_name.clone().unwrap_or_else(|| mname.to_owned()),
            field: naming::field_ident(mname),
            variant: naming::variant_ident(mname),
            target: target.unwrap_or(0),
            required: mv.required,
            presence: ir::Presence::Optional,
            location,
            // Settled in `resolve`, from the model and where the member is used.
            timestamp_format: ir::TimestampFormat::DateTime,
            flattened: mv.flattened,
            host_label: mv.location.as_ref().is_some_and(|l| l.value == "host_label"),
            boxed: false,
            idempotency_token: mv.idempotency_token,
            json_value: mv.json_value,
            sensitive: mv.sensitive,
            deprecated: deprecation(&mv.deprecated),
            default,
            docs: docs(mv.documentation.as_deref()),
            provenance,
            constraints: allowed_values.into_iter().collect(),
            one_of_variant: None,
        }
    }

    fn default_value(&mut self, d: &Spanned<raw::Scalar>, kind: Option<&str>, path: &str) -> Option<ir::DefaultValue> {
        let kind = kind?;
        let value = match (&d.value, kind) {
            (raw::Scalar::Bool(b), "boolean") => ir::DefaultValue::Bool(*b),
            (raw::Scalar::Int(i), k) if number_kind(k).is_some_and(|n| n.is_integer() || !n.is_float()) => {
                ir::DefaultValue::Int(*i)
            }
            (raw::Scalar::Int(i), "float" | "double") => ir::DefaultValue::Float(*i as f64),
            (raw::Scalar::Float(x), "float" | "double" | "big_decimal") => ir::DefaultValue::Float(*x),
            (raw::Scalar::String(s), "string" | "enum") => ir::DefaultValue::String(s.clone()),
            // Hand-written models quote numbers ("3600"): accept them when they parse.
            (raw::Scalar::String(s), k) if number_kind(k).is_some_and(NumberKind::is_integer) && s.parse::<i64>().is_ok() => {
                ir::DefaultValue::Int(s.parse().unwrap_or_default())
            }
            (other, k) => {
                self.err(line(d), path, format!("default `{other:?}` does not fit a {k} member"));
                return None;
            }
        };
        if let (ir::DefaultValue::Int(i), Some(nk)) = (&value, number_kind(kind))
            && let Some((lo, hi)) = integer_bounds(nk)
            && (*i < lo || *i > hi)
        {
            self.err(line(d), path, format!("default {i} is outside the values of a {kind}"));
        }
        Some(value)
    }

    fn one_of(&mut self, o: &Spanned<raw::OneOf>, members: &mut [ir::Member], path: &str) -> ir::OneOf {
        let provenance = self.provenance(o.value.provenance(), path);
        let field = naming::field_ident(&o.value.field);
        if members.iter().any(|m| m.field == field) {
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
                    Some(i) if members[i].required => self.err(
                        line(m),
                        format!("{vpath}.members"),
                        format!("`{}` is required, so it cannot be part of a one_of variant", m.value),
                    ),
                    Some(i) if members[i].location != Location::Body => self.err(
                        line(m),
                        format!("{vpath}.members"),
                        format!("`{}` is not a body member; one_of variants hold body members only", m.value),
                    ),
                    Some(i) if idx.contains(&i) => {
                        self.err(line(m), format!("{vpath}.members"), format!("`{}` is listed twice", m.value))
                    }
                    Some(i) => {
                        // A member may be in several variants (one holding another's members and more);
                        // it is described under the smallest.
                        let smallest = members[i].one_of_variant.is_none_or(|prev| {
                            v.value.members.len() < o.value.variants[prev].value.members.len()
                        });
                        if smallest {
                            members[i].one_of_variant = Some(vi);
                        }
                        idx.push(i);
                    }
                }
            }
            let mut set = idx.clone();
            set.sort_unstable();
            if let Some(other) = variants.iter().position(|w: &ir::OneOfVariant| {
                let mut theirs = w.members.clone();
                theirs.sort_unstable();
                theirs == set
            }) {
                let other = &o.value.variants[other].value.name;
                self.err(line(v), format!("{vpath}.members"), format!("the same members as variant `{other}`"));
            }
            variants.push(ir::OneOfVariant {
                constructor: naming::field_ident(&v.value.name),
                name: vname,
                docs: docs(Some(&v.value.documentation)),
                members: idx,
            });
        }
        ir::OneOf {
            name: naming::type_ident(&o.value.name),
            field,
            docs: docs(Some(&o.value.documentation)),
            provenance,
            variants,
        }
    }

    fn error_info(&mut self, e: &Spanned<raw::ErrorTrait>, epath: &str) -> ir::ErrorInfo {
        let provenance = self.provenance(e.value.provenance(), epath);
        let fault = match e.value.fault.value.as_str() {
            "client" => ir::Fault::Client,
            "server" => ir::Fault::Server,
            other => {
                self.err(line(&e.value.fault), format!("{epath}.fault"), format!("unknown fault `{other}`; expected client or server"));
                ir::Fault::Client
            }
        };
        if !(100..=599).contains(&e.value.http_status) {
            self.err(
                line(e),
                format!("{epath}.http_status"),
                format!("{} is not an HTTP status; expected 100..=599", e.value.http_status),
            );
        }
        ir::ErrorInfo {
            code: e.value.code.clone(),
            http_status: e.value.http_status,
            fault,
            retryable: e.value.retryable,
            throttling: e.value.throttling,
            // Settled in `resolve`, once member targets are known.
            message_member: None,
            provenance,
        }
    }
}

//! Rust source written against a generated service, for the conformance
//! runner: an input value from a case's `params` (botocore's form: member
//! names, blobs as text, timestamps as epoch seconds, special floats by name),
//! and functions turning outputs and errors into JSON in botocore's parsed
//! form (blobs as UTF-8 text, timestamps as epoch seconds, special floats by
//! name, unknown union members as `SDK_UNKNOWN_MEMBER`).

use std::collections::BTreeSet;
use std::fmt::Write;

use codegen::ir::{NumberKind, Presence, Service, ShapeId, ShapeKind};
use serde_json::Value;

/// The path of shape `id`'s Rust type inside the runner crate.
fn type_path(module: &str, s: &Service, id: ShapeId) -> String {
    format!("crate::suites::{module}::{}", s.shape(id).rust_name)
}

/// A Rust expression of the Rust type of shape `id` holding `value`.
pub fn literal(module: &str, s: &Service, id: ShapeId, value: &Value) -> Result<String, String> {
    let shape = s.shape(id);
    let t = || type_path(module, s, id);
    let wrong = || format!("`{}` cannot hold {value}", shape.name);
    Ok(match &shape.kind {
        // A null is a value left unset (botocore drops it); only a document holds one.
        _ if value.is_null() && !matches!(shape.kind, ShapeKind::Document) => return Err("null".to_owned()),
        ShapeKind::Boolean => value.as_bool().ok_or_else(wrong)?.to_string(),
        ShapeKind::Number { kind, .. } => number(*kind, value).ok_or_else(wrong)?,
        ShapeKind::String => match value {
            Value::String(text) => format!("{text:?}.to_owned()"),
            // botocore's `jsonvalue` members take any JSON value and send its text.
            other => format!("{:?}.to_owned()", serde_json::to_string(other).map_err(|e| e.to_string())?),
        },
        ShapeKind::Enum { .. } => format!("{}::from({:?})", t(), value.as_str().ok_or_else(wrong)?),
        ShapeKind::IntEnum { .. } => format!("{}::from({}i32)", t(), value.as_i64().ok_or_else(wrong)?),
        ShapeKind::Blob => format!("crate::runtime::Blob::from({:?})", value.as_str().ok_or_else(wrong)?),
        ShapeKind::Timestamp { .. } => match value {
            Value::Number(n) => format!("crate::runtime::DateTime::parse_epoch_seconds({:?}).unwrap()", n.to_string()),
            Value::String(text) => format!("crate::runtime::DateTime::parse_any({text:?}).unwrap()"),
            _ => return Err(wrong()),
        },
        ShapeKind::Document => document(value),
        ShapeKind::List { member, .. } => {
            let items = value.as_array().ok_or_else(wrong)?;
            let items: Vec<String> = items.iter().map(|v| literal(module, s, *member, v)).collect::<Result<_, _>>()?;
            format!("vec![{}]", items.join(", "))
        }
        ShapeKind::Map { key, value: v, .. } => {
            let entries = value.as_object().ok_or_else(wrong)?;
            let mut out = Vec::new();
            for (k, item) in entries {
                let key = literal(module, s, *key, &Value::String(k.clone()))?;
                out.push(format!("({key}, {})", literal(module, s, *v, item)?));
            }
            format!("[{}].into_iter().collect::<std::collections::BTreeMap<_, _>>()", out.join(", "))
        }
        ShapeKind::Union(u) => {
            let object = value.as_object().ok_or_else(wrong)?;
            let (name, item) = object.iter().next().ok_or_else(wrong)?;
            let m = u.members.iter().find(|m| &m.name == name).ok_or_else(wrong)?;
            let inner = literal(module, s, m.target, item)?;
            let inner = if m.boxed { format!("Box::new({inner})") } else { inner };
            format!("{}::{}({inner})", t(), m.variant)
        }
        ShapeKind::Structure(st) => {
            let empty = serde_json::Map::new();
            let object = value.as_object().unwrap_or(&empty);
            if let Some(unknown) = object.keys().find(|k| !st.members.iter().any(|m| &m.name == *k)) {
                return Err(format!("`{}` has no member `{unknown}`", shape.name));
            }
            let mut fields = Vec::new();
            for m in &st.members {
                let field = match object.get(&m.name).filter(|v| !v.is_null()) {
                    Some(v) => {
                        let lit = literal(module, s, m.target, v)?;
                        let lit = if m.boxed { format!("Box::new({lit})") } else { lit };
                        match m.presence {
                            Presence::Optional => format!("Some({lit})"),
                            Presence::Required => lit,
                        }
                    }
                    None => match m.presence {
                        Presence::Optional => "None".to_owned(),
                        // The zero value names model types unqualified: case functions import the module.
                        Presence::Required => {
                            let zero = codegen::emit::zero_value(s, m.target);
                            if m.boxed { format!("Box::new({zero})") } else { zero }
                        }
                    },
                };
                fields.push(format!("{}: {field}", m.field));
            }
            if s.operations.iter().any(|op| op.output == id) {
                fields.push("meta_request_id: None".to_owned());
            }
            format!("{} {{ {} }}", t(), fields.join(", "))
        }
    })
}

fn number(kind: NumberKind, value: &Value) -> Option<String> {
    let special = |ty: &str| match value.as_str()? {
        "NaN" => Some(format!("{ty}::NAN")),
        "Infinity" => Some(format!("{ty}::INFINITY")),
        "-Infinity" => Some(format!("{ty}::NEG_INFINITY")),
        _ => None,
    };
    Some(match kind {
        NumberKind::Byte => format!("{}i8", value.as_i64()?),
        NumberKind::Short => format!("{}i16", value.as_i64()?),
        NumberKind::Integer => format!("{}i32", value.as_i64()?),
        NumberKind::Long => format!("{}i64", value.as_i64()?),
        NumberKind::Float => match value.as_f64() {
            Some(x) => format!("{x:?}f32"),
            None => special("f32")?,
        },
        NumberKind::Double => match value.as_f64() {
            Some(x) => format!("{x:?}f64"),
            None => special("f64")?,
        },
        NumberKind::BigInteger => format!("crate::runtime::BigInteger::parse({:?}).unwrap()", value.to_string()),
        NumberKind::BigDecimal => format!("crate::runtime::BigDecimal::parse({:?}).unwrap()", value.to_string()),
    })
}

fn document(value: &Value) -> String {
    match value {
        Value::Null => "crate::runtime::Document::Null".to_owned(),
        Value::Bool(b) => format!("crate::runtime::Document::Bool({b})"),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => format!("crate::runtime::Document::Number(crate::runtime::document::Number::PosInt({u}))"),
            (None, Some(i)) => format!("crate::runtime::Document::Number(crate::runtime::document::Number::NegInt({i}))"),
            _ => format!(
                "crate::runtime::Document::Number(crate::runtime::document::Number::Float({:?}f64))",
                n.as_f64().unwrap_or_default()
            ),
        },
        Value::String(text) => format!("crate::runtime::Document::String({text:?}.to_owned())"),
        Value::Array(items) => {
            format!("crate::runtime::Document::Array(vec![{}])", items.iter().map(document).collect::<Vec<_>>().join(", "))
        }
        Value::Object(map) => {
            let entries: Vec<String> = map.iter().map(|(k, v)| format!("({k:?}.to_owned(), {})", document(v))).collect();
            format!("crate::runtime::Document::Object([{}].into_iter().collect())", entries.join(", "))
        }
    }
}

/// Functions `j<id>(&T) -> serde_json::Value` for every shape `roots` reach.
pub fn converters(module: &str, s: &Service, roots: &[ShapeId]) -> String {
    let mut done = BTreeSet::new();
    let mut stack: Vec<ShapeId> = roots.to_vec();
    let mut out = String::new();
    while let Some(id) = stack.pop() {
        if !done.insert(id) {
            continue;
        }
        let t = type_path(module, s, id);
        let body = match &s.shape(id).kind {
            ShapeKind::Structure(st) => {
                let mut b = String::from("let mut o = serde_json::Map::new();\n");
                for m in &st.members {
                    stack.push(m.target);
                    let conv = value_of(s, m.target, "x");
                    let f = &m.field;
                    let key = &m.name;
                    match m.presence {
                        Presence::Optional => {
                            let _ = writeln!(b, "if let Some(x) = &v.{f} {{ o.insert({key:?}.into(), {conv}); }}");
                        }
                        Presence::Required => {
                            let _ = writeln!(b, "{{ let x = &v.{f}; o.insert({key:?}.into(), {conv}); }}");
                        }
                    }
                }
                b.push_str("serde_json::Value::Object(o)");
                b
            }
            ShapeKind::Union(u) => {
                let mut b = String::from("match v {\n");
                for m in &u.members {
                    stack.push(m.target);
                    let conv = value_of(s, m.target, "x");
                    let _ = writeln!(b, "{t}::{}(x) => serde_json::json!({{ {:?}: {conv} }}),", m.variant, m.name);
                }
                let _ = writeln!(b, "{t}::Unknown(name) => serde_json::json!({{ \"SDK_UNKNOWN_MEMBER\": {{ \"name\": name }} }}),");
                b.push_str("#[allow(unreachable_patterns)] _ => serde_json::Value::Null,\n}");
                b
            }
            ShapeKind::List { member, .. } => {
                stack.push(*member);
                format!("serde_json::Value::Array(v.iter().map(|x| {}).collect())", value_of(s, *member, "x"))
            }
            ShapeKind::Map { value, .. } => {
                stack.push(*value);
                format!(
                    "serde_json::Value::Object(v.iter().map(|(k, x)| (k.to_string(), {})).collect())",
                    value_of(s, *value, "x")
                )
            }
            _ => continue,
        };
        let param_t = match &s.shape(id).kind {
            ShapeKind::List { member, .. } => format!("[{}]", rust_type(s, *member)),
            ShapeKind::Map { .. } => rust_type(s, id),
            _ => t,
        };
        let _ = writeln!(out, "#[allow(dead_code, unused)]\npub fn j{id}(v: &{param_t}) -> serde_json::Value {{\n{body}\n}}");
    }
    out
}

/// The Rust type of shape `id` as the generator names it (converters import the module).
fn rust_type(s: &Service, id: ShapeId) -> String {
    codegen::emit::rust_type_text(s, id)
}

/// A JSON expression of the value `x` (`&T` of shape `id`).
fn value_of(s: &Service, id: ShapeId, x: &str) -> String {
    match &s.shape(id).kind {
        ShapeKind::Boolean => format!("serde_json::json!(*{x})"),
        ShapeKind::Number { kind: NumberKind::Float, .. } => format!("crate::float_json(crate::runtime::number::widen(*{x}))"),
        ShapeKind::Number { kind: NumberKind::Double, .. } => format!("crate::float_json(*{x})"),
        ShapeKind::Number { kind: NumberKind::BigInteger | NumberKind::BigDecimal, .. } => {
            format!("serde_json::from_str::<serde_json::Value>({x}.as_str()).unwrap_or(serde_json::Value::Null)")
        }
        ShapeKind::Number { .. } => format!("serde_json::json!(*{x})"),
        ShapeKind::String => format!("serde_json::json!({x})"),
        ShapeKind::Enum { .. } => format!("serde_json::json!({x}.as_str())"),
        ShapeKind::IntEnum { .. } => format!("serde_json::json!({x}.value())"),
        ShapeKind::Blob => format!("serde_json::json!(String::from_utf8_lossy({x}.as_bytes()))"),
        ShapeKind::Timestamp { .. } => format!("crate::time_json({x})"),
        ShapeKind::Document => format!("crate::document_json({x})"),
        _ => format!("j{id}({x})"),
    }
}

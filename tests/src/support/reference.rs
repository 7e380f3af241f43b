//! The reference material's credentials and clock, and reading
//! `shared/reference/` (beside the repository).

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use serde_json::Value;

/// 2024-01-02T03:04:05Z, the clock of every reference vector.
pub fn vector_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_164_645)
}

pub const AWS_ACCESS_KEY: &str = "AKIDEXAMPLE";
pub const AWS_SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const REGION: &str = "us-east-1";
pub const HUAWEI_AK: &str = "HPUAEXAMPLEAK0000001";
pub const HUAWEI_SK: &str = "ExampleSecretKey0123456789abcdefghijklmn";
pub const HUAWEI_PROJECT: &str = "0123456789abcdef0123456789abcdef";

/// `shared/reference/`, beside the repository.
pub fn reference_dir() -> PathBuf {
    crate::repo_root().join("../shared/reference")
}

/// A JSON file under `shared/reference/`.
pub fn reference_json(rel: &str) -> Value {
    let path = reference_dir().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reference file {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("reference file {}: {e}", path.display()))
}

/// `v[key]` as a string, or a panic naming the key.
pub fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} is not a string in {v}"))
}

/// Decodes an `application/x-www-form-urlencoded` body into its pairs, in
/// order (`+` is a space; both `+` and `%20` forms decode alike).
pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    let text = std::str::from_utf8(body).unwrap_or_else(|e| panic!("form body is not UTF-8: {e}"));
    if text.is_empty() {
        return Vec::new();
    }
    text.split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let byte = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .unwrap_or_else(|| panic!("bad percent escape in {s:?}"));
                out.push(byte);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|e| panic!("form value {s:?} is not UTF-8 once decoded: {e}"))
}

/// JSON with objects kept in their text's member order (serde_json's `Value`
/// sorts them): botocore sends members in its caller's order, so reproducing a
/// vector byte for byte needs the vector's own order.
#[derive(Debug, Clone, PartialEq)]
pub enum OrderedJson {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<OrderedJson>),
    Object(Vec<(String, OrderedJson)>),
}

impl OrderedJson {
    pub fn parse(text: &str) -> Result<OrderedJson, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// A member of an object (`None` for other values or a missing name).
    pub fn get(&self, name: &str) -> Option<&OrderedJson> {
        match self {
            OrderedJson::Object(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// An object's members in order (empty for other values).
    pub fn members(&self) -> &[(String, OrderedJson)] {
        match self {
            OrderedJson::Object(members) => members,
            _ => &[],
        }
    }

    /// An array's items (empty for other values).
    pub fn items(&self) -> &[OrderedJson] {
        match self {
            OrderedJson::Array(items) => items,
            _ => &[],
        }
    }

    /// As a `serde_json::Value` (which forgets the member order).
    pub fn to_value(&self) -> Value {
        match self {
            OrderedJson::Null => Value::Null,
            OrderedJson::Bool(b) => Value::Bool(*b),
            OrderedJson::Number(n) => Value::Number(n.clone()),
            OrderedJson::String(s) => Value::String(s.clone()),
            OrderedJson::Array(items) => Value::Array(items.iter().map(OrderedJson::to_value).collect()),
            OrderedJson::Object(members) => {
                Value::Object(members.iter().map(|(k, v)| (k.clone(), v.to_value())).collect())
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for OrderedJson {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OrderedJson;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<OrderedJson, E> {
                Ok(OrderedJson::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<OrderedJson, E> {
                Ok(OrderedJson::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<OrderedJson, E> {
                Ok(OrderedJson::Number(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<OrderedJson, E> {
                Ok(OrderedJson::Number(n.into()))
            }
            fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<OrderedJson, E> {
                serde_json::Number::from_f64(n).map(OrderedJson::Number).ok_or_else(|| E::custom("not a JSON number"))
            }
            fn visit_str<E>(self, s: &str) -> Result<OrderedJson, E> {
                Ok(OrderedJson::String(s.to_owned()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<OrderedJson, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(OrderedJson::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<OrderedJson, A::Error> {
                let mut members = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, OrderedJson>()? {
                    members.push((k, v));
                }
                Ok(OrderedJson::Object(members))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A file under `shared/reference/`, member order kept.
pub fn reference_ordered(rel: &str) -> OrderedJson {
    let path = reference_dir().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reference file {}: {e}", path.display()));
    OrderedJson::parse(&text).unwrap_or_else(|e| panic!("reference file {}: {e}", path.display()))
}

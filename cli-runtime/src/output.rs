//! What a run prints: the output, or the request `--dry-run` would send, as
//! pretty JSON whose members keep their order.

use lifecycle_hooks_runtime::PreparedRequest;
use serde::Serialize;

use crate::Failure;

/// An operation's output, with the API's member names.
pub fn output<T: Serialize>(output: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(output).map_err(Failure::output)
}

/// `--dry-run`'s output: the request exactly as it would be sent (session tokens masked).
pub fn dry_run(request: PreparedRequest) -> Result<String, Failure> {
    let headers = request.redacted_headers();
    let headers: Vec<(&str, String)> = headers.iter().map(|(k, v)| (k.as_str(), string(v))).collect();
    Ok(object(&[
        ("method", string(&request.method)),
        ("url", string(&request.url)),
        ("headers", object(&headers)),
        ("body", string(&String::from_utf8_lossy(&request.body))),
    ]))
}

/// Writes a line, ignoring a closed pipe (`hookctl ... | head` is fine).
pub(crate) fn print(out: &mut dyn std::io::Write, text: &str) {
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// A JSON string.
pub(crate) fn string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// A pretty JSON object whose members keep this order (JSON texts as values).
pub(crate) fn object(members: &[(&str, String)]) -> String {
    let lines: Vec<String> =
        members.iter().map(|(k, v)| format!("  {}: {}", string(k), v.replace('\n', "\n  "))).collect();
    if lines.is_empty() { "{}".to_owned() } else { format!("{{\n{}\n}}", lines.join(",\n")) }
}

/// A pretty JSON array of JSON texts.
pub(crate) fn array(items: &[String]) -> String {
    let lines: Vec<String> = items.iter().map(|v| format!("  {}", v.replace('\n', "\n  "))).collect();
    if lines.is_empty() { "[]".to_owned() } else { format!("[\n{}\n]", lines.join(",\n")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn ordered_json_objects_nest_and_escape() {
        let inner = object(&[("b\"", string("x\ny")), ("list", array(&["1".into(), object(&[])]))]);
        let text = object(&[("z", "null".into()), ("a", inner)]);
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, json!({"z": null, "a": {"b\"": "x\ny", "list": [1, {}]}}));
        assert!(text.find("\"z\"").unwrap() < text.find("\"a\"").unwrap(), "order kept:\n{text}");
        assert_eq!(array(&[]), "[]");
    }
}

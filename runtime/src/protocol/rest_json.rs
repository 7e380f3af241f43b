//! REST with JSON bodies, as Huawei Cloud speaks it.

use serde_json::{Map, Value};

use crate::client::{Request, Response};
use crate::error::ErrorMeta;

/// What the official SDK sends (lower-cased charset included).
pub const CONTENT_TYPE: &str = "application/json;charset=utf-8";

/// How deep error bodies are searched for a code.
const MAX_DEPTH: usize = 16;

/// A request with a JSON body; `path` must already be encoded (see [`crate::path`]).
pub fn request(path: String, query: Vec<(String, String)>, body: Vec<u8>) -> Request {
    Request { path, query, headers: vec![("Content-Type", CONTENT_TYPE.to_owned())], body }
}

/// Huawei SDK rules (`DefaultExceptionHandler`): the first pair of
/// `error_code`+`error_msg`, `errorCode`+`errorMsg` or `code`+`message` at the
/// top level, else in nested objects; no code: the status; no message: the raw text.
pub fn error_meta(resp: &Response) -> ErrorMeta {
    let (code, message) = match serde_json::from_slice::<Value>(&resp.body) {
        Ok(Value::Object(map)) => find_pair(&map, 0).unwrap_or((None, None)),
        _ => (None, None),
    };
    ErrorMeta {
        code: code.unwrap_or_else(|| super::status_code(resp)),
        message: message.or_else(|| super::snippet(&resp.body)),
        http_status: resp.status,
        request_id: request_id(resp),
        retry_after: super::retry_after(resp),
    }
}

/// `X-Request-Id`, any case.
pub fn request_id(resp: &Response) -> Option<String> {
    resp.header("x-request-id").map(str::to_owned)
}

type Pair = (Option<String>, Option<String>);

fn find_pair(map: &Map<String, Value>, depth: usize) -> Option<Pair> {
    for (code, msg) in [("error_code", "error_msg"), ("errorCode", "errorMsg"), ("code", "message")] {
        if let (Some(c), Some(m)) = (map.get(code), map.get(msg)) {
            return Some((scalar(c), scalar(m)));
        }
    }
    if depth >= MAX_DEPTH {
        return None;
    }
    map.values().filter_map(Value::as_object).find_map(|nested| find_pair(nested, depth + 1))
}

/// A present, non-empty value as text (the SDK treats `null` and `""` as absent).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response { status, headers: vec![("x-request-id".into(), "rid".into())], body: body.as_bytes().to_vec() }
    }

    #[test]
    fn pair_precedence_and_nesting() {
        let m = error_meta(&resp(400, r#"{"code":"C","message":"M","error_code":"E","error_msg":"EM"}"#));
        assert_eq!((m.code.as_str(), m.message.as_deref()), ("E", Some("EM")));
        let m = error_meta(&resp(400, r#"{"errorCode":"X.1","errorMsg":"camel"}"#));
        assert_eq!((m.code.as_str(), m.message.as_deref()), ("X.1", Some("camel")));
        let m = error_meta(&resp(403, r#"{"outer":{"error":{"code":"AS.2017","message":"deep"}}}"#));
        assert_eq!((m.code.as_str(), m.message.as_deref()), ("AS.2017", Some("deep")));
        assert_eq!(m.request_id.as_deref(), Some("rid"));
    }

    #[test]
    fn missing_parts_fall_back_to_status_and_raw_text() {
        let m = error_meta(&resp(400, r#"{"code":"C"}"#));
        assert_eq!((m.code.as_str(), m.message.as_deref()), ("400", Some(r#"{"code":"C"}"#)));
        let m = error_meta(&resp(429, r#"{"error_code":null,"error_msg":""}"#));
        assert_eq!(m.code, "429");
        let m = error_meta(&resp(500, "[1,2]"));
        assert_eq!((m.code.as_str(), m.message.as_deref()), ("500", Some("[1,2]")));
        let m = error_meta(&resp(502, ""));
        assert_eq!((m.code.as_str(), m.message), ("502", None));
    }
}

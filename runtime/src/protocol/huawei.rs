//! Huawei Cloud's REST: restJson1's HTTP bindings with Huawei's error envelope
//! and request id (`X-Request-Id`).

use crate::client::{Request, Response};
use crate::error::ErrorMeta;
use crate::json::{JsonError, JsonReader, Kind};

/// What the official SDK sends with a JSON body (lower-cased charset included).
pub const CONTENT_TYPE: &str = "application/json;charset=utf-8";

/// What the official SDK sends for an operation without a body (its GET and
/// DELETE calls): the header, signed, and no body.
pub const CONTENT_TYPE_NO_BODY: &str = "application/json";

/// How deep error bodies are searched for a code.
const MAX_DEPTH: usize = 16;

/// A request with a JSON body; `path` must already be encoded (see [`crate::path`]).
pub fn request(path: String, query: Vec<(String, String)>, body: Vec<u8>) -> Request {
    Request::new(path, query, vec![("Content-Type".to_owned(), CONTENT_TYPE.to_owned())], body)
}

/// Huawei SDK rules (`DefaultExceptionHandler`): the first pair of
/// `error_code`+`error_msg`, `errorCode`+`errorMsg` or `code`+`message` at the
/// top level, else in nested objects (depth first); no code: the status; no
/// message: the raw text. The body is read in place: no tree is built.
pub fn error_meta(resp: &Response) -> ErrorMeta {
    let (code, message) = find_pair(&resp.body, 0).ok().flatten().unwrap_or((None, None));
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

/// Each half of a pair as read: `None` when the key was absent, `Some(None)` when present but empty.
type Half = Option<Option<String>>;

const PAIRS: [(&str, &str); 3] = [("error_code", "error_msg"), ("errorCode", "errorMsg"), ("code", "message")];

/// The first pair in the object at the start of `body`, else in its nested
/// objects, in order; nested objects are found again by their byte offset.
fn find_pair(body: &[u8], depth: usize) -> Result<Option<Pair>, JsonError> {
    let mut r = JsonReader::new(body);
    if r.peek()? != Kind::Object {
        return Ok(None);
    }
    r.begin_object()?;
    // Present keys of each pair (`None` inside: present but null, empty or not a scalar).
    let mut found: [(Half, Half); 3] = Default::default();
    let mut nested = Vec::new();
    while let Some(key) = r.next_key()? {
        let slot = PAIRS.iter().enumerate().find_map(|(i, (c, m))| {
            if key == *c {
                Some((i, true))
            } else if key == *m {
                Some((i, false))
            } else {
                None
            }
        });
        match (slot, r.peek()?) {
            (Some((i, is_code)), kind) => {
                let value = scalar(&mut r, kind)?;
                if is_code { found[i].0 = Some(value) } else { found[i].1 = Some(value) }
            }
            (None, Kind::Object) => {
                nested.push(r.offset());
                r.skip()?;
            }
            (None, _) => r.skip()?,
        }
    }
    if depth == 0 {
        r.finish()?;
    }
    if let Some((code, message)) = found.into_iter().find_map(|(c, m)| Some((c?, m?))) {
        return Ok(Some((code, message)));
    }
    if depth >= MAX_DEPTH {
        return Ok(None);
    }
    for start in nested {
        if let Some(pair) = find_pair(&body[start..], depth + 1)? {
            return Ok(Some(pair));
        }
    }
    Ok(None)
}

/// A present, non-empty value as text (the SDK treats `null` and `""` as absent).
fn scalar(r: &mut JsonReader<'_>, kind: Kind) -> Result<Option<String>, JsonError> {
    Ok(match kind {
        Kind::String => Some(r.string()?.into_owned()).filter(|s| !s.is_empty()),
        Kind::Number => Some(r.number_text()?.to_owned()),
        Kind::Bool => Some(r.bool()?.to_string()),
        _ => {
            r.skip()?;
            None
        }
    })
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

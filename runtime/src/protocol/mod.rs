//! The wire protocols: how requests look and how error answers are read. One
//! module per protocol; every dispatch on [`Protocol`] is an exhaustive `match`.
//!
//! Every `error_meta` takes any answer, however broken (empty, HTML, truncated,
//! not UTF-8, huge, deeply nested) and returns a code: the service's, or the
//! HTTP status as text.

pub mod aws_json;
pub mod aws_query;
#[cfg(feature = "huawei")]
pub mod huawei;
pub mod rest_json;

use std::time::{Duration, SystemTime};

use crate::client::Response;
use crate::error::ErrorMeta;
use crate::service::Protocol;

/// Longest message taken from a body that is not in the protocol's error format.
const MAX_SNIPPET: usize = 1024;

/// The request id the answer carries, wherever its protocol puts it.
pub fn request_id(protocol: Protocol, resp: &Response) -> Option<String> {
    match protocol {
        Protocol::AwsJson10 { .. } | Protocol::AwsJson11 { .. } => aws_json::request_id(resp),
        Protocol::AwsQuery => aws_query::request_id(resp),
        Protocol::RestJson1 => rest_json::request_id(resp),
        #[cfg(feature = "huawei")]
        Protocol::HuaweiRest => huawei::request_id(resp),
    }
}

/// The code, message and request id of an error answer, as its protocol writes them.
pub fn error_meta(protocol: Protocol, resp: &Response) -> ErrorMeta {
    match protocol {
        Protocol::AwsJson10 { .. } | Protocol::AwsJson11 { .. } => aws_json::error_meta(resp),
        Protocol::AwsQuery => aws_query::error_meta(resp),
        Protocol::RestJson1 => rest_json::error_meta(resp),
        #[cfg(feature = "huawei")]
        Protocol::HuaweiRest => huawei::error_meta(resp),
    }
}

/// The answer's `Retry-After` (seconds or HTTP-date), if any.
pub fn retry_after(resp: &Response) -> Option<Duration> {
    resp.header("retry-after").and_then(|v| crate::retry::parse_retry_after(v, SystemTime::now()))
}

/// Which of `names` a child's `name` is (`names.len()` for none): a reader's
/// `match` on the index is a jump, where a `match` on the names compiles a
/// length test and a comparison per member into every reader.
pub fn member_index(name: &str, names: &[&str]) -> usize {
    names.iter().position(|n| *n == name).unwrap_or(names.len())
}

/// Keeps what a member's reader read in the member's slot. A generated reader
/// gives every member's failure to one `?` after its `match` (one way out of
/// the reader, and one set of drops of its locals, instead of one per member);
/// this is compiled once per member type, not once per member. Never inlined:
/// the MIR inliner would otherwise copy it into every member's arm.
#[inline(never)]
pub fn store<T>(read: Result<T, String>, slot: &mut Option<T>) -> Result<(), String> {
    // A `match`, not `?`: this is instantiated for every member type.
    match read {
        Ok(v) => {
            // Taken out and dropped, not dropped in place by `*slot = Some(v)`:
            // that also writes `v` on the unwinding path of the drop.
            drop(slot.replace(v));
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// [`store`] for a member that may be `null` (`read` gives `None` for it).
pub fn store_nullable<T>(read: Result<Option<T>, String>, slot: &mut Option<T>) -> Result<(), String> {
    match read {
        Ok(v) => {
            *slot = v;
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// [`store`] for an item of a member that repeats (a flattened list).
pub fn push<T>(read: Result<T, String>, items: &mut Option<Vec<T>>) -> Result<(), String> {
    match read {
        Ok(v) => {
            items.get_or_insert_with(Vec::new).push(v);
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// A whole number from text (an XML element, a header), trimmed; `what` names
/// the shape in the error. Generated readers call this rather than inline the
/// parse and its message once per member.
pub fn parse_whole<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    text.trim().parse::<T>().map_err(|e| format!("{what}: {e}"))
}

/// `true` or `false` from text, trimmed; `what` names the shape in the error.
pub fn parse_bool(text: &str, what: &str) -> Result<bool, String> {
    match text.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(format!("{what}: {:?} is not a boolean", shown(other))),
    }
}

/// A body as a short message: lossy UTF-8, cut at a char boundary; `None` when blank.
pub(crate) fn snippet(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(MAX_SNIPPET)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut text = text.to_owned();
    if body.len() > MAX_SNIPPET {
        text.push('…');
    }
    Some(text)
}

/// A value from an answer, cut after 64 characters, for error messages that echo it.
pub fn shown(text: &str) -> &str {
    cut(text, 64)
}

/// `text` cut after `max` characters, for error messages that echo an answer.
pub(crate) fn cut(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// The status as text: what a code falls back to.
pub(crate) fn status_code(resp: &Response) -> String {
    resp.status.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_scalars_trim_and_name_the_shape() {
        assert_eq!(parse_whole::<i32>(" 42\n", "Count"), Ok(42));
        assert_eq!(parse_whole::<i8>("128", "Tiny"), Err("Tiny: number too large to fit in target type".to_owned()));
        assert!(parse_whole::<i64>("", "Long").unwrap_err().starts_with("Long: "));
        assert_eq!(parse_bool(" true ", "Flag"), Ok(true));
        assert_eq!(parse_bool("false", "Flag"), Ok(false));
        assert_eq!(parse_bool("True", "Flag"), Err("Flag: \"True\" is not a boolean".to_owned()));
    }

    #[test]
    fn snippet_is_bounded_and_lossy() {
        assert_eq!(snippet(b"  \n"), None);
        assert_eq!(snippet(b"\xffoops").as_deref(), Some("\u{fffd}oops"));
        let long = "é".repeat(MAX_SNIPPET);
        let s = snippet(long.as_bytes()).unwrap();
        assert!(s.len() <= MAX_SNIPPET + 3 && s.ends_with('…'));
    }
}

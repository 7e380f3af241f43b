//! The three wire protocols: how requests look and how error answers are read.
//!
//! Every `error_meta` takes any answer, however broken (empty, HTML, truncated,
//! not UTF-8, huge, deeply nested) and returns a code: the service's, or the
//! HTTP status as text.

pub mod aws_json;
pub mod aws_query;
pub mod rest_json;

use std::time::{Duration, SystemTime};

use crate::client::Response;
use crate::service::Protocol;

/// Longest message taken from a body that is not in the protocol's error format.
const MAX_SNIPPET: usize = 1024;

/// The request id the answer carries, wherever its protocol puts it.
pub fn request_id(protocol: Protocol, resp: &Response) -> Option<String> {
    match protocol {
        Protocol::AwsJson11 { .. } => aws_json::request_id(resp),
        Protocol::AwsQuery { .. } => aws_query::request_id(resp),
        Protocol::RestJson => rest_json::request_id(resp),
    }
}

/// The answer's `Retry-After` (seconds or HTTP-date), if any.
pub fn retry_after(resp: &Response) -> Option<Duration> {
    resp.header("retry-after").and_then(|v| crate::retry::parse_retry_after(v, SystemTime::now()))
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

/// The status as text: what a code falls back to.
pub(crate) fn status_code(resp: &Response) -> String {
    resp.status.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_bounded_and_lossy() {
        assert_eq!(snippet(b"  \n"), None);
        assert_eq!(snippet(b"\xffoops").as_deref(), Some("\u{fffd}oops"));
        let long = "é".repeat(MAX_SNIPPET);
        let s = snippet(long.as_bytes()).unwrap();
        assert!(s.len() <= MAX_SNIPPET + 3 && s.ends_with('…'));
    }
}

//! Request paths. Generated code builds them from a template, putting every
//! label through [`encode_segment`]; the handle re-checks the result with
//! [`check`] before signing.
//!
//! Values no encoding makes safe, `""`, `"."` and `".."`, are refused by
//! [`check`] (an [`crate::Error::Build`], nothing is sent): an empty label would
//! silently turn `/groups/{id}/callback` into `/groups//callback`, and URL
//! parsers resolve `..` and `%2E%2E` alike. Generated validation should reject
//! empty labels first (Smithy requires `@httpLabel` values to be non-empty).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Everything but RFC 3986 unreserved characters.
pub(crate) const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path segment: every byte but `A-Z a-z 0-9 - . _ ~`, so
/// `/`, `?`, `#` and `%` in a value stay data.
pub fn encode_segment(value: &str) -> String {
    utf8_percent_encode(value, UNRESERVED).to_string()
}

/// Percent-encodes a greedy label: as [`encode_segment`], but `/` separates
/// segments and stays (Smithy `{Key+}`). [`check`] then refuses `..` segments.
pub fn encode_greedy(value: &str) -> String {
    value.split('/').map(encode_segment).collect::<Vec<_>>().join("/")
}

/// A query string from pairs in order: keys and values RFC 3986-encoded (space
/// as `%20`, as botocore sends it); a key without a value has no `=`.
pub fn query_string(query: &[(String, Option<String>)]) -> String {
    let mut out = String::new();
    for (k, v) in query {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&encode_segment(k));
        if let Some(v) = v {
            out.push('=');
            out.push_str(&encode_segment(v));
        }
    }
    out
}

/// Accepts a path only if sending it cannot change its meaning: it starts with
/// `/`, has no empty, `.` or `..` segment (also percent-encoded), and holds only
/// characters a path may carry unencoded, plus well-formed `%XX` escapes.
pub fn check(path: &str) -> Result<(), String> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err(format!("path {path:?} does not start with '/'"));
    };
    if rest.is_empty() {
        return Ok(());
    }
    for segment in rest.split('/') {
        let decoded = percent_decode_str(segment).collect::<Vec<u8>>();
        if matches!(decoded.as_slice(), b"" | b"." | b"..") {
            return Err(format!("path {path:?} has an empty, '.' or '..' segment"));
        }
        let bytes = segment.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let ok = match b {
                b'%' => bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)),
                _ => b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@%".contains(&b),
            };
            if !ok {
                return Err(format!("path {path:?} has a character that must be percent-encoded"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(encode_segment("a-Z_0.9~"), "a-Z_0.9~");
        assert_eq!(encode_segment("../x"), "..%2Fx");
        assert_eq!(encode_segment("a/b"), "a%2Fb");
        assert_eq!(encode_segment("%2F"), "%252F");
        assert_eq!(encode_segment("? #&+"), "%3F%20%23%26%2B");
        assert_eq!(encode_segment("é🚀"), "%C3%A9%F0%9F%9A%80");
    }

    #[test]
    fn encoded_labels_pass_the_check() {
        for value in ["../x", "a/b", "%2F", "?", "#", "é", "x y", "a..b"] {
            let path = format!("/v1/{}/callback", encode_segment(value));
            assert_eq!(check(&path), Ok(()), "{path}");
        }
        assert_eq!(check("/"), Ok(()));
    }

    #[test]
    fn refuses_paths_that_would_be_rewritten() {
        for value in ["", ".", ".."] {
            let path = format!("/v1/{}/callback", encode_segment(value));
            assert!(check(&path).is_err(), "{path}");
        }
        for path in ["v1", "/a//b", "/a/", "/a/%2e%2E/b", "/a/%2E", "/a b", "/a?b", "/a#b", "/a%zz", "/a%4", "/é"] {
            assert!(check(path).is_err(), "{path}");
        }
    }
}

//! AWS Signature Version 4, signed in headers, exactly as the `aws-sigv4`
//! crate does it with its default settings (which is also what botocore
//! sends for these services): the path normalized and encoded twice, the
//! query decoded and re-encoded, header values trimmed with inner runs of
//! spaces collapsed, `Authorization`, `User-Agent`, `X-Amzn-Trace-Id` and
//! `Transfer-Encoding` left unsigned, the session token signed, no
//! `X-Amz-Content-Sha256` header.
//!
//! Written here (on `hmac` and `sha2`, which the Huawei signer needs anyway)
//! rather than taken from `aws-sigv4`, whose dependency tree (the Smithy
//! runtime crates, `tracing`, a second `syn`) was about a sixth of a cold
//! build of the generated crate. The botocore vectors and the botocore
//! oracle tests check every signature byte for byte.

use std::fmt::Write as _;
use std::time::SystemTime;

use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, CONTROLS, percent_decode, utf8_percent_encode};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::credentials::AwsCredentials;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Headers left out of the signature: computed here, or changed on the way.
const UNSIGNED: &[&str] = &["authorization", "user-agent", "x-amzn-trace-id", "transfer-encoding"];

/// What `aws-smithy-http` encodes in query strings (RFC 3986: all but `A-Za-z0-9-._~`).
const QUERY_SET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'/')
    .add(b':')
    .add(b',')
    .add(b'?')
    .add(b'#')
    .add(b'[')
    .add(b']')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'@')
    .add(b'!')
    .add(b'$')
    .add(b'&')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*')
    .add(b'+')
    .add(b';')
    .add(b'=')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'"')
    .add(b'^')
    .add(b'`')
    .add(b'\\');

/// The same set with `/` kept, for the (already encoded) path: `%` becomes `%25`.
const PATH_SET: &AsciiSet = &QUERY_SET.remove(b'/');

/// What SigV4 adds to a request.
pub(crate) struct Signature {
    /// `X-Amz-Date`, `Authorization` and, with a session token, `X-Amz-Security-Token`.
    pub headers: Vec<(String, String)>,
}

/// Signs `headers` (every one of them but the unsigned few: pass only those meant to be
/// signed) and the body. `url` must be absolute; `Host` should be among `headers` as it
/// goes on the wire (else it is taken from `url`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign(
    credentials: &AwsCredentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Signature, String> {
    let (scheme_default_port, authority, path, query) = split_url(url)?;
    let time = OffsetDateTime::from(time);
    let date_time = format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        time.year(),
        u8::from(time.month()),
        time.day(),
        time.hour(),
        time.minute(),
        time.second()
    );
    let date = &date_time[..8];
    let session_token = credentials.session_token().map(|t| t.expose());

    // Canonical headers: lower-case names in sorted order, the values of a
    // repeated name joined by `,` in the order given.
    let mut canonical: Vec<(String, String)> = Vec::with_capacity(headers.len() + 3);
    for (name, value) in headers {
        if name.is_empty() || !name.bytes().all(is_token) {
            return Err(format!("SigV4 signing failed: invalid header name {name:?}"));
        }
        if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
            return Err(format!("SigV4 signing failed: invalid value for header {name}"));
        }
        let name = name.to_ascii_lowercase();
        if name == "x-amz-date" || (name == "x-amz-security-token" && session_token.is_some()) {
            // Replaced by the values signed below (the runtime refuses them earlier anyway).
            continue;
        }
        canonical.push((name, trim_all(value)));
    }
    if !canonical.iter().any(|(k, _)| k == "host") {
        let host = match authority.rsplit_once(':') {
            Some((host, port)) if port == scheme_default_port => host,
            _ => authority,
        };
        canonical.push(("host".to_owned(), host.to_owned()));
    }
    canonical.push(("x-amz-date".to_owned(), date_time.clone()));
    if let Some(token) = session_token {
        if token.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
            return Err("SigV4 signing failed: invalid session token".to_owned());
        }
        canonical.push(("x-amz-security-token".to_owned(), token.to_owned()));
    }
    canonical.retain(|(k, _)| !UNSIGNED.contains(&k.as_str()));
    // Stable: repeated names keep their values' order.
    canonical.sort_by(|a, b| a.0.cmp(&b.0));

    let payload_hash = hex::encode(Sha256::digest(body));
    let mut creq = String::with_capacity(256 + url.len() + canonical.iter().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>());
    creq.push_str(method);
    creq.push('\n');
    let normalized = normalize_path(path);
    creq.extend(utf8_percent_encode(&normalized, PATH_SET));
    creq.push('\n');
    canonical_query(query, &mut creq);
    creq.push('\n');
    let mut signed_headers = String::with_capacity(96);
    let mut i = 0;
    while i < canonical.len() {
        let name = &canonical[i].0;
        creq.push_str(name);
        creq.push(':');
        let mut first = true;
        while i < canonical.len() && &canonical[i].0 == name {
            if !first {
                creq.push(',');
            }
            creq.push_str(&canonical[i].1);
            first = false;
            i += 1;
        }
        creq.push('\n');
        if !signed_headers.is_empty() {
            signed_headers.push(';');
        }
        signed_headers.push_str(name);
    }
    creq.push('\n');
    creq.push_str(&signed_headers);
    creq.push('\n');
    creq.push_str(&payload_hash);

    let scope = format!("{date}/{region}/{signing_name}/aws4_request");
    let string_to_sign = format!("{ALGORITHM}\n{date_time}\n{scope}\n{}", hex::encode(Sha256::digest(creq.as_bytes())));
    let secret = credentials.secret_access_key().expose();
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    for part in [region, signing_name, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    let signature = hex::encode(hmac(&key, string_to_sign.as_bytes()));

    let mut authorization = String::with_capacity(128 + signed_headers.len());
    let _ = write!(
        authorization,
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.access_key_id()
    );
    let mut out = vec![("X-Amz-Date".to_owned(), date_time), ("Authorization".to_owned(), authorization)];
    if let Some(token) = session_token {
        out.push(("X-Amz-Security-Token".to_owned(), token.to_owned()));
    }
    Ok(Signature { headers: out })
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// `scheme://authority/path?query` -> (the scheme's default port, authority, path (`/` when
/// empty), query). The URL is the runtime's own, already encoded.
fn split_url(url: &str) -> Result<(&'static str, &str, &str, &str), String> {
    let (default_port, rest) = if let Some(rest) = url.strip_prefix("https://") {
        ("443", rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        ("80", rest)
    } else {
        return Err(format!("SigV4 cannot sign this request: not an http(s) URL: {url:?}"));
    };
    let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, rest) = rest.split_at(end);
    if authority.is_empty() {
        return Err(format!("SigV4 cannot sign this request: no host in {url:?}"));
    }
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    Ok((default_port, authority, if path.is_empty() { "/" } else { path }, query))
}

/// Trims spaces at both ends and collapses inner runs of spaces to one (only `' '`, as S3 does).
fn trim_all(value: &str) -> String {
    let value = value.trim_matches(' ');
    let mut out = String::with_capacity(value.len());
    let mut previous_space = false;
    for c in value.chars() {
        if c == ' ' && previous_space {
            continue;
        }
        previous_space = c == ' ';
        out.push(c);
    }
    out
}

/// Removes `.` and `..` segments and repeated slashes (RFC 3986 §5.2.4, as `aws-sigv4` does).
fn normalize_path(path: &str) -> std::borrow::Cow<'_, str> {
    let path: std::borrow::Cow<'_, str> =
        if path.starts_with('/') { path.into() } else { format!("/{path}").into() };
    if !(path.contains('.') || path.contains("//")) {
        return path;
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut out = String::with_capacity(path.len());
    for segment in &segments {
        out.push('/');
        out.push_str(segment);
    }
    if out.is_empty() || (["/", "/.", "/./", "/..", "/../"].iter().any(|s| path.ends_with(s)) && !out.ends_with('/')) {
        out.push('/');
    }
    out.into()
}

/// The query decoded as a form (`+` is a space), re-encoded, pairs sorted.
fn canonical_query(query: &str, out: &mut String) {
    if query.is_empty() {
        return;
    }
    let decode = |s: &str| -> String {
        let plus = s.replace('+', " ");
        let bytes: Vec<u8> = percent_decode(plus.as_bytes()).collect();
        let text = String::from_utf8_lossy(&bytes);
        utf8_percent_encode(&text, QUERY_SET).to_string()
    };
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    pairs.sort();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    /// The AWS SigV4 test suite's `get-vanilla-query-order-key-case` (credentials and time of the suite).
    #[test]
    fn aws_suite_vector() {
        let creds = AwsCredentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
        let headers = vec![("Host".to_owned(), "example.amazonaws.com".to_owned())];
        // 2015-08-30T12:36:00Z
        let sig = sign(
            &creds,
            "us-east-1",
            "service",
            at(1_440_938_160),
            "GET",
            "https://example.amazonaws.com/?Param2=value2&Param1=value1",
            &headers,
            b"",
        )
        .unwrap();
        assert_eq!(sig.headers[0], ("X-Amz-Date".to_owned(), "20150830T123600Z".to_owned()));
        assert_eq!(
            sig.headers[1].1,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(trim_all("  a   b  c "), "a b c");
        assert_eq!(normalize_path("/a/./b/../c/"), "/a/c/");
        assert_eq!(normalize_path("/a//b"), "/a/b");
        assert_eq!(normalize_path("/.."), "/");
        assert_eq!(normalize_path("/"), "/");
        let mut q = String::new();
        canonical_query("b=2&a=x+y&a=%2F&c", &mut q);
        assert_eq!(q, "a=%2F&a=x%20y&b=2&c=");
        assert_eq!(split_url("http://h:80").unwrap(), ("80", "h:80", "/", ""));
        assert_eq!(split_url("https://h/p?q=1").unwrap(), ("443", "h", "/p", "q=1"));
    }
}

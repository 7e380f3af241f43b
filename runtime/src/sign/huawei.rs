//! Huawei Cloud's SDK-HMAC-SHA256, step by step as the official SDK's
//! `huaweicloudsdkcore/signer/signer.py` does it (see WIRE.md §D):
//! no credential scope, no key derivation, canonical URI with a trailing `/`.

use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};

use crate::path::UNRESERVED;

const ALGORITHM: &str = "SDK-HMAC-SHA256";
const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const CONTENT_SHA256: &str = "X-Sdk-Content-Sha256";
const DATE: &str = "X-Sdk-Date";

/// One request to sign. `path` is the resource path as sent (already
/// percent-encoded), `query` the raw (unencoded) pairs.
#[derive(Clone, Copy)]
pub struct SignInput<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// `host[:port]`, used unless `headers` has a `Host`.
    pub host: &'a str,
    /// The path as sent (percent-encoded).
    pub path: &'a str,
    /// The raw query pairs (a key without a value signs as `key=`).
    pub query: &'a [(String, Option<String>)],
    /// The headers to sign, as sent.
    pub headers: &'a [(String, String)],
    /// The body.
    pub body: &'a [u8],
    /// The access key.
    pub ak: &'a str,
    /// The secret key.
    pub sk: &'a str,
    /// `YYYYMMDDTHHMMSSZ`, used unless `headers` has an `X-Sdk-Date`.
    pub date: &'a str,
}

/// The outcome, with the intermediate strings for debugging against the SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The request's headers with values trimmed, then those the signer added
    /// (`X-Sdk-Content-Sha256`, `X-Sdk-Date`, `Host` when absent), then `Authorization`.
    pub headers: Vec<(String, String)>,
    /// The canonical request (for comparing with the SDK's).
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The `Authorization` header's value.
    pub authorization: String,
}

/// Signs a request as the SDK's `Signer` does.
pub fn sign(input: &SignInput<'_>) -> Signed {
    // Every header value is trimmed, signed or not (the SDK rewrites them all).
    let mut headers: Vec<(String, String)> =
        input.headers.iter().map(|(k, v)| (k.clone(), v.trim().to_owned())).collect();
    let find = |headers: &[(String, String)], name: &str| {
        headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    };
    let json_like = |ct: &str| ct.starts_with("application/json") || ct.starts_with("application/bson");
    if find(&headers, "Content-Type").is_some_and(|ct| !ct.is_empty() && !json_like(&ct)) {
        headers.push((CONTENT_SHA256.to_owned(), "UNSIGNED-PAYLOAD".to_owned()));
    }
    let date = match find(&headers, DATE) {
        Some(d) => d,
        None => {
            headers.push((DATE.to_owned(), input.date.to_owned()));
            input.date.to_owned()
        }
    };
    if find(&headers, "Host").is_none() {
        headers.push(("Host".to_owned(), input.host.trim().to_owned()));
    }

    let mut signed: Vec<(String, &str)> =
        headers.iter().filter(|(k, _)| !k.contains('_')).map(|(k, v)| (k.to_ascii_lowercase(), v.as_str())).collect();
    signed.sort();
    let signed_names = signed.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(";");
    let canonical_headers: String = signed.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();

    let payload_hash = if input.body.is_empty() {
        EMPTY_HASH.to_owned()
    } else {
        match find(&headers, CONTENT_SHA256).filter(|v| !v.is_empty()) {
            Some(v) => v,
            None => hex::encode(Sha256::digest(input.body)),
        }
    };
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        input.method.to_ascii_uppercase(),
        canonical_uri(input.path),
        canonical_query(input.query),
        canonical_headers,
        signed_names,
        payload_hash
    );
    let string_to_sign = format!("{ALGORITHM}\n{date}\n{}", hex::encode(Sha256::digest(canonical_request.as_bytes())));
    let mut mac = Hmac::<Sha256>::new_from_slice(input.sk.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    let authorization = format!("{ALGORITHM} Access={}, SignedHeaders={signed_names}, Signature={signature}", input.ak);
    headers.push(("Authorization".to_owned(), authorization.clone()));
    Signed { headers, canonical_request, string_to_sign, authorization }
}

/// `X-Sdk-Date` for `time`: `YYYYMMDDTHHMMSSZ` in UTC.
pub fn sdk_date(time: std::time::SystemTime) -> Result<String, String> {
    let t = time::OffsetDateTime::from(time);
    if !(0..=9999).contains(&t.year()) {
        return Err(format!("cannot format the signing time: year {} is outside 0..=9999", t.year()));
    }
    let mut date = String::with_capacity(16);
    crate::datetime::write_date_time(&mut date, t, "", "").map_err(|e| e.to_string())?;
    date.push('Z');
    Ok(date)
}

fn quote(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// Decode, split on `/` (so an encoded `%2F` becomes a separator, as in the SDK),
/// re-encode each segment, and end with `/`.
fn canonical_uri(path: &str) -> String {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let mut uri = decoded.split('/').map(quote).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Pairs sorted by (key, value), both RFC 3986-encoded (space as `%20`). The
/// SDK sends the query exactly like this, so the client does too.
pub fn canonical_query(query: &[(String, Option<String>)]) -> String {
    let mut pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_str(), v.as_deref().unwrap_or(""))).collect();
    pairs.sort();
    pairs.iter().map(|(k, v)| format!("{}={}", quote(k), quote(v))).collect::<Vec<_>>().join("&")
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use super::sdk_date;

    #[test]
    fn sdk_date_is_utc_basic_format() {
        assert_eq!(sdk_date(UNIX_EPOCH).unwrap(), "19700101T000000Z");
        // 2024-02-29T23:59:59.999Z: fractions are dropped, not rounded.
        let leap = UNIX_EPOCH + Duration::from_millis(1_709_251_199_999);
        assert_eq!(sdk_date(leap).unwrap(), "20240229T235959Z");
    }

    #[test]
    fn sdk_date_outside_four_digit_years_is_an_error() {
        let before_year_0 = UNIX_EPOCH - Duration::from_secs(62_200_000_000);
        assert!(sdk_date(before_year_0).unwrap_err().contains("outside 0..=9999"));
        assert!(sdk_date(SystemTime::now()).is_ok());
    }
}

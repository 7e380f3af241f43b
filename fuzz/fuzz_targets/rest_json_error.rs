//! `protocol::huawei::error_meta` (Huawei REST; once `rest_json`) on any answer: a code (the status at worst), never a panic.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use lifecycle_hooks_runtime::Response;
use lifecycle_hooks_runtime::protocol::huawei as rest_json;

fuzz_target!(|data: &[u8]| {
    let resp = response(data);
    let meta = rest_json::error_meta(&resp);
    assert_eq!(meta.http_status, resp.status);
    assert!(!meta.code.is_empty());
    let _ = meta.to_string();
});

/// Two bytes of status, then header values up to a blank line (one per line,
/// given in turn to the headers the parsers read), then the body.
fn response(data: &[u8]) -> Response {
    let status = u16::from_be_bytes([data.first().copied().unwrap_or(0), data.get(1).copied().unwrap_or(0)]);
    let rest = data.get(2..).unwrap_or_default();
    let (head, body) = match rest.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&rest[..i], &rest[i + 2..]),
        None => (&[][..], rest),
    };
    const NAMES: [&str; 5] = ["x-amzn-errortype", "x-amzn-requestid", "x-request-id", "retry-after", "content-type"];
    let headers = head
        .split(|b| *b == b'\n')
        .zip(NAMES)
        .map(|(v, k)| (k.to_owned(), String::from_utf8_lossy(v).into_owned()))
        .collect();
    Response { status, headers, body: body.to_vec() }
}

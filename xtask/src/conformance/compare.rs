//! A case's expectation against what the runner produced, compared as
//! botocore's own harness (`tests/unit/test_protocols.py`) compares them.

use serde_json::Value;

use super::Case;

pub fn case(case: &Case, actual: &Value) -> Result<(), String> {
    if case.is_input() { request(case, actual) } else { response(case, actual) }
}

/// The protocol part of a suite label: `input/rest-json` -> `rest-json`.
fn protocol(case: &Case) -> &str {
    case.file.split_once('/').map_or("", |(_, p)| p)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// List header values are joined by `", "` in the suites and by `","` in
/// botocore; its harness evens that out, and so does this.
fn header_value(v: &str) -> String {
    v.replace(", ", ",")
}

fn request(case: &Case, actual: &Value) -> Result<(), String> {
    if let Some(e) = actual.get("error") {
        return Err(format!("the request could not be built: {}", e.as_str().unwrap_or_default()));
    }
    let expected = &case.json["serialized"];
    let method = actual["method"].as_str().unwrap_or_default();
    if let Some(m) = expected["method"].as_str()
        && m != method
    {
        return Err(format!("method: expected {m}, sent {method}"));
    }
    let url = actual["url"].as_str().unwrap_or_default();
    let (host, target) = split_url(url);
    if let Some(h) = expected["host"].as_str()
        && h != host
    {
        return Err(format!("host: expected {h}, sent {host}"));
    }
    let uri = expected["uri"].as_str().unwrap_or_default();
    if uri != target {
        return Err(format!("URI: expected {uri}, sent {target}"));
    }
    let headers: Vec<(String, String)> = actual["headers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| Some((h[0].as_str()?.to_owned(), h[1].as_str()?.to_owned())))
        .collect();
    for (name, value) in expected["headers"].as_object().into_iter().flatten() {
        let mut want = value.as_str().unwrap_or_default().to_owned();
        if name.eq_ignore_ascii_case("content-type") {
            match protocol(case) {
                // botocore sends the charset the suites leave out; its harness adds it to the expectation.
                "query" if !want.contains("charset=utf-8") => want.push_str("; charset=utf-8"),
                // botocore sets no Content-Type for streaming payloads; its harness skips the expectation.
                "rest-json" if want != "application/json" && header(&headers, name).is_none() => continue,
                _ => {}
            }
        }
        match header(&headers, name) {
            None => return Err(format!("header {name}: expected {want:?}, not sent")),
            Some(got) if header_value(got) != header_value(&want) => {
                return Err(format!("header {name}: expected {want:?}, sent {got:?}"));
            }
            Some(_) => {}
        }
    }
    for name in expected["forbidHeaders"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if let Some(got) = header(&headers, name) {
            return Err(format!("header {name} must not be sent, sent {got:?}"));
        }
    }
    for name in expected["requireHeaders"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if header(&headers, name).is_none() {
            return Err(format!("header {name} is required, not sent"));
        }
    }
    if let Some(want) = expected.get("body").and_then(Value::as_str) {
        let body = sent_body(actual);
        body_equal(protocol(case), want, &body)?;
    }
    Ok(())
}

/// The body the runner printed (as an array of bytes).
fn sent_body(actual: &Value) -> Vec<u8> {
    actual["body"].as_array().into_iter().flatten().filter_map(|b| b.as_u64().map(|b| b as u8)).collect()
}

/// `https://host[:port]/path?query` -> (`host[:port]`, `/path?query`).
fn split_url(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    }
}

fn body_equal(protocol: &str, want: &str, body: &[u8]) -> Result<(), String> {
    let got = String::from_utf8_lossy(body);
    match protocol {
        "json" | "rest-json" => {
            let parsed: Result<Value, _> = serde_json::from_str(want);
            match parsed {
                Ok(want_v) => {
                    let got_v: Value =
                        serde_json::from_slice(body).map_err(|e| format!("body: expected JSON {want}, sent {got:?} ({e})"))?;
                    if json_equal(&want_v, &got_v) { Ok(()) } else { Err(format!("body: expected {want_v}, sent {got_v}")) }
                }
                // restJson1 payloads that are not JSON (blobs, strings) compare as bytes.
                Err(_) if protocol == "rest-json" => {
                    if want.as_bytes() == body { Ok(()) } else { Err(format!("body: expected {want:?}, sent {got:?}")) }
                }
                Err(e) => Err(format!("body: the suite's body {want:?} is not JSON ({e})")),
            }
        }
        _ => {
            // botocore's harness encodes form bodies with %20 for spaces; ours go as browsers send them (+).
            let normalized = reencode_form(&got);
            if normalized == want { Ok(()) } else { Err(format!("body: expected {want:?}, sent {normalized:?}")) }
        }
    }
}

/// Decodes `a=b+c&d` and encodes it again as botocore's `percent_encode_sequence` does.
fn reencode_form(body: &str) -> String {
    let decode = |s: &str| -> String {
        let bytes = s.replace('+', " ").into_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%'
                && i + 2 < bytes.len()
                && let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16)
            {
                out.push(b);
                i += 3;
                continue;
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    let encode = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    body.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => format!("{}={}", encode(&decode(k)), encode(&decode(v))),
            None => encode(&decode(kv)),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn response(case: &Case, actual: &Value) -> Result<(), String> {
    if let Some(f) = actual.get("failure") {
        return Err(format!("the call failed: {}", f.as_str().unwrap_or_default()));
    }
    let c = &case.json;
    if c.get("error").is_some() || c.get("errorCode").is_some() {
        let Some(e) = actual.get("error") else {
            return Err(format!("expected error {}, got output {}", c["errorCode"], actual["output"]));
        };
        let mut want = serde_json::Map::new();
        want.insert(
            "Error".into(),
            serde_json::json!({ "Code": c["errorCode"].as_str().unwrap_or(""), "Message": c["errorMessage"].as_str().unwrap_or("") }),
        );
        for (k, v) in c["error"].as_object().into_iter().flatten() {
            want.insert(k.clone(), v.clone());
        }
        let mut got = serde_json::Map::new();
        got.insert(
            "Error".into(),
            serde_json::json!({ "Code": e["code"].as_str().unwrap_or(""), "Message": e["message"].as_str().unwrap_or("") }),
        );
        for (k, v) in e["members"].as_object().into_iter().flatten() {
            got.insert(k.clone(), v.clone());
        }
        let (want, got) = (Value::Object(want), Value::Object(got));
        return if json_equal(&want, &got) {
            Ok(())
        } else {
            Err(format!("error: expected {want}, got {got} (variant {})", e["variant"]))
        };
    }
    let Some(output) = actual.get("output") else {
        return Err(format!("expected output, got error {}", actual["error"]));
    };
    let want = c.get("result").cloned().unwrap_or(Value::Object(Default::default()));
    if json_equal(&want, output) { Ok(()) } else { Err(format!("output: expected {want}, got {output}")) }
}

/// JSON equality as Python's: numbers by value (`1 == 1.0`), timestamps' float
/// seconds to the microsecond.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            x == y || (x - y).abs() <= 1e-6 * x.abs().max(1.0)
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

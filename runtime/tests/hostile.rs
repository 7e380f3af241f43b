//! Error answers no parser should trust: every `error_meta` must return the
//! status as the code (or what it can read) and never panic.

use lifecycle_hooks_runtime::protocol::{aws_json, aws_query, huawei};
use lifecycle_hooks_runtime::{ErrorMeta, Response};

/// moto 5.2.1's answer to operations it does not implement.
const MOTO_500: &str = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n\
<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your \
request. Either the server is overloaded or there is an error in the application.</p>\n";

type Parser = fn(&Response) -> ErrorMeta;
const PARSERS: [(&str, Parser); 3] =
    [("aws_json", aws_json::error_meta), ("aws_query", aws_query::error_meta), ("rest_json", huawei::error_meta)];

fn response(status: u16, body: impl Into<Vec<u8>>) -> Response {
    Response { status, headers: vec![("Content-Type".into(), "text/html".into())], body: body.into() }
}

fn hostile_bodies() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("empty", Vec::new()),
        ("moto html", MOTO_500.into()),
        ("truncated json", br#"{"__type":"Throttling","message":"slow d"#.to_vec()),
        ("truncated xml", b"<ErrorResponse><Error><Code>Throttling</Co".to_vec()),
        ("invalid utf-8", b"\xff\xfe\x00\x80garbage\xc3".to_vec()),
        ("invalid utf-8 inside json", b"{\"__type\":\"A\xff\",\"code\":\"B\xfe\"}".to_vec()),
        ("json array", b"[1,2,3]".to_vec()),
        ("json string", b"\"error\"".to_vec()),
        ("nested arrays", "[".repeat(200_000).into_bytes()),
        ("nested objects", "{\"a\":".repeat(200_000).into_bytes()),
        ("nested xml", "<a>".repeat(200_000).into_bytes()),
        ("closed nested xml", format!("{}{}", "<a>".repeat(20_000), "</a>".repeat(20_000)).into_bytes()),
        ("xml bomb", b"<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]><ErrorResponse><Error><Code>&b;</Code></Error></ErrorResponse>".to_vec()),
        ("huge", vec![b'x'; 20 * 1024 * 1024]),
        ("nul bytes", vec![0; 4096]),
    ]
}

#[test]
fn every_parser_survives_every_hostile_body() {
    for (kind, body) in hostile_bodies() {
        for (protocol, parse) in PARSERS {
            let meta = parse(&response(503, body.clone()));
            assert_eq!(meta.code, "503", "{protocol} / {kind}");
            assert_eq!(meta.http_status, 503);
            if let Some(message) = &meta.message {
                assert!(message.len() <= 1100, "{protocol} / {kind}: message of {} bytes", message.len());
            }
        }
    }
}

#[test]
fn html_pages_keep_a_short_message() {
    for (protocol, parse) in PARSERS {
        let meta = parse(&response(500, MOTO_500));
        assert_eq!(meta.code, "500", "{protocol}");
        assert!(meta.message.as_deref().unwrap().starts_with("<!doctype html>"), "{protocol}");
        assert_eq!(parse(&response(500, "")).message, None, "{protocol}");
    }
}

#[test]
fn headers_still_count_when_the_body_is_broken() {
    let mut resp = response(400, "<html>oops");
    resp.headers.push(("X-Amzn-ErrorType".into(), "ns#ThrottlingException:http://x".into()));
    resp.headers.push(("X-AMZN-REQUESTID".into(), "rid-1".into()));
    resp.headers.push(("retry-after".into(), "3".into()));
    let meta = aws_json::error_meta(&resp);
    assert_eq!(meta.code, "ThrottlingException");
    assert_eq!(meta.request_id.as_deref(), Some("rid-1"));
    assert_eq!(meta.retry_after, Some(std::time::Duration::from_secs(3)));
    assert_eq!(aws_query::error_meta(&resp).request_id.as_deref(), Some("rid-1"));
}

#[test]
fn query_error_without_namespace_or_message() {
    let body = "<ErrorResponse><Error><Type>Receiver</Type><Code> InternalFailure </Code></Error>\
                <RequestId>r-2</RequestId></ErrorResponse>";
    let meta = aws_query::error_meta(&response(500, body));
    assert_eq!(meta.code, "InternalFailure");
    assert_eq!(meta.message, None);
    assert_eq!(meta.request_id.as_deref(), Some("r-2"));
}

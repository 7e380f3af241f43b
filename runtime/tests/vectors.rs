//! The reference vectors (produced by botocore and the Huawei SDK), reproduced
//! through the runtime's own code paths.

mod common;

use common::*;
use lifecycle_hooks_runtime::protocol::{aws_json, aws_query, huawei as huawei_rest};
use lifecycle_hooks_runtime::sign::huawei;
use lifecycle_hooks_runtime::{Handle, OperationMeta, Request, Response, ServiceMeta, path};
use percent_encoding::percent_decode_str;
use serde_json::Value;

const AWS_FILES: [(&str, &ServiceMeta); 4] = [
    ("PutLifecycleEventHookExecutionStatus", &CODEDEPLOY),
    ("SendWorkflowStepState", &TRANSFER),
    ("ListHookResults", &CLOUDFORMATION),
    ("PutLifecycleHook", &AUTOSCALING),
];

fn op(name: &str) -> &'static OperationMeta {
    Box::leak(Box::new(OperationMeta::new(name.to_owned().leak(), "POST", 200)))
}

fn form_pairs(body: &str) -> Vec<(String, String)> {
    let decode = |s: &str| percent_decode_str(&s.replace('+', " ")).decode_utf8().unwrap().into_owned();
    body.split('&').map(|kv| kv.split_once('=').unwrap()).map(|(k, v)| (decode(k), decode(v))).collect()
}

/// The request as generated code would build it: FormWriter for query (checked
/// against botocore's bytes), the JSON bytes as they are for awsJson.
fn request_for(service: &ServiceMeta, op: &'static OperationMeta, body: &str) -> Request {
    if matches!(service.protocol, lifecycle_hooks_runtime::Protocol::AwsQuery) {
        let pairs = form_pairs(body);
        let mut form = aws_query::FormWriter::new(&pairs[0].1, &pairs[1].1);
        for (k, v) in &pairs[2..] {
            form.param(k, v);
        }
        let bytes = form.finish();
        assert_eq!(String::from_utf8_lossy(&bytes), body, "FormWriter differs from botocore");
        aws_query::request(service, op, bytes)
    } else {
        aws_json::request(service, op, body.as_bytes().to_vec())
    }
}

#[test]
fn sigv4_request_vectors_byte_for_byte() {
    let mut checked = 0;
    for (name, service) in AWS_FILES {
        let file = reference(&format!("vectors/{name}.vectors.json"));
        let op = op(name);
        let handle = Handle::new(service, vector_config().build()).unwrap();
        for vector in file["request_vectors"].as_array().unwrap() {
            let wire = &vector["expected_wire"];
            let prepared = handle.prepare(op, &request_for(service, op, str_of(wire, "body_utf8"))).unwrap();
            let id = format!("{name}/{}", str_of(vector, "id"));
            assert_eq!(prepared.method, str_of(wire, "method"), "{id}");
            assert_eq!(prepared.url, str_of(wire, "url"), "{id}");
            for (header, expected) in wire["headers_stable"].as_object().unwrap() {
                assert_eq!(prepared.header(header), expected.as_str(), "{id}: {header}");
            }
            if let Some(standalone) = vector.get("sigv4_standalone") {
                let host = &standalone["request"]["headers_before_signing"]["Host"];
                assert_eq!(prepared.header("Host"), host.as_str(), "{id}");
                for (header, expected) in standalone["expected_headers"].as_object().unwrap() {
                    assert_eq!(prepared.header(header), expected.as_str(), "{id}: {header}");
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 8);
}

#[test]
fn sigv4_signs_the_session_token_and_a_non_default_port() {
    let config = vector_config()
        .aws_credentials(lifecycle_hooks_runtime::AwsCredentials::new(
            AWS_KEY,
            AWS_SECRET,
            Some("SESSION/TOKEN".into()),
        ))
        .endpoint_url("http://127.0.0.1:4566")
        .build();
    let handle = Handle::new(&TRANSFER, config).unwrap();
    let op = op("SendWorkflowStepState");
    let prepared = handle.prepare(op, &aws_json::request(&TRANSFER, op, b"{}".to_vec())).unwrap();
    assert_eq!(prepared.header("Host"), Some("127.0.0.1:4566"));
    assert_eq!(prepared.header("X-Amz-Security-Token"), Some("SESSION/TOKEN"));
    let auth = prepared.header("Authorization").unwrap();
    assert!(auth.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"), "{auth}");
    let shown = format!("{prepared:?}");
    assert!(!shown.contains("SESSION/TOKEN") && shown.contains("redacted"), "{shown}");
}

fn huawei_input_query(raw: &Value) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for pair in raw.as_array().unwrap() {
        let key = pair[0].as_str().unwrap().to_owned();
        let values = match &pair[1] {
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        };
        for v in values {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(), // numbers, and true/false as the SDK lower-cases them
            };
            out.push((key.clone(), Some(text)));
        }
    }
    out
}

fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

#[test]
fn huawei_signer_vectors_byte_for_byte() {
    let file = reference("vectors/huawei.vectors.json");
    for vector in file["signer_vectors"].as_array().unwrap() {
        let input = &vector["input"];
        let headers: Vec<(String, String)> = input["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let query = huawei_input_query(&input["query_params"]);
        let body = input["body_utf8"].as_str().unwrap_or("").as_bytes();
        let signed = huawei::sign(&huawei::SignInput {
            method: str_of(input, "method"),
            host: str_of(input, "host"),
            path: str_of(input, "resource_path"),
            query: &query,
            headers: &headers,
            body,
            ak: str_of(input, "ak"),
            sk: str_of(input, "sk"),
            date: "19990101T000000Z", // the vectors preset X-Sdk-Date, which must win
        });
        let id = str_of(vector, "id");
        let expected = &vector["expected"];
        assert_eq!(signed.canonical_request, str_of(vector, "canonical_request"), "{id}");
        assert_eq!(signed.string_to_sign, str_of(vector, "string_to_sign"), "{id}");
        assert_eq!(signed.authorization, str_of(expected, "Authorization"), "{id}");
        let after: Vec<(String, String)> = expected["headers_after_signing"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(sorted(signed.headers), sorted(after), "{id}");
        let query_string = huawei::canonical_query(&query);
        let uri = if query_string.is_empty() {
            str_of(input, "resource_path").to_owned()
        } else {
            format!("{}?{query_string}", str_of(input, "resource_path"))
        };
        assert_eq!(uri, str_of(expected, "request_uri"), "{id}");
    }
}

#[test]
fn huawei_signer_adds_date_host_and_unsigned_payload() {
    let headers = vec![("Content-Type".to_owned(), "text/plain".to_owned())];
    let signed = huawei::sign(&huawei::SignInput {
        method: "post",
        host: "h:8443",
        path: "/a%2Fb/c",
        query: &[],
        headers: &headers,
        body: b"x",
        ak: "AK",
        sk: "SK",
        date: "20240102T030405Z",
    });
    assert!(signed.canonical_request.starts_with("POST\n/a/b/c/\n\ncontent-type:text/plain\nhost:h:8443\n"));
    assert!(signed.canonical_request.ends_with("x-sdk-content-sha256:UNSIGNED-PAYLOAD\nx-sdk-date:20240102T030405Z\n\ncontent-type;host;x-sdk-content-sha256;x-sdk-date\nUNSIGNED-PAYLOAD"));
}

/// Splits a captured HTTP/1.1 message into request line / status line, headers and body.
fn split_message(raw: &str) -> (String, Vec<(String, String)>, String) {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let mut lines = head.split("\r\n");
    let first = lines.next().unwrap().to_owned();
    let headers = lines.map(|l| l.split_once(": ").unwrap()).map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    (first, headers, body.to_owned())
}

#[test]
fn huawei_e2e_captures_signed_through_prepare() {
    let file = reference("vectors/huawei.vectors.json");
    let config =
        vector_config().endpoint_url("http://127.0.0.1:40915").user_agent("huaweicloud-usdk-python/3.0").build();
    let handle = Handle::new(&HUAWEI_AS, config).unwrap();
    let project = handle.client_parameter("project_id").unwrap();
    let group = "a1b2c3d4-e5f6-7890-abcd-ef0123456789";
    let path = format!(
        "/autoscaling-api/v1/{}/scaling_instance_hook/{}/callback",
        path::encode_segment(project),
        path::encode_segment(group)
    );
    for capture in file["e2e_asclient_on_loopback"].as_array().unwrap() {
        let id = str_of(capture, "id");
        let body = str_of(capture, "raw_request_body_utf8").as_bytes().to_vec();
        let prepared = handle.prepare(&HUAWEI_CALLBACK, &huawei_rest::request(path.clone(), Vec::new(), body)).unwrap();
        let (request_line, headers, _) = split_message(str_of(capture, "raw_request_head"));
        assert_eq!(request_line, format!("PUT {path} HTTP/1.1"), "{id}");
        assert_eq!(prepared.url, format!("http://127.0.0.1:40915{path}"), "{id}");
        for (name, value) in &headers {
            if ["Accept-Encoding", "Connection"].contains(&name.as_str()) {
                continue; // added by Python's requests, unsigned; this client sends neither
            }
            assert_eq!(prepared.header(name), Some(value.as_str()), "{id}: {name}");
        }
    }
}

fn response_from(status: u16, headers: &Value, body: &str) -> Response {
    let headers = headers
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect())
        .unwrap_or_default();
    Response { status, headers, body: body.as_bytes().to_vec() }
}

#[test]
fn huawei_e2e_error_answers() {
    let file = reference("vectors/huawei.vectors.json");
    for capture in file["e2e_asclient_on_loopback"].as_array().unwrap() {
        let (status_line, headers, body) = split_message(str_of(capture, "canned_response"));
        let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
        let response = Response { status, headers, body: body.into_bytes() };
        let result = &capture["sdk_result"];
        let id = str_of(capture, "id");
        if result["outcome"] == "success" {
            assert_eq!(status, HUAWEI_CALLBACK.success_status, "{id}");
            continue;
        }
        let meta = huawei_rest::error_meta(&response);
        assert_eq!(meta.http_status, result["status_code"].as_u64().unwrap() as u16, "{id}");
        assert_eq!(meta.code, str_of(result, "error_code"), "{id}");
        assert_eq!(meta.message.as_deref(), result["error_msg"].as_str(), "{id}");
        assert_eq!(meta.request_id.as_deref(), result["request_id"].as_str(), "{id}");
    }
}

#[test]
fn aws_response_vectors() {
    let mut checked = 0;
    for (name, service) in AWS_FILES {
        let file = reference(&format!("vectors/{name}.vectors.json"));
        let query = matches!(service.protocol, lifecycle_hooks_runtime::Protocol::AwsQuery);
        for vector in file["response_vectors"].as_array().unwrap() {
            let id = format!("{name}/{}", str_of(vector, "id"));
            let status = vector["status_code"].as_u64().unwrap() as u16;
            let response = response_from(status, &vector["headers"], str_of(vector, "body"));
            let parsed = &vector["expected_parser_output"];
            let request_id = parsed["ResponseMetadata"]["RequestId"].as_str();
            match parsed.get("Error") {
                Some(error) => {
                    let meta = if query { aws_query::error_meta(&response) } else { aws_json::error_meta(&response) };
                    assert_eq!(meta.code, str_of(error, "Code"), "{id}");
                    assert_eq!(meta.message.as_deref(), error["Message"].as_str(), "{id}");
                    assert_eq!(meta.request_id.as_deref(), request_id, "{id}");
                    assert_eq!(meta.http_status, status, "{id}");
                }
                None if query => {
                    assert_eq!(aws_query::request_id(&response).as_deref(), request_id, "{id}");
                    let wrapper = format!("{name}Result");
                    let read = aws_query::read_answer(&response.body, Some(&wrapper), |_| Ok(()));
                    assert_eq!(read.map(|(_, id)| id), Ok(request_id.map(str::to_owned)), "{id}");
                }
                None => assert_eq!(aws_json::request_id(&response).as_deref(), request_id, "{id}"),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 8);
}

/// botocore's public protocol tests, including the awsJson header/`code` cases
/// botocore itself skips (the Smithy specification is followed here).
#[test]
fn protocol_test_error_cases() {
    let mut checked = 0;
    for (file, query) in [("protocol-tests/output/json.json", false), ("protocol-tests/output/query.json", true)] {
        for suite in reference(file).as_array().unwrap() {
            for case in suite["cases"].as_array().unwrap() {
                let Some(code) = case.get("errorCode").and_then(Value::as_str) else { continue };
                let r = &case["response"];
                let response = response_from(
                    r["status_code"].as_u64().unwrap() as u16,
                    &r["headers"],
                    r["body"].as_str().unwrap_or(""),
                );
                let meta = if query { aws_query::error_meta(&response) } else { aws_json::error_meta(&response) };
                let id = str_of(case, "id");
                assert_eq!(meta.code, code, "{id}");
                if let Some(message) = case.get("errorMessage").and_then(Value::as_str) {
                    assert_eq!(meta.message.as_deref(), Some(message), "{id}");
                }
                if query {
                    assert_eq!(meta.request_id.as_deref(), Some("foo-id"), "{id}");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 15);
}

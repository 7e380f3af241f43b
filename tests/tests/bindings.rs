//! The HTTP bindings and answer parsers of the generator's restJson1 path,
//! on the test-only service `tests/models/bindings.yaml` (every shape type and
//! binding), through `runtime::testing::InMemoryTransport`: hostile values
//! never change the host or climb the path, headers never split, tokens are
//! fresh UUIDs, secrets stay out of `Debug`, and no answer (random, mutated,
//! deeply nested, huge) makes a parser panic or spend memory out of
//! proportion to it.

use std::time::{Duration, UNIX_EPOCH};

use lifecycle_hooks_runtime::testing::{InMemoryTransport, response};
use lifecycle_hooks_runtime::{AwsCredentials, Config, Error, RetryConfig};
use proptest::prelude::*;
use tests::fixtures::bindings::{
    Choice, Client, GetBlobInput, PutThingError, PutThingInput, PutThingOutput, Thing,
};

fn client(transport: &InMemoryTransport) -> Client {
    let config = Config::builder()
        .region("us-east-1")
        .aws_credentials(AwsCredentials::new("AKIDEXAMPLE", "secret", None))
        .signing_time(Some(UNIX_EPOCH + Duration::from_secs(1_704_164_645)))
        .retry(RetryConfig::disabled())
        .transport(transport.clone())
        .build();
    Client::new(config).unwrap()
}

fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

fn put(input: PutThingInput) -> (Result<PutThingOutput, Error<PutThingError>>, InMemoryTransport) {
    let transport = InMemoryTransport::new([response(201, &[], "{}")]);
    let out = run(client(&transport).put_thing(input));
    (out, transport)
}

#[test]
fn a_host_label_never_changes_the_host() {
    for bad in ["a.evil.com", "..", "a@b", "b:443", "a/b", "", &"x".repeat(64), "-a", "é"] {
        let (out, transport) = put(PutThingInput::new("id", "k", bad));
        assert!(matches!(out, Err(Error::Build(ref m)) if m.contains("Tenant")), "{bad:?}: {out:?}");
        assert!(transport.requests().is_empty(), "{bad:?} was sent");
    }
    let (out, transport) = put(PutThingInput::new("id", "k", "tenant-7"));
    out.unwrap();
    let sent = transport.last_request().unwrap();
    assert!(sent.url.starts_with("https://tenant-7.data.bindings.us-east-1.amazonaws.com/"), "{}", sent.url);
    assert_eq!(sent.header("host"), Some("tenant-7.data.bindings.us-east-1.amazonaws.com"));
}

#[test]
fn labels_are_encoded_per_segment_and_cannot_climb() {
    let (out, transport) = put(PutThingInput::new("a/b c%", "dir/file name.txt", "t"));
    out.unwrap();
    let url = transport.last_request().unwrap().url;
    let path = url.split_once(".com").unwrap().1;
    assert!(path.starts_with("/things/a%2Fb%20c%25/files/dir/file%20name.txt?"), "{path}");
    for key in ["../etc/passwd", "a/../../b", "a/./b", "a//b", "%2e%2e/x"] {
        let (out, transport) = put(PutThingInput::new("id", key, "t"));
        match key {
            // An encoded `%` is data, so `%2e%2e` is the text "%2e%2e", not `..`.
            "%2e%2e/x" => {
                out.unwrap();
                assert!(transport.last_request().unwrap().url.contains("/files/%252e%252e/x"));
            }
            _ => {
                assert!(matches!(out, Err(Error::Build(_))), "{key}: {out:?}");
                assert!(transport.requests().is_empty(), "{key} was sent");
            }
        }
    }
}

#[test]
fn query_keys_and_values_are_always_encoded() {
    let extra = [("a&b=c".to_owned(), "x y&z".to_owned()), ("tag".to_owned(), "ignored".to_owned())];
    let input = PutThingInput::new("id", "k", "t").tags(vec!["1+1=2".to_owned(), "é".to_owned()]).extra(extra);
    let (out, transport) = put(input);
    out.unwrap();
    let url = transport.last_request().unwrap().url;
    let query = url.split_once('?').unwrap().1;
    // The literal query first, then the members; a map entry named like a bound parameter loses.
    assert_eq!(query, "mode=full&flag&tag=1%2B1%3D2&tag=%C3%A9&a%26b%3Dc=x%20y%26z");
}

#[test]
fn header_values_with_cr_or_lf_are_refused_before_sending() {
    for bad in ["a\r\nX-Injected: 1", "a\nb", "a\rb", "nul\0"] {
        let (out, transport) = put(PutThingInput::new("id", "k", "t").note(bad));
        assert!(matches!(out, Err(Error::Build(_))), "{bad:?}: {out:?}");
        assert!(transport.requests().is_empty());
        let meta = [("X-Bad\r\n".to_owned(), "v".to_owned())];
        let (out, _) = put(PutThingInput::new("id", "k", "t").meta(meta));
        assert!(matches!(out, Err(Error::Build(_))), "{out:?}");
    }
}

#[test]
fn idempotency_tokens_are_fresh_uuids_unless_given() {
    let token = |input: PutThingInput| {
        let (out, transport) = put(input);
        out.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&transport.last_request().unwrap().body).unwrap();
        body["Token"].as_str().unwrap().to_owned()
    };
    let (a, b) = (token(PutThingInput::new("id", "k", "t")), token(PutThingInput::new("id", "k", "t")));
    assert_ne!(a, b);
    for t in [&a, &b] {
        let parts: Vec<&str> = t.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{t}");
        assert!(parts[2].starts_with('4') && matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{t}");
    }
    assert_eq!(token(PutThingInput::new("id", "k", "t").token("mine")), "mine");
}

#[test]
fn sensitive_members_stay_out_of_debug() {
    let input = PutThingInput::new("id", "k", "t").secret("hunter2");
    let shown = format!("{input:?} {input:#?}");
    assert!(!shown.contains("hunter2") && shown.contains("** redacted **"), "{shown}");
    assert!(shown.contains("\"id\""), "other fields still show: {shown}");
}

#[test]
fn answers_bind_status_headers_and_body() {
    let body = r#"{"Thing": {"Flag": true, "Tiny": -128, "Small": 32767, "Count": 7, "Big": 9223372036854775807,
        "Ratio": 1.5, "Weight": "NaN", "Huge": 123456789012345678901234567890, "Precise": 1.000000000000000000001,
        "Name": "é\u00e9", "Data": "aGk=", "At": 1398796238.5, "AtDate": "Tue, 29 Apr 2014 18:30:38 GMT",
        "AtEpoch": 0, "Any": {"a": [1, null, true]}, "Color": "purple", "Level": 3,
        "Choice": {"Future": 1}, "Items": ["a", null, "b"], "Lookup": {"k": "v", "n": null},
        "Child": {"Choice": {"Word": "w"}, "Child": {"Count": 1}}, "Unknown": {"deep": [[[]]]}}}"#;
    let transport = InMemoryTransport::new([response(
        201,
        &[("ETag", "\"e\""), ("X-Dates", "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT")],
        body,
    )]);
    let out = run(client(&transport).put_thing(PutThingInput::new("id", "k", "t"))).unwrap();
    assert_eq!(out.status, Some(201));
    assert_eq!(out.etag.as_deref(), Some("\"e\""));
    assert_eq!(out.dates.as_ref().map(Vec::len), Some(2));
    let t: Thing = out.thing.unwrap();
    assert_eq!((t.flag, t.tiny, t.small, t.count, t.big), (Some(true), Some(-128), Some(32767), Some(7), Some(i64::MAX)));
    assert_eq!(t.ratio, Some(1.5));
    assert!(t.weight.unwrap().is_nan());
    assert_eq!(t.huge.unwrap().as_str(), "123456789012345678901234567890");
    assert_eq!(t.precise.unwrap().as_str(), "1.000000000000000000001");
    assert_eq!(t.data.unwrap().as_bytes(), b"hi");
    assert_eq!(t.at.unwrap().unix_timestamp_nanos(), 1_398_796_238_500_000_000);
    assert_eq!(t.at_date.unwrap().unix_timestamp_nanos(), 1_398_796_238_000_000_000);
    assert_eq!(t.color.unwrap().as_str(), "purple", "an enum value the model lacks survives");
    assert_eq!(t.level.unwrap().value(), 3, "an int enum value the model lacks survives");
    assert_eq!(t.choice, Some(Box::new(Choice::Unknown("Future".into()))), "an unknown union member is kept by name");
    assert_eq!(t.items, Some(vec!["a".to_owned(), "b".to_owned()]), "nulls in a list are dropped");
    assert_eq!(t.lookup.unwrap().len(), 1);
    let child = t.child.unwrap();
    assert_eq!(child.choice, Some(Box::new(Choice::Word("w".into()))));
    assert_eq!(child.child.unwrap().count, Some(1));
}

#[test]
fn errors_bind_body_and_header_members() {
    let transport = InMemoryTransport::new([response(
        409,
        &[("X-Amzn-Errortype", "ThingError:http://internal"), ("X-Reason", "busy")],
        r#"{"Message": "taken", "code": "Other"}"#,
    )]);
    let err = run(client(&transport).put_thing(PutThingInput::new("id", "k", "t"))).unwrap_err();
    match err.into_service_error().unwrap() {
        PutThingError::ThingError(e) => {
            assert_eq!((e.message.as_deref(), e.reason.as_deref()), (Some("taken"), Some("busy")));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn blob_payloads_travel_raw() {
    let bytes: Vec<u8> = (0..=255).collect();
    let transport = InMemoryTransport::new([response(200, &[("X-Kind", "raw")], bytes.clone())]);
    let out = run(client(&transport).get_blob(GetBlobInput::new().data(bytes.clone()).kind("k"))).unwrap();
    let sent = transport.last_request().unwrap();
    assert_eq!(sent.body, bytes);
    assert_eq!(sent.header("content-type"), Some("application/octet-stream"));
    assert_eq!(out.data.unwrap().as_bytes(), &bytes[..]);
    assert_eq!(out.kind.as_deref(), Some("raw"));
}

/// Outcomes a parser may have: an output, or a typed error. Never a panic.
fn outcome(status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> &'static str {
    let transport = InMemoryTransport::new([response(status, headers, body)]);
    match run(client(&transport).put_thing(PutThingInput::new("id", "k", "t"))) {
        Ok(_) => "ok",
        Err(Error::Response { .. }) => "response",
        Err(Error::Service(_)) => "service",
        Err(other) => panic!("an answer gave {other:?}"),
    }
}

/// Mutations of a valid answer: cut, byte flips, insertions of JSON syntax.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let base = br#"{"Thing":{"Choice":{"Nested":{"Items":["a"],"Any":{"x":[1.5e300,-0,"s"]}}},"Data":"aGk=","At":"2014-04-29T18:30:38Z","Lookup":{"k":"v"}}}"#;
    (0..base.len(), prop::collection::vec((0..base.len(), prop::sample::select(b"{}[]\",:0-9.eE\\nul".to_vec())), 0..6))
        .prop_map(move |(cut, edits)| {
            let mut b = base[..cut.max(1)].to_vec();
            for (at, byte) in edits {
                let at = at % b.len();
                b[at] = byte;
            }
            b
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        rng_algorithm: prop::test_runner::RngAlgorithm::ChaCha,
        rng_seed: prop::test_runner::RngSeed::Fixed(0x6269_6e64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_answers_never_panic(body in prop::collection::vec(any::<u8>(), 0..512), status in prop::sample::select(vec![200u16, 201, 400, 409, 500])) {
        let got = outcome(status, &[], body);
        prop_assert!(["ok", "response", "service"].contains(&got));
    }

    #[test]
    fn mutated_answers_never_panic(body in mutated()) {
        let got = outcome(201, &[], body);
        prop_assert!(["ok", "response"].contains(&got));
    }

    #[test]
    fn hostile_headers_never_panic(value in "[ -~]{0,80}", dates in "(Mon, [0-9]{1,2} Dec 2019 [0-9:]{8} GMT,? ?){0,3}") {
        let got = outcome(201, &[("ETag", &value), ("X-Dates", &dates)], b"{}".to_vec());
        prop_assert!(["ok", "response"].contains(&got));
    }
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    for depth in [200, 100_000] {
        let body = format!("{{\"Thing\":{{\"Any\":{}{}}}}}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(outcome(201, &[], body.into_bytes()), "response", "depth {depth}");
        // Structures nest through the model too: a recursive member as deep.
        let body = format!("{}{}", "{\"Thing\":".to_owned() + &"{\"Child\":".repeat(depth), "}".repeat(depth + 1));
        assert_eq!(outcome(201, &[], body.into_bytes()), "response", "recursive depth {depth}");
    }
}

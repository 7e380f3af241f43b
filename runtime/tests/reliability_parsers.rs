//! Property-based robustness of the runtime's answer parsers: the three error
//! envelope readers (`protocol::{aws_json, aws_query, huawei}::error_meta`),
//! the XML reader (`xml::parse_document`, `aws_query::parse_result`, request
//! ids) and `Retry-After` parsing, fed random and mutated bytes: truncated and
//! bit-flipped reference answers, random bytes, invalid UTF-8, deep nesting,
//! huge bodies and hostile headers. The property is always the same: a typed
//! result comes back (never a panic), and what it holds is bounded by what
//! the answer held.
//!
//! Fixed hostile bodies are in `hostile.rs`; this file generates them.
//! Cases per property: `RELIABILITY_CASES` (default 256). The long run
//! (RELIABILITY.md) uses 100,000.

mod common;

use std::time::{Duration, SystemTime};

use common::reference;
use lifecycle_hooks_runtime::protocol::{self, aws_json, aws_query, huawei};
use lifecycle_hooks_runtime::{ErrorMeta, Protocol, Response, xml};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn cases() -> u32 {
    std::env::var("RELIABILITY_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
}

fn runner() -> TestRunner {
    TestRunner::new(Config { cases: cases(), failure_persistence: None, ..Config::default() })
}

/// Every answer body of the reference vectors, plus hand-written envelopes of each protocol.
fn seeds() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for name in ["ListHookResults", "PutLifecycleEventHookExecutionStatus", "PutLifecycleHook", "SendWorkflowStepState"]
    {
        let file = reference(&format!("vectors/{name}.vectors.json"));
        for v in file["response_vectors"].as_array().unwrap() {
            out.push(v["body"].as_str().unwrap().as_bytes().to_vec());
        }
    }
    let huawei = reference("vectors/huawei.vectors.json");
    for v in huawei["e2e_asclient_on_loopback"].as_array().unwrap() {
        let raw = v["canned_response"].as_str().unwrap();
        if let Some((_, body)) = raw.split_once("\r\n\r\n") {
            out.push(body.as_bytes().to_vec());
        }
    }
    for extra in [
        r#"{"__type":"com.amazonaws.transfer#ThrottlingException:http://internal/","message":"slow","RetryAfterSeconds":"3"}"#,
        r#"{"code":"X","Message":"upper","message":null}"#,
        r#"{"error_code":"AS.0001","error_msg":"bad","nested":{"errorCode":"E","errorMsg":"M"}}"#,
        r#"{"a":{"b":{"c":{"code":"Deep","message":"deep"}}}}"#,
        "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate &amp; exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>X</Code><Message><![CDATA[<m>]]></Message></Error></Errors><RequestID>id</RequestID></Response>",
        "<OpResponse xmlns=\"urn:x\"><OpResult><A>1</A><B/></OpResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></OpResponse>",
        "<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>",
    ] {
        out.push(extra.as_bytes().to_vec());
    }
    out
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(prop::sample::Index),
    Flip(prop::sample::Index, u8),
    Insert(prop::sample::Index, Vec<u8>),
    Remove(prop::sample::Index, usize),
    /// A slice of the body copied elsewhere (repeats tags and quotes).
    Duplicate(prop::sample::Index, prop::sample::Index, usize),
    /// A byte that is never valid UTF-8 (or a lone continuation byte).
    InvalidUtf8(prop::sample::Index, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        (any::<prop::sample::Index>(), 1u8..=255).prop_map(|(i, x)| Mutation::Flip(i, x)),
        (any::<prop::sample::Index>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<prop::sample::Index>(), 1usize..32).prop_map(|(i, n)| Mutation::Remove(i, n)),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>(), 1usize..64)
            .prop_map(|(a, b, n)| Mutation::Duplicate(a, b, n)),
        (any::<prop::sample::Index>(), prop::sample::select(vec![0x80u8, 0xbf, 0xc0, 0xc1, 0xf5, 0xfe, 0xff]))
            .prop_map(|(i, b)| Mutation::InvalidUtf8(i, b)),
    ]
}

fn apply(body: &mut Vec<u8>, m: &Mutation) {
    let at = |i: &prop::sample::Index, len: usize| if len == 0 { 0 } else { i.index(len + 1) };
    match m {
        Mutation::Truncate(i) => body.truncate(at(i, body.len())),
        Mutation::Flip(i, x) => {
            if !body.is_empty() {
                let i = i.index(body.len());
                body[i] ^= x;
            }
        }
        Mutation::Insert(i, bytes) => {
            let i = at(i, body.len());
            body.splice(i..i, bytes.iter().copied());
        }
        Mutation::Remove(i, n) => {
            let i = at(i, body.len());
            let end = (i + n).min(body.len());
            body.drain(i..end);
        }
        Mutation::Duplicate(from, to, n) => {
            if !body.is_empty() {
                let from = from.index(body.len());
                let piece = body[from..(from + n).min(body.len())].to_vec();
                let to = at(to, body.len());
                body.splice(to..to, piece);
            }
        }
        Mutation::InvalidUtf8(i, b) => {
            let i = at(i, body.len());
            body.insert(i, *b);
        }
    }
}

/// Opening (and maybe closing) `depth` levels of one kind of nesting.
fn nested(kind: usize, depth: usize, closed: bool) -> Vec<u8> {
    let (open, close, inner) = match kind % 5 {
        0 => ("[", "]", "1"),
        1 => ("{\"a\":", "}", "1"),
        2 => ("{\"error\":", "}", "{\"code\":\"C\",\"message\":\"M\"}"),
        3 => ("<a>", "</a>", "<Code>C</Code>"),
        _ => ("<Error>", "</Error>", "<RequestId>r</RequestId>"),
    };
    let mut s = open.repeat(depth);
    if closed {
        s.push_str(inner);
        s.push_str(&close.repeat(depth));
    }
    s.into_bytes()
}

/// A JSON or XML envelope whose strings are large.
fn huge(kind: usize, size: usize) -> Vec<u8> {
    let big = "é".repeat(size / 2);
    match kind % 3 {
        0 => format!(r#"{{"__type":"{big}","message":"{big}"}}"#),
        1 => format!(r#"{{"error":{{"code":"{big}","message":"{big}"}}}}"#),
        _ => format!("<ErrorResponse><Error><Code>{big}</Code><Message>{big}</Message></Error><RequestId>{big}</RequestId></ErrorResponse>"),
    }
    .into_bytes()
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    let seeds = seeds();
    let mutated = (prop::sample::select(seeds.clone()), prop::collection::vec(mutation(), 0..8)).prop_map(
        |(mut body, mutations)| {
            for m in &mutations {
                apply(&mut body, m);
            }
            body
        },
    );
    let spliced = (prop::sample::select(seeds.clone()), prop::sample::select(seeds), any::<prop::sample::Index>())
        .prop_map(|(a, b, i)| {
            let cut = i.index(a.len() + 1);
            let mut out = a[..cut].to_vec();
            out.extend_from_slice(&b[b.len() - b.len().min(a.len() - cut)..]);
            out
        });
    prop_oneof![
        6 => mutated,
        2 => spliced,
        2 => prop::collection::vec(any::<u8>(), 0..512),
        1 => "(?s).{0,256}".prop_map(String::into_bytes),
        1 => (0usize..5, 1usize..20_000, any::<bool>()).prop_map(|(k, d, c)| nested(k, d, c)),
        1 => (0usize..3, 1usize..300_000).prop_map(|(k, n)| huge(k, n)),
    ]
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,64}",
        "(?s).{0,64}",
        Just("ns#ThrottlingException:http://internal.amazon.com/".to_owned()),
        Just(":".to_owned()),
        Just("#".to_owned()),
        Just(String::new()),
        "[0-9]{1,40}",
        "[ ]*[0-9]{1,20}[ ]*",
        Just("Sun, 06 Nov 1994 08:49:37 GMT".to_owned()),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
        (0u32..40, 0usize..14, 0i32..10_000, 0u32..30, 0u32..70, 0u32..70).prop_map(|(d, m, y, h, mi, s)| {
            const MONTHS: [&str; 14] =
                ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Foo", ""];
            format!("Mon, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02} GMT", MONTHS[m])
        }),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop::sample::select(vec![
        "content-type",
        "x-amzn-errortype",
        "X-Amzn-ErrorType",
        "x-amzn-requestid",
        "x-amz-request-id",
        "x-request-id",
        "retry-after",
        "Retry-After",
        "x-junk",
    ]);
    prop::collection::vec((name.prop_map(str::to_owned), header_value()), 0..6)
}

fn response() -> impl Strategy<Value = Response> {
    let status = prop_oneof![
        prop::sample::select(vec![200u16, 204, 400, 403, 404, 408, 429, 500, 501, 502, 503, 504]),
        any::<u16>(),
    ];
    (status, headers(), body()).prop_map(|(status, headers, body)| Response { status, headers, body })
}

/// Lossy UTF-8 can triple invalid bytes; a snippet is at most 1024 body bytes plus an ellipsis.
fn text_bound(resp: &Response) -> usize {
    let headers: usize = resp.headers.iter().map(|(_, v)| v.len()).sum();
    (resp.body.len() * 3).max(3 * 1024 + 3) + headers
}

fn check_meta(protocol: &str, resp: &Response, meta: &ErrorMeta) -> Result<(), TestCaseError> {
    prop_assert_eq!(meta.http_status, resp.status, "{}", protocol);
    prop_assert!(!meta.code.is_empty(), "{}: empty code", protocol);
    let bound = text_bound(resp);
    prop_assert!(meta.code.len() <= bound.max(5), "{}: code of {} bytes", protocol, meta.code.len());
    if let Some(m) = &meta.message {
        prop_assert!(
            m.len() <= bound,
            "{}: message of {} bytes from a {}-byte body",
            protocol,
            m.len(),
            resp.body.len()
        );
    }
    if let Some(id) = &meta.request_id {
        prop_assert!(id.len() <= bound, "{}: request id of {} bytes", protocol, id.len());
    }
    // Display never panics either, and says at least the code.
    prop_assert!(meta.to_string().contains(meta.code.as_str()));
    Ok(())
}

#[test]
fn aws_json_error_meta_takes_any_answer() {
    runner()
        .run(&response(), |resp| {
            let meta = aws_json::error_meta(&resp);
            check_meta("aws_json", &resp, &meta)?;
            prop_assert!(meta.code == meta.code.trim(), "untrimmed code {:?}", meta.code);
            // `ns#Name:uri` loses its `:uri` (and its namespace) whichever source it came from.
            prop_assert!(!meta.code.contains(':'), "code {:?}", meta.code);
            Ok(())
        })
        .unwrap();
}

#[test]
fn aws_query_error_meta_takes_any_answer() {
    runner()
        .run(&response(), |resp| {
            let meta = aws_query::error_meta(&resp);
            check_meta("aws_query", &resp, &meta)?;
            prop_assert!(meta.code == meta.code.trim(), "untrimmed code {:?}", meta.code);
            Ok(())
        })
        .unwrap();
}

#[test]
fn rest_json_error_meta_takes_any_answer() {
    runner()
        .run(&response(), |resp| {
            let meta = huawei::error_meta(&resp);
            check_meta("rest_json", &resp, &meta)
        })
        .unwrap();
}

#[test]
fn request_ids_of_every_protocol_take_any_answer() {
    let protocols =
        [Protocol::AwsJson11 { target_prefix: "T" }, Protocol::AwsQuery, Protocol::HuaweiRest];
    runner()
        .run(&response(), |resp| {
            for p in protocols {
                if let Some(id) = protocol::request_id(p, &resp) {
                    prop_assert!(id.len() <= text_bound(&resp));
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn xml_documents_and_result_wrappers_take_any_bytes() {
    let wrappers =
        prop::sample::select(vec!["ListHookResultsResult", "PutLifecycleHookResult", "OpResult", "Error", ""]);
    runner()
        .run(&(body(), wrappers), |(body, wrapper)| {
            let Ok(doc) = xml::parse_document(&body) else {
                return Ok(());
            };
            let _ = aws_query::request_id_in(&doc);
            match aws_query::parse_result(&doc, wrapper) {
                Ok(node) => {
                    prop_assert_eq!(node.tag_name().name(), wrapper);
                    let mut total = 0;
                    for n in node.descendants().filter(|n| n.is_element()) {
                        total += xml::text(n).len();
                        let _ = xml::children(n).count();
                        let _ = xml::child(n, "member");
                    }
                    prop_assert!(total <= body.len() * 4);
                }
                Err(message) => prop_assert!(message.len() <= 200 + wrapper.len(), "{} bytes", message.len()),
            }
            Ok(())
        })
        .unwrap();
}

/// A small XML tree with arbitrary text, written escaped: reading it back gives the text back.
#[derive(Debug, Clone)]
enum Tree {
    Text(String),
    Element(String, Vec<Tree>),
}

fn tree() -> impl Strategy<Value = Tree> {
    // XML 1.0 characters only (no C0 controls but tab, LF; CR is normalized, so left out).
    let text = "[\t\n -~\u{a0}-\u{d7ff}\u{e000}-\u{fffd}\u{10000}-\u{10ffff}]{0,12}".prop_map(Tree::Text);
    let name = "[A-Za-z][A-Za-z0-9]{0,6}";
    text.prop_recursive(6, 48, 4, move |inner| {
        (name, prop::collection::vec(inner, 0..4)).prop_map(|(n, kids)| Tree::Element(n, kids))
    })
}

fn write(tree: &Tree, out: &mut String) {
    match tree {
        Tree::Text(t) => {
            for c in t.chars() {
                match c {
                    '<' => out.push_str("&lt;"),
                    '&' => out.push_str("&amp;"),
                    '>' => out.push_str("&gt;"),
                    c if (c as u32) > 0x7f && (c as u32).is_multiple_of(3) => {
                        out.push_str(&format!("&#x{:X};", c as u32))
                    }
                    c => out.push(c),
                }
            }
        }
        Tree::Element(name, kids) => {
            out.push_str(&format!("<{name}>"));
            for k in kids {
                write(k, out);
            }
            out.push_str(&format!("</{name}>"));
        }
    }
}

/// The text directly inside an element (what `xml::text` returns).
fn direct_text(kids: &[Tree]) -> String {
    kids.iter().filter_map(|k| if let Tree::Text(t) = k { Some(t.as_str()) } else { None }).collect()
}

#[test]
fn xml_text_reads_back_what_was_escaped() {
    runner()
        .run(&(tree(), any::<bool>()), |(t, bom)| {
            let kids = match &t {
                Tree::Element(_, kids) => kids.clone(),
                text => vec![text.clone()],
            };
            let root = Tree::Element("Root".into(), vec![Tree::Element("OpResult".into(), kids.clone())]);
            let mut text = String::from(if bom { "\u{feff}" } else { "" });
            write(&root, &mut text);
            let doc = xml::parse_document(text.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
            let result = aws_query::parse_result(&doc, "OpResult").map_err(TestCaseError::fail)?;
            prop_assert_eq!(xml::text(result), direct_text(&kids));
            prop_assert_eq!(
                xml::children(result).count(),
                kids.iter().filter(|k| matches!(k, Tree::Element(..))).count()
            );
            Ok(())
        })
        .unwrap();
}

#[test]
fn retry_after_takes_any_header_value() {
    runner()
        .run(&header_value(), |value| {
            let resp = Response { status: 503, headers: vec![("Retry-After".into(), value.clone())], body: Vec::new() };
            let before = SystemTime::now();
            let parsed = protocol::retry_after(&resp);
            let trimmed = value.trim();
            if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
                let expected = trimmed.parse::<u64>().map_or(Duration::from_secs(u64::MAX), Duration::from_secs);
                prop_assert_eq!(parsed, Some(expected), "{:?}", value);
            } else if let Some(wait) = parsed {
                // An HTTP-date: never a wait longer than the date is away.
                let latest = before + wait;
                prop_assert!(latest.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() <= 253_402_300_800);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn deep_and_huge_bodies_stay_typed() {
    // The extremes the strategies only sample: one at a time, at full size.
    for kind in 0..5 {
        for closed in [false, true] {
            let body = nested(kind, 150_000, closed);
            for parse in [aws_json::error_meta, aws_query::error_meta, huawei::error_meta] {
                let meta = parse(&Response { status: 500, headers: Vec::new(), body: body.clone() });
                assert_eq!(meta.http_status, 500);
            }
            let _ = xml::parse_document(&body).map(|doc| aws_query::parse_result(&doc, "a").is_ok());
        }
    }
    for kind in 0..3 {
        let body = huge(kind, 10 * 1024 * 1024);
        for parse in [aws_json::error_meta, aws_query::error_meta, huawei::error_meta] {
            let resp = Response { status: 400, headers: Vec::new(), body: body.clone() };
            let meta = parse(&resp);
            assert!(meta.message.as_ref().is_none_or(|m| m.len() <= body.len()));
        }
    }
}

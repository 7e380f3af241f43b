//! Property-based robustness of the runtime's answer parsers: the three error
//! envelope readers (`protocol::{aws_json, aws_query, huawei}::error_meta`),
//! the XML reader (`xml::Reader`, `aws_query::read_answer`, request
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
use lifecycle_hooks_runtime::protocol::{self, aws_json, aws_query, huawei, rest_json};
use lifecycle_hooks_runtime::{ErrorMeta, Protocol, Response, xml};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

/// Cases per property: `RELIABILITY_CASES`, default 256. A value that is not
/// a whole number of at least 1 stops the test (a run of 0 cases would check nothing).
fn cases() -> u32 {
    match std::env::var("RELIABILITY_CASES") {
        Err(_) => 256,
        Ok(v) => match v.trim().parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => panic!("RELIABILITY_CASES={v:?}: expected a whole number of cases, at least 1"),
        },
    }
}

/// The generator's seed: `RELIABILITY_SEED`, default fixed, so that every run
/// draws the same cases (a long run may pick another; the log names it).
fn seed() -> u64 {
    match std::env::var("RELIABILITY_SEED") {
        Err(_) => 0x5EED_0015_2026_1201,
        Ok(v) => v.trim().parse().unwrap_or_else(|_| panic!("RELIABILITY_SEED={v:?}: expected a whole number")),
    }
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed()),
        ..Config::default()
    })
}

/// Runs `test` on `cases()` values of `strategy` and checks that it really ran that many.
fn run<S: Strategy>(strategy: &S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    let ran = std::cell::Cell::new(0u32);
    let result = runner().run(strategy, |value| {
        ran.set(ran.get() + 1);
        test(value)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert_eq!(ran.get(), cases(), "the property ran {} cases, not {}", ran.get(), cases());
}

/// Every answer body of the reference vectors, plus hand-written envelopes of each protocol.
fn seeds() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for name in ["ListHookResults", "PutLifecycleEventHookExecutionStatus", "PutLifecycleHook", "SendWorkflowStepState"]
    {
        let file = reference(&format!("vectors/{name}.vectors.json"));
        let vectors = file["response_vectors"].as_array().unwrap();
        // A success and an error answer each: a vector file that shrank would quietly test less.
        assert_eq!(vectors.len(), 2, "{name}: response vectors");
        for v in vectors {
            out.push(v["body"].as_str().unwrap().as_bytes().to_vec());
        }
    }
    let huawei = reference("vectors/huawei.vectors.json");
    let canned = huawei["e2e_asclient_on_loopback"].as_array().unwrap();
    assert_eq!(canned.len(), 5, "Huawei canned answers");
    for v in canned {
        let raw = v["canned_response"].as_str().unwrap();
        let (_, body) = raw.split_once("\r\n\r\n").expect("a canned answer has a head and a body");
        out.push(body.as_bytes().to_vec());
    }
    assert_eq!(out.len(), 13, "the 13 reference answers");
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
    assert_eq!(out.len(), 21);
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

/// The longest a message may be that is not a field of the error envelope:
/// the first 1024 bytes of the body, lossily decoded (an invalid byte becomes
/// U+FFFD, three bytes), and an ellipsis.
const MAX_SNIPPET_TEXT: usize = 3 * 1024 + 3;

/// What the runtime documents for a body that is not the protocol's error
/// envelope, computed here from the documentation rather than the code: the
/// first 1024 bytes, lossy UTF-8, trimmed, `…` when the body is longer; none
/// when blank.
fn documented_snippet(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&body[..body.len().min(1024)]);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(if body.len() > 1024 { format!("{text}…") } else { text.to_owned() })
}

/// The longest header value (codes and request ids may come from headers).
fn longest_header(resp: &Response) -> usize {
    resp.headers.iter().map(|(_, v)| v.len()).max().unwrap_or(0)
}

fn check_meta(protocol: &str, resp: &Response, meta: &ErrorMeta) -> Result<(), TestCaseError> {
    prop_assert_eq!(meta.http_status, resp.status, "{}", protocol);
    prop_assert!(!meta.code.is_empty(), "{}: empty code", protocol);
    // A code is a header's, a field's of the body (decoding never lengthens
    // valid JSON or XML text), or the status as text (at most 5 digits).
    let source = resp.body.len().max(longest_header(resp));
    prop_assert!(meta.code.len() <= source.max(5), "{}: code of {} bytes", protocol, meta.code.len());
    if let Some(m) = &meta.message {
        // Either a field of the envelope, no longer than the body, or the documented snippet.
        let from_field = m.len() <= resp.body.len();
        let snippet = documented_snippet(&resp.body);
        prop_assert!(
            from_field || snippet.as_deref() == Some(m.as_str()),
            "{}: message of {} bytes from a {}-byte body is neither a field nor the snippet",
            protocol,
            m.len(),
            resp.body.len()
        );
        prop_assert!(from_field || m.len() <= MAX_SNIPPET_TEXT, "{}: snippet of {} bytes", protocol, m.len());
    }
    if let Some(id) = &meta.request_id {
        prop_assert!(id.len() <= source, "{}: request id of {} bytes", protocol, id.len());
    }
    // Display never panics either, and says at least the code.
    prop_assert!(meta.to_string().contains(meta.code.as_str()));
    Ok(())
}

#[test]
fn aws_json_error_meta_takes_any_answer() {
    run(&response(), |resp| {
        let meta = aws_json::error_meta(&resp);
        check_meta("aws_json", &resp, &meta)?;
        prop_assert!(meta.code == meta.code.trim(), "untrimmed code {:?}", meta.code);
        // `ns#Name:uri` loses its `:uri` (and its namespace) whichever source it came from.
        prop_assert!(!meta.code.contains(':'), "code {:?}", meta.code);
        Ok(())
    });
}

#[test]
fn aws_query_error_meta_takes_any_answer() {
    run(&response(), |resp| {
        let meta = aws_query::error_meta(&resp);
        check_meta("aws_query", &resp, &meta)?;
        prop_assert!(meta.code == meta.code.trim(), "untrimmed code {:?}", meta.code);
        Ok(())
    });
}

#[test]
fn rest_json_error_meta_takes_any_answer() {
    run(&response(), |resp| check_meta("rest_json", &resp, &rest_json::error_meta(&resp)));
}

#[test]
fn huawei_error_meta_takes_any_answer() {
    run(&response(), |resp| check_meta("huawei", &resp, &huawei::error_meta(&resp)));
}

/// The message cap as documented, on the extremes the strategies rarely draw:
/// a body that is no envelope at all, of each size around the 1024-byte cut,
/// all invalid UTF-8 (each byte three bytes of U+FFFD) or text.
#[test]
fn messages_of_bodies_that_are_not_envelopes_are_capped_at_3_kib() {
    let mut checked = 0;
    for size in [0usize, 1, 1023, 1024, 1025, 4096, 1 << 20] {
        for byte in [0xffu8, b'x', b' '] {
            let resp = Response { status: 500, headers: Vec::new(), body: vec![byte; size] };
            for (name, meta) in [
                ("aws_json", aws_json::error_meta(&resp)),
                ("aws_query", aws_query::error_meta(&resp)),
                ("rest_json", rest_json::error_meta(&resp)),
                ("huawei", huawei::error_meta(&resp)),
            ] {
                assert_eq!(meta.message, documented_snippet(&resp.body), "{name}: {size} bytes of {byte:#x}");
                assert!(meta.message.as_ref().is_none_or(|m| m.len() <= MAX_SNIPPET_TEXT), "{name}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 7 * 3 * 4);
    // The largest one is exactly at the cap.
    let all_invalid = Response { status: 500, headers: Vec::new(), body: vec![0xff; 2048] };
    assert_eq!(aws_json::error_meta(&all_invalid).message.map(|m| m.len()), Some(MAX_SNIPPET_TEXT));
}

#[test]
fn request_ids_of_every_protocol_take_any_answer() {
    let protocols = [
        Protocol::AwsJson11 { target_prefix: "T" },
        Protocol::AwsQuery,
        Protocol::RestJson1,
        Protocol::HuaweiRest,
    ];
    run(&response(), |resp| {
        for p in protocols {
            if let Some(id) = protocol::request_id(p, &resp) {
                prop_assert!(id.len() <= resp.body.len().max(longest_header(&resp)));
            }
        }
        Ok(())
    });
}

/// Longest error message of the XML reader and the result-wrapper lookup
/// (xmlparser's position-based messages, and names from the answer cut at 64 bytes).
const MAX_XML_ERROR: usize = 256;

/// Reads every element below `e`, the text of some and the children of the
/// others (by the parity of the name's length); the bytes of text read.
fn walk(e: &mut xml::Element<'_, '_>) -> Result<usize, String> {
    let mut total = 0;
    while let Some(mut child) = e.next_child()? {
        total += if child.name().len() % 2 == 0 { child.text()?.len() } else { walk(&mut child)? };
    }
    Ok(total)
}

#[test]
fn xml_documents_and_result_wrappers_take_any_bytes() {
    let wrappers =
        prop::sample::select(vec!["ListHookResultsResult", "PutLifecycleHookResult", "OpResult", "Error", ""]);
    run(&(body(), wrappers), |(body, wrapper)| {
        let wrapper = Some(wrapper).filter(|w| !w.is_empty());
        match aws_query::read_answer(&body, wrapper, walk) {
            Ok((total, id)) => {
                prop_assert!(total <= body.len());
                prop_assert!(id.is_none_or(|id| id.len() <= body.len()));
            }
            Err(message) if message.starts_with("expected <") => {
                let bound = MAX_XML_ERROR + wrapper.map_or(0, str::len);
                prop_assert!(message.len() <= bound, "{} bytes: {message}", message.len());
            }
            Err(message) => prop_assert!(message.len() <= MAX_XML_ERROR, "{} bytes: {message}", message.len()),
        }
        Ok(())
    });
}

/// A document as the pull reader reads it: each element (depth and name, in
/// document order), then the text of each element (level by level, one pass
/// of the reader per level, since reading an element's text skips its children).
fn read_with_the_pull_reader(body: &[u8]) -> Result<Vec<String>, String> {
    fn names(e: &mut xml::Element<'_, '_>, depth: usize, out: &mut Vec<String>) -> Result<usize, String> {
        out.push(format!("{depth} <{}>", e.name()));
        let mut deepest = depth;
        while let Some(mut child) = e.next_child()? {
            deepest = deepest.max(names(&mut child, depth + 1, out)?);
        }
        Ok(deepest)
    }
    fn texts(e: &mut xml::Element<'_, '_>, depth: usize, level: usize, out: &mut Vec<String>) -> Result<(), String> {
        if depth == level {
            out.push(format!("{depth} {:?}", e.text()?));
            return Ok(());
        }
        while let Some(mut child) = e.next_child()? {
            texts(&mut child, depth + 1, level, out)?;
        }
        Ok(())
    }
    let mut out = Vec::new();
    let mut reader = xml::Reader::new(body)?;
    let deepest = names(&mut reader.root()?, 0, &mut out)?;
    reader.finish()?;
    for level in 0..=deepest {
        let mut reader = xml::Reader::new(body)?;
        texts(&mut reader.root()?, 0, level, &mut out)?;
        reader.finish()?;
    }
    Ok(out)
}

/// The same, from roxmltree's tree (DTDs refused, as the runtime refuses them).
fn read_with_roxmltree(body: &[u8]) -> Result<Vec<String>, roxmltree::Error> {
    let Ok(text) = std::str::from_utf8(body) else { return Err(roxmltree::Error::NoRootNode) };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: u32::MAX, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(text, options)?;
    // Depths in one pass (a parent comes before its children), then the text level by level.
    let mut depths = std::collections::HashMap::new();
    let mut elements = Vec::new();
    for n in doc.root_element().descendants().filter(|n| n.is_element()) {
        let depth = n.parent_element().and_then(|p| depths.get(&p.id())).map_or(0, |d| d + 1);
        depths.insert(n.id(), depth);
        elements.push((depth, n));
    }
    let mut out: Vec<String> = elements.iter().map(|(depth, n)| format!("{depth} <{}>", n.tag_name().name())).collect();
    let mut by_level = elements.clone();
    by_level.sort_by_key(|(depth, _)| *depth);
    for (depth, n) in by_level {
        let text: String = n.children().filter(|c| c.is_text()).filter_map(|c| c.text()).collect();
        out.push(format!("{depth} {text:?}"));
    }
    Ok(out)
}

/// A document written from a tree in the many ways XML allows (CDATA,
/// character references, CR LF line ends, comments, processing instructions,
/// attributes, namespace prefixes, empty-element tags, a declaration), then
/// perhaps mutated a little: mostly well-formed, so the readers' agreement is
/// tested on what they read, not only on what they refuse.
fn varied_document() -> impl Strategy<Value = Vec<u8>> {
    let styles = prop::collection::vec(any::<u8>(), 64);
    let mutations = prop::collection::vec(mutation(), 0..3);
    (tree(), styles, any::<bool>(), mutations, any::<bool>()).prop_map(|(tree, styles, declared, mutations, mutate)| {
        let mut out = String::from(if declared { "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n" } else { "" });
        let mut style = styles.iter().copied().cycle();
        let root = match tree {
            Tree::Text(t) => Tree::Element("Root".into(), vec![Tree::Text(t)]),
            element => element,
        };
        write_varied(&root, &mut style, &mut out);
        out.push_str("\n<!-- after -->\n");
        let mut body = out.into_bytes();
        if mutate {
            for m in &mutations {
                apply(&mut body, m);
            }
        }
        body
    })
}

fn write_varied(tree: &Tree, style: &mut impl Iterator<Item = u8>, out: &mut String) {
    let mut next = || style.next().unwrap_or(0) % 6;
    match tree {
        Tree::Text(t) => match next() {
            1 if !t.contains("]]>") => out.push_str(&format!("<![CDATA[{t}]]>")),
            2 => t.chars().for_each(|c| out.push_str(&format!("&#{};", c as u32))),
            3 => {
                out.push_str("<!-- c -->");
                write(tree, out);
            }
            4 => write(&Tree::Text(t.replace('\n', "\r\n")), out),
            _ => write(tree, out),
        },
        Tree::Element(name, kids) => {
            let (open, close) = match next() {
                1 => (format!("<{name} a=\"1\" b='&amp;&#x41;'>"), format!("</{name}>")),
                2 => (format!("<p:{name} xmlns:p=\"urn:p\">"), format!("</p:{name} >")),
                3 if kids.is_empty() => (format!("<{name}/>"), String::new()),
                4 => (format!("<{name}><?pi data?>"), format!("</{name}>")),
                _ => (format!("<{name}>"), format!("</{name}>")),
            };
            out.push_str(&open);
            for k in kids {
                write_varied(k, style, out);
            }
            out.push_str(&close);
        }
    }
}

/// Where the pull reader is laxer than a tree parser, on purpose: it
/// resolves no namespace to its URI (it matches local names, as the protocols
/// do; prefixes it checks are declared), so what is wrong only in the URIs
/// (the reserved `xml` and `xmlns` ones, a prefix bound twice in one tag, two
/// attributes whose prefixes name one URI) is not its concern.
fn only_namespace_uris_are_wrong(e: &roxmltree::Error) -> bool {
    use roxmltree::Error::*;
    matches!(
        e,
        InvalidXmlPrefixUri(_)
            | UnexpectedXmlUri(_)
            | UnexpectedXmlnsUri(_)
            | InvalidElementNamePrefix(_)
            | DuplicatedNamespace(..)
            | DuplicatedAttribute(..)
    )
}

/// The pull reader against an independent oracle, roxmltree (the tree parser
/// it replaced): on any body, both read the same elements and text, or both
/// refuse it; except that the pull reader refuses nesting deeper than
/// `xml::MAX_DEPTH`, a malformed XML declaration (`version="?1.0"`) and a
/// character reference to no character (`&#x110000;`), which roxmltree lets
/// through and expat, botocore's parser, refuses; and it does not resolve
/// namespaces to their URIs.
#[test]
fn the_xml_pull_reader_reads_what_a_tree_parser_reads() {
    run(&prop_oneof![body(), varied_document()], |body| {
        let shown = || String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
        match (read_with_the_pull_reader(&body), read_with_roxmltree(&body)) {
            (Ok(ours), Ok(theirs)) => prop_assert_eq!(ours, theirs, "{}", shown()),
            (Err(_), Err(_)) => {}
            (Ok(_), Err(e)) => prop_assert!(only_namespace_uris_are_wrong(&e), "roxmltree: {e}; ours read {}", shown()),
            (Err(e), Ok(theirs)) => {
                let deep = theirs.iter().any(|line| line.starts_with(&format!("{} ", xml::MAX_DEPTH)));
                let declaration = body.starts_with(b"<?xml ") || body.starts_with("\u{feff}<?xml ".as_bytes());
                // A numeric reference to no character: roxmltree reads U+FFFD, expat refuses it.
                let no_character = e.contains("unknown reference &#") && theirs.iter().any(|l| l.contains('\u{fffd}'));
                prop_assert!(
                    (deep && e.contains("deeper than"))
                        || (declaration && e.contains("invalid XML declaration at 1:"))
                        || no_character,
                    "ours: {e}; roxmltree read {}",
                    shown()
                );
            }
        }
        Ok(())
    });
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
    run(&(tree(), any::<bool>()), |(t, bom)| {
        let kids = match &t {
            Tree::Element(_, kids) => kids.clone(),
            text => vec![text.clone()],
        };
        let root = Tree::Element("Root".into(), vec![Tree::Element("OpResult".into(), kids.clone())]);
        let mut text = String::from(if bom { "\u{feff}" } else { "" });
        write(&root, &mut text);
        let read = |f: fn(&mut xml::Element<'_, '_>) -> Result<String, String>| {
            aws_query::read_answer(text.as_bytes(), Some("OpResult"), f)
                .map(|(read, _)| read)
                .map_err(|e| TestCaseError::fail(format!("{e}: {text}")))
        };
        prop_assert_eq!(read(|result| result.string())?, direct_text(&kids));
        let count = |result: &mut xml::Element<'_, '_>| {
            let mut n = 0;
            while result.next_child()?.is_some() {
                n += 1;
            }
            Ok(n.to_string())
        };
        prop_assert_eq!(read(count)?, kids.iter().filter(|k| matches!(k, Tree::Element(..))).count().to_string());
        Ok(())
    });
}

/// An IMF-fixdate (RFC 9110 section 5.6.7) read by `time`'s own parser, an
/// oracle independent of the runtime's (aws-smithy-types' reader and a shape
/// check): the weekday must be the date's, the day two digits, the year four;
/// and the one extension the runtime documents, aws-smithy-types' fraction of
/// a second (one to three digits).
fn imf_fixdate(value: &str) -> Option<SystemTime> {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let (whole, nanos) = match value.split_once('.') {
        None => (value.to_owned(), 0),
        Some((head, tail)) => {
            let digits = tail.strip_suffix(" GMT")?;
            if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (format!("{head} GMT"), digits.parse::<u64>().ok()? * 10u64.pow(9 - digits.len() as u32))
        }
    };
    let date = time::PrimitiveDateTime::parse(&whole, &format).ok()?;
    // `time` does not check that the weekday is the date's: written back, the text must be the same.
    if date.format(&format).ok()? != whole {
        return None;
    }
    let unix = date.assume_utc().unix_timestamp();
    let at = match u64::try_from(unix) {
        Ok(secs) => SystemTime::UNIX_EPOCH + Duration::from_secs(secs),
        Err(_) => SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(unix.unsigned_abs()))?,
    };
    Some(at + Duration::from_nanos(nanos))
}

/// `value` as `time` writes an IMF-fixdate.
fn format_imf_fixdate(unix: i64) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::from_unix_timestamp(unix).unwrap().format(&format).unwrap()
}

/// The wait the runtime must give for `value`, read between two clock readings:
/// `None` when `value` is neither delay-seconds nor an IMF-fixdate, else the
/// range the wait must fall in (the runtime reads the clock in between).
fn expected_wait(value: &str, before: SystemTime, after: SystemTime) -> Option<(Duration, Duration)> {
    let trimmed = value.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        let secs = trimmed.parse::<u64>().map_or(Duration::from_secs(u64::MAX), Duration::from_secs);
        return Some((secs, secs));
    }
    let at = imf_fixdate(trimmed)?;
    let until = |now: SystemTime| at.duration_since(now).unwrap_or(Duration::ZERO);
    Some((until(after), until(before)))
}

/// Valid dates (past and future, written by `time`), near misses and random text.
fn retry_after_value() -> impl Strategy<Value = String> {
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64;
    prop_oneof![
        4 => header_value(),
        2 => (0i64..253_402_300_800).prop_map(format_imf_fixdate),
        2 => (-100_000i64..100_000).prop_map(move |d| format_imf_fixdate(now + d)),
        // A valid date, then one character changed, dropped or doubled.
        2 => ((0i64..253_402_300_800), any::<prop::sample::Index>(), 0u8..3, "[ -~]").prop_map(|(t, i, how, c)| {
            let mut s = format_imf_fixdate(t);
            let at = i.index(s.len());
            match how {
                0 => s.replace_range(at..at + 1, &c),
                1 => drop(s.remove(at)),
                _ => s.insert(at, s.as_bytes()[at] as char),
            }
            s
        }),
    ]
}

#[test]
fn retry_after_is_exact_for_seconds_and_imf_fixdates_and_none_otherwise() {
    let (dates, others) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    run(&retry_after_value(), |value| {
        let resp = Response { status: 503, headers: vec![("Retry-After".into(), value.clone())], body: Vec::new() };
        let before = SystemTime::now();
        let parsed = protocol::retry_after(&resp);
        let after = SystemTime::now();
        match expected_wait(&value, before, after) {
            Some((low, high)) => {
                let wait = parsed.ok_or_else(|| TestCaseError::fail(format!("{value:?}: no wait, expected one")))?;
                prop_assert!(low <= wait && wait <= high, "{:?}: {:?}, expected {:?}..={:?}", value, wait, low, high);
                dates.set(dates.get() + 1);
            }
            None => {
                prop_assert_eq!(parsed, None, "{:?} is neither seconds nor an IMF-fixdate", value);
                others.set(others.get() + 1);
            }
        }
        Ok(())
    });
    // Both sides of the property were exercised.
    assert!(dates.get() > cases() / 10 && others.get() > cases() / 10, "{} waits, {} None", dates.get(), others.get());
}

/// The edges, one by one, with what RFC 9110 says of them.
#[test]
fn retry_after_edges() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
    let resp = |v: &str| Response { status: 503, headers: vec![("retry-after".into(), v.into())], body: Vec::new() };
    let cases: [(&str, Option<u64>); 9] = [
        ("120", Some(120)),
        (" 120 ", Some(120)),
        ("99999999999999999999", Some(u64::MAX)),
        // The obsolete HTTP-date forms, which RFC 9110 says recipients MUST accept, are not
        // read (aws-smithy-types reads IMF-fixdate only): no wait rather than a wrong one.
        ("Sunday, 06-Nov-94 08:49:37 GMT", None),
        ("Sun Nov  6 08:49:37 1994", None),
        ("-1", None),
        ("1.5", None),
        ("", None),
        ("Sun, 06 Nov 1994 08:49:37 UTC", None),
    ];
    for (value, expected) in cases {
        let parsed = protocol::retry_after(&resp(value));
        assert_eq!(parsed, expected.map(Duration::from_secs), "{value:?}");
        assert_eq!(expected_wait(value, now, now).map(|(low, _)| low), expected.map(Duration::from_secs), "{value:?}");
    }
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
            let _ = aws_query::read_answer(&body, Some("a"), walk);
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

/// `RELIABILITY_CASES=0` (or a typo) stops the run instead of passing with
/// nothing checked; checked on this binary, run again as a child.
#[test]
fn a_case_count_of_0_is_refused() {
    for bad in ["0", "", "ten", "-5"] {
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "request_ids_of_every_protocol_take_any_answer", "--test-threads=1"])
            .env("RELIABILITY_CASES", bad)
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(!output.status.success(), "RELIABILITY_CASES={bad:?} passed:\n{text}");
        assert!(text.contains("expected a whole number of cases, at least 1"), "RELIABILITY_CASES={bad:?}:\n{text}");
    }
}

/// Regression (found by the Huawei SDK differential in `reliability_answers`):
/// an object followed by more bytes is not JSON; the SDK's `json.loads`
/// refuses it and codes the error by its status, and so must ours (the pair
/// inside was taken as the error's code).
#[test]
fn a_huawei_error_body_with_bytes_after_the_object_is_not_an_envelope() {
    let body = br#"{"error": {"code": "AS.2017", "message": "m"}}trailing "}}"#.to_vec();
    let meta = huawei::error_meta(&Response { status: 400, headers: Vec::new(), body: body.clone() });
    assert_eq!(meta.code, "400");
    assert_eq!(meta.message, documented_snippet(&body));
    let whole = br#"{"error": {"code": "AS.2017", "message": "m"}}  "#.to_vec();
    let meta = huawei::error_meta(&Response { status: 400, headers: Vec::new(), body: whole });
    assert_eq!((meta.code.as_str(), meta.message.as_deref()), ("AS.2017", Some("m")));
}

/// Found by the `json_reader` fuzz target against serde_json: `JsonReader`
/// takes numbers with leading zeros (`04`, `-012`, `00.5`), which RFC 8259
/// section 6 forbids (`int = zero / ( digit1-9 *DIGIT )`) and serde_json
/// refuses; fixed in `runtime/src/json.rs` (`number_text`).
#[test]
fn json_numbers_with_leading_zeros_are_refused() {
    for text in ["04", "-012", "00.5", "[1, 02]", r#"{"n": 007}"#] {
        let mut r = lifecycle_hooks_runtime::json::JsonReader::new(text.as_bytes());
        let read = r.skip().and_then(|()| r.finish());
        assert!(read.is_err(), "{text:?} was read as JSON");
        assert!(serde_json::from_str::<serde_json::Value>(text).is_err(), "serde_json reads {text:?}");
    }
}

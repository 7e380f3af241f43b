//! `json::JsonReader`, the pull reader under every JSON answer parser, on any
//! bytes: never a panic; reading a value whole (`document`) and skipping it
//! (`skip`) agree on whether it is JSON (but for numbers out of range, which
//! only a whole read turns into values); and, checked
//! against serde_json (an independent reader) on documents it can judge,
//! the same verdict and the same strings.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use lifecycle_hooks_runtime::Document;
use lifecycle_hooks_runtime::json::{JsonReader, MAX_DEPTH};

fuzz_target!(|data: &[u8]| {
    let mut whole = JsonReader::new(data);
    let read = whole.document().and_then(|d| whole.finish().map(|()| d));
    let mut skipping = JsonReader::new(data);
    let skipped = skipping.skip().and_then(|()| skipping.finish());
    // Skipping checks the syntax; reading whole also turns numbers into values, and refuses
    // those out of range (1e999, as serde_json does): the only way the two may differ.
    match (&read, &skipped) {
        (Ok(_), Ok(())) | (Err(_), Err(_)) => {}
        (Err(e), Ok(())) => assert_eq!(e.message, "a number out of range", "skip took what document refused: {data:?}"),
        (Ok(_), Err(e)) => panic!("document took what skip refused ({e}): {data:?}"),
    }
    if let Err(e) = &read {
        assert!(e.offset <= data.len());
        assert!(e.to_string().len() < 512, "an unbounded error message");
    }

    // serde_json judges documents without a byte order mark (ours skips one)
    // and well within both depth limits.
    if data.starts_with(b"\xEF\xBB\xBF") || depth(data) + 2 >= MAX_DEPTH {
        return;
    }
    let theirs = serde_json::from_slice::<serde_json::Value>(data);
    match (&read, &theirs) {
        (Ok(ours), Ok(theirs)) => same(ours, theirs),
        (Err(_), Err(_)) => {}
        // Ours takes what serde_json refuses only for lone surrogates (`\ud800`), which it
        // replaces with U+FFFD, as answers from services written in UTF-16 languages carry them.
        (Ok(_), Err(e)) => assert!(surrogate_escape(data), "ours read what serde_json refuses: {e}"),
        (Err(e), Ok(_)) => panic!("serde_json read what ours refuses: {e}"),
    }
});

/// Whether `data` holds a `\uD800`..`\uDFFF` escape (any case).
fn surrogate_escape(data: &[u8]) -> bool {
    data.windows(4).any(|w| {
        w[0] == b'\\'
            && w[1] == b'u'
            && w[2].eq_ignore_ascii_case(&b'd')
            && matches!(w[3].to_ascii_lowercase(), b'8'..=b'9' | b'a'..=b'f')
    })
}

/// How deep arrays and objects nest, counting brackets outside strings.
fn depth(data: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in data {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'{' | b'[') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, _, b'}' | b']') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

fn same(ours: &Document, theirs: &serde_json::Value) {
    use serde_json::Value;
    match (ours, theirs) {
        (Document::Null, Value::Null) => {}
        (Document::Bool(a), Value::Bool(b)) => assert_eq!(a, b),
        (Document::String(a), Value::String(b)) => assert_eq!(a, b),
        (Document::Number(_), Value::Number(_)) => {}
        (Document::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len());
            a.iter().zip(b).for_each(|(x, y)| same(x, y));
        }
        (Document::Object(a), Value::Object(b)) => {
            // Both keep the last of repeated keys.
            assert_eq!(a.len(), b.len());
            for (k, v) in a {
                same(v, b.get(k.as_str()).expect("the same keys"));
            }
        }
        (a, b) => panic!("ours {a:?}, serde_json {b}"),
    }
}

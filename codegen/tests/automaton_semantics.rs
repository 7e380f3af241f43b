//! The generator's automata mean what the patterns mean: for every pattern of
//! `models/` and a set of awkward ones, the table walk (the same walk the
//! runtime does) agrees with `regex-lite` (the engine the generated crate
//! used before patterns became automata) on many strings built to come close
//! to matching: fragments of the patterns' own literals, class edges,
//! non-ASCII letters, astral characters and line breaks.

use codegen::automaton;
use proptest::prelude::*;

/// Model patterns (translated) and a few written to hit the corners.
fn patterns() -> Vec<String> {
    let models = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    let mut out: Vec<String> = codegen::load_models(&models)
        .expect("models are valid")
        .iter()
        .flat_map(|s| s.shapes.iter())
        .filter_map(|shape| shape.pattern().map(|p| p.rust.clone()))
        .collect();
    assert!(out.len() >= 9, "the models have at least nine patterns, found {}", out.len());
    for ecma in [
        r"^\w+$",
        r"\d{2,4}",
        r"^[^a-c]*$",
        r"^.$",
        r"\s",
        r"(ab|a)c",
        r"^(?:x|yz)+$",
        r"^[\u00e9\uD83D\uDE80]{2}$",
        r"a|^b|c$",
        "",
    ] {
        out.push(codegen::pattern::translate(ecma).expect("translates"));
    }
    out
}

const FRAGMENTS: &[&str] = &[
    "arn:aws", ":cloudformation:", "us-east-1", ":123456789012:", "type/hook/", "My-Hook", "/", "w-", "0123456789",
    "abcdef", "ABCDEF", "0a1b2c3d", "-", "_", "a", "b", "c", "x", "y", "z", "Z", "9", " ", "\t", "\n", "\r", "\u{b}",
    "é", "日本", "🚀", "\u{2028}", "\u{3000}", "\u{7f}", "\u{1}", "\u{fffd}", "\u{10ffff}", "!", "$", "^",
];

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..12).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, rng_seed: prop::test_runner::RngSeed::Fixed(0x6175_746f), ..ProptestConfig::default() })]

    #[test]
    fn automata_agree_with_regex_lite(texts in proptest::collection::vec(text(), 8)) {
        for pattern in patterns_cached() {
            let (table, engine) = pattern;
            for t in &texts {
                prop_assert_eq!(table.is_match(t), engine.is_match(t), "pattern {:?} on {:?}", engine.as_str(), t);
            }
        }
    }
}

fn patterns_cached() -> &'static [(automaton::Automaton, regex_lite::Regex)] {
    static COMPILED: std::sync::OnceLock<Vec<(automaton::Automaton, regex_lite::Regex)>> = std::sync::OnceLock::new();
    COMPILED.get_or_init(|| {
        patterns()
            .into_iter()
            .filter_map(|p| {
                let table = automaton::compile(&p).expect("compiles");
                match regex_lite::Regex::new(&p) {
                    Ok(engine) => Some((table, engine)),
                    // regex-lite has no Unicode classes: such patterns (Transfer's S3Key,
                    // `[\P{M}\p{M}]*`) are checked by the translator's own tests instead.
                    Err(e) => {
                        assert!(p.contains(r"\p{"), "regex-lite cannot parse {p:?}, which has no Unicode class: {e}");
                        None
                    }
                }
            })
            .collect()
    })
}

#[test]
fn model_patterns_on_documented_examples() {
    let all = patterns_cached();
    let find = |needle: &str| &all.iter().find(|(_, r)| r.as_str().contains(needle)).expect(needle).0;
    let workflow = find("w-(");
    assert!(workflow.is_match("w-0123456789abcdefg") && !workflow.is_match("w-0123456789ABCDEFG"));
    let arn = find("cloudformation");
    assert!(arn.is_match("arn:aws:cloudformation:us-east-1:123456789012:type/hook/My-Hook/"));
    assert!(!arn.is_match("arn:aws:cloudformation:us-east-1:12345:type/hook/My-Hook"));
}

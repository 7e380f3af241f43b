//! The loader and checker never panic and never run away, whatever the text:
//! mutated real models, random YAML, deep nesting, huge strings, odd Unicode.
//! Every rejection names the file. Case counts: `MODEL_FUZZ_CASES` (default
//! 256 per property; the long run in RELIABILITY.md uses 100,000).

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const FILE: &str = "models/fuzzed.yaml";

fn cases() -> u32 {
    std::env::var("MODEL_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
}

fn real_models() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    texts.sort();
    texts
}

/// Loads `text`, asserting the invariants of a rejection and a time bound.
fn load_checked(text: &str) {
    let start = Instant::now();
    match codegen::load_model(text, FILE) {
        Ok(service) => {
            // Whatever is accepted must also emit without panicking.
            let files = codegen::emit::crate_files(&[service]);
            assert!(!files.is_empty());
        }
        Err(diagnostics) => {
            assert!(!diagnostics.0.is_empty(), "a rejection carries at least one diagnostic");
            for d in &diagnostics.0 {
                assert_eq!(d.file, FILE);
                assert!(!d.message.is_empty());
            }
        }
    }
    // A hang guard, not a speed assertion: generous enough for a loaded debug build.
    assert!(start.elapsed() < Duration::from_secs(60), "took {:?}", start.elapsed());
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Insert(usize, String),
    Truncate(usize),
    ReplaceChar(usize, char),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let odd = prop_oneof![
        Just("  - ".to_owned()),
        Just(": ".to_owned()),
        Just("{".to_owned()),
        Just("*anchor".to_owned()),
        Just("&a [*a, *a]".to_owned()),
        Just("\t".to_owned()),
        Just("type: structure".to_owned()),
        Just("    pattern: { regex: '(?=x)' }".to_owned()),
        Just("    length: { min: 9, max: 1 }".to_owned()),
        Just("🚀 é 日本 \u{202e} \u{0}".to_owned()),
        "[a-z{}:\\[\\]\\-_ ]{0,20}",
    ];
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<usize>(), odd).prop_map(|(a, s)| Mutation::Insert(a, s)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<char>()).prop_map(|(a, c)| Mutation::ReplaceChar(a, c)),
    ]
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for m in mutations {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match m {
            Mutation::DeleteLine(i) => {
                lines.remove(i % n);
            }
            Mutation::DuplicateLine(i) => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Mutation::SwapLines(a, b) => lines.swap(a % n, b % n),
            Mutation::Insert(i, s) => lines.insert(i % (n + 1), s.clone()),
            Mutation::Truncate(i) => lines.truncate(i % n),
            Mutation::ReplaceChar(i, c) => {
                let l = &mut lines[i % n];
                let chars: Vec<char> = l.chars().collect();
                if !chars.is_empty() {
                    let k = i % chars.len();
                    *l = chars[..k].iter().chain(std::iter::once(c)).chain(&chars[k + 1..]).collect();
                }
            }
        }
    }
    lines.join("\n")
}

#[test]
fn mutated_real_models_never_panic() {
    let models = real_models();
    let mut runner = TestRunner::new(Config { cases: cases(), failure_persistence: None, ..Config::default() });
    let strategy = (0..models.len(), prop::collection::vec(mutation(), 1..6));
    runner
        .run(&strategy, |(which, mutations)| {
            load_checked(&apply(&models[which], &mutations));
            Ok(())
        })
        .unwrap();
}

#[test]
fn random_text_never_panics() {
    let mut runner = TestRunner::new(Config { cases: cases(), failure_persistence: None, ..Config::default() });
    runner
        .run(&"(?s).{0,400}", |text| {
            load_checked(&text);
            Ok(())
        })
        .unwrap();
}

#[test]
fn hostile_shapes_are_bounded() {
    let deep_flow = format!("service: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_block: String = (0..5_000).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    let huge_string = format!("service:\n  name: {}\n", "x".repeat(5_000_000));
    let alias_bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    let many_unknown: String = (0..500).map(|i| format!("unknown{i}: 1\n")).collect();
    for text in [deep_flow.as_str(), &deep_block, &huge_string, alias_bomb, &many_unknown, "\u{feff}", "---\n---\n", "\0\0\0"] {
        load_checked(text);
    }
}

#[test]
fn every_real_model_survives_single_line_deletions() {
    // Exhaustive rather than random: each line of each model removed in turn.
    for text in real_models() {
        let lines: Vec<&str> = text.lines().collect();
        for i in 0..lines.len() {
            let mut copy = lines.clone();
            copy.remove(i);
            load_checked(&copy.join("\n"));
        }
    }
}

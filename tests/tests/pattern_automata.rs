//! The generator's reference walk of a pattern automaton
//! (`codegen::automaton::Automaton::is_match`, used by its own tests and its
//! differential test against regex-lite) and the runtime's walk that generated
//! code runs (`lifecycle_hooks_runtime::Automaton`) are two copies of one
//! algorithm over one table format: the generator cannot depend on the HTTP
//! runtime. This keeps them from drifting apart: same state flags, and the
//! same answer on the same tables for every model pattern.

use lifecycle_hooks_runtime::Automaton as RuntimeAutomaton;
use proptest::prelude::*;

fn leak(bytes: Vec<u8>) -> &'static [u8] {
    Box::leak(bytes.into_boxed_slice())
}

/// Every enforced pattern of `models/`: the generator's automaton and the runtime's view of its tables.
fn automata() -> &'static [(codegen::automaton::Automaton, RuntimeAutomaton)] {
    static ALL: std::sync::OnceLock<Vec<(codegen::automaton::Automaton, RuntimeAutomaton)>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let services = codegen::load_models(&tests::repo_root().join("models")).expect("models are valid");
        let all: Vec<_> = services
            .iter()
            .flat_map(|s| s.shapes.iter())
            .filter_map(|shape| shape.pattern().and_then(|p| p.automaton.clone()))
            .map(|a| {
                let classes: &'static [u8; 256] = Box::leak(a.classes.clone());
                let runtime = RuntimeAutomaton::new(classes, a.stride, leak(a.next_bytes()), leak(a.kinds.clone()));
                let runtime = if a.anchored { runtime.anchored() } else { runtime };
                (a, runtime)
            })
            .collect();
        assert!(all.len() >= 9, "expected the models' nine enforced patterns, found {}", all.len());
        all
    })
}

#[test]
fn state_flags_are_the_same() {
    assert_eq!(codegen::automaton::DEAD, RuntimeAutomaton::DEAD);
    assert_eq!(codegen::automaton::MATCHED, RuntimeAutomaton::MATCHED);
    assert_eq!(codegen::automaton::MATCH_AT_END, RuntimeAutomaton::MATCH_AT_END);
}

const FRAGMENTS: &[&str] = &[
    "arn:aws", ":cloudformation:", ":123456789012:", "type/hook/", "w-", "0123456789abcdef", "ABCDEF", "-", "_", "/",
    "a", "Z", " ", "\t", "\n", "é", "🚀", "\u{1}", "\u{7f}",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, rng_seed: prop::test_runner::RngSeed::Fixed(0x7061_7474), ..ProptestConfig::default() })]

    #[test]
    fn both_walks_agree(parts in proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..12)) {
        let text = parts.concat();
        for (generator, runtime) in automata() {
            prop_assert_eq!(generator.is_match(&text), runtime.is_match(&text), "{:?}", text);
        }
    }
}

//! Model patterns compiled into deterministic automata at generation time, so
//! that the generated crate matches them with a table walk: no regex engine in
//! its build, nothing compiled on first use, nothing that can fail at run time.
//!
//! `regex-automata` builds a minimal dense DFA for an unanchored search
//! (Smithy patterns are not anchored: a match anywhere in the value counts);
//! this module renumbers its states into the small table format of the
//! runtime's `Automaton` (`runtime/src/validate.rs`):
//!
//! - `classes`: byte -> equivalence class (bytes no state tells apart share one);
//! - `next`: `state * stride + class` -> next state, as little-endian `u16`;
//! - `kinds`: per state, [`DEAD`] (no match can follow), [`MATCHED`] (a match
//!   has been seen) and [`MATCH_AT_END`] (a match if the value ends here).
//!
//! State 0 is the dead state and state 1 the start state (the start of the
//! value, so `^` and `\b` hold there as they should).
//!
//! A pattern whose unanchored DFA is too big (counted repetitions such as
//! `[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9]`, whose determinization tracks every
//! start at once) gets its anchored DFA instead, walked from every code point
//! of the value (`anchored`): the same answer, in time proportional to the
//! value's length times the longest walk. Only patterns without assertions
//! (`^`, `$`, `\b`) take this way, since their start state does not depend on
//! what comes before it. The DFA reads UTF-8
//! bytes; character classes are compiled to UTF-8 sequences of whole code
//! points, so a value is matched by code point, as ECMA-262 does with `u`-less
//! patterns over text without lone surrogates (which Rust strings cannot hold).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use regex_automata::dfa::{Automaton as _, StartKind, dense};
use regex_automata::nfa::thompson;
use regex_automata::util::{primitives::StateID, start};
use regex_automata::{Anchored, MatchKind};

/// No match can follow: stop and report no match.
pub const DEAD: u8 = 1;
/// A match has been seen: stop and report a match.
pub const MATCHED: u8 = 2;
/// A match if the value ends in this state.
pub const MATCH_AT_END: u8 = 4;

/// The most states an automaton may have (state ids are `u16`).
const MAX_STATES: usize = u16::MAX as usize;
/// Memory the DFA construction may use before the pattern is called too complex.
const BUILD_LIMIT_BYTES: usize = 8 << 20;

/// A pattern's automaton in the runtime's format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Automaton {
    pub classes: Box<[u8; 256]>,
    /// Number of byte classes: the width of one state's row in `next`.
    pub stride: usize,
    /// `state * stride + class` -> next state.
    pub next: Vec<u16>,
    pub kinds: Vec<u8>,
    /// Walked from every code point of the value, not once from its start.
    pub anchored: bool,
}

impl Automaton {
    /// `next` as the little-endian bytes the generated table holds.
    pub fn next_bytes(&self) -> Vec<u8> {
        self.next.iter().flat_map(|s| s.to_le_bytes()).collect()
    }

    /// Whether the pattern matches somewhere in `text`: the walk the runtime does.
    pub fn is_match(&self, text: &str) -> bool {
        if !self.anchored {
            return self.walk(text.as_bytes());
        }
        text.char_indices().map(|(i, _)| i).chain([text.len()]).any(|i| self.walk(&text.as_bytes()[i..]))
    }

    fn walk(&self, bytes: &[u8]) -> bool {
        let mut state = 1;
        for &byte in bytes {
            if self.kinds[state] & (DEAD | MATCHED) != 0 {
                break;
            }
            state = self.next[state * self.stride + usize::from(self.classes[usize::from(byte)])].into();
        }
        let kind = self.kinds[state];
        kind & MATCHED != 0 || (kind & DEAD == 0 && kind & MATCH_AT_END != 0)
    }
}

/// Compiles `pattern` (regex-syntax, as [`crate::pattern::translate`] writes it).
///
/// Determinizing is most of a generator run's time, and the same patterns come
/// back (a model checked again after an edit, a test loading a model many
/// times), so each distinct pattern is compiled once per process.
pub fn compile(pattern: &str) -> Result<Automaton, String> {
    type Cache = Mutex<HashMap<String, Result<Automaton, String>>>;
    static COMPILED: OnceLock<Cache> = OnceLock::new();
    let cache = COMPILED.get_or_init(Cache::default);
    if let Some(done) = cache.lock().unwrap_or_else(PoisonError::into_inner).get(pattern) {
        return done.clone();
    }
    let result = compile_uncached(pattern);
    cache.lock().unwrap_or_else(PoisonError::into_inner).insert(pattern.to_owned(), result.clone());
    result
}

fn compile_uncached(pattern: &str) -> Result<Automaton, String> {
    let hir = crate::pattern::parse(pattern).map_err(|e| format!("cannot be compiled to an automaton: {e}"))?;
    // Empty matches may fall between the bytes of one code point (`utf8(false)`,
    // as the parser allows): only "is there a match" is asked.
    let nfa = thompson::Compiler::new()
        .configure(thompson::Config::new().utf8(false).nfa_size_limit(Some(BUILD_LIMIT_BYTES)))
        .build_from_hir(&hir)
        .map_err(|e| format!("cannot be compiled to an automaton: {e}"))?;
    match table(&nfa, false) {
        Err(unanchored) if hir.properties().look_set().is_empty() => {
            // The anchored DFA failing too says nothing new; the first reason stands.
            table(&nfa, true).map_err(|_| format!("{unanchored}, also when walked from every position"))
        }
        other => other,
    }
}

/// The DFA of `nfa` (unanchored, or `anchored` to be walked from every position) in the runtime's format.
fn table(nfa: &thompson::NFA, anchored: bool) -> Result<Automaton, String> {
    let (start_kind, search) = if anchored { (StartKind::Anchored, Anchored::Yes) } else { (StartKind::Unanchored, Anchored::No) };
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(start_kind)
                .match_kind(MatchKind::All)
                .minimize(true)
                .determinize_size_limit(Some(BUILD_LIMIT_BYTES))
                .dfa_size_limit(Some(BUILD_LIMIT_BYTES)),
        )
        .build_from_nfa(nfa)
        .map_err(|e| format!("cannot be compiled to an automaton: {e}"))?;
    let start = dfa
        .start_state(&start::Config::new().anchored(search))
        .map_err(|e| format!("cannot be compiled to an automaton: {e}"))?;

    let byte_classes = dfa.byte_classes();
    let mut classes = Box::new([0u8; 256]);
    let mut representatives: Vec<u8> = Vec::new();
    for byte in 0..=255u8 {
        let class = byte_classes.get(byte);
        classes[usize::from(byte)] = class;
        if usize::from(class) == representatives.len() {
            representatives.push(byte);
        }
    }
    let stride = representatives.len();

    // Breadth-first from the start state: ids in the order states are first reached.
    let mut ids: Vec<StateID> = Vec::new();
    let mut number = std::collections::HashMap::new();
    let mut id_of = |s: StateID, ids: &mut Vec<StateID>| -> Result<u16, String> {
        if dfa.is_dead_state(s) {
            return Ok(0);
        }
        if let Some(&n) = number.get(&s) {
            return Ok(n);
        }
        if ids.len() + 1 >= MAX_STATES {
            return Err(format!("needs more than {MAX_STATES} automaton states"));
        }
        ids.push(s);
        let n = ids.len() as u16; // 0 is the dead state
        number.insert(s, n);
        Ok(n)
    };
    let mut next = vec![0u16; stride]; // the dead state's row
    let mut kinds = vec![DEAD];
    if id_of(start, &mut ids)? == 0 {
        // Nothing can ever match: the start state is a second dead state.
        next.extend(std::iter::repeat_n(0, stride));
        kinds.push(DEAD);
    }
    let mut i = 0;
    while i < ids.len() {
        let s = ids[i];
        if dfa.is_quit_state(s) {
            return Err("cannot be compiled to an automaton: it needs a quit state".into());
        }
        let mut kind = 0;
        if dfa.is_match_state(s) {
            kind |= MATCHED;
        }
        if dfa.is_match_state(dfa.next_eoi_state(s)) {
            kind |= MATCH_AT_END;
        }
        kinds.push(kind);
        for &byte in &representatives {
            let to = id_of(dfa.next_state(s, byte), &mut ids)?;
            next.push(to);
        }
        i += 1;
    }
    Ok(Automaton { classes, stride, next, kinds, anchored })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unanchored_with_anchors_where_written() {
        let a = compile("[0-9]{3}").unwrap();
        assert!(a.is_match("ab123cd") && !a.is_match("ab12cd") && !a.is_match(""));
        let a = compile("^ab$").unwrap();
        assert!(a.is_match("ab") && !a.is_match("xab") && !a.is_match("abx"));
        let a = compile("x*").unwrap();
        assert!(a.is_match("") && a.is_match("yyy"));
    }

    #[test]
    fn code_points_not_bytes() {
        let a = compile("^[^a]$").unwrap();
        assert!(a.is_match("é") && a.is_match("🚀") && !a.is_match("a") && !a.is_match("éé"));
        let a = compile(r"^[\x{10000}-\x{10FFFF}]+$").unwrap();
        assert!(a.is_match("🚀🚀") && !a.is_match("é"));
    }

    #[test]
    fn ascii_word_boundaries() {
        let a = compile(r"(?-u:\b)ab(?-u:\b)").unwrap();
        assert!(a.is_match("x ab y") && !a.is_match("xab") && a.is_match("éabé"));
        let a = compile(r"a(?-u:\B)b").unwrap();
        assert!(a.is_match("ab"));
        // A pattern that can never match: its start state is dead.
        let never = compile(r"a(?-u:\B) ").unwrap();
        assert_eq!(never.kinds, [DEAD, DEAD]);
        assert!(!never.is_match("a ") && !never.is_match(""));
    }

    #[test]
    fn state_zero_is_dead_and_one_starts() {
        let a = compile("^a").unwrap();
        assert_eq!(a.kinds[0], DEAD);
        assert!(a.next[..a.stride].iter().all(|&s| s == 0));
        assert!(!a.is_match("b") && a.is_match("abc"));
        assert_eq!(a.next_bytes().len(), a.next.len() * 2);
    }

    #[test]
    fn counted_repetitions_too_big_unanchored_are_walked_from_every_position() {
        let a = compile(r"[a-z0-9][\.\-a-z0-9]{1,61}[a-z0-9]").unwrap();
        assert!(a.anchored);
        assert!(a.is_match("my.bucket") && a.is_match("--ab.c--") && a.is_match("é-a-b"));
        assert!(!a.is_match("ab") && !a.is_match("a..") && !a.is_match("A.B.C"));
        let a = compile(r"[0-9A-Za-z_][0-9A-Za-z_@.-]{2,99}").unwrap();
        assert!(a.anchored && a.is_match("bob") && !a.is_match("b!") && a.is_match("!!abc!!"));
    }

    #[test]
    fn too_big_is_an_error_not_a_hang() {
        for pattern in ["[ab]*a[ab]{30}", "(?:a{1000}){1000}", "(?:(?:(?:[a-z]{50}){50}){50})"] {
            let started = std::time::Instant::now();
            let err = compile(pattern).unwrap_err();
            assert!(err.contains("automaton"), "{pattern}: {err}");
            // A guard against a hang, not a benchmark: the limits stop the build early.
            assert!(started.elapsed() < std::time::Duration::from_secs(60), "{pattern}");
        }
    }
}


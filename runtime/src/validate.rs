//! Client-side validation: what generated `validate()` methods call.
//!
//! A [`Validator`] collects every violation instead of stopping at the first.
//! Field paths are built lazily ([`FieldPath`] lives on the stack), so a valid
//! input allocates nothing.

use std::fmt;

/// Where a value sits inside an input, e.g. `HookResults[0].TypeName`.
///
/// Segments are the API's own member names, as in the service documentation.
#[derive(Clone, Copy)]
pub struct FieldPath<'a> {
    parent: Option<&'a FieldPath<'a>>,
    segment: Segment<'a>,
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root,
    Field(&'static str),
    Index(usize),
    Key(&'a str),
}

impl<'a> FieldPath<'a> {
    /// The input itself.
    pub const fn root() -> FieldPath<'static> {
        FieldPath { parent: None, segment: Segment::Root }
    }

    /// A member of the structure at `self`.
    pub fn field(&'a self, name: &'static str) -> FieldPath<'a> {
        FieldPath { parent: Some(self), segment: Segment::Field(name) }
    }

    /// An element of the list at `self`.
    pub fn index(&'a self, index: usize) -> FieldPath<'a> {
        FieldPath { parent: Some(self), segment: Segment::Index(index) }
    }

    /// A value of the map at `self`.
    pub fn key(&'a self, key: &'a str) -> FieldPath<'a> {
        FieldPath { parent: Some(self), segment: Segment::Key(key) }
    }

    fn write(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.write(out);
        }
        match self.segment {
            Segment::Root => {}
            Segment::Field(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
            Segment::Key(k) => {
                out.push('[');
                out.push_str(&format!("{k:?}"));
                out.push(']');
            }
        }
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write(&mut s);
        if s.is_empty() {
            s.push_str("(input)");
        }
        f.write_str(&s)
    }
}

/// A model pattern, compiled by the generator into an [`Automaton`]: matching
/// is a table walk, with nothing compiled at run time and nothing that can fail.
pub struct Pattern {
    ecma: &'static str,
    automaton: Automaton,
}

impl Pattern {
    /// A pattern: its ECMA-262 source (for messages) and the generator's automaton.
    pub const fn new(ecma: &'static str, automaton: Automaton) -> Self {
        Self { ecma, automaton }
    }

    /// The pattern as the model (and the service documentation) writes it.
    pub fn ecma(&self) -> &'static str {
        self.ecma
    }

    /// Whether `value` contains a match (patterns are not anchored).
    pub fn is_match(&self, value: &str) -> bool {
        self.automaton.is_match(value)
    }
}

/// A deterministic automaton over UTF-8 bytes for an unanchored search, as
/// the generator writes it (`codegen/src/automaton.rs`): `classes` maps each
/// byte to its class, `next` holds `state * stride + class -> state` as
/// little-endian `u16`, `kinds` the flags of each state ([`Self::DEAD`],
/// [`Self::MATCHED`], [`Self::MATCH_AT_END`]). State 0 is dead, 1 the start.
pub struct Automaton {
    classes: &'static [u8; 256],
    stride: usize,
    next: &'static [u8],
    kinds: &'static [u8],
    /// Walked from every code point of the value (an anchored DFA), not once.
    anchored: bool,
}

impl Automaton {
    /// No match can follow.
    pub const DEAD: u8 = 1;
    /// A match has been seen.
    pub const MATCHED: u8 = 2;
    /// A match if the value ends in this state.
    pub const MATCH_AT_END: u8 = 4;

    /// Checks that the tables hold together, so that matching never indexes
    /// outside them. Generated code calls this in a `static`, where a broken
    /// table is a compile error.
    ///
    /// # Panics
    /// When the tables do not hold together (at compile time in a `static`).
    pub const fn new(classes: &'static [u8; 256], stride: usize, next: &'static [u8], kinds: &'static [u8]) -> Self {
        assert!(stride >= 1 && kinds.len() >= 2, "an automaton needs a class and the dead and start states");
        assert!(next.len() == kinds.len() * stride * 2, "an automaton needs one u16 per state and class");
        let mut i = 0;
        while i < classes.len() {
            assert!((classes[i] as usize) < stride, "a byte class is out of range");
            i += 1;
        }
        let mut j = 0;
        while j < next.len() {
            assert!((u16::from_le_bytes([next[j], next[j + 1]]) as usize) < kinds.len(), "a state is out of range");
            j += 2;
        }
        Self { classes, stride, next, kinds, anchored: false }
    }

    /// The same tables, of an anchored DFA: walked from every code point of the
    /// value (the generator's choice when the unanchored DFA is too big).
    pub const fn anchored(self) -> Self {
        Self { anchored: true, ..self }
    }

    /// Whether the automaton's pattern matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        if !self.anchored {
            return self.walk(text.as_bytes());
        }
        text.char_indices().map(|(i, _)| i).chain([text.len()]).any(|i| self.walk(&text.as_bytes()[i..]))
    }

    fn walk(&self, bytes: &[u8]) -> bool {
        let mut state = 1;
        for &byte in bytes {
            if self.kinds[state] & (Self::DEAD | Self::MATCHED) != 0 {
                break;
            }
            let at = 2 * (state * self.stride + self.classes[usize::from(byte)] as usize);
            state = usize::from(u16::from_le_bytes([self.next[at], self.next[at + 1]]));
        }
        let kind = self.kinds[state];
        kind & Self::MATCHED != 0 || (kind & Self::DEAD == 0 && kind & Self::MATCH_AT_END != 0)
    }
}

/// The constraint a value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Constraint {
    /// Length in Unicode scalar values (strings) or elements (lists, maps).
    Length {
        /// The least length, if any.
        min: Option<u64>,
        /// The greatest length, if any.
        max: Option<u64>,
    },
    /// An ECMA-262 pattern that must match somewhere in the value.
    Pattern {
        /// The pattern's ECMA-262 source.
        pattern: &'static str,
    },
    /// A numeric range, both ends inclusive.
    Range {
        /// The least value, if any.
        min: Option<i64>,
        /// The greatest value, if any.
        max: Option<i64>,
    },
    /// One of a fixed set of values.
    Enum {
        /// The allowed values.
        allowed: &'static [&'static str],
    },
    /// A float within an inclusive range.
    FloatRange {
        /// The least value, if any.
        min: Option<FloatBound>,
        /// The greatest value, if any.
        max: Option<FloatBound>,
    },
    /// One of a fixed set of whole numbers (an `int_enum`).
    IntEnum {
        /// The allowed values.
        allowed: &'static [i32],
    },
}

/// A float bound of a [`Constraint::FloatRange`], compared bit for bit (so the constraint can be `Eq`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FloatBound(u64);

impl FloatBound {
    /// The bound `value`.
    pub fn new(value: f64) -> Self {
        FloatBound(value.to_bits())
    }

    /// The bound as a float.
    pub fn value(self) -> f64 {
        f64::from_bits(self.0)
    }
}

impl fmt::Display for FloatBound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.value())
    }
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::Length { min, max } => write!(f, "length {}", bounds(*min, *max)),
            Constraint::Pattern { pattern } => write!(f, "pattern {pattern}"),
            Constraint::Range { min, max } => write!(f, "range {}", bounds(*min, *max)),
            Constraint::Enum { allowed } => write!(f, "one of {}", allowed.join(", ")),
            Constraint::FloatRange { min, max } => write!(f, "range {}", bounds(*min, *max)),
            Constraint::IntEnum { allowed } => {
                let allowed: Vec<String> = allowed.iter().map(i32::to_string).collect();
                write!(f, "one of {}", allowed.join(", "))
            }
        }
    }
}

fn bounds<T: fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a}..={b}"),
        (Some(a), None) => format!(">= {a}"),
        (None, Some(b)) => format!("<= {b}"),
        (None, None) => "any".to_owned(),
    }
}

/// One broken constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where the value is, e.g. `WorkflowId` or `HookResults[0].TypeName`.
    pub path: String,
    /// What it broke.
    pub constraint: Constraint,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every constraint an input broke (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    /// Every violation, in the order they were found.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The violations, owned.
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} constraint violation(s): ", self.violations.len())?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Collects violations; generated code calls one method per constraint.
#[derive(Debug, Default)]
pub struct Validator {
    violations: Vec<Violation>,
}

impl Validator {
    /// An empty validator.
    pub fn new() -> Self {
        Self::default()
    }

    /// `Ok` when nothing was broken, otherwise every violation in the order found.
    pub fn finish(self) -> Result<(), ValidationError> {
        if self.violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { violations: self.violations })
        }
    }

    fn push(&mut self, at: &FieldPath<'_>, constraint: Constraint, message: String) {
        self.violations.push(Violation { path: at.to_string(), constraint, message });
    }

    /// String length, counted in Unicode scalar values (as Smithy defines it).
    pub fn str_length(&mut self, at: &FieldPath<'_>, value: &str, min: Option<u64>, max: Option<u64>) {
        // Byte length bounds the char count from above: skip counting when it cannot fail.
        let bytes = value.len() as u64;
        if min.is_none_or(|m| m == 0) && max.is_none_or(|m| bytes <= m) {
            return;
        }
        self.count_length(at, value.chars().count(), "characters", min, max);
    }

    /// Number of elements of a list or map.
    pub fn count_length(&mut self, at: &FieldPath<'_>, count: usize, unit: &str, min: Option<u64>, max: Option<u64>) {
        let n = count as u64;
        let too_short = min.is_some_and(|m| n < m);
        let too_long = max.is_some_and(|m| n > m);
        if too_short || too_long {
            let c = Constraint::Length { min, max };
            let msg = format!("has {n} {unit}, expected {}", bounds(min, max));
            self.push(at, c, msg);
        }
    }

    /// The pattern must match somewhere in the value (not anchored).
    pub fn pattern(&mut self, at: &FieldPath<'_>, value: &str, pattern: &'static Pattern) {
        if !pattern.is_match(value) {
            let c = Constraint::Pattern { pattern: pattern.ecma() };
            self.push(at, c, format!("{value:?} does not match pattern {}", pattern.ecma()));
        }
    }

    /// A number within an inclusive range.
    pub fn range(&mut self, at: &FieldPath<'_>, value: i64, min: Option<i64>, max: Option<i64>) {
        if min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m) {
            let msg = format!("is {value}, expected {}", bounds(min, max));
            self.push(at, Constraint::Range { min, max }, msg);
        }
    }

    /// A float within an inclusive range; NaN is outside every range.
    pub fn float_range(&mut self, at: &FieldPath<'_>, value: f64, min: Option<f64>, max: Option<f64>) {
        // NaN compares as neither: it is outside every bound.
        let below = min.is_some_and(|m| value.partial_cmp(&m).is_none_or(|o| o == std::cmp::Ordering::Less));
        let above = max.is_some_and(|m| value.partial_cmp(&m).is_none_or(|o| o == std::cmp::Ordering::Greater));
        if below || above {
            let (min, max) = (min.map(FloatBound::new), max.map(FloatBound::new));
            let msg = format!("is {value}, expected {}", bounds(min, max));
            self.push(at, Constraint::FloatRange { min, max }, msg);
        }
    }

    /// An `int_enum` value within the allowed set.
    pub fn int_one_of(&mut self, at: &FieldPath<'_>, value: i32, allowed: &'static [i32]) {
        if !allowed.contains(&value) {
            let list: Vec<String> = allowed.iter().map(i32::to_string).collect();
            let msg = format!("{value} is not one of {}", list.join(", "));
            self.push(at, Constraint::IntEnum { allowed }, msg);
        }
    }

    /// An enum value (as it goes on the wire) within the allowed set.
    pub fn one_of(&mut self, at: &FieldPath<'_>, value: &str, allowed: &'static [&'static str]) {
        if !allowed.contains(&value) {
            let msg = format!("{value:?} is not one of {}", allowed.join(", "));
            self.push(at, Constraint::Enum { allowed }, msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `\w+` by hand: class 1 is an ASCII word byte; state 2 has seen one.
    const fn word_classes() -> [u8; 256] {
        let mut classes = [0; 256];
        let mut b = 0;
        while b < 256 {
            let byte = b as u8;
            if byte.is_ascii_alphanumeric() || byte == b'_' {
                classes[b] = 1;
            }
            b += 1;
        }
        classes
    }
    static WORD_CLASSES: [u8; 256] = word_classes();
    static WORD: Pattern = Pattern::new(
        r"\w+",
        Automaton::new(&WORD_CLASSES, 2, &[0, 0, 0, 0, 1, 0, 2, 0, 2, 0, 2, 0], &[Automaton::DEAD, 0, Automaton::MATCHED]),
    );

    #[test]
    fn collects_every_violation_with_paths() {
        let mut v = Validator::new();
        let root = FieldPath::root();
        let list = root.field("HookResults");
        let item = list.index(2);
        v.str_length(&item.field("TypeName"), "abc", Some(10), Some(196));
        v.pattern(&root.field("Token"), "日本", &WORD);
        v.range(&root.field("HeartbeatTimeout"), 29, Some(30), Some(7200));
        let err = v.finish().unwrap_err();
        let paths: Vec<_> = err.violations().iter().map(|v| v.path.as_str()).collect();
        assert_eq!(paths, ["HookResults[2].TypeName", "Token", "HeartbeatTimeout"]);
        assert_eq!(err.violations()[0].message, "has 3 characters, expected 10..=196");
    }

    #[test]
    fn length_counts_scalar_values_not_bytes() {
        let mut v = Validator::new();
        let root = FieldPath::root();
        v.str_length(&root.field("A"), "🚀🚀", Some(1), Some(2));
        v.str_length(&root.field("B"), "ééé", Some(1), Some(2));
        let err = v.finish().unwrap_err();
        assert_eq!(err.violations().len(), 1);
        assert_eq!(err.violations()[0].path, "B");
    }

    #[test]
    fn automaton_walk() {
        assert!(WORD.is_match("!hello!") && WORD.is_match("a") && WORD.is_match("日本x"));
        assert!(!WORD.is_match("日本") && !WORD.is_match("") && !WORD.is_match("!?"));
    }

    #[test]
    fn tables_that_do_not_hold_together_are_refused() {
        static CLASSES: [u8; 256] = [0; 256];
        let broken: [(usize, &'static [u8], &'static [u8]); 4] = [
            (0, &[], &[Automaton::DEAD, 0]),         // no class
            (1, &[0, 0], &[Automaton::DEAD, 0]),     // a row short
            (1, &[0, 0, 2, 0], &[Automaton::DEAD, 0]), // state 2 does not exist
            (1, &[0, 0, 0, 0], &[Automaton::DEAD]),  // no start state
        ];
        for (stride, next, kinds) in broken {
            let made = std::panic::catch_unwind(|| Automaton::new(&CLASSES, stride, next, kinds));
            assert!(made.is_err(), "stride {stride}, next {next:?}, kinds {kinds:?}");
        }
        static HIGH: [u8; 256] = [1; 256];
        assert!(std::panic::catch_unwind(|| Automaton::new(&HIGH, 1, &[0, 0, 0, 0], &[Automaton::DEAD, 0])).is_err());
        assert!(!Automaton::new(&CLASSES, 1, &[0, 0, 1, 0], &[Automaton::DEAD, 0]).is_match("abc"));
    }
}

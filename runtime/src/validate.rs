//! Client-side validation: what generated `validate()` methods call.
//!
//! A [`Validator`] collects every violation instead of stopping at the first.
//! Field paths are built lazily ([`FieldPath`] lives on the stack), so a valid
//! input allocates nothing.

use std::fmt;
use std::sync::OnceLock;

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

/// A compiled-on-first-use pattern. `ecma` is the model's ECMA-262 source,
/// `rust` the generator's translation of it (ASCII `\w`/`\d`, no anchoring added).
pub struct Pattern {
    ecma: &'static str,
    rust: &'static str,
    compiled: OnceLock<Result<regex_lite::Regex, String>>,
}

impl Pattern {
    pub const fn new(ecma: &'static str, rust: &'static str) -> Self {
        Self { ecma, rust, compiled: OnceLock::new() }
    }

    /// The pattern as the model (and the service documentation) writes it.
    pub fn ecma(&self) -> &'static str {
        self.ecma
    }

    /// `Ok(true)` when `value` contains a match (patterns are not anchored).
    pub fn is_match(&self, value: &str) -> Result<bool, &str> {
        match self.compiled.get_or_init(|| regex_lite::Regex::new(self.rust).map_err(|e| e.to_string())) {
            Ok(re) => Ok(re.is_match(value)),
            Err(e) => Err(e.as_str()),
        }
    }
}

/// The constraint a value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Constraint {
    /// Length in Unicode scalar values (strings) or elements (lists, maps).
    Length { min: Option<u64>, max: Option<u64> },
    /// An ECMA-262 pattern that must match somewhere in the value.
    Pattern { pattern: &'static str },
    /// A numeric range, both ends inclusive.
    Range { min: Option<i64>, max: Option<i64> },
    /// One of a fixed set of values.
    Enum { allowed: &'static [&'static str] },
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::Length { min, max } => write!(f, "length {}", bounds(*min, *max)),
            Constraint::Pattern { pattern } => write!(f, "pattern {pattern}"),
            Constraint::Range { min, max } => write!(f, "range {}", bounds(*min, *max)),
            Constraint::Enum { allowed } => write!(f, "one of {}", allowed.join(", ")),
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
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

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
        let c = Constraint::Pattern { pattern: pattern.ecma() };
        match pattern.is_match(value) {
            Ok(true) => {}
            Ok(false) => self.push(at, c, format!("{value:?} does not match pattern {}", pattern.ecma())),
            Err(e) => self.push(at, c, format!("pattern {} could not be compiled: {e}", pattern.ecma())),
        }
    }

    /// A number within an inclusive range.
    pub fn range(&mut self, at: &FieldPath<'_>, value: i64, min: Option<i64>, max: Option<i64>) {
        if min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m) {
            let msg = format!("is {value}, expected {}", bounds(min, max));
            self.push(at, Constraint::Range { min, max }, msg);
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

    static WORD: Pattern = Pattern::new(r"\w+", r"[0-9A-Za-z_]+");

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
    fn bad_pattern_is_a_violation_not_a_panic() {
        static BROKEN: Pattern = Pattern::new("(", "(");
        let mut v = Validator::new();
        v.pattern(&FieldPath::root().field("X"), "x", &BROKEN);
        let err = v.finish().unwrap_err();
        assert!(err.violations()[0].message.contains("could not be compiled"));
    }
}

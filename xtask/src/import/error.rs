//! The importer's errors: every one says what was wrong and where.

use std::fmt;

/// Where in a botocore model a problem is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub operation: Option<String>,
    pub shape: Option<String>,
    pub member: Option<String>,
}

impl Place {
    pub fn service() -> Self {
        Place::default()
    }

    pub fn operation(name: &str) -> Self {
        Place { operation: Some(name.to_owned()), ..Place::default() }
    }

    pub fn shape(name: &str) -> Self {
        Place { shape: Some(name.to_owned()), ..Place::default() }
    }

    pub fn member(shape: &str, member: &str) -> Self {
        Place { shape: Some(shape.to_owned()), member: Some(member.to_owned()), ..Place::default() }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(o) = &self.operation {
            parts.push(format!("operation `{o}`"));
        }
        if let Some(s) = &self.shape {
            parts.push(format!("shape `{s}`"));
        }
        if let Some(m) = &self.member {
            parts.push(format!("member `{m}`"));
        }
        if parts.is_empty() {
            parts.push("service metadata".to_owned());
        }
        f.write_str(&parts.join(", "))
    }
}

/// One thing the importer cannot turn into the model format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// A botocore feature the model format or the generator cannot express
    /// yet. `feature` is botocore's key or value (`httpChecksumRequired`,
    /// `eventstream`, `streaming`, `protocol rest-xml`, ...).
    Unsupported { feature: String, detail: String },
    /// The botocore model itself is malformed (a missing key, a wrong type, a
    /// reference to a shape that does not exist).
    Invalid { message: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub place: Place,
    pub kind: ProblemKind,
}

impl Problem {
    /// The unsupported feature's name, if this is one.
    pub fn feature(&self) -> Option<&str> {
        match &self.kind {
            ProblemKind::Unsupported { feature, .. } => Some(feature),
            ProblemKind::Invalid { .. } => None,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ProblemKind::Unsupported { feature, detail } => {
                write!(f, "{}: `{feature}` is not supported yet: {detail}", self.place)
            }
            ProblemKind::Invalid { message } => write!(f, "{}: {message}", self.place),
        }
    }
}

/// Why an import failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Bad command-line arguments (the message includes the usage).
    Usage(String),
    /// A file that could not be read (not found, not gzip, not UTF-8).
    Read { path: String, message: String },
    /// A file that is not JSON, or not the JSON of a botocore model.
    NotJson { path: String, message: String },
    /// The pinned botocore is not installed where it is expected.
    NoBotocore { message: String },
    /// No folder of that name in botocore's `data/`.
    UnknownService { service: String, close: Vec<String> },
    /// `--operations` named operations the model does not have.
    UnknownOperations { unknown: Vec<(String, Vec<String>)> },
    /// Everything in the model that cannot be imported, all at once.
    Model { problems: Vec<Problem> },
    /// The output could not be written.
    Write { path: String, message: String },
}

impl ImportError {
    /// The problems of a [`ImportError::Model`] error (empty for the others).
    pub fn problems(&self) -> &[Problem] {
        match self {
            ImportError::Model { problems } => problems,
            _ => &[],
        }
    }
}

fn maybe(close: &[String]) -> String {
    match close {
        [] => String::new(),
        [one] => format!(" (did you mean `{one}`?)"),
        many => format!(" (close matches: {})", many.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")),
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Usage(m) => f.write_str(m),
            ImportError::Read { path, message } => write!(f, "error: cannot read {path}: {message}"),
            ImportError::NotJson { path, message } => {
                write!(f, "error: {path} is not a botocore JSON model: {message}")
            }
            ImportError::NoBotocore { message } => write!(f, "error: {message}"),
            ImportError::UnknownService { service, close } => {
                write!(f, "error: botocore has no service `{service}`{}", maybe(close))
            }
            ImportError::UnknownOperations { unknown } => {
                for (i, (name, close)) in unknown.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "error: the model has no operation `{name}`{}", maybe(close))?;
                }
                Ok(())
            }
            ImportError::Model { problems } => {
                for (i, p) in problems.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "error: {p}")?;
                }
                write!(f, "\n{} problem(s); nothing was written", problems.len())
            }
            ImportError::Write { path, message } => write!(f, "error: cannot write {path}: {message}"),
        }
    }
}

impl std::error::Error for ImportError {}

/// Levenshtein distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Up to five of `candidates` close to `name` (case-insensitive; by edit
/// distance, or sharing a prefix), closest first, then in their given order.
pub fn close_matches<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let lower = name.to_lowercase();
    let limit = (lower.chars().count() / 3).clamp(1, 4);
    let mut scored: Vec<(usize, usize, &str)> = candidates
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let cl = c.to_lowercase();
            let d = distance(&lower, &cl);
            let related =
                d <= limit || (lower.len() >= 3 && (cl.starts_with(&lower) || lower.starts_with(&cl) && cl.len() >= 3));
            related.then_some((d, i, c))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, _, c)| c.to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_matches_find_typos_and_prefixes() {
        let names = ["autoscaling", "autoscaling-plans", "application-autoscaling", "cloudformation", "codedeploy"];
        assert_eq!(close_matches("autoscalling", names), ["autoscaling"]);
        assert_eq!(close_matches("autoscal", names), ["autoscaling", "autoscaling-plans"]);
        assert_eq!(close_matches("CodeDeploy", names), ["codedeploy"]);
        assert!(close_matches("zzzzzz", names).is_empty());
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn messages_name_the_place_and_the_feature() {
        let p = Problem {
            place: Place::member("GetObjectOutput", "Body"),
            kind: ProblemKind::Unsupported { feature: "streaming".into(), detail: "a streaming blob payload".into() },
        };
        assert_eq!(
            p.to_string(),
            "shape `GetObjectOutput`, member `Body`: `streaming` is not supported yet: a streaming blob payload"
        );
        let e = ImportError::UnknownOperations {
            unknown: vec![("PutLifecycleHok".into(), vec!["PutLifecycleHook".into()])],
        };
        assert_eq!(
            e.to_string(),
            "error: the model has no operation `PutLifecycleHok` (did you mean `PutLifecycleHook`?)"
        );
    }
}

//! Errors in a model: where (file, line, model path) and what.

use std::fmt;

/// One problem in one model file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// Dotted path inside the model, e.g. `shapes.CallbackToken.pattern`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found, in file and line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "error: {d}")?;
        }
        write!(f, "{} error(s)", self.0.len())
    }
}

impl std::error::Error for Diagnostics {}

/// Collects diagnostics for one file.
pub struct Sink {
    file: String,
    pub found: Vec<Diagnostic>,
}

impl Sink {
    pub fn new(file: &str) -> Self {
        Self { file: file.to_owned(), found: Vec::new() }
    }

    pub fn error(&mut self, line: Option<usize>, path: impl Into<String>, message: impl Into<String>) {
        self.found.push(Diagnostic { file: self.file.clone(), line, path: path.into(), message: message.into() });
    }
}

//! A model as a tree of values (the YAML read into `serde_json::Value`, keys
//! as written) with the line of every block-style key, so that a fact can be
//! named by its path and pointed at by its line. Read generically rather than
//! through `codegen::model`, so that the crosscheck reads the format's keys
//! whatever the generator's structs look like.

use std::collections::HashMap;

use serde_json::Value;

/// One model file: its tree and where its keys are.
#[derive(Debug, Clone)]
pub struct ModelFile {
    /// The path to print (relative to the repository when it is inside it).
    pub display: String,
    pub tree: Value,
    lines: HashMap<String, usize>,
}

impl ModelFile {
    /// Parses `text`; a model that is not YAML is an error with its message.
    pub fn parse(display: &str, text: &str) -> Result<ModelFile, String> {
        let tree: Value = serde_saphyr::from_str(text).map_err(|e| format!("{display}: not a YAML model: {e}"))?;
        Ok(ModelFile { display: display.to_owned(), tree, lines: key_lines(text) })
    }

    /// The line of the deepest key of `path` that is written on a line of its
    /// own (a key inside a flow mapping gives its block's line); 1 for none.
    pub fn line(&self, path: &[&str]) -> usize {
        (1..=path.len()).rev().find_map(|n| self.lines.get(&path[..n].join("."))).copied().unwrap_or(1)
    }

    /// The value at `path`, if any.
    pub fn get(&self, path: &[&str]) -> Option<&Value> {
        get(&self.tree, path)
    }

    /// Whether the block at `path` records a `disagreement`.
    pub fn disagrees(&self, path: &[&str]) -> bool {
        self.get(path).and_then(|v| v.get("disagreement")).and_then(Value::as_str).is_some_and(|d| !d.trim().is_empty())
    }
}

/// The value at `path` under `root`.
pub fn get<'a>(root: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(root, |v, key| v.get(*key))
}

/// The line of every mapping key written in block style, by its dotted path.
/// Keys of mappings inside sequence items (`- name: ...`) get the sequence's
/// path; block scalars (`|`, `>`) are skipped, so that their text is never
/// read as keys.
fn key_lines(text: &str) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut block_scalar: Option<usize> = None;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start();
        let indent = raw.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(level) = block_scalar {
            if indent > level {
                continue;
            }
            block_scalar = None;
        }
        let (item, rest) = match trimmed.strip_prefix("- ") {
            Some(rest) => (true, rest.trim_start()),
            None => (false, trimmed),
        };
        let key_indent = if item { indent + (trimmed.len() - rest.len()) } else { indent };
        let Some((key, value)) = split_key(rest) else { continue };
        while stack.last().is_some_and(|(level, _)| *level >= key_indent) {
            stack.pop();
        }
        if !item {
            stack.push((key_indent, key.to_owned()));
            let path: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).collect();
            out.entry(path.join(".")).or_insert(i + 1);
        }
        let value = value.trim();
        if value.starts_with('|') || value.starts_with('>') {
            block_scalar = Some(key_indent);
        }
    }
    out
}

/// `key: value` (or `key:`), with a plain or quoted key.
fn split_key(line: &str) -> Option<(&str, &str)> {
    let end = line.find(": ").or_else(|| line.strip_suffix(':').map(|k| k.len()))?;
    let key = line[..end].trim_matches(['"', '\'']);
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    plain.then(|| (key, line.get(end + 1..).unwrap_or("")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_block_keys_not_of_block_text() {
        let text = "service:\n  name: x\n  documentation: |-\n    not: a key\n  protocol:\n    type: aws-query\nshapes:\n  A:\n    type: string\n    length: { min: 1 }\n    values:\n      - value: B\n        documentation: c\n";
        let m = ModelFile::parse("m.yaml", text).unwrap();
        assert_eq!(m.line(&["service", "protocol", "type"]), 6);
        assert_eq!(m.line(&["shapes", "A", "length", "min"]), 10);
        assert_eq!(m.line(&["shapes", "A", "values"]), 11);
        assert_eq!(m.line(&["service", "documentation", "not"]), 3);
        assert_eq!(m.get(&["shapes", "A", "length", "min"]).and_then(Value::as_u64), Some(1));
    }
}

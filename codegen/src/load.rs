//! Reading a model file: YAML text to the raw [`Model`], or diagnostics.
//!
//! serde stops at the first structural error. So that a model with several
//! unknown keys gets all of them reported at once, an unknown key is recorded,
//! its block is blanked out (keeping line numbers), and parsing starts again.

use serde_saphyr::Options;

use crate::diagnostics::Sink;
use crate::model::Model;

/// At most this many structural errors are collected from one file.
const MAX_STRUCTURAL_ERRORS: usize = 50;

/// Parses `text`; on failure every diagnostic found goes to `sink`.
pub fn parse(text: &str, sink: &mut Sink) -> Option<Model> {
    if text.trim().is_empty() {
        sink.error(None, "", "the model is empty; expected at least `service`, `operations` and `shapes`");
        return None;
    }
    let mut text = text.to_owned();
    for _ in 0..MAX_STRUCTURAL_ERRORS {
        let mut options = Options::default();
        options.with_snippet = false;
        let err = match serde_saphyr::from_str_with_options::<Model>(&text, options) {
            Ok(model) if sink.found.is_empty() => return Some(model),
            Ok(_) => return None,
            Err(err) => err,
        };
        let line = err.location().map(|l| l.line() as usize).filter(|&l| l > 0);
        let message = clean_message(&err.to_string());
        let path = line.map(|l| path_at_line(&text, l)).unwrap_or_default();
        let unknown_key = message.starts_with("unknown field");
        sink.error(line, path, message);
        match line {
            Some(l) if unknown_key => blank_block(&mut text, l),
            _ => return None,
        }
    }
    None
}

/// serde-saphyr appends " at line N column M"; the diagnostic has its own line.
fn clean_message(message: &str) -> String {
    let m = message.lines().next().unwrap_or(message).trim();
    let m = match m.rfind(" at line ") {
        Some(i) => &m[..i],
        None => m,
    };
    let m = m.trim_end_matches(':');
    // The library's advice ("set DuplicateKeyPolicy") means nothing to a model author.
    if let Some(rest) = m.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return format!("`{key}` is defined twice; each name may be defined only once");
    }
    m.to_owned()
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '-']).len()
}

fn key_of(line: &str) -> Option<&str> {
    let t = line.trim_start_matches([' ', '-']).trim_start();
    if t.starts_with('#') {
        return None;
    }
    let (key, _) = t.split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty() && !key.contains(' ')).then_some(key)
}

/// The dotted key path of the block-style YAML key on 1-based `line`.
pub fn path_at_line(text: &str, line: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let Some(&start) = lines.get(line.wrapping_sub(1)) else { return String::new() };
    let mut path: Vec<&str> = key_of(start).into_iter().collect();
    let mut level = indent(start);
    for l in lines[..line - 1].iter().rev() {
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        let i = indent(l);
        if i < level {
            if let Some(k) = key_of(l) {
                path.push(k);
            }
            level = i;
            if level == 0 {
                break;
            }
        }
    }
    path.reverse();
    path.join(".")
}

/// Blanks `line` and every following line indented deeper than it.
fn blank_block(text: &mut String, line: usize) {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let Some(first) = lines.get(line - 1) else { return };
    let level = indent(first);
    lines[line - 1].clear();
    for l in lines.iter_mut().skip(line) {
        if !l.trim().is_empty() && indent(l) <= level {
            break;
        }
        l.clear();
    }
    *text = lines.join("\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_follows_indentation() {
        let text = "service:\n  name: x\nshapes:\n  Foo:\n    type: string\n    colour: red\n";
        assert_eq!(path_at_line(text, 6), "shapes.Foo.colour");
        assert_eq!(path_at_line(text, 2), "service.name");
    }
}

//! Documentation comments from the model.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Deprecation, Length, Pattern, Range, Service, ShapeId, ShapeKind};

/// `#[doc]` attributes (rendered as `///` lines) for paragraphs of text.
pub fn doc_attrs(paragraphs: &[String]) -> TokenStream {
    // Paragraphs keep their indentation (a paragraph inside a list item is indented).
    let text = paragraphs
        .iter()
        .map(|p| p.trim_end().trim_start_matches('\n'))
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let text = escape(&text);
    let lines = text.lines().map(|l| {
        let l = if l.trim().is_empty() { String::new() } else { format!(" {}", l.trim_end()) };
        quote! { #[doc = #l] }
    });
    quote! { #(#lines)* }
}

/// Model text is Markdown, but written by people and tools who think of it as
/// prose: `[REQUIRED]` is not a rustdoc link and `Future<void>` is not an HTML
/// tag. Outside code spans, `[`, `]` and `<` are escaped, except in what
/// Markdown already means: links `[text](url)`, autolinks `<https://…>`, and
/// characters already escaped with a backslash (as the importer writes them).
pub fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                out.push(c);
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '`' => {
                // A code span: a run of n backticks up to the next run of exactly n.
                let run = chars[i..].iter().take_while(|&&x| x == '`').count();
                let close = (i + run..chars.len()).find(|&j| {
                    chars[j..].iter().take_while(|&&x| x == '`').count() == run && (j == 0 || chars[j - 1] != '`')
                });
                let end = close.map_or(i + run, |j| j + run);
                out.extend(&chars[i..end]);
                i = end;
                continue;
            }
            '[' => {
                if let Some(end) = markdown_link(&chars, i) {
                    out.extend(&chars[i..end]);
                    i = end;
                    continue;
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            '<' => {
                let rest: String = chars[i + 1..chars.len().min(i + 9)].iter().collect();
                let autolink = (rest.starts_with("http://") || rest.starts_with("https://"))
                    && chars[i..].iter().position(|&x| x == '>').is_some_and(|e| !chars[i..i + e].contains(&' '));
                if autolink {
                    out.push('<');
                } else {
                    out.push_str("\\<");
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// The end of a Markdown link `[text](url)` starting at `start`, if one does.
fn markdown_link(chars: &[char], start: usize) -> Option<usize> {
    let mut depth = 0;
    let mut j = start;
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 1,
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            '\n' if chars.get(j + 1) == Some(&'\n') => return None,
            _ => {}
        }
        j += 1;
    }
    if chars.get(j + 1) != Some(&'(') {
        return None;
    }
    let close = chars[j + 1..].iter().position(|&c| c == ')')?;
    let url: String = chars[j + 2..j + 1 + close].iter().collect();
    (!url.is_empty() && !url.contains(char::is_whitespace)).then_some(j + 2 + close)
}

fn off(enforce: bool) -> &'static str {
    if enforce { "" } else { " (documented, not enforced)" }
}

fn bounds<T: std::fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a}..={b}"),
        (Some(a), None) => format!(">= {a}"),
        (None, Some(b)) => format!("<= {b}"),
        (None, None) => "any".into(),
    }
}

/// One line listing a value's constraints, for the docs of members that use it.
pub fn constraint_line(length: Option<&Length>, pattern: Option<&Pattern>, range: Option<&Range>, unit: &str) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(l) = length {
        parts.push(format!("length {} {unit}{}", bounds(l.min, l.max), off(l.enforce)));
    }
    if let Some(p) = pattern {
        parts.push(format!("pattern `{}`{}", p.ecma, off(p.enforce())));
    }
    if let Some(r) = range {
        parts.push(format!("range {}{}", bounds(r.min, r.max), off(r.enforce)));
    }
    (!parts.is_empty()).then(|| format!("Constraints: {}.", parts.join("; ")))
}

/// The constraint line of the values of shape `id`, if it has constraints.
pub fn shape_constraints(s: &Service, id: ShapeId) -> Option<String> {
    match &s.shape(id).kind {
        ShapeKind::String { length, pattern } => constraint_line(length.as_ref(), pattern.as_ref(), None, "characters"),
        ShapeKind::Blob { length } => constraint_line(length.as_ref(), None, None, "bytes"),
        ShapeKind::Number { range, .. } => constraint_line(None, None, range.as_ref(), ""),
        ShapeKind::List { length, .. } | ShapeKind::Map { length, .. } => {
            constraint_line(length.as_ref(), None, None, "elements")
        }
        _ => None,
    }
}

/// `#[deprecated]`, with the model's message and version when it gives them.
pub fn deprecated_attr(d: Option<&Deprecation>) -> TokenStream {
    let Some(d) = d else { return quote!() };
    match (&d.message, &d.since) {
        (Some(m), Some(v)) => quote!(#[deprecated(since = #v, note = #m)]),
        (Some(m), None) => quote!(#[deprecated(note = #m)]),
        (None, Some(v)) => quote!(#[deprecated(since = #v)]),
        (None, None) => quote!(#[deprecated]),
    }
}

//! Documentation comments from the model.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Constraint, Deprecation, Member, Operation, Protocol, Provenance, Rule, Service, Shape, ShapeId, Synthesized};

/// `#[doc]` attributes (rendered as `///` lines) for paragraphs of text.
pub fn doc_attrs(paragraphs: &[String]) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote! { #(#[doc = #lines])* }
}

/// `#![doc]` attributes (rendered as `//!` lines): a module's own documentation.
pub fn inner_doc_attrs(paragraphs: &[String]) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote! { #(#![doc = #lines])* }
}

/// The lines of escaped documentation text, each led by a space.
fn doc_lines(paragraphs: &[String]) -> Vec<String> {
    // Paragraphs keep their indentation (a paragraph inside a list item is indented).
    let text = paragraphs
        .iter()
        .map(|p| p.trim_end().trim_start_matches('\n'))
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    escape(&text)
        .lines()
        .map(|l| if l.trim().is_empty() { String::new() } else { format!(" {}", l.trim_end()) })
        .collect()
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

fn bounds<T: std::fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a}..={b}"),
        (Some(a), None) => format!(">= {a}"),
        (None, Some(b)) => format!("<= {b}"),
        (None, None) => "any".into(),
    }
}

/// One constraint as the docs say it: `length 1..=5 characters`, `pattern `^x$``,
/// `range 30..=7200`, `one of A, B`, marked when it is only documented.
pub fn constraint_text(c: &Constraint) -> String {
    let rule = match &c.rule {
        Rule::Length { min, max, unit } => format!("length {} {}", bounds(*min, *max), unit.as_str()),
        Rule::Pattern(p) => format!("pattern `{}`", p.ecma),
        Rule::Range { min, max } => format!("range {}", bounds(*min, *max)),
        Rule::OneOf(values) => format!("one of {}", values.join(", ")),
        Rule::IntOneOf(values) => format!("one of {}", values.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")),
    };
    if c.enforce { rule } else { format!("{rule} (documented, not enforced)") }
}

/// `Constraints: ...; ....` for the rules of a value. An enum's own list of
/// values is left out: its type lists them.
pub fn constraint_line(constraints: &[Constraint]) -> Option<String> {
    let parts: Vec<String> = constraints
        .iter()
        .filter(|c| !matches!(c.rule, Rule::OneOf(_) | Rule::IntOneOf(_)))
        .map(constraint_text)
        .collect();
    (!parts.is_empty()).then(|| format!("Constraints: {}.", parts.join("; ")))
}

/// The constraint line of the values of shape `id`, if it has constraints.
pub fn shape_constraints(s: &Service, id: ShapeId) -> Option<String> {
    constraint_line(&s.shape(id).constraints)
}

/// A member's own rules (an enum restricted to fewer values): `Accepted values: A, B.`
pub fn member_constraints(m: &Member) -> impl Iterator<Item = String> + '_ {
    m.constraints.iter().map(|c| match &c.rule {
        Rule::OneOf(values) => {
            let off = if c.enforce { "" } else { " (documented, not enforced)" };
            format!("Accepted values: {}{off}.", values.join(", "))
        }
        _ => format!("Constraint: {}.", constraint_text(c)),
    })
}

/// Where a fact comes from, as paragraphs: its source when it is not the
/// service's own, its note, its disagreement with the official model.
/// `about` names the fact when it is a part of the item documented (`the length`).
pub fn provenance(s: &Service, p: &Provenance, about: Option<&str>) -> Vec<String> {
    let source = p.source.as_deref().filter(|k| *k != s.main_source);
    let from = source.map(|k| format!("from `{k}`"));
    let tag = |what: &str| {
        let inside: Vec<&str> = about.into_iter().chain(from.as_deref()).collect();
        if inside.is_empty() { what.to_owned() } else { format!("{what} ({})", inside.join(", ")) }
    };
    let mut out = Vec::new();
    if let Some(n) = &p.note {
        out.push(format!("{}: {n}", tag("Note")));
    }
    if let Some(d) = &p.disagreement {
        out.push(format!("{}: {d}", tag("Disagreement with the official model")));
    }
    if let (true, Some(k)) = (out.is_empty(), source) {
        out.push(match about {
            Some(a) => format!("Source ({a}): `{k}`."),
            None => format!("Source: `{k}`."),
        });
    }
    out
}

/// The provenance of each of a shape's constraints, named by its rule.
fn constraints_provenance(s: &Service, constraints: &[Constraint]) -> Vec<String> {
    constraints
        .iter()
        .flat_map(|c| {
            let about = match c.rule {
                Rule::Length { .. } => "the length",
                Rule::Pattern(_) => "the pattern",
                Rule::Range { .. } => "the range",
                Rule::OneOf(_) | Rule::IntOneOf(_) => "the values",
            };
            provenance(s, &c.provenance, Some(about))
        })
        .collect()
}

/// A shape's documentation: its text (for a stand-in, what it stands in for)
/// and where its facts, constraints included, come from.
pub fn shape_docs(s: &Service, shape: &Shape) -> Vec<String> {
    let mut out = match &shape.synthesized {
        Some(Synthesized::Input(op)) => vec![format!("The input of `{op}`, which has no members.")],
        Some(Synthesized::Output(op)) => vec![format!("The output of `{op}`, which has no members.")],
        None => shape.docs.clone(),
    };
    out.extend(provenance(s, &shape.provenance, None));
    out.extend(constraints_provenance(s, &shape.constraints));
    out
}

/// A member's documentation: its text, where it comes from, the rules on its
/// value and its own, and the value the service uses when it is left out.
pub fn member_docs(s: &Service, m: &Member) -> Vec<String> {
    let mut out = m.docs.clone();
    out.extend(provenance(s, &m.provenance, None));
    out.extend(shape_constraints(s, m.target));
    out.extend(member_constraints(m));
    out.extend(constraints_provenance(s, &m.constraints));
    if let Some(d) = &m.default {
        out.push(format!("When left out, the service uses `{d}`."));
    }
    out
}

/// An operation's documentation and where its facts come from.
pub fn operation_docs(s: &Service, op: &Operation) -> Vec<String> {
    let mut out = op.docs.clone();
    out.extend(provenance(s, &op.provenance, None));
    out.extend(provenance(s, &op.http_provenance, Some("HTTP binding")));
    if let Some(p) = &op.pagination {
        out.extend(provenance(s, &p.provenance, Some("pagination")));
    }
    out
}

/// The service's documentation, where its facts come from, and the XML
/// namespace of awsQuery answers.
pub fn service_docs(s: &Service) -> Vec<String> {
    let mut out = s.docs.clone();
    out.extend(provenance(s, &s.provenance, None));
    out.extend(provenance(s, &s.protocol_provenance, Some("protocol")));
    out.extend(provenance(s, &s.signing_provenance, Some("signing")));
    out.extend(provenance(s, &s.endpoint_provenance, Some("endpoint")));
    if let Protocol::AwsQuery { xml_namespace: Some(ns) } = &s.protocol {
        out.push(format!("Answers are XML in the namespace `{ns}` (read by local names, as botocore reads them)."));
    }
    out
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

//! Documentation comments from the model.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Deprecation, Length, Pattern, Range, Service, ShapeId, ShapeKind};

/// `#[doc]` attributes (rendered as `///` lines) for paragraphs of text.
pub fn doc_attrs(paragraphs: &[String]) -> TokenStream {
    let text = paragraphs.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n");
    let text = escape_brackets(&text);
    let lines = text.lines().map(|l| {
        let l = if l.trim().is_empty() { String::new() } else { format!(" {}", l.trim_end()) };
        quote! { #[doc = #l] }
    });
    quote! { #(#lines)* }
}

/// Model text is plain prose: `[REQUIRED]` is not a rustdoc link and must not
/// become one. Brackets inside `code spans` stay as they are.
fn escape_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => in_code = !in_code,
            '[' | ']' if !in_code => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
    out
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

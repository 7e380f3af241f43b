//! Token streams to formatted text, one top-level item at a time, and the
//! files of a crate made on several threads.
//!
//! `prettyplease` prints a file's items one after the other, each on its own,
//! so printing every item separately and joining the texts gives the same
//! bytes as printing the whole file, while the parsed form of only one item is
//! alive at a time (a generated file can be tens of thousands of lines). Items
//! are cut at a top-level `;`, or after a top-level `{…}` that a `;` or `.`
//! does not follow; if any piece fails to parse (a cut in the wrong place, or
//! an emission bug), the whole file takes the old path, so the output never
//! differs from formatting the file in one piece.
//!
//! Parsing and printing are most of the generator's time and each file is
//! independent of the others, so [`run`] makes the files of a crate on as
//! many threads as the machine has, the biggest first. Token streams never
//! leave their thread; only the finished text does.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use super::GeneratedFile;

/// Work that makes some files; `weight` guesses its cost (bigger runs first).
pub(super) struct Job<'a> {
    weight: usize,
    make: Box<dyn FnOnce() -> Vec<GeneratedFile> + Send + 'a>,
}

impl<'a> Job<'a> {
    pub(super) fn new(weight: usize, make: impl FnOnce() -> Vec<GeneratedFile> + Send + 'a) -> Self {
        Self { weight, make: Box::new(make) }
    }
}

/// Runs the jobs on up to `available_parallelism` threads; the files come back in job order.
pub(super) fn run(jobs: Vec<Job<'_>>) -> Vec<GeneratedFile> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(jobs.len());
    if threads <= 1 {
        return jobs.into_iter().flat_map(|job| (job.make)()).collect();
    }
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].weight));
    let slots: Vec<Mutex<Option<Job<'_>>>> = jobs.into_iter().map(|job| Mutex::new(Some(job))).collect();
    let done: Vec<Mutex<Vec<GeneratedFile>>> = slots.iter().map(|_| Mutex::new(Vec::new())).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let job = slots[i].lock().unwrap_or_else(|e| e.into_inner()).take();
                    if let Some(job) = job {
                        *done[i].lock().unwrap_or_else(|e| e.into_inner()) = (job.make)();
                    }
                }
            });
        }
    });
    done.into_iter().flat_map(|files| files.into_inner().unwrap_or_else(|e| e.into_inner())).collect()
}

/// The formatted file, or the parse error of the whole stream (with the stream, for the fallback text).
pub(super) fn format_file(tokens: TokenStream) -> Result<String, (syn::Error, TokenStream)> {
    let items = split_items(tokens);
    let mut out = String::new();
    for item in &items {
        match syn::parse2::<syn::File>(item.clone()) {
            Ok(file) => out.push_str(&prettyplease::unparse(&file)),
            Err(_) => return whole_file(items.into_iter().collect()),
        }
    }
    Ok(out)
}

/// The old path: the whole stream as one `syn::File`.
fn whole_file(tokens: TokenStream) -> Result<String, (syn::Error, TokenStream)> {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => Ok(prettyplease::unparse(&file)),
        Err(e) => Err((e, tokens)),
    }
}

/// Cuts the stream after each top-level `;` and after each top-level brace group
/// not followed by `;` (inner attributes stay with the first item).
pub(super) fn split_items(tokens: TokenStream) -> Vec<TokenStream> {
    let mut items = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        let ends = match &tt {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(iter.peek(), Some(TokenTree::Punct(p)) if matches!(p.as_char(), ';' | '.'))
            }
            _ => false,
        };
        current.push(tt);
        if ends {
            items.push(current.drain(..).collect());
        }
    }
    if !current.is_empty() {
        items.push(current.into_iter().collect());
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn pieces_print_like_the_whole_file() {
        let tokens = quote! {
            //! Inner docs.
            #![allow(dead_code)]
            /// A struct.
            pub struct A { x: u8 }
            static S: A = A { x: 1 };
            impl A { fn f(&self) -> u8 { if self.x > 0 { 1 } else { 2 } } }
            pub use std::fmt;
            mod m;
            const C: [u8; 2] = [1, 2];
            fn g() {}
        };
        let whole = prettyplease::unparse(&syn::parse2(tokens.clone()).unwrap());
        assert_eq!(split_items(tokens.clone()).len(), 7);
        assert_eq!(format_file(tokens).unwrap(), whole);
    }

    #[test]
    fn a_broken_stream_reports_the_whole_file() {
        let tokens = quote! { struct A; fn f(x: ) -> u8 {} };
        let (_, back) = format_file(tokens.clone()).unwrap_err();
        assert_eq!(back.to_string(), tokens.to_string());
    }
}

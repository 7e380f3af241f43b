//! The wire forms of a service (`src/<service>/codec.rs`): for each operation a
//! request builder, an answer parser and an error classifier's member
//! readers; for each shape the writers and readers its protocol needs.
//!
//! Protocols are units: [`aws_json`], [`aws_query`] and [`rest`] (restJson1
//! and Huawei's REST) each emit an operation's three functions; [`json`] and
//! [`query`] emit the shape codecs the body formats need. Every dispatch on
//! the protocol is the exhaustive `match` in [`emit`], [`error_envelope`] and
//! [`error_reader`].

mod aws_json;
mod aws_query;
pub(super) mod json;
mod query;
mod rest;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Member, NumberKind, Operation, Protocol, Service, ShapeId, ShapeKind, TimestampFormat};
use crate::naming::ident;

/// What an operation's three functions are called (in `codec.rs`, used by `client.rs`).
pub fn request_fn(op: &Operation) -> proc_macro2::Ident {
    ident(&op.names.request)
}

pub fn output_fn(op: &Operation) -> proc_macro2::Ident {
    ident(&op.names.output)
}

/// The reader of an error structure's members (in `codec.rs`, used by `errors.rs`).
pub fn error_fn(s: &Service, error: ShapeId) -> proc_macro2::Ident {
    ident(&s.shape(error).names.error_reader)
}

pub fn emit(s: &Service) -> TokenStream {
    let ops = s.operations.iter().enumerate().map(|(index, op)| {
        let gate = super::op_gate(s, index);
        let (request, output) = match &s.protocol {
            Protocol::AwsJson { .. } => (aws_json::request(s, op), aws_json::output(s, op)),
            Protocol::AwsQuery { .. } => (aws_query::request(s, op), aws_query::output(s, op)),
            Protocol::RestJson1 | Protocol::HuaweiRest => (rest::request(s, op), rest::output(s, op)),
        };
        let (req_fn, out_fn) = (request_fn(op), output_fn(op));
        let handle = if rest::uses_handle(s, op) { quote!(handle) } else { quote!(_handle) };
        // REST builders read the input member by member: one with none reads nothing.
        let st = s.structure(op.input);
        let reads_input = !s.protocol.has_http_bindings() || !st.members.is_empty() || st.one_of.is_some();
        let input_param = if reads_input { quote!(input) } else { quote!(_input) };
        let input = ident(&s.shape(op.input).rust_name);
        let output_t = ident(&s.shape(op.output).rust_name);
        let doc_req = format!(" The `{}` request: path, query, headers and body.", op.name);
        let doc_out = format!(" The `{}` answer's members, from its body (and headers).", op.name);
        quote! {
            #[doc = #doc_req]
            #gate
            pub(super) fn #req_fn(#handle: &crate::runtime::client::Handle, #input_param: &#input) -> Result<crate::runtime::client::Request, String> {
                #request
            }

            #[doc = #doc_out]
            #gate
            pub(super) fn #out_fn(response: &crate::runtime::client::Response) -> Result<#output_t, String> {
                #output
            }
        }
    });
    let errors = s
        .shapes
        .iter()
        .enumerate()
        .filter(|(_, sh)| sh.in_output() && matches!(&sh.kind, ShapeKind::Structure(st) if st.error.is_some()))
        .map(|(id, _)| {
            // Called by the error enums of the operations that list it.
            let listing = s.operations.iter().enumerate().filter(|(_, op)| op.errors.contains(&id)).map(|(i, _)| i);
            super::gated(&super::gate(s, listing), error_reader(s, id))
        });
    let shapes = match &s.protocol {
        Protocol::AwsJson { .. } | Protocol::RestJson1 | Protocol::HuaweiRest => json::codecs(s),
        Protocol::AwsQuery { .. } => query::codecs(s),
    };
    quote! {
        //! Wire forms: request builders, answer parsers, and the codecs of each shape.
        use super::types::*;
        use super::errors::*;

        #(#ops)*
        #(#errors)*
        #shapes
    }
}

/// How an operation's `from_response` (in `errors.rs`) reads the envelope of an
/// error answer and hands the answer on, to the member reader of the error its
/// code names ([`error_fn`]) or, as an `ErrorMeta`, to `Unhandled`.
pub struct ErrorEnvelope {
    /// The statement that reads the envelope.
    pub read: TokenStream,
    /// The `ErrorMeta` as a place, for its code and HTTP status.
    pub meta: TokenStream,
    /// The arguments of a member reader.
    pub reader_args: TokenStream,
    /// The `ErrorMeta` moved out, for `Unhandled`.
    pub into_meta: TokenStream,
}

/// awsQuery parses the body once, into an `aws_query::ErrorAnswer` (the
/// envelope and the `<Error>` element), which the member reader takes and frees;
/// the JSON protocols read the envelope, and the member reader reads the body
/// again (their readers stream, building no tree).
pub fn error_envelope(s: &Service) -> ErrorEnvelope {
    match &s.protocol {
        Protocol::AwsQuery { .. } => ErrorEnvelope {
            read: quote! { let answer = crate::runtime::protocol::aws_query::ErrorAnswer::parse(response); },
            meta: quote!(answer.meta),
            reader_args: quote!(answer),
            into_meta: quote!(answer.into_meta()),
        },
        Protocol::AwsJson { .. } | Protocol::RestJson1 | Protocol::HuaweiRest => ErrorEnvelope {
            read: quote! { let meta = crate::runtime::protocol::error_meta(super::client::SERVICE.protocol, response); },
            meta: quote!(meta),
            reader_args: quote!(response, meta),
            into_meta: quote!(meta),
        },
    }
}

/// `error_<shape>(…)`: an error structure with the members its answer carries,
/// from what [`error_envelope`] hands over.
fn error_reader(s: &Service, id: ShapeId) -> TokenStream {
    let f = error_fn(s, id);
    let t = ident(&s.shape(id).rust_name);
    let response = if s.structure(id).members.is_empty() { quote!(_response) } else { quote!(response) };
    let json_params = quote!(#response: &crate::runtime::client::Response, meta: crate::runtime::ErrorMeta);
    let (params, body) = match &s.protocol {
        Protocol::AwsJson { .. } => (json_params, aws_json::error_members(s, id)),
        Protocol::AwsQuery { .. } => {
            (quote!(answer: crate::runtime::protocol::aws_query::ErrorAnswer<'_>), aws_query::error_members(s, id))
        }
        Protocol::RestJson1 | Protocol::HuaweiRest => (json_params, rest::error_members(s, id)),
    };
    let doc = format!(" `{}` from an error answer: members it does not carry (or garbles) are left `None`.", s.shape(id).name);
    quote! {
        #[doc = #doc]
        pub(super) fn #f(#params) -> #t {
            #body
        }
    }
}

/// `field: local` of an error's struct literal, written before `meta` moves in:
/// the message member takes the envelope's message when the body leaves it out,
/// so that it and `message()` agree.
pub(super) fn error_field(s: &Service, id: ShapeId, m: &Member) -> TokenStream {
    let f = ident(&m.field);
    let l = json::local(m);
    let st = s.structure(id);
    let is_message = st.error.as_ref().and_then(|e| e.message_member).is_some_and(|i| st.members[i].name == m.name);
    if is_message { quote!(#f: #l.or_else(|| meta.message.clone())) } else { quote!(#f: #l) }
}

/// Direction of a codec function.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    Write,
    Read,
}

/// The structures, unions, lists and maps that need a codec function in
/// `direction`: those the operations' functions call, and what those call,
/// each with the operations that reach it so (its gate).
/// `top_level` says whether the protocol handles an operation's input or
/// output structure through such a function (awsJson, awsQuery) or inline (REST).
pub(super) fn demanded(s: &Service, direction: Direction, top_level: bool) -> BTreeMap<ShapeId, BTreeSet<usize>> {
    let aggregate = |id: ShapeId| {
        matches!(s.shape(id).kind, ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::List { .. } | ShapeKind::Map { .. })
    };
    let body_targets = |id: ShapeId, out: &mut Vec<ShapeId>| {
        for m in &s.structure(id).members {
            if matches!(m.location, crate::ir::Location::Body | crate::ir::Location::Payload) {
                out.push(m.target);
            }
        }
    };
    let mut out: BTreeMap<ShapeId, BTreeSet<usize>> = BTreeMap::new();
    for (index, op) in s.operations.iter().enumerate() {
        let mut roots = Vec::new();
        let io = if direction == Direction::Write { op.input } else { op.output };
        if top_level {
            roots.push(io);
        } else {
            body_targets(io, &mut roots);
        }
        if direction == Direction::Read {
            for &e in &op.errors {
                body_targets(e, &mut roots);
            }
        }
        while let Some(id) = roots.pop() {
            if !aggregate(id) || !out.entry(id).or_default().insert(index) {
                continue;
            }
            match &s.shape(id).kind {
                ShapeKind::Structure(st) | ShapeKind::Union(st) => roots.extend(st.members.iter().map(|m| m.target)),
                ShapeKind::List { member, .. } => roots.push(*member),
                ShapeKind::Map { value, .. } => roots.push(*value),
                _ => {}
            }
        }
    }
    out
}

/// The codec function `f` makes for shape `id`, behind the gate of the operations that demand it.
pub(super) fn gated_codec((id, ops): (ShapeId, BTreeSet<usize>), s: &Service, f: fn(&Service, ShapeId) -> TokenStream) -> TokenStream {
    super::gated(&super::gate(s, ops), f(s, id))
}

/// The format timestamps of shape `id` take in a body (its own, else the protocol's).
pub(super) fn body_timestamp_format(s: &Service, id: ShapeId) -> TimestampFormat {
    match &s.shape(id).kind {
        ShapeKind::Timestamp { format: Some(f) } => *f,
        _ => s.protocol.default_timestamp_format(crate::ir::Location::Body),
    }
}

pub(super) fn timestamp_format_tokens(f: TimestampFormat) -> TokenStream {
    match f {
        TimestampFormat::EpochSeconds => quote!(crate::runtime::TimestampFormat::EpochSeconds),
        TimestampFormat::DateTime => quote!(crate::runtime::TimestampFormat::DateTime),
        TimestampFormat::HttpDate => quote!(crate::runtime::TimestampFormat::HttpDate),
    }
}

/// The zero value of shape `id`, which a parser fills in for a required member
/// an answer lacked (Smithy's client error correction).
pub(super) fn zero(s: &Service, id: ShapeId) -> TokenStream {
    let shape = s.shape(id);
    let t = ident(&shape.rust_name);
    match &shape.kind {
        ShapeKind::Boolean => quote!(false),
        ShapeKind::Number { kind: NumberKind::Float | NumberKind::Double, .. } => quote!(0.0),
        ShapeKind::Number { kind: NumberKind::BigInteger, .. } => quote!(crate::runtime::BigInteger::from(0)),
        ShapeKind::Number { kind: NumberKind::BigDecimal, .. } => quote!(crate::runtime::BigDecimal::from(0)),
        ShapeKind::Number { .. } => quote!(0),
        ShapeKind::String => quote!(String::new()),
        ShapeKind::Blob => quote!(crate::runtime::Blob::default()),
        ShapeKind::Timestamp { .. } => quote!(crate::runtime::DateTime::UNIX_EPOCH),
        ShapeKind::Document => quote!(crate::runtime::Document::Null),
        ShapeKind::Enum { .. } => quote!(#t::from("")),
        ShapeKind::IntEnum { .. } => quote!(#t::from(0)),
        ShapeKind::List { .. } => quote!(Vec::new()),
        ShapeKind::Map { .. } => quote!(std::collections::BTreeMap::new()),
        ShapeKind::Union(_) => quote!(#t::Unknown(String::new())),
        ShapeKind::Structure(st) => {
            let fields = st.members.iter().map(|m| {
                let f = ident(&m.field);
                match m.presence {
                    crate::ir::Presence::Optional => quote!(#f: None),
                    // The check rejects cycles of required members, so this ends.
                    crate::ir::Presence::Required => {
                        let z = zero(s, m.target);
                        if m.boxed { quote!(#f: Box::new(#z)) } else { quote!(#f: #z) }
                    }
                }
            });
            let request_id = s.operations.iter().any(|op| op.output == id).then(|| quote!(meta_request_id: None,));
            quote!(#t { #(#fields,)* #request_id })
        }
    }
}

/// A scalar as text in a URI label, a query value or a header (`value`: `&T`),
/// as an expression of type `&str`.
pub(super) fn scalar_str(s: &Service, id: ShapeId, value: TokenStream, format: TimestampFormat) -> TokenStream {
    match &s.shape(id).kind {
        ShapeKind::Boolean => quote!(if *#value { "true" } else { "false" }),
        ShapeKind::String => quote!(#value.as_str()),
        ShapeKind::Enum { .. } => quote!(#value.as_str()),
        _ => {
            let owned = scalar_text(s, id, value, format);
            quote!(&#owned)
        }
    }
}

/// A scalar as text in a URI label, a query value or a header (`value`: `&T`),
/// as a `String`. Floats as Python writes them (botocore), booleans as `true`/`false`.
pub(super) fn scalar_text(s: &Service, id: ShapeId, value: TokenStream, format: TimestampFormat) -> TokenStream {
    match &s.shape(id).kind {
        ShapeKind::Boolean => quote!((if *#value { "true" } else { "false" }).to_owned()),
        ShapeKind::Number { kind: NumberKind::Float, .. } => {
            quote!(crate::runtime::number::python_repr(crate::runtime::number::widen(*#value)))
        }
        ShapeKind::Number { kind: NumberKind::Double, .. } => quote!(crate::runtime::number::python_repr(*#value)),
        ShapeKind::Number { .. } => quote!(#value.to_string()),
        ShapeKind::String => quote!(#value.to_owned()),
        ShapeKind::Enum { .. } => quote!(#value.as_str().to_owned()),
        ShapeKind::IntEnum { .. } => quote!(#value.value().to_string()),
        ShapeKind::Blob => quote!(crate::runtime::blob::encode(#value.as_ref())),
        ShapeKind::Timestamp { .. } => {
            let f = timestamp_format_tokens(format);
            quote!(#value.format(#f))
        }
        // The check lets no other shape reach a label, query parameter or header.
        ShapeKind::Document
        | ShapeKind::List { .. }
        | ShapeKind::Map { .. }
        | ShapeKind::Structure(_)
        | ShapeKind::Union(_) => quote!(String::new()),
    }
}

/// How generated code reads a value: an expression that cannot fail (text
/// taken as a string or an open enum), or one of type `Result<T, String>`.
pub(super) enum ValueRead {
    Infallible(TokenStream),
    Fallible(TokenStream),
}

impl ValueRead {
    /// The value itself, with `?` where reading it can fail.
    pub(super) fn tried(&self) -> TokenStream {
        match self {
            ValueRead::Infallible(e) => e.clone(),
            ValueRead::Fallible(e) => quote!(#e?),
        }
    }

    /// Stores the value with `store` (which uses `v`); a value that fails to read is left out.
    pub(super) fn if_read(&self, store: &TokenStream) -> TokenStream {
        match self {
            ValueRead::Infallible(e) => quote! { let v = #e; #store },
            ValueRead::Fallible(e) => quote! { if let Ok(v) = #e { #store } },
        }
    }

    /// The tail of a function returning `Result<T, String>`.
    pub(super) fn returned(&self) -> TokenStream {
        match self {
            ValueRead::Infallible(e) => quote!(Ok(#e)),
            ValueRead::Fallible(e) => e.clone(),
        }
    }

    /// Reads every item of the iterator `items` (each bound to `item`) into a `Vec`.
    pub(super) fn collect(&self, items: TokenStream, item: TokenStream) -> ValueRead {
        match self {
            ValueRead::Infallible(e) => ValueRead::Infallible(quote!(#items.map(|#item| #e).collect::<Vec<_>>())),
            ValueRead::Fallible(e) => ValueRead::Fallible(quote!(#items.map(|#item| #e).collect::<Result<Vec<_>, String>>())),
        }
    }
}

/// Parses a scalar from text (a header value).
pub(super) fn scalar_from_text(s: &Service, id: ShapeId, text: TokenStream, format: TimestampFormat) -> ValueRead {
    let shape = s.shape(id);
    let what = &shape.name;
    let t = ident(&shape.rust_name);
    let number = |ty: TokenStream| quote!(crate::runtime::protocol::parse_whole::<#ty>(#text, #what));
    ValueRead::Fallible(match &shape.kind {
        ShapeKind::Boolean => quote!(crate::runtime::protocol::parse_bool(#text, #what)),
        ShapeKind::Number { kind, .. } => match kind {
            NumberKind::Byte => number(quote!(i8)),
            NumberKind::Short => number(quote!(i16)),
            NumberKind::Integer => number(quote!(i32)),
            NumberKind::Long => number(quote!(i64)),
            NumberKind::Float => quote!(crate::runtime::number::parse_float(#text).map(|x| x as f32)),
            NumberKind::Double => quote!(crate::runtime::number::parse_float(#text)),
            NumberKind::BigInteger => quote!(crate::runtime::BigInteger::parse(#text.trim())),
            NumberKind::BigDecimal => quote!(crate::runtime::BigDecimal::parse(#text.trim())),
        },
        ShapeKind::String => return ValueRead::Infallible(quote!(#text.to_owned())),
        ShapeKind::Enum { .. } => return ValueRead::Infallible(quote!(#t::from(#text.trim()))),
        ShapeKind::IntEnum { .. } => quote!(crate::runtime::protocol::parse_whole::<i32>(#text, #what).map(#t::from)),
        ShapeKind::Blob => quote!(crate::runtime::blob::decode(#text.trim()).map(crate::runtime::Blob::new)),
        ShapeKind::Timestamp { .. } => {
            let f = timestamp_format_tokens(format);
            quote!(crate::runtime::DateTime::parse_or_any(#text, #f))
        }
        ShapeKind::Document
        | ShapeKind::List { .. }
        | ShapeKind::Map { .. }
        | ShapeKind::Structure(_)
        | ShapeKind::Union(_) => quote!(Err::<#t, String>(format!("{} cannot be read from text", #what))),
    })
}

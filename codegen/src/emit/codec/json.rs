//! JSON bodies, shared by awsJson, restJson1 and Huawei's REST: one writer
//! function per structure, union, list and map an input reaches, one reader
//! per shape an output or error reaches, over `runtime::json`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Direction, body_timestamp_format, demanded, gated_codec, timestamp_format_tokens, zero};
use crate::ir::{Location, Member, NumberKind, Presence, Service, ShapeId, ShapeKind, Structure, TimestampFormat};
use crate::naming::ident;

pub(super) fn writer_fn(s: &Service, id: ShapeId) -> proc_macro2::Ident {
    ident(&s.shape(id).names.json_writer)
}

pub(super) fn reader_fn(s: &Service, id: ShapeId) -> proc_macro2::Ident {
    ident(&s.shape(id).names.json_reader)
}

/// The local a reader collects member `m` in.
pub(super) fn local(m: &Member) -> proc_macro2::Ident {
    format_ident!("m_{}", m.field.trim_start_matches("r#"))
}

/// Writer and reader functions for every shape that needs one.
pub(super) fn codecs(s: &Service) -> TokenStream {
    let top_level = matches!(s.protocol, crate::ir::Protocol::AwsJson { .. });
    let writers = demanded(s, Direction::Write, top_level).into_iter().map(|d| gated_codec(d, s, writer));
    let readers = demanded(s, Direction::Read, top_level).into_iter().map(|d| gated_codec(d, s, reader));
    quote! { #(#writers)* #(#readers)* }
}

/// Writes `value` (an expression of type `&T` for shape `id`).
pub(super) fn write_value(s: &Service, id: ShapeId, value: TokenStream, format: TimestampFormat) -> TokenStream {
    match &s.shape(id).kind {
        ShapeKind::Boolean => quote! { w.bool(*#value); },
        ShapeKind::Number { kind, .. } => match kind {
            NumberKind::Float => quote! { w.float(crate::runtime::number::widen(*#value)); },
            NumberKind::Double => quote! { w.float(*#value); },
            NumberKind::BigInteger | NumberKind::BigDecimal => quote! { w.number_text(#value.as_str()); },
            NumberKind::Long => quote! { w.integer(*#value); },
            _ => quote! { w.integer(i64::from(*#value)); },
        },
        ShapeKind::String => quote! { w.string(#value); },
        ShapeKind::Enum { .. } => quote! { w.string(#value.as_str()); },
        ShapeKind::IntEnum { .. } => quote! { w.integer(i64::from(#value.value())); },
        ShapeKind::Blob => quote! { w.blob(#value); },
        ShapeKind::Timestamp { .. } => {
            let f = timestamp_format_tokens(format);
            quote! { w.timestamp(#value, #f); }
        }
        ShapeKind::Document => quote! { w.document(#value); },
        ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::List { .. } | ShapeKind::Map { .. } => {
            let f = writer_fn(s, id);
            quote! { #f(w, #value); }
        }
    }
}

fn writer(s: &Service, id: ShapeId) -> TokenStream {
    let shape = s.shape(id);
    let f = writer_fn(s, id);
    let t = super::super::rust_type(s, id);
    let body = match &shape.kind {
        ShapeKind::Structure(st) => {
            let members = st.members.iter().filter(|m| m.location == Location::Body && m.one_of_variant.is_none());
            let writes: Vec<TokenStream> = members.map(|m| member_write(s, m, quote!(v))).collect();
            let one_of = one_of_write(s, st, quote!(v));
            let v = if writes.is_empty() && one_of.is_none() { quote!(_v) } else { quote!(v) };
            return quote! {
                fn #f(w: &mut crate::runtime::json::JsonWriter, #v: &#t) {
                    w.begin_object();
                    #(#writes)*
                    #one_of
                    w.end_object();
                }
            };
        }
        ShapeKind::Union(u) => {
            let arms = u.members.iter().map(|m| {
                let variant = ident(&m.variant);
                let key = &m.wire_name;
                // A boxed member's `&Box<T>` derefs to `&T` where the writer takes it.
                let write = write_value(s, m.target, quote!(x), m.timestamp_format);
                quote! { #t::#variant(x) => { w.key(#key); #write } }
            });
            quote! {
                w.begin_object();
                match v {
                    #(#arms)*
                    // A member the model does not list has nothing to write.
                    #t::Unknown(_) => {}
                }
                w.end_object();
            }
        }
        ShapeKind::List { member, .. } => {
            let write = write_value(s, *member, quote!(item), body_timestamp_format(s, *member));
            let t = super::super::rust_type(s, *member);
            return quote! {
                fn #f(w: &mut crate::runtime::json::JsonWriter, v: &[#t]) {
                    w.begin_array();
                    for item in v {
                        #write
                    }
                    w.end_array();
                }
            };
        }
        ShapeKind::Map { key, value, .. } => {
            let k = match s.shape(*key).kind {
                ShapeKind::Enum { .. } => quote!(k.as_str()),
                _ => quote!(k),
            };
            let write = write_value(s, *value, quote!(item), body_timestamp_format(s, *value));
            quote! {
                w.begin_object();
                for (k, item) in v {
                    w.key(#k);
                    #write
                }
                w.end_object();
            }
        }
        _ => return quote!(),
    };
    quote! {
        fn #f(w: &mut crate::runtime::json::JsonWriter, v: &#t) {
            #body
        }
    }
}

/// Writes member `m` of the structure `owner` (an expression of type `&T`) under its key;
/// an idempotency token left unset is filled with a fresh UUID.
pub(super) fn member_write(s: &Service, m: &Member, owner: TokenStream) -> TokenStream {
    let field = ident(&m.field);
    let key = &m.wire_name;
    let write = write_value(s, m.target, quote!(x), m.timestamp_format);
    if m.idempotency_token {
        return quote! {
            {
                let token = #owner.#field.clone().unwrap_or_else(crate::runtime::http::idempotency_token);
                let x = &token;
                w.key(#key);
                #write
            }
        };
    }
    match m.presence {
        Presence::Optional => quote! { if let Some(x) = &#owner.#field { w.key(#key); #write } },
        Presence::Required => quote! { { let x = &#owner.#field; w.key(#key); #write } },
    }
}

/// The function reading one value of shape `id` from a `JsonReader`: a path to
/// a runtime method or to the shape's reader, so that it also serves as the
/// `fn` pointer `JsonReader::nullable` takes.
fn value_reader(s: &Service, id: ShapeId) -> TokenStream {
    let reader = quote!(crate::runtime::json::JsonReader);
    match &s.shape(id).kind {
        ShapeKind::Boolean => quote! { #reader::bool },
        ShapeKind::Number { kind, .. } => match kind {
            NumberKind::Byte => quote! { #reader::i8 },
            NumberKind::Short => quote! { #reader::i16 },
            NumberKind::Integer => quote! { #reader::i32 },
            NumberKind::Long => quote! { #reader::i64 },
            NumberKind::Float => quote! { #reader::f32 },
            NumberKind::Double => quote! { #reader::float },
            NumberKind::BigInteger => quote! { #reader::big_integer },
            NumberKind::BigDecimal => quote! { #reader::big_decimal },
        },
        ShapeKind::String => quote! { #reader::owned_string },
        ShapeKind::Enum { .. } => {
            let t = ident(&s.shape(id).rust_name);
            quote! { #reader::enumeration::<#t> }
        }
        ShapeKind::IntEnum { .. } => {
            let t = ident(&s.shape(id).rust_name);
            quote! { #reader::int_enum::<#t> }
        }
        ShapeKind::Blob => quote! { #reader::blob },
        ShapeKind::Timestamp { .. } => quote! { #reader::timestamp },
        ShapeKind::Document => quote! { #reader::document },
        ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::List { .. } | ShapeKind::Map { .. } => {
            let f = reader_fn(s, id);
            quote! { #f }
        }
    }
}

/// Reads one value of shape `id` from `r`: an expression of type `T` (errors returned with `?`).
pub(super) fn read_value(s: &Service, id: ShapeId) -> TokenStream {
    let read = value_reader(s, id);
    quote! { #read(r)? }
}

/// `while let Some(key) = r.next_key()? { … }` over an object's members,
/// collecting the body members of `members` into their locals (`None` for null).
pub(super) fn read_members_loop(s: &Service, members: &[&Member]) -> TokenStream {
    if members.is_empty() {
        return quote! {
            while r.next_key()?.is_some() {
                r.skip()?;
            }
        };
    }
    let keys = members.iter().map(|m| &m.wire_name);
    let arms = members.iter().enumerate().map(|(i, m)| {
        let index = proc_macro2::Literal::usize_unsuffixed(i);
        let l = local(m);
        let read = value_reader(s, m.target);
        // One call per member: `null` is read as `None` inside it.
        if m.boxed {
            quote! { #index => crate::runtime::protocol::store_nullable(r.nullable(#read).map(|v| v.map(Box::new)), &mut #l), }
        } else {
            quote! { #index => r.member(#read, &mut #l), }
        }
    });
    // Each arm gives its failure to one `?` after the `match`: one way out of
    // the reader (and one set of its locals' drops) instead of one per member.
    // The `match` is on the key's index among the members' (a jump), not on the key.
    quote! {
        while let Some(key) = r.next_key()? {
            let read: Result<(), String> = match crate::runtime::protocol::member_index(&key, &[#(#keys),*]) {
                #(#arms)*
                _ => r.skip().map_err(String::from),
            };
            read?;
        }
    }
}

/// `T { field: local, … }` from the locals of `members`; required fields the
/// answer lacked get their zero value (Smithy's client error correction).
pub(super) fn struct_literal(s: &Service, id: ShapeId, extra: TokenStream) -> TokenStream {
    let t = ident(&s.shape(id).rust_name);
    let st = s.structure(id);
    let fields = st.members.iter().map(|m| {
        let f = ident(&m.field);
        let l = local(m);
        match m.presence {
            Presence::Optional => quote! { #f: #l },
            Presence::Required if !m.boxed && zero_is_default(s, m.target) => quote! { #f: #l.unwrap_or_default() },
            Presence::Required if !m.boxed && zero_is_literal(s, m.target) => {
                let z = zero(s, m.target);
                quote! { #f: #l.unwrap_or(#z) }
            }
            Presence::Required => {
                let z = zero(s, m.target);
                let z = if m.boxed { quote!(Box::new(#z)) } else { z };
                quote! { #f: #l.unwrap_or_else(|| #z) }
            }
        }
    });
    let request_id = s.operations.iter().any(|op| op.output == id).then(|| quote!(meta_request_id: None,));
    quote! { #t { #(#fields,)* #request_id #extra } }
}

/// Whether shape `id`'s zero value is its type's `Default`.
fn zero_is_default(s: &Service, id: ShapeId) -> bool {
    !matches!(
        s.shape(id).kind,
        ShapeKind::Enum { .. } | ShapeKind::IntEnum { .. } | ShapeKind::Union(_) | ShapeKind::Structure(_)
            | ShapeKind::Number { kind: NumberKind::BigInteger | NumberKind::BigDecimal, .. }
    )
}

/// Whether shape `id`'s zero value is written with literals alone (no call to defer).
fn zero_is_literal(s: &Service, id: ShapeId) -> bool {
    match &s.shape(id).kind {
        ShapeKind::Boolean => true,
        ShapeKind::Number { kind, .. } => !matches!(kind, NumberKind::BigInteger | NumberKind::BigDecimal),
        ShapeKind::Structure(st) => {
            st.members.iter().all(|m| m.presence == Presence::Optional || (!m.boxed && zero_is_literal(s, m.target)))
        }
        _ => false,
    }
}

/// `let mut m_x = None;` for each member (without `mut` for those `assigned` leaves alone).
pub(super) fn locals(members: &[&Member], assigned: impl Fn(&Member) -> bool) -> TokenStream {
    let ls = members.iter().map(|m| {
        let l = local(m);
        if assigned(m) { quote! { let mut #l = None; } } else { quote! { let #l = None; } }
    });
    quote! { #(#ls)* }
}

fn reader(s: &Service, id: ShapeId) -> TokenStream {
    let shape = s.shape(id);
    let f = reader_fn(s, id);
    let t = super::super::rust_type(s, id);
    match &shape.kind {
        ShapeKind::Structure(st) => {
            let members: Vec<&Member> = st.members.iter().collect();
            let body: Vec<&Member> = members.iter().copied().filter(|m| m.location == Location::Body).collect();
            // Members bound elsewhere (headers, status) stay empty here; the operation's parser fills them.
            let decls = locals(&members, |m| m.location == Location::Body);
            let read = read_members_loop(s, &body);
            let literal = struct_literal(s, id, quote!());
            quote! {
                fn #f(r: &mut crate::runtime::json::JsonReader<'_>) -> Result<#t, String> {
                    r.begin_object()?;
                    #decls
                    #read
                    Ok(#literal)
                }
            }
        }
        ShapeKind::Union(u) => {
            let keys = u.members.iter().map(|m| &m.wire_name);
            let arms = u.members.iter().enumerate().map(|(i, m)| {
                let index = proc_macro2::Literal::usize_unsuffixed(i);
                let variant = ident(&m.variant);
                let value = read_value(s, m.target);
                let value = if m.boxed { quote!(Box::new(#value)) } else { value };
                quote! { #index => out = Some(#t::#variant(#value)), }
            });
            quote! {
                fn #f(r: &mut crate::runtime::json::JsonReader<'_>) -> Result<#t, String> {
                    r.begin_object()?;
                    let mut out = None;
                    while let Some(key) = r.next_key()? {
                        // A null member is not set; `__type` names the shape, not a member.
                        if r.take_null()? || key == "__type" {
                            if key == "__type" {
                                r.skip()?;
                            }
                            continue;
                        }
                        match crate::runtime::protocol::member_index(&key, &[#(#keys),*]) {
                            #(#arms)*
                            _ => {
                                r.skip()?;
                                out = Some(#t::Unknown(key.into_owned()));
                            }
                        }
                    }
                    out.ok_or_else(|| "a union value has no member set".to_owned())
                }
            }
        }
        ShapeKind::List { member, .. } => {
            let item = super::super::rust_type(s, *member);
            let value = read_value(s, *member);
            quote! {
                fn #f(r: &mut crate::runtime::json::JsonReader<'_>) -> Result<Vec<#item>, String> {
                    r.begin_array()?;
                    let mut out = Vec::new();
                    while r.next_element()? {
                        if r.take_null()? {
                            continue;
                        }
                        out.push(#value);
                    }
                    Ok(out)
                }
            }
        }
        ShapeKind::Map { key, value, .. } => {
            let k = match s.shape(*key).kind {
                ShapeKind::Enum { .. } => {
                    let kt = ident(&s.shape(*key).rust_name);
                    quote!(#kt::from(key.as_ref()))
                }
                _ => quote!(key.into_owned()),
            };
            let v = read_value(s, *value);
            quote! {
                fn #f(r: &mut crate::runtime::json::JsonReader<'_>) -> Result<#t, String> {
                    r.begin_object()?;
                    let mut out = std::collections::BTreeMap::new();
                    while let Some(key) = r.next_key()? {
                        if r.take_null()? {
                            continue;
                        }
                        out.insert(#k, #v);
                    }
                    Ok(out)
                }
            }
        }
        _ => quote!(),
    }
}

/// Writes the members of a structure's one-of group (the variant set) to the object being written.
pub(super) fn one_of_write(s: &Service, st: &Structure, value: TokenStream) -> Option<TokenStream> {
    let o = st.one_of.as_ref()?;
    let field = ident(&o.field);
    let enum_name = ident(&o.name);
    let arms = o.variants.iter().map(|var| {
        let vname = ident(&var.name);
        let fields: Vec<_> = var.members.iter().map(|&i| ident(&st.members[i].field)).collect();
        let writes = var.members.iter().map(|&i| {
            let m = &st.members[i];
            let fi = ident(&m.field);
            let key = &m.wire_name;
            let w = write_value(s, m.target, quote!(#fi), m.timestamp_format);
            quote! { w.key(#key); #w }
        });
        quote! { #enum_name::#vname { #(#fields),* } => { #(#writes)* } }
    });
    Some(quote! { match &#value.#field { #(#arms)* } })
}

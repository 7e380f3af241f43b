//! restJson1 and Huawei Cloud's REST: HTTP bindings (path labels, query,
//! headers, payload, status code) and JSON bodies. The two differ only in
//! their error envelope and request id (the runtime's protocol modules) and in
//! how Huawei's SDK always sends a JSON body with a charset.

use proc_macro2::TokenStream;
use quote::quote;

use super::aws_json::{host_prefix, json_error_members};
use super::json::{local, locals, member_write, read_members_loop, read_value, struct_literal, write_value};
use super::{ValueRead, scalar_from_text, scalar_str, scalar_text};
use crate::ir::{Location, Member, Operation, PathPart, Presence, Protocol, Service, ShapeId, ShapeKind, TimestampFormat};
use crate::naming::ident;

/// Whether the request builder reads the client (client parameters in the path or headers).
pub(super) fn uses_handle(s: &Service, op: &Operation) -> bool {
    s.protocol.has_http_bindings()
        && (op.path.iter().any(|p| matches!(p, PathPart::ClientParameter(_)))
            || s.client_parameters.iter().any(|p| p.header.is_some()))
}

/// A member's value as the `value` of its location: `Option` members bind `value` only when set.
fn with_value(m: &Member, owner: TokenStream, body: TokenStream) -> TokenStream {
    let f = ident(&m.field);
    match m.presence {
        Presence::Required => quote! { { let value = &#owner.#f; #body } },
        Presence::Optional => quote! { if let Some(value) = &#owner.#f { #body } },
    }
}

fn is_string(s: &Service, id: ShapeId) -> bool {
    matches!(s.shape(id).kind, ShapeKind::String | ShapeKind::Enum { .. })
}

/// A header value from `value` (`&T`): lists are joined, strings with commas quoted.
fn header_text(s: &Service, m: &Member) -> TokenStream {
    match &s.shape(m.target).kind {
        ShapeKind::List { member, .. } => {
            let item = scalar_text(s, *member, quote!(item), m.timestamp_format);
            let quote_items = is_string(s, *member);
            quote! {
                crate::runtime::http::join_header_list(value.iter().map(|item| #item).collect::<Vec<_>>().iter().map(String::as_str), #quote_items)
            }
        }
        _ if m.json_value => quote!(crate::runtime::blob::encode(value.as_bytes())),
        _ => scalar_text(s, m.target, quote!(value), m.timestamp_format),
    }
}

pub(super) fn request(s: &Service, op: &Operation) -> TokenStream {
    let st = s.structure(op.input);
    let path_pushes = op.path.iter().map(|p| match p {
        // One character between two labels (`{a}/{b}`): a `char`, as clippy wants it.
        PathPart::Literal(l) if l.chars().count() == 1 => {
            let c = l.chars().next().unwrap_or('/');
            quote! { path.push(#c); }
        }
        PathPart::Literal(l) => quote! { path.push_str(#l); },
        PathPart::Label { member, greedy } => {
            let m = &st.members[*member];
            let f = ident(&m.field);
            let text = scalar_str(s, m.target, quote!(value), m.timestamp_format);
            let encode = if *greedy { quote!(encode_greedy) } else { quote!(encode_segment) };
            quote! { { let value = &input.#f; path.push_str(&crate::runtime::path::#encode(#text)); } }
        }
        PathPart::ClientParameter(n) => {
            let msg = format!("the client has no `{n}` configured");
            quote! { path.push_str(&crate::runtime::path::encode_segment(handle.client_parameter(#n).ok_or(#msg)?)); }
        }
    });
    let literal_query = op.literal_query.iter().map(|(k, v)| match v {
        Some(v) => quote! { (#k.to_owned(), Some(#v.to_owned())) },
        None => quote! { (#k.to_owned(), None) },
    });
    let literal_query: Vec<_> = literal_query.collect();
    let explicit_keys: Vec<&str> = st.members.iter().filter(|m| m.location == Location::Query).map(|m| m.wire_name.as_str()).collect();
    let query_members: Vec<TokenStream> = st
        .members
        .iter()
        .filter_map(|m| {
            let key = &m.wire_name;
            let push = match (m.location, &s.shape(m.target).kind) {
                (Location::Query, ShapeKind::List { member, .. }) => {
                    let item = scalar_text(s, *member, quote!(item), m.timestamp_format);
                    quote! { for item in value { query.push((#key.to_owned(), Some(#item))); } }
                }
                (Location::Query, _) => {
                    let text = scalar_text(s, m.target, quote!(value), m.timestamp_format);
                    quote! { query.push((#key.to_owned(), Some(#text))); }
                }
                (Location::QueryParams, ShapeKind::Map { value, .. }) => {
                    // Parameters bound to their own members win over the map's (Smithy httpQueryParams).
                    let values = if matches!(s.shape(*value).kind, ShapeKind::List { .. }) {
                        quote! { for item in v { query.push((k.clone(), Some(item.clone()))); } }
                    } else {
                        quote! { query.push((k.clone(), Some(v.clone()))); }
                    };
                    quote! {
                        for (k, v) in value {
                            if ![#(#explicit_keys),*].contains(&k.as_str()) {
                                #values
                            }
                        }
                    }
                }
                _ => return None,
            };
            Some(with_value(m, quote!(input), push))
        })
        .collect();
    let query_mut = (!query_members.is_empty()).then(|| quote!(mut));
    let client_headers = s.client_parameters.iter().filter_map(|p| {
        let h = &p.header.as_ref()?;
        let n = &p.name;
        let msg = format!("the client has no `{n}` configured");
        Some(quote! { headers.push((#h.to_owned(), handle.client_parameter(#n).ok_or(#msg)?.to_owned())); })
    });
    let header_members: Vec<TokenStream> = st
        .members
        .iter()
        .filter_map(|m| {
            let name = &m.wire_name;
            let push = match m.location {
                Location::Header => {
                    let text = header_text(s, m);
                    quote! { headers.push((#name.to_owned(), #text)); }
                }
                Location::HeaderPrefix => quote! {
                    for (k, v) in value {
                        headers.push((format!("{}{k}", #name), v.clone()));
                    }
                },
                _ => return None,
            };
            Some(with_value(m, quote!(input), push))
        })
        .collect();
    let huawei = s.protocol == Protocol::HuaweiRest;
    let (body, sets_type) = body(s, op, huawei);
    let host_prefix = host_prefix(s, op);
    let pushes = sets_type || !header_members.is_empty() || s.client_parameters.iter().any(|p| p.header.is_some());
    let headers_mut = pushes.then(|| quote!(mut));
    quote! {
        let mut path = String::new();
        #(#path_pushes)*
        let #query_mut query: Vec<(String, Option<String>)> = vec![#(#literal_query),*];
        #(#query_members)*
        let #headers_mut headers: Vec<(String, String)> = Vec::new();
        #(#client_headers)*
        #(#header_members)*
        #body
        Ok(crate::runtime::client::Request { path, query, headers, body, host_prefix: #host_prefix })
    }
}

/// `let body: Vec<u8> = …;`, setting `Content-Type` unless a header member did
/// (and whether it may set one).
fn body(s: &Service, op: &Operation, huawei: bool) -> (TokenStream, bool) {
    let st = s.structure(op.input);
    let json_type = if huawei {
        quote!(crate::runtime::protocol::huawei::CONTENT_TYPE)
    } else {
        quote!(crate::runtime::protocol::rest_json::CONTENT_TYPE)
    };
    let content_type = |ty: TokenStream| {
        quote! {
            if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
                headers.push(("Content-Type".to_owned(), #ty.to_owned()));
            }
        }
    };
    if let Some((_, m)) = st.payload() {
        let f = ident(&m.field);
        let (bytes, ty) = match &s.shape(m.target).kind {
            ShapeKind::Blob => (quote!(value.as_bytes().to_vec()), quote!("application/octet-stream")),
            ShapeKind::String => (quote!(value.as_bytes().to_vec()), quote!("text/plain")),
            ShapeKind::Enum { .. } => (quote!(value.as_str().as_bytes().to_vec()), quote!("text/plain")),
            _ => {
                let write = write_value(s, m.target, quote!(value), TimestampFormat::EpochSeconds);
                (quote!({ let mut writer = crate::runtime::json::JsonWriter::new(); let w = &mut writer; #write writer.finish() }), json_type.clone())
            }
        };
        let set_type = content_type(ty);
        // An unset structure payload is an empty object (botocore, Smithy); an unset union, blob or string, no body.
        let unset = match &s.shape(m.target).kind {
            ShapeKind::Structure(_) => {
                let set_json = content_type(json_type.clone());
                quote! {{ #set_json b"{}".to_vec() }}
            }
            _ => quote!(Vec::new()),
        };
        let tokens = match m.presence {
            Presence::Required => quote! { let value = &input.#f; let body: Vec<u8> = #bytes; #set_type },
            Presence::Optional => quote! {
                let body: Vec<u8> = match &input.#f {
                    Some(value) => {
                        let bytes = #bytes;
                        #set_type
                        bytes
                    }
                    None => #unset,
                };
            },
        };
        return (tokens, true);
    }
    let body_members: Vec<&Member> = st.body_members().collect();
    if body_members.is_empty() && st.one_of.is_none() {
        // Huawei's SDK sends no body, but its `Content-Type`, for an operation without body members.
        let set_type = huawei.then(|| content_type(quote!(crate::runtime::protocol::huawei::CONTENT_TYPE_NO_BODY)));
        return (quote! { let body: Vec<u8> = Vec::new(); #set_type }, huawei);
    }
    // Smithy restJson1: body members, even all unset, make an object; so does Huawei's SDK.
    let writes = body_members.iter().filter(|m| m.one_of_variant.is_none()).map(|m| member_write(s, m, quote!(input)));
    let one_of = super::json::one_of_write(s, st, quote!(input));
    let set_type = content_type(json_type);
    let tokens = quote! {
        let mut writer = crate::runtime::json::JsonWriter::new();
        let w = &mut writer;
        w.begin_object();
        #(#writes)*
        #one_of
        w.end_object();
        let body = writer.finish();
        #set_type
    };
    (tokens, true)
}

/// Fills the locals of header-bound members, the status code and prefix headers from `response`.
fn response_bindings(s: &Service, members: &[&Member], strict: bool) -> TokenStream {
    let reads = members.iter().filter_map(|m| {
        let l = local(m);
        let name = &m.wire_name;
        Some(match m.location {
            Location::Header => {
                let value = match &s.shape(m.target).kind {
                    ShapeKind::List { member, .. }
                        if matches!(s.shape(*member).kind, ShapeKind::Timestamp { .. })
                            && m.timestamp_format == TimestampFormat::HttpDate =>
                    {
                        ValueRead::Fallible(quote!(crate::runtime::http::split_http_dates(text)))
                    }
                    ShapeKind::List { member, .. } => {
                        scalar_from_text(s, *member, quote!(item.as_str()), m.timestamp_format)
                            .collect(quote!(crate::runtime::http::split_header_list(text).iter()), quote!(item))
                    }
                    _ if m.json_value => ValueRead::Fallible(quote! {
                        crate::runtime::blob::decode(text.trim()).and_then(|b| String::from_utf8(b).map_err(|e| e.to_string()))
                    }),
                    _ => scalar_from_text(s, m.target, quote!(text), m.timestamp_format),
                };
                if strict {
                    let value = value.tried();
                    quote! { if let Some(text) = response.header(#name) { #l = Some(#value); } }
                } else {
                    match value {
                        ValueRead::Fallible(value) => {
                            quote! { if let Some(text) = response.header(#name) && let Ok(v) = #value { #l = Some(v); } }
                        }
                        ValueRead::Infallible(value) => {
                            quote! { if let Some(text) = response.header(#name) { #l = Some(#value); } }
                        }
                    }
                }
            }
            Location::HeaderPrefix => {
                let prefix = name.to_ascii_lowercase();
                quote! {
                    let prefixed: std::collections::BTreeMap<String, String> = response
                        .headers
                        .iter()
                        .filter_map(|(k, v)| {
                            let lower = k.to_ascii_lowercase();
                            lower.strip_prefix(#prefix).map(|rest| (rest.to_owned(), v.clone()))
                        })
                        .collect();
                    if !prefixed.is_empty() {
                        #l = Some(prefixed);
                    }
                }
            }
            // Declared here, with its value (see `output`).
            Location::StatusCode => quote! { let #l = Some(i32::from(response.status)); },
            _ => return None,
        })
    });
    quote! { #(#reads)* }
}

pub(super) fn output(s: &Service, op: &Operation) -> TokenStream {
    let st = s.structure(op.output);
    let members: Vec<&Member> = st.members.iter().collect();
    let bound_elsewhere = |m: &Member| matches!(m.location, Location::Header | Location::HeaderPrefix | Location::StatusCode);
    let body_read = if let Some((_, m)) = st.payload() {
        let l = local(m);
        let value = match &s.shape(m.target).kind {
            ShapeKind::Blob => quote!(crate::runtime::Blob::new(response.body.clone())),
            ShapeKind::String => quote!(String::from_utf8_lossy(&response.body).into_owned()),
            ShapeKind::Enum { .. } => {
                let t = ident(&s.shape(m.target).rust_name);
                quote!(#t::from(String::from_utf8_lossy(&response.body).as_ref()))
            }
            _ => {
                let read = read_value(s, m.target);
                quote! {{
                    let mut reader = crate::runtime::json::JsonReader::new(&response.body);
                    let r = &mut reader;
                    let value = #read;
                    r.finish()?;
                    value
                }}
            }
        };
        let value = if m.boxed { quote!(Box::new(#value)) } else { value };
        quote! {
            if !response.body.is_empty() {
                #l = Some(#value);
            }
        }
    } else if members.iter().any(|m| m.location == Location::Body) {
        let body: Vec<&Member> = members.iter().copied().filter(|m| m.location == Location::Body).collect();
        let read = read_members_loop(s, &body);
        quote! {
            let body: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &response.body };
            let mut reader = crate::runtime::json::JsonReader::new(body);
            let r = &mut reader;
            r.begin_object()?;
            #read
            r.finish()?;
        }
    } else {
        quote!()
    };
    // The status code's local is declared where it is read.
    let declared: Vec<&Member> = members.iter().copied().filter(|m| m.location != Location::StatusCode).collect();
    let decls = locals(&declared, |m| m.location == Location::Body || m.location == Location::Payload || bound_elsewhere(m));
    let bindings = response_bindings(s, &members, true);
    let literal = struct_literal(s, op.output, quote!());
    quote! {
        #decls
        #body_read
        #bindings
        let mut output = #literal;
        output.meta_request_id = crate::runtime::protocol::request_id(super::client::SERVICE.protocol, response);
        Ok(output)
    }
}

/// An error's members: from the JSON body, and from headers where they are bound.
pub(super) fn error_members(s: &Service, id: ShapeId) -> TokenStream {
    let st = s.structure(id);
    let body: Vec<&Member> = st.members.iter().filter(|m| m.location == Location::Body).collect();
    let all: Vec<&Member> = st.members.iter().collect();
    let headers = response_bindings(s, &all, false);
    json_error_members(s, id, &body, headers)
}

//! awsJson 1.0 and 1.1: `POST /`, the operation in `X-Amz-Target`, the input
//! structure as the JSON body (`{}` when it is empty or absent).

use proc_macro2::TokenStream;
use quote::quote;

use super::json::{locals, read_members_loop, reader_fn, writer_fn};
use crate::ir::{HostPart, Member, Operation, Service, ShapeId};
use crate::naming::ident;

/// The host prefix of `op`, with its labels checked (`None` without one).
pub(super) fn host_prefix(s: &Service, op: &Operation) -> TokenStream {
    if op.host_prefix.is_empty() {
        return quote!(None);
    }
    let st = s.structure(op.input);
    let parts = op.host_prefix.iter().map(|p| match p {
        HostPart::Literal(l) => quote! { prefix.push_str(#l); },
        HostPart::Label(i) => {
            let m = &st.members[*i];
            let f = ident(&m.field);
            let name = &m.name;
            quote! { prefix.push_str(crate::runtime::http::check_host_label(#name, &input.#f)?); }
        }
    });
    quote! {
        {
            let mut prefix = String::new();
            #(#parts)*
            Some(prefix)
        }
    }
}

pub(super) fn request(s: &Service, op: &Operation) -> TokenStream {
    let write = writer_fn(s, op.input);
    let meta = super::super::client::op_meta(op);
    let host_prefix = host_prefix(s, op);
    quote! {
        let mut w = crate::runtime::json::JsonWriter::new();
        #write(&mut w, input);
        let mut request = crate::runtime::protocol::aws_json::request(&super::client::SERVICE, &super::client::#meta, w.finish());
        request.host_prefix = #host_prefix;
        Ok(request)
    }
}

pub(super) fn output(s: &Service, op: &Operation) -> TokenStream {
    let read = reader_fn(s, op.output);
    quote! {
        // An empty answer is an empty object: every member absent.
        let body: &[u8] = if response.body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &response.body };
        let mut r = crate::runtime::json::JsonReader::new(body);
        let mut output = #read(&mut r)?;
        r.finish()?;
        output.meta_request_id = crate::runtime::protocol::request_id(super::client::SERVICE.protocol, response);
        Ok(output)
    }
}

/// An error's members from the JSON body; a body that is not the expected
/// object leaves them `None` (the code and message are in `meta` already).
pub(super) fn error_members(s: &Service, id: ShapeId) -> TokenStream {
    let st = s.structure(id);
    let members: Vec<&Member> = st.members.iter().collect();
    json_error_members(s, id, &members, quote!())
}

/// The body part of an error reader, shared with the REST protocols (`headers`
/// fills header-bound members afterwards).
pub(super) fn json_error_members(s: &Service, id: ShapeId, body: &[&Member], headers: TokenStream) -> TokenStream {
    let t = ident(&s.shape(id).rust_name);
    let st = s.structure(id);
    let all: Vec<&Member> = st.members.iter().collect();
    if all.is_empty() {
        return quote! { #t { meta } };
    }
    // A status code member's local is declared where it is read (REST's `headers` part).
    let declared: Vec<&Member> = all.iter().copied().filter(|m| m.location != crate::ir::Location::StatusCode).collect();
    let decls = locals(&declared, |_| true);
    let read = read_members_loop(s, body);
    let fields = all.iter().map(|m| super::error_field(s, id, m));
    quote! {
        #decls
        let mut read = |r: &mut crate::runtime::json::JsonReader<'_>| -> Result<(), String> {
            r.begin_object()?;
            #read
            Ok(())
        };
        // A body that is not the expected object leaves the members it did not reach `None`.
        let _ = read(&mut crate::runtime::json::JsonReader::new(&response.body));
        #headers
        #t { #(#fields,)* meta }
    }
}

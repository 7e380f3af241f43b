//! awsQuery: `POST /` with `Action`, `Version` and the input as form
//! parameters; answers are XML, the output inside `<OpResponse><OpResult>`.

use proc_macro2::TokenStream;
use quote::quote;

use super::aws_json::host_prefix;
use super::json::locals;
use super::query::{dispatch, form_fn, member_arms, xml_fn};
use crate::ir::{Member, Operation, Service, ShapeId};
use crate::naming::ident;

pub(super) fn request(s: &Service, op: &Operation) -> TokenStream {
    let name = &op.name;
    let version = &s.api_version;
    let meta = super::super::client::op_meta(op);
    let form = form_fn(s, op.input);
    let host_prefix = host_prefix(s, op);
    quote! {
        let mut form = crate::runtime::protocol::aws_query::FormWriter::new(#name, #version);
        #form(&mut form, "", input);
        let mut request = crate::runtime::protocol::aws_query::request(&super::client::SERVICE, &super::client::#meta, form.finish());
        request.host_prefix = #host_prefix;
        Ok(request)
    }
}

pub(super) fn output(s: &Service, op: &Operation) -> TokenStream {
    let read = xml_fn(s, op.output);
    // botocore reads the document even when the output has no members: a body that is not XML fails.
    let wrapper = match &op.result_wrapper {
        Some(wrapper) => quote!(Some(#wrapper)),
        None => quote!(None),
    };
    quote! {
        let mut output = None;
        let request_id = crate::runtime::protocol::aws_query::read_answer_into(&response.body, #wrapper, #read, &mut output)?;
        let Some(mut output) = output else { return Err(crate::runtime::protocol::aws_query::output_not_read()) };
        output.meta_request_id = crate::runtime::protocol::aws_query::request_id_or_header(request_id, response);
        Ok(output)
    }
}

/// An error's members from the `<Error>` element of the `ErrorAnswer` the
/// reader takes (`<ErrorResponse><Error>…</Error>`, the body checked once).
pub(super) fn error_members(s: &Service, id: ShapeId) -> TokenStream {
    let t = ident(&s.shape(id).rust_name);
    let members: Vec<&Member> = s.structure(id).members.iter().collect();
    if members.is_empty() {
        return quote! { #t { meta: answer.into_meta() } };
    }
    let decls = locals(&members, |_| true);
    let arms = member_arms(s, &members);
    // A member that does not parse is left out, not the whole error.
    let dispatch = dispatch(&arms, false);
    let fields = members.iter().map(|m| super::error_field(s, id, m));
    quote! {
        #decls
        if let Some(mut reader) = answer.error() && let Ok(mut error) = reader.root() {
            while let Ok(Some(mut child)) = error.next_child() {
                #dispatch
            }
        }
        let meta = answer.into_meta();
        #t { #(#fields,)* meta }
    }
}

//! Error structs (one per modeled error) and per-operation error enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::client::{dispatch_by_tag, xml_member_parse};
use super::docs::doc_attrs;
use super::rust_type;
use crate::ir::{Fault, Operation, Protocol, Service, Shape, ShapeKind, Structure};
use crate::naming::ident;

pub fn emit(s: &Service) -> TokenStream {
    let structs = s.shapes.iter().filter_map(|shape| match &shape.kind {
        ShapeKind::Structure(st) if st.error.is_some() && shape.in_output => Some(error_struct(s, shape, st)),
        _ => None,
    });
    let enums = s.operations.iter().map(|op| error_enum(s, op));
    quote! {
        #![allow(clippy::doc_lazy_continuation)]
        #(#structs)*
        #(#enums)*
    }
}

fn error_struct(s: &Service, shape: &Shape, st: &Structure) -> TokenStream {
    let Some(info) = &st.error else { return quote!() };
    let name = ident(&shape.rust_name);
    let mut paragraphs = shape.docs.clone();
    let fault = match info.fault {
        Fault::Client => "client",
        Fault::Server => "server",
    };
    let recognised = match &info.code {
        Some(c) => format!("Error code `{c}`, HTTP status {}, {fault} fault.", info.http_status),
        None => format!("Recognised by HTTP status {} alone, {fault} fault.", info.http_status),
    };
    paragraphs.push(recognised);
    let docs = doc_attrs(&paragraphs);
    let fields = st.members.iter().map(|m| {
        let f = ident(&m.field);
        let t = rust_type(s, m.target);
        let mut d = m.docs.clone();
        d.push(format!("Wire name: `{}`.", m.name));
        let d = doc_attrs(&d);
        quote! { #d pub #f: Option<#t>, }
    });
    let status = info.http_status;
    let (retryable, throttling) = (info.retryable, info.throttling);
    let from_parts = from_parts(s, st);
    let display = format!("{}: {{}}", shape.name.replace('{', "{{").replace('}', "}}"));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// Code, message, HTTP status and request id of the answer.
            pub meta: crate::runtime::ErrorMeta,
        }

        impl #name {
            /// The HTTP status the model gives this error.
            pub const HTTP_STATUS: u16 = #status;

            /// The error code the service sent (or the HTTP status as text).
            pub fn code(&self) -> &str {
                &self.meta.code
            }
            /// The message the service sent, if any.
            pub fn message(&self) -> Option<&str> {
                self.meta.message.as_deref()
            }
            /// The HTTP status of the answer.
            pub fn http_status(&self) -> u16 {
                self.meta.http_status
            }
            /// The request id of the answer, if it carried one.
            pub fn request_id(&self) -> Option<&str> {
                self.meta.request_id.as_deref()
            }
            /// Whether sending the same request again may succeed.
            pub fn is_retryable(&self) -> bool {
                #retryable
            }
            /// Whether the service is throttling the caller.
            pub fn is_throttling(&self) -> bool {
                #throttling
            }
            #from_parts
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, #display, self.meta)
            }
        }

        impl std::error::Error for #name {}
    }
}

/// `from_parts(meta, body)`: the members, read from the error body as the protocol writes them.
fn from_parts(s: &Service, st: &Structure) -> TokenStream {
    let doc = quote! {
        /// Builds the error from the answer's envelope and its raw body; members
        /// the body does not carry (or garbles) are left `None`.
    };
    if st.members.is_empty() {
        return quote! {
            #doc
            pub fn from_parts(meta: crate::runtime::ErrorMeta, _body: &[u8]) -> Self {
                Self { meta }
            }
        };
    }
    let fields: Vec<_> = st.members.iter().map(|m| ident(&m.field)).collect();
    match s.protocol {
        Protocol::AwsJson11 { .. } | Protocol::RestJson => {
            let decls = st.members.iter().map(|m| {
                let f = ident(&m.field);
                let t = rust_type(s, m.target);
                let wire = &m.name;
                quote! { #[serde(rename = #wire)] #f: Option<#t>, }
            });
            quote! {
                #doc
                pub fn from_parts(meta: crate::runtime::ErrorMeta, body: &[u8]) -> Self {
                    #[derive(Default, serde::Deserialize)]
                    #[serde(default)]
                    struct Fields { #(#decls)* }
                    let fields: Fields = serde_json::from_slice(body).unwrap_or_default();
                    Self { #(#fields: fields.#fields,)* meta }
                }
            }
        }
        Protocol::AwsQuery { .. } => {
            let arms: Vec<_> = st
                .members
                .iter()
                .map(|m| {
                    let f = ident(&m.field);
                    let parse = xml_member_parse(s, m.target, quote!(child));
                    (m.name.clone(), quote! { #f = (#parse).ok(); })
                })
                .collect();
            let dispatch = dispatch_by_tag(quote!(child), &arms);
            quote! {
                #doc
                pub fn from_parts(meta: crate::runtime::ErrorMeta, body: &[u8]) -> Self {
                    #(let mut #fields = None;)*
                    if let Ok(doc) = crate::runtime::xml::parse_document(body)
                        && let Some(error) = doc.descendants().find(|n| n.has_tag_name("Error"))
                    {
                        for child in crate::runtime::xml::children(error) {
                            #dispatch
                        }
                    }
                    Self { #(#fields,)* meta }
                }
            }
        }
    }
}

fn error_enum(s: &Service, op: &Operation) -> TokenStream {
    let name = ident(&op.error_enum);
    let docs = doc_attrs(&[format!("Errors of `{}`: one variant per error the model lists, and `Unhandled` for any other.", op.name)]);
    let variants: Vec<_> = op.errors.iter().map(|&e| ident(&s.shape(e).rust_name)).collect();
    let variant_docs = op.errors.iter().map(|&e| doc_attrs(&s.shape(e).docs));
    let by_code: Vec<_> = op
        .errors
        .iter()
        .filter_map(|&e| {
            let v = ident(&s.shape(e).rust_name);
            let code = s.structure(e).error.as_ref()?.code.clone()?;
            Some(quote! { #code => Self::#v(#v::from_parts(meta, body)), })
        })
        .collect();
    let by_status: Vec<_> = op
        .errors
        .iter()
        .filter_map(|&e| {
            let v = ident(&s.shape(e).rust_name);
            let info = s.structure(e).error.as_ref()?;
            let status = info.http_status;
            info.code.is_none().then(|| quote! { #status => Self::#v(#v::from_parts(meta, body)), })
        })
        .collect();
    let unhandled = quote! { Self::Unhandled(crate::runtime::UnhandledError::new(meta, body)) };
    let by_status = if by_status.is_empty() {
        unhandled
    } else {
        quote! { match meta.http_status { #(#by_status)* _ => #unhandled } }
    };
    let classify = if by_code.is_empty() {
        by_status
    } else {
        // The code is copied out so that `meta` can move into the variant.
        quote! {
            let code = meta.code.clone();
            match code.as_str() { #(#by_code)* _ => #by_status }
        }
    };
    quote! {
        #docs
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants(#variants),)*
            /// An error answer the model does not list for this operation, kept whole.
            Unhandled(crate::runtime::UnhandledError),
        }

        impl #name {
            /// Classifies an error answer by its code (or, for errors modeled without
            /// one, its HTTP status).
            pub fn from_parts(meta: crate::runtime::ErrorMeta, body: &[u8]) -> Self {
                #classify
            }

            /// Code, message, HTTP status and request id of the answer.
            pub fn meta(&self) -> &crate::runtime::ErrorMeta {
                match self {
                    #(Self::#variants(e) => &e.meta,)*
                    Self::Unhandled(e) => e.meta(),
                }
            }
            /// The error code the service sent (or the HTTP status as text).
            pub fn code(&self) -> &str {
                &self.meta().code
            }
            /// The message the service sent, if any.
            pub fn message(&self) -> Option<&str> {
                self.meta().message.as_deref()
            }
            /// The HTTP status of the answer.
            pub fn http_status(&self) -> u16 {
                self.meta().http_status
            }
            /// The request id of the answer, if it carried one.
            pub fn request_id(&self) -> Option<&str> {
                self.meta().request_id.as_deref()
            }
            /// Whether sending the same request again may succeed.
            pub fn is_retryable(&self) -> bool {
                match self {
                    #(Self::#variants(e) => e.is_retryable(),)*
                    Self::Unhandled(e) => e.is_retryable(),
                }
            }
            /// Whether the service is throttling the caller.
            pub fn is_throttling(&self) -> bool {
                match self {
                    #(Self::#variants(e) => e.is_throttling(),)*
                    Self::Unhandled(e) => e.is_throttling(),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(Self::#variants(e) => std::fmt::Display::fmt(e, f),)*
                    Self::Unhandled(e) => std::fmt::Display::fmt(e, f),
                }
            }
        }

        impl std::error::Error for #name {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    #(Self::#variants(e) => Some(e),)*
                    Self::Unhandled(e) => Some(e),
                }
            }
        }

        impl crate::runtime::ServiceError for #name {
            fn meta(&self) -> &crate::runtime::ErrorMeta {
                #name::meta(self)
            }
            fn is_retryable(&self) -> bool {
                #name::is_retryable(self)
            }
            fn is_throttling(&self) -> bool {
                #name::is_throttling(self)
            }
        }
    }
}

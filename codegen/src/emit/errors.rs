//! Error structs (one per modeled error) and per-operation error enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::codec::{ErrorEnvelope, error_envelope, error_fn};
use super::docs::{self, doc_attrs};
use super::{gate, gated, op_gate, rust_type};
use super::types::is_sensitive;
use crate::ir::{Fault, Operation, Service, Shape, ShapeKind, Structure};
use crate::naming::ident;

pub fn emit(s: &Service) -> TokenStream {
    let errors: Vec<(&Shape, &Structure)> = s
        .shapes
        .iter()
        .filter_map(|shape| match &shape.kind {
            ShapeKind::Structure(st) if st.error.is_some() && shape.in_output() => Some((shape, st)),
            _ => None,
        })
        .collect();
    let structs = errors.iter().map(|(shape, st)| gated(&gate(s, shape.operations()), error_struct(s, shape, st)));
    let enums = s.operations.iter().enumerate().map(|(i, op)| gated(&op_gate(s, i), error_enum(s, op)));
    // Error members may hold the service's structures: the import is compiled with the errors that do.
    let using_types: Vec<usize> = errors
        .iter()
        .filter(|(_, st)| {
            st.members.iter().any(|m| {
                matches!(
                    s.shape(m.target).kind,
                    ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Enum { .. } | ShapeKind::IntEnum { .. } | ShapeKind::List { .. } | ShapeKind::Map { .. }
                )
            })
        })
        .flat_map(|(shape, _)| shape.operations())
        .collect();
    let import_gate = gate(s, using_types.iter().copied());
    let import = (!using_types.is_empty()).then(|| quote!(#import_gate use super::types::*;));
    quote! {
        #import
        #(#structs)*
        #(#enums)*
    }
}

fn error_struct(s: &Service, shape: &Shape, st: &Structure) -> TokenStream {
    let Some(info) = &st.error else { return quote!() };
    let name = ident(&shape.rust_name);
    let mut paragraphs = docs::shape_docs(s, shape);
    let fault = match info.fault {
        Fault::Client => "client",
        Fault::Server => "server",
    };
    let recognised = match &info.code {
        Some(c) => format!("Error code `{c}`, HTTP status {}, {fault} fault.", info.http_status),
        None => format!("Recognised by HTTP status {} alone, {fault} fault.", info.http_status),
    };
    paragraphs.push(recognised);
    paragraphs.extend(docs::provenance(s, &info.provenance, Some("the error")));
    let docs = doc_attrs(&paragraphs);
    let fields = st.members.iter().map(|m| {
        let f = ident(&m.field);
        let t = rust_type(s, m.target);
        let t = if m.boxed { quote!(Box<#t>) } else { t };
        let mut d = docs::member_docs(s, m);
        d.push(format!("Wire name: `{}`.", m.wire_name));
        let d = doc_attrs(&d);
        quote! { #d pub #f: Option<#t>, }
    });
    let sensitive = st.members.iter().any(|m| is_sensitive(s, m));
    let debug = (!sensitive).then(|| quote!(Debug,));
    let debug_impl = sensitive.then(|| {
        let shown = &shape.rust_name;
        let fields = st.members.iter().map(|m| {
            let f = ident(&m.field);
            let label = m.field.trim_start_matches("r#");
            if is_sensitive(s, m) { quote!(.field(#label, &"** redacted **")) } else { quote!(.field(#label, &self.#f)) }
        });
        quote! {
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct(#shown) #(#fields)* .field("meta", &self.meta).finish()
                }
            }
        }
    });
    let eq = shape.eq.then(|| quote!(Eq,));
    let status = info.http_status;
    let (retryable, throttling) = (info.retryable, info.throttling);
    let display = format!("{}: {{}}", shape.name.replace('{', "{{").replace('}', "}}"));
    let message = match info.message_member {
        Some(i) => {
            let f = ident(&st.members[i].field);
            let doc = format!(" The message the service sent: the `{}` member (which the answer's envelope fills when the body leaves it out).", st.members[i].name);
            quote! {
                #[doc = #doc]
                pub fn message(&self) -> Option<&str> {
                    self.#f.as_deref()
                }
            }
        }
        None => quote! {
            /// The message the service sent, if any.
            pub fn message(&self) -> Option<&str> {
                self.meta.message.as_deref()
            }
        },
    };
    quote! {
        #docs
        #[derive(#debug Clone, PartialEq, #eq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            /// Code, message, HTTP status and request id of the answer.
            pub meta: crate::runtime::ErrorMeta,
        }
        #debug_impl

        impl #name {
            /// The HTTP status the model gives this error.
            pub const HTTP_STATUS: u16 = #status;

            /// The error code the service sent (or the HTTP status as text).
            pub fn code(&self) -> &str {
                &self.meta.code
            }
            #message
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
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, #display, self.meta)
            }
        }

        impl std::error::Error for #name {}
    }
}

fn error_enum(s: &Service, op: &Operation) -> TokenStream {
    let name = ident(&op.names.error_enum);
    let ErrorEnvelope { read: read_envelope, meta, reader_args: args, into_meta } = error_envelope(s);
    let docs = doc_attrs(&[format!("Errors of `{}`: one variant per error the model lists, and `Unhandled` for any other.", op.name)]);
    let variants: Vec<_> = op.errors.iter().map(|&e| ident(&s.shape(e).rust_name)).collect();
    let variant_docs = op.errors.iter().map(|&e| doc_attrs(&docs::shape_docs(s, s.shape(e))));
    let shape_names = op.errors.iter().map(|&e| &s.shape(e).name);
    let by_code: Vec<_> = op
        .errors
        .iter()
        .filter_map(|&e| {
            let v = ident(&s.shape(e).rust_name);
            let code = s.structure(e).error.as_ref()?.code.clone()?;
            let read = error_fn(s, e);
            Some(quote! { #code => Self::#v(super::codec::#read(#args)), })
        })
        .collect();
    let by_status: Vec<_> = op
        .errors
        .iter()
        .filter_map(|&e| {
            let v = ident(&s.shape(e).rust_name);
            let info = s.structure(e).error.as_ref()?;
            let status = info.http_status;
            let read = error_fn(s, e);
            info.code.is_none().then(|| quote! { #status => Self::#v(super::codec::#read(#args)), })
        })
        .collect();
    let unhandled = quote! { Self::Unhandled(crate::runtime::UnhandledError::new(#into_meta, &response.body)) };
    let by_status = if by_status.is_empty() {
        unhandled
    } else {
        quote! { match #meta.http_status { #(#by_status)* _ => #unhandled } }
    };
    let classify = if by_code.is_empty() {
        by_status
    } else {
        // The code is copied out so that the envelope can move into the variant.
        quote! {
            let code = #meta.code.clone();
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
            /// one, its HTTP status) and reads the members of the error it names.
            pub fn from_response(response: &crate::runtime::client::Response) -> Self {
                #read_envelope
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
            /// The model's name of the error (`None` for [`Self::Unhandled`]).
            pub fn shape_name(&self) -> Option<&'static str> {
                match self {
                    #(Self::#variants(_) => Some(#shape_names),)*
                    Self::Unhandled(_) => None,
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
            fn shape_name(&self) -> Option<&'static str> {
                #name::shape_name(self)
            }
        }
    }
}

//! The client: service metadata, one async method per operation (and its
//! `prepare_` twin), and paginators. The wire forms are in `codec.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::codec::{output_fn, request_fn};
use super::docs::{deprecated_attr, doc_attrs};
use crate::ir::{JsonVersion, Operation, PathPart, Protocol, Service, ShapeKind, Signing};
use crate::naming::ident;

pub fn emit(s: &Service) -> TokenStream {
    let service_meta = service_meta(s);
    let title = &s.title;
    let client_doc = doc_attrs(&[
        format!("Client for {title}."),
        "Cheap to clone; clones share connections and configuration.".into(),
    ]);
    let gates: Vec<TokenStream> = (0..s.operations.len()).map(|i| super::op_gate(s, i)).collect();
    let methods = s.operations.iter().zip(&gates).map(|(op, gate)| {
        let m = operation_methods(s, op, gate);
        let p = paginator_method(s, op, gate);
        quote! { #m #p }
    });
    let paginators = s.operations.iter().zip(&gates).map(|(op, gate)| paginator_types(s, op, gate));
    let op_items = s.operations.iter().zip(&gates).map(|(op, gate)| operation_items(op, gate));
    quote! {
        use super::errors::*;
        use super::types::*;

        #service_meta

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            handle: crate::runtime::client::Handle,
        }

        impl Client {
            /// A client with the given configuration.
            pub fn new(config: crate::runtime::config::Config) -> Result<Self, crate::runtime::config::ConfigError> {
                Ok(Self { handle: crate::runtime::client::Handle::new(&SERVICE, config)? })
            }

            /// A client configured from the environment (region, credentials, endpoint).
            pub fn from_env() -> Result<Self, crate::runtime::config::ConfigError> {
                Self::new(crate::runtime::config::Config::from_env()?)
            }

            /// The configuration the client was made with.
            pub fn config(&self) -> &crate::runtime::config::Config {
                self.handle.config()
            }

            /// Fetches the credentials now (from their provider, if they come from
            /// one), as the first call would: after it, the `prepare_` methods can
            /// sign with them. Static credentials need no fetching.
            pub async fn resolve_credentials(&self) -> Result<(), crate::runtime::CredentialsError> {
                self.handle.resolve_credentials().await
            }

            #(#methods)*
        }

        #(#op_items)*
        #(#paginators)*
    }
}

fn service_meta(s: &Service) -> TokenStream {
    let name = &s.module;
    let version = &s.api_version;
    let protocol = match &s.protocol {
        Protocol::AwsJson { version: JsonVersion::V1_0, target_prefix } => {
            quote!(crate::runtime::service::Protocol::AwsJson10 { target_prefix: #target_prefix })
        }
        Protocol::AwsJson { version: JsonVersion::V1_1, target_prefix } => {
            quote!(crate::runtime::service::Protocol::AwsJson11 { target_prefix: #target_prefix })
        }
        Protocol::AwsQuery { .. } => quote!(crate::runtime::service::Protocol::AwsQuery),
        Protocol::RestJson1 => quote!(crate::runtime::service::Protocol::RestJson1),
        Protocol::HuaweiRest => quote!(crate::runtime::service::Protocol::HuaweiRest),
    };
    let signing = match &s.signing {
        Signing::SigV4 { name } => quote!(crate::runtime::service::SigningScheme::SigV4 { name: #name }),
        Signing::HuaweiSdkHmacSha256 => quote!(crate::runtime::service::SigningScheme::HuaweiSdkHmacSha256),
    };
    let template = &s.endpoint_template;
    let partitions = s.endpoint_partitions.iter().map(|(p, t)| quote!((#p, #t)));
    let service_id = match &s.service_id {
        Some(id) => quote!(Some(#id)),
        None => quote!(None),
    };
    quote! {
        /// What the runtime needs to know about this service.
        pub static SERVICE: crate::runtime::service::ServiceMeta = crate::runtime::service::ServiceMeta {
            name: #name,
            api_version: #version,
            protocol: #protocol,
            signing: #signing,
            endpoint_template: #template,
            endpoint_partitions: &[#(#partitions),*],
            service_id: #service_id,
        };
    }
}

fn operation_methods(s: &Service, op: &Operation, gate: &TokenStream) -> TokenStream {
    let method = ident(&op.names.method);
    let prepare = ident(&op.names.prepare);
    let call = ident(&op.names.call);
    let input = ident(&s.shape(op.input).rust_name);
    let output = ident(&s.shape(op.output).rust_name);
    let error = ident(&op.names.error_enum);
    let meta = op_meta(op);
    let (request, ok) = (request_fn(op), output_fn(op));
    let mut paragraphs = super::docs::operation_docs(s, op);
    paragraphs.push(format!(
        "`{} {}`; success is HTTP {}. Validates the input first (unless validation is off in the configuration), then signs, sends and retries per the configuration.",
        op.http_method,
        path_template_text(s, op),
        op.success_status
    ));
    let docs = doc_attrs(&paragraphs);
    let deprecated = deprecated_attr(op.deprecated.as_ref());
    let prepare_doc = doc_attrs(&[format!(
        "Validates, builds and signs the `{}` request exactly as its first attempt would be sent, and sends nothing.",
        op.name
    )]);
    let call_doc = doc_attrs(&[format!("Sends `{}`, validating the input first when `validate` says so.", op.name)]);
    quote! {
        #docs
        #deprecated
        #gate
        pub async fn #method(&self, input: #input) -> Result<#output, crate::runtime::Error<#error>> {
            self.#call(input, self.handle.validation_enabled()).await
        }

        #call_doc
        #gate
        async fn #call(&self, input: #input, validate: bool) -> Result<#output, crate::runtime::Error<#error>> {
            let validated = if validate { input.validate() } else { Ok(()) };
            let checked = validated.map(|()| super::codec::#request(&self.handle, &input));
            let request = self.handle.checked_request(checked).map_err(crate::runtime::Error::widen)?;
            self.handle.call(&#meta, request, super::codec::#ok, #error::from_response).await
        }

        #prepare_doc
        #gate
        pub fn #prepare(&self, input: &#input) -> Result<crate::runtime::client::PreparedRequest, crate::runtime::Error<#error>> {
            let validated = if self.handle.validation_enabled() { input.validate() } else { Ok(()) };
            let checked = validated.map(|()| super::codec::#request(&self.handle, input));
            self.handle.prepare_input(&#meta, checked).map_err(crate::runtime::Error::widen)
        }
    }
}

/// `<op>_pages(input)` for an operation with pagination facts.
fn paginator_method(s: &Service, op: &Operation, gate: &TokenStream) -> TokenStream {
    let Some(p) = &op.pagination else { return quote!() };
    let input = ident(&s.shape(op.input).rust_name);
    let pages = ident(&op.names.pages_type);
    let method = ident(&op.names.pages_method);
    let in_token = &s.structure(op.input).members[p.input_token].name;
    let out_token = &s.structure(op.output).members[p.output_token].name;
    let doc = doc_attrs(&[format!(
        "Pages of `{}`: each call sends `{in_token}` from the previous answer's `{out_token}`, until the service sends none (or an empty one). A token the service already gave ends paging with `Error::RepeatedToken` instead of looping.",
        op.name
    )]);
    quote! {
        #doc
        #gate
        pub fn #method(&self, input: #input) -> #pages {
            #pages { client: self.clone(), input, seen: std::collections::BTreeSet::new(), pending: None, done: false, first: true }
        }
    }
}

/// The page (and item) iterators of a paginated operation.
fn paginator_types(s: &Service, op: &Operation, gate: &TokenStream) -> TokenStream {
    let Some(p) = &op.pagination else { return quote!() };
    let pages = ident(&op.names.pages_type);
    let items_ty = ident(&op.names.items_type);
    let call = ident(&op.names.call);
    let input = ident(&s.shape(op.input).rust_name);
    let output = ident(&s.shape(op.output).rust_name);
    let error = ident(&op.names.error_enum);
    let in_st = s.structure(op.input);
    let out_st = s.structure(op.output);
    let in_token = ident(&in_st.members[p.input_token].field);
    let out_token = ident(&out_st.members[p.output_token].field);
    let pages_doc = doc_attrs(&[format!("Pages of `{}`, fetched one call at a time by [`{pages}::next_page`].", op.name)]);
    let items = p.items.map(|i| {
        let m = &out_st.members[i];
        let field = ident(&m.field);
        let ShapeKind::List { member, .. } = &s.shape(m.target).kind else { return quote!() };
        let item = super::rust_type(s, *member);
        let items_doc = doc_attrs(&[format!("Every `{}` of every page of `{}`, in order.", m.name, op.name)]);
        quote! {
            #gate
            impl #pages {
                /// Every item of every page, in order; stops at the first error.
                pub async fn collect_items(mut self) -> Result<Vec<#item>, crate::runtime::Error<#error>> {
                    let mut all = Vec::new();
                    while let Some(page) = self.next_page().await {
                        all.extend(page?.#field.unwrap_or_default());
                    }
                    Ok(all)
                }

                /// The items one at a time, fetching pages as needed.
                pub fn items(self) -> #items_ty {
                    #items_ty { pages: self, buffer: std::collections::VecDeque::new() }
                }
            }

            #items_doc
            #gate
            #[derive(Debug)]
            pub struct #items_ty {
                pages: #pages,
                buffer: std::collections::VecDeque<#item>,
            }

            #gate
            impl #items_ty {
                /// The next item, `None` after the last one (or after an error).
                pub async fn next_item(&mut self) -> Option<Result<#item, crate::runtime::Error<#error>>> {
                    loop {
                        if let Some(item) = self.buffer.pop_front() {
                            return Some(Ok(item));
                        }
                        match self.pages.next_page().await? {
                            Ok(page) => self.buffer.extend(page.#field.unwrap_or_default()),
                            Err(e) => return Some(Err(e)),
                        }
                    }
                }
            }
        }
    });
    quote! {
        #pages_doc
        #gate
        #[derive(Debug)]
        pub struct #pages {
            client: Client,
            input: #input,
            seen: std::collections::BTreeSet<String>,
            pending: Option<crate::runtime::Error<#error>>,
            done: bool,
            first: bool,
        }

        #gate
        impl #pages {
            /// The next page, `None` after the last one (or after an error).
            pub async fn next_page(&mut self) -> Option<Result<#output, crate::runtime::Error<#error>>> {
                if let Some(e) = self.pending.take() {
                    return Some(Err(e));
                }
                if self.done {
                    return None;
                }
                if let Some(token) = &self.input.#in_token {
                    self.seen.insert(token.clone());
                }
                // The caller's input is checked once, on the first page; a token the
                // service handed back is sent as it came (botocore follows such tokens),
                // even where it breaks the model's bounds.
                let validate = self.first && self.client.handle.validation_enabled();
                self.first = false;
                let page = match self.client.#call(self.input.clone(), validate).await {
                    Ok(page) => page,
                    Err(e) => {
                        self.done = true;
                        return Some(Err(e));
                    }
                };
                match page.#out_token.as_deref() {
                    None | Some("") => self.done = true,
                    Some(token) if self.seen.contains(token) => {
                        // Keep this page, then stop: following the token would loop.
                        self.done = true;
                        self.pending = Some(crate::runtime::Error::RepeatedToken { token: token.to_owned() });
                    }
                    Some(token) => self.input.#in_token = Some(token.to_owned()),
                }
                Some(Ok(page))
            }
        }

        #items
    }
}

/// The operation's path template as the model writes it (`/a/{member}/b`).
pub(super) fn path_template_text(s: &Service, op: &Operation) -> String {
    let input = s.structure(op.input);
    op.path
        .iter()
        .map(|p| match p {
            PathPart::Literal(l) => l.clone(),
            PathPart::Label { member, greedy } => {
                format!("{{{}{}}}", input.members[*member].wire_name, if *greedy { "+" } else { "" })
            }
            PathPart::ClientParameter(n) => format!("{{{n}}}"),
        })
        .collect()
}

/// The static metadata of `op` (in `client.rs`, used by `codec.rs`).
pub fn op_meta(op: &Operation) -> proc_macro2::Ident {
    ident(&op.names.meta)
}

fn operation_items(op: &Operation, gate: &TokenStream) -> TokenStream {
    let meta = op_meta(op);
    let name = &op.name;
    let method = &op.http_method;
    let status = op.success_status;
    let (idempotent, unsigned) = (op.idempotent, op.unsigned);
    quote! {
        #gate
        pub(super) static #meta: crate::runtime::service::OperationMeta = crate::runtime::service::OperationMeta {
            name: #name,
            method: #method,
            success_status: #status,
            idempotent: #idempotent,
            unsigned: #unsigned,
        };
    }
}

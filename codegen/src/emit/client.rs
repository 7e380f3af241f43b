//! The client: service metadata, one async method per operation, and the
//! protocol code each needs (request serializers, answer parsers).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use crate::ir::{Location, Operation, PathPart, Protocol, Service, ShapeId, ShapeKind, Signing, Structure};
use crate::naming::{ident, snake};

pub fn emit(s: &Service) -> TokenStream {
    let service_meta = service_meta(s);
    let title = &s.title;
    let client_doc = doc_attrs(&[
        format!("Client for {title}."),
        "Cheap to clone; clones share connections and configuration.".into(),
    ]);
    let methods = s.operations.iter().map(|op| {
        let m = operation_methods(s, op);
        let p = paginator_method(s, op);
        quote! { #m #p }
    });
    let paginators = s.operations.iter().map(|op| paginator_types(s, op));
    let op_items = s.operations.iter().map(|op| operation_items(s, op));
    let query_writers = matches!(s.protocol, Protocol::AwsQuery { .. }).then(|| query_writers(s));
    let xml_readers = matches!(s.protocol, Protocol::AwsQuery { .. }).then(|| xml_readers(s));
    quote! {
        #![allow(clippy::doc_lazy_continuation)]
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

            /// The runtime handle: configuration, connections, signing.
            pub fn handle(&self) -> &crate::runtime::client::Handle {
                &self.handle
            }

            #(#methods)*
        }

        #(#op_items)*
        #(#paginators)*
        #query_writers
        #xml_readers
    }
}

fn service_meta(s: &Service) -> TokenStream {
    let name = &s.module;
    let version = &s.api_version;
    let protocol = match &s.protocol {
        Protocol::AwsJson11 { target_prefix } => quote!(crate::runtime::service::Protocol::AwsJson11 { target_prefix: #target_prefix }),
        Protocol::AwsQuery { xml_namespace } => quote!(crate::runtime::service::Protocol::AwsQuery { xml_namespace: #xml_namespace }),
        Protocol::RestJson => quote!(crate::runtime::service::Protocol::RestJson),
    };
    let signing = match &s.signing {
        Signing::SigV4 { name } => quote!(crate::runtime::service::SigningScheme::SigV4 { name: #name }),
        Signing::HuaweiSdkHmacSha256 => quote!(crate::runtime::service::SigningScheme::HuaweiSdkHmacSha256),
    };
    let template = &s.endpoint_template;
    let partitions = s.endpoint_partitions.iter().map(|(p, t)| quote!((#p, #t)));
    quote! {
        /// What the runtime needs to know about this service.
        pub static SERVICE: crate::runtime::service::ServiceMeta = crate::runtime::service::ServiceMeta {
            name: #name,
            api_version: #version,
            protocol: #protocol,
            signing: #signing,
            endpoint_template: #template,
            endpoint_partitions: &[#(#partitions),*],
        };
    }
}

struct OpNames {
    meta: proc_macro2::Ident,
    request: proc_macro2::Ident,
    ok: proc_macro2::Ident,
    err: proc_macro2::Ident,
}

fn names(op: &Operation) -> OpNames {
    let m = snake(&op.name);
    OpNames {
        meta: format_ident!("{}", m.to_uppercase()),
        request: format_ident!("{m}_request"),
        ok: format_ident!("{m}_ok"),
        err: format_ident!("{m}_err"),
    }
}

fn operation_methods(s: &Service, op: &Operation) -> TokenStream {
    let n = names(op);
    let method = ident(&op.method_name);
    let prepare = format_ident!("prepare_{}", op.method_name.trim_start_matches("r#"));
    let input = ident(&s.shape(op.input).rust_name);
    let output = ident(&s.shape(op.output).rust_name);
    let error = ident(&op.error_enum);
    let (meta, request, ok, err) = (&n.meta, &n.request, &n.ok, &n.err);
    let mut paragraphs = op.docs.clone();
    paragraphs.push(format!(
        "`{} {}`; success is HTTP {}. Validates the input first (unless validation is off in the configuration), then signs, sends and retries per the configuration.",
        op.http_method,
        path_template_text(s, op),
        op.success_status
    ));
    let docs = doc_attrs(&paragraphs);
    let prepare_doc = doc_attrs(&[format!(
        "Validates, builds and signs the `{}` request exactly as its first attempt would be sent, and sends nothing.",
        op.name
    )]);
    quote! {
        #docs
        pub async fn #method(&self, input: #input) -> Result<#output, crate::runtime::Error<#error>> {
            if self.handle.validation_enabled() {
                input.validate().map_err(crate::runtime::Error::Validation)?;
            }
            let request = #request(&self.handle, &input).map_err(crate::runtime::Error::Build)?;
            self.handle.call(&#meta, request, #ok, #err).await
        }

        #prepare_doc
        pub fn #prepare(&self, input: &#input) -> Result<crate::runtime::client::PreparedRequest, crate::runtime::Error<#error>> {
            if self.handle.validation_enabled() {
                input.validate().map_err(crate::runtime::Error::Validation)?;
            }
            let request = #request(&self.handle, input).map_err(crate::runtime::Error::Build)?;
            self.handle.prepare(&#meta, &request).map_err(crate::runtime::Error::Build)
        }
    }
}

/// `<op>_pages(input)` for an operation with pagination facts.
fn paginator_method(s: &Service, op: &Operation) -> TokenStream {
    let Some(p) = &op.pagination else { return quote!() };
    let input = ident(&s.shape(op.input).rust_name);
    let pages = format_ident!("{}Pages", crate::naming::type_ident(&op.name));
    let method = format_ident!("{}_pages", op.method_name.trim_start_matches("r#"));
    let in_token = &s.structure(op.input).members[p.input_token].name;
    let out_token = &s.structure(op.output).members[p.output_token].name;
    let doc = doc_attrs(&[format!(
        "Pages of `{}`: each call sends `{in_token}` from the previous answer's `{out_token}`, until the service sends none (or an empty one). A token the service already gave ends paging with `Error::RepeatedToken` instead of looping.",
        op.name
    )]);
    quote! {
        #doc
        pub fn #method(&self, input: #input) -> #pages {
            #pages { client: self.clone(), input, seen: std::collections::BTreeSet::new(), pending: None, done: false }
        }
    }
}

/// The page (and item) iterators of a paginated operation.
fn paginator_types(s: &Service, op: &Operation) -> TokenStream {
    let Some(p) = &op.pagination else { return quote!() };
    let name = crate::naming::type_ident(&op.name);
    let pages = format_ident!("{name}Pages");
    let items_ty = format_ident!("{name}Items");
    let method = ident(&op.method_name);
    let input = ident(&s.shape(op.input).rust_name);
    let output = ident(&s.shape(op.output).rust_name);
    let error = ident(&op.error_enum);
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
            #[derive(Debug)]
            pub struct #items_ty {
                pages: #pages,
                buffer: std::collections::VecDeque<#item>,
            }

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
        #[derive(Debug)]
        pub struct #pages {
            client: Client,
            input: #input,
            seen: std::collections::BTreeSet<String>,
            pending: Option<crate::runtime::Error<#error>>,
            done: bool,
        }

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
                let page = match self.client.#method(self.input.clone()).await {
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
            PathPart::Member(i) => format!("{{{}}}", input.members[*i].name),
            PathPart::ClientParameter(n) => format!("{{{n}}}"),
        })
        .collect()
}

fn operation_items(s: &Service, op: &Operation) -> TokenStream {
    let n = names(op);
    let (meta, request, ok, err) = (&n.meta, &n.request, &n.ok, &n.err);
    let name = &op.name;
    let method = &op.http_method;
    let status = op.success_status;
    let input = ident(&s.shape(op.input).rust_name);
    let output = ident(&s.shape(op.output).rust_name);
    let error = ident(&op.error_enum);
    let build = build_request(s, op);
    let parse = parse_ok(s, op);
    let envelope = match s.protocol {
        Protocol::AwsJson11 { .. } => quote!(crate::runtime::protocol::aws_json::error_meta(response)),
        Protocol::AwsQuery { .. } => quote!(crate::runtime::protocol::aws_query::error_meta(response)),
        Protocol::RestJson => quote!(crate::runtime::protocol::rest_json::error_meta(response)),
    };
    quote! {
        static #meta: crate::runtime::service::OperationMeta = crate::runtime::service::OperationMeta { name: #name, method: #method, success_status: #status };

        fn #request(handle: &crate::runtime::client::Handle, input: &#input) -> Result<crate::runtime::client::Request, String> {
            #build
        }

        fn #ok(response: &crate::runtime::client::Response) -> Result<#output, String> {
            #parse
        }

        fn #err(response: &crate::runtime::client::Response) -> #error {
            #error::from_parts(#envelope, &response.body)
        }
    }
}

fn build_request(s: &Service, op: &Operation) -> TokenStream {
    match &s.protocol {
        Protocol::AwsJson11 { .. } => {
            let meta = names(op).meta;
            quote! {
                let _ = handle;
                let body = serde_json::to_vec(input).map_err(|e| e.to_string())?;
                Ok(crate::runtime::protocol::aws_json::request(&SERVICE, &#meta, body))
            }
        }
        Protocol::AwsQuery { .. } => {
            let name = &op.name;
            let version = &s.api_version;
            let meta = names(op).meta;
            quote! {
                let _ = handle;
                let mut form = crate::runtime::protocol::aws_query::FormWriter::new(#name, #version);
                input.write_query(&mut form, "");
                Ok(crate::runtime::protocol::aws_query::request(&SERVICE, &#meta, form.finish()))
            }
        }
        Protocol::RestJson => rest_json_request(s, op),
    }
}

fn rest_json_request(s: &Service, op: &Operation) -> TokenStream {
    let st = s.structure(op.input);
    let path_pushes = op.path.iter().map(|p| match p {
        PathPart::Literal(l) => quote! { path.push_str(#l); },
        PathPart::Member(i) => {
            let m = &st.members[*i];
            let f = ident(&m.field);
            quote! { path.push_str(&crate::runtime::path::encode_segment(&input.#f.to_string())); }
        }
        PathPart::ClientParameter(n) => {
            let msg = format!("the client has no `{n}` configured");
            quote! {
                path.push_str(&crate::runtime::path::encode_segment(handle.client_parameter(#n).ok_or(#msg)?));
            }
        }
    });
    let header_params = s.client_parameters.iter().filter_map(|p| {
        let h = p.header.as_ref()?;
        let n = &p.name;
        let msg = format!("the client has no `{n}` configured");
        Some(quote! { headers.push((#h, handle.client_parameter(#n).ok_or(#msg)?.to_owned())); })
    });
    let header_members = st.members.iter().filter(|m| m.location == Location::Header).map(|m| {
        let f = ident(&m.field);
        let h = &m.location_name;
        if m.required {
            quote! { headers.push((#h, input.#f.to_string())); }
        } else {
            quote! { if let Some(v) = &input.#f { headers.push((#h, v.to_string())); } }
        }
    });
    let query_members: Vec<TokenStream> = st.members.iter().filter(|m| m.location == Location::Query).map(|m| {
        let f = ident(&m.field);
        let q = &m.location_name;
        if m.required {
            quote! { query.push((#q.to_owned(), input.#f.to_string())); }
        } else {
            quote! { if let Some(v) = &input.#f { query.push((#q.to_owned(), v.to_string())); } }
        }
    }).collect();
    let query_mut = (!query_members.is_empty()).then(|| quote!(mut));
    // The body holds the body members only, borrowed from the input.
    let body_fields = st.members.iter().filter(|m| m.location == Location::Body && m.one_of_variant.is_none()).map(|m| {
        let f = ident(&m.field);
        let t = super::rust_type(s, m.target);
        let wire = &m.name;
        if m.required {
            quote! { #[serde(rename = #wire)] #f: &'a #t, }
        } else {
            quote! { #[serde(rename = #wire, skip_serializing_if = "Option::is_none")] #f: &'a Option<#t>, }
        }
    });
    let body_inits = st.members.iter().filter(|m| m.location == Location::Body && m.one_of_variant.is_none()).map(|m| {
        let f = ident(&m.field);
        quote! { #f: &input.#f, }
    });
    let (one_of_field, one_of_init) = match &st.one_of {
        Some(o) => {
            let f = ident(&o.field);
            let t = ident(&o.name);
            (quote! { #[serde(flatten)] #f: &'a #t, }, quote! { #f: &input.#f, })
        }
        None => (quote!(), quote!()),
    };
    let meta = names(op).meta;
    quote! {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            #(#body_fields)*
            #one_of_field
        }
        let mut path = String::new();
        #(#path_pushes)*
        let mut headers: Vec<(&'static str, String)> = vec![("Content-Type", "application/json;charset=utf-8".to_owned())];
        #(#header_params)*
        #(#header_members)*
        let #query_mut query: Vec<(String, String)> = Vec::new();
        #(#query_members)*
        let body = serde_json::to_vec(&Body { #(#body_inits)* #one_of_init }).map_err(|e| e.to_string())?;
        let _ = &#meta;
        Ok(crate::runtime::client::Request { path, query, headers, body })
    }
}

fn parse_ok(s: &Service, op: &Operation) -> TokenStream {
    let output = ident(&s.shape(op.output).rust_name);
    match &s.protocol {
        Protocol::AwsJson11 { .. } | Protocol::RestJson => quote! {
            let mut output = if response.body.iter().all(u8::is_ascii_whitespace) {
                #output::default()
            } else {
                serde_json::from_slice::<#output>(&response.body).map_err(|e| format!("invalid JSON answer: {e}"))?
            };
            output.meta_request_id = crate::runtime::protocol::request_id(SERVICE.protocol, response);
            Ok(output)
        },
        Protocol::AwsQuery { .. } => {
            let wrapper = op.result_wrapper.clone().unwrap_or_else(|| format!("{}Result", op.name));
            quote! {
                let doc = crate::runtime::xml::parse_document(&response.body)?;
                let result = crate::runtime::protocol::aws_query::parse_result(&doc, #wrapper)?;
                let mut output = #output::from_xml(result)?;
                output.meta_request_id = crate::runtime::protocol::aws_query::request_id_in(&doc)
                    .or_else(|| response.header("x-amzn-requestid").map(str::to_owned));
                Ok(output)
            }
        }
    }
}

/// `write_query(form, prefix)` for every input structure of an aws-query service.
fn query_writers(s: &Service) -> TokenStream {
    let impls = s.shapes.iter().filter(|sh| sh.in_input).filter_map(|sh| match &sh.kind {
        ShapeKind::Structure(st) if st.error.is_none() => Some(query_writer(s, &sh.rust_name, st)),
        _ => None,
    });
    quote! { #(#impls)* }
}

fn query_writer(s: &Service, rust_name: &str, st: &Structure) -> TokenStream {
    let name = ident(rust_name);
    let writes = st.members.iter().map(|m| {
        let f = ident(&m.field);
        let key = format!("{{prefix}}{}", m.name.replace('{', "{{").replace('}', "}}"));
        let write = query_value(s, m.target, quote!(value), quote!(format!(#key)));
        if m.required {
            quote! { { let value = &self.#f; #write } }
        } else {
            quote! { if let Some(value) = &self.#f { #write } }
        }
    });
    let uses_prefix = !st.members.is_empty();
    let prefix = if uses_prefix { quote!(prefix) } else { quote!(_prefix) };
    let form = if uses_prefix { quote!(form) } else { quote!(_form) };
    quote! {
        impl #name {
            /// Writes the members as aws-query form parameters under `prefix`.
            fn write_query(&self, #form: &mut crate::runtime::protocol::aws_query::FormWriter, #prefix: &str) {
                #(#writes)*
            }
        }
    }
}

/// Writes `value` (a reference to a value of shape `id`) under the key expression `key`.
fn query_value(s: &Service, id: ShapeId, value: TokenStream, key: TokenStream) -> TokenStream {
    match &s.shape(id).kind {
        ShapeKind::String { .. } => quote! { form.param(&#key, #value); },
        ShapeKind::Enum { .. } => quote! { form.param(&#key, #value.as_str()); },
        ShapeKind::Integer { .. } | ShapeKind::Long { .. } | ShapeKind::Boolean | ShapeKind::Timestamp => {
            quote! { form.param(&#key, &#value.to_string()); }
        }
        ShapeKind::Structure(_) => quote! { #value.write_query(form, &format!("{}.", #key)); },
        ShapeKind::List { member, .. } => {
            let inner = query_value(s, *member, quote!(item), quote!(format!("{base}.member.{}", i + 1)));
            quote! {
                let base = #key;
                if #value.is_empty() {
                    form.param(&base, "");
                }
                for (i, item) in #value.iter().enumerate() { #inner }
            }
        }
        ShapeKind::Map { key: k, value: v, .. } => {
            let kw = query_value(s, *k, quote!(k), quote!(format!("{base}.entry.{}.key", i + 1)));
            let vw = query_value(s, *v, quote!(item), quote!(format!("{base}.entry.{}.value", i + 1)));
            quote! {
                let base = #key;
                for (i, (k, item)) in #value.iter().enumerate() { #kw #vw }
            }
        }
    }
}

/// `from_xml(node)` for every output structure of an aws-query service.
fn xml_readers(s: &Service) -> TokenStream {
    let impls = s.shapes.iter().filter(|sh| sh.in_output).filter_map(|sh| match &sh.kind {
        ShapeKind::Structure(st) if st.error.is_none() => {
            let name = ident(&sh.rust_name);
            let arms: Vec<_> = st
                .members
                .iter()
                .map(|m| {
                    let f = ident(&m.field);
                    let parse = xml_member_parse(s, m.target, quote!(child));
                    (m.name.clone(), quote! { out.#f = Some(#parse?); })
                })
                .collect();
            let dispatch = dispatch_by_tag(quote!(child), &arms);
            let node = if st.members.is_empty() { quote!(_node) } else { quote!(node) };
            let body = if st.members.is_empty() {
                quote! { Ok(Self::default()) }
            } else {
                quote! {
                    let mut out = Self::default();
                    for child in crate::runtime::xml::children(node) {
                        #dispatch
                    }
                    Ok(out)
                }
            };
            Some(quote! {
                impl #name {
                    /// Reads the structure from its XML element; unknown elements are ignored.
                    fn from_xml(#node: crate::runtime::xml::roxmltree::Node<'_, '_>) -> Result<Self, String> {
                        #body
                    }
                }
            })
        }
        _ => None,
    });
    quote! { #(#impls)* }
}

/// An expression of type `Result<T, String>` reading the XML element `node` as shape `id`.
pub fn xml_member_parse(s: &Service, id: ShapeId, node: TokenStream) -> TokenStream {
    let shape = s.shape(id);
    let what = &shape.name;
    match &shape.kind {
        ShapeKind::String { .. } => quote! { Ok::<String, String>(crate::runtime::xml::text(#node)) },
        ShapeKind::Enum { .. } => {
            let t = ident(&shape.rust_name);
            quote! { Ok::<#t, String>(#t::from(crate::runtime::xml::text(#node))) }
        }
        ShapeKind::Integer { .. } => quote! {
            crate::runtime::xml::text(#node).trim().parse::<i32>().map_err(|e| format!("{}: {e}", #what))
        },
        ShapeKind::Long { .. } => quote! {
            crate::runtime::xml::text(#node).trim().parse::<i64>().map_err(|e| format!("{}: {e}", #what))
        },
        ShapeKind::Boolean => quote! {
            match crate::runtime::xml::text(#node).trim() {
                "true" => Ok(true),
                "false" => Ok(false),
                other => Err(format!("{}: {other:?} is not a boolean", #what)),
            }
        },
        ShapeKind::Timestamp => quote! { crate::runtime::DateTime::parse_iso8601(&crate::runtime::xml::text(#node)) },
        ShapeKind::Structure(_) => {
            let t = ident(&shape.rust_name);
            quote! { #t::from_xml(#node) }
        }
        ShapeKind::List { member, .. } => {
            let inner = xml_member_parse(s, *member, quote!(item));
            quote! {
                crate::runtime::xml::children(#node).map(|item| #inner).collect::<Result<Vec<_>, String>>()
            }
        }
        ShapeKind::Map { key, value, .. } => {
            let k = xml_member_parse(s, *key, quote!(k));
            let v = xml_member_parse(s, *value, quote!(v));
            quote! {
                crate::runtime::xml::children(#node)
                    .map(|entry| {
                        let k = crate::runtime::xml::children(entry).find(|n| n.has_tag_name("key")).ok_or("map entry without key")?;
                        let v = crate::runtime::xml::children(entry).find(|n| n.has_tag_name("value")).ok_or("map entry without value")?;
                        Ok((#k?, #v?))
                    })
                    .collect::<Result<std::collections::BTreeMap<_, _>, String>>()
            }
        }
    }
}

/// Runs the action of the arm whose element name matches `node` (unknown elements are ignored).
pub fn dispatch_by_tag(node: TokenStream, arms: &[(String, TokenStream)]) -> TokenStream {
    match arms {
        [] => quote!(),
        [(name, action)] => quote! { if #node.has_tag_name(#name) { #action } },
        _ => {
            let names = arms.iter().map(|(n, _)| n);
            let actions = arms.iter().map(|(_, a)| a);
            quote! {
                match #node.tag_name().name() {
                    #(#names => { #actions })*
                    _ => {}
                }
            }
        }
    }
}

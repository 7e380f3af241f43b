//! Structures, enums and validators.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs::{doc_attrs, shape_constraints};
use super::rust_type;
use crate::ir::{Member, OneOf, Service, Shape, ShapeId, ShapeKind, Structure};
use crate::naming::{ident, snake};

pub fn emit(s: &Service) -> TokenStream {
    let mut validators = BTreeSet::new();
    for op in &s.operations {
        used_validators(s, op.input, &mut validators);
    }
    let mut items = Vec::new();
    for (id, shape) in s.shapes.iter().enumerate() {
        if !(shape.in_input || shape.in_output) {
            continue;
        }
        match &shape.kind {
            ShapeKind::Structure(st) if st.error.is_none() => items.push(structure(s, id, st)),
            ShapeKind::Enum { .. } => items.push(enumeration(shape)),
            _ => {}
        }
        if validators.contains(&id) {
            items.push(value_validator(s, shape));
        }
    }
    quote! {
        #![allow(clippy::doc_lazy_continuation)]
        #(#items)*
    }
}

/// The shapes whose `validate_<shape>` function some check calls, starting from `id`.
fn used_validators(s: &Service, id: ShapeId, used: &mut BTreeSet<ShapeId>) {
    if !needs_validation(s, id, &mut Vec::new()) {
        return;
    }
    match &s.shape(id).kind {
        ShapeKind::Structure(st) => {
            for m in &st.members {
                let allowed = m.allowed_values.as_ref().is_some_and(|a| a.enforce);
                let is_enum = matches!(s.shape(m.target).kind, ShapeKind::Enum { .. });
                // An enforced allowed-values list replaces the enum's own check.
                if !(allowed && is_enum) {
                    used_validators(s, m.target, used);
                }
            }
        }
        ShapeKind::List { member, .. } => {
            if used.insert(id) {
                used_validators(s, *member, used);
            }
        }
        ShapeKind::Map { key, value, .. } => {
            if used.insert(id) {
                used_validators(s, *key, used);
                used_validators(s, *value, used);
            }
        }
        _ => {
            used.insert(id);
        }
    }
}

/// Whether values of shape `id` have any enforced constraint (looking through containers).
pub fn needs_validation(s: &Service, id: ShapeId, seen: &mut Vec<ShapeId>) -> bool {
    if seen.contains(&id) {
        return false;
    }
    seen.push(id);
    match &s.shape(id).kind {
        ShapeKind::String { length, pattern } => length.is_some_and(|l| l.enforce) || pattern.as_ref().is_some_and(|p| p.enforce()),
        ShapeKind::Integer { range } | ShapeKind::Long { range } => range.is_some_and(|r| r.enforce),
        ShapeKind::Boolean | ShapeKind::Timestamp => false,
        ShapeKind::Enum { check, .. } => *check,
        ShapeKind::List { member, length } => length.is_some_and(|l| l.enforce) || needs_validation(s, *member, seen),
        ShapeKind::Map { key, value, length } => {
            length.is_some_and(|l| l.enforce) || needs_validation(s, *key, seen) || needs_validation(s, *value, seen)
        }
        ShapeKind::Structure(st) => st.members.iter().any(|m| member_needs_validation(s, m, seen)),
    }
}

fn member_needs_validation(s: &Service, m: &Member, seen: &mut Vec<ShapeId>) -> bool {
    m.allowed_values.as_ref().is_some_and(|a| a.enforce) || needs_validation(s, m.target, seen)
}

fn validator_fn(shape: &Shape) -> proc_macro2::Ident {
    format_ident!("validate_{}", shape.snake_name)
}

/// The docs of a member: its own text, then the constraints of its value.
fn member_docs(s: &Service, m: &Member) -> TokenStream {
    let mut paragraphs = m.docs.clone();
    paragraphs.extend(shape_constraints(s, m.target));
    if let Some(a) = &m.allowed_values {
        let enforced = if a.enforce { "" } else { " (documented, not enforced)" };
        paragraphs.push(format!("Accepted values: {}{enforced}.", a.values.join(", ")));
    }
    paragraphs.push(format!("Wire name: `{}`{}.", m.name, if m.required { ", required" } else { "" }));
    doc_attrs(&paragraphs)
}

/// A structure's required members are enforced by the type only on the input side:
/// answers are parsed leniently so that a server omitting a member loses nothing else.
fn is_required(shape: &Shape, m: &Member) -> bool {
    m.required && shape.in_input
}

fn field_type(s: &Service, shape: &Shape, m: &Member) -> TokenStream {
    let t = rust_type(s, m.target);
    if is_required(shape, m) { t } else { quote!(Option<#t>) }
}

fn serde_attr(shape: &Shape, m: &Member) -> TokenStream {
    let wire = &m.name;
    if is_required(shape, m) {
        quote!(#[serde(rename = #wire)])
    } else {
        quote!(#[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")])
    }
}

fn structure(s: &Service, id: ShapeId, st: &Structure) -> TokenStream {
    let shape = s.shape(id);
    let name = ident(&shape.rust_name);
    let docs = doc_attrs(&shape.docs);
    let plain: Vec<&Member> = st.members.iter().filter(|m| m.one_of_variant.is_none()).collect();
    let fields = plain.iter().map(|m| {
        let f = ident(&m.field);
        let t = field_type(s, shape, m);
        let d = member_docs(s, m);
        let a = serde_attr(shape, m);
        quote! { #d #a pub #f: #t, }
    });
    let one_of_field = st.one_of.as_ref().map(|o| {
        let f = ident(&o.field);
        let t = ident(&o.name);
        let d = doc_attrs(&o.docs);
        quote! { #d #[serde(flatten)] pub #f: #t, }
    });
    let has_required = plain.iter().any(|m| is_required(shape, m)) || st.one_of.is_some();
    let default = (!has_required).then(|| quote!(Default,));
    let constructor = shape.in_input.then(|| constructor(s, shape, st, &plain));
    let validate = shape.in_input.then(|| validate_methods(s, shape, st));
    let one_of = st.one_of.as_ref().map(|o| one_of_enum(s, shape, st, o));
    let is_op_output = s.operations.iter().any(|op| op.output == id);
    let request_id_field = is_op_output.then(|| {
        quote! {
            /// The request id of the answer (not part of the model).
            #[serde(skip)]
            pub(crate) meta_request_id: Option<String>,
        }
    });
    let request_id_method = is_op_output.then(|| {
        quote! {
            impl #name {
                /// The request id the service gave this answer, if it gave one.
                pub fn request_id(&self) -> Option<&str> {
                    self.meta_request_id.as_deref()
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, #default serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #one_of_field
            #request_id_field
        }
        #request_id_method
        #constructor
        #validate
        #one_of
    }
}

fn constructor(s: &Service, shape: &Shape, st: &Structure, plain: &[&Member]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let required: Vec<&&Member> = plain.iter().filter(|m| is_required(shape, m)).collect();
    let mut params: Vec<TokenStream> = required
        .iter()
        .map(|m| {
            let f = ident(&m.field);
            let t = rust_type(s, m.target);
            quote!(#f: impl Into<#t>)
        })
        .collect();
    let mut inits: Vec<TokenStream> = plain
        .iter()
        .map(|m| {
            let f = ident(&m.field);
            if is_required(shape, m) { quote!(#f: #f.into()) } else { quote!(#f: None) }
        })
        .collect();
    if let Some(o) = &st.one_of {
        let f = ident(&o.field);
        let t = ident(&o.name);
        params.push(quote!(#f: #t));
        inits.push(quote!(#f));
    }
    let new = if params.is_empty() {
        quote! {
            /// An input with every member left out.
            pub fn new() -> Self {
                Self::default()
            }
        }
    } else {
        let many = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            /// An input from its required members; set optional ones with the methods below.
            #many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
    };
    let setters = plain.iter().filter(|m| !is_required(shape, m)).map(|m| {
        let f = ident(&m.field);
        let t = rust_type(s, m.target);
        let doc = doc_attrs(&[format!("Sets `{}`.", m.name)]);
        quote! {
            #doc
            pub fn #f(mut self, value: impl Into<#t>) -> Self {
                self.#f = Some(value.into());
                self
            }
        }
    });
    quote! {
        impl #name {
            #new
            #(#setters)*
        }
    }
}

/// Statements checking one member's `value` (a reference) at path `at`, if any are needed.
fn member_check(s: &Service, m: &Member) -> Option<TokenStream> {
    let mut checks = Vec::new();
    let enforced_allowed = m.allowed_values.as_ref().filter(|a| a.enforce);
    if let Some(a) = enforced_allowed {
        let vals = &a.values;
        checks.push(quote! { v.one_of(&at, value.as_str(), &[#(#vals),*]); });
    }
    let target = s.shape(m.target);
    if needs_validation(s, m.target, &mut Vec::new()) {
        match &target.kind {
            ShapeKind::Structure(_) => checks.push(quote! { value.validate_at(v, &at); }),
            // An enforced allowed-values list already checks the enum.
            ShapeKind::Enum { .. } if enforced_allowed.is_some() => {}
            ShapeKind::Integer { .. } | ShapeKind::Long { .. } | ShapeKind::Boolean => {
                let f = validator_fn(target);
                checks.push(quote! { #f(v, &at, *value); });
            }
            _ => {
                let f = validator_fn(target);
                checks.push(quote! { #f(v, &at, value); });
            }
        }
    }
    let wire = &m.name;
    (!checks.is_empty()).then(|| quote! { let at = at.field(#wire); #(#checks)* })
}

fn validate_methods(s: &Service, shape: &Shape, st: &Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    let mut body = Vec::new();
    for m in st.members.iter().filter(|m| m.one_of_variant.is_none()) {
        let f = ident(&m.field);
        let Some(check) = member_check(s, m) else { continue };
        if is_required(shape, m) {
            body.push(quote! { { let value = &self.#f; #check } });
        } else {
            body.push(quote! { if let Some(value) = &self.#f { #check } });
        }
    }
    if let Some(o) = &st.one_of {
        let f = ident(&o.field);
        let enum_name = ident(&o.name);
        let arms: Vec<TokenStream> = o.variants.iter().map(|var| {
            let vname = ident(&var.name);
            let fields: Vec<_> = var.members.iter().map(|&i| ident(&st.members[i].field)).collect();
            let checks: Vec<_> = var
                .members
                .iter()
                .filter_map(|&i| {
                    let m = &st.members[i];
                    let fi = ident(&m.field);
                    member_check(s, m).map(|c| quote! { { let value = #fi; #c } })
                })
                .collect();
            if checks.is_empty() {
                quote! { #enum_name::#vname { .. } => {} }
            } else {
                quote! { #enum_name::#vname { #(#fields),* } => { #(#checks)* } }
            }
        }).collect();
        if o.variants.iter().any(|var| var.members.iter().any(|&i| member_check(s, &st.members[i]).is_some())) {
            body.push(quote! { match &self.#f { #(#arms)* } });
        }
    }
    let (v, at) = if body.is_empty() { (quote!(_v), quote!(_at)) } else { (quote!(v), quote!(at)) };
    quote! {
        impl #name {
            /// Checks every constraint of the model and returns all violations, each
            /// with its field path, or `Ok(())`.
            pub fn validate(&self) -> Result<(), crate::runtime::ValidationError> {
                let mut v = crate::runtime::Validator::new();
                self.validate_at(&mut v, &crate::runtime::FieldPath::root());
                v.finish()
            }

            /// Adds this value's violations, under path `at`, to `v`.
            pub fn validate_at(&self, #v: &mut crate::runtime::Validator, #at: &crate::runtime::FieldPath<'_>) {
                #(#body)*
            }
        }
    }
}

fn one_of_enum(s: &Service, shape: &Shape, st: &Structure, o: &OneOf) -> TokenStream {
    let name = ident(&o.name);
    let docs = doc_attrs(&o.docs);
    let variants = o.variants.iter().map(|var| {
        let vname = ident(&var.name);
        let d = doc_attrs(&var.docs);
        let fields = var.members.iter().map(|&i| {
            let m = &st.members[i];
            let f = ident(&m.field);
            let t = rust_type(s, m.target);
            let md = member_docs(s, m);
            let wire = &m.name;
            quote! { #md #[serde(rename = #wire)] #f: #t }
        });
        quote! { #d #vname { #(#fields),* } }
    });
    let constructors = o.variants.iter().map(|var| {
        let vname = ident(&var.name);
        let fname = ident(&snake(&var.name));
        let params = var.members.iter().map(|&i| {
            let m = &st.members[i];
            let f = ident(&m.field);
            let t = rust_type(s, m.target);
            quote!(#f: impl Into<#t>)
        });
        let inits = var.members.iter().map(|&i| {
            let f = ident(&st.members[i].field);
            quote!(#f: #f.into())
        });
        let d = doc_attrs(&[format!("The `{}` variant.", var.name)]);
        quote! {
            #d
            pub fn #fname(#(#params),*) -> Self {
                Self::#vname { #(#inits),* }
            }
        }
    });
    let _ = shape;
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants),*
        }
        impl #name {
            #(#constructors)*
        }
    }
}

fn enumeration(shape: &Shape) -> TokenStream {
    let ShapeKind::Enum { values, .. } = &shape.kind else { return quote!() };
    let name = ident(&shape.rust_name);
    let docs = doc_attrs(&shape.docs);
    let variants = values.iter().map(|v| {
        let vname = ident(&v.variant);
        let mut paragraphs = v.docs.clone();
        paragraphs.push(format!("Wire value: `{}`.", v.value));
        let d = doc_attrs(&paragraphs);
        quote! { #d #vname, }
    });
    let wire: Vec<&String> = values.iter().map(|v| &v.value).collect();
    let vnames: Vec<_> = values.iter().map(|v| ident(&v.variant)).collect();
    quote! {
        #docs
        ///
        /// Open: a value this model does not list is kept as [`Self::Unknown`] and
        /// sent back unchanged.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this model does not list, kept exactly as received.
            Unknown(crate::runtime::UnknownValue),
        }

        impl #name {
            /// Every value the model lists, as sent on the wire.
            pub const VALUES: &'static [&'static str] = &[#(#wire),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#vnames => #wire,)*
                    Self::Unknown(v) => v.as_str(),
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wire => Self::#vnames,)*
                    other => Self::Unknown(crate::runtime::UnknownValue::new(other)),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value: std::borrow::Cow<'de, str> = serde::Deserialize::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}

/// `validate_<shape>(v, at, value)` for a constrained value shape used by inputs.
fn value_validator(s: &Service, shape: &Shape) -> TokenStream {
    let f = validator_fn(shape);
    let doc = doc_attrs(&[format!("Checks a `{}` value.", shape.name)]);
    match &shape.kind {
        ShapeKind::String { length, pattern } => {
            let mut checks = Vec::new();
            if let Some(l) = length.filter(|l| l.enforce) {
                let (min, max) = (opt_u64(l.min), opt_u64(l.max));
                checks.push(quote! { v.str_length(at, value, #min, #max); });
            }
            let mut statics = quote!();
            if let Some((p, a)) = pattern.as_ref().and_then(|p| Some((p, p.automaton.as_ref()?))) {
                let st = format_ident!("{}_PATTERN", shape.snake_name.to_uppercase());
                let doc = doc_attrs(&[format!(
                    "`{}`: the automaton of `{}` (made by the generator, see codegen/src/automaton.rs).",
                    p.ecma, p.rust
                )]);
                let ecma = &p.ecma;
                let classes = Literal::byte_string(&a.classes[..]);
                let stride = Literal::usize_unsuffixed(a.stride);
                let next = Literal::byte_string(&a.next_bytes());
                let kinds = Literal::byte_string(&a.kinds);
                statics = quote! {
                    #doc
                    static #st: crate::runtime::Pattern = crate::runtime::Pattern::new(
                        #ecma,
                        crate::runtime::Automaton::new(#classes, #stride, #next, #kinds),
                    );
                };
                checks.push(quote! { v.pattern(at, value, &#st); });
            }
            quote! {
                #statics
                #doc
                fn #f(v: &mut crate::runtime::Validator, at: &crate::runtime::FieldPath<'_>, value: &str) {
                    #(#checks)*
                }
            }
        }
        ShapeKind::Integer { range } | ShapeKind::Long { range } => {
            let t = if matches!(shape.kind, ShapeKind::Integer { .. }) { quote!(i32) } else { quote!(i64) };
            let r = range.unwrap_or(crate::ir::Range { min: None, max: None, enforce: false });
            let (min, max) = (opt_i64(r.min), opt_i64(r.max));
            quote! {
                #doc
                fn #f(v: &mut crate::runtime::Validator, at: &crate::runtime::FieldPath<'_>, value: #t) {
                    v.range(at, i64::from(value), #min, #max);
                }
            }
        }
        ShapeKind::Enum { .. } => {
            let t = ident(&shape.rust_name);
            quote! {
                #doc
                fn #f(v: &mut crate::runtime::Validator, at: &crate::runtime::FieldPath<'_>, value: &#t) {
                    v.one_of(at, value.as_str(), #t::VALUES);
                }
            }
        }
        ShapeKind::List { member, length } => {
            let t = rust_type(s, *member);
            let len = length.filter(|l| l.enforce).map(|l| {
                let (min, max) = (opt_u64(l.min), opt_u64(l.max));
                quote! { v.count_length(at, value.len(), "elements", #min, #max); }
            });
            let each = element_check(s, *member, quote!(item), quote!(at.index(i)));
            let each = each.map(|c| quote! { for (i, item) in value.iter().enumerate() { #c } });
            quote! {
                #doc
                fn #f(v: &mut crate::runtime::Validator, at: &crate::runtime::FieldPath<'_>, value: &[#t]) {
                    #len
                    #each
                }
            }
        }
        ShapeKind::Map { key, value: val, length } => {
            let (kt, vt) = (rust_type(s, *key), rust_type(s, *val));
            let len = length.filter(|l| l.enforce).map(|l| {
                let (min, max) = (opt_u64(l.min), opt_u64(l.max));
                quote! { v.count_length(at, value.len(), "entries", #min, #max); }
            });
            let kc = element_check(s, *key, quote!(k), quote!(at.key(k.as_ref())));
            let vc = element_check(s, *val, quote!(item), quote!(at.key(k.as_ref())));
            let each = (kc.is_some() || vc.is_some()).then(|| quote! { for (k, item) in value { #kc #vc } });
            quote! {
                #doc
                fn #f(v: &mut crate::runtime::Validator, at: &crate::runtime::FieldPath<'_>, value: &std::collections::BTreeMap<#kt, #vt>) {
                    #len
                    #each
                }
            }
        }
        _ => quote!(),
    }
}

/// Validation of a list element or map entry, if its shape needs any.
fn element_check(s: &Service, id: ShapeId, value: TokenStream, at: TokenStream) -> Option<TokenStream> {
    if !needs_validation(s, id, &mut Vec::new()) {
        return None;
    }
    let shape = s.shape(id);
    let call = match &shape.kind {
        ShapeKind::Structure(_) => quote! { #value.validate_at(v, &at); },
        ShapeKind::Integer { .. } | ShapeKind::Long { .. } => {
            let f = validator_fn(shape);
            quote! { #f(v, &at, *#value); }
        }
        _ => {
            let f = validator_fn(shape);
            quote! { #f(v, &at, #value); }
        }
    };
    Some(quote! { { let at = #at; #call } })
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    }
}

fn opt_i64(v: Option<i64>) -> TokenStream {
    match v {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    }
}

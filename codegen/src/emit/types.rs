//! Structures, unions, enums and validators.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::{self, deprecated_attr, doc_attrs};
use super::{gate, gated, member_type, rust_type, serde_derive};
use crate::ir::{Bound, LengthUnit, Member, NumberKind, OneOf, Presence, Rule, Service, Shape, ShapeId, ShapeKind, Structure};
use crate::naming::ident;

pub fn emit(s: &Service) -> TokenStream {
    // Each validator with the operations whose input checks call it (its gate).
    let mut validators: BTreeMap<ShapeId, BTreeSet<usize>> = BTreeMap::new();
    for (index, op) in s.operations.iter().enumerate() {
        let mut used = BTreeSet::new();
        used_validators(s, op.input, &mut used, &mut BTreeSet::new());
        for id in used {
            validators.entry(id).or_default().insert(index);
        }
    }
    let mut items = Vec::new();
    for (id, shape) in s.shapes.iter().enumerate() {
        if !(shape.in_input() || shape.in_output()) {
            continue;
        }
        let item = match &shape.kind {
            ShapeKind::Structure(st) if st.error.is_none() => structure(s, id, st),
            ShapeKind::Union(u) => union(s, id, u),
            ShapeKind::Enum { .. } => enumeration(s, shape),
            ShapeKind::IntEnum { .. } => int_enumeration(s, shape),
            _ => TokenStream::new(),
        };
        items.push(gated(&gate(s, shape.operations()), item));
        if let Some(ops) = validators.get(&id) {
            items.push(gated(&gate(s, ops.iter().copied()), value_validator(s, id, shape)));
        }
    }
    items.extend(pattern_statics(s, &validators));
    quote! {
        #(#items)*
    }
}

/// The shapes whose `validate_<shape>` function some check calls, starting from `id`.
fn used_validators(s: &Service, id: ShapeId, used: &mut BTreeSet<ShapeId>, seen: &mut BTreeSet<ShapeId>) {
    if !seen.insert(id) || !needs_validation(s, id, &mut Vec::new()) {
        return;
    }
    match &s.shape(id).kind {
        ShapeKind::Structure(st) | ShapeKind::Union(st) => {
            for m in &st.members {
                if !narrows_enum(m) {
                    used_validators(s, m.target, used, seen);
                }
            }
        }
        ShapeKind::List { member, .. } => {
            used.insert(id);
            used_validators(s, *member, used, seen);
        }
        ShapeKind::Map { key, value, .. } => {
            used.insert(id);
            used_validators(s, *key, used, seen);
            used_validators(s, *value, used, seen);
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
    let shape = s.shape(id);
    shape.enforced().next().is_some()
        || match &shape.kind {
            ShapeKind::List { member, .. } => needs_validation(s, *member, seen),
            ShapeKind::Map { key, value, .. } => needs_validation(s, *key, seen) || needs_validation(s, *value, seen),
            ShapeKind::Structure(st) | ShapeKind::Union(st) => st.members.iter().any(|m| member_needs_validation(s, m, seen)),
            _ => false,
        }
}

fn member_needs_validation(s: &Service, m: &Member, seen: &mut Vec<ShapeId>) -> bool {
    m.constraints.iter().any(|c| c.enforce) || needs_validation(s, m.target, seen)
}

/// A member's enforced list of allowed values replaces its enum's own check (it is a subset).
fn narrows_enum(m: &Member) -> bool {
    m.constraints.iter().any(|c| c.enforce && matches!(c.rule, Rule::OneOf(_)))
}

fn validator_fn(shape: &Shape) -> proc_macro2::Ident {
    ident(&shape.names.validate)
}

/// The docs of a member: its own text, then the constraints of its value.
fn member_docs(s: &Service, m: &Member) -> TokenStream {
    let mut paragraphs = docs::member_docs(s, m);
    if m.idempotency_token {
        paragraphs.push("Left unset, a fresh UUID v4 is sent (an idempotency token).".into());
    }
    let required = if m.required { ", required" } else { "" };
    paragraphs.push(format!("Wire name: `{}`{required}.", m.wire_name));
    let docs = doc_attrs(&paragraphs);
    let deprecated = deprecated_attr(m.deprecated.as_ref());
    quote! { #docs #deprecated }
}

fn serde_attr(m: &Member) -> TokenStream {
    let key = &m.name;
    match m.presence {
        Presence::Required => quote!(#[cfg_attr(feature = "serde", serde(rename = #key))]),
        Presence::Optional => {
            quote!(#[cfg_attr(feature = "serde", serde(rename = #key, default, skip_serializing_if = "Option::is_none"))])
        }
    }
}

/// Whether a member's value is a secret, by its own trait or its shape's.
pub fn is_sensitive(s: &Service, m: &Member) -> bool {
    m.sensitive || s.shape(m.target).sensitive
}

/// `Debug` written out when some field is sensitive: those print `** redacted **`.
fn debug_impl(s: &Service, name: &proc_macro2::Ident, shown: &str, members: &[&Member], extra: &[&str]) -> TokenStream {
    let fields = members.iter().map(|m| {
        let f = ident(&m.field);
        let label = m.field.trim_start_matches("r#");
        if is_sensitive(s, m) {
            quote! { .field(#label, &"** redacted **") }
        } else {
            quote! { .field(#label, &self.#f) }
        }
    });
    let extra = extra.iter().map(|e| {
        let f = ident(e);
        quote! { .field(#e, &self.#f) }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#shown) #(#fields)* #(#extra)* .finish()
            }
        }
    }
}

fn structure(s: &Service, id: ShapeId, st: &Structure) -> TokenStream {
    let shape = s.shape(id);
    let name = ident(&shape.rust_name);
    let docs = doc_attrs(&docs::shape_docs(s, shape));
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let plain: Vec<&Member> = st.members.iter().filter(|m| m.one_of_variant.is_none()).collect();
    let fields = plain.iter().map(|m| {
        let f = ident(&m.field);
        let t = member_type(s, m);
        let d = member_docs(s, m);
        let a = serde_attr(m);
        quote! { #d #a pub #f: #t, }
    });
    let one_of_field = st.one_of.as_ref().map(|o| {
        let f = ident(&o.field);
        let t = ident(&o.name);
        let d = doc_attrs(&o.docs);
        quote! { #d #[cfg_attr(feature = "serde", serde(flatten))] pub #f: #t, }
    });
    let has_required = plain.iter().any(|m| m.presence == Presence::Required) || st.one_of.is_some();
    let default = (!has_required).then(|| quote!(Default,));
    let eq = shape.eq.then(|| quote!(Eq,));
    let sensitive = plain.iter().any(|m| is_sensitive(s, m));
    let debug = (!sensitive).then(|| quote!(Debug,));
    let is_op_output = s.operations.iter().any(|op| op.output == id);
    let mut extra = Vec::new();
    if st.one_of.is_some() {
        extra.push(st.one_of.as_ref().map_or("", |o| o.field.as_str()));
    }
    let debug_impl = sensitive.then(|| debug_impl(s, &name, &shape.rust_name, &plain, &extra));
    let constructor = shape.in_input().then(|| constructor(s, id, st, &plain));
    let validate = shape.in_input().then(|| input_gated(s, shape, validate_methods(s, shape, st)));
    let one_of = st.one_of.as_ref().map(|o| one_of_enum(s, st, o));
    let request_id_field = is_op_output.then(|| {
        quote! {
            /// The request id of the answer (not part of the model).
            #[cfg_attr(feature = "serde", serde(skip))]
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
    let serde = serde_derive();
    quote! {
        #docs
        #deprecated
        #[derive(#debug Clone, PartialEq, #eq #default)]
        #serde
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #one_of_field
            #request_id_field
        }
        #debug_impl
        #request_id_method
        #constructor
        #validate
        #one_of
    }
}

fn union(s: &Service, id: ShapeId, u: &Structure) -> TokenStream {
    let shape = s.shape(id);
    let name = ident(&shape.rust_name);
    let docs = doc_attrs(&docs::shape_docs(s, shape));
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let eq = shape.eq.then(|| quote!(Eq,));
    let variants = u.members.iter().map(|m| {
        let v = ident(&m.variant);
        let t = rust_type(s, m.target);
        let t = if m.boxed { quote!(Box<#t>) } else { t };
        let d = member_docs(s, m);
        let key = &m.name;
        quote! { #d #[cfg_attr(feature = "serde", serde(rename = #key))] #v(#t), }
    });
    let validate = shape.in_input().then(|| {
        input_gated(s, shape, union_validate(s, shape, u))
    });
    let serde = serde_derive();
    quote! {
        #docs
        #deprecated
        ///
        /// Exactly one member is set. A member this model does not list arrives as
        /// [`Self::Unknown`] with its name, instead of failing the whole answer.
        #[derive(Debug, Clone, PartialEq, #eq)]
        #serde
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A member the model does not list, by its name on the wire.
            #[cfg_attr(feature = "serde", serde(skip))]
            Unknown(String),
        }
        #validate
    }
}

/// A union's `validate` methods.
fn union_validate(s: &Service, shape: &Shape, u: &Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    {
        let arms = u.members.iter().filter_map(|m| {
            let v = ident(&m.variant);
            let check = member_check(s, m)?;
            Some((v, check))
        });
        let arms: Vec<_> = arms.collect();
        let (v, at, body) = match arms.as_slice() {
            [] => (quote!(_v), quote!(_at), quote!()),
            // Unions always have `Unknown`, so one checked variant is an `if let`.
            [(variant, check)] => (quote!(v), quote!(at), quote! { if let Self::#variant(value) = self { #check } }),
            _ => {
                let arms = arms.iter().map(|(variant, check)| quote! { Self::#variant(value) => { #check } });
                (quote!(v), quote!(at), quote! { match self { #(#arms)* _ => {} } })
            }
        };
        quote! {
            impl #name {
                /// Checks every constraint of the model on the variant that is set.
                pub fn validate(&self) -> Result<(), crate::runtime::ValidationError> {
                    let mut v = crate::runtime::Validator::new();
                    self.validate_at(&mut v, &crate::runtime::FieldPath::root());
                    v.finish()
                }

                /// Adds this value's violations, under path `at`, to `v`.
                pub fn validate_at(&self, #v: &mut crate::runtime::Validator, #at: &crate::runtime::FieldPath<'_>) {
                    #body
                }
            }
        }
    }
}

/// A shape's `validate` methods call validators that only its input
/// operations compile: they get those operations' gate, where the caller puts
/// the type's (wider) one only when it says something (the type's own gate
/// then holds a superset, which is implied).
fn input_gated(s: &Service, shape: &Shape, tokens: TokenStream) -> TokenStream {
    if shape.input_ops.len() == shape.operations().len() {
        return tokens;
    }
    gated(&gate(s, shape.input_ops.iter().copied()), tokens)
}

fn constructor(s: &Service, id: ShapeId, st: &Structure, plain: &[&Member]) -> TokenStream {
    let shape = s.shape(id);
    let name = ident(&shape.rust_name);
    let required: Vec<&&Member> = plain.iter().filter(|m| m.presence == Presence::Required).collect();
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
            match (m.presence, m.boxed) {
                (Presence::Required, false) => quote!(#f: #f.into()),
                (Presence::Required, true) => quote!(#f: Box::new(#f.into())),
                (Presence::Optional, _) => quote!(#f: None),
            }
        })
        .collect();
    if let Some(o) = &st.one_of {
        let f = ident(&o.field);
        let t = ident(&o.name);
        params.push(quote!(#f: #t));
        inits.push(quote!(#f));
    }
    if s.operations.iter().any(|op| op.output == id) {
        inits.push(quote!(meta_request_id: None));
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
    let setters = plain.iter().filter(|m| m.presence == Presence::Optional).map(|m| {
        let f = ident(&m.field);
        let t = rust_type(s, m.target);
        let doc = doc_attrs(&[format!("Sets `{}`.", m.name)]);
        let deprecated = deprecated_attr(m.deprecated.as_ref());
        let value = if m.boxed { quote!(Box::new(value.into())) } else { quote!(value.into()) };
        quote! {
            #doc
            #deprecated
            pub fn #f(mut self, value: impl Into<#t>) -> Self {
                self.#f = Some(#value);
                self
            }
        }
    });
    let allow = any_deprecated(plain).then(|| quote!(#[allow(deprecated)]));
    quote! {
        #allow
        impl #name {
            #new
            #(#setters)*
        }
    }
}

fn any_deprecated(members: &[&Member]) -> bool {
    members.iter().any(|m| m.deprecated.is_some())
}

/// Statements checking one member's `value` (a reference) at path `at`, if any are needed.
fn member_check(s: &Service, m: &Member) -> Option<TokenStream> {
    let mut checks: Vec<TokenStream> =
        m.constraints.iter().filter(|c| c.enforce).map(|c| rule_check(s, m.target, &c.rule, quote!(&at))).collect();
    let target = s.shape(m.target);
    if needs_validation(s, m.target, &mut Vec::new()) && !(narrows_enum(m) && matches!(target.kind, ShapeKind::Enum { .. })) {
        match &target.kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) => checks.push(quote! { value.validate_at(v, &at); }),
            ShapeKind::Number { .. } | ShapeKind::Boolean => {
                let f = validator_fn(target);
                checks.push(quote! { #f(v, &at, *value); });
            }
            _ => {
                let f = validator_fn(target);
                checks.push(quote! { #f(v, &at, value); });
            }
        }
    }
    let key = &m.name;
    (!checks.is_empty()).then(|| quote! { let at = at.field(#key); #(#checks)* })
}

fn validate_methods(s: &Service, shape: &Shape, st: &Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    let mut body = Vec::new();
    for m in st.members.iter().filter(|m| m.one_of_variant.is_none()) {
        let f = ident(&m.field);
        let Some(check) = member_check(s, m) else { continue };
        match m.presence {
            Presence::Required => body.push(quote! { { let value = &self.#f; #check } }),
            Presence::Optional => body.push(quote! { if let Some(value) = &self.#f { #check } }),
        }
    }
    if let Some(o) = &st.one_of {
        let f = ident(&o.field);
        let enum_name = ident(&o.name);
        let arms: Vec<TokenStream> = o
            .variants
            .iter()
            .map(|var| {
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
            })
            .collect();
        if o.variants.iter().any(|var| var.members.iter().any(|&i| member_check(s, &st.members[i]).is_some())) {
            body.push(quote! { match &self.#f { #(#arms)* } });
        }
    }
    let (v, at) = if body.is_empty() { (quote!(_v), quote!(_at)) } else { (quote!(v), quote!(at)) };
    let plain: Vec<&Member> = st.members.iter().collect();
    let allow = any_deprecated(&plain).then(|| quote!(#[allow(deprecated)]));
    quote! {
        #allow
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

fn one_of_enum(s: &Service, st: &Structure, o: &OneOf) -> TokenStream {
    let name = ident(&o.name);
    let mut paragraphs = o.docs.clone();
    paragraphs.extend(docs::provenance(s, &o.provenance, None));
    let docs = doc_attrs(&paragraphs);
    let variants = o.variants.iter().map(|var| {
        let vname = ident(&var.name);
        let d = doc_attrs(&var.docs);
        let fields = var.members.iter().map(|&i| {
            let m = &st.members[i];
            let f = ident(&m.field);
            let t = rust_type(s, m.target);
            let md = member_docs(s, m);
            let key = &m.name;
            quote! { #md #[cfg_attr(feature = "serde", serde(rename = #key))] #f: #t }
        });
        quote! { #d #vname { #(#fields),* } }
    });
    let constructors = o.variants.iter().map(|var| {
        let vname = ident(&var.name);
        let fname = ident(&var.constructor);
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
    let eq = o.variants.iter().all(|var| var.members.iter().all(|&i| s.shape(st.members[i].target).eq)).then(|| quote!(Eq,));
    let serde = serde_derive();
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #eq)]
        #serde
        #[cfg_attr(feature = "serde", serde(untagged))]
        pub enum #name {
            #(#variants),*
        }
        impl #name {
            #(#constructors)*
        }
    }
}

/// An enum variant, documented with its wire value.
fn variant(name: &str, docs: &[String], wire: &dyn std::fmt::Display) -> TokenStream {
    let vname = ident(name);
    let mut paragraphs = docs.to_vec();
    paragraphs.push(format!("Wire value: `{wire}`."));
    let d = doc_attrs(&paragraphs);
    quote! { #d #vname, }
}

fn enumeration(s: &Service, shape: &Shape) -> TokenStream {
    let ShapeKind::Enum { values, .. } = &shape.kind else { return quote!() };
    let name = ident(&shape.rust_name);
    let docs = doc_attrs(&docs::shape_docs(s, shape));
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let variants = values.iter().map(|v| variant(&v.variant, &v.docs, &v.value));
    let wire: Vec<&String> = values.iter().map(|v| &v.value).collect();
    let vnames: Vec<_> = values.iter().map(|v| ident(&v.variant)).collect();
    quote! {
        #docs
        #deprecated
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

        #[cfg(feature = "serde")]
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value: std::borrow::Cow<'de, str> = serde::Deserialize::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}

fn int_enumeration(s: &Service, shape: &Shape) -> TokenStream {
    let ShapeKind::IntEnum { values, .. } = &shape.kind else { return quote!() };
    let name = ident(&shape.rust_name);
    let docs = doc_attrs(&docs::shape_docs(s, shape));
    let deprecated = deprecated_attr(shape.deprecated.as_ref());
    let variants = values.iter().map(|v| variant(&v.variant, &v.docs, &v.value));
    let wire: Vec<Literal> = values.iter().map(|v| Literal::i32_unsuffixed(v.value)).collect();
    let vnames: Vec<_> = values.iter().map(|v| ident(&v.variant)).collect();
    quote! {
        #docs
        #deprecated
        ///
        /// Open: a value this model does not list is kept as [`Self::Unknown`] and
        /// sent back unchanged.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this model does not list, kept exactly as received.
            Unknown(i32),
        }

        impl #name {
            /// Every value the model lists, as sent on the wire.
            pub const VALUES: &'static [i32] = &[#(#wire),*];

            /// The value as sent on the wire.
            pub fn value(&self) -> i32 {
                match self {
                    #(Self::#vnames => #wire,)*
                    Self::Unknown(v) => *v,
                }
            }
        }

        impl From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#wire => Self::#vnames,)*
                    other => Self::Unknown(other),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i32(self.value())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value: i32 = serde::Deserialize::deserialize(deserializer)?;
                Ok(Self::from(value))
            }
        }
    }
}

fn bound_tokens(b: Option<Bound>, float: bool) -> TokenStream {
    match b {
        None => quote!(None),
        Some(Bound::Int(i)) if float => {
            let x = Literal::f64_suffixed(i as f64);
            quote!(Some(#x))
        }
        Some(Bound::Int(i)) => quote!(Some(#i)),
        Some(Bound::Float(x)) => {
            let x = Literal::f64_suffixed(x);
            quote!(Some(#x))
        }
    }
}

/// The automaton of each enforced pattern the validators use, once per
/// pattern (shapes with the same pattern share one static).
fn pattern_statics(s: &Service, validators: &BTreeMap<ShapeId, BTreeSet<usize>>) -> Vec<TokenStream> {
    // Each static with the operations of the validators that use it, in the order first used.
    let mut users: Vec<(&crate::ir::Pattern, &crate::automaton::Automaton, BTreeSet<usize>)> = Vec::new();
    for (&id, ops) in validators {
        let Some(p) = s.shape(id).pattern() else { continue };
        let Some(a) = &p.automaton else { continue };
        match users.iter_mut().find(|(q, _, _)| q.static_name == p.static_name) {
            Some((_, _, all)) => all.extend(ops),
            None => users.push((p, a, ops.clone())),
        }
    }
    let mut statics = Vec::new();
    for (p, a, ops) in users {
        let st = ident(&p.static_name);
        let doc = doc_attrs(&[format!(
            "`{}`: the automaton of `{}` (made by the generator, see codegen/src/automaton.rs).",
            p.ecma, p.rust
        )]);
        let ecma = &p.ecma;
        let classes = Literal::byte_string(&a.classes[..]);
        let stride = Literal::usize_unsuffixed(a.stride);
        let next = Literal::byte_string(&a.next_bytes());
        let kinds = Literal::byte_string(&a.kinds);
        let automaton = quote!(crate::runtime::Automaton::new(#classes, #stride, #next, #kinds));
        let automaton = if a.anchored { quote!(#automaton.anchored()) } else { automaton };
        let gate = gate(s, ops);
        statics.push(quote! {
            #doc
            #gate
            static #st: crate::runtime::Pattern = crate::runtime::Pattern::new(#ecma, #automaton);
        });
    }
    statics
}

/// `validate_<shape>(v, at, value)` for a constrained value shape used by
/// inputs: one check per enforced constraint, then a list's elements or a map's entries.
fn value_validator(s: &Service, id: ShapeId, shape: &Shape) -> TokenStream {
    let f = validator_fn(shape);
    let doc = doc_attrs(&[format!("Checks a `{}` value.", shape.name)]);
    let t = rust_type(s, id);
    let (value, each) = match &shape.kind {
        ShapeKind::String => (quote!(&str), None),
        ShapeKind::Blob | ShapeKind::Enum { .. } | ShapeKind::IntEnum { .. } => (quote!(&#t), None),
        ShapeKind::Number { .. } => (t, None),
        ShapeKind::List { member, .. } => {
            let e = rust_type(s, *member);
            let each = element_check(s, *member, quote!(item), quote!(at.index(i)));
            (quote!(&[#e]), each.map(|c| quote! { for (i, item) in value.iter().enumerate() { #c } }))
        }
        ShapeKind::Map { key, value: val, .. } => {
            let kc = element_check(s, *key, quote!(k), quote!(at.key(k.as_ref())));
            let vc = element_check(s, *val, quote!(item), quote!(at.key(k.as_ref())));
            let each = match (&kc, &vc) {
                (None, None) => None,
                (Some(_), None) => Some(quote! { for k in value.keys() { #kc } }),
                _ => Some(quote! { for (k, item) in value { #kc #vc } }),
            };
            (quote!(&#t), each)
        }
        _ => return quote!(),
    };
    let checks = shape.enforced().map(|c| rule_check(s, id, &c.rule, quote!(at)));
    quote! {
        #doc
        fn #f(v: &mut crate::runtime::Validator, at: &crate::runtime::FieldPath<'_>, value: #value) {
            #(#checks)*
            #each
        }
    }
}

/// The `Validator` call of one rule on `value` (a value of shape `id`) at `at`:
/// each rule maps to one check of the runtime.
fn rule_check(s: &Service, id: ShapeId, rule: &Rule, at: TokenStream) -> TokenStream {
    let shape = s.shape(id);
    match rule {
        Rule::Length { min, max, unit } => {
            let (min, max) = (opt_u64(*min), opt_u64(*max));
            match unit {
                LengthUnit::Characters => quote! { v.str_length(#at, value, #min, #max); },
                _ => {
                    let unit = unit.as_str();
                    quote! { v.count_length(#at, value.len(), #unit, #min, #max); }
                }
            }
        }
        Rule::Pattern(p) => {
            let st = ident(&p.static_name);
            quote! { v.pattern(#at, value, &#st); }
        }
        Rule::Range { min, max } => {
            let ShapeKind::Number { kind } = &shape.kind else { return quote!() };
            let widened = match kind {
                NumberKind::Long | NumberKind::Double => quote!(value),
                NumberKind::Float => quote!(f64::from(value)),
                _ => quote!(i64::from(value)),
            };
            if kind.is_float() {
                let (min, max) = (bound_tokens(*min, true), bound_tokens(*max, true));
                quote! { v.float_range(#at, #widened, #min, #max); }
            } else {
                let (min, max) = (bound_tokens(*min, false), bound_tokens(*max, false));
                quote! { v.range(#at, #widened, #min, #max); }
            }
        }
        Rule::OneOf(values) => {
            let t = ident(&shape.rust_name);
            let all = matches!(&shape.kind, ShapeKind::Enum { values: all } if all.iter().map(|v| &v.value).eq(values.iter()));
            if all {
                quote! { v.one_of(#at, value.as_str(), #t::VALUES); }
            } else {
                quote! { v.one_of(#at, value.as_str(), &[#(#values),*]); }
            }
        }
        Rule::IntOneOf(_) => {
            let t = ident(&shape.rust_name);
            quote! { v.int_one_of(#at, value.value(), #t::VALUES); }
        }
    }
}

/// Validation of a list element or map entry, if its shape needs any.
fn element_check(s: &Service, id: ShapeId, value: TokenStream, at: TokenStream) -> Option<TokenStream> {
    if !needs_validation(s, id, &mut Vec::new()) {
        return None;
    }
    let shape = s.shape(id);
    let call = match &shape.kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => quote! { #value.validate_at(v, &at); },
        ShapeKind::Number { .. } => {
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

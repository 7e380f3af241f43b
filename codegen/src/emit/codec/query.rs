//! awsQuery bodies: form writers for what inputs reach (`Name.member.1=…`, as
//! botocore writes them) and XML readers for what outputs and errors reach.

use proc_macro2::TokenStream;
use quote::quote;

use super::json::local;
use super::{Direction, ValueRead, body_timestamp_format, demanded, gated_codec, scalar_from_text, scalar_str};
use crate::ir::{Member, Presence, Service, ShapeId, ShapeKind, TimestampFormat};
use crate::naming::ident;

pub(super) fn form_fn(s: &Service, id: ShapeId) -> proc_macro2::Ident {
    ident(&s.shape(id).names.form_writer)
}

pub(super) fn xml_fn(s: &Service, id: ShapeId) -> proc_macro2::Ident {
    ident(&s.shape(id).names.xml_reader)
}

fn xml_entry_fn(s: &Service, id: ShapeId) -> proc_macro2::Ident {
    ident(&s.shape(id).names.xml_entry_reader)
}

pub(super) fn codecs(s: &Service) -> TokenStream {
    // Lists and maps are written inline (their keys depend on the member); structures and unions get a function.
    let writers = demanded(s, Direction::Write, true)
        .into_iter()
        .filter(|(id, _)| matches!(s.shape(*id).kind, ShapeKind::Structure(_) | ShapeKind::Union(_)))
        .map(|d| gated_codec(d, s, form_writer));
    let readers = demanded(s, Direction::Read, true).into_iter().map(|d| gated_codec(d, s, xml_reader));
    quote! { #(#writers)* #(#readers)* }
}

/// Where a form value goes: a member's key, the structure's `prefix` (a `&str`
/// variable) then the wire name, written as it stands so that no key is built
/// for a scalar; or a key already built (a `String` variable, as list items
/// and map entries have).
enum Key {
    Member(String),
    Built(TokenStream),
}

impl Key {
    /// The key as a `String` expression.
    fn built(&self) -> TokenStream {
        match self {
            Key::Member(wire) => quote!(crate::runtime::protocol::aws_query::key(prefix, #wire)),
            Key::Built(key) => quote!(#key),
        }
    }

    /// The prefix of what is under the key (the key and a dot), as a `String` expression.
    fn nested(&self) -> TokenStream {
        match self {
            Key::Member(wire) => {
                let nested = format!("{wire}.");
                quote!(crate::runtime::protocol::aws_query::key(prefix, #nested))
            }
            Key::Built(key) => quote!(crate::runtime::protocol::aws_query::key(&#key, ".")),
        }
    }
}

/// Writes `value` (`&T` of shape `id`) under `key`.
fn form_value(s: &Service, id: ShapeId, value: TokenStream, key: Key, flattened: bool, format: TimestampFormat) -> TokenStream {
    match &s.shape(id).kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let f = form_fn(s, id);
            let nested = key.nested();
            quote! { #f(form, &#nested, #value); }
        }
        ShapeKind::List { member, member_name, flattened: shape_flat, .. } => {
            let name = match member_name {
                Some(n) => quote!(Some(#n)),
                None => quote!(None),
            };
            let flat = flattened || *shape_flat;
            let inner_flat = matches!(s.shape(*member).kind, ShapeKind::List { flattened: true, .. });
            let key_var = Key::Built(quote!(key));
            let inner = form_value(s, *member, quote!(item), key_var, inner_flat, body_timestamp_format(s, *member));
            let base = key.built();
            quote! {
                let base = #base;
                // An empty list is sent as the bare key, as botocore sends it.
                if #value.is_empty() {
                    form.param(&base, "");
                }
                for (i, item) in #value.iter().enumerate() {
                    let key = crate::runtime::protocol::aws_query::list_key(&base, #name, #flat, i + 1);
                    #inner
                }
            }
        }
        ShapeKind::Map { value: v, key_name, value_name, flattened: shape_flat, .. } => {
            let kn = key_name.as_deref().unwrap_or("key");
            let vn = value_name.as_deref().unwrap_or("value");
            let flat = flattened || *shape_flat;
            let value_key = Key::Built(quote!(value_key));
            let vw = form_value(s, *v, quote!(item), value_key, false, body_timestamp_format(s, *v));
            let base = key.built();
            quote! {
                let base = #base;
                for (i, (k, item)) in #value.iter().enumerate() {
                    let (key_key, value_key) = crate::runtime::protocol::aws_query::map_keys(&base, #flat, i + 1, #kn, #vn);
                    form.param(&key_key, k.as_ref());
                    #vw
                }
            }
        }
        _ => {
            let text = scalar_str(s, id, value, format);
            match key {
                Key::Member(wire) => quote! { form.member(prefix, #wire, #text); },
                Key::Built(key) => quote! { form.param(&#key, #text); },
            }
        }
    }
}

fn form_writer(s: &Service, id: ShapeId) -> TokenStream {
    let f = form_fn(s, id);
    let t = ident(&s.shape(id).rust_name);
    let (writes, used): (Vec<TokenStream>, bool) = match &s.shape(id).kind {
        ShapeKind::Structure(st) => {
            let w: Vec<TokenStream> = st.members.iter().map(|m| member_form(s, m)).collect();
            let used = !w.is_empty();
            (w, used)
        }
        ShapeKind::Union(u) => {
            let arms = u.members.iter().map(|m| {
                let variant = ident(&m.variant);
                let key = Key::Member(m.wire_name.clone());
                let write = form_value(s, m.target, quote!(value), key, m.flattened, m.timestamp_format);
                quote! { #t::#variant(value) => { #write } }
            });
            (vec![quote! { match v { #(#arms)* #t::Unknown(_) => {} } }], true)
        }
        _ => return quote!(),
    };
    let (form, prefix, v) = if used { (quote!(form), quote!(prefix), quote!(v)) } else { (quote!(_form), quote!(_prefix), quote!(_v)) };
    quote! {
        fn #f(#form: &mut crate::runtime::protocol::aws_query::FormWriter, #prefix: &str, #v: &#t) {
            #(#writes)*
        }
    }
}

/// Braces in a wire name, doubled for `format!`.
fn member_form(s: &Service, m: &Member) -> TokenStream {
    let f = ident(&m.field);
    let key = Key::Member(m.wire_name.clone());
    let write = form_value(s, m.target, quote!(value), key, m.flattened, m.timestamp_format);
    if m.idempotency_token {
        return quote! {
            {
                let token = v.#f.clone().unwrap_or_else(crate::runtime::http::idempotency_token);
                let value = &token;
                #write
            }
        };
    }
    match m.presence {
        Presence::Required => quote! { { let value = &v.#f; #write } },
        Presence::Optional => quote! { if let Some(value) = &v.#f { #write } },
    }
}

/// Reads a value of shape `id` from the element `node` (an `xml::Element` variable).
pub(super) fn xml_value(s: &Service, id: ShapeId, node: TokenStream, format: TimestampFormat) -> ValueRead {
    ValueRead::Fallible(match &s.shape(id).kind {
        ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::List { .. } | ShapeKind::Map { .. } => {
            let f = xml_fn(s, id);
            quote! { #f(&mut #node) }
        }
        ShapeKind::String => quote! { #node.string() },
        ShapeKind::Enum { .. } => {
            let t = ident(&s.shape(id).rust_name);
            quote! { #node.string().map(#t::from) }
        }
        _ => {
            let parse = scalar_from_text(s, id, quote!(text), format).returned();
            // A `match`, not a closure per member: every scalar member of every reader is one of these.
            quote! { match #node.text() { Ok(text) => { let text: &str = &text; #parse } Err(e) => Err(e) } }
        }
    })
}

/// The element name a member's values carry in a structure, and whether they repeat there.
fn element_name(s: &Service, m: &Member) -> (String, bool) {
    match &s.shape(m.target).kind {
        ShapeKind::List { member_name, flattened, .. } if m.flattened || *flattened => {
            (member_name.clone().unwrap_or_else(|| m.wire_name.clone()), true)
        }
        ShapeKind::Map { flattened, .. } if m.flattened || *flattened => (m.wire_name.clone(), true),
        _ => (m.wire_name.clone(), false),
    }
}

/// How one member is read from a child element: the element's name, the
/// value (`Result<T, String>`) and where it goes.
pub(super) struct Arm {
    name: String,
    value: ValueRead,
    store: Store,
}

/// Where a member's value goes: its local (`Option<T>`, or `Option<Box<T>>`),
/// or, for a member whose elements repeat, an item of its list or an entry of its map.
enum Store {
    Member { local: proc_macro2::Ident, boxed: bool },
    Item(proc_macro2::Ident),
    Entry(proc_macro2::Ident),
}

impl Store {
    /// Stores `v`.
    fn stored(&self) -> TokenStream {
        match self {
            Store::Member { local, boxed: false } => quote! { #local = Some(v); },
            Store::Member { local, boxed: true } => quote! { #local = Some(Box::new(v)); },
            Store::Item(local) => quote! { #local.get_or_insert_with(Vec::new).push(v); },
            Store::Entry(local) => {
                quote! { #local.get_or_insert_with(std::collections::BTreeMap::new).insert(v.0, v.1); }
            }
        }
    }

    /// Stores what `value` read, as a `Result<(), String>` (through a runtime
    /// function compiled once per value type, not inlined once per member).
    fn read_into(&self, value: &ValueRead) -> TokenStream {
        let value = match value {
            ValueRead::Infallible(e) => quote!(Ok::<_, String>(#e)),
            ValueRead::Fallible(e) => e.clone(),
        };
        match self {
            Store::Member { local, boxed: false } => quote! { crate::runtime::protocol::store(#value, &mut #local) },
            Store::Member { local, boxed: true } => {
                quote! { crate::runtime::protocol::store(#value.map(Box::new), &mut #local) }
            }
            Store::Item(local) => quote! { crate::runtime::protocol::push(#value, &mut #local) },
            Store::Entry(_) => {
                let stored = self.stored();
                quote! { match #value { Ok(v) => { #stored Ok(()) } Err(e) => Err(e) } }
            }
        }
    }
}

/// Reads member `m` from the child element `child` into its local.
fn member_read(s: &Service, m: &Member) -> Arm {
    let local = local(m);
    let (name, repeats) = element_name(s, m);
    let (value, store) = match (&s.shape(m.target).kind, repeats) {
        (ShapeKind::List { member, .. }, true) => {
            (xml_value(s, *member, quote!(child), body_timestamp_format(s, *member)), Store::Item(local))
        }
        (ShapeKind::Map { .. }, true) => {
            let entry = xml_entry_fn(s, m.target);
            (ValueRead::Fallible(quote!(#entry(&mut child))), Store::Entry(local))
        }
        _ => (xml_value(s, m.target, quote!(child), m.timestamp_format), Store::Member { local, boxed: m.boxed }),
    };
    Arm { name, value, store }
}

/// Reads each child of an element into the member whose element name it has
/// (others are ignored); `strict` fails on a value that does not parse,
/// otherwise that value is left out.
pub(super) fn dispatch(arms: &[Arm], strict: bool) -> TokenStream {
    let action = |a: &Arm| {
        let store = a.store.stored();
        if strict {
            let value = a.value.tried();
            quote! { let v = #value; #store }
        } else {
            a.value.if_read(&store)
        }
    };
    match arms {
        [] => quote!(),
        [Arm { name, value: ValueRead::Fallible(value), store }] if !strict => {
            let store = store.stored();
            quote! { if child.name() == #name && let Ok(v) = #value { #store } }
        }
        [a] => {
            let (name, act) = (&a.name, action(a));
            quote! { if child.name() == #name { #act } }
        }
        _ if strict => {
            // Each arm gives its failure to one `?` after the `match`: one way out
            // of the reader (and one set of its locals' drops) instead of one per member.
            let names = arms.iter().map(|a| &a.name);
            let index = (0..arms.len()).map(proc_macro2::Literal::usize_unsuffixed);
            let reads = arms.iter().map(|a| a.store.read_into(&a.value));
            quote! {
                let read = match crate::runtime::protocol::member_index(child.name(), &[#(#names),*]) {
                    #(#index => #reads,)*
                    _ => Ok(()),
                };
                read?;
            }
        }
        _ => {
            let names = arms.iter().map(|a| &a.name);
            let index = (0..arms.len()).map(proc_macro2::Literal::usize_unsuffixed);
            let actions = arms.iter().map(action);
            quote! {
                match crate::runtime::protocol::member_index(child.name(), &[#(#names),*]) {
                    #(#index => { #actions })*
                    _ => {}
                }
            }
        }
    }
}

/// The arms reading `members` from the children of an element.
pub(super) fn member_arms(s: &Service, members: &[&Member]) -> Vec<Arm> {
    members.iter().map(|m| member_read(s, m)).collect()
}
fn xml_reader(s: &Service, id: ShapeId) -> TokenStream {
    let shape = s.shape(id);
    let f = xml_fn(s, id);
    let t = super::super::rust_type(s, id);
    let node_t = quote!(&mut crate::runtime::xml::Element<'_, '_>);
    match &shape.kind {
        ShapeKind::Structure(st) => {
            let members: Vec<&Member> = st.members.iter().collect();
            let literal = super::json::struct_literal(s, id, quote!());
            if members.is_empty() {
                // Its children, if any, are skipped by the reader of what holds it.
                return quote! {
                    fn #f(_node: #node_t) -> Result<#t, String> {
                        Ok(#literal)
                    }
                };
            }
            let decls = super::json::locals(&members, |_| true);
            let dispatch = dispatch(&member_arms(s, &members), true);
            quote! {
                fn #f(node: #node_t) -> Result<#t, String> {
                    #decls
                    while let Some(mut child) = node.next_child()? {
                        #dispatch
                    }
                    Ok(#literal)
                }
            }
        }
        ShapeKind::Union(u) => {
            let arms = u.members.iter().map(|m| {
                let name = &m.wire_name;
                let variant = ident(&m.variant);
                let value = xml_value(s, m.target, quote!(child), m.timestamp_format).tried();
                let value = if m.boxed { quote!(Box::new(#value)) } else { value };
                quote! { #name => #t::#variant(#value), }
            });
            // The members after the first are skipped by the reader of what holds it.
            let child = if u.members.is_empty() { quote!(child) } else { quote!(mut child) };
            quote! {
                fn #f(node: #node_t) -> Result<#t, String> {
                    let #child = node.next_child()?.ok_or("a union value has no member set")?;
                    Ok(match child.name() {
                        #(#arms)*
                        other => #t::Unknown(other.to_owned()),
                    })
                }
            }
        }
        ShapeKind::List { member, .. } => {
            let item = xml_value(s, *member, quote!(item), body_timestamp_format(s, *member)).tried();
            quote! {
                fn #f(node: #node_t) -> Result<#t, String> {
                    let mut items = Vec::new();
                    while let Some(mut item) = node.next_child()? {
                        items.push(#item);
                    }
                    Ok(items)
                }
            }
        }
        ShapeKind::Map { key, value, key_name, value_name, .. } => {
            let entry = xml_entry_fn(s, id);
            let kn = key_name.as_deref().unwrap_or("key");
            let vn = value_name.as_deref().unwrap_or("value");
            let kt = super::super::rust_type(s, *key);
            let vt = super::super::rust_type(s, *value);
            let k = xml_value(s, *key, quote!(child), TimestampFormat::DateTime).tried();
            let v = xml_value(s, *value, quote!(child), body_timestamp_format(s, *value)).tried();
            quote! {
                fn #f(node: #node_t) -> Result<#t, String> {
                    let mut map = std::collections::BTreeMap::new();
                    while let Some(mut entry) = node.next_child()? {
                        let (k, v) = #entry(&mut entry)?;
                        map.insert(k, v);
                    }
                    Ok(map)
                }

                /// The first key and the first value of an entry.
                fn #entry(entry: #node_t) -> Result<(#kt, #vt), String> {
                    let (mut k, mut v) = (None, None);
                    while let Some(mut child) = entry.next_child()? {
                        match child.name() {
                            #kn if k.is_none() => k = Some(#k),
                            #vn if v.is_none() => v = Some(#v),
                            _ => {}
                        }
                    }
                    Ok((k.ok_or("a map entry without its key")?, v.ok_or("a map entry without its value")?))
                }
            }
        }
        _ => quote!(),
    }
}

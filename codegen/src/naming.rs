//! Every Rust identifier the generator emits comes from here, so that any
//! name a model uses (keywords, leading digits, punctuation) becomes a valid,
//! idiomatic identifier in one place.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of every edition up to 2024, plus reserved words.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "extern"];

/// Names the generated code itself uses in type position next to model types.
const RESERVED_TYPES: &[&str] = &[
    "Option", "Result", "String", "Vec", "Box", "Client", "Error", "Self", "From", "Into", "Default", "AsRef", "Ok", "Err",
    "Some", "None", "Send", "Sync", "Sized", "Clone", "Copy", "Debug", "Eq", "PartialEq", "Ord", "PartialOrd", "Hash",
    "Iterator", "ToString", "ToOwned", "Drop", "Fn", "FnMut", "FnOnce", "Unpin",
];

/// Keeps ASCII alphanumerics and `_`; every other character separates words.
fn clean(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { ' ' }).collect()
}

/// `snake_case` for fields, functions and modules.
pub fn snake(name: &str) -> String {
    let mut s = clean(name).to_snake_case();
    if s.is_empty() {
        s.push_str("value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    if s == "_" {
        s = "underscore".into();
    }
    s
}

/// `UpperCamelCase` for types and enum variants.
pub fn camel(name: &str) -> String {
    let mut s = clean(name).to_upper_camel_case();
    if s.is_empty() {
        s.push_str("Value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'N');
    }
    s
}

/// A field or function name as it must be written in Rust source.
pub fn field_ident(name: &str) -> String {
    escape_keyword(snake(name))
}

/// A type name that cannot clash with keywords or with the types generated code names.
pub fn type_ident(name: &str) -> String {
    let s = camel(name);
    if RESERVED_TYPES.contains(&s.as_str()) || KEYWORDS.contains(&s.as_str()) { format!("{s}Value") } else { s }
}

/// An enum or union variant: a type name, but never `Unknown`, the variant
/// that open enums and unions keep for values the model does not list.
pub fn variant_ident(name: &str) -> String {
    let v = type_ident(name);
    if v == "Unknown" { "UnknownValue".to_owned() } else { v }
}

fn escape_keyword(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// The package of service `module`'s own crate (`lifecycle-hooks-huawei-as`):
/// the facade `lifecycle-hooks` re-exports it as `lifecycle_hooks::<module>`.
pub fn service_package(module: &str) -> String {
    format!("{SERVICE_PACKAGE_PREFIX}{}", module.replace('_', "-"))
}

/// The library name of [`service_package`] (`lifecycle_hooks_huawei_as`).
pub fn service_library(module: &str) -> String {
    format!("{}{module}", SERVICE_PACKAGE_PREFIX.replace('-', "_"))
}

const SERVICE_PACKAGE_PREFIX: &str = "lifecycle-hooks-";

/// Service names the generated crates already use: the facade re-exports the
/// runtime as `runtime`, whose package is `lifecycle-hooks-runtime`.
pub const RESERVED_MODULES: &[&str] = &["runtime"];

/// Parses an identifier produced above into tokens (raw identifiers included).
pub fn ident(s: &str) -> proc_macro2::Ident {
    match s.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(s, proc_macro2::Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_crate_is_named_after_its_module() {
        assert_eq!(service_package("huawei_as"), "lifecycle-hooks-huawei-as");
        assert_eq!(service_library("huawei_as"), "lifecycle_hooks_huawei_as");
    }

    #[test]
    fn awkward_names_become_valid_identifiers() {
        assert_eq!(field_ident("lifecycleEventHookExecutionId"), "lifecycle_event_hook_execution_id");
        assert_eq!(field_ident("RoleARN"), "role_arn");
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("3d"), "n3d");
        assert_eq!(field_ident("--"), "value");
        assert_eq!(type_ident("autoscaling:EC2_INSTANCE_LAUNCHING"), "AutoscalingEc2InstanceLaunching");
        assert_eq!(type_ident("HOOK_IN_PROGRESS"), "HookInProgress");
        assert_eq!(type_ident("Self"), "SelfValue");
        assert_eq!(type_ident("1st"), "N1st");
        assert_eq!(type_ident("Option"), "OptionValue");
    }
}

//! The command-line tool `hookctl` (package `lifecycle-hooks-cli`, in `generated/cli/`):
//! `hookctl <service> <operation> [--<member> VALUE ...] [--input-json JSON]`.
//!
//! Only what depends on the models is emitted: per service, the tables its
//! subcommand is built from (names, help texts, each flag's arity and the
//! parser of its values) and one small function per operation, which reads each
//! member, already typed, into the library's input and calls, prepares or
//! pages. Everything the same for every operation (the clap tree, typed flag
//! values, flags over `--input-json`, configuration, output, exit codes) is the
//! hand-written crate `lifecycle-hooks-cli-runtime` (`cli-runtime/`).
//!
//! Layout: `cli/Cargo.toml`, `cli/src/main.rs`, `cli/src/<service>.rs`, `cli/tests/hookctl.rs`.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs;
use super::wrap::{paragraphs, summary};
use super::{GeneratedFile, TypeScope, header, rust_file, rust_type_in};
use crate::ir::{Member, NumberKind, Operation, Presence, Service, ShapeId, ShapeKind, Structure};
use crate::naming::{ident, snake};

/// The binary's name.
const BIN: &str = "hookctl";

/// Flags of the tool itself (and clap's); a member whose flag would be one of these gets a `member-` prefix.
const RESERVED_FLAGS: &[&str] = &[
    "help",
    "version",
    "input-json",
    "endpoint-url",
    "region",
    "dry-run",
    "no-validate",
    "max-attempts",
    "timeout",
    "signing-time",
    "all-pages",
    "profile",
    "debug",
];

/// Width that help paragraphs are wrapped to.
const ABOUT_WIDTH: usize = 88;
/// Flag help is printed indented by 10 columns.
const ARG_WIDTH: usize = 78;

/// Every file of the tool, paths relative to `generated/`.
pub fn files(services: &[&Service]) -> Vec<GeneratedFile> {
    let mut files = vec![
        cargo_toml(),
        GeneratedFile { path: "cli/src/main.rs".into(), contents: rust_file("models/*.yaml", main_rs(services)) },
    ];
    for s in services {
        files.push(GeneratedFile {
            path: format!("cli/src/{}.rs", s.module),
            contents: rust_file(&s.model_path, service_rs(s)),
        });
    }
    files.push(GeneratedFile {
        path: "cli/tests/hookctl.rs".into(),
        contents: rust_file("models/*.yaml", smoke_test(services)),
    });
    files
}

/// A smoke test of the built binary. Being an integration test of the package,
/// it is also what makes `cargo test --workspace` build `hookctl` itself (not
/// only its unit-test harness), with the features of that build, for the suite
/// in `tests/tests/cli_*.rs` to run.
fn smoke_test(services: &[&Service]) -> TokenStream {
    let names = services.iter().map(|s| kebab(&s.module));
    quote! {
        //! Runs the built `hookctl`. The suite of the tool is `tests/tests/cli_*.rs`;
        //! this test also makes `cargo test --workspace` build the binary it runs.

        #[test]
        fn the_binary_runs_and_lists_every_service() {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_hookctl")).arg("--help").output().expect("run hookctl");
            assert!(out.status.success(), "{out:?}");
            let help = String::from_utf8_lossy(&out.stdout);
            for service in [#(#names),*] {
                let line = format!("\n  {service} ");
                assert!(help.contains(&line), "{service} missing:\n{help}");
            }
        }
    }
}

fn cargo_toml() -> GeneratedFile {
    let mut t = header("#", "models/*.yaml");
    t.push_str(&format!(
        r#"[package]
name = "lifecycle-hooks-cli"
version = "0.1.0"
description = "{BIN}: the lifecycle-hook callback APIs from the command line, generated from the same models as the library."
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish.workspace = true

[[bin]]
name = "{BIN}"
path = "src/main.rs"

[dependencies]
lifecycle-hooks = {{ path = ".." }}
# The part of the tool that is the same for every operation.
lifecycle-hooks-cli-runtime = {{ path = "../../cli-runtime" }}
"#
    ));
    GeneratedFile { path: "cli/Cargo.toml".into(), contents: t }
}

/// `huawei_as` -> `huawei-as`, `PutLifecycleHook` -> `put-lifecycle-hook`.
fn kebab(name: &str) -> String {
    snake(name).replace('_', "-")
}

/// The flag of each member of an input, in member order: its kebab-case name,
/// moved out of the way of the tool's own flags and of each other.
fn member_flags(st: &Structure) -> Vec<String> {
    let mut taken: BTreeSet<String> = RESERVED_FLAGS.iter().map(|f| (*f).to_owned()).collect();
    st.members
        .iter()
        .map(|m| {
            let base = kebab(&m.name);
            let mut flag = base.clone();
            if taken.contains(&flag) {
                flag = format!("member-{base}");
            }
            let mut n = 2;
            while taken.contains(&flag) {
                flag = format!("member-{base}-{n}");
                n += 1;
            }
            taken.insert(flag.clone());
            flag
        })
        .collect()
}

/// How a member's flag takes its values.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arity {
    One,
    List,
    Map,
}

/// How one value of a flag is read (a list's element, a map's value).
struct OneValue {
    /// The `cli::values` parser.
    parser: TokenStream,
    /// `Some(api::Enum::VALUES)` for an enumeration the model checks.
    values: TokenStream,
    value_name: &'static str,
    /// "Type: ..." line of the long help.
    describe: String,
}

fn one_value(s: &Service, id: ShapeId) -> OneValue {
    let shape = s.shape(id);
    let t = rust_type_in(s, id, TypeScope::Cli);
    let flag = |value_name, describe: &str| OneValue {
        parser: quote!(cli::values::flag::<#t>),
        values: quote!(None),
        value_name,
        describe: describe.to_owned(),
    };
    let json = |describe: String| OneValue {
        parser: quote!(cli::values::json::<#t>),
        values: quote!(None),
        value_name: "JSON",
        describe,
    };
    match &shape.kind {
        ShapeKind::String => flag("STRING", "string"),
        ShapeKind::Number { kind, .. } => match kind {
            NumberKind::Byte => flag("INTEGER", "integer (8-bit)"),
            NumberKind::Short => flag("INTEGER", "integer (16-bit)"),
            NumberKind::Integer => flag("INTEGER", "integer (32-bit)"),
            NumberKind::Long => flag("INTEGER", "integer (64-bit)"),
            NumberKind::Float | NumberKind::Double => flag("NUMBER", "number (NaN, Infinity and -Infinity too)"),
            NumberKind::BigInteger => flag("INTEGER", "integer (any size)"),
            NumberKind::BigDecimal => flag("NUMBER", "decimal number (any precision)"),
        },
        ShapeKind::Boolean => flag("BOOLEAN", "boolean, true or false"),
        ShapeKind::Timestamp { .. } => {
            flag("TIME", "timestamp, RFC 3339 (2024-01-02T03:04:05Z), seconds since the epoch, or an HTTP date")
        }
        ShapeKind::Blob => flag("BASE64", "bytes, in base64"),
        ShapeKind::Document => flag("JSON", "any JSON value"),
        ShapeKind::Enum { values } => {
            let list = values.iter().map(|v| v.value.as_str()).collect::<Vec<_>>().join(", ");
            let (checked, describe) = if shape.checks_values() {
                (quote!(Some(#t::VALUES)), format!("{}, one of: {list}", shape.name))
            } else {
                (quote!(None), format!("{}, a string; documented values (not checked): {list}", shape.name))
            };
            OneValue { parser: quote!(cli::values::choice::<#t>), values: checked, value_name: "VALUE", describe }
        }
        ShapeKind::IntEnum { .. } => OneValue { value_name: "INTEGER", ..json(format!("{}, an integer", shape.name)) },
        ShapeKind::Union(_) => json(format!("{}, a JSON object with exactly one member", shape.name)),
        ShapeKind::Structure(_) => json(format!("{}, a JSON object with the API's member names", shape.name)),
        ShapeKind::List { .. } => json(format!("{}, a JSON array", shape.name)),
        ShapeKind::Map { .. } => json(format!("{}, a JSON object", shape.name)),
    }
}

/// A member's flag: its arity and how each of its values is read.
struct FlagKind {
    arity: Arity,
    value: OneValue,
    describe: String,
}

fn flag_kind(s: &Service, m: &Member) -> FlagKind {
    match &s.shape(m.target).kind {
        ShapeKind::List { member, .. } => {
            let value = one_value(s, *member);
            let describe = format!("list of {}; repeat the flag for each element", value.describe);
            FlagKind { arity: Arity::List, value, describe }
        }
        ShapeKind::Map { value, .. } => {
            let value = OneValue { value_name: "KEY=VALUE", ..one_value(s, *value) };
            let describe = format!("map of string to {}; repeat KEY=VALUE for each entry", value.describe);
            FlagKind { arity: Arity::Map, value, describe }
        }
        _ => {
            let value = one_value(s, m.target);
            let describe = value.describe.clone();
            FlagKind { arity: Arity::One, value, describe }
        }
    }
}

fn service_rs(s: &Service) -> TokenStream {
    let module = ident(&s.module);
    let name = kebab(&s.module);
    let about = s.title.clone();
    let mut long = vec![format!("{} (API version {}).", s.title, s.api_version)];
    long.extend(docs::service_docs(s));
    let ops_line = s.operations.iter().map(|op| kebab(&op.name)).collect::<Vec<_>>().join(", ");
    long.push(format!("Operations: {ops_line}. `{BIN} {name} <OPERATION> --help` describes each one and its flags."));
    long.push(format!("Generated from {}.", s.model_path));
    let long_about = paragraphs(&long, ABOUT_WIDTH);
    let ops = s.operations.iter().map(|op| operation_table(s, op));
    let functions = s.operations.iter().map(|op| operation_function(s, op));
    let doc = format!(" `{BIN} {name}`: {}.", s.title);
    let usage = format!("{BIN} {name} <OPERATION> [--<member> VALUE ...] [--input-json <JSON|@FILE>] [OPTIONS]");
    let allow = s.operations.iter().any(|op| uses_deprecated(s, op)).then(|| quote!(#[allow(deprecated)]));
    quote! {
        #![doc = #doc]

        use ::lifecycle_hooks::#module as api;
        use ::lifecycle_hooks_cli_runtime as cli;

        /// The service's subcommand, its operations and their flags.
        #allow
        pub static SERVICE: cli::Service = cli::Service {
            name: #name,
            meta: &api::SERVICE,
            about: #about,
            long_about: #long_about,
            usage: #usage,
            operations: &[#(#ops),*],
        };

        #(#functions)*
    }
}

/// Whether the operation's table or function names something the model deprecates.
fn uses_deprecated(s: &Service, op: &Operation) -> bool {
    let shape = |id: ShapeId| s.shape(id).deprecated.is_some();
    let value = |id: ShapeId| match &s.shape(id).kind {
        ShapeKind::List { member: e, .. } | ShapeKind::Map { value: e, .. } => shape(id) || shape(*e),
        _ => shape(id),
    };
    op.deprecated.is_some()
        || shape(op.input)
        || shape(op.output)
        || s.structure(op.input).members.iter().any(|m| m.deprecated.is_some() || value(m.target))
}

fn operation_table(s: &Service, op: &Operation) -> TokenStream {
    let st = s.structure(op.input);
    let name = kebab(&op.name);
    let service = kebab(&s.module);
    let flags = member_flags(st);
    let kinds: Vec<FlagKind> = st.members.iter().map(|m| flag_kind(s, m)).collect();
    let flag_of = |i: usize| format!("--{} <{}>", flags[i], kinds[i].value.value_name);

    // One-of alternatives, as flags (for people) and as member indices (for the presence check).
    let one_of = st.one_of.as_ref().map(|o| {
        let alternatives: Vec<&[usize]> = o.variants.iter().map(|v| v.members.as_slice()).collect();
        let text = alternatives
            .iter()
            .map(|alt| alt.iter().map(|&i| format!("--{}", flags[i])).collect::<Vec<_>>().join(" with "))
            .collect::<Vec<_>>()
            .join(", or ");
        let usage = alternatives
            .iter()
            .map(|alt| alt.iter().map(|&i| flag_of(i)).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(" | ");
        (o, alternatives, text, usage)
    });

    let mut usage = format!("{BIN} {service} {name}");
    for (i, m) in st.members.iter().enumerate() {
        if m.presence == Presence::Required {
            usage.push(' ');
            usage.push_str(&flag_of(i));
        }
    }
    if let Some((_, _, _, alt_usage)) = &one_of {
        usage.push_str(&format!(" ({alt_usage})"));
    }
    usage.push_str(" [OPTIONS]");
    usage.push_str(&format!("\n       {BIN} {service} {name} --input-json <JSON|@FILE> [OPTIONS]"));

    let members = st.members.iter().enumerate().map(|(i, m)| {
        let k = &kinds[i];
        let flag = &flags[i];
        let wire = &m.name;
        let required = m.presence == Presence::Required;
        let (parser, values, value_name) = (&k.value.parser, &k.value.values, k.value.value_name);
        let arity = match k.arity {
            Arity::One => quote!(cli::Arity::One),
            Arity::List => quote!(cli::Arity::List),
            Arity::Map => quote!(cli::Arity::Map),
        };
        let switch = k.arity == Arity::One && matches!(s.shape(m.target).kind, ShapeKind::Boolean);
        let one_of_text = one_of.as_ref().and_then(|(o, _, text, _)| {
            Some((o.name.as_str(), o.variants[m.one_of_variant?].name.as_str(), text.as_str()))
        });
        let (help, long_help) = member_help(s, m, k, one_of_text);
        quote! {
            cli::Member {
                wire: #wire,
                flag: #flag,
                arity: #arity,
                parser: #parser,
                values: #values,
                switch: #switch,
                required: #required,
                value_name: #value_name,
                help: #help,
                long_help: #long_help,
            }
        }
    });
    let alternatives = one_of.as_ref().map(|(_, alts, _, _)| {
        let alts = alts.iter().map(|alt| {
            let alt = alt.iter().map(|&i| Literal::usize_unsuffixed(i));
            quote!(&[#(#alt),*])
        });
        quote!(#(#alts),*)
    });

    let about = summary(&op.docs);
    let mut long = docs::operation_docs(s, op);
    long.push(format!(
        "HTTP: {} {}; success is HTTP {}.",
        op.http_method,
        super::client::path_template_text(s, op),
        op.success_status
    ));
    let items = op.pagination.as_ref().and_then(|p| p.items.map(|i| (p, i)));
    if let Some((p, i)) = items {
        let out = s.structure(op.output);
        long.push(format!(
            "Paginated: --all-pages follows `{}` to the last page and prints one output with every `{}` (and no `{}`).",
            out.members[p.output_token].name, out.members[i].name, out.members[p.output_token].name
        ));
    }
    if !op.errors.is_empty() {
        let names = op.errors.iter().map(|&e| s.shape(e).name.as_str()).collect::<Vec<_>>().join(", ");
        long.push(format!("Errors (exit code 4, with this kind): {names}; any other error answer is kind Unhandled."));
    }
    let long_about = paragraphs(&long, ABOUT_WIDTH);
    let paginated = items.is_some();
    let run = ident(&op.names.cli_function);
    quote! {
        cli::Operation {
            name: #name,
            about: #about,
            long_about: #long_about,
            usage: #usage,
            members: &[#(#members),*],
            one_of: &[#alternatives],
            paginated: #paginated,
            run: #run,
        }
    }
}

/// A member's one-line help and its long help: the model's documentation,
/// then its type, constraints, whether it is required and its JSON name.
/// `one_of` is the one-of's name, this member's alternative and all alternatives as text.
fn member_help(s: &Service, m: &Member, k: &FlagKind, one_of: Option<(&str, &str, &str)>) -> (String, String) {
    let mut short = summary(&m.docs);
    let mut long = m.docs.clone();
    long.extend(docs::provenance(s, &m.provenance, None));
    let mut facts = vec![format!("Type: {}.", k.describe)];
    facts.extend(docs::shape_constraints(s, m.target));
    match &s.shape(m.target).kind {
        ShapeKind::List { member: e, .. } | ShapeKind::Map { value: e, .. } => {
            facts.extend(docs::shape_constraints(s, *e).map(|c| format!("Each element: {c}")));
        }
        _ => {}
    }
    facts.extend(docs::member_constraints(m));
    if let Some(d) = &m.default {
        facts.push(format!("When left out, the service uses `{d}`."));
    }
    if let Some((name, variant, text)) = one_of {
        short.push_str(&format!(" [{name}: {variant}]"));
        facts.push(format!("Part of {name} (give {text})."));
    } else if m.presence == Presence::Required {
        short.push_str(" [required]");
        facts.push("Required.".into());
    } else {
        facts.push("Optional.".into());
    }
    match &s.shape(m.target).kind {
        _ if m.docs.iter().all(|d| d.trim().is_empty()) => short.insert_str(0, &format!("Type: {}.", k.describe)),
        ShapeKind::Enum { values } if s.shape(m.target).checks_values() => {
            let list = values.iter().map(|v| v.value.as_str()).collect::<Vec<_>>().join(", ");
            short.push_str(&format!(" [values: {list}]"));
        }
        _ => {}
    }
    facts.push(format!("Member `{}` of --input-json.", m.name));
    long.push(facts.join("\n"));
    (short, paragraphs(&long, ARG_WIDTH))
}

/// `run_<op>`: each member from `Args` into the input, then call, prepare or page.
fn operation_function(s: &Service, op: &Operation) -> TokenStream {
    let function = ident(&op.names.cli_function);
    let method = ident(&op.names.method);
    let prepare = ident(&op.names.prepare);
    let st = s.structure(op.input);
    let input_type = ident(&s.shape(op.input).rust_name);

    // The constructor takes the required members (then the one-of) as `impl Into<T>`:
    // their types are spelled out. Optional members are assigned, their types inferred.
    let mut arguments: Vec<TokenStream> = st
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.one_of_variant.is_none() && m.presence == Presence::Required)
        .map(|(i, m)| required_member(s, i, m))
        .collect();
    if let Some(o) = &st.one_of {
        let one_of = ident(&o.name);
        let arms = o.variants.iter().enumerate().map(|(n, v)| {
            let constructor = ident(&v.constructor);
            let values = v.members.iter().map(|&i| required_member(s, i, &st.members[i]));
            let last = n + 1 == o.variants.len();
            let n = Literal::usize_unsuffixed(n);
            let pattern = if last { quote!(_) } else { quote!(#n) };
            quote! { #pattern => api::#one_of::#constructor(#(#values),*), }
        });
        arguments.push(quote! { match args.alternative()? { #(#arms)* } });
    }
    let assignments: Vec<TokenStream> = st
        .members
        .iter()
        .enumerate()
        .filter(|(_, m)| m.one_of_variant.is_none() && m.presence == Presence::Optional)
        .map(|(i, m)| {
            let field = ident(&m.field);
            let get = match flag_kind(s, m).arity {
                Arity::One => quote!(get),
                Arity::List => quote!(get_list),
                Arity::Map => quote!(get_map),
            };
            let boxed = m.boxed.then(|| quote!(.map(Box::new)));
            let i = Literal::usize_unsuffixed(i);
            quote! { input.#field = args.#get(#i)? #boxed; }
        })
        .collect();
    let binding = if assignments.is_empty() { quote!(let input) } else { quote!(let mut input) };
    let all_pages = all_pages(s, op);
    let doc = format!(" `{}`: its input from the flags and `--input-json`, its output as JSON text.", op.name);
    let allow = uses_deprecated(s, op).then(|| quote!(#[allow(deprecated)]));
    quote! {
        #[doc = #doc]
        #allow
        fn #function(args: &cli::Args<'_>) -> Result<String, cli::Failure> {
            #binding = api::#input_type::new(#(#arguments),*);
            #(#assignments)*
            let client = api::Client::new(args.config()).map_err(cli::Failure::config)?;
            if args.dry_run() {
                // Credentials from a provider (a role, instance metadata) are fetched first, as a call would.
                args.block_on(client.resolve_credentials()).map_err(cli::Failure::credentials)?;
                return cli::dry_run(client.#prepare(&input).map_err(cli::Failure::call)?);
            }
            #all_pages
            let output = args.block_on(client.#method(input)).map_err(cli::Failure::call)?;
            cli::output(&output)
        }
    }
}

/// A required member's value, its type spelled out (it goes to an `impl Into<T>` parameter).
fn required_member(s: &Service, index: usize, m: &Member) -> TokenStream {
    let scoped = |id| rust_type_in(s, id, TypeScope::Cli);
    let index = Literal::usize_unsuffixed(index);
    match &s.shape(m.target).kind {
        ShapeKind::List { member, .. } => {
            let e = scoped(*member);
            quote!(args.require_list::<#e>(#index)?)
        }
        ShapeKind::Map { key, value, .. } => {
            let (k, v) = (scoped(*key), scoped(*value));
            quote!(args.require_map::<#k, #v>(#index)?)
        }
        _ => {
            let t = scoped(m.target);
            quote!(args.require::<#t>(#index)?)
        }
    }
}

/// `--all-pages`: every page's items in one output (the first page's other members).
fn all_pages(s: &Service, op: &Operation) -> Option<TokenStream> {
    let p = op.pagination.as_ref()?;
    let i = p.items?;
    let out = s.structure(op.output);
    let token = ident(&out.members[p.output_token].field);
    let items = ident(&out.members[i].field);
    let pages = ident(&op.names.pages_method);
    let output = ident(&s.shape(op.output).rust_name);
    let extend = match out.members[i].presence {
        Presence::Optional => {
            quote!(merged.#items.get_or_insert_with(Vec::new).extend(page.#items.unwrap_or_default()))
        }
        Presence::Required => quote!(merged.#items.extend(page.#items)),
    };
    Some(quote! {
        if args.all_pages() {
            let mut pages = client.#pages(input);
            let mut all: Option<api::#output> = None;
            while let Some(page) = args.block_on(pages.next_page()) {
                let mut page = page.map_err(cli::Failure::call)?;
                page.#token = Default::default();
                match &mut all {
                    Some(merged) => #extend,
                    None => all = Some(page),
                }
            }
            return match all {
                Some(all) => cli::output(&all),
                None => Ok("{}".to_owned()),
            };
        }
    })
}

fn main_rs(services: &[&Service]) -> TokenStream {
    let mods = services.iter().map(|s| {
        let m = ident(&s.module);
        quote! { mod #m; }
    });
    let service_refs = services.iter().map(|s| {
        let m = ident(&s.module);
        quote! { &#m::SERVICE }
    });
    let long_about = format!(
        "{BIN}: the lifecycle-hook callback APIs from the command line, for shell scripts.\n\n\
         `{BIN} <SERVICE> --help` lists a service's operations, `{BIN} <SERVICE> <OPERATION> --help`\n\
         describes an operation and each of its flags (type, constraints, whether required).\n\
         Generated from the models in models/*.yaml, like the library it calls."
    );
    let usage = format!("{BIN} <SERVICE> <OPERATION> [--<member> VALUE ...] [--input-json <JSON|@FILE>] [OPTIONS]");
    let about = "The lifecycle-hook callback APIs from the command line.";
    quote! {
        //! `hookctl`: the lifecycle-hook callback APIs from the command line.
        //!
        //! Each service module holds the tables its subcommand is built from and one
        //! small typed function per operation; the rest is `lifecycle-hooks-cli-runtime`.
        #![forbid(unsafe_code)]

        #(#mods)*

        /// The tool, its services in subcommand order.
        static APP: ::lifecycle_hooks_cli_runtime::App = ::lifecycle_hooks_cli_runtime::App {
            name: #BIN,
            version: env!("CARGO_PKG_VERSION"),
            about: #about,
            long_about: #long_about,
            usage: #usage,
            services: &[#(#service_refs),*],
        };

        fn main() -> ::std::process::ExitCode {
            ::lifecycle_hooks_cli_runtime::main(&APP)
        }
    }
}

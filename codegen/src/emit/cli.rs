//! The command-line tool `hookctl` (package `lifecycle-hooks-cli`, in `generated/cli/`):
//! `hookctl <service> <operation> [--<member> VALUE ...] [--input-json JSON]`.
//!
//! What depends on the models is emitted as data (names, help texts, the kind of
//! each flag) and one small typed function per operation (deserialize the input,
//! call or prepare, serialize the output, name the error). The generic part,
//! emitted once into `main.rs`, builds the clap command tree from that data at
//! run time (clap's builder API: no derive, no proc macros to compile), merges
//! flags over `--input-json`, and prints results and errors as JSON.
//!
//! Layout: `cli/Cargo.toml`, `cli/src/main.rs`, `cli/src/<service>.rs`, `cli/tests/hookctl.rs`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::shape_constraints;
use super::{GeneratedFile, header, rust_file};
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

/// Width that help paragraphs are wrapped to: clap's `wrap_help` (and its
/// terminal-size dependency) stays off, so the text arrives pre-wrapped.
const ABOUT_WIDTH: usize = 88;
/// Flag help is printed indented by 10 columns.
const ARG_WIDTH: usize = 78;

/// Every file of the tool, paths relative to `generated/`.
pub fn files(services: &[&Service]) -> Vec<GeneratedFile> {
    let mut files = vec![cargo_toml(), GeneratedFile { path: "cli/src/main.rs".into(), contents: rust_file("models/*.yaml", main_rs(services)) }];
    for s in services {
        files.push(GeneratedFile { path: format!("cli/src/{}.rs", s.module), contents: rust_file(&s.model_path, service_rs(s)) });
    }
    files.push(GeneratedFile { path: "cli/tests/hookctl.rs".into(), contents: rust_file("models/*.yaml", smoke_test(services)) });
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
# With its `tracing` feature: `--debug` prints the runtime's spans and events.
lifecycle-hooks-runtime = {{ path = "../../runtime", features = ["tracing"] }}
serde_json = {{ workspace = true }}
# The command tree is built at run time from generated tables: no derive, no
# colors, no terminal-width wrapping, no suggestions.
clap = {{ version = "4.5", default-features = false, features = ["std", "help", "usage", "error-context"] }}
# One call at a time: a current-thread runtime (I/O and timers come with the runtime crate).
tokio = {{ version = "1", default-features = false, features = ["rt"] }}
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

/// How a flag's values become JSON: the kind of one value, and whether the flag repeats.
struct FlagKind {
    kind: TokenStream,
    arity: TokenStream,
    value_name: String,
    /// "Type: ..." line of the long help.
    describe: String,
}

/// The kind of a single value of shape `id` (structures and nested containers are JSON text).
fn scalar(s: &Service, id: ShapeId) -> (TokenStream, &'static str, String) {
    let shape = s.shape(id);
    match &shape.kind {
        ShapeKind::String { .. } => (quote!(crate::Kind::String), "STRING", "string".into()),
        ShapeKind::Number { kind: NumberKind::Byte | NumberKind::Short | NumberKind::Integer, .. } => {
            (quote!(crate::Kind::Integer), "INTEGER", "integer (32-bit)".into())
        }
        ShapeKind::Number { kind: NumberKind::Long, .. } => (quote!(crate::Kind::Long), "INTEGER", "integer (64-bit)".into()),
        ShapeKind::Number { .. } => (quote!(crate::Kind::Json), "NUMBER", "number (JSON)".into()),
        ShapeKind::Blob { .. } => (quote!(crate::Kind::Json), "JSON", "bytes, a JSON string in base64".into()),
        ShapeKind::Document => (quote!(crate::Kind::Json), "JSON", "any JSON value".into()),
        ShapeKind::IntEnum { .. } => (quote!(crate::Kind::Integer), "INTEGER", format!("{}, an integer", shape.name)),
        ShapeKind::Union(_) => {
            (quote!(crate::Kind::Json), "JSON", format!("{}, a JSON object with exactly one member", shape.name))
        }
        ShapeKind::Boolean => (quote!(crate::Kind::Boolean), "BOOLEAN", "boolean, true or false".into()),
        ShapeKind::Timestamp { .. } => {
            (quote!(crate::Kind::Timestamp), "TIME", "timestamp, RFC 3339 (2024-01-02T03:04:05Z) or seconds since the epoch".into())
        }
        ShapeKind::Enum { values, check } => {
            let list = values.iter().map(|v| v.value.as_str()).collect::<Vec<_>>();
            if *check {
                (quote!(crate::Kind::Enum(&[#(#list),*])), "VALUE", format!("{}, one of: {}", shape.name, list.join(", ")))
            } else {
                let text = format!("{}, a string; documented values (not checked): {}", shape.name, list.join(", "));
                (quote!(crate::Kind::String), "VALUE", text)
            }
        }
        ShapeKind::Structure(_) => (quote!(crate::Kind::Json), "JSON", format!("{}, a JSON object with the API's member names", shape.name)),
        ShapeKind::List { .. } => (quote!(crate::Kind::Json), "JSON", format!("{}, a JSON array", shape.name)),
        ShapeKind::Map { .. } => (quote!(crate::Kind::Json), "JSON", format!("{}, a JSON object", shape.name)),
    }
}

fn flag_kind(s: &Service, m: &Member) -> FlagKind {
    match &s.shape(m.target).kind {
        ShapeKind::List { member, .. } => {
            let (kind, value_name, describe) = scalar(s, *member);
            FlagKind {
                kind,
                arity: quote!(crate::Arity::List),
                value_name: value_name.into(),
                describe: format!("list of {describe}; repeat the flag for each element"),
            }
        }
        ShapeKind::Map { value, .. } => {
            let (kind, _, describe) = scalar(s, *value);
            FlagKind {
                kind,
                arity: quote!(crate::Arity::Map),
                value_name: "KEY=VALUE".into(),
                describe: format!("map of string to {describe}; repeat KEY=VALUE for each entry"),
            }
        }
        _ => {
            let (kind, value_name, describe) = scalar(s, m.target);
            FlagKind { kind, arity: quote!(crate::Arity::One), value_name: value_name.into(), describe }
        }
    }
}


/// Wraps `text` (lines, paragraphs, `- ` and `1. ` list items) to `width` columns.
fn wrap(text: &str, width: usize) -> String {
    let mut out = Vec::new();
    for line in text.trim().lines() {
        let line = line.trim_end();
        let body = line.trim_start();
        let lead = line.len() - body.len();
        let marker = body.split_once(' ').map(|(m, _)| m).filter(|m| *m == "-" || *m == "*" || (m.ends_with('.') && m[..m.len() - 1].chars().all(|c| c.is_ascii_digit()) && m.len() > 1));
        let hang = lead + marker.map_or(0, |m| m.len() + 1);
        let mut current = " ".repeat(lead);
        let mut columns = lead;
        let mut empty = true;
        for word in body.split_whitespace() {
            let len = word.chars().count();
            if !empty && columns + 1 + len > width {
                out.push(std::mem::replace(&mut current, " ".repeat(hang)));
                columns = hang;
                empty = true;
            }
            if !empty {
                current.push(' ');
                columns += 1;
            }
            current.push_str(word);
            columns += len;
            empty = false;
        }
        out.push(if empty { String::new() } else { current });
    }
    out.join("\n")
}

fn paragraphs(parts: &[String], width: usize) -> String {
    parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).map(|p| wrap(p, width)).collect::<Vec<_>>().join("\n\n")
}

/// The first sentence of the first paragraph: the one-line summary `-h` shows.
fn summary(docs: &[String]) -> String {
    let first = docs.iter().map(|d| d.trim()).find(|d| !d.is_empty()).unwrap_or_default();
    let line = first.lines().next().unwrap_or_default().trim();
    match line.find(". ") {
        Some(i) => line[..=i].to_owned(),
        None => line.to_owned(),
    }
}

/// `--flag <VALUE>` as usage lines and errors show it.
fn flag_usage(flag: &str, k: &FlagKind) -> String {
    format!("--{flag} <{}>", k.value_name)
}

fn service_rs(s: &Service) -> TokenStream {
    let module = ident(&s.module);
    let name = kebab(&s.module);
    let about = s.title.clone();
    let mut long = vec![format!("{} (API version {}).", s.title, s.api_version)];
    long.extend(s.docs.iter().cloned());
    let ops_line = s.operations.iter().map(|op| kebab(&op.name)).collect::<Vec<_>>().join(", ");
    long.push(format!("Operations: {ops_line}. `{BIN} {name} <OPERATION> --help` describes each one and its flags."));
    long.push(format!("Generated from {}.", s.model_path));
    let long_about = paragraphs(&long, ABOUT_WIDTH);
    let ops = s.operations.iter().map(|op| operation_table(s, op));
    let arms = s.operations.iter().map(|op| {
        let n = kebab(&op.name);
        let call = format_ident!("call_{}", op.names.snake);
        quote! { #n => #call(input, ctx).await, }
    });
    let calls = s.operations.iter().map(|op| operation_call(s, op));
    let doc = format!(" `{BIN} {name}`: {}.", s.title);
    let usage = format!("{BIN} {name} <OPERATION> [--<member> VALUE ...] [--input-json <JSON|@FILE>] [OPTIONS]");
    quote! {
        #![doc = #doc]

        use ::lifecycle_hooks::#module as api;

        /// The service's subcommand, its operations and their flags.
        pub static SERVICE: crate::Service = crate::Service {
            name: #name,
            meta: &api::SERVICE,
            about: #about,
            long_about: #long_about,
            usage: #usage,
            operations: &[#(#ops),*],
        };

        /// Runs `operation` (a name from [`SERVICE`]) with its merged JSON input.
        pub async fn run(operation: &str, input: ::serde_json::Value, ctx: &crate::Context) -> Result<String, crate::Failure> {
            match operation {
                #(#arms)*
                other => Err(crate::Failure::unknown_operation(#name, other)),
            }
        }

        #(#calls)*
    }
}

fn operation_table(s: &Service, op: &Operation) -> TokenStream {
    let st = s.structure(op.input);
    let name = kebab(&op.name);
    let service = kebab(&s.module);
    let flags = member_flags(st);
    let kinds: Vec<FlagKind> = st.members.iter().map(|m| flag_kind(s, m)).collect();
    let flag_of = |i: usize| flag_usage(&flags[i], &kinds[i]);

    // One-of alternatives, as wire names (for the presence check) and as flags (for people).
    let one_of = st.one_of.as_ref().map(|o| {
        let alternatives: Vec<Vec<usize>> = o.variants.iter().map(|v| v.members.clone()).collect();
        let text = alternatives
            .iter()
            .map(|alt| alt.iter().map(|&i| format!("--{}", flags[i])).collect::<Vec<_>>().join(" with "))
            .collect::<Vec<_>>()
            .join(", or ");
        let usage = alternatives.iter().map(|alt| alt.iter().map(|&i| flag_of(i)).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join(" | ");
        (o, alternatives, text, usage)
    });

    let mut usage = format!("{BIN} {service} {name}");
    for (i, m) in st.members.iter().enumerate() {
        if m.required {
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
        let required = m.required;
        let (kind, arity, value_name) = (&k.kind, &k.arity, &k.value_name);
        let mut short = summary(&m.docs);
        let mut long = m.docs.clone();
        let mut facts = vec![format!("Type: {}.", k.describe)];
        facts.extend(shape_constraints(s, m.target));
        match &s.shape(m.target).kind {
            ShapeKind::List { member: e, .. } | ShapeKind::Map { value: e, .. } => {
                facts.extend(shape_constraints(s, *e).map(|c| format!("Each element: {c}")));
            }
            _ => {}
        }
        if let Some(a) = &m.allowed_values {
            let enforced = if a.enforce { "" } else { " (documented, not enforced)" };
            facts.push(format!("Accepted values: {}{enforced}.", a.values.join(", ")));
        }
        if m.required {
            short.push_str(" [required]");
            facts.push("Required.".into());
        } else if let (Some(v), Some((o, _, text, _))) = (m.one_of_variant, &one_of) {
            short.push_str(&format!(" [{}: {}]", o.name, o.variants[v].name));
            facts.push(format!("Part of {} (give {text}).", o.name));
        } else {
            facts.push("Optional.".into());
        }
        match &s.shape(m.target).kind {
            _ if m.docs.iter().all(|d| d.trim().is_empty()) => short.insert_str(0, &format!("Type: {}.", k.describe)),
            ShapeKind::Enum { values, check: true } => {
                let list = values.iter().map(|v| v.value.as_str()).collect::<Vec<_>>().join(", ");
                short.push_str(&format!(" [values: {list}]"));
            }
            _ => {}
        }
        facts.push(format!("Member `{wire}` of --input-json."));
        long.push(facts.join("\n"));
        let help = short;
        let long_help = paragraphs(&long, ARG_WIDTH);
        quote! {
            crate::Member {
                wire: #wire,
                flag: #flag,
                kind: #kind,
                arity: #arity,
                required: #required,
                value_name: #value_name,
                help: #help,
                long_help: #long_help,
            }
        }
    });
    let alternatives = one_of.as_ref().map(|(_, alts, _, _)| {
        let alts = alts.iter().map(|alt| {
            let wires = alt.iter().map(|&i| &st.members[i].name);
            quote!(&[#(#wires),*])
        });
        quote!(#(#alts),*)
    });

    let about = summary(&op.docs);
    let mut long = op.docs.clone();
    long.push(format!("HTTP: {} {}; success is HTTP {}.", op.http_method, super::client::path_template_text(s, op), op.success_status));
    let items = op.pagination.as_ref().and_then(|p| p.items.map(|i| (p, i)));
    if let Some((p, i)) = items {
        let out = s.structure(op.output);
        long.push(format!(
            "Paginated: --all-pages follows `{}` to the last page and prints one output with every `{}` (and no `{}`).",
            out.members[p.output_token].name, out.members[i].name, out.members[p.output_token].name
        ));
    }
    if !op.errors.is_empty() {
        let names = op.errors.iter().map(|&e| s.shape(e).rust_name.as_str()).collect::<Vec<_>>().join(", ");
        long.push(format!("Errors (exit code 4, with this kind): {names}; any other error answer is kind Unhandled."));
    }
    let long_about = paragraphs(&long, ABOUT_WIDTH);
    let paginated = items.is_some();
    quote! {
        crate::Operation {
            name: #name,
            about: #about,
            long_about: #long_about,
            usage: #usage,
            members: &[#(#members),*],
            one_of: &[#alternatives],
            paginated: #paginated,
        }
    }
}

/// `call_<op>` (deserialize, prepare or call, serialize) and `error_kind_<op>`.
fn operation_call(s: &Service, op: &Operation) -> TokenStream {
    let call = format_ident!("call_{}", op.names.snake);
    let kind_fn = format_ident!("error_kind_{}", op.names.snake);
    let method = ident(&op.names.method);
    let prepare = ident(&op.names.prepare);
    let input = ident(&s.shape(op.input).rust_name);
    let output = ident(&s.shape(op.output).rust_name);
    let error = ident(&op.names.error_enum);
    let variants = op.errors.iter().map(|&e| {
        let v = ident(&s.shape(e).rust_name);
        let n = &s.shape(e).rust_name;
        quote! { api::#error::#v(_) => #n, }
    });
    let all_pages = op.pagination.as_ref().and_then(|p| {
        let i = p.items?;
        let out = s.structure(op.output);
        let token = ident(&out.members[p.output_token].field);
        let items = ident(&out.members[i].field);
        let pages = ident(&op.names.pages_method);
        let extend = match out.members[i].presence {
            Presence::Optional => quote!(merged.#items.get_or_insert_with(Vec::new).extend(page.#items.unwrap_or_default())),
            Presence::Required => quote!(merged.#items.extend(page.#items)),
        };
        Some(quote! {
            if ctx.all_pages {
                let mut pages = client.#pages(input);
                let mut all: Option<api::#output> = None;
                while let Some(page) = pages.next_page().await {
                    let mut page = page.map_err(|e| crate::Failure::call(e, #kind_fn))?;
                    page.#token = None;
                    match &mut all {
                        Some(merged) => #extend,
                        None => all = Some(page),
                    }
                }
                return match all {
                    Some(all) => ::serde_json::to_string_pretty(&all).map_err(crate::Failure::output),
                    None => Ok("{}".to_owned()),
                };
            }
        })
    });
    let call_doc = format!(" `{}`: the input as JSON in, the output as JSON text out.", op.name);
    let kind_doc = format!(" The `kind` of a `{}` error answer: its variant's name.", op.name);
    quote! {
        #[doc = #call_doc]
        async fn #call(input: ::serde_json::Value, ctx: &crate::Context) -> Result<String, crate::Failure> {
            let input: api::#input = ::serde_json::from_value(input).map_err(crate::Failure::input)?;
            let client = api::Client::new(ctx.config.clone()).map_err(crate::Failure::config)?;
            if ctx.dry_run {
                // Credentials from a provider (a role, instance metadata) are fetched first, as a call would.
                client.handle().resolve_credentials().await.map_err(crate::Failure::credentials)?;
                return crate::dry_run(client.#prepare(&input).map_err(|e| crate::Failure::call(e, #kind_fn))?);
            }
            #all_pages
            let output = client.#method(input).await.map_err(|e| crate::Failure::call(e, #kind_fn))?;
            ::serde_json::to_string_pretty(&output).map_err(crate::Failure::output)
        }

        #[doc = #kind_doc]
        fn #kind_fn(error: &api::#error) -> &'static str {
            match error {
                #(#variants)*
                _ => "Unhandled",
            }
        }
    }
}

/// Input, output, exit codes and environment: the end of the root's and every operation's `--help`.
const AFTER_HELP: &str = r#"Input:
  One flag per member of the operation's input, in kebab case
  (AutoScalingGroupName: --auto-scaling-group-name). Lists: repeat the flag.
  Maps: repeat KEY=VALUE. --input-json takes the whole input as a JSON object
  with the API's member names, inline or @FILE (@- reads standard input);
  flags override its members.

Output:
  Success: the operation's output as JSON on stdout, with the API's member
  names. With --dry-run: the signed request ({"method", "url", "headers",
  "body"}); nothing is sent.
  Failure: on stderr, {"error": {"kind", "code", "message", "http_status",
  "request_id", "retryable"}}; "kind" is the modeled error's name, Unhandled
  (an error answer the model does not list), or Usage, Validation, Config,
  Build, Transport, Timeout, Response, RepeatedToken. Validation errors list
  every violation: "violations": [{"path", "constraint", "message"}].

Exit codes:
  0  success
  2  usage: unknown flag or value, missing required member, bad --input-json
  3  validation: the input breaks a constraint of the model; nothing was sent
  4  service: the service answered with an error (modeled, or Unhandled)
  5  anything else: Transport, Timeout, Response, RepeatedToken, Build, Config

Environment (command-line flags override it):
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN   AWS credentials
  AWS_PROFILE, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE     profiles (keys, roles,
                                                                credential_process)
  AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN, container and
  instance metadata variables                                   the rest of the AWS chain
  AWS_REGION (or AWS_DEFAULT_REGION), AWS_ENDPOINT_URL,
  AWS_ENDPOINT_URL_<SERVICE_ID>                                 AWS region, endpoints
  AWS_MAX_ATTEMPTS                                              attempts per call
  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK,
  HUAWEICLOUD_SDK_PROJECT_ID, HUAWEICLOUD_SDK_SECURITY_TOKEN    Huawei Cloud credentials
  HUAWEICLOUD_SDK_CREDENTIALS_FILE                              (then ECS metadata)
  HUAWEICLOUD_SDK_REGION, HUAWEICLOUD_SDK_ENDPOINT              Huawei region, endpoint
  https_proxy, http_proxy, no_proxy (or upper case)             proxies"#;

fn main_rs(services: &[&Service]) -> TokenStream {
    let mods = services.iter().map(|s| {
        let m = ident(&s.module);
        quote! { mod #m; }
    });
    let service_refs = services.iter().map(|s| {
        let m = ident(&s.module);
        quote! { &#m::SERVICE }
    });
    let dispatch = services.iter().map(|s| {
        let m = ident(&s.module);
        let name = kebab(&s.module);
        quote! { #name => #m::run(operation, input, ctx).await, }
    });
    let long_about = format!(
        "{BIN}: the lifecycle-hook callback APIs from the command line, for shell scripts.\n\n\
         `{BIN} <SERVICE> --help` lists a service's operations, `{BIN} <SERVICE> <OPERATION> --help`\n\
         describes an operation and each of its flags (type, constraints, whether required).\n\
         Generated from the models in models/*.yaml, like the library it calls."
    );
    let root_usage = format!("{BIN} <SERVICE> <OPERATION> [--<member> VALUE ...] [--input-json <JSON|@FILE>] [OPTIONS]");
    let about = "The lifecycle-hook callback APIs from the command line.";
    let after = AFTER_HELP;
    quote! {
        //! `hookctl`: the lifecycle-hook callback APIs from the command line.
        //!
        //! Each service module holds the tables its subcommand is built from and one
        //! small typed function per operation; everything here is the same for all.
        #![forbid(unsafe_code)]

        #(#mods)*

        /// The end of the root's and every operation's `--help`: input, output, exit codes, environment.
        const AFTER_HELP: &str = #after;

        /// Exit code of a usage error (bad flag, value or `--input-json`, missing member).
        const EXIT_USAGE: u8 = 2;
        /// Exit code of an input that breaks the model's constraints.
        const EXIT_VALIDATION: u8 = 3;
        /// Exit code of an error answer of the service.
        const EXIT_SERVICE: u8 = 4;
        /// Exit code of any other failure.
        const EXIT_OTHER: u8 = 5;

        /// Every service, in subcommand order.
        static SERVICES: &[&Service] = &[#(#service_refs),*];

        /// A service's subcommand.
        pub struct Service {
            /// The subcommand (kebab case).
            pub name: &'static str,
            /// The library's facts about the service (its signing scheme, so its vendor).
            pub meta: &'static ::lifecycle_hooks::runtime::ServiceMeta,
            pub about: &'static str,
            pub long_about: &'static str,
            pub usage: &'static str,
            pub operations: &'static [Operation],
        }

        /// An operation's subcommand.
        pub struct Operation {
            /// The subcommand (kebab case).
            pub name: &'static str,
            pub about: &'static str,
            pub long_about: &'static str,
            /// Usage lines, with the required members spelled out.
            pub usage: &'static str,
            pub members: &'static [Member],
            /// For an input with a one-of: each alternative's members (wire names); one must be complete.
            pub one_of: &'static [&'static [&'static str]],
            /// Offers `--all-pages`.
            pub paginated: bool,
        }

        /// A member of an operation's input, and its flag.
        pub struct Member {
            /// The API's name, the key in `--input-json`.
            pub wire: &'static str,
            /// The flag, without `--`; also the clap id.
            pub flag: &'static str,
            pub kind: Kind,
            pub arity: Arity,
            /// Must be given (as a flag or in `--input-json`).
            pub required: bool,
            pub value_name: &'static str,
            pub help: &'static str,
            pub long_help: &'static str,
        }

        /// What one value of a flag is. Not every model uses every kind.
        #[allow(dead_code)]
        #[derive(Clone, Copy)]
        pub enum Kind {
            String,
            Integer,
            Long,
            Boolean,
            Timestamp,
            /// One of the model's values (any string with `--no-validate`).
            Enum(&'static [&'static str]),
            /// JSON text (structures, nested lists and maps).
            Json,
        }

        /// How many values a flag takes. Not every model uses every arity.
        #[allow(dead_code)]
        #[derive(Clone, Copy, PartialEq, Eq)]
        pub enum Arity {
            One,
            /// Repeated, one element each.
            List,
            /// Repeated, `KEY=VALUE` each.
            Map,
        }

        /// What an operation needs besides its input.
        pub struct Context {
            pub config: ::lifecycle_hooks::runtime::Config,
            pub dry_run: bool,
            pub all_pages: bool,
        }

        fn main() -> ::std::process::ExitCode {
            // Known before parsing, so that enum flags can let unknown values through.
            let validate = !::std::env::args_os().skip(1).take_while(|a| a != "--").any(|a| a == "--no-validate");
            let mut root = command(validate);
            let matches = match root.try_get_matches_from_mut(::std::env::args_os()) {
                Ok(matches) => matches,
                Err(e) => return Failure::clap(e),
            };
            let Some((service, operation, op_matches)) = matches
                .subcommand()
                .and_then(|(s, m)| Some((s, m.subcommand()?)))
                .and_then(|(s, (o, m))| {
                    let service = SERVICES.iter().find(|x| x.name == s)?;
                    Some((service, service.operations.iter().find(|x| x.name == o)?, m))
                })
            else {
                return ::std::process::ExitCode::from(EXIT_USAGE);
            };
            let input = match merged_input(operation, op_matches, validate) {
                Ok(input) => input,
                Err((kind, message)) => {
                    let Some(cmd) = root.find_subcommand_mut(service.name).and_then(|c| c.find_subcommand_mut(operation.name)) else {
                        return ::std::process::ExitCode::from(EXIT_USAGE);
                    };
                    return Failure::clap(cmd.error(kind, message));
                }
            };
            if op_matches.get_flag("debug") {
                ::lifecycle_hooks::runtime::trace::install_stderr_subscriber();
            }
            let result = context(service, op_matches, validate).and_then(|ctx| {
                let runtime = ::tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| Failure::other("Build", "BuildError", format!("cannot start the async runtime: {e}")))?;
                runtime.block_on(run(service.name, operation.name, input, &ctx))
            });
            match result {
                Ok(text) => {
                    print(&mut ::std::io::stdout().lock(), &text);
                    ::std::process::ExitCode::SUCCESS
                }
                Err(failure) => failure.report(),
            }
        }

        /// Runs one operation of one service.
        async fn run(service: &str, operation: &str, input: ::serde_json::Value, ctx: &Context) -> Result<String, Failure> {
            match service {
                #(#dispatch)*
                other => Err(Failure::unknown_operation(other, operation)),
            }
        }

        /// Writes a line, ignoring a closed pipe (`hookctl ... | head` is fine).
        fn print(out: &mut dyn ::std::io::Write, text: &str) {
            let _ = writeln!(out, "{text}");
            let _ = out.flush();
        }

        /// The whole command tree; `validate` off lets enum flags take any value.
        fn command(validate: bool) -> ::clap::Command {
            ::clap::Command::new(#BIN)
                .version(env!("CARGO_PKG_VERSION"))
                .about(#about)
                .long_about(#long_about)
                .override_usage(#root_usage)
                .after_long_help(AFTER_HELP)
                .subcommand_required(true)
                .subcommand_value_name("SERVICE")
                .subcommand_help_heading("Services")
                .args(global_args())
                .subcommands(SERVICES.iter().map(|s| {
                    ::clap::Command::new(s.name)
                        .about(s.about)
                        .long_about(s.long_about)
                        .override_usage(s.usage)
                        .subcommand_required(true)
                        .subcommand_value_name("OPERATION")
                        .subcommand_help_heading("Operations")
                        .subcommands(s.operations.iter().map(|o| operation_command(o, validate)))
                }))
        }

        /// Options of every operation (given anywhere on the line).
        fn global_args() -> impl Iterator<Item = ::clap::Arg> {
            use ::clap::{Arg, ArgAction};
            let args = [
                Arg::new("endpoint-url")
                    .long("endpoint-url")
                    .value_name("URL")
                    .help("Send the request to this URL instead of the service's endpoint (http:// allowed)"),
                Arg::new("region")
                    .long("region")
                    .value_name("REGION")
                    .help("The region (overrides AWS_REGION / HUAWEICLOUD_SDK_REGION)"),
                Arg::new("profile")
                    .long("profile")
                    .value_name("NAME")
                    .help("The AWS profile of the shared config and credentials files (overrides AWS_PROFILE; the environment's keys are then not used)"),
                Arg::new("debug")
                    .long("debug")
                    .action(ArgAction::SetTrue)
                    .help("Trace the call on stderr: each attempt, its status, request id and timing, retries, credentials and proxy (never a secret)"),
                Arg::new("dry-run")
                    .long("dry-run")
                    .action(ArgAction::SetTrue)
                    .help("Validate, build and sign the request, print it as JSON, send nothing"),
                Arg::new("no-validate")
                    .long("no-validate")
                    .action(ArgAction::SetTrue)
                    .help("Skip the model's constraints (enum flags then take any value)"),
                Arg::new("max-attempts")
                    .long("max-attempts")
                    .value_name("N")
                    .value_parser(::clap::value_parser!(u32).range(1..))
                    .help("Attempts in total, retries included; 1 means no retry (default 3, or AWS_MAX_ATTEMPTS)"),
                Arg::new("timeout")
                    .long("timeout")
                    .value_name("SECONDS")
                    .value_parser(seconds)
                    .help("Limit for one attempt, in seconds (default 60)"),
                Arg::new("signing-time")
                    .long("signing-time")
                    .value_name("TIME")
                    .value_parser(signing_time)
                    .requires("dry-run")
                    .help("With --dry-run: sign as of this time (RFC 3339), for reproducible output"),
            ];
            args.into_iter().map(|arg| arg.global(true).help_heading("Global options"))
        }

        fn operation_command(o: &'static Operation, validate: bool) -> ::clap::Command {
            use ::clap::{Arg, ArgAction};
            let mut cmd = ::clap::Command::new(o.name)
                .about(o.about)
                .long_about(o.long_about)
                .override_usage(o.usage)
                .after_long_help(AFTER_HELP)
                .arg(
                    Arg::new("input-json")
                        .long("input-json")
                        .value_name("JSON|@FILE")
                        .value_parser(input_json)
                        .help("The input as a JSON object with the API's member names; flags override its members")
                        .long_help(
                            "The input as a JSON object with the API's member names, inline, or @FILE to\n\
                             read it from a file (@- reads standard input). Flags given too override\n\
                             its members.",
                        ),
                );
            for m in o.members {
                let mut arg = Arg::new(m.flag)
                    .long(m.flag)
                    .value_name(m.value_name)
                    .help(m.help)
                    .long_help(m.long_help)
                    .value_parser(::clap::builder::ValueParser::new(value_parser(m.kind, m.arity, validate)));
                arg = match (m.arity, m.kind) {
                    (Arity::One, Kind::Boolean) => arg.num_args(0..=1).default_missing_value("true"),
                    (Arity::One, _) => arg,
                    _ => arg.action(ArgAction::Append),
                };
                cmd = cmd.arg(arg);
            }
            if o.paginated {
                cmd = cmd.arg(
                    Arg::new("all-pages")
                        .long("all-pages")
                        .action(ArgAction::SetTrue)
                        .help("Follow the pagination token to the last page; print one output with every item"),
                );
            }
            cmd
        }

        /// Turns one command-line value of a flag into JSON.
        fn value_parser(kind: Kind, arity: Arity, validate: bool) -> impl Fn(&str) -> Result<::serde_json::Value, String> + Clone + Send + Sync + 'static {
            move |text: &str| {
                if arity != Arity::Map {
                    return parse_value(kind, text, validate);
                }
                let (key, value) = text.split_once('=').ok_or("expected KEY=VALUE")?;
                let mut entry = ::serde_json::Map::new();
                entry.insert(key.to_owned(), parse_value(kind, value, validate)?);
                Ok(::serde_json::Value::Object(entry))
            }
        }

        fn parse_value(kind: Kind, text: &str, validate: bool) -> Result<::serde_json::Value, String> {
            use ::serde_json::Value;
            match kind {
                Kind::String => Ok(Value::from(text)),
                Kind::Integer => text.trim().parse::<i32>().map(Value::from).map_err(|e| e.to_string()),
                Kind::Long => text.trim().parse::<i64>().map(Value::from).map_err(|e| e.to_string()),
                Kind::Boolean => match text {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    _ => Err("expected true or false".to_owned()),
                },
                Kind::Timestamp => match text.trim().parse::<::serde_json::Number>() {
                    Ok(seconds) => Ok(Value::Number(seconds)),
                    Err(_) => ::lifecycle_hooks::runtime::DateTime::parse_iso8601(text).map(|_| Value::from(text.trim())),
                },
                Kind::Enum(values) => enum_value(values, text, validate).map(Value::from),
                Kind::Json => ::serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}")),
            }
        }

        fn enum_value<'a>(values: &[&str], text: &'a str, validate: bool) -> Result<&'a str, String> {
            if !validate || values.contains(&text) {
                Ok(text)
            } else {
                Err(format!("expected one of {} (--no-validate lets other values through)", values.join(", ")))
            }
        }

        /// Whether a member's value in `--input-json` has the member's type.
        fn check_json(member: &Member, value: &::serde_json::Value, validate: bool) -> Result<(), String> {
            match member.arity {
                Arity::One => check_value(member.kind, value, validate),
                Arity::List => match value.as_array() {
                    Some(items) => items.iter().try_for_each(|v| check_value(member.kind, v, validate)),
                    None => Err(format!("expected a JSON array, found {value}")),
                },
                Arity::Map => match value.as_object() {
                    Some(entries) => entries.values().try_for_each(|v| check_value(member.kind, v, validate)),
                    None => Err(format!("expected a JSON object, found {value}")),
                },
            }
        }

        fn check_value(kind: Kind, value: &::serde_json::Value, validate: bool) -> Result<(), String> {
            let expected = match kind {
                Kind::String if value.is_string() => return Ok(()),
                Kind::String => "a string",
                Kind::Integer if value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()) => return Ok(()),
                Kind::Integer => "a 32-bit integer",
                Kind::Long if value.is_i64() => return Ok(()),
                Kind::Long => "a 64-bit integer",
                Kind::Boolean if value.is_boolean() => return Ok(()),
                Kind::Boolean => "true or false",
                Kind::Timestamp => return match value {
                    ::serde_json::Value::Number(_) => Ok(()),
                    ::serde_json::Value::String(s) => ::lifecycle_hooks::runtime::DateTime::parse_iso8601(s).map(drop),
                    _ => Err(format!("expected a timestamp, found {value}")),
                },
                Kind::Enum(values) => return match value.as_str() {
                    Some(s) => enum_value(values, s, validate).map(drop),
                    None => Err(format!("expected one of {}, found {value}", values.join(", "))),
                },
                Kind::Json => return Ok(()),
            };
            Err(format!("expected {expected}, found {value}"))
        }

        /// `--input-json`: inline JSON, `@FILE`, or `@-` (standard input); an object.
        fn input_json(text: &str) -> Result<::serde_json::Value, String> {
            let text = match text.strip_prefix('@') {
                Some("-") => ::std::io::read_to_string(::std::io::stdin()).map_err(|e| format!("cannot read standard input: {e}"))?,
                Some(path) => ::std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?,
                None => text.to_owned(),
            };
            match ::serde_json::from_str(&text) {
                Ok(value @ ::serde_json::Value::Object(_)) => Ok(value),
                Ok(_) => Err("expected a JSON object".to_owned()),
                Err(e) => Err(format!("invalid JSON: {e}")),
            }
        }

        fn seconds(text: &str) -> Result<::std::time::Duration, String> {
            match text.trim().parse::<f64>() {
                Ok(s) if s > 0.0 => ::std::time::Duration::try_from_secs_f64(s).map_err(|e| e.to_string()),
                _ => Err("expected a number of seconds above 0".to_owned()),
            }
        }

        fn signing_time(text: &str) -> Result<::std::time::SystemTime, String> {
            let time = ::lifecycle_hooks::runtime::DateTime::parse_iso8601(text)?;
            let nanos = u64::try_from(time.unix_timestamp_nanos()).map_err(|_| "expected a time after 1970".to_owned())?;
            Ok(::std::time::UNIX_EPOCH + ::std::time::Duration::from_nanos(nanos))
        }

        /// The operation's input: `--input-json`, then each flag given over it.
        /// Errors are usage errors, rendered by clap with the operation's usage.
        fn merged_input(op: &Operation, matches: &::clap::ArgMatches, validate: bool) -> Result<::serde_json::Value, (::clap::error::ErrorKind, String)> {
            use ::clap::error::ErrorKind;
            let mut input = match matches.get_one::<::serde_json::Value>("input-json") {
                Some(::serde_json::Value::Object(object)) => object.clone(),
                _ => ::serde_json::Map::new(),
            };
            input.retain(|_, v| !v.is_null());
            if let Some(unknown) = input.keys().find(|k| !op.members.iter().any(|m| m.wire == k.as_str())) {
                let known = op.members.iter().map(|m| m.wire).collect::<Vec<_>>().join(", ");
                return Err((ErrorKind::UnknownArgument, format!("--input-json has a member {unknown:?} that the input does not have (its members: {known})")));
            }
            for member in op.members {
                if let Some(mut values) = matches.get_many::<::serde_json::Value>(member.flag) {
                    let value = match member.arity {
                        Arity::One => values.next().cloned().unwrap_or_default(),
                        Arity::List => ::serde_json::Value::Array(values.cloned().collect()),
                        Arity::Map => ::serde_json::Value::Object(values.filter_map(|v| v.as_object()).flat_map(|o| o.clone()).collect()),
                    };
                    input.insert(member.wire.to_owned(), value);
                } else if let Some(value) = input.get(member.wire) {
                    check_json(member, value, validate)
                        .map_err(|e| (ErrorKind::InvalidValue, format!("invalid value of member {:?} in --input-json: {e}", member.wire)))?;
                }
            }
            let flag = |wire: &str| {
                let member = op.members.iter().find(|m| m.wire == wire);
                member.map_or_else(|| wire.to_owned(), |m| format!("--{} <{}>", m.flag, m.value_name))
            };
            let mut missing: Vec<String> = op.members.iter().filter(|m| m.required && !input.contains_key(m.wire)).map(|m| flag(m.wire)).collect();
            if !op.one_of.is_empty() && !op.one_of.iter().any(|alt| alt.iter().all(|w| input.contains_key(*w))) {
                let alternatives = op.one_of.iter().map(|alt| alt.iter().map(|w| flag(w)).collect::<Vec<_>>().join(" "));
                missing.push(format!("({})", alternatives.collect::<Vec<_>>().join(" | ")));
            }
            if !missing.is_empty() {
                return Err((
                    ErrorKind::MissingRequiredArgument,
                    format!("the following required arguments were not provided (as flags or in --input-json):\n  {}", missing.join("\n  ")),
                ));
            }
            Ok(::serde_json::Value::Object(input))
        }

        /// The configuration: the environment and the profile files as `Config::from_env_in`
        /// reads them (`--profile` naming the profile), then the flags; for an AWS service
        /// without a region, the instance's from EC2 instance metadata.
        fn context(service: &Service, matches: &::clap::ArgMatches, validate: bool) -> Result<Context, Failure> {
            let profile = matches.get_one::<String>("profile").map(String::as_str);
            let env = ::lifecycle_hooks::runtime::Env::from_process();
            let config = ::lifecycle_hooks::runtime::Config::from_env_in(&env, profile).map_err(Failure::config)?;
            let retry = *config.retry();
            let user_agent = format!("{}/{} {}", #BIN, env!("CARGO_PKG_VERSION"), config.user_agent());
            let mut builder = config.into_builder().validate(validate).user_agent(user_agent);
            if let Some(region) = matches.get_one::<String>("region") {
                builder = builder.region(region);
            }
            if let Some(url) = matches.get_one::<String>("endpoint-url") {
                builder = builder.endpoint_url(url);
            }
            if let Some(&max_attempts) = matches.get_one::<u32>("max-attempts") {
                builder = builder.retry(::lifecycle_hooks::runtime::RetryConfig { max_attempts, ..retry });
            }
            if let Some(&timeout) = matches.get_one::<::std::time::Duration>("timeout") {
                builder = builder.attempt_timeout(Some(timeout));
            }
            if let Some(&time) = matches.get_one::<::std::time::SystemTime>("signing-time") {
                builder = builder.signing_time(Some(time));
            }
            let mut config = builder.build();
            if matches!(service.meta.signing, ::lifecycle_hooks::runtime::SigningScheme::SigV4 { .. }) {
                config = config.with_instance_metadata_region_blocking();
            }
            Ok(Context {
                config,
                dry_run: matches.get_flag("dry-run"),
                all_pages: matches!(matches.try_get_one::<bool>("all-pages"), Ok(Some(true))),
            })
        }

        /// `--dry-run`'s output: the request exactly as it would be sent (session tokens masked).
        pub fn dry_run(request: ::lifecycle_hooks::runtime::PreparedRequest) -> Result<String, Failure> {
            let headers = request.redacted_headers();
            let headers: Vec<(&str, String)> = headers.iter().map(|(k, v)| (k.as_str(), string(v))).collect();
            Ok(object(&[
                ("method", string(&request.method)),
                ("url", string(&request.url)),
                ("headers", object(&headers)),
                ("body", string(&String::from_utf8_lossy(&request.body))),
            ]))
        }

        /// A JSON string.
        fn string(text: &str) -> String {
            ::serde_json::Value::from(text).to_string()
        }

        /// A pretty JSON object whose members keep this order (JSON texts as values).
        fn object(members: &[(&str, String)]) -> String {
            let lines: Vec<String> = members.iter().map(|(k, v)| format!("  {}: {}", string(k), v.replace('\n', "\n  "))).collect();
            if lines.is_empty() { "{}".to_owned() } else { format!("{{\n{}\n}}", lines.join(",\n")) }
        }

        /// A pretty JSON array of JSON texts.
        fn array(items: &[String]) -> String {
            let lines: Vec<String> = items.iter().map(|v| format!("  {}", v.replace('\n', "\n  "))).collect();
            if lines.is_empty() { "[]".to_owned() } else { format!("[\n{}\n]", lines.join(",\n")) }
        }

        /// Why a run failed: printed as `{"error": {...}}` on stderr, with an exit code.
        #[derive(Debug)]
        pub struct Failure {
            kind: &'static str,
            code: String,
            message: String,
            http_status: Option<u16>,
            request_id: Option<String>,
            retryable: bool,
            /// Members after the common ones, as JSON texts (`violations`, `usage`).
            extra: Vec<(&'static str, String)>,
            exit: u8,
        }

        impl Failure {
            fn other(kind: &'static str, code: &str, message: String) -> Failure {
                Failure {
                    kind,
                    code: code.to_owned(),
                    message,
                    http_status: None,
                    request_id: None,
                    retryable: false,
                    extra: Vec::new(),
                    exit: EXIT_OTHER,
                }
            }

            /// A failed call; `kind_of` names the service error's variant.
            pub fn call<E: ::lifecycle_hooks::runtime::ServiceError>(error: ::lifecycle_hooks::runtime::Error<E>, kind_of: fn(&E) -> &'static str) -> Failure {
                use ::lifecycle_hooks::runtime::Error;
                let (kind, exit) = match &error {
                    Error::Validation(_) => ("Validation", EXIT_VALIDATION),
                    Error::Build(_) => ("Build", EXIT_OTHER),
                    Error::Service(e) => (kind_of(e), EXIT_SERVICE),
                    Error::Transport(_) => ("Transport", EXIT_OTHER),
                    Error::Timeout { .. } => ("Timeout", EXIT_OTHER),
                    Error::Response { .. } => ("Response", EXIT_OTHER),
                    Error::RepeatedToken { .. } => ("RepeatedToken", EXIT_OTHER),
                    _ => ("Unknown", EXIT_OTHER),
                };
                let extra = match &error {
                    Error::Validation(v) => {
                        let violations: Vec<String> = v
                            .violations()
                            .iter()
                            .map(|v| object(&[("path", string(&v.path)), ("constraint", string(&v.constraint.to_string())), ("message", string(&v.message))]))
                            .collect();
                        vec![("violations", array(&violations))]
                    }
                    _ => Vec::new(),
                };
                Failure {
                    kind,
                    code: error.code().to_owned(),
                    message: error.message().unwrap_or_else(|| error.to_string()),
                    http_status: error.http_status(),
                    request_id: error.request_id().map(str::to_owned),
                    retryable: error.is_retryable(),
                    extra,
                    exit,
                }
            }

            pub fn config(error: ::lifecycle_hooks::runtime::ConfigError) -> Failure {
                Failure::other("Config", "ConfigError", error.to_string())
            }

            /// No credentials from any source (a configuration error: nothing was sent).
            pub fn credentials(error: ::lifecycle_hooks::runtime::CredentialsError) -> Failure {
                Failure::other("Config", "ConfigError", error.to_string())
            }

            /// The merged input does not deserialize into the operation's input type.
            pub fn input(error: ::serde_json::Error) -> Failure {
                Failure { exit: EXIT_USAGE, ..Failure::other("Usage", "UsageError", format!("invalid input: {error}")) }
            }

            pub fn output(error: ::serde_json::Error) -> Failure {
                Failure::other("Response", "ResponseError", format!("cannot print the output as JSON: {error}"))
            }

            pub fn unknown_operation(service: &str, operation: &str) -> Failure {
                Failure { exit: EXIT_USAGE, ..Failure::other("Usage", "UsageError", format!("unknown operation {service} {operation}")) }
            }

            /// A clap error: `--help` and `--version` print and succeed; anything else is a usage error.
            fn clap(error: ::clap::Error) -> ::std::process::ExitCode {
                use ::clap::error::ErrorKind;
                if matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                    let _ = error.print();
                    return ::std::process::ExitCode::SUCCESS;
                }
                // Rendered as "error: MESSAGE\n\nUsage: USAGE\n\nFor more information, try '--help'.".
                let text = error.render().to_string();
                let sections: Vec<&str> = text.split("\n\n").collect();
                let first = sections.first().copied().unwrap_or_default();
                let message = first.strip_prefix("error: ").unwrap_or(first).lines().map(str::trim).collect::<Vec<_>>().join(" ");
                let usage = sections.iter().find_map(|s| s.strip_prefix("Usage: ")).map(|u| u.lines().map(str::trim).collect::<Vec<_>>().join("\n"));
                let extra = usage.map(|u| ("usage", string(&u))).into_iter().collect();
                Failure { exit: EXIT_USAGE, extra, ..Failure::other("Usage", "UsageError", message) }.report()
            }

            /// Prints the failure on stderr; the exit code says which kind of failure it was.
            fn report(self) -> ::std::process::ExitCode {
                let optional = |v: Option<String>| v.unwrap_or_else(|| "null".to_owned());
                let mut members = vec![
                    ("kind", string(self.kind)),
                    ("code", string(&self.code)),
                    ("message", string(&self.message)),
                    ("http_status", optional(self.http_status.map(|s| s.to_string()))),
                    ("request_id", optional(self.request_id.as_deref().map(string))),
                    ("retryable", self.retryable.to_string()),
                ];
                members.extend(self.extra);
                print(&mut ::std::io::stderr().lock(), &object(&[("error", object(&members))]));
                ::std::process::ExitCode::from(self.exit)
            }
        }

        /// The generic part with every kind and arity of flag, whatever the models use.
        #[cfg(test)]
        mod tests {
            use super::*;
            use ::serde_json::{Value, json};

            const fn member(wire: &'static str, flag: &'static str, kind: Kind, arity: Arity, required: bool) -> Member {
                Member { wire, flag, kind, arity, required, value_name: "VALUE", help: "", long_help: "" }
            }

            static EVERY_KIND: Operation = Operation {
                name: "every-kind",
                about: "",
                long_about: "",
                usage: "",
                members: &[
                    member("Id", "id", Kind::String, Arity::One, true),
                    member("Names", "names", Kind::String, Arity::List, false),
                    member("Counts", "counts", Kind::Integer, Arity::Map, false),
                    member("Flag", "flag", Kind::Boolean, Arity::One, false),
                    member("Big", "big", Kind::Long, Arity::One, false),
                    member("At", "at", Kind::Timestamp, Arity::One, false),
                    member("Color", "color", Kind::Enum(&["RED", "GREEN"]), Arity::One, false),
                    member("Colors", "colors", Kind::Enum(&["RED", "GREEN"]), Arity::List, false),
                    member("Nested", "nested", Kind::Json, Arity::List, false),
                    member("A", "a", Kind::String, Arity::One, false),
                    member("B", "b", Kind::String, Arity::One, false),
                    member("C", "c", Kind::String, Arity::One, false),
                ],
                one_of: &[&["A"], &["B", "C"]],
                paginated: false,
            };

            fn parse(args: &[&str], validate: bool) -> Result<Value, String> {
                let line = ["every-kind"].into_iter().chain(args.iter().copied());
                let matches = operation_command(&EVERY_KIND, validate).try_get_matches_from(line).map_err(|e| e.to_string())?;
                merged_input(&EVERY_KIND, &matches, validate).map_err(|(_, message)| message)
            }

            #[test]
            fn every_kind_of_flag_becomes_its_json() {
                let input = parse(
                    &[
                        "--id", "x", "--a", "k", "--names", "n1", "--names", "n2", "--counts", "one=1", "--counts", "two=-2",
                        "--counts", "eq=3", "--flag", "--big", "9007199254740993", "--at", "2024-01-02T03:04:05Z",
                        "--color", "RED", "--colors", "GREEN", "--colors", "RED", "--nested", "{\"k\": [1]}", "--nested", "[]",
                    ],
                    true,
                );
                assert_eq!(
                    input.unwrap(),
                    json!({
                        "Id": "x", "A": "k", "Names": ["n1", "n2"], "Counts": {"one": 1, "two": -2, "eq": 3}, "Flag": true,
                        "Big": 9007199254740993_i64, "At": "2024-01-02T03:04:05Z", "Color": "RED", "Colors": ["GREEN", "RED"],
                        "Nested": [{"k": [1]}, []]
                    })
                );
                let input = parse(&["--id", "x", "--a", "k", "--flag", "false", "--at", "1704164645.5", "--counts", "k=v=1"], true);
                assert!(input.as_ref().is_err_and(|e| e.contains("invalid digit")), "{input:?}");
                let input = parse(&["--id", "x", "--a", "k", "--flag", "false", "--at", "1704164645.5"], true).unwrap();
                assert_eq!((&input["Flag"], &input["At"]), (&json!(false), &json!(1704164645.5)));
            }

            #[test]
            fn bad_values_are_refused_with_the_reason() {
                for (args, why) in [
                    (&["--counts", "novalue"][..], "expected KEY=VALUE"),
                    (&["--counts", "k=x"], "invalid digit"),
                    (&["--flag", "yes"], "expected true or false"),
                    (&["--big", "1.5"], "invalid digit"),
                    (&["--at", "yesterday"], "invalid timestamp"),
                    (&["--color", "BLUE"], "expected one of RED, GREEN"),
                    (&["--colors", "RED", "--colors", "red"], "expected one of RED, GREEN"),
                    (&["--nested", "{"], "invalid JSON"),
                ] {
                    let line: Vec<&str> = ["--id", "x", "--a", "k"].into_iter().chain(args.iter().copied()).collect();
                    let err = parse(&line, true).unwrap_err();
                    assert!(err.contains(why), "{args:?}: {err}");
                }
                // Without validation, enum values are anything.
                let input = parse(&["--id", "x", "--a", "k", "--color", "BLUE", "--colors", "red"], false).unwrap();
                assert_eq!((&input["Color"], &input["Colors"]), (&json!("BLUE"), &json!(["red"])));
            }

            #[test]
            fn input_json_members_are_type_checked_and_flags_win() {
                let json_arg = |v: Value| vec!["--input-json".to_owned(), v.to_string()];
                let run = |extra: Vec<String>| {
                    let line: Vec<&str> = extra.iter().map(String::as_str).collect();
                    parse(&line, true)
                };
                let base = json!({"Id": "x", "A": "k", "Names": ["j"], "Counts": {"a": 1}, "Flag": false, "At": 5, "Colors": ["RED"]});
                let mut args = json_arg(base.clone());
                args.extend(["--names".into(), "f1".into(), "--names".into(), "f2".into()]);
                let input = run(args).unwrap();
                assert_eq!(input["Names"], json!(["f1", "f2"]), "a repeated flag replaces the whole list");
                assert_eq!(input["Counts"], json!({"a": 1}));
                for (member, value, why) in [
                    ("Names", json!("j"), "expected a JSON array"),
                    ("Names", json!([1]), "expected a string"),
                    ("Counts", json!({"a": "1"}), "expected a 32-bit integer"),
                    ("Counts", json!({"a": 3_000_000_000_i64}), "expected a 32-bit integer"),
                    ("Counts", json!([1]), "expected a JSON object"),
                    ("Flag", json!("true"), "expected true or false"),
                    ("Big", json!(1.5), "expected a 64-bit integer"),
                    ("At", json!("soon"), "invalid timestamp"),
                    ("Colors", json!(["BLUE"]), "expected one of RED, GREEN"),
                ] {
                    let mut input = base.clone();
                    input[member] = value;
                    let err = run(json_arg(input)).unwrap_err();
                    assert!(err.contains(member) && err.contains(why), "{member}: {err}");
                }
            }

            #[test]
            fn required_members_and_one_of_alternatives() {
                let err = parse(&["--b", "only-b"], true).unwrap_err();
                assert!(err.contains("--id <VALUE>") && err.contains("(--a <VALUE> | --b <VALUE> --c <VALUE>)"), "{err}");
                assert!(parse(&["--id", "x", "--b", "1", "--c", "2"], true).is_ok());
                let err = parse(&["--input-json", r#"{"Id": null, "A": "k"}"#], true).unwrap_err();
                assert!(err.contains("--id <VALUE>"), "null is absent: {err}");
            }

            #[test]
            fn ordered_json_objects_nest_and_escape() {
                let inner = object(&[("b\"", string("x\ny")), ("list", array(&["1".into(), object(&[])]))]);
                let text = object(&[("z", "null".into()), ("a", inner)]);
                let parsed: Value = ::serde_json::from_str(&text).unwrap();
                assert_eq!(parsed, json!({"z": null, "a": {"b\"": "x\ny", "list": [1, {}]}}));
                assert!(text.find("\"z\"").unwrap() < text.find("\"a\"").unwrap(), "order kept:\n{text}");
                assert_eq!(array(&[]), "[]");
            }

            #[test]
            fn every_command_builds() {
                command(true).debug_assert();
                command(false).debug_assert();
                operation_command(&EVERY_KIND, true).debug_assert();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_hangs_list_items_and_counts_characters() {
        assert_eq!(wrap("- aaa bbb ccc", 9), "- aaa bbb\n  ccc");
        assert_eq!(wrap("12. aaa bbb", 9), "12. aaa\n    bbb");
        assert_eq!(wrap("ééé ééé", 7), "ééé ééé", "7 characters, 14 bytes");
        assert_eq!(wrap("one\n\n  two three", 6), "one\n\n  two\n  three");
        assert_eq!(wrap("averyveryverylongword x", 5), "averyveryverylongword\nx", "a long word stays whole");
    }

    #[test]
    fn summary_is_the_first_sentence_of_the_first_paragraph() {
        assert_eq!(summary(&["".into(), "Does it. Then more.\nSecond line.".into()]), "Does it.");
        assert_eq!(summary(&["Version 1.2 of it".into()]), "Version 1.2 of it");
        assert_eq!(summary(&[]), "");
    }
}

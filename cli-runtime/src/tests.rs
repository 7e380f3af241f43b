//! The generic part with every kind and arity of flag, whatever the models use:
//! an operation table written here, read through the same `Args` the
//! generated functions read.

use std::collections::BTreeMap;

use lifecycle_hooks_runtime::{Blob, Config, DateTime};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::args::{Args, Context, given_input};
use crate::command::{command, operation_command};
use crate::values::{self, Parser};
use crate::{App, Arity, Failure, Member, Operation, Service};

/// An open enumeration, as the generated ones are.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(from = "String")]
enum Color {
    Red,
    Green,
    Unknown(String),
}

impl From<&str> for Color {
    fn from(text: &str) -> Self {
        match text {
            "RED" => Color::Red,
            "GREEN" => Color::Green,
            other => Color::Unknown(other.to_owned()),
        }
    }
}

impl From<String> for Color {
    fn from(text: String) -> Self {
        Color::from(text.as_str())
    }
}

const COLORS: &[&str] = &["RED", "GREEN"];

const fn member(wire: &'static str, flag: &'static str, arity: Arity, parser: Parser, required: bool) -> Member {
    Member {
        wire,
        flag,
        arity,
        parser,
        values: None,
        switch: false,
        required,
        value_name: "VALUE",
        help: "",
        long_help: "",
    }
}

static EVERY_KIND: Operation = Operation {
    name: "every-kind",
    about: "",
    long_about: "",
    usage: "",
    members: &[
        member("Id", "id", Arity::One, values::flag::<String>, true),
        member("Names", "names", Arity::List, values::flag::<String>, false),
        member("Counts", "counts", Arity::Map, values::flag::<i32>, false),
        Member { switch: true, ..member("Flag", "flag", Arity::One, values::flag::<bool>, false) },
        member("Big", "big", Arity::One, values::flag::<i64>, false),
        member("At", "at", Arity::One, values::flag::<DateTime>, false),
        Member { values: Some(COLORS), ..member("Color", "color", Arity::One, values::choice::<Color>, false) },
        Member { values: Some(COLORS), ..member("Colors", "colors", Arity::List, values::choice::<Color>, false) },
        member("Nested", "nested", Arity::List, values::json::<Value>, false),
        member("A", "a", Arity::One, values::flag::<String>, false),
        member("B", "b", Arity::One, values::flag::<String>, false),
        member("C", "c", Arity::One, values::flag::<String>, false),
        member("Data", "data", Arity::One, values::flag::<Blob>, false),
        member("Ratio", "ratio", Arity::One, values::flag::<f32>, false),
        member("Open", "open", Arity::One, values::choice::<Color>, false),
    ],
    one_of: &[&[9], &[10, 11]],
    paginated: false,
    run: every_kind,
};

/// What the generated function of `EVERY_KIND` would read, as JSON text.
fn every_kind(args: &Args<'_>) -> Result<String, Failure> {
    let id: String = args.require(0)?;
    let names: Option<Vec<String>> = args.get_list(1)?;
    let counts: Option<BTreeMap<String, i32>> = args.get_map(2)?;
    let flag: Option<bool> = args.get(3)?;
    let big: Option<i64> = args.get(4)?;
    let at: Option<DateTime> = args.get(5)?;
    let color: Option<Color> = args.get(6)?;
    let colors: Option<Vec<Color>> = args.get_list(7)?;
    let nested: Option<Vec<Value>> = args.get_list(8)?;
    let alternative = args.alternative()?;
    let data: Option<Blob> = args.get(12)?;
    let ratio: Option<f32> = args.get(13)?;
    let open: Option<Color> = args.get(14)?;
    Ok(format!(
        "{id} {names:?} {counts:?} {flag:?} {big:?} {} {color:?} {colors:?} {nested:?} alt={alternative} {:?} {ratio:?} {open:?}",
        at.map(|t| t.to_string()).unwrap_or_default(),
        data.map(|d| d.into_inner()),
    ))
}

/// Parses `args` as the line of `EVERY_KIND` and reads it; usage errors as their message.
fn parse(args: &[&str], validate: bool) -> Result<String, String> {
    let line = ["every-kind"].into_iter().chain(args.iter().copied());
    let matches = operation_command(&EVERY_KIND, validate).try_get_matches_from(line).map_err(|e| e.to_string())?;
    let json = given_input(&EVERY_KIND, &matches).map_err(|f| f.message().to_owned())?;
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    let context = Context { config: Config::default(), dry_run: false, all_pages: false, runtime };
    every_kind(&Args::new(&EVERY_KIND, &matches, json, context)).map_err(|f| f.message().to_owned())
}

#[test]
fn every_kind_of_flag_becomes_its_typed_value() {
    let read = parse(
        &[
            "--id",
            "x",
            "--a",
            "k",
            "--names",
            "n1",
            "--names",
            "n2",
            "--counts",
            "one=1",
            "--counts",
            "two=-2",
            "--counts",
            "eq=3",
            "--counts",
            "one=4",
            "--flag",
            "--big",
            "9007199254740993",
            "--at",
            "2024-01-02T03:04:05Z",
            "--color",
            "RED",
            "--colors",
            "GREEN",
            "--colors",
            "RED",
            "--nested",
            "{\"k\": [1]}",
            "--nested",
            "[]",
            "--data",
            "aGk=",
            "--ratio",
            "0.5",
            "--open",
            "ANY",
        ],
        true,
    )
    .unwrap();
    assert_eq!(
        read,
        r#"x Some(["n1", "n2"]) Some({"eq": 3, "one": 4, "two": -2}) Some(true) Some(9007199254740993) 2024-01-02T03:04:05Z Some(Red) Some([Green, Red]) Some([Object {"k": Array [Number(1)]}, Array []]) alt=0 Some([104, 105]) Some(0.5) Some(Unknown("ANY"))"#
    );
    let read = parse(&["--id", "x", "--b", "1", "--c", "2", "--flag", "false", "--at", "1704164645.5"], true).unwrap();
    assert!(
        read.contains("Some(false)") && read.contains("2024-01-02T03:04:05.5Z") && read.contains("alt=1"),
        "{read}"
    );
}

#[test]
fn bad_values_are_refused_with_the_reason() {
    for (args, why) in [
        (&["--counts", "novalue"][..], "expected KEY=VALUE"),
        (&["--counts", "k=x"], "invalid digit"),
        (&["--counts", "k=v=1"], "invalid digit"),
        (&["--counts", "k=3000000000"], "too large"),
        (&["--flag", "yes"], "expected true or false"),
        (&["--big", "1.5"], "invalid digit"),
        (&["--at", "yesterday"], "invalid timestamp"),
        (&["--color", "BLUE"], "expected one of RED, GREEN"),
        (&["--colors", "RED", "--colors", "red"], "expected one of RED, GREEN"),
        (&["--nested", "{"], "invalid JSON"),
        (&["--data", "a*b"], "invalid base64"),
        (&["--ratio", "1e39"], "beyond a 32-bit float"),
    ] {
        let line: Vec<&str> = ["--id", "x", "--a", "k"].into_iter().chain(args.iter().copied()).collect();
        let err = parse(&line, true).unwrap_err();
        assert!(err.contains(why), "{args:?}: {err}");
    }
    // Without validation, enumeration values are anything, kept as given.
    let read = parse(&["--id", "x", "--a", "k", "--color", "BLUE", "--colors", "red"], false).unwrap();
    assert!(read.contains(r#"Some(Unknown("BLUE")) Some([Unknown("red")])"#), "{read}");
}

#[test]
fn input_json_members_are_read_into_their_types_and_flags_win() {
    let run = |json: Value, flags: &[&str]| {
        let text = json.to_string();
        let line: Vec<&str> = ["--input-json", text.as_str()].into_iter().chain(flags.iter().copied()).collect();
        parse(&line, true)
    };
    let base = json!({"Id": "x", "A": "k", "Names": ["j"], "Counts": {"a": 1}, "Flag": false, "At": 5, "Colors": ["RED"], "Data": "aGk="});
    let read = run(base.clone(), &["--names", "f1", "--names", "f2"]).unwrap();
    assert!(
        read.starts_with(r#"x Some(["f1", "f2"]) Some({"a": 1}) Some(false)"#),
        "a repeated flag replaces the whole list: {read}"
    );
    assert!(read.contains("1970-01-01T00:00:05Z") && read.contains("Some([104, 105])"), "{read}");
    for (member, value, why) in [
        ("Names", json!("j"), "invalid type: string \"j\", expected a sequence"),
        ("Names", json!([1]), "invalid type: integer `1`, expected a string"),
        ("Counts", json!({"a": "1"}), "expected i32"),
        ("Counts", json!({"a": 3_000_000_000_i64}), "expected i32"),
        ("Counts", json!([1]), "expected a map"),
        ("Flag", json!("true"), "expected a boolean"),
        ("Big", json!(1.5), "expected i64"),
        ("At", json!("soon"), "soon"),
        ("Data", json!("a*b"), "invalid base64"),
    ] {
        let mut input = base.clone();
        input[member] = value;
        let err = run(input, &[]).unwrap_err();
        assert!(err.contains(&format!("member {member:?} in --input-json")) && err.contains(why), "{member}: {err}");
    }
    // An enumeration's value outside its list is the model's constraint, checked by validation.
    let mut input = base.clone();
    input["Colors"] = json!(["BLUE"]);
    assert!(run(input, &[]).unwrap().contains(r#"Some([Unknown("BLUE")])"#));
    let err = run(json!({"Id": "x", "A": "k", "Extra": 1}), &[]).unwrap_err();
    assert!(err.contains(r#"a member "Extra" that the input does not have"#), "{err}");
}

#[test]
fn required_members_and_one_of_alternatives() {
    let err = parse(&["--b", "only-b"], true).unwrap_err();
    assert!(err.contains("--id <VALUE>") && err.contains("(--a <VALUE> | --b <VALUE> --c <VALUE>)"), "{err}");
    assert!(parse(&["--id", "x", "--b", "1", "--c", "2"], true).is_ok());
    let err = parse(&["--input-json", r#"{"Id": null, "A": "k"}"#], true).unwrap_err();
    assert!(err.contains("--id <VALUE>"), "null is absent: {err}");
    // Both alternatives complete: the first wins.
    assert!(parse(&["--id", "x", "--a", "k", "--b", "1", "--c", "2"], true).unwrap().contains("alt=0"));
}

#[test]
fn every_command_builds() {
    static SERVICE: Service =
        Service { name: "every", meta: &META, about: "", long_about: "", usage: "", operations: &[] };
    static META: lifecycle_hooks_runtime::ServiceMeta = lifecycle_hooks_runtime::ServiceMeta {
        name: "every",
        api_version: "1",
        protocol: lifecycle_hooks_runtime::Protocol::RestJson1,
        signing: lifecycle_hooks_runtime::SigningScheme::SigV4 { name: "every" },
        endpoint_template: "https://every.{region}.amazonaws.com",
        endpoint_partitions: &[],
        service_id: None,
    };
    static APP: App = App { name: "t", version: "1", about: "", long_about: "", usage: "", services: &[&SERVICE] };
    command(&APP, true).debug_assert();
    command(&APP, false).debug_assert();
    operation_command(&EVERY_KIND, true).debug_assert();
}

//! The clap command tree, built at run time from the generated tables
//! (clap's builder API: no derive, no proc macros to compile).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::builder::ValueParser;
use clap::{Arg, ArgAction, Command};
use serde_json::Value;

use crate::values::Flag;
use crate::{App, Arity, Operation};

/// Input, output, exit codes and environment: the end of the root's and every operation's `--help`.
const AFTER_HELP: &str = r#"Input:
  One flag per member of the operation's input, in kebab case
  (AutoScalingGroupName: --auto-scaling-group-name). Lists: repeat the flag.
  Maps: repeat KEY=VALUE. Structures and nested lists: JSON text. Blobs:
  base64. --input-json takes the whole input as a JSON object with the API's
  member names, inline or @FILE (@- reads standard input); flags override its
  members.

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
  2  usage: unknown flag or value, a value of the wrong type (an enumeration
     flag's value outside the model's list among them), missing required
     member, bad --input-json
  3  validation: the input breaks a constraint of the model (in --input-json,
     an enumeration's value outside its list too); nothing was sent
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

/// The whole command tree; `validate` off lets enumeration flags take any value.
pub(crate) fn command(app: &App, validate: bool) -> Command {
    Command::new(app.name)
        .version(app.version)
        .about(app.about)
        .long_about(app.long_about)
        .override_usage(app.usage)
        .after_long_help(AFTER_HELP)
        .subcommand_required(true)
        .subcommand_value_name("SERVICE")
        .subcommand_help_heading("Services")
        .args(global_args())
        .subcommands(app.services.iter().map(|s| {
            Command::new(s.name)
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
fn global_args() -> impl Iterator<Item = Arg> {
    let args = [
        Arg::new("endpoint-url")
            .long("endpoint-url")
            .value_name("URL")
            .help("Send the request to this URL instead of the service's endpoint (http:// allowed)"),
        Arg::new("region").long("region").value_name("REGION").help("The region (overrides AWS_REGION / HUAWEICLOUD_SDK_REGION)"),
        Arg::new("profile").long("profile").value_name("NAME").help(
            "The AWS profile of the shared config and credentials files (overrides AWS_PROFILE; the environment's keys are then not used)",
        ),
        Arg::new("debug").long("debug").action(ArgAction::SetTrue).help(
            "Trace the call on stderr: each attempt, its status, request id and timing, retries, credentials and proxy (never a secret)",
        ),
        Arg::new("dry-run")
            .long("dry-run")
            .action(ArgAction::SetTrue)
            .help("Validate, build and sign the request, print it as JSON, send nothing"),
        Arg::new("no-validate")
            .long("no-validate")
            .action(ArgAction::SetTrue)
            .help("Skip the model's constraints (enumeration flags then take any value)"),
        Arg::new("max-attempts")
            .long("max-attempts")
            .value_name("N")
            .value_parser(clap::value_parser!(u32).range(1..))
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

pub(crate) fn operation_command(o: &'static Operation, validate: bool) -> Command {
    let mut cmd = Command::new(o.name)
        .about(o.about)
        .long_about(o.long_about)
        .override_usage(o.usage)
        .after_long_help(AFTER_HELP)
        .arg(
            Arg::new("input-json")
                .long("input-json")
                .value_name("JSON|@FILE")
                .value_parser(ValueParser::new(input_json))
                .help("The input as a JSON object with the API's member names; flags override its members")
                .long_help(
                    "The input as a JSON object with the API's member names, inline, or @FILE to\n\
                 read it from a file (@- reads standard input). Flags given too override\n\
                 its members.",
                ),
        );
    for m in o.members {
        let flag = Flag { validate, values: m.values, entry: m.arity == Arity::Map };
        let mut arg = Arg::new(m.flag)
            .long(m.flag)
            .value_name(m.value_name)
            .help(m.help)
            .long_help(m.long_help)
            .value_parser((m.parser)(&flag));
        arg = match m.arity {
            Arity::One if m.switch => arg.num_args(0..=1).default_missing_value("true"),
            Arity::One => arg,
            Arity::List | Arity::Map => arg.action(ArgAction::Append),
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

/// `--input-json`: inline JSON, `@FILE`, or `@-` (standard input); an object.
fn input_json(text: &str) -> Result<Value, String> {
    let text = match text.strip_prefix('@') {
        Some("-") => {
            std::io::read_to_string(std::io::stdin()).map_err(|e| format!("cannot read standard input: {e}"))?
        }
        Some(path) => std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?,
        None => text.to_owned(),
    };
    match serde_json::from_str(&text) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err("expected a JSON object".to_owned()),
        Err(e) => Err(format!("invalid JSON: {e}")),
    }
}

fn seconds(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<f64>() {
        Ok(s) if s > 0.0 => Duration::try_from_secs_f64(s).map_err(|e| e.to_string()),
        _ => Err("expected a number of seconds above 0".to_owned()),
    }
}

fn signing_time(text: &str) -> Result<SystemTime, String> {
    let time = lifecycle_hooks_runtime::DateTime::parse_iso8601(text)?;
    let nanos = u64::try_from(time.unix_timestamp_nanos()).map_err(|_| "expected a time after 1970".to_owned())?;
    Ok(UNIX_EPOCH + Duration::from_nanos(nanos))
}

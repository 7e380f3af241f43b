//! Why a run failed: printed as `{"error": {...}}` on stderr, with an exit
//! code that says which kind of failure it was.

use std::process::ExitCode;

use clap::error::ErrorKind;
use lifecycle_hooks_runtime::{ConfigError, CredentialsError, Error, ServiceError};

use crate::output::{array, object, print, string};

/// Exit code of a usage error (bad flag, value or `--input-json`, missing member).
pub const EXIT_USAGE: u8 = 2;
/// Exit code of an input that breaks the model's constraints.
pub const EXIT_VALIDATION: u8 = 3;
/// Exit code of an error answer of the service.
pub const EXIT_SERVICE: u8 = 4;
/// Exit code of any other failure.
pub const EXIT_OTHER: u8 = 5;

/// A failed run.
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
    /// A usage error still to be rendered by clap, with the operation's usage.
    pub(crate) usage: Option<ErrorKind>,
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
            usage: None,
        }
    }

    /// A failed call: validation, an error answer (its kind is the modeled
    /// error's name, or `Unhandled`), transport, timeout.
    pub fn call<E: ServiceError>(error: Error<E>) -> Failure {
        let (kind, exit) = match &error {
            Error::Validation(_) => ("Validation", EXIT_VALIDATION),
            Error::Build(_) => ("Build", EXIT_OTHER),
            Error::Service(e) => (e.shape_name().unwrap_or("Unhandled"), EXIT_SERVICE),
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
                    .map(|v| {
                        object(&[
                            ("path", string(&v.path)),
                            ("constraint", string(&v.constraint.to_string())),
                            ("message", string(&v.message)),
                        ])
                    })
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
            usage: None,
        }
    }

    /// A configuration the client refuses.
    pub fn config(error: ConfigError) -> Failure {
        Failure::other("Config", "ConfigError", error.to_string())
    }

    /// No credentials from any source (a configuration error: nothing was sent).
    pub fn credentials(error: CredentialsError) -> Failure {
        Failure::other("Config", "ConfigError", error.to_string())
    }

    /// The output does not print as JSON.
    pub fn output(error: serde_json::Error) -> Failure {
        Failure::other("Response", "ResponseError", format!("cannot print the output as JSON: {error}"))
    }

    /// The async runtime does not start.
    pub(crate) fn build(message: String) -> Failure {
        Failure::other("Build", "BuildError", message)
    }

    /// A usage error of an operation, rendered by clap with its usage.
    pub(crate) fn usage(kind: ErrorKind, message: String) -> Failure {
        Failure { exit: EXIT_USAGE, usage: Some(kind), ..Failure::other("Usage", "UsageError", message) }
    }

    /// The generated tables and functions disagree: a fault of the tool, not of its user.
    pub(crate) fn internal(message: String) -> Failure {
        Failure::other("Internal", "InternalError", format!("hookctl is inconsistent: {message}"))
    }

    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// A clap error: `--help` and `--version` print and succeed; anything else is a usage error.
    pub(crate) fn clap(error: clap::Error) -> ExitCode {
        if matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        // Rendered as "error: MESSAGE\n\nUsage: USAGE\n\nFor more information, try '--help'.".
        let text = error.render().to_string();
        let sections: Vec<&str> = text.split("\n\n").collect();
        let first = sections.first().copied().unwrap_or_default();
        let message =
            first.strip_prefix("error: ").unwrap_or(first).lines().map(str::trim).collect::<Vec<_>>().join(" ");
        let usage = sections
            .iter()
            .find_map(|s| s.strip_prefix("Usage: "))
            .map(|u| u.lines().map(str::trim).collect::<Vec<_>>().join("\n"));
        let extra = usage.map(|u| ("usage", string(&u))).into_iter().collect();
        Failure { exit: EXIT_USAGE, extra, ..Failure::other("Usage", "UsageError", message) }.report()
    }

    /// Prints the failure on stderr; the exit code says which kind of failure it was.
    pub(crate) fn report(self) -> ExitCode {
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
        print(&mut std::io::stderr().lock(), &object(&[("error", object(&members))]));
        ExitCode::from(self.exit)
    }
}

//! What the generated CLI says about its services: static tables the command
//! tree is built from, and the function that runs each operation.

use crate::{Args, Failure, values::Parser};

/// The whole tool: its name and its services, in subcommand order.
pub struct App {
    /// The binary's name (`hookctl`).
    pub name: &'static str,
    /// The tool's version (`env!("CARGO_PKG_VERSION")` of the generated package).
    pub version: &'static str,
    /// The one-line summary `-h` shows.
    pub about: &'static str,
    /// What `--help` shows above the flags.
    pub long_about: &'static str,
    /// The usage line.
    pub usage: &'static str,
    /// The services, in subcommand order.
    pub services: &'static [&'static Service],
}

/// A service's subcommand.
pub struct Service {
    /// The subcommand (kebab case).
    pub name: &'static str,
    /// The library's facts about the service (its signing scheme, so its vendor).
    pub meta: &'static lifecycle_hooks_runtime::ServiceMeta,
    /// The one-line summary `-h` shows.
    pub about: &'static str,
    /// What `--help` shows above the flags.
    pub long_about: &'static str,
    /// The usage line.
    pub usage: &'static str,
    /// The operations, in subcommand order.
    pub operations: &'static [Operation],
}

/// An operation's subcommand.
pub struct Operation {
    /// The subcommand (kebab case).
    pub name: &'static str,
    /// The one-line summary `-h` shows.
    pub about: &'static str,
    /// What `--help` shows above the flags.
    pub long_about: &'static str,
    /// Usage lines, with the required members spelled out.
    pub usage: &'static str,
    /// The members of the input, in model order: `Args` reads them by index.
    pub members: &'static [Member],
    /// For an input with a one-of: each alternative's members (indices into
    /// `members`); one alternative must be complete.
    pub one_of: &'static [&'static [usize]],
    /// Offers `--all-pages`.
    pub paginated: bool,
    /// Builds the typed input from the flags and `--input-json`, then calls,
    /// prepares or pages; the output is JSON text.
    pub run: fn(&Args<'_>) -> Result<String, Failure>,
}

/// A member of an operation's input, and its flag.
pub struct Member {
    /// The API's name, the key in `--input-json`.
    pub wire: &'static str,
    /// The flag, without `--`; also the clap id.
    pub flag: &'static str,
    /// One value, a list or a map.
    pub arity: Arity,
    /// Makes one value of the flag (an element of a list, a `KEY=VALUE` entry of a map).
    pub parser: Parser,
    /// The values an enumeration flag takes, when the model checks them
    /// (`--no-validate` lets others through).
    pub values: Option<&'static [&'static str]>,
    /// A boolean: `--flag` alone means `true`.
    pub switch: bool,
    /// Must be given (as a flag or in `--input-json`).
    pub required: bool,
    /// The placeholder of its value in usage and help (`STRING`, `KEY=VALUE`).
    pub value_name: &'static str,
    /// The one-line help `-h` shows.
    pub help: &'static str,
    /// The help `--help` shows: the model's documentation, the type, the constraints.
    pub long_help: &'static str,
}

impl Member {
    /// `--flag <VALUE>`, as usage lines and errors show it.
    pub fn usage(&self) -> String {
        format!("--{} <{}>", self.flag, self.value_name)
    }
}

/// How many values a flag takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    /// One value.
    One,
    /// Repeated, one element each.
    List,
    /// Repeated, `KEY=VALUE` each.
    Map,
}

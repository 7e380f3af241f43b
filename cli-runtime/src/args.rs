//! An operation's input as the command line gives it: each member from its
//! flag (typed by clap, see [`crate::values`]) or else from `--input-json`
//! (deserialized into the member's type), read by the generated code member by
//! member into the library's input type.

use std::collections::BTreeMap;
use std::future::Future;

use clap::ArgMatches;
use clap::error::ErrorKind;
use clap::parser::ValueSource;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::{Failure, Member, Operation};

/// What an operation's function reads: its members, and how to run.
pub struct Args<'a> {
    operation: &'static Operation,
    matches: &'a ArgMatches,
    /// `--input-json`'s members, without the null ones (a null counts as absent).
    json: Map<String, Value>,
    context: Context,
}

/// What an operation needs besides its input.
pub(crate) struct Context {
    pub(crate) config: lifecycle_hooks_runtime::Config,
    pub(crate) dry_run: bool,
    pub(crate) all_pages: bool,
    /// One call at a time: a current-thread runtime.
    pub(crate) runtime: tokio::runtime::Runtime,
}

/// `--input-json`'s members, once the whole input is known to be complete:
/// unknown members, missing required members and an incomplete one-of are
/// refused here, all at once, before any value is read or any configuration made.
pub(crate) fn given_input(operation: &'static Operation, matches: &ArgMatches) -> Result<Map<String, Value>, Failure> {
    let mut json = match matches.get_one::<Value>("input-json") {
        Some(Value::Object(object)) => object.clone(),
        _ => Map::new(),
    };
    json.retain(|_, v| !v.is_null());
    if let Some(unknown) = json.keys().find(|k| !operation.members.iter().any(|m| m.wire == k.as_str())) {
        let known = operation.members.iter().map(|m| m.wire).collect::<Vec<_>>().join(", ");
        return Err(Failure::usage(
            ErrorKind::UnknownArgument,
            format!("--input-json has a member {unknown:?} that the input does not have (its members: {known})"),
        ));
    }
    let given = |m: &Member| {
        matches!(matches.value_source(m.flag), Some(ValueSource::CommandLine)) || json.contains_key(m.wire)
    };
    let mut missing: Vec<String> =
        operation.members.iter().filter(|m| m.required && !given(m)).map(Member::usage).collect();
    if !operation.one_of.is_empty() && alternative(operation, given).is_none() {
        let alternatives = operation.one_of.iter().map(|alt| {
            alt.iter().filter_map(|&i| operation.members.get(i)).map(Member::usage).collect::<Vec<_>>().join(" ")
        });
        missing.push(format!("({})", alternatives.collect::<Vec<_>>().join(" | ")));
    }
    if !missing.is_empty() {
        return Err(Failure::usage(
            ErrorKind::MissingRequiredArgument,
            format!(
                "the following required arguments were not provided (as flags or in --input-json):\n  {}",
                missing.join("\n  ")
            ),
        ));
    }
    Ok(json)
}

/// The first one-of alternative whose members are all given.
fn alternative(operation: &Operation, given: impl Fn(&Member) -> bool) -> Option<usize> {
    operation.one_of.iter().position(|alt| alt.iter().all(|&i| operation.members.get(i).is_some_and(&given)))
}

impl<'a> Args<'a> {
    pub(crate) fn new(
        operation: &'static Operation,
        matches: &'a ArgMatches,
        json: Map<String, Value>,
        context: Context,
    ) -> Self {
        Args { operation, matches, json, context }
    }

    fn member(&self, index: usize) -> Result<&'static Member, Failure> {
        self.operation.members.get(index).ok_or_else(|| Failure::internal(format!("no member {index}")))
    }

    /// Whether a member is given, as a flag or in `--input-json`.
    fn given(&self, member: &Member) -> bool {
        matches!(self.matches.value_source(member.flag), Some(ValueSource::CommandLine))
            || self.json.contains_key(member.wire)
    }

    /// The one-of alternative given: the first whose members are all given.
    pub fn alternative(&self) -> Result<usize, Failure> {
        alternative(self.operation, |m| self.given(m))
            .ok_or_else(|| Failure::internal("no one-of alternative given".into()))
    }

    /// Member `index`, one value: from its flag, else from `--input-json`.
    pub fn get<T>(&self, index: usize) -> Result<Option<T>, Failure>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        let member = self.member(index)?;
        match self.matches.try_get_one::<T>(member.flag) {
            Ok(Some(value)) => Ok(Some(value.clone())),
            Ok(None) => self.json_value(member),
            Err(e) => Err(Failure::internal(format!("--{}: {e}", member.flag))),
        }
    }

    /// Member `index`, a list: the flag's repeated values, else `--input-json`'s array.
    pub fn get_list<T>(&self, index: usize) -> Result<Option<Vec<T>>, Failure>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        let member = self.member(index)?;
        match self.matches.try_get_many::<T>(member.flag) {
            Ok(Some(values)) => Ok(Some(values.cloned().collect())),
            Ok(None) => self.json_value(member),
            Err(e) => Err(Failure::internal(format!("--{}: {e}", member.flag))),
        }
    }

    /// Member `index`, a map: the flag's `KEY=VALUE` entries (a repeated key:
    /// the last one), else `--input-json`'s object.
    pub fn get_map<K, V>(&self, index: usize) -> Result<Option<BTreeMap<K, V>>, Failure>
    where
        K: From<String> + Ord + DeserializeOwned,
        V: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        let member = self.member(index)?;
        match self.matches.try_get_many::<(String, V)>(member.flag) {
            Ok(Some(entries)) => Ok(Some(entries.cloned().map(|(k, v)| (K::from(k), v)).collect())),
            Ok(None) => self.json_value(member),
            Err(e) => Err(Failure::internal(format!("--{}: {e}", member.flag))),
        }
    }

    /// [`Self::get`] of a required member.
    pub fn require<T>(&self, index: usize) -> Result<T, Failure>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        self.get(index)?.ok_or_else(|| self.missing(index))
    }

    /// [`Self::get_list`] of a required member.
    pub fn require_list<T>(&self, index: usize) -> Result<Vec<T>, Failure>
    where
        T: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        self.get_list(index)?.ok_or_else(|| self.missing(index))
    }

    /// [`Self::get_map`] of a required member.
    pub fn require_map<K, V>(&self, index: usize) -> Result<BTreeMap<K, V>, Failure>
    where
        K: From<String> + Ord + DeserializeOwned,
        V: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        self.get_map(index)?.ok_or_else(|| self.missing(index))
    }

    /// The member's value in `--input-json`, deserialized into its type.
    fn json_value<T: DeserializeOwned>(&self, member: &Member) -> Result<Option<T>, Failure> {
        let Some(value) = self.json.get(member.wire) else { return Ok(None) };
        T::deserialize(value).map(Some).map_err(|e| {
            Failure::usage(
                ErrorKind::InvalidValue,
                format!("invalid value of member {:?} in --input-json: {e}", member.wire),
            )
        })
    }

    /// Checked before any value is read; a member missing here is a table out of step.
    fn missing(&self, index: usize) -> Failure {
        let name = self.operation.members.get(index).map_or("?", |m| m.wire);
        Failure::internal(format!("member {name} is required but was not given"))
    }

    /// The configuration: the environment and profiles, then the global flags.
    pub fn config(&self) -> lifecycle_hooks_runtime::Config {
        self.context.config.clone()
    }

    /// `--dry-run`: print the signed request, send nothing.
    pub fn dry_run(&self) -> bool {
        self.context.dry_run
    }

    /// `--all-pages`: follow the pagination token to the last page.
    pub fn all_pages(&self) -> bool {
        self.context.all_pages
    }

    /// Runs a call to its end.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.context.runtime.block_on(future)
    }
}

//! The hand-written part of `hookctl`, the command-line tool generated from
//! the same models as the library (`generated/cli/`).
//!
//! The generated crate holds what depends on the models: the tables of
//! services, operations and members ([`App`], [`Service`], [`Operation`],
//! [`Member`]) and one function per operation that reads its members from
//! [`Args`] into the library's typed input, then calls, prepares
//! (`--dry-run`) or pages (`--all-pages`). Everything the same for every
//! operation lives here: the clap command tree, the typed flag values, the
//! merging of flags over `--input-json`, the configuration from the
//! environment and the global flags, the JSON output and the exit codes.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod args;
mod command;
mod failure;
mod output;
mod tables;
pub mod values;

use std::process::ExitCode;

use clap::ArgMatches;
use lifecycle_hooks_runtime::{Config, Env, RetryConfig, SigningScheme};

pub use args::Args;
use args::Context;
pub use failure::{EXIT_OTHER, EXIT_SERVICE, EXIT_USAGE, EXIT_VALIDATION, Failure};
pub use output::{dry_run, output};
pub use tables::{App, Arity, Member, Operation, Service};

/// Runs the tool on the process's arguments and environment.
pub fn main(app: &App) -> ExitCode {
    main_from(app, std::env::args_os().collect())
}

/// Runs the tool on `argv` (the program's name first).
pub fn main_from(app: &App, argv: Vec<std::ffi::OsString>) -> ExitCode {
    // Known before parsing, so that enumeration flags can let unknown values through.
    let validate = !argv.iter().skip(1).take_while(|a| *a != "--").any(|a| a == "--no-validate");
    let mut root = command::command(app, validate);
    let matches = match root.try_get_matches_from_mut(argv) {
        Ok(matches) => matches,
        Err(e) => return Failure::clap(e),
    };
    let Some((service, operation, op_matches)) =
        matches.subcommand().and_then(|(s, m)| Some((s, m.subcommand()?))).and_then(|(s, (o, m))| {
            let service = app.services.iter().find(|x| x.name == s)?;
            Some((*service, service.operations.iter().find(|x| x.name == o)?, m))
        })
    else {
        return ExitCode::from(EXIT_USAGE);
    };
    let result = args::given_input(operation, op_matches).and_then(|json| {
        if op_matches.get_flag("debug") {
            lifecycle_hooks_runtime::trace::install_stderr_subscriber();
        }
        let context = context(app, service, op_matches, validate)?;
        (operation.run)(&Args::new(operation, op_matches, json, context))
    });
    match result {
        Ok(text) => {
            output::print(&mut std::io::stdout().lock(), &text);
            ExitCode::SUCCESS
        }
        Err(failure) => match failure.usage {
            // Rendered as clap renders its own errors, with the operation's usage.
            Some(kind) => {
                match root.find_subcommand_mut(service.name).and_then(|c| c.find_subcommand_mut(operation.name)) {
                    Some(cmd) => Failure::clap(cmd.error(kind, failure.message())),
                    None => failure.report(),
                }
            }
            None => failure.report(),
        },
    }
}

/// The configuration: the environment and the profile files as `Config::from_env_in`
/// reads them (`--profile` naming the profile), then the flags; for an AWS service
/// without a region, the instance's from EC2 instance metadata.
fn context(app: &App, service: &Service, matches: &ArgMatches, validate: bool) -> Result<Context, Failure> {
    let profile = matches.get_one::<String>("profile").map(String::as_str);
    let env = Env::from_process();
    let config = Config::from_env_in(&env, profile).map_err(Failure::config)?;
    let retry = *config.retry();
    let user_agent = format!("{}/{} {}", app.name, app.version, config.user_agent());
    let mut builder = config.into_builder().validate(validate).user_agent(user_agent);
    if let Some(region) = matches.get_one::<String>("region") {
        builder = builder.region(region);
    }
    if let Some(url) = matches.get_one::<String>("endpoint-url") {
        builder = builder.endpoint_url(url);
    }
    if let Some(&max_attempts) = matches.get_one::<u32>("max-attempts") {
        builder = builder.retry(RetryConfig { max_attempts, ..retry });
    }
    if let Some(&timeout) = matches.get_one::<std::time::Duration>("timeout") {
        builder = builder.attempt_timeout(Some(timeout));
    }
    if let Some(&time) = matches.get_one::<std::time::SystemTime>("signing-time") {
        builder = builder.signing_time(Some(time));
    }
    let mut config = builder.build();
    if matches!(service.meta.signing, SigningScheme::SigV4 { .. }) {
        config = config.with_instance_metadata_region_blocking();
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::build(format!("cannot start the async runtime: {e}")))?;
    Ok(Context {
        config,
        dry_run: matches.get_flag("dry-run"),
        all_pages: matches!(matches.try_get_one::<bool>("all-pages"), Ok(Some(true))),
        runtime,
    })
}

#[cfg(test)]
mod tests;

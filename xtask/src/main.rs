//! `cargo xtask regenerate [--check]`: see the library docs.
#![forbid(unsafe_code)]

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask regenerate [--check]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["regenerate"] => false,
        ["regenerate", "--check"] => true,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match xtask::regenerate(&xtask::repo_root(), check) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

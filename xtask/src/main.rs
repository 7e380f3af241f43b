//! `cargo xtask regenerate [--check]`: see the library docs.
//! `cargo xtask bench-codegen`, `cargo xtask bench-whole` and `cargo xtask synth-model`: see `xtask::bench`.
//! `cargo xtask import botocore <service> ...`: see `xtask::import`.
//! `cargo xtask conformance [--write]`: see `xtask::conformance`.
//! `cargo xtask crosscheck [MODEL.yaml ...]`: see `xtask::crosscheck`.
#![forbid(unsafe_code)]

use std::path::Path;
use std::process::ExitCode;

/// See xtask/Cargo.toml: the generator is allocation-bound.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: cargo xtask regenerate [--check]
       cargo xtask bench-codegen [--iterations N] [--sizes N,N,...] [--size-iterations N]
                                 [--gating OPERATIONS] [--gating-command check|build] [--gating-repeats N]
       cargo xtask bench-whole [--seed-operations] [--iterations N]
       cargo xtask synth-model OPERATIONS OUT.yaml
       cargo xtask import botocore <service> [--operations A,B,...] [--from PATH] [--out PATH] [--unenforced-patterns]
       cargo xtask conformance [--write] [--suites DIR] [--only FILE_LABEL]
       cargo xtask crosscheck [MODEL.yaml ...]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["regenerate"] => xtask::regenerate(&xtask::repo_root(), false),
        ["regenerate", "--check"] => xtask::regenerate(&xtask::repo_root(), true),
        ["bench-codegen", rest @ ..] => bench_codegen(rest),
        ["bench-whole", rest @ ..] => bench_whole(rest),
        ["import", rest @ ..] => xtask::import::run(&xtask::repo_root(), rest).map_err(|e| e.to_string()),
        ["conformance", rest @ ..] => xtask::conformance::run(&xtask::repo_root(), rest),
        ["crosscheck", rest @ ..] => xtask::crosscheck::run(&xtask::repo_root(), rest),
        ["synth-model", n, out] => match n.parse::<usize>() {
            Ok(n) => std::fs::write(out, xtask::bench::synth_model("synth", n)).map_err(|e| format!("cannot write {out}: {e}")),
            Err(_) => Err(USAGE.to_owned()),
        },
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) if message == USAGE || message.ends_with(xtask::import::USAGE) || message == xtask::crosscheck::USAGE => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn bench_whole(args: &[&str]) -> Result<(), String> {
    let (mut seed_operations, mut iterations) = (false, 5);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match *flag {
            "--seed-operations" => seed_operations = true,
            "--iterations" => {
                iterations = it.next().and_then(|v| v.parse().ok()).filter(|&n| n > 0).ok_or_else(|| USAGE.to_owned())?;
            }
            _ => return Err(USAGE.to_owned()),
        }
    }
    let root = xtask::repo_root();
    print!("{}", xtask::bench::whole_services(&root, &root.join("bench/whole"), seed_operations, iterations)?);
    Ok(())
}

fn bench_codegen(args: &[&str]) -> Result<(), String> {
    let (mut iterations, mut sizes, mut size_iterations) = (50, vec![100, 300, 1000], 5);
    let (mut gating, mut gating_command, mut gating_repeats) = (None, "check".to_owned(), 3);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| USAGE.to_owned())?;
        let number = || value.parse::<usize>().map_err(|_| USAGE.to_owned());
        match *flag {
            "--iterations" => iterations = number()?,
            "--size-iterations" => size_iterations = number()?,
            "--gating" => gating = Some(number()?),
            "--gating-repeats" => gating_repeats = number()?,
            "--gating-command" if matches!(*value, "check" | "build") => gating_command = (*value).to_owned(),
            "--sizes" => {
                sizes = value.split(',').map(|s| s.parse().map_err(|_| USAGE.to_owned())).collect::<Result<_, _>>()?;
            }
            _ => return Err(USAGE.to_owned()),
        }
    }
    let root = xtask::repo_root();
    print!("{}", xtask::bench::codegen_report(&root, iterations, &sizes, size_iterations)?);
    if let Some(operations) = gating {
        print!("{}", xtask::bench::gating(Path::new(&root), operations, &gating_command, gating_repeats)?);
    }
    Ok(())
}

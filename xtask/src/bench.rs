//! Generator speed: `cargo xtask bench-codegen` and `cargo xtask synth-model`.
//!
//! - [`time_generate`] times `codegen::generate` in-process (many iterations,
//!   median), split into loading/checking and emitting/formatting;
//! - [`synth_model`] writes a synthetic model with N operations (each with its own
//!   input, output, list and item shapes, constraints, an enum, a timestamp,
//!   pagination on every fifth, three shared errors), so that regeneration time
//!   can be measured against model size;
//! - [`gating`] generates the crate from `models/` plus a synthetic service and
//!   times `cargo check` of a program using one small service with the big
//!   synthetic one present but its feature off, against the crate without it
//!   and with the feature on.
//!
//! Nothing here asserts on time; the numbers go to BENCHMARKS.md.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Timings of repeated runs.
#[derive(Debug, Clone)]
pub struct Stats {
    pub runs: Vec<Duration>,
}

impl Stats {
    pub fn median(&self) -> Duration {
        let mut v = self.runs.clone();
        v.sort();
        v.get(v.len() / 2).copied().unwrap_or_default()
    }

    pub fn min(&self) -> Duration {
        self.runs.iter().min().copied().unwrap_or_default()
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// One regeneration's phases.
#[derive(Debug, Clone)]
pub struct GenerateTimes {
    /// `codegen::generate`: read, load, check, emit, format (what `cargo xtask regenerate` runs
    /// before writing files).
    pub total: Stats,
    /// Of which reading, parsing and checking the models.
    pub load: Stats,
    /// Of which emitting and formatting the files.
    pub emit: Stats,
    pub files: usize,
    pub bytes: usize,
}

/// Times `codegen::generate(models_dir)` `iterations` times (after one untimed run).
pub fn time_generate(models_dir: &Path, iterations: usize) -> Result<GenerateTimes, String> {
    let first = codegen::generate(models_dir).map_err(|d| d.to_string())?;
    let (files, bytes) = (first.len(), first.iter().map(|f| f.contents.len()).sum());
    let (mut total, mut load, mut emit) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..iterations.max(1) {
        let start = Instant::now();
        let out = codegen::generate(models_dir).map_err(|d| d.to_string())?;
        total.push(start.elapsed());
        std::hint::black_box(out);
        let start = Instant::now();
        let services = codegen::load_models_as(models_dir, "models").map_err(|d| d.to_string())?;
        load.push(start.elapsed());
        let start = Instant::now();
        std::hint::black_box(codegen::emit::crate_files(&services));
        emit.push(start.elapsed());
    }
    Ok(GenerateTimes { total: Stats { runs: total }, load: Stats { runs: load }, emit: Stats { runs: emit }, files, bytes })
}

/// A model of service `name` with `operations` operations (awsJson 1.1, SigV4).
pub fn synth_model(name: &str, operations: usize) -> String {
    let mut y = String::with_capacity(2048 + operations * 2600);
    let _ = write!(
        y,
        r#"# Synthetic model for generator benchmarks (cargo xtask synth-model): {operations} operations.
service:
  name: {name}
  title: Synthetic Service {name}
  documentation: A synthetic service whose size grows with its number of operations.
  api_version: "2020-01-01"
  source: synth
  protocol:
    type: aws-json-1.1
    target_prefix: Synth_20200101
    json_version: "1.1"
  signing:
    scheme: sigv4
    name: {name}
  endpoint:
    template: "https://{name}.{{region}}.amazonaws.com"
    partitions:
      - region_prefix: cn-
        template: "https://{name}.{{region}}.amazonaws.com.cn"

sources:
  synth:
    path: xtask/src/bench.rs
    title: written by cargo xtask synth-model

operations:
"#
    );
    for i in 0..operations {
        let op = format!("Operation{i:04}");
        let _ = write!(
            y,
            r#"  {op}:
    documentation: Does synthetic thing number {i}, with every kind of member.
    http:
      method: POST
      path: /
    input: {op}Request
    output: {op}Response
    errors:
      - ThrottlingException
      - ValidationException
      - InternalFailure
"#
        );
        if i % 5 == 0 {
            y.push_str("    pagination:\n      input_token: NextToken\n      output_token: NextToken\n      items: Items\n");
        }
    }
    y.push_str(
        r#"
shapes:
  Name:
    type: string
    documentation: A name.
    length: { min: 1, max: 255 }
    pattern:
      regex: '[A-Za-z0-9\-_]+'
  Token:
    type: string
    documentation: An opaque token.
    length: { min: 0, max: 1024 }
  Count:
    type: integer
    documentation: How many.
    range: { min: 0, max: 1000 }
  Size:
    type: long
    documentation: How big.
  Flag:
    type: boolean
    documentation: Whether.
  Stamp:
    type: timestamp
    documentation: When.
  Status:
    type: enum
    documentation: Where it stands.
    values:
      - value: PENDING
      - value: IN_PROGRESS
      - value: SUCCEEDED
      - value: FAILED
      - value: CANCELLED
  Message:
    type: string
  ThrottlingException:
    type: structure
    documentation: Too many requests.
    error:
      code: ThrottlingException
      http_status: 400
      fault: client
      retryable: true
      throttling: true
    members:
      Message:
        shape: Message
  ValidationException:
    type: structure
    documentation: The input is invalid.
    error:
      code: ValidationException
      http_status: 400
      fault: client
    members:
      Message:
        shape: Message
  InternalFailure:
    type: structure
    documentation: The service failed.
    error:
      code: InternalFailure
      http_status: 500
      fault: server
      retryable: true
    members:
      Message:
        shape: Message
"#,
    );
    for i in 0..operations {
        let op = format!("Operation{i:04}");
        let _ = write!(
            y,
            r#"  {op}Request:
    type: structure
    documentation: Input of {op}.
    members:
      Name:
        shape: Name
        required: true
        documentation: The thing's name.
      Count:
        shape: Count
        documentation: How many of them.
      Size:
        shape: Size
      Enabled:
        shape: Flag
      Status:
        shape: Status
      Since:
        shape: Stamp
      Items:
        shape: {op}ItemList
      NextToken:
        shape: Token
  {op}Response:
    type: structure
    documentation: Output of {op}.
    members:
      Id:
        shape: Name
      Items:
        shape: {op}ItemList
      NextToken:
        shape: Token
  {op}ItemList:
    type: list
    member: {op}Item
    length: {{ max: 100 }}
  {op}Item:
    type: structure
    documentation: One item of {op}.
    members:
      Key:
        shape: Name
        required: true
      Value:
        shape: Token
      Status:
        shape: Status
      Updated:
        shape: Stamp
"#
        );
    }
    y
}

/// Writes `synth_model(name, operations)` to `dir/<name>.yaml`, creating `dir`.
pub fn write_synth_model(dir: &Path, name: &str, operations: usize) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(&path, synth_model(name, operations)).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// One synthetic size's regeneration.
#[derive(Debug, Clone)]
pub struct SizePoint {
    pub operations: usize,
    pub times: GenerateTimes,
}

/// Times regeneration of synthetic models of each size (alone in a scratch folder under `work`).
pub fn time_sizes(work: &Path, sizes: &[usize], iterations: usize) -> Result<Vec<SizePoint>, String> {
    let mut out = Vec::new();
    for &n in sizes {
        let dir = work.join(format!("synth-{n}"));
        let _ = std::fs::remove_dir_all(&dir);
        write_synth_model(&dir, "synth", n)?;
        out.push(SizePoint { operations: n, times: time_generate(&dir, iterations)? });
    }
    Ok(out)
}

/// Least-squares line `t = a + b * n` through the points, and its R².
pub fn linear_fit(points: &[(f64, f64)]) -> (f64, f64, f64) {
    let n = points.len() as f64;
    if points.len() < 2 {
        return (0.0, points.first().map_or(0.0, |p| p.1 / p.0.max(1.0)), 1.0);
    }
    let (sx, sy) = points.iter().fold((0.0, 0.0), |(a, b), p| (a + p.0, b + p.1));
    let (mx, my) = (sx / n, sy / n);
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let b = if sxx == 0.0 { 0.0 } else { sxy / sxx };
    let a = my - b * mx;
    let ss_tot: f64 = points.iter().map(|p| (p.1 - my).powi(2)).sum();
    let ss_res: f64 = points.iter().map(|p| (p.1 - (a + b * p.0)).powi(2)).sum();
    (a, b, if ss_tot == 0.0 { 1.0 } else { 1.0 - ss_res / ss_tot })
}

/// The report of `cargo xtask bench-codegen` (without the gating check).
pub fn codegen_report(root: &Path, iterations: usize, sizes: &[usize], size_iterations: usize) -> Result<String, String> {
    let mut r = String::new();
    let models = time_generate(&root.join("models"), iterations)?;
    let _ = writeln!(
        r,
        "models/ ({} files, {} KiB out): generate median {:.2} ms (min {:.2}; load+check {:.2}, emit+format {:.2}) over {} runs",
        models.files,
        models.bytes / 1024,
        ms(models.total.median()),
        ms(models.total.min()),
        ms(models.load.median()),
        ms(models.emit.median()),
        models.total.runs.len()
    );
    let work = root.join("target/bench-codegen");
    let points = time_sizes(&work, sizes, size_iterations)?;
    let _ = writeln!(r, "synthetic models (one service), generate median over {size_iterations} runs:");
    let _ = writeln!(r, "{:>10} {:>12} {:>12} {:>12} {:>12} {:>10}", "operations", "total ms", "load ms", "emit ms", "us/op", "KiB out");
    for p in &points {
        let t = &p.times;
        let _ = writeln!(
            r,
            "{:>10} {:>12.1} {:>12.1} {:>12.1} {:>12.1} {:>10}",
            p.operations,
            ms(t.total.median()),
            ms(t.load.median()),
            ms(t.emit.median()),
            ms(t.total.median()) * 1e3 / p.operations as f64,
            t.bytes / 1024
        );
    }
    let fit: Vec<(f64, f64)> = points.iter().map(|p| (p.operations as f64, ms(p.times.total.median()))).collect();
    let (a, b, r2) = linear_fit(&fit);
    let _ = writeln!(r, "linear fit: t = {a:.1} ms + {:.1} us x operations, R^2 = {r2:.4}", b * 1e3);
    Ok(r)
}

/// What `cargo check` costs for a program using only `transfer`, with and without a big synthetic service.
pub fn gating(root: &Path, operations: usize, command: &str, repeats: usize) -> Result<String, String> {
    let work = root.join("target/bench-codegen/gating");
    let target = root.join("target/bench-codegen/gating-target");
    let models = work.join("models");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&models).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(root.join("models")).map_err(|e| e.to_string())?.flatten() {
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "yaml") {
            std::fs::copy(&p, models.join(entry.file_name())).map_err(|e| e.to_string())?;
        }
    }
    write_workspace(root, &work)?;
    let mut r = String::new();
    let _ = writeln!(r, "feature gating: `cargo {command}` of a program using `transfer` only (median of {repeats}):");
    let variants: [(&str, bool, &[&str]); 3] = [
        ("models/ only, feature transfer", false, &["transfer"]),
        ("+ synth model, feature transfer (synth off)", true, &["transfer"]),
        ("+ synth model, features transfer + synth", true, &["transfer", "synth"]),
    ];
    let mut synth_written = false;
    for (label, with_synth, features) in variants {
        if with_synth && !synth_written {
            write_synth_model(&models, "synth", operations)?;
            synth_written = true;
        }
        let files = codegen::generate(&models).map_err(|d| d.to_string())?;
        write_generated(&root.join("runtime").display().to_string(), &work.join("generated"), &files)?;
        let features = features.iter().map(|f| format!("lifecycle-hooks/{f}")).collect::<Vec<_>>().join(",");
        // Untimed: build every dependency, so the timed runs compile only the generated crate and the program.
        run_cargo(&work, &target, command, &features)?;
        let mut runs = Vec::new();
        for _ in 0..repeats.max(1) {
            touch(&work.join("generated/services/transfer/src/lib.rs"))?;
            let start = Instant::now();
            run_cargo(&work, &target, command, &features)?;
            runs.push(start.elapsed());
        }
        let stats = Stats { runs };
        let _ = writeln!(r, "  {label:<48} {:>8.2} s", stats.median().as_secs_f64());
    }
    let _ = writeln!(r, "  (synth: {operations} operations)");
    Ok(r)
}

fn run_cargo(work: &Path, target: &Path, command: &str, features: &str) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .current_dir(work)
        .env("CARGO_TARGET_DIR", target)
        .args([command, "--quiet", "-p", "gating-app", "--features", features])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("cargo {command} --features {features} failed in {}", work.display())) }
}

fn touch(path: &Path) -> Result<(), String> {
    let text = std::fs::read(path).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| e.to_string())
}

/// A workspace holding `generated/` (the crate) and `app/` (a program using `transfer`),
/// with the repository's workspace settings and the runtime by absolute path.
fn write_workspace(root: &Path, work: &Path) -> Result<(), String> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let mut sections = String::new();
    let mut keep = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            keep = line.starts_with("[workspace.package]") || line.starts_with("[workspace.dependencies]");
        }
        if keep {
            sections.push_str(line);
            sections.push('\n');
        }
    }
    let ws = format!("[workspace]\nresolver = \"3\"\nmembers = [\"generated\", \"app\"]\n\n{sections}");
    std::fs::write(work.join("Cargo.toml"), ws).map_err(|e| e.to_string())?;
    let app = work.join("app/src");
    std::fs::create_dir_all(&app).map_err(|e| e.to_string())?;
    std::fs::write(
        work.join("app/Cargo.toml"),
        "[package]\nname = \"gating-app\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nlifecycle-hooks = { path = \"../generated\", default-features = false }\n",
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(
        app.join("main.rs"),
        r#"use lifecycle_hooks::runtime::{AwsCredentials, Config};
use lifecycle_hooks::transfer::{Client, CustomStepStatus, SendWorkflowStepStateInput};

fn main() {
    let config = Config::builder()
        .region("us-east-1")
        .aws_credentials(AwsCredentials::new("AKIDEXAMPLE", "secret", None))
        .build();
    let client = Client::new(config).expect("client");
    let input = SendWorkflowStepStateInput::new(
        "w-0123456789abcdefg",
        "0123abcd-0000-1111-2222-333344445555",
        "token",
        CustomStepStatus::Success,
    );
    println!("{:?}", client.prepare_send_workflow_step_state(&input).map(|r| r.url));
}
"#,
    )
    .map_err(|e| e.to_string())
}

/// Writes the library crate's files (not the CLI package) into `dir`, the runtime at `runtime`.
fn write_generated(runtime: &str, dir: &Path, files: &[codegen::GeneratedFile]) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    for f in files.iter().filter(|f| !f.path.starts_with("cli/")) {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        let contents = if f.path.ends_with("Cargo.toml") { with_runtime_at(&f.contents, runtime) } else { f.contents.clone() };
        std::fs::write(&path, contents).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// `manifest` with its dependency on the runtime pointed at `runtime`
/// (the generated manifests name it relative to the repository's layout).
fn with_runtime_at(manifest: &str, runtime: &str) -> String {
    let mut out = String::with_capacity(manifest.len());
    for line in manifest.lines() {
        if let Some(rest) = line.strip_prefix("lifecycle-hooks-runtime = { path = \"")
            && let Some((_, after_path)) = rest.split_once('"')
        {
            // The path alone changes; what follows it (the runtime's features) stays.
            out.push_str(&format!("lifecycle-hooks-runtime = {{ path = {runtime:?}{after_path}"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// The AWS services of `models/`, by botocore folder, as `cargo xtask bench-whole` imports them.
pub const WHOLE_SERVICES: &[&str] = &["autoscaling", "cloudformation", "codedeploy", "transfer"];

/// The lifecycle-hook operation of each of [`WHOLE_SERVICES`]: the one-operation models the project began with.
pub const SEED_OPERATIONS: &[&str] = &["PutLifecycleHook", "ListHookResults", "PutLifecycleEventHookExecutionStatus", "SendWorkflowStepState"];

/// `cargo xtask bench-whole [--seed-operations]`: imports every operation of the
/// four AWS services from the pinned botocore into `<whole>/models/` and
/// generates the library crate into `<whole>/generated/` (for `bench/whole`,
/// the program that builds on it; neither is committed). With
/// `--seed-operations`, each service's lifecycle-hook operation alone: the
/// one-operation models a program on one operation was generated from before
/// whole services. Returns a report with the operations and the generator's
/// time on the imported models.
pub fn whole_services(root: &Path, whole: &Path, seed_operations: bool, iterations: usize) -> Result<String, String> {
    let models = whole.join("models");
    let _ = std::fs::remove_dir_all(&models);
    std::fs::create_dir_all(&models).map_err(|e| format!("cannot create {}: {e}", models.display()))?;
    for (&service, &seed) in WHOLE_SERVICES.iter().zip(SEED_OPERATIONS) {
        let args = crate::import::Args {
            service: service.to_owned(),
            operations: seed_operations.then(|| vec![seed.to_owned()]),
            from: None,
            out: None,
            unenforced_patterns: false,
        };
        let text = crate::import::import(root, &args).map_err(|e| format!("{service}: {e}"))?;
        std::fs::write(models.join(format!("{service}.yaml")), text).map_err(|e| e.to_string())?;
    }
    let times = time_generate(&models, iterations)?;
    let services = codegen::load_models(&models).map_err(|d| d.to_string())?;
    let files = codegen::generate(&models).map_err(|d| d.to_string())?;
    write_generated(&root.join("runtime").display().to_string(), &whole.join("generated"), &files)?;
    let mut r = String::new();
    for s in &services {
        let _ = writeln!(r, "{}: {} operations, {} shapes", s.module, s.operations.len(), s.shapes.len());
    }
    let operations: usize = services.iter().map(|s| s.operations.len()).sum();
    let _ = writeln!(
        r,
        "generated {operations} operations into {} ({} files, {} KiB); generate median {:.1} ms (min {:.1}; load+check {:.1}, emit+format {:.1}) over {} runs, {:.2} ms per operation",
        whole.join("generated").display(),
        times.files,
        times.bytes / 1024,
        ms(times.total.median()),
        ms(times.total.min()),
        ms(times.load.median()),
        ms(times.emit.median()),
        times.total.runs.len(),
        ms(times.total.median()) / operations as f64
    );
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_of_a_line_is_exact() {
        let (a, b, r2) = linear_fit(&[(100.0, 12.0), (300.0, 32.0), (1000.0, 102.0)]);
        assert!((a - 2.0).abs() < 1e-9 && (b - 0.1).abs() < 1e-9 && (r2 - 1.0).abs() < 1e-9);
    }
}

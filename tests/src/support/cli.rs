//! The `hookctl` binary (package `lifecycle-hooks-cli`) and the programs of
//! `examples/`, run as a user runs them: as processes, with arguments, an
//! environment and standard input, their exit code and output read back.
//!
//! The binaries are found in the target directory of the running test
//! (`target/debug/`, next to `deps/`). `cargo test --workspace` builds them
//! there before any test runs: the examples because cargo builds examples for
//! `cargo test`, `hookctl` because its package has an integration test of its
//! own (`generated/cli/tests/hookctl.rs`; a binary without one is only built as
//! a unit-test harness). When one is missing or older than the sources it is
//! made from (e.g. under `cargo test -p tests`), it is built with the cargo that
//! runs the tests.
//!
//! Every run is bounded in time (killed after [`TIMEOUT`]) and gets a clean
//! environment: nothing of the caller's AWS or Huawei settings leaks in.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use super::reference::{AWS_ACCESS_KEY, AWS_SECRET_KEY, HUAWEI_AK, HUAWEI_PROJECT, HUAWEI_SK, REGION};

/// No run of a binary takes longer than this.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// The profile directory of the running test (`target/debug`).
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    exe.parent().and_then(Path::parent).expect("target/<profile>/deps/<test>").to_path_buf()
}

/// The newest modification time of `paths`: files, and every file under directories.
fn newest(paths: &[PathBuf]) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(path) = stack.pop() {
        match std::fs::read_dir(&path) {
            Ok(entries) => stack.extend(entries.flatten().map(|e| e.path())),
            Err(_) => {
                if let Ok(modified) = std::fs::metadata(&path).and_then(|m| m.modified()) {
                    newest = newest.max(modified);
                }
            }
        }
    }
    newest
}

/// Builds `cargo_args` (a `cargo build` selection) unless every one of `outputs`
/// exists and is newer than every file under `sources` (relative to the repository).
fn ensure_built(outputs: &[PathBuf], sources: &[&str], cargo_args: &[&str]) {
    let root = crate::repo_root();
    let newest_source = newest(&sources.iter().map(|s| root.join(s)).collect::<Vec<_>>());
    let fresh = outputs.iter().all(|o| std::fs::metadata(o).and_then(|m| m.modified()).is_ok_and(|t| t >= newest_source));
    if fresh {
        return;
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&root).arg("build").args(cargo_args);
    if profile_dir().file_name().is_some_and(|n| n == "release") {
        cmd.arg("--release");
    }
    let status = cmd.status().expect("run cargo build");
    assert!(status.success(), "cargo build {cargo_args:?} failed");
    for o in outputs {
        assert!(o.exists(), "cargo build {cargo_args:?} did not make {}", o.display());
    }
}

/// The `hookctl` binary, built if needed.
pub fn hookctl_path() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let path = profile_dir().join(format!("hookctl{}", std::env::consts::EXE_SUFFIX));
        ensure_built(std::slice::from_ref(&path), &["generated", "runtime/src"], &["-p", "lifecycle-hooks-cli", "--bin", "hookctl"]);
        path
    })
}

/// The example program `name` of `examples/`, built if needed.
pub fn example_path(name: &str) -> PathBuf {
    let path = profile_dir().join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let source = format!("examples/{name}.rs");
    ensure_built(std::slice::from_ref(&path), &[&source, "generated", "runtime/src"], &["-p", "lifecycle-hooks-examples", "--example", name]);
    path
}

/// What a run left behind.
#[derive(Debug, Clone)]
pub struct Output {
    /// `None` when killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Stdout as JSON (panics with both streams when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self}"))
    }

    /// The `error` object of the JSON on stderr (panics when there is none).
    pub fn error(&self) -> Value {
        let v: Value = serde_json::from_str(&self.stderr).unwrap_or_else(|e| panic!("stderr is not JSON ({e}):\n{self}"));
        assert!(v["error"].is_object(), "stderr has no error object:\n{self}");
        v["error"].clone()
    }

    /// Asserts the exit code, showing both streams when it differs.
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "unexpected exit code:\n{self}");
        self
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit code {:?}\n--- stdout\n{}\n--- stderr\n{}", self.code, self.stdout, self.stderr)
    }
}

/// A command line to run, with a clean environment holding the reference
/// credentials and region of both vendors.
#[derive(Debug, Clone)]
pub struct Run {
    program: PathBuf,
    args: Vec<String>,
    env: Vec<(String, Option<String>)>,
    stdin: Option<Vec<u8>>,
    timeout: Duration,
}

impl Run {
    /// `hookctl args...`.
    pub fn hookctl<I: IntoIterator<Item = S>, S: Into<String>>(args: I) -> Run {
        Run::program(hookctl_path(), args)
    }

    /// Any program (an example), with the same environment.
    pub fn program<I: IntoIterator<Item = S>, S: Into<String>>(program: &Path, args: I) -> Run {
        let env = [
            ("AWS_ACCESS_KEY_ID", AWS_ACCESS_KEY),
            ("AWS_SECRET_ACCESS_KEY", AWS_SECRET_KEY),
            ("AWS_REGION", REGION),
            ("HUAWEICLOUD_SDK_AK", HUAWEI_AK),
            ("HUAWEICLOUD_SDK_SK", HUAWEI_SK),
            ("HUAWEICLOUD_SDK_PROJECT_ID", HUAWEI_PROJECT),
            ("HUAWEICLOUD_SDK_REGION", "cn-north-4"),
            // Nothing of this machine's own configuration, and no metadata service, is ever used.
            ("AWS_CONFIG_FILE", "/nonexistent/aws-config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "/nonexistent/huawei-credentials"),
            ("HUAWEICLOUD_SDK_METADATA_DISABLED", "true"),
        ];
        Run {
            program: program.to_path_buf(),
            args: args.into_iter().map(Into::into).collect(),
            env: env.iter().map(|(k, v)| ((*k).to_owned(), Some((*v).to_owned()))).collect(),
            stdin: None,
            timeout: TIMEOUT,
        }
    }

    pub fn arg(mut self, arg: impl Into<String>) -> Run {
        self.args.push(arg.into());
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Run {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Sets (or, with `None`, removes) an environment variable.
    pub fn env(mut self, name: &str, value: Option<&str>) -> Run {
        self.env.retain(|(k, _)| k != name);
        self.env.push((name.to_owned(), value.map(str::to_owned)));
        self
    }

    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Run {
        self.stdin = Some(input.into());
        self
    }

    /// Runs to the end (killed after the timeout), blocking this thread.
    pub fn run(&self) -> Output {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args).env_clear();
        for var in ["PATH", "HOME", "TMPDIR"] {
            if let Some(v) = std::env::var_os(var) {
                cmd.env(var, v);
            }
        }
        let vars: std::collections::BTreeMap<String, String> =
            self.env.iter().filter_map(|(k, v)| Some((k.clone(), v.clone()?))).collect();
        super::metadata::assert_loopback_only(&vars);
        cmd.envs(&vars);
        cmd.stdin(if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() });
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {}: {e}", self.program.display()));
        if let (Some(input), Some(mut pipe)) = (self.stdin.clone(), child.stdin.take()) {
            std::thread::spawn(move || {
                let _ = pipe.write_all(&input);
            });
        }
        let stdout = read_all(child.stdout.take().expect("stdout"));
        let stderr = read_all(child.stderr.take().expect("stderr"));
        let deadline = Instant::now() + self.timeout;
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for the program") {
                break status;
            }
            if Instant::now() >= deadline {
                let _ = child.kill();
                let _ = child.wait();
                let stderr = stderr.join().unwrap_or_default();
                panic!("{} {:?} took longer than {:?}; stderr:\n{stderr}", self.program.display(), self.args, self.timeout);
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        // The pipes close when the program exits, which ends both readers.
        Output { code: status.code(), stdout: stdout.join().unwrap_or_default(), stderr: stderr.join().unwrap_or_default() }
    }

    /// Runs on a blocking thread, so that the test's current-thread runtime
    /// (and the loopback servers on it) keeps running meanwhile.
    pub async fn run_async(&self) -> Output {
        let run = self.clone();
        tokio::task::spawn_blocking(move || run.run()).await.expect("the run's thread")
    }
}

/// Reads a pipe to its end on a thread of its own, as (lossy) text.
fn read_all(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

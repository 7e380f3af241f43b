//! The Python peers and oracles, run from the project's own virtualenv
//! (`<repo>/.venv`, made by `scripts/setup-python` from the pinned
//! `scripts/requirements.txt`). A missing virtualenv fails the test with
//! what to run; nothing is skipped silently.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Output kept from a subprocess's stderr, for failure messages.
const MAX_LOG: usize = 256 * 1024;

/// `<repo>/.venv/bin/<name>`; panics with the setup command when it is missing.
pub fn venv_bin(name: &str) -> PathBuf {
    let path = crate::repo_root().join(".venv/bin").join(name);
    if !path.exists() {
        panic!(
            "{} is missing: the end-to-end tests need the pinned Python peers (moto, botocore, \
             huaweicloudsdkcore). Run `scripts/setup-python` (or `scripts/test`, which runs it) first.",
            path.display()
        );
    }
    path
}

/// `<repo>/.venv/bin/python`.
pub fn python() -> PathBuf {
    venv_bin("python")
}

/// A script of `tests/oracle/`.
pub fn oracle_script(name: &str) -> PathBuf {
    let path = crate::repo_root().join("tests/oracle").join(name);
    assert!(path.exists(), "{} is missing", path.display());
    path
}

/// A command with a clean environment: nothing of the caller's AWS or Huawei
/// settings leaks into the peers, and Python writes no bytecode into the tree.
pub fn command(program: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_clear();
    for var in ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"] {
        if let Some(v) = std::env::var_os(var) {
            cmd.env(var, v);
        }
    }
    cmd.env("PYTHONDONTWRITEBYTECODE", "1").env("PYTHONUNBUFFERED", "1").env("PYTHONIOENCODING", "utf-8");
    cmd.env("AWS_CONFIG_FILE", "/dev/null").env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    cmd.env("AWS_EC2_METADATA_DISABLED", "true");
    cmd
}

/// Collects a pipe into a shared buffer on a thread of its own.
pub(crate) fn drain(mut pipe: impl Read + Send + 'static, into: Arc<Mutex<Vec<u8>>>) {
    std::thread::spawn(move || {
        let mut chunk = [0u8; 8192];
        while let Ok(n) = pipe.read(&mut chunk) {
            if n == 0 {
                break;
            }
            let mut log = into.lock().unwrap_or_else(|e| e.into_inner());
            if log.len() < MAX_LOG {
                log.extend_from_slice(&chunk[..n]);
            }
        }
    });
}

pub(crate) fn text(log: &Arc<Mutex<Vec<u8>>>) -> String {
    String::from_utf8_lossy(&log.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}

/// Runs `tests/oracle/<script> args…` to its end and parses its stdout as JSON.
/// Killed, and the test failed, after `timeout`.
pub fn run_json(script: &str, args: &[&str], timeout: Duration) -> Value {
    let mut child = command(&python())
        .arg(oracle_script(script))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {script}: {e}"));
    let (out, err) = (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(Vec::new())));
    drain(child.stdout.take().expect("stdout"), Arc::clone(&out));
    drain(child.stderr.take().expect("stderr"), Arc::clone(&err));
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the script") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{script} {args:?} took longer than {timeout:?}; stderr:\n{}", text(&err));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // The pipes close with the process; give the drain threads a moment to finish.
    let settle = Instant::now() + Duration::from_secs(2);
    let stdout = loop {
        let s = text(&out);
        if s.ends_with('\n') || Instant::now() >= settle {
            break s;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(status.success(), "{script} {args:?} failed ({status}); stderr:\n{}", text(&err));
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{script}: not JSON ({e}): {stdout}"))
}

/// A long-lived Python oracle speaking JSON lines: one request line in, one
/// answer line out. All requests of a test go through one process. Dropping
/// it closes its input (the script then exits) and kills it if it lingers.
pub struct JsonLines {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    answers: Receiver<String>,
    stderr: Arc<Mutex<Vec<u8>>>,
    timeout: Duration,
    next_id: u64,
}

impl JsonLines {
    /// Starts `tests/oracle/<script>`; each answer must come within `timeout`.
    pub fn spawn(script: &str, timeout: Duration) -> JsonLines {
        let mut child = command(&python())
            .arg(oracle_script(script))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {script}: {e}"));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        drain(child.stderr.take().expect("stderr"), Arc::clone(&stderr));
        let stdout = child.stdout.take().expect("stdout");
        let (tx, answers) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        JsonLines { name: script.to_owned(), child, stdin, answers, stderr, timeout, next_id: 0 }
    }

    /// Sends one request (an object; its `id` is set here) and waits for the
    /// answer with the same `id`, skipping answers to earlier, abandoned ones.
    pub fn ask(&mut self, request: &Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut request = request.clone();
        request.as_object_mut().expect("a request is a JSON object").insert("id".into(), id.into());
        let stdin = self.stdin.as_mut().expect("oracle input is open");
        let mut line = serde_json::to_string(&request).expect("serialize the request");
        line.push('\n');
        if let Err(e) = stdin.write_all(line.as_bytes()).and_then(|()| stdin.flush()) {
            panic!("{} stopped reading ({e}); stderr:\n{}", self.name, text(&self.stderr));
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.answers.recv_timeout(left) {
                Ok(answer) => {
                    let answer: Value = serde_json::from_str(&answer)
                        .unwrap_or_else(|e| panic!("{}: answer is not JSON ({e}): {answer}", self.name));
                    if answer["id"] == id {
                        return answer;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("{} gave no answer within {:?}; stderr:\n{}", self.name, self.timeout, text(&self.stderr))
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("{} exited; stderr:\n{}", self.name, text(&self.stderr))
                }
            }
        }
    }
}

impl Drop for JsonLines {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

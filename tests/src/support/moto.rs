//! moto's server (`.venv/bin/moto_server`) on a free loopback port, stopped
//! (killed and reaped) when the handle is dropped.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::python::{command, drain, text, venv_bin};

/// How long moto may take to answer its first request.
const STARTUP: Duration = Duration::from_secs(45);

pub struct MotoServer {
    child: Child,
    port: u16,
    log: Arc<Mutex<Vec<u8>>>,
}

impl MotoServer {
    /// Starts `moto_server -H 127.0.0.1 -p <free port>` and waits (bounded)
    /// until it answers HTTP. Retries with another port if the chosen one was
    /// taken in between.
    pub fn start() -> MotoServer {
        let program = venv_bin("moto_server");
        let mut last_log = String::new();
        for _ in 0..3 {
            let port = free_port();
            let mut child = command(&program)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
            let log = Arc::new(Mutex::new(Vec::new()));
            drain(child.stdout.take().expect("stdout"), Arc::clone(&log));
            drain(child.stderr.take().expect("stderr"), Arc::clone(&log));
            let deadline = Instant::now() + STARTUP;
            loop {
                if let Ok(Some(_)) = child.try_wait() {
                    last_log = text(&log);
                    break; // exited: probably the port; try another
                }
                if answers_http(port) {
                    return MotoServer { child, port, log };
                }
                if Instant::now() >= deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("moto_server did not answer within {STARTUP:?}; its log:\n{}", text(&log));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        panic!("moto_server would not start; its log:\n{last_log}");
    }

    /// `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What moto printed so far (its request log and tracebacks), without
    /// the terminal colours Werkzeug puts around some lines.
    pub fn log(&self) -> String {
        strip_ansi(&text(&self.log))
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a loopback port");
    listener.local_addr().expect("local address").port()
}

fn answers_http(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = s.set_write_timeout(Some(Duration::from_secs(5)));
    if s.write_all(b"GET /moto-api/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").is_err() {
        return false;
    }
    let mut head = [0u8; 8];
    s.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.")
}

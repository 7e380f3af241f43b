//! `credential_process`: a command whose standard output is the credentials
//! as JSON (`{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken",
//! "Expiration"}`), run without a shell, its words split as botocore splits
//! them (POSIX shell quoting).

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::document::Document;

use super::AwsCredentials;
use super::expiration::parse_expiration;

/// A process that has not answered by then is killed.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Longest output read.
const MAX_OUTPUT: usize = 1024 * 1024;

/// Splits a command line like a POSIX shell (quotes and backslashes; no expansions).
pub(crate) fn split(command: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                let w = word.get_or_insert_default();
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => w.push(c),
                        None => return Err("credential_process has an unclosed single quote".to_owned()),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_default();
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => w.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                w.push('\\');
                                w.push(c);
                            }
                            None => return Err("credential_process has an unclosed double quote".to_owned()),
                        },
                        Some(c) => w.push(c),
                        None => return Err("credential_process has an unclosed double quote".to_owned()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(c) => word.get_or_insert_default().push(c),
                None => word.get_or_insert_default().push('\\'),
            },
            c if c.is_whitespace() => words.extend(word.take()),
            c => word.get_or_insert_default().push(c),
        }
    }
    words.extend(word);
    if words.is_empty() {
        return Err("credential_process is empty".to_owned());
    }
    Ok(words)
}

/// Runs `command` (on a blocking thread) and reads its credentials.
pub(crate) async fn credentials(command: &str) -> Result<AwsCredentials, String> {
    let words = split(command)?;
    let output = tokio::task::spawn_blocking(move || run(&words))
        .await
        .map_err(|_| "credential_process: the thread running it failed".to_owned())??;
    parse(&output)
}

fn run(words: &[String]) -> Result<Vec<u8>, String> {
    let program = &words[0];
    let mut child = Command::new(program)
        .args(&words[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("credential_process: cannot run {program:?}: {e}"))?;
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stdout).take(MAX_OUTPUT as u64 + 1).read_to_end(&mut out);
        out
    });
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("credential_process: {program:?} did not finish within {TIMEOUT:?}"));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("credential_process: {e}")),
        }
    };
    let out = reader.join().unwrap_or_default();
    if !status.success() {
        return Err(format!("credential_process: {program:?} failed ({status})"));
    }
    if out.len() > MAX_OUTPUT {
        return Err(format!("credential_process: the output is longer than {MAX_OUTPUT} bytes"));
    }
    Ok(out)
}

fn parse(output: &[u8]) -> Result<AwsCredentials, String> {
    let value = Document::from_json(output).map_err(|_| "credential_process: the output is not JSON".to_owned())?;
    match value.get("Version").and_then(Document::as_u64) {
        Some(1) => {}
        _ => return Err("credential_process: the output's Version is not 1".to_owned()),
    }
    let field = |name: &str| value.get(name).and_then(Document::as_str).filter(|v| !v.is_empty());
    let need = |name: &str| field(name).ok_or_else(|| format!("credential_process: the output has no {name}"));
    let mut credentials =
        AwsCredentials::new(need("AccessKeyId")?, need("SecretAccessKey")?, field("SessionToken").map(str::to_owned));
    if let Some(expiration) = field("Expiration") {
        credentials =
            credentials.with_expiry(parse_expiration(expiration).map_err(|e| format!("credential_process: {e}"))?);
    }
    Ok(credentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_a_posix_shell() {
        assert_eq!(
            split(r#"/bin/tool --a 'b c' "d \"e\" \$x" f\ g"#).unwrap(),
            ["/bin/tool", "--a", "b c", "d \"e\" $x", "f g"]
        );
        assert_eq!(split("x ''").unwrap(), ["x", ""]);
        assert!(split("x 'open").is_err());
        assert!(split("   ").is_err());
    }

    #[test]
    fn output_must_be_version_1_json() {
        assert!(parse(br#"{"Version":1,"AccessKeyId":"a","SecretAccessKey":"s"}"#).unwrap().expires_at().is_none());
        for bad in [
            &br#"{"Version":2,"AccessKeyId":"a","SecretAccessKey":"s"}"#[..],
            b"{}",
            b"nope",
            br#"{"Version":1,"AccessKeyId":"a"}"#,
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.starts_with("credential_process"), "{e}");
        }
    }
}

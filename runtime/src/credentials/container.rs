//! Container credentials (ECS, EKS Pod Identity): `GET` of the URL the
//! environment names, with its authorization token.
//!
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on `169.254.170.2`;
//! else `AWS_CONTAINER_CREDENTIALS_FULL_URI` may be any https URL, or http
//! to a loopback address, the ECS address or the EKS Pod Identity agent
//! (`169.254.170.23`, `fd00:ec2::23`). The `Authorization` header comes from
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read at each refresh), else
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN`.

use std::net::IpAddr;
use std::time::Duration;

use super::env::Env;
use super::{AwsCredentials, CONTAINER_FULL_URI, CONTAINER_RELATIVE_URI, parse_credentials};
use crate::transport::fetch::Fetch;

const ECS_HOST: &str = "http://169.254.170.2";
/// botocore's: 2 s per request, 3 attempts.
const TIMEOUT: Duration = Duration::from_secs(2);
const ATTEMPTS: u32 = 3;
const MAX_TOKEN_FILE: u64 = 16 * 1024;

/// The credentials URL the environment names, `Ok(None)` when it names none.
pub(crate) fn endpoint(env: &Env) -> Result<Option<String>, String> {
    if let Some(relative) = env.get(CONTAINER_RELATIVE_URI) {
        let sep = if relative.starts_with('/') { "" } else { "/" };
        return Ok(Some(format!("{ECS_HOST}{sep}{relative}")));
    }
    let Some(full) = env.get(CONTAINER_FULL_URI) else { return Ok(None) };
    let uri: hyper::Uri = full.parse().map_err(|_| format!("{CONTAINER_FULL_URI} is not a URL"))?;
    let host = uri.host().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") if allowed_http_host(host) => {}
        Some("http") => {
            return Err(format!(
                "{CONTAINER_FULL_URI}: http is allowed only to a loopback address or the ECS or EKS agents, not {host:?}"
            ));
        }
        _ => return Err(format!("{CONTAINER_FULL_URI} must be an http or https URL")),
    }
    Ok(Some(full.to_owned()))
}

fn allowed_http_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() => true,
        Ok(ip) => {
            ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"].iter().any(|a| a.parse::<IpAddr>().ok() == Some(ip))
        }
        Err(_) => false,
    }
}

fn authorization(env: &Env) -> Result<Option<String>, String> {
    let token = match env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
        Some(path) => {
            let meta =
                std::fs::metadata(path).map_err(|e| format!("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: {e}"))?;
            if meta.len() > MAX_TOKEN_FILE {
                return Err(format!(
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: larger than {MAX_TOKEN_FILE} bytes"
                ));
            }
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: {e}"))?;
            Some(text.trim().to_owned())
        }
        None => env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN").map(str::to_owned),
    };
    if token.as_deref().is_some_and(|t| t.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0)) {
        return Err("the container authorization token contains CR, LF or NUL".to_owned());
    }
    Ok(token)
}

/// The credentials from `url`, retried on connection failures and 5xx answers.
pub(crate) async fn credentials(env: &Env, url: &str) -> Result<AwsCredentials, String> {
    let token = authorization(env)?;
    let mut last = String::new();
    for _ in 0..ATTEMPTS {
        let mut headers = vec![("Accept".to_owned(), "application/json".to_owned())];
        headers.extend(token.iter().map(|t| ("Authorization".to_owned(), t.clone())));
        let fetch = Fetch { method: "GET", url, headers, body: Vec::new(), timeout: TIMEOUT, proxy: None };
        match fetch.send().await {
            Ok(response) if response.status == 200 => {
                let text = String::from_utf8(response.body).map_err(|_| format!("{url}: the answer is not UTF-8"))?;
                return parse_credentials(&text, url);
            }
            Ok(response) if response.status >= 500 => last = format!("{url}: HTTP {}", response.status),
            Ok(response) => return Err(format!("{url}: HTTP {}", response.status)),
            Err(e) => last = e,
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_urls_are_allowed() {
        let url = |pairs: &[(&str, &str)]| endpoint(&Env::from_pairs(pairs.iter().copied()));
        assert_eq!(url(&[]), Ok(None));
        assert_eq!(
            url(&[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x")]).unwrap().unwrap(),
            "http://169.254.170.2/v2/credentials/x"
        );
        assert_eq!(
            url(&[
                ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/a"),
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/b")
            ])
            .unwrap()
            .unwrap(),
            "http://169.254.170.2/a",
            "the relative URI wins"
        );
        for ok in [
            "http://127.0.0.1:8080/c",
            "http://127.0.0.2/c",
            "http://localhost/c",
            "http://[::1]:1/c",
            "https://example.com/c",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
        ] {
            assert_eq!(url(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", ok)]).unwrap().as_deref(), Some(ok));
        }
        for bad in
            ["http://example.com/c", "http://10.0.0.1/c", "http://169.254.169.254/c", "ftp://127.0.0.1/c", "not a url"]
        {
            assert!(url(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", bad)]).is_err(), "{bad}");
        }
    }

    #[test]
    fn tokens_from_the_file_first_and_never_with_line_breaks() {
        let dir = std::env::temp_dir().join(format!("lh-container-token-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("token");
        std::fs::write(&file, "from-file\n").unwrap();
        let env = Env::from_pairs([
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file.to_str().unwrap()),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-env"),
        ]);
        assert_eq!(authorization(&env).unwrap().as_deref(), Some("from-file"));
        let env = Env::from_pairs([("AWS_CONTAINER_AUTHORIZATION_TOKEN", "a\r\nX-Injected: 1")]);
        assert!(authorization(&env).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

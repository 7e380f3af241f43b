//! EC2 instance metadata (IMDSv2): a session token first
//! (`PUT /latest/api/token`), then the instance profile's role and its
//! credentials, or the region. IMDSv1 (no token) only when the token request
//! is refused as by an old service (403, 404, 405).

use std::time::Duration;

use super::env::Env;
use super::profile::Profiles;
use super::{AwsCredentials, parse_credentials};
use crate::transport::fetch::Fetch;

/// The metadata service answers on the instance itself: quickly or not at all (botocore's 1 s).
const TIMEOUT: Duration = Duration::from_secs(1);
const TOKEN_TTL: &str = "21600";
const IPV4: &str = "http://169.254.169.254";
const IPV6: &str = "http://[fd00:ec2::254]";

/// Where the instance metadata service is, or why it is not asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Imds {
    Disabled,
    At(String),
}

impl Imds {
    /// `AWS_EC2_METADATA_DISABLED`, then `AWS_EC2_METADATA_SERVICE_ENDPOINT` (or the
    /// profile's `ec2_metadata_service_endpoint`), then the endpoint mode
    /// (`AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` / `ec2_metadata_service_endpoint_mode`: IPv4 or IPv6).
    pub(crate) fn from_env(env: &Env, profiles: &Profiles, profile: &str) -> Imds {
        if env.is_true("AWS_EC2_METADATA_DISABLED") {
            return Imds::Disabled;
        }
        let endpoint = env
            .get("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            .map(str::to_owned)
            .or_else(|| profiles.get(profile, "ec2_metadata_service_endpoint"));
        if let Some(endpoint) = endpoint {
            return Imds::At(endpoint.trim_end_matches('/').to_owned());
        }
        let mode = env
            .get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
            .map(str::to_owned)
            .or_else(|| profiles.get(profile, "ec2_metadata_service_endpoint_mode"));
        match mode {
            Some(m) if m.eq_ignore_ascii_case("ipv6") => Imds::At(IPV6.to_owned()),
            _ => Imds::At(IPV4.to_owned()),
        }
    }

    /// Whether IMDSv1 (no token) may be used when the token request is refused:
    /// not with `AWS_EC2_METADATA_V1_DISABLED` (or the profile's `ec2_metadata_v1_disabled`) true.
    pub(crate) fn v1_fallback(env: &Env, profiles: &Profiles, profile: &str) -> bool {
        let disabled = env.is_true("AWS_EC2_METADATA_V1_DISABLED")
            || profiles.get(profile, "ec2_metadata_v1_disabled").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        !disabled
    }

    /// The base URL, when enabled.
    pub(crate) fn endpoint(&self) -> Option<&str> {
        match self {
            Imds::Disabled => None,
            Imds::At(url) => Some(url),
        }
    }
}

async fn get(url: &str, method: &str, headers: Vec<(String, String)>) -> Result<(u16, String), String> {
    let fetch = Fetch { method, url, headers, body: Vec::new(), timeout: TIMEOUT, proxy: None };
    let response = fetch.send().await?;
    let text = String::from_utf8(response.body).map_err(|_| format!("{url}: the answer is not UTF-8"))?;
    Ok((response.status, text))
}

/// The session token, or `None` for IMDSv1 (when `v1_fallback` allows it).
async fn token(base: &str, v1_fallback: bool) -> Result<Option<String>, String> {
    let url = format!("{base}/latest/api/token");
    let (status, body) =
        get(&url, "PUT", vec![("X-aws-ec2-metadata-token-ttl-seconds".into(), TOKEN_TTL.into())]).await?;
    match status {
        200 => {
            let token = body.trim();
            if token.is_empty() || token.len() > 4096 || !token.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(format!("{url}: the session token is not a printable token"));
            }
            Ok(Some(token.to_owned()))
        }
        403..=405 if v1_fallback => Ok(None),
        403..=405 => Err(format!("{url}: HTTP {status} for the session token, and IMDSv1 is disabled")),
        other => Err(format!("{url}: HTTP {other} for the session token")),
    }
}

async fn get_with_token(base: &str, path: &str, token: &Option<String>) -> Result<String, String> {
    let url = format!("{base}{path}");
    let headers = token.iter().map(|t| ("X-aws-ec2-metadata-token".to_owned(), t.clone())).collect();
    let (status, body) = get(&url, "GET", headers).await?;
    if status != 200 {
        return Err(format!("{url}: HTTP {status}"));
    }
    Ok(body)
}

/// The instance profile's credentials.
pub(crate) async fn credentials(base: &str, v1_fallback: bool) -> Result<AwsCredentials, String> {
    let token = token(base, v1_fallback).await?;
    let list = get_with_token(base, "/latest/meta-data/iam/security-credentials/", &token).await?;
    let role =
        list.lines().map(str::trim).find(|l| !l.is_empty()).ok_or("the instance has no instance profile role")?;
    let iam_name = |b: u8| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b);
    if role.len() > 128 || !role.bytes().all(iam_name) {
        return Err("the role name the metadata service gave is not an IAM role name".to_owned());
    }
    let text = get_with_token(base, &format!("/latest/meta-data/iam/security-credentials/{role}"), &token).await?;
    parse_credentials(&text, "the instance metadata service").map_err(|e| format!("role {role}: {e}"))
}

/// The instance's region (`/latest/meta-data/placement/region`).
pub(crate) async fn region(base: &str, v1_fallback: bool) -> Result<String, String> {
    let token = token(base, v1_fallback).await?;
    let region = get_with_token(base, "/latest/meta-data/placement/region", &token).await?;
    let region = region.trim();
    let plain =
        !region.is_empty() && region.len() <= 63 && region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !plain {
        return Err("the region the metadata service gave is not a region name".to_owned());
    }
    Ok(region.to_owned())
}

/// The instance's region from its metadata service, for [`crate::Config`]
/// (`Config::with_instance_metadata_region`).
#[derive(Debug, Clone, Copy)]
pub struct ImdsRegion;

impl ImdsRegion {
    /// The region, or why there is none (disabled, not on EC2, a bad answer).
    pub async fn resolve(env: &Env, profile: Option<&str>) -> Result<String, String> {
        let profiles = Profiles::load(env).map_err(|e| e.to_string())?;
        let profile = profile
            .map(str::to_owned)
            .or_else(|| env.get("AWS_PROFILE").map(str::to_owned))
            .unwrap_or_else(|| "default".to_owned());
        match Imds::from_env(env, &profiles, &profile) {
            Imds::Disabled => Err("instance metadata is disabled by AWS_EC2_METADATA_DISABLED".to_owned()),
            Imds::At(base) => region(&base, Imds::v1_fallback(env, &profiles, &profile)).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        let none = Profiles::default();
        let at = |pairs: &[(&str, &str)]| Imds::from_env(&Env::from_pairs(pairs.iter().copied()), &none, "default");
        assert_eq!(at(&[]), Imds::At(IPV4.into()));
        assert_eq!(at(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")]), Imds::At(IPV6.into()));
        assert_eq!(
            at(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9/")]),
            Imds::At("http://127.0.0.1:9".into())
        );
        assert_eq!(
            at(&[("AWS_EC2_METADATA_DISABLED", "TRUE"), ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9")]),
            Imds::Disabled
        );
        assert_eq!(at(&[("AWS_EC2_METADATA_DISABLED", "false")]), Imds::At(IPV4.into()));
    }

    #[test]
    fn hostile_answers_are_errors() {
        for bad in [
            "",
            "null",
            "[]",
            "{\"Code\":\"Failure\"}",
            "{\"AccessKeyId\":\"a\"}",
            "{\"AccessKeyId\":1,\"SecretAccessKey\":\"s\"}",
            "{\"AccessKeyId\":\"a\",\"SecretAccessKey\":\"s\",\"Expiration\":\"soon\"}",
        ] {
            assert!(parse_credentials(bad, "x").is_err(), "{bad}");
        }
        let c = parse_credentials(r#"{"Code":"Success","AccessKeyId":"a","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"}"#, "x").unwrap();
        assert!(c.has_session_token() && c.expires_at().is_some());
    }
}

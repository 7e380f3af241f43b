//! AWS STS, by hand: `AssumeRole` (signed with SigV4 by the runtime's
//! signer) and `AssumeRoleWithWebIdentity` (unsigned: the token is the
//! credential), awsQuery requests and XML answers (API version 2011-06-15).

use std::time::{Duration, SystemTime};

use super::env::Env;
use super::expiration::parse_expiration;
use super::profile::Profiles;
use super::{AwsCredentials, Secret};
use crate::client::Response;
use crate::protocol::aws_query::{self, FormWriter};
use crate::proxy::ProxyConfig;
use crate::sign::sigv4;
use crate::transport::fetch::Fetch;
use crate::xml;

const VERSION: &str = "2011-06-15";
/// STS answers within this, or the attempt fails.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Longest part of an error message kept from an answer.
const MAX_MESSAGE: usize = 300;

/// Where STS calls go, and in which region they are signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sts {
    pub(crate) endpoint: String,
    pub(crate) region: String,
    pub(crate) proxy: ProxyConfig,
}

impl Sts {
    pub(crate) fn new(env: &Env, profiles: &Profiles, profile: &str, region: Option<String>) -> Sts {
        let region = region.unwrap_or_else(|| "us-east-1".to_owned());
        let endpoint = profiles.configured_endpoint(env, profile, Some("STS")).unwrap_or_else(|| {
            let suffix = if region.starts_with("cn-") { "amazonaws.com.cn" } else { "amazonaws.com" };
            format!("https://sts.{region}.{suffix}")
        });
        let proxy = ProxyConfig::from_env(env).unwrap_or_default();
        Sts { endpoint, region, proxy }
    }

    fn url(&self) -> String {
        // The query API is bound to `/`.
        if self.endpoint.ends_with('/') { self.endpoint.clone() } else { format!("{}/", self.endpoint) }
    }

    /// `AssumeRole` with `source`'s credentials.
    pub(crate) async fn assume_role(
        &self,
        source: &AwsCredentials,
        role_arn: &str,
        session_name: &str,
        external_id: Option<&str>,
        duration_seconds: Option<u32>,
    ) -> Result<AwsCredentials, String> {
        let mut form = FormWriter::new("AssumeRole", VERSION);
        form.param("RoleArn", role_arn);
        form.param("RoleSessionName", session_name);
        if let Some(id) = external_id {
            form.param("ExternalId", id);
        }
        if let Some(d) = duration_seconds {
            form.param("DurationSeconds", &d.to_string());
        }
        let body = form.finish();
        let url = self.url();
        let host = host_of(&url)?;
        let mut headers =
            vec![("Host".to_owned(), host), ("Content-Type".to_owned(), aws_query::CONTENT_TYPE.to_owned())];
        let identity = sigv4::SigningIdentity::new(source);
        let signature = sigv4::sign(&identity, &self.region, "sts", SystemTime::now(), "POST", &url, &headers, &body)?;
        headers.extend(signature.headers);
        headers.remove(0); // Fetch adds Host itself.
        let response = self.send(&url, headers, body).await?;
        read_credentials(&response, "AssumeRole")
    }

    /// `AssumeRoleWithWebIdentity`: the token file's content, unsigned.
    pub(crate) async fn assume_role_with_web_identity(
        &self,
        role_arn: &str,
        session_name: &str,
        token: &Secret,
    ) -> Result<AwsCredentials, String> {
        let mut form = FormWriter::new("AssumeRoleWithWebIdentity", VERSION);
        form.param("RoleArn", role_arn);
        form.param("RoleSessionName", session_name);
        form.param("WebIdentityToken", token.expose());
        let headers = vec![("Content-Type".to_owned(), aws_query::CONTENT_TYPE.to_owned())];
        let url = self.url();
        let response = self.send(&url, headers, form.finish()).await?;
        read_credentials(&response, "AssumeRoleWithWebIdentity")
    }

    async fn send(&self, url: &str, headers: Vec<(String, String)>, body: Vec<u8>) -> Result<Response, String> {
        let uri: hyper::Uri = url.parse().map_err(|_| format!("invalid STS endpoint {url:?}"))?;
        let https = uri.scheme_str() == Some("https");
        let proxy = uri.host().and_then(|h| self.proxy.for_host(https, h)).cloned();
        let fetch = Fetch { method: "POST", url, headers, body, timeout: TIMEOUT, proxy };
        fetch.send().await.map_err(|e| format!("STS at {url}: {e}"))
    }
}

fn host_of(url: &str) -> Result<String, String> {
    let uri: hyper::Uri = url.parse().map_err(|_| format!("invalid STS endpoint {url:?}"))?;
    uri.authority().map(|a| a.as_str().to_owned()).ok_or_else(|| format!("invalid STS endpoint {url:?}"))
}

fn cut(text: &str) -> String {
    let mut out: String = text.chars().take(MAX_MESSAGE).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// `<XResponse><XResult><Credentials>` of a success, or the error the answer names.
fn read_credentials(response: &Response, action: &str) -> Result<AwsCredentials, String> {
    if !(200..300).contains(&response.status) {
        let meta = aws_query::error_meta(response);
        let message = meta.message.as_deref().map(cut).unwrap_or_default();
        return Err(format!("STS {action} failed: {} (HTTP {}): {message}", cut(&meta.code), response.status));
    }
    let (fields, _) = aws_query::read_answer(&response.body, Some(&format!("{action}Result")), read_credentials_element)
        .map_err(|e| format!("STS {action}: {e}"))?;
    let [key, secret, token, expiration] = fields.map(|field| field.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()));
    let field = |value: Option<String>, name: &str| value.ok_or_else(|| format!("STS {action}: no <{name}> in the answer"));
    let (key, secret) = (field(key, "AccessKeyId"), field(secret, "SecretAccessKey"));
    let (token, expiration) = (field(token, "SessionToken"), field(expiration, "Expiration"));
    let expiration = parse_expiration(&expiration?).map_err(|e| format!("STS {action}: {e}"))?;
    Ok(AwsCredentials::new(key?, secret?, Some(token?)).with_expiry(expiration))
}

/// The four fields of the result's first `<Credentials>` (each its first element).
fn read_credentials_element(result: &mut xml::Element<'_, '_>) -> Result<[Option<String>; 4], String> {
    let mut fields = [None, None, None, None];
    while let Some(mut child) = result.next_child()? {
        if child.name() != "Credentials" {
            continue;
        }
        while let Some(mut field) = child.next_child()? {
            let slot = match field.name() {
                "AccessKeyId" => &mut fields[0],
                "SecretAccessKey" => &mut fields[1],
                "SessionToken" => &mut fields[2],
                "Expiration" => &mut fields[3],
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(field.string()?);
            }
        }
        return Ok(fields);
    }
    Err("no <Credentials> in the answer".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Response {
        Response { status, headers: Vec::new(), body: body.as_bytes().to_vec() }
    }

    #[test]
    fn reads_credentials_and_errors() {
        let ok = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
            <Credentials><AccessKeyId>ASIAX</AccessKeyId><SecretAccessKey>s</SecretAccessKey>
            <SessionToken>t</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>
            </AssumeRoleResult></AssumeRoleResponse>"#;
        let c = read_credentials(&answer(200, ok), "AssumeRole").unwrap();
        assert_eq!(c.access_key_id(), "ASIAX");
        assert!(c.has_session_token() && c.expires_at().is_some());
        let err = r#"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>"#;
        let e = read_credentials(&answer(403, err), "AssumeRole").unwrap_err();
        assert_eq!(e, "STS AssumeRole failed: AccessDenied (HTTP 403): not allowed");
        for hostile in [
            "",
            "<x/>",
            "<AssumeRoleResponse><AssumeRoleResult/></AssumeRoleResponse>",
            "<!DOCTYPE x [<!ENTITY a 'b'>]><x/>",
            "\u{0}\u{1}",
        ] {
            assert!(read_credentials(&answer(200, hostile), "AssumeRole").is_err(), "{hostile}");
        }
        let huge = format!("<ErrorResponse><Error><Code>{}</Code></Error></ErrorResponse>", "C".repeat(100_000));
        assert!(read_credentials(&answer(400, &huge), "AssumeRole").unwrap_err().len() < 1000);
    }
}

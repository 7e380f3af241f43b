//! Credentials: the types the signers take, and where they come from.
//!
//! Secrets live in [`Secret`], whose `Debug` prints a placeholder and which
//! has no `Display`, so they cannot leak through logs or errors.
//!
//! AWS credentials are resolved in the AWS SDKs' order ([`AwsCredentialsChain`]):
//! explicit credentials; the environment; the shared config and credentials
//! files (`role_arn` chains, `credential_process`, web identity, static keys);
//! web identity from the environment; container credentials; EC2 instance
//! metadata (IMDSv2). All but the environment's and the profiles' static keys
//! are default features a program may leave out. With the `huawei` feature,
//! Huawei Cloud credentials as `huaweicloudsdkcore` resolves them
//! (`HuaweiCredentialsChain`): the environment, the credentials file, then ECS
//! metadata. Temporary credentials are cached and refreshed ahead of their
//! expiry by one caller at a time; an expired one is never used.

pub(crate) mod cache;
mod chain;
#[cfg(feature = "credentials-container")]
mod container;
mod env;
#[cfg(any(
    feature = "credentials-sts",
    feature = "credentials-process",
    feature = "credentials-container",
    feature = "credentials-imds",
    feature = "huawei"
))]
mod expiration;
#[cfg(feature = "huawei")]
mod huawei;
#[cfg(feature = "credentials-imds")]
mod imds;
#[cfg(feature = "credentials-process")]
mod process;
mod profile;
#[cfg(feature = "credentials-sts")]
mod sts;
#[cfg(feature = "credentials-sts")]
mod web_identity;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

pub(crate) use cache::AwsSlot;
#[cfg(feature = "huawei")]
pub(crate) use cache::HuaweiSlot;
pub use chain::AwsCredentialsChain;
pub use env::Env;
#[cfg(feature = "huawei")]
pub use huawei::HuaweiCredentialsChain;
#[cfg(feature = "credentials-imds")]
pub use imds::ImdsRegion;
pub use profile::{ProfileError, Profiles};

/// The variables that configure container credentials (read whether or not
/// the `credentials-container` source is built, so that a configured source
/// that is left out is an error, not passed over).
const CONTAINER_RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const CONTAINER_FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";

/// A secret string. Only the signers read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

/// AWS access key, with an optional session token (temporary credentials)
/// and, for temporary ones, when they expire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsCredentials {
    access_key_id: String,
    secret_access_key: Secret,
    session_token: Option<Secret>,
    expires_at: Option<SystemTime>,
}

impl AwsCredentials {
    /// Credentials that do not expire (unless [`Self::with_expiry`] says when they do).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: Secret::new(secret_access_key),
            session_token: session_token.map(Secret::new),
            expires_at: None,
        }
    }

    /// The same credentials, valid until `expires_at`: a provider's answer
    /// is refreshed ahead of that time.
    pub fn with_expiry(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The access key id (not a secret: it names the key).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// When temporary credentials expire; `None` for long-term keys.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// Whether a session token comes with the key (temporary credentials).
    pub fn has_session_token(&self) -> bool {
        self.session_token.is_some()
    }

    /// The secret key itself, for code that hands it to another signer or compares it.
    /// Never print it.
    pub fn expose_secret_access_key(&self) -> &str {
        self.secret_access_key.expose()
    }

    /// The session token itself, if any. Never print it.
    pub fn expose_session_token(&self) -> Option<&str> {
        self.session_token.as_ref().map(Secret::expose)
    }

    pub(crate) fn secret_access_key(&self) -> &Secret {
        &self.secret_access_key
    }

    pub(crate) fn session_token(&self) -> Option<&Secret> {
        self.session_token.as_ref()
    }
}

/// Huawei Cloud AK/SK, the project the calls act in, and for temporary
/// credentials their security token (sent, signed, as `X-Security-Token`).
#[cfg(feature = "huawei")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HuaweiCredentials {
    ak: String,
    sk: Secret,
    project_id: String,
    security_token: Option<Secret>,
    expires_at: Option<SystemTime>,
}

#[cfg(feature = "huawei")]
impl HuaweiCredentials {
    /// Permanent AK/SK credentials for a project.
    pub fn new(ak: impl Into<String>, sk: impl Into<String>, project_id: impl Into<String>) -> Self {
        Self {
            ak: ak.into(),
            sk: Secret::new(sk),
            project_id: project_id.into(),
            security_token: None,
            expires_at: None,
        }
    }

    /// Temporary credentials: the security token that comes with the AK/SK.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(Secret::new(token));
        self
    }

    /// The same credentials, valid until `expires_at`.
    pub fn with_expiry(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The access key (not a secret: it names the key).
    pub fn ak(&self) -> &str {
        &self.ak
    }

    /// The secret key itself. Never print it.
    pub fn expose_sk(&self) -> &str {
        self.sk.expose()
    }

    /// The security token itself, if any. Never print it.
    pub fn expose_security_token(&self) -> Option<&str> {
        self.security_token.as_ref().map(Secret::expose)
    }

    pub(crate) fn sk(&self) -> &Secret {
        &self.sk
    }

    /// The project id, which Huawei Cloud's paths and `X-Project-Id` carry.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// When temporary credentials expire; `None` for permanent ones.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// Whether a security token comes with the key (temporary credentials).
    pub fn has_security_token(&self) -> bool {
        self.security_token.is_some()
    }

    pub(crate) fn security_token(&self) -> Option<&Secret> {
        self.security_token.as_ref()
    }
}

/// One source of credentials that was tried, and what came of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceOutcome {
    /// The source: `environment`, `profile "dev"`, `container`, `instance metadata`, ...
    pub source: String,
    /// Why it gave no credentials (never a secret).
    pub reason: String,
}

/// No credentials: each source tried, in order, and why it gave none. The
/// last one may have failed outright (a malformed file, an STS error), which
/// stops the search: a configured source that fails is not skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    tried: Vec<SourceOutcome>,
}

impl CredentialsError {
    /// One source's failure.
    pub fn new(source: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { tried: vec![SourceOutcome { source: source.into(), reason: reason.into() }] }
    }

    pub(crate) fn empty() -> Self {
        Self { tried: Vec::new() }
    }

    pub(crate) fn push(&mut self, source: impl Into<String>, reason: impl Into<String>) {
        self.tried.push(SourceOutcome { source: source.into(), reason: reason.into() });
    }

    pub(crate) fn extend(&mut self, other: CredentialsError) {
        self.tried.extend(other.tried);
    }

    /// Every source tried, in order.
    pub fn tried(&self) -> &[SourceOutcome] {
        &self.tried
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no credentials; tried ")?;
        for (i, t) in self.tried.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", t.source, t.reason)?;
        }
        if self.tried.is_empty() {
            f.write_str("nothing")?;
        }
        Ok(())
    }
}

impl std::error::Error for CredentialsError {}

/// What a credentials provider returns.
pub type CredentialsFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, CredentialsError>> + Send + 'a>>;

/// A source of AWS credentials, asked whenever the cached ones are missing
/// or about to expire (never twice at once for one configuration).
pub trait ProvideAwsCredentials: Send + Sync + 'static {
    /// Fresh credentials; temporary ones carry their expiry.
    fn provide_aws_credentials(&self) -> CredentialsFuture<'_, AwsCredentials>;
}

/// A source of Huawei Cloud credentials, like [`ProvideAwsCredentials`].
#[cfg(feature = "huawei")]
pub trait ProvideHuaweiCredentials: Send + Sync + 'static {
    /// Fresh credentials; temporary ones carry their expiry and security token.
    fn provide_huawei_credentials(&self) -> CredentialsFuture<'_, HuaweiCredentials>;
}

impl<T: ProvideAwsCredentials + ?Sized> ProvideAwsCredentials for std::sync::Arc<T> {
    fn provide_aws_credentials(&self) -> CredentialsFuture<'_, AwsCredentials> {
        (**self).provide_aws_credentials()
    }
}

#[cfg(feature = "huawei")]
impl<T: ProvideHuaweiCredentials + ?Sized> ProvideHuaweiCredentials for std::sync::Arc<T> {
    fn provide_huawei_credentials(&self) -> CredentialsFuture<'_, HuaweiCredentials> {
        (**self).provide_huawei_credentials()
    }
}

/// Credentials that are known without asking anything over the network.
pub(crate) enum Precheck<T> {
    /// Found (the environment, a profile's static keys).
    Ready(T),
    /// A source applies that needs a request or a process: resolved at the first call.
    Lazy,
    /// No source can give any.
    Nothing(CredentialsError),
}

impl<T> Precheck<T> {
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Precheck<U> {
        match self {
            Precheck::Ready(t) => Precheck::Ready(f(t)),
            Precheck::Lazy => Precheck::Lazy,
            Precheck::Nothing(e) => Precheck::Nothing(e),
        }
    }
}

/// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}` (and, from
/// IMDS, `"Code": "Success"`): the answer of IMDS and of container endpoints.
#[cfg(any(feature = "credentials-container", feature = "credentials-imds"))]
pub(crate) fn parse_credentials(text: &str, what: &str) -> Result<AwsCredentials, String> {
    use crate::document::Document;
    let value = Document::from_json(text.as_bytes()).map_err(|_| format!("the answer of {what} is not JSON"))?;
    if let Some(code) = value.get("Code").and_then(Document::as_str)
        && code != "Success"
    {
        let code: String = code.chars().take(64).collect();
        return Err(format!("{what} answered Code {code:?}"));
    }
    let field = |name: &str| {
        value
            .get(name)
            .and_then(Document::as_str)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("the answer of {what} has no {name}"))
    };
    let mut credentials =
        AwsCredentials::new(field("AccessKeyId")?, field("SecretAccessKey")?, field("Token").ok().map(str::to_owned));
    if let Ok(expiration) = field("Expiration") {
        credentials = credentials.with_expiry(expiration::parse_expiration(expiration)?);
    }
    Ok(credentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let aws = AwsCredentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG", Some("FwoGZXIvYXdzEJr".into()));
        let hw =
            HuaweiCredentials::new("HPUAEXAMPLEAK", "ExampleSecretKey0123", "proj").with_security_token("hwtok987");
        let text = format!("{aws:?} {aws:#?} {hw:?} {hw:#?}");
        for secret in ["wJalrXUtnFEMI", "FwoGZXIvYXdzEJr", "ExampleSecretKey0123", "hwtok987"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(text.contains("AKIDEXAMPLE") && text.contains("HPUAEXAMPLEAK") && text.contains("redacted"));
    }

    #[test]
    fn the_error_names_each_source_in_order() {
        let mut e = CredentialsError::new("environment", "AWS_ACCESS_KEY_ID is not set");
        e.push("instance metadata", "disabled");
        assert_eq!(
            e.to_string(),
            "no credentials; tried environment: AWS_ACCESS_KEY_ID is not set; instance metadata: disabled"
        );
    }
}

//! Client configuration: where to send requests, with which credentials, and
//! how long and how often to try.
//!
//! AWS and Huawei Cloud settings (the latter with the `huawei` feature) are
//! kept apart, because one environment often holds both (`AWS_REGION=us-east-1`
//! next to `HUAWEICLOUD_SDK_REGION=cn-north-4`); a [`crate::Handle`] picks the
//! ones of its service's vendor. The builder's [`ConfigBuilder::region`] and
//! [`ConfigBuilder::endpoint_url`] set both, as a command line's `--region` /
//! `--endpoint-url` would.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

#[cfg(feature = "credentials-imds")]
use crate::credentials::ImdsRegion;
#[cfg(feature = "huawei")]
use crate::credentials::cache::HUAWEI_REFRESH_AHEAD;
use crate::credentials::cache::{AWS_REFRESH_AHEAD, AwsIdentity};
use crate::credentials::{
    AwsCredentials, AwsCredentialsChain, AwsSlot, CredentialsError, Env, ProfileError, Profiles, ProvideAwsCredentials,
};
#[cfg(feature = "huawei")]
use crate::credentials::{HuaweiCredentials, HuaweiCredentialsChain, HuaweiSlot, ProvideHuaweiCredentials};
use crate::proxy::ProxyConfig;
use crate::service::ServiceMeta;
#[cfg(feature = "huawei")]
use crate::service::SigningScheme;
use crate::transport::Transport;

/// How often and how patiently a call is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts in total, the first included; 1 (or 0) means no retry.
    pub max_attempts: u32,
    /// Upper bound of the first retry's (fully jittered) delay; doubles per retry.
    pub initial_backoff: Duration,
    /// No delay, not even a server's `Retry-After`, is longer than this.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    /// The AWS SDKs' "standard" mode: 3 attempts, 1 s base, 20 s cap.
    fn default() -> Self {
        Self { max_attempts: 3, initial_backoff: Duration::from_secs(1), max_backoff: Duration::from_secs(20) }
    }
}

impl RetryConfig {
    /// One attempt only.
    pub fn disabled() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }
}

/// Everything a [`crate::Handle`] needs besides the service's own facts.
///
/// Its `Debug` shows no secret: credentials print as `** redacted **`, and so
/// does the user info of an endpoint URL (`http://user:password@host`).
#[derive(Clone)]
pub struct Config {
    aws_region: Option<String>,
    aws_endpoint_url: Option<String>,
    /// `AWS_ENDPOINT_URL_<SERVICE_ID>` and profile `services` endpoints, by service id.
    aws_service_endpoint_urls: BTreeMap<String, String>,
    aws_credentials: Option<AwsCredentials>,
    /// Where credentials come from when none are given explicitly (cached; shared by clones).
    aws_provider: Option<AwsSlot>,
    #[cfg(feature = "huawei")]
    huawei: HuaweiSettings,
    /// The environment and profile `from_env` read (for the instance metadata region).
    env: Option<(Env, Option<String>)>,
    proxy: ProxyConfig,
    connect_timeout: Duration,
    attempt_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    retry: RetryConfig,
    user_agent: String,
    validate: bool,
    max_response_bytes: usize,
    idle_timeout: Duration,
    max_idle_connections: usize,
    signing_time: Option<SystemTime>,
    /// CA certificates (DER) trusted besides the platform's roots.
    root_certificates: Vec<Vec<u8>>,
    transport: Option<Arc<dyn Transport>>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            aws_region: None,
            aws_endpoint_url: None,
            aws_service_endpoint_urls: BTreeMap::new(),
            aws_credentials: None,
            aws_provider: None,
            #[cfg(feature = "huawei")]
            huawei: HuaweiSettings::default(),
            env: None,
            proxy: ProxyConfig::none(),
            connect_timeout: Duration::from_secs(10),
            attempt_timeout: Some(Duration::from_secs(60)),
            total_timeout: None,
            retry: RetryConfig::default(),
            user_agent: concat!("lifecycle-hooks/", env!("CARGO_PKG_VERSION")).to_owned(),
            validate: true,
            max_response_bytes: 10 * 1024 * 1024,
            idle_timeout: Duration::from_secs(90),
            max_idle_connections: 256,
            signing_time: None,
            root_certificates: Vec::new(),
            transport: None,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Config");
        d.field("aws_region", &self.aws_region)
            .field("aws_endpoint_url", &self.aws_endpoint_url.as_deref().map(redact_user_info))
            .field(
                "aws_service_endpoint_urls",
                &self.aws_service_endpoint_urls.iter().map(|(k, v)| (k, redact_user_info(v))).collect::<Vec<_>>(),
            )
            .field("aws_credentials", &self.aws_credentials)
            .field("aws_provider", &self.aws_provider);
        #[cfg(feature = "huawei")]
        d.field("huawei", &self.huawei);
        d.field("env", &self.env)
            .field("proxy", &self.proxy)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("validate", &self.validate)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_idle_connections", &self.max_idle_connections)
            .field("signing_time", &self.signing_time)
            .field("root_certificates", &self.root_certificates.len())
            .field("transport", &self.transport.as_ref().map(|_| "custom"))
            .finish()
    }
}

/// `scheme://user:password@host/...` -> `scheme://** redacted **@host/...`: an
/// endpoint override may carry a password (it is refused when used, but a
/// configuration holding one may still be printed).
fn redact_user_info(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[start..].find(['/', '?', '#']).map_or(url.len(), |i| start + i);
    match url[start..authority_end].rfind('@') {
        Some(at) => format!("{}** redacted **{}", &url[..start], &url[start + at..]),
        None => url.to_owned(),
    }
}

/// Huawei Cloud's settings, apart from AWS's (see the module docs).
#[cfg(feature = "huawei")]
#[derive(Clone, Default)]
struct HuaweiSettings {
    region: Option<String>,
    endpoint_url: Option<String>,
    credentials: Option<HuaweiCredentials>,
    /// Where credentials come from when none are given explicitly (cached; shared by clones).
    provider: Option<HuaweiSlot>,
}

#[cfg(feature = "huawei")]
impl fmt::Debug for HuaweiSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HuaweiSettings")
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url.as_deref().map(redact_user_info))
            .field("credentials", &self.credentials)
            .field("provider", &self.provider)
            .finish()
    }
}

#[cfg(feature = "huawei")]
impl HuaweiSettings {
    /// `huaweicloudsdkcore`'s variables (see [`Config::from_env_in`]), and its chain over `env`.
    fn from_env(env: &Env) -> Result<HuaweiSettings, ConfigError> {
        let get = |name: &str| env.get(name).map(str::to_owned);
        let credentials =
            match (get("HUAWEICLOUD_SDK_AK"), get("HUAWEICLOUD_SDK_SK"), get("HUAWEICLOUD_SDK_PROJECT_ID")) {
                (Some(ak), Some(sk), Some(project)) => {
                    let mut c = HuaweiCredentials::new(ak, sk, project);
                    if let Some(token) = get("HUAWEICLOUD_SDK_SECURITY_TOKEN") {
                        c = c.with_security_token(token);
                    }
                    Some(c)
                }
                (None, None, _) => None,
                _ => {
                    let why = "set together with HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_PROJECT_ID, or none";
                    return Err(env_error("HUAWEICLOUD_SDK_AK", why));
                }
            };
        Ok(HuaweiSettings {
            region: get("HUAWEICLOUD_SDK_REGION"),
            endpoint_url: get("HUAWEICLOUD_SDK_ENDPOINT"),
            credentials,
            provider: Some(huawei_chain_slot(HuaweiCredentialsChain::new(env.clone()))),
        })
    }
}

#[cfg(feature = "huawei")]
fn is_huawei(service: &ServiceMeta) -> bool {
    service.signing == SigningScheme::HuaweiSdkHmacSha256
}

impl Config {
    /// A builder starting from the defaults: no region, no credentials, no proxy, 3 attempts.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder { config: Config::default() }
    }

    /// Continue configuring, e.g. to apply command-line flags over [`Config::from_env`].
    pub fn into_builder(self) -> ConfigBuilder {
        ConfigBuilder { config: self }
    }

    /// Reads the process environment (and the files it names); see [`Config::from_env_in`].
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_env_in(&Env::from_process(), None)
    }

    /// [`Config::from_env_in`] over the variables `var` gives (empty values count as unset).
    pub fn from_env_with(var: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        Self::from_env_in(&Env::from_fn(var), None)
    }

    /// Builds a configuration as the AWS SDKs and `huaweicloudsdkcore` do, from
    /// `env`, the shared AWS config and credentials files (`profile`, else
    /// `AWS_PROFILE`, else `default`) and, with the `huawei` feature, the Huawei credentials file:
    ///
    /// | variable | sets |
    /// |---|---|
    /// | `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's `region` | AWS region (`Config::with_instance_metadata_region` adds the instance's) |
    /// | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` | AWS credentials (both keys or neither); without them, the rest of [`AwsCredentialsChain`] at the first call |
    /// | `AWS_ENDPOINT_URL_<SERVICE_ID>`, `AWS_ENDPOINT_URL`, the profile's `services` section and `endpoint_url` | AWS endpoint override, in that order (none with `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`) |
    /// | `AWS_MAX_ATTEMPTS` | attempts per call, for every service |
    /// | `HUAWEICLOUD_SDK_AK`, `_SK`, `_PROJECT_ID`, `_SECURITY_TOKEN` | with the `huawei` feature: Huawei credentials (AK, SK and project all three or none); without them, the rest of `HuaweiCredentialsChain` |
    /// | `HUAWEICLOUD_SDK_REGION` | with the `huawei` feature: Huawei region |
    /// | `HUAWEICLOUD_SDK_ENDPOINT` | with the `huawei` feature: Huawei endpoint override |
    /// | `https_proxy`, `http_proxy`, `no_proxy` (or upper case) | proxies ([`crate::proxy`]) |
    ///
    /// With `profile` given, the environment's AWS keys are not used (as `aws --profile`).
    /// A malformed config or credentials file is an error, as it is for botocore.
    pub fn from_env_in(env: &Env, profile: Option<&str>) -> Result<Config, ConfigError> {
        let get = |name: &str| env.get(name).map(str::to_owned);
        let mut chain = AwsCredentialsChain::new(env.clone());
        if let Some(p) = profile {
            chain = chain.with_profile(p);
        }
        let aws_credentials = match (get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY")) {
            (Some(id), Some(secret)) if profile.is_none() => {
                Some(AwsCredentials::new(id, secret, get("AWS_SESSION_TOKEN")))
            }
            (Some(_), Some(_)) | (None, None) => None,
            _ => return Err(env_error("AWS_ACCESS_KEY_ID", "set together with AWS_SECRET_ACCESS_KEY, or neither")),
        };
        #[cfg(feature = "huawei")]
        let huawei = HuaweiSettings::from_env(env)?;
        let mut retry = RetryConfig::default();
        if let Some(n) = get("AWS_MAX_ATTEMPTS") {
            retry.max_attempts = match n.trim().parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => return Err(env_error("AWS_MAX_ATTEMPTS", "must be a whole number >= 1")),
            };
        }
        let proxy = ProxyConfig::from_env(env).map_err(|(var, reason)| ConfigError::InvalidEnv { var, reason })?;
        let profiles = Profiles::load(env).map_err(ConfigError::Profile)?;
        let profile_name = chain.profile_name();
        let aws_region = get("AWS_REGION").or_else(|| get("AWS_DEFAULT_REGION")).or_else(|| profiles.get(&profile_name, "region"));
        let aws_endpoint_url = profiles.configured_endpoint(env, &profile_name, None);
        // Every service the environment or the profile names, whichever crate's
        // services will use this configuration (keyed as `AWS_ENDPOINT_URL_<ID>`).
        // (A name seen twice gives the same URL twice; the map keeps one.)
        let aws_service_endpoint_urls = env
            .names_with_prefix("AWS_ENDPOINT_URL_")
            .map(str::to_owned)
            .chain(profiles.service_keys(&profile_name).iter().map(|k| crate::service::env_id(k)))
            .filter_map(|id| {
                let url = profiles.configured_endpoint(env, &profile_name, Some(&id))?;
                Some((id, url))
            })
            .collect();
        let aws_provider = Some(aws_chain_slot(chain));
        Ok(Config {
            aws_region,
            aws_endpoint_url,
            aws_service_endpoint_urls,
            aws_credentials,
            aws_provider,
            #[cfg(feature = "huawei")]
            huawei,
            env: Some((env.clone(), profile.map(str::to_owned))),
            proxy,
            retry,
            ..Config::default()
        })
    }

    /// Without an AWS region, asks the EC2 instance metadata service for the
    /// instance's (as the AWS SDKs do last), unless `AWS_EC2_METADATA_DISABLED`.
    /// Only for a configuration made by `from_env`; a failure leaves the region unset.
    /// With the `credentials-imds` feature (a default one).
    #[cfg(feature = "credentials-imds")]
    pub async fn with_instance_metadata_region(mut self) -> Config {
        if self.aws_region.is_none()
            && let Some((env, profile)) = &self.env
            && let Ok(region) = ImdsRegion::resolve(env, profile.as_deref()).await
        {
            self.aws_region = Some(region);
        }
        self
    }

    /// [`Self::with_instance_metadata_region`] for code that is not async (a
    /// command line's set-up): the lookup (at most a few seconds) runs on a
    /// thread of its own, so this may be called inside an async runtime too.
    #[cfg(feature = "credentials-imds")]
    pub fn with_instance_metadata_region_blocking(self) -> Config {
        if self.aws_region.is_some() || self.env.is_none() {
            return self;
        }
        let fallback = self.clone();
        let lookup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            Some(runtime.block_on(self.with_instance_metadata_region()))
        });
        lookup.join().ok().flatten().unwrap_or(fallback)
    }

    /// The region for `service` (its vendor's setting).
    // Without the `huawei` feature every service is AWS's, and `service` says nothing more.
    #[cfg_attr(not(feature = "huawei"), expect(unused_variables))]
    pub fn region(&self, service: &ServiceMeta) -> Option<&str> {
        #[cfg(feature = "huawei")]
        if is_huawei(service) {
            return self.huawei.region.as_deref();
        }
        self.aws_region.as_deref()
    }

    /// The endpoint override for `service` (its vendor's setting; for AWS the
    /// service's own `AWS_ENDPOINT_URL_<SERVICE_ID>` first).
    pub fn endpoint_url(&self, service: &ServiceMeta) -> Option<&str> {
        #[cfg(feature = "huawei")]
        if is_huawei(service) {
            return self.huawei.endpoint_url.as_deref();
        }
        self.aws_service_endpoint_urls
            .get(&service.endpoint_env_id())
            .map(String::as_str)
            .or(self.aws_endpoint_url.as_deref())
    }

    /// The AWS credentials given explicitly (or by the environment's keys).
    pub fn aws_credentials(&self) -> Option<&AwsCredentials> {
        self.aws_credentials.as_ref()
    }

    /// The AWS credentials a handle signs with: the explicit ones, else the provider's.
    pub(crate) fn aws_slot(&self) -> Option<AwsSlot> {
        match &self.aws_credentials {
            Some(c) => Some(AwsSlot::Fixed(Arc::new(AwsIdentity::new(c.clone())))),
            None => self.aws_provider.clone(),
        }
    }

    /// Which proxy each request goes through.
    pub fn proxy(&self) -> &ProxyConfig {
        &self.proxy
    }

    /// Limit for connecting: DNS, TCP, the proxy's `CONNECT` and the TLS handshake.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// Limit for one attempt: sending, waiting, and reading the whole answer.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    /// Limit for a whole call, retries and back-off included.
    pub fn total_timeout(&self) -> Option<Duration> {
        self.total_timeout
    }

    /// How often and how patiently calls are retried.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The `User-Agent` sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// Whether generated code validates inputs before sending them.
    pub fn validate(&self) -> bool {
        self.validate
    }

    /// Answers longer than this fail with a `BodyTooLarge` transport error.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }

    /// How long a connection may wait unused in the pool before it is closed.
    pub fn idle_timeout(&self) -> Duration {
        self.idle_timeout
    }

    /// At most this many unused connections are kept open per client.
    pub fn max_idle_connections(&self) -> usize {
        self.max_idle_connections
    }

    /// A fixed signing clock (tests, oracles); `None` signs with the current time.
    pub fn signing_time(&self) -> Option<SystemTime> {
        self.signing_time
    }

    /// The CA certificates (DER) trusted besides the platform's roots, in the
    /// order they were added (see [`ConfigBuilder::add_root_certificate`]).
    pub fn root_certificates(&self) -> &[Vec<u8>] {
        &self.root_certificates
    }

    /// The transport set with [`ConfigBuilder::transport`]; `None` is the built-in HTTP/1.1 client.
    pub fn transport(&self) -> Option<&Arc<dyn Transport>> {
        self.transport.as_ref()
    }
}

/// Huawei Cloud's side of a configuration.
#[cfg(feature = "huawei")]
impl Config {
    /// The Huawei Cloud credentials given explicitly (or by the environment).
    pub fn huawei_credentials(&self) -> Option<&HuaweiCredentials> {
        self.huawei.credentials.as_ref()
    }

    /// The Huawei credentials a handle signs with: the explicit ones, else the provider's.
    pub(crate) fn huawei_slot(&self) -> Option<HuaweiSlot> {
        match &self.huawei.credentials {
            Some(c) => Some(HuaweiSlot::Fixed(Arc::new(c.clone()))),
            None => self.huawei.provider.clone(),
        }
    }

    /// The Huawei project id known before any credentials are fetched.
    pub(crate) fn huawei_project_hint(&self) -> Option<&str> {
        self.env.as_ref().and_then(|(env, _)| env.get("HUAWEICLOUD_SDK_PROJECT_ID"))
    }
}

/// The AWS chain as a configuration's provider: precheck at `Handle::new`, cached, refreshed ahead.
fn aws_chain_slot(chain: AwsCredentialsChain) -> AwsSlot {
    let check = chain.clone();
    let precheck = Box::new(move || check.precheck().map(AwsIdentity::new));
    AwsSlot::provided(Arc::new(chain), Some(precheck), AWS_REFRESH_AHEAD, "the AWS credentials chain")
}

/// The Huawei chain as a configuration's provider.
#[cfg(feature = "huawei")]
fn huawei_chain_slot(chain: HuaweiCredentialsChain) -> HuaweiSlot {
    let check = chain.clone();
    let precheck = Box::new(move || check.precheck());
    HuaweiSlot::provided(Arc::new(chain), Some(precheck), HUAWEI_REFRESH_AHEAD, "the Huawei Cloud credentials chain")
}

fn env_error(var: &'static str, reason: &str) -> ConfigError {
    ConfigError::InvalidEnv { var, reason: reason.to_owned() }
}

#[derive(Debug, Clone)]
/// Builds a [`Config`]; every setter overrides what came before (e.g. [`Config::from_env`]'s value).
pub struct ConfigBuilder {
    config: Config,
}

impl ConfigBuilder {
    /// The region for every vendor.
    pub fn region(self, region: impl Into<String>) -> Self {
        let region = region.into();
        #[cfg(feature = "huawei")]
        let this = self.huawei_region(region.clone());
        #[cfg(not(feature = "huawei"))]
        let this = self;
        this.aws_region(region)
    }

    /// The AWS region (AWS services only).
    pub fn aws_region(mut self, region: impl Into<String>) -> Self {
        self.config.aws_region = Some(region.into());
        self
    }

    /// Send every request to this URL (`http://` allowed here only) instead of the service's endpoint.
    pub fn endpoint_url(self, url: impl Into<String>) -> Self {
        let url = url.into();
        #[cfg(feature = "huawei")]
        let this = self.huawei_endpoint_url(url.clone());
        #[cfg(not(feature = "huawei"))]
        let this = self;
        this.aws_endpoint_url(url)
    }

    /// The AWS endpoint override, for every AWS service (it replaces the
    /// per-service ones `from_env` found).
    pub fn aws_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.aws_endpoint_url = Some(url.into());
        self.config.aws_service_endpoint_urls.clear();
        self
    }

    /// AWS credentials to sign with (no provider is asked).
    pub fn aws_credentials(mut self, credentials: AwsCredentials) -> Self {
        self.config.aws_credentials = Some(credentials);
        self
    }

    /// Where AWS credentials come from when none are given explicitly: asked
    /// at the first call and whenever the cached ones near their expiry (once
    /// at a time for this configuration and its clones).
    pub fn aws_credentials_provider(mut self, provider: impl ProvideAwsCredentials) -> Self {
        self.config.aws_credentials = None;
        self.config.aws_provider = Some(AwsSlot::provided(Arc::new(provider), None, AWS_REFRESH_AHEAD, "the configured AWS credentials provider"));
        self
    }

    /// The AWS SDKs' chain over an environment of the caller's choosing (see [`AwsCredentialsChain`]).
    pub fn aws_credentials_chain(mut self, chain: AwsCredentialsChain) -> Self {
        self.config.aws_credentials = None;
        self.config.aws_provider = Some(aws_chain_slot(chain));
        self
    }

    /// Which proxy requests go through (default none; `from_env` reads the environment's).
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.config.proxy = proxy;
        self
    }

    /// Limit for connecting (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// Limit for one attempt (default 60 s); `None` for none.
    pub fn attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.config.attempt_timeout = timeout;
        self
    }

    /// Limit for a whole call, retries and back-off included (default none).
    pub fn total_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.config.total_timeout = timeout;
        self
    }

    /// How often and how patiently calls are retried.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.config.retry = retry;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.config.user_agent = user_agent.into();
        self
    }

    /// Whether generated code validates inputs before sending them (default on).
    pub fn validate(mut self, validate: bool) -> Self {
        self.config.validate = validate;
        self
    }

    /// Answers longer than this many bytes fail (default 10 MiB).
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.config.max_response_bytes = max;
        self
    }

    /// Unused connections are closed after this long (default 90 s, as hyper's pooled client).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.config.idle_timeout = timeout;
        self
    }

    /// Keep at most this many unused connections open (default 256); 0 turns connection reuse off.
    pub fn max_idle_connections(mut self, max: usize) -> Self {
        self.config.max_idle_connections = max;
        self
    }

    /// A fixed signing clock (tests, `--dry-run --signing-time`); `None` is the current time.
    pub fn signing_time(mut self, time: Option<SystemTime>) -> Self {
        self.config.signing_time = time;
        self
    }

    /// Trusts this CA certificate (DER) for https endpoints, besides the
    /// platform's roots, which stay trusted and checked as before: for a
    /// corporate proxy that intercepts TLS, or a private endpoint. The
    /// certificate is checked when a client is made ([`ConfigError::Tls`] if
    /// it cannot be used). Credentials providers (instance metadata,
    /// container, STS) keep the platform's roots only.
    pub fn add_root_certificate(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.config.root_certificates.push(der.into());
        self
    }

    /// [`Self::add_root_certificate`] for every certificate of a PEM bundle
    /// (`-----BEGIN CERTIFICATE-----` blocks; anything else in the text is
    /// skipped). A bundle without a certificate, or with one that is not
    /// valid base64, is a [`ConfigError::Tls`].
    pub fn add_root_certificates_pem(mut self, pem: impl AsRef<[u8]>) -> Result<Self, ConfigError> {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let mut found = 0;
        for cert in CertificateDer::pem_slice_iter(pem.as_ref()) {
            let cert = cert.map_err(|e| ConfigError::Tls(format!("unreadable PEM certificate: {e}")))?;
            self.config.root_certificates.push(cert.to_vec());
            found += 1;
        }
        if found == 0 {
            return Err(ConfigError::Tls("no PEM certificate (-----BEGIN CERTIFICATE-----) in the bundle".to_owned()));
        }
        Ok(self)
    }

    /// Send every attempt through `transport` instead of the built-in HTTP/1.1
    /// client (see [`Transport`]); e.g. [`crate::testing::InMemoryTransport`] in tests.
    /// The connection settings (connect and idle timeouts, idle connections,
    /// proxies) are then the transport's business.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.config.transport = Some(Arc::new(transport));
        self
    }

    /// The configuration.
    pub fn build(self) -> Config {
        self.config
    }
}

/// A configuration that cannot make a working client. Never shows secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A service needs a region and none is configured.
    MissingRegion {
        /// The service's short name.
        service: &'static str,
    },
    /// The region is not a plain DNS label.
    InvalidRegion {
        /// The region as configured.
        region: String,
    },
    /// No credentials at all for the service's vendor.
    MissingCredentials {
        /// The service's short name.
        service: &'static str,
        /// What to set.
        hint: &'static str,
    },
    /// The endpoint override cannot be used.
    InvalidEndpoint {
        /// The endpoint as configured (hidden when it holds user info).
        endpoint: String,
        /// Why.
        reason: String,
    },
    /// An environment variable has a value that cannot be used.
    InvalidEnv {
        /// The variable.
        var: &'static str,
        /// Why (never its value, which may be a secret).
        reason: String,
    },
    /// The TLS stack could not be set up.
    Tls(String),
    /// A shared config or credentials file cannot be read.
    Profile(ProfileError),
    /// No source of credentials for `service` can give any: each one tried, and why.
    Credentials {
        /// The service's short name.
        service: &'static str,
        /// The sources tried.
        error: CredentialsError,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingRegion { service } => write!(f, "no region configured for {service}"),
            ConfigError::InvalidRegion { region } => {
                write!(f, "invalid region {region:?}: expected letters, digits and '-'")
            }
            ConfigError::MissingCredentials { service, hint } => write!(f, "no credentials for {service}: set {hint}"),
            ConfigError::InvalidEndpoint { endpoint, reason } => write!(f, "invalid endpoint {endpoint:?}: {reason}"),
            ConfigError::InvalidEnv { var, reason } => write!(f, "invalid environment variable {var}: {reason}"),
            ConfigError::Tls(m) => write!(f, "could not set up TLS: {m}"),
            ConfigError::Profile(e) => write!(f, "invalid profile file {e}"),
            ConfigError::Credentials { service, error } => write!(f, "no credentials for {service}: {error}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Huawei Cloud's settings.
#[cfg(feature = "huawei")]
impl ConfigBuilder {
    /// The Huawei Cloud region (Huawei services only).
    pub fn huawei_region(mut self, region: impl Into<String>) -> Self {
        self.config.huawei.region = Some(region.into());
        self
    }

    /// The Huawei Cloud endpoint override.
    pub fn huawei_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.config.huawei.endpoint_url = Some(url.into());
        self
    }

    /// Huawei Cloud credentials to sign with (no provider is asked).
    pub fn huawei_credentials(mut self, credentials: HuaweiCredentials) -> Self {
        self.config.huawei.credentials = Some(credentials);
        self
    }

    /// Where Huawei Cloud credentials come from when none are given explicitly.
    pub fn huawei_credentials_provider(mut self, provider: impl ProvideHuaweiCredentials) -> Self {
        self.config.huawei.credentials = None;
        self.config.huawei.provider = Some(HuaweiSlot::provided(Arc::new(provider), None, HUAWEI_REFRESH_AHEAD, "the configured Huawei Cloud credentials provider"));
        self
    }

    /// `huaweicloudsdkcore`'s chain over an environment of the caller's choosing (see [`HuaweiCredentialsChain`]).
    pub fn huawei_credentials_chain(mut self, chain: HuaweiCredentialsChain) -> Self {
        self.config.huawei.credentials = None;
        self.config.env = self.config.env.take().or_else(|| Some((chain.env().clone(), None)));
        self.config.huawei.provider = Some(huawei_chain_slot(chain));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn from_env_reads_both_vendors() {
        let c = Config::from_env_with(env(&[
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "topsecret"),
            ("AWS_SESSION_TOKEN", "tok"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
            ("AWS_MAX_ATTEMPTS", "5"),
            ("HUAWEICLOUD_SDK_AK", "AK"),
            ("HUAWEICLOUD_SDK_SK", "SK"),
            ("HUAWEICLOUD_SDK_PROJECT_ID", "p1"),
            ("HUAWEICLOUD_SDK_REGION", "cn-north-4"),
        ]))
        .unwrap();
        assert_eq!(c.aws_region.as_deref(), Some("eu-west-1"));
        assert_eq!(c.huawei.region.as_deref(), Some("cn-north-4"));
        assert_eq!(c.aws_endpoint_url.as_deref(), Some("http://127.0.0.1:5000"));
        assert_eq!(c.huawei.endpoint_url, None);
        assert_eq!(c.aws_credentials().unwrap().access_key_id(), "AKID");
        assert_eq!(c.huawei_credentials().unwrap().project_id(), "p1");
        assert_eq!(c.retry().max_attempts, 5);
        assert!(c.validate());
    }

    #[test]
    fn from_env_rejects_half_credentials_without_echoing_them() {
        let err = Config::from_env_with(env(&[("AWS_SECRET_ACCESS_KEY", "topsecret")])).unwrap_err();
        assert!(matches!(err, ConfigError::InvalidEnv { var: "AWS_ACCESS_KEY_ID", .. }));
        assert!(!err.to_string().contains("topsecret"));
        let err = Config::from_env_with(env(&[("HUAWEICLOUD_SDK_AK", "a"), ("HUAWEICLOUD_SDK_SK", "s3cr3t")]));
        assert!(!err.unwrap_err().to_string().contains("s3cr3t"));
        assert!(Config::from_env_with(env(&[("AWS_MAX_ATTEMPTS", "0")])).is_err());
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let c = Config::from_env_with(env(&[("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "us-west-2")])).unwrap();
        assert_eq!(c.aws_region.as_deref(), Some("us-west-2"));
    }

    #[test]
    fn debug_of_config_hides_passwords_in_endpoint_urls() {
        // Regression (reliability_security): the derived Debug printed the override verbatim.
        let c = Config::builder().endpoint_url("http://user:hunter2@127.0.0.1:1/x@y").build();
        let text = format!("{c:?} {:?}", c.clone().into_builder());
        assert!(!text.contains("hunter2") && text.contains("127.0.0.1:1/x@y"), "{text}");
        assert_eq!(redact_user_info("https://h/p?q=a@b"), "https://h/p?q=a@b");
        assert_eq!(redact_user_info("https://a:b@c@h"), "https://** redacted **@h");
        assert_eq!(redact_user_info("user:pw@host"), "** redacted **@host");
    }

    #[test]
    fn debug_of_config_hides_secrets() {
        let c = Config::builder()
            .aws_credentials(AwsCredentials::new("AKID", "aws-secret-value", Some("session-secret".into())))
            .huawei_credentials(HuaweiCredentials::new("AK", "huawei-secret-value", "p"))
            .build();
        let text = format!("{c:?}");
        assert!(
            !text.contains("aws-secret-value")
                && !text.contains("session-secret")
                && !text.contains("huawei-secret-value")
        );
    }
}

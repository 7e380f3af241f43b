//! The AWS credentials chain, in botocore's order (which the other AWS SDKs share):
//!
//! 1. the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//!    `AWS_SESSION_TOKEN` (skipped when the caller names a profile, as
//!    botocore's `Session(profile=...)` and `aws --profile` do);
//! 2. the profile's `role_arn`: STS `AssumeRole` with the credentials of its
//!    `source_profile` (itself a role, web identity, static keys or a
//!    `credential_process`; chains are followed, cycles refused) or of its
//!    `credential_source` (`Environment`, `Ec2InstanceMetadata`,
//!    `EcsContainer`), with `external_id`, `role_session_name`, `duration_seconds`;
//! 3. web identity: `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`,
//!    `AWS_ROLE_SESSION_NAME` (each falling back to the profile's
//!    `web_identity_token_file`, `role_arn`, `role_session_name`), through STS
//!    `AssumeRoleWithWebIdentity`;
//! 4. the profile's static keys in the credentials file;
//! 5. the profile's `credential_process`;
//! 6. the profile's static keys in the config file;
//! 7. container credentials;
//! 8. EC2 instance metadata (IMDSv2).
//!
//! The profile is the caller's, else `AWS_PROFILE`, else `default`; a named
//! profile that neither file has is an error. A source that is configured but
//! fails (a malformed file, an STS error, a broken `credential_process`) ends
//! the search with its error; only instance metadata, last, may be absent.
//!
//! Sources 2, 3, 5, 7 and 8 are the runtime's default features
//! (`credentials-sts`, `credentials-process`, `credentials-container`,
//! `credentials-imds`). A program built without one still sees when it is
//! configured, and stops there with an error that names the feature: falling
//! through would pick another identity (the instance's role instead of the
//! task's or the pod's), which is worse than failing.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
#[cfg(feature = "credentials-sts")]
use std::time::{SystemTime, UNIX_EPOCH};

#[cfg(feature = "credentials-container")]
use super::container;
use super::env::Env;
#[cfg(feature = "credentials-imds")]
use super::imds::{self, Imds};
#[cfg(feature = "credentials-process")]
use super::process;
use super::profile::{Profiles, Properties};
#[cfg(feature = "credentials-sts")]
use super::sts::Sts;
#[cfg(feature = "credentials-sts")]
use super::web_identity::WebIdentity;
use super::{AwsCredentials, CredentialsError, CredentialsFuture, Precheck, ProvideAwsCredentials};

/// The AWS SDKs' default credentials chain over an environment (see the module docs).
#[derive(Clone, PartialEq, Eq)]
pub struct AwsCredentialsChain {
    env: Env,
    /// Named by the caller (`hookctl --profile`), not by `AWS_PROFILE`.
    explicit_profile: Option<String>,
}

impl fmt::Debug for AwsCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentialsChain").field("profile", &self.profile_name()).finish()
    }
}

/// The session name of an assumed role when the configuration gives none.
#[cfg(feature = "credentials-sts")]
pub(crate) fn default_session_name() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    format!("lifecycle-hooks-{}", now.as_secs())
}

const ENV: &str = "environment";
const ENV_KEYS: &str = "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set";

/// The environment's keys: `Ok(None)` when neither is set.
fn env_credentials(env: &Env) -> Result<Option<AwsCredentials>, String> {
    match (env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => {
            Ok(Some(AwsCredentials::new(id, secret, env.get("AWS_SESSION_TOKEN").map(str::to_owned))))
        }
        (None, None) => Ok(None),
        (Some(_), None) => Err("AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY".to_owned()),
        (None, Some(_)) => Err("AWS_SECRET_ACCESS_KEY is set without AWS_ACCESS_KEY_ID".to_owned()),
    }
}

/// Static keys of a section: `Ok(None)` when it has none.
fn static_keys(props: Option<&Properties>) -> Result<Option<AwsCredentials>, String> {
    let Some(props) = props else { return Ok(None) };
    let get = |k: &str| props.get(k).filter(|v| !v.is_empty());
    match (get("aws_access_key_id"), get("aws_secret_access_key")) {
        (Some(id), Some(secret)) => {
            let token = get("aws_session_token").or_else(|| get("aws_security_token")).cloned();
            Ok(Some(AwsCredentials::new(id, secret, token)))
        }
        (None, None) => Ok(None),
        (Some(_), None) => Err("aws_access_key_id without aws_secret_access_key".to_owned()),
        (None, Some(_)) => Err("aws_secret_access_key without aws_access_key_id".to_owned()),
    }
}

#[cfg(feature = "credentials-sts")]
fn has_static(props: &Properties) -> bool {
    props.contains_key("aws_access_key_id") || props.contains_key("aws_secret_access_key")
}

fn is_role(props: &Properties) -> bool {
    props.contains_key("role_arn") && !props.contains_key("web_identity_token_file")
}

/// Everything one resolution reads, read once.
struct Resolution<'a> {
    chain: &'a AwsCredentialsChain,
    profiles: Profiles,
    profile: String,
    #[cfg(feature = "credentials-sts")]
    sts: Sts,
}

type Found = Result<Option<(String, AwsCredentials)>, CredentialsError>;

impl AwsCredentialsChain {
    /// The chain over `env`, with the profile from `AWS_PROFILE` (or `default`).
    pub fn new(env: Env) -> Self {
        Self { env, explicit_profile: None }
    }

    /// Names the profile, as `--profile` does: the environment's keys are then skipped.
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.explicit_profile = Some(profile.into());
        self
    }

    /// The profile used: the caller's, `AWS_PROFILE`, or `default`.
    pub fn profile_name(&self) -> String {
        self.explicit_profile
            .clone()
            .or_else(|| self.env.get("AWS_PROFILE").map(str::to_owned))
            .unwrap_or_else(|| "default".to_owned())
    }

    /// The environment the chain reads.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The instance metadata endpoint the chain would ask last (`None` when disabled).
    #[cfg(feature = "credentials-imds")]
    pub fn instance_metadata_endpoint(&self) -> Option<String> {
        let profiles = Profiles::load(&self.env).unwrap_or_default();
        Imds::from_env(&self.env, &profiles, &self.profile_name()).endpoint().map(str::to_owned)
    }

    /// The container credentials URL the chain would ask (`None` when none is configured).
    #[cfg(feature = "credentials-container")]
    pub fn container_endpoint(&self) -> Option<String> {
        container::endpoint(&self.env).ok().flatten()
    }

    /// The STS endpoint role credentials come from.
    #[cfg(feature = "credentials-sts")]
    pub fn sts_endpoint(&self) -> Result<String, CredentialsError> {
        Ok(self.start()?.sts.endpoint)
    }

    /// The region of the chain's profile, as the AWS SDKs read it:
    /// `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
    pub fn region(&self) -> Result<Option<String>, CredentialsError> {
        let r = self.start()?;
        Ok(self.env_region().or_else(|| r.profiles.get(&r.profile, "region")))
    }

    fn env_region(&self) -> Option<String> {
        self.env.get("AWS_REGION").or_else(|| self.env.get("AWS_DEFAULT_REGION")).map(str::to_owned)
    }

    fn start(&self) -> Result<Resolution<'_>, CredentialsError> {
        let profile = self.profile_name();
        let source = format!("profile {profile:?}");
        let profiles = Profiles::load(&self.env).map_err(|e| CredentialsError::new(&source, e.to_string()))?;
        let named = self.explicit_profile.is_some() || self.env.get("AWS_PROFILE").is_some();
        if named && profile != "default" && !profiles.contains(&profile) {
            let why = format!("the profile is not in {}", profiles.describe_files());
            return Err(CredentialsError::new(source, why));
        }
        #[cfg(feature = "credentials-sts")]
        let sts =
            Sts::new(&self.env, &profiles, &profile, self.env_region().or_else(|| profiles.get(&profile, "region")));
        Ok(Resolution {
            chain: self,
            profiles,
            profile,
            #[cfg(feature = "credentials-sts")]
            sts,
        })
    }

    /// The credentials, from the first source that has them.
    pub async fn resolve(&self) -> Result<AwsCredentials, CredentialsError> {
        let mut tried = CredentialsError::empty();
        if self.explicit_profile.is_none() {
            match env_credentials(&self.env) {
                Ok(Some(c)) => return Ok(c),
                Ok(None) => tried.push(ENV, ENV_KEYS),
                Err(e) => return Err(fail(tried, ENV, e)),
            }
        }
        let r = match self.start() {
            Ok(r) => r,
            Err(e) => {
                tried.extend(e);
                return Err(tried);
            }
        };
        match r.profile_sources(&r.profile, true, &mut tried).await {
            Ok(Some((_, c))) => return Ok(c),
            Ok(None) => {}
            Err(e) => {
                tried.extend(e);
                return Err(tried);
            }
        }
        match container_credentials(&self.env).await {
            Ok(Some(c)) => return Ok(c),
            Ok(None) => tried.push("container", NO_CONTAINER),
            Err(e) => return Err(fail(tried, "container", e)),
        }
        match r.instance_metadata().await {
            Ok(c) => Ok(c),
            Err(e) => Err(fail(tried, "instance metadata", e)),
        }
    }

    /// What is known without a request: the environment's or a profile's
    /// static keys, or whether some source is left to ask at the first call.
    pub(crate) fn precheck(&self) -> Precheck<AwsCredentials> {
        let mut tried = CredentialsError::empty();
        if self.explicit_profile.is_none() {
            match env_credentials(&self.env) {
                Ok(Some(c)) => return Precheck::Ready(c),
                Ok(None) => tried.push(ENV, ENV_KEYS),
                Err(e) => return Precheck::Nothing(fail(tried, ENV, e)),
            }
        }
        let r = match self.start() {
            Ok(r) => r,
            Err(e) => {
                tried.extend(e);
                return Precheck::Nothing(tried);
            }
        };
        let merged = r.profiles.merged(&r.profile);
        let source = format!("profile {:?}", r.profile);
        // Asked at the first call (where a source this build left out is refused).
        if is_role(&merged)
            || r.web_identity_token_file(&r.profile, true).is_some()
            || merged.contains_key("credential_process")
        {
            return Precheck::Lazy;
        }
        for props in [r.profiles.in_credentials_file(&r.profile), r.profiles.in_config_file(&r.profile)] {
            match static_keys(props) {
                Ok(Some(c)) => return Precheck::Ready(c),
                Ok(None) => {}
                Err(e) => return Precheck::Nothing(fail(tried, source, e)),
            }
        }
        tried.push("web identity", "AWS_WEB_IDENTITY_TOKEN_FILE is not set");
        tried.push(&source, format!("no credentials in {}", r.profiles.describe_files()));
        match container_configured(&self.env) {
            Ok(true) => return Precheck::Lazy,
            Ok(false) => tried.push("container", NO_CONTAINER),
            Err(e) => return Precheck::Nothing(fail(tried, "container", e)),
        }
        match r.instance_metadata_available() {
            Ok(()) => Precheck::Lazy,
            Err(e) => Precheck::Nothing(fail(tried, "instance metadata", e)),
        }
    }
}

const NO_CONTAINER: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set";

fn fail(mut tried: CredentialsError, source: impl Into<String>, reason: impl Into<String>) -> CredentialsError {
    tried.push(source, reason);
    tried
}

impl Resolution<'_> {
    /// A web identity setting of `profile`: the environment's first when `use_env`.
    fn web_identity_setting(&self, profile: &str, use_env: bool, var: &str, key: &str) -> Option<String> {
        let env = &self.chain.env;
        use_env.then(|| env.get(var).map(str::to_owned)).flatten().or_else(|| self.profiles.get(profile, key))
    }

    /// The web identity token file of `profile`, which says that web identity is configured.
    fn web_identity_token_file(&self, profile: &str, use_env: bool) -> Option<String> {
        self.web_identity_setting(profile, use_env, "AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file")
    }

    /// Web identity settings for `profile`: the environment's first when `use_env`.
    #[cfg(feature = "credentials-sts")]
    fn web_identity(&self, profile: &str, use_env: bool) -> Option<Result<WebIdentity, String>> {
        let env = &self.chain.env;
        let get = |var: &str, key: &str| self.web_identity_setting(profile, use_env, var, key);
        let token_file = self.web_identity_token_file(profile, use_env)?;
        let Some(role_arn) = get("AWS_ROLE_ARN", "role_arn") else {
            return Some(Err(
                "a web identity token file is configured without a role ARN (AWS_ROLE_ARN or role_arn)".to_owned()
            ));
        };
        let token_file = match env.expand_home(&token_file) {
            Some(path) => path.display().to_string(),
            None => token_file,
        };
        Some(Ok(WebIdentity { token_file, role_arn, session_name: get("AWS_ROLE_SESSION_NAME", "role_session_name") }))
    }

    /// Sources 2 to 6 for `profile` (2 only at the top: a source profile's
    /// role is followed by [`Self::assume_role`] itself).
    fn profile_sources<'a>(
        &'a self,
        profile: &'a str,
        top: bool,
        tried: &'a mut CredentialsError,
    ) -> Pin<Box<dyn Future<Output = Found> + Send + 'a>> {
        Box::pin(async move {
            let merged = self.profiles.merged(profile);
            let source = format!("profile {profile:?}");
            let failed = |why: String| CredentialsError::new(format!("profile {profile:?}"), why);
            if top && is_role(&merged) {
                let mut visited = vec![profile.to_owned()];
                let c = self.assume_role(profile, &mut visited).await?;
                return Ok(Some((source, c)));
            }
            match self.web_identity_credentials(profile, top).await {
                Ok(Some(c)) => return Ok(Some(("web identity".to_owned(), c))),
                Ok(None) => {
                    if top {
                        tried.push("web identity", "AWS_WEB_IDENTITY_TOKEN_FILE is not set");
                    }
                }
                Err(e) => return Err(CredentialsError::new("web identity", e)),
            }
            if let Some(c) = static_keys(self.profiles.in_credentials_file(profile)).map_err(failed)? {
                return Ok(Some((source, c)));
            }
            if let Some(command) = merged.get("credential_process").filter(|c| !c.is_empty()) {
                let c = credential_process(command).await.map_err(failed)?;
                return Ok(Some((source, c)));
            }
            if let Some(c) = static_keys(self.profiles.in_config_file(profile)).map_err(failed)? {
                return Ok(Some((source, c)));
            }
            tried.push(source, format!("no credentials in {}", self.profiles.describe_files()));
            Ok(None)
        })
    }

    /// `AssumeRole` for `profile`'s `role_arn`, with its source's credentials.
    #[cfg(feature = "credentials-sts")]
    fn assume_role<'a>(
        &'a self,
        profile: &'a str,
        visited: &'a mut Vec<String>,
    ) -> Pin<Box<dyn Future<Output = Result<AwsCredentials, CredentialsError>> + Send + 'a>> {
        Box::pin(async move {
            let props = self.profiles.merged(profile);
            let failed = |why: String| CredentialsError::new(format!("profile {profile:?}"), why);
            let role_arn = props.get("role_arn").cloned().unwrap_or_default();
            let source = match (props.get("source_profile"), props.get("credential_source")) {
                (Some(_), Some(_)) => {
                    return Err(failed("it has both source_profile and credential_source".to_owned()));
                }
                (None, None) => {
                    return Err(failed("role_arn needs a source_profile or a credential_source".to_owned()));
                }
                (None, Some(kind)) => self.credential_source(profile, kind).await?,
                (Some(source_profile), None) => {
                    if !self.profiles.contains(source_profile) {
                        return Err(failed(format!("its source_profile {source_profile:?} does not exist")));
                    }
                    let source_props = self.profiles.merged(source_profile);
                    if visited.contains(source_profile) && (source_profile != profile || !has_static(&source_props)) {
                        let chain = visited.join(" -> ");
                        return Err(failed(format!(
                            "source_profile {source_profile:?} makes a cycle: {chain} -> {source_profile}"
                        )));
                    }
                    visited.push(source_profile.clone());
                    if has_static(&source_props) || !is_role(&source_props) {
                        let mut ignored = CredentialsError::empty();
                        match self.profile_sources(source_profile, false, &mut ignored).await? {
                            Some((_, c)) => c,
                            None => {
                                return Err(failed(format!(
                                    "its source profile {source_profile:?} has no credentials"
                                )));
                            }
                        }
                    } else {
                        self.assume_role(source_profile, visited).await?
                    }
                }
            };
            let session = props.get("role_session_name").cloned().unwrap_or_else(default_session_name);
            let duration = match props.get("duration_seconds") {
                None => None,
                // botocore ignores a duration that is not a number.
                Some(d) => d.trim().parse::<u32>().ok(),
            };
            if props.contains_key("mfa_serial") {
                return Err(failed("mfa_serial needs an MFA code, which this client cannot ask for".to_owned()));
            }
            self.sts
                .assume_role(&source, &role_arn, &session, props.get("external_id").map(String::as_str), duration)
                .await
                .map_err(|e| failed(format!("assuming {role_arn}: {e}")))
        })
    }

    #[cfg(feature = "credentials-sts")]
    async fn credential_source(&self, profile: &str, kind: &str) -> Result<AwsCredentials, CredentialsError> {
        let source = format!("profile {profile:?} credential_source {kind}");
        let env = &self.chain.env;
        let result = match kind {
            "Environment" => env_credentials(env).and_then(|c| c.ok_or_else(|| ENV_KEYS.to_owned())),
            "Ec2InstanceMetadata" => self.instance_metadata().await.map_err(|e| format!("instance metadata: {e}")),
            "EcsContainer" => container_credentials(env).await.and_then(|c| c.ok_or_else(|| NO_CONTAINER.to_owned())),
            other => {
                let other: String = other.chars().take(40).collect();
                Err(format!("{other:?} is not a credential_source (Environment, Ec2InstanceMetadata, EcsContainer)"))
            }
        };
        result.map_err(|e| CredentialsError::new(source, e))
    }
}

// The sources a program may leave out (the runtime's `credentials-*` features).
// Each is reached through one function below; its twin, built without the
// feature, refuses the source when it is configured and passes over it when not.

/// Why a source that is configured is not asked.
#[cfg(not(all(
    feature = "credentials-sts",
    feature = "credentials-process",
    feature = "credentials-container",
    feature = "credentials-imds"
)))]
fn built_without(feature: &str) -> String {
    format!("this program was built without the runtime's `{feature}` feature")
}

/// Whether container credentials are configured (`Err` when they are misconfigured).
#[cfg(feature = "credentials-container")]
fn container_configured(env: &Env) -> Result<bool, String> {
    container::endpoint(env).map(|url| url.is_some())
}

#[cfg(not(feature = "credentials-container"))]
fn container_configured(env: &Env) -> Result<bool, String> {
    let vars = [super::CONTAINER_RELATIVE_URI, super::CONTAINER_FULL_URI];
    if vars.into_iter().any(|v| env.get(v).is_some()) { Err(built_without("credentials-container")) } else { Ok(false) }
}

/// Container credentials: `Ok(None)` when none are configured.
#[cfg(feature = "credentials-container")]
async fn container_credentials(env: &Env) -> Result<Option<AwsCredentials>, String> {
    match container::endpoint(env)? {
        Some(url) => container::credentials(env, &url).await.map(Some),
        None => Ok(None),
    }
}

#[cfg(not(feature = "credentials-container"))]
async fn container_credentials(env: &Env) -> Result<Option<AwsCredentials>, String> {
    container_configured(env).map(|_| None)
}

/// The credentials a profile's `credential_process` prints.
#[cfg(feature = "credentials-process")]
async fn credential_process(command: &str) -> Result<AwsCredentials, String> {
    process::credentials(command).await
}

#[cfg(not(feature = "credentials-process"))]
async fn credential_process(_command: &str) -> Result<AwsCredentials, String> {
    Err(format!("credential_process: {}", built_without("credentials-process")))
}

impl Resolution<'_> {
    /// Web identity credentials for `profile`: `Ok(None)` when it is not configured.
    #[cfg(feature = "credentials-sts")]
    async fn web_identity_credentials(&self, profile: &str, use_env: bool) -> Result<Option<AwsCredentials>, String> {
        match self.web_identity(profile, use_env) {
            Some(Ok(w)) => w.credentials(&self.sts).await.map(Some),
            Some(Err(e)) => Err(e),
            None => Ok(None),
        }
    }

    #[cfg(not(feature = "credentials-sts"))]
    async fn web_identity_credentials(&self, profile: &str, use_env: bool) -> Result<Option<AwsCredentials>, String> {
        match self.web_identity_token_file(profile, use_env) {
            Some(_) => Err(built_without("credentials-sts")),
            None => Ok(None),
        }
    }

    #[cfg(not(feature = "credentials-sts"))]
    async fn assume_role(&self, profile: &str, _visited: &mut Vec<String>) -> Result<AwsCredentials, CredentialsError> {
        let why = format!("role_arn: {}", built_without("credentials-sts"));
        Err(CredentialsError::new(format!("profile {profile:?}"), why))
    }

    /// Where instance metadata, the last source, is asked (`Err` when it is disabled).
    #[cfg(feature = "credentials-imds")]
    fn instance_metadata_base(&self) -> Result<String, String> {
        match Imds::from_env(&self.chain.env, &self.profiles, &self.profile) {
            Imds::Disabled => Err("disabled by AWS_EC2_METADATA_DISABLED".to_owned()),
            Imds::At(base) => Ok(base),
        }
    }

    /// Whether instance metadata, the last source, may be asked.
    #[cfg(feature = "credentials-imds")]
    fn instance_metadata_available(&self) -> Result<(), String> {
        self.instance_metadata_base().map(drop)
    }

    #[cfg(not(feature = "credentials-imds"))]
    fn instance_metadata_available(&self) -> Result<(), String> {
        Err(built_without("credentials-imds"))
    }

    /// The instance profile's credentials from EC2 instance metadata.
    #[cfg(feature = "credentials-imds")]
    async fn instance_metadata(&self) -> Result<AwsCredentials, String> {
        let base = self.instance_metadata_base()?;
        imds::credentials(&base, Imds::v1_fallback(&self.chain.env, &self.profiles, &self.profile)).await
    }

    #[cfg(not(feature = "credentials-imds"))]
    async fn instance_metadata(&self) -> Result<AwsCredentials, String> {
        Err(built_without("credentials-imds"))
    }
}

impl ProvideAwsCredentials for AwsCredentialsChain {
    fn provide_aws_credentials(&self) -> CredentialsFuture<'_, AwsCredentials> {
        Box::pin(self.resolve())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chain over a config file of its own (and no credentials file), with
    /// instance metadata turned off so that nothing past the source under test
    /// is ever asked.
    fn chain(test: &str, config: &str, vars: &[(&str, &str)]) -> AwsCredentialsChain {
        let dir = std::env::temp_dir().join(format!("lh-chain-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let config_file = dir.join("config");
        std::fs::write(&config_file, config).unwrap();
        let mut pairs = vec![
            ("AWS_CONFIG_FILE".to_owned(), config_file.display().to_string()),
            ("AWS_SHARED_CREDENTIALS_FILE".to_owned(), dir.join("absent").display().to_string()),
            ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
        ];
        pairs.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        AwsCredentialsChain::new(Env::from_pairs(pairs))
    }

    /// The chain's error, which must name `feature` and `source`.
    #[cfg(not(all(
        feature = "credentials-sts",
        feature = "credentials-process",
        feature = "credentials-container",
        feature = "credentials-imds"
    )))]
    async fn assert_refused(chain: AwsCredentialsChain, source: &str, feature: &str) {
        let text = chain.resolve().await.unwrap_err().to_string();
        assert!(text.contains(source) && text.contains(&format!("`{feature}`")), "{text}");
        assert!(!text.contains("disabled by AWS_EC2_METADATA_DISABLED"), "went past {source}: {text}");
    }

    #[tokio::test]
    async fn static_keys_need_no_feature() {
        let c = chain("static", "[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n", &[]);
        assert!(matches!(c.precheck(), Precheck::Ready(_)));
        assert!(c.resolve().await.is_ok());
    }

    #[tokio::test]
    #[cfg(not(feature = "credentials-sts"))]
    async fn without_sts_a_role_is_refused() {
        let config = "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n\
                      [profile base]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n";
        assert_refused(chain("role", config, &[]), "role_arn", "credentials-sts").await;
        let vars = [("AWS_WEB_IDENTITY_TOKEN_FILE", "/token"), ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/r")];
        assert_refused(chain("web", "", &vars), "web identity", "credentials-sts").await;
    }

    #[tokio::test]
    #[cfg(not(feature = "credentials-process"))]
    async fn without_process_a_credential_process_is_refused() {
        let c = chain("process", "[default]\ncredential_process = /bin/false\n", &[]);
        assert_refused(c, "credential_process", "credentials-process").await;
    }

    #[tokio::test]
    #[cfg(not(feature = "credentials-container"))]
    async fn without_container_its_variables_are_refused() {
        let c = chain("container", "", &[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds")]);
        let Precheck::Nothing(e) = c.precheck() else { panic!("the precheck let a left-out source through") };
        assert!(e.to_string().contains("`credentials-container`"), "{e}");
        assert_refused(c, "container", "credentials-container").await;
    }

    #[tokio::test]
    #[cfg(not(feature = "credentials-imds"))]
    async fn without_imds_the_chain_ends_before_it() {
        // Not disabled: only the missing feature keeps instance metadata from being asked.
        let c = AwsCredentialsChain::new(Env::from_pairs([
            ("AWS_CONFIG_FILE", "/absent"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/absent"),
        ]));
        let Precheck::Nothing(e) = c.precheck() else { panic!("the precheck would ask instance metadata") };
        assert!(
            e.to_string()
                .contains("instance metadata: this program was built without the runtime's `credentials-imds` feature"),
            "{e}"
        );
        let text = c.resolve().await.unwrap_err().to_string();
        assert!(text.contains("`credentials-imds`"), "{text}");
    }
}

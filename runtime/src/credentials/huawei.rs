//! Huawei Cloud credentials as `huaweicloudsdkcore` (3.1) resolves them:
//!
//! 1. the environment: `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`,
//!    `HUAWEICLOUD_SDK_PROJECT_ID`, and `HUAWEICLOUD_SDK_SECURITY_TOKEN` for
//!    temporary credentials;
//! 2. the credentials file, `HUAWEICLOUD_SDK_CREDENTIALS_FILE` (default
//!    `~/.huaweicloud/credentials`), section `[basic]`: `ak`, `sk`,
//!    `project_id`, `security_token`;
//! 3. ECS metadata (an agency's temporary credentials): a token from
//!    `PUT /meta-data/latest/api/token` (`X-Metadata-Token-Ttl-Seconds`), then
//!    `GET /openstack/latest/securitykey` with it (`X-Metadata-Token`); the
//!    project id from `HUAWEICLOUD_SDK_PROJECT_ID` (requests carry it in their
//!    path, built before any credentials are asked for). The endpoint is
//!    `http://169.254.169.254`, or `HUAWEICLOUD_SDK_METADATA_ENDPOINT`;
//!    `HUAWEICLOUD_SDK_METADATA_DISABLED=true` turns this source off.
//!
//! Temporary credentials are refreshed 40 minutes before they expire, as the SDK does.

use std::time::{Duration, SystemTime};

use crate::document::Document;

use super::env::Env;
use super::{CredentialsError, CredentialsFuture, HuaweiCredentials, Precheck, ProvideHuaweiCredentials};
use crate::transport::fetch::Fetch;

const METADATA: &str = "http://169.254.169.254";
/// The SDK's (3 s connect, 3 s read).
const TIMEOUT: Duration = Duration::from_secs(3);
const TOKEN_TTL: &str = "21600";
const MAX_FILE: u64 = 1024 * 1024;

const ENV: &str = "environment";
/// The metadata gives credentials, not the project: its id must be known before a request is built.
const NO_PROJECT: &str = "HUAWEICLOUD_SDK_PROJECT_ID is not set (ECS metadata gives credentials, not the project id)";
const FILE: &str = "credentials file";
const META: &str = "ECS metadata";

/// Huawei Cloud's default credentials chain over an environment (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HuaweiCredentialsChain {
    env: Env,
}

fn parse_time(text: &str) -> Result<SystemTime, String> {
    super::expiration::parse_expiration(text)
}

impl HuaweiCredentialsChain {
    /// The chain over `env`.
    pub fn new(env: Env) -> Self {
        Self { env }
    }

    /// The environment the chain reads.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The ECS metadata endpoint the chain would ask last (`None` when disabled).
    pub fn metadata_endpoint(&self) -> Option<String> {
        if self.env.is_true("HUAWEICLOUD_SDK_METADATA_DISABLED") {
            return None;
        }
        Some(self.env.get("HUAWEICLOUD_SDK_METADATA_ENDPOINT").unwrap_or(METADATA).trim_end_matches('/').to_owned())
    }

    fn env_credentials(&self) -> Result<Option<HuaweiCredentials>, String> {
        let env = &self.env;
        match (env.get("HUAWEICLOUD_SDK_AK"), env.get("HUAWEICLOUD_SDK_SK")) {
            (Some(ak), Some(sk)) => {
                let project = env.get("HUAWEICLOUD_SDK_PROJECT_ID").ok_or("HUAWEICLOUD_SDK_PROJECT_ID is not set")?;
                let mut c = HuaweiCredentials::new(ak, sk, project);
                if let Some(token) = env.get("HUAWEICLOUD_SDK_SECURITY_TOKEN") {
                    c = c.with_security_token(token);
                }
                Ok(Some(c))
            }
            (None, None) => Ok(None),
            _ => Err("HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are set one without the other".to_owned()),
        }
    }

    fn file_path(&self) -> Option<std::path::PathBuf> {
        match self.env.get("HUAWEICLOUD_SDK_CREDENTIALS_FILE") {
            Some(path) => self.env.expand_home(path),
            None => self.env.expand_home("~/.huaweicloud/credentials"),
        }
    }

    fn file_credentials(&self) -> Result<Option<HuaweiCredentials>, String> {
        let Some(path) = self.file_path() else { return Ok(None) };
        let shown = path.display().to_string();
        let meta = match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => m,
            Ok(_) => return Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("{shown}: {e}")),
        };
        if meta.len() > MAX_FILE {
            return Err(format!("{shown}: larger than {MAX_FILE} bytes"));
        }
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{shown}: {e}"))?;
        let sections = super::profile::parse_sections(&path, &text).map_err(|e| e.to_string())?;
        let Some(basic) = sections.into_iter().find(|(name, _)| name == "basic").map(|(_, props)| props) else {
            return Err(format!("{shown} has no [basic] section"));
        };
        let get = |k: &str| basic.get(k).filter(|v| !v.is_empty()).cloned();
        let (Some(ak), Some(sk)) = (get("ak"), get("sk")) else {
            return Err(format!("{shown}: [basic] needs both ak and sk"));
        };
        let project = get("project_id")
            .or_else(|| self.env.get("HUAWEICLOUD_SDK_PROJECT_ID").map(str::to_owned))
            .ok_or_else(|| format!("{shown}: [basic] has no project_id (nor is HUAWEICLOUD_SDK_PROJECT_ID set)"))?;
        let mut c = HuaweiCredentials::new(ak, sk, project);
        if let Some(token) = get("security_token") {
            c = c.with_security_token(token);
        }
        Ok(Some(c))
    }

    /// The static sources; `Err` ends the search.
    fn offline(&self, tried: &mut CredentialsError) -> Result<Option<HuaweiCredentials>, CredentialsError> {
        let fail = |tried: &mut CredentialsError, source: &str, e: String| {
            let mut all = std::mem::replace(tried, CredentialsError::empty());
            all.push(source, e);
            all
        };
        match self.env_credentials() {
            Ok(Some(c)) => return Ok(Some(c)),
            Ok(None) => tried.push(ENV, "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are not set"),
            Err(e) => return Err(fail(tried, ENV, e)),
        }
        match self.file_credentials() {
            Ok(Some(c)) => return Ok(Some(c)),
            Ok(None) => {
                let path = self.file_path().map_or_else(|| "no home directory".to_owned(), |p| p.display().to_string());
                tried.push(FILE, format!("{path} does not exist"));
            }
            Err(e) => return Err(fail(tried, FILE, e)),
        }
        Ok(None)
    }

    pub(crate) fn precheck(&self) -> Precheck<HuaweiCredentials> {
        let mut tried = CredentialsError::empty();
        match self.offline(&mut tried) {
            Ok(Some(c)) => Precheck::Ready(c),
            Err(e) => Precheck::Nothing(e),
            Ok(None) if self.metadata_endpoint().is_some() && self.env.get("HUAWEICLOUD_SDK_PROJECT_ID").is_some() => {
                Precheck::Lazy
            }
            Ok(None) if self.metadata_endpoint().is_some() => {
                tried.push(META, NO_PROJECT);
                Precheck::Nothing(tried)
            }
            Ok(None) => {
                tried.push(META, "disabled by HUAWEICLOUD_SDK_METADATA_DISABLED");
                Precheck::Nothing(tried)
            }
        }
    }

    /// The credentials, from the first source that has them.
    pub async fn resolve(&self) -> Result<HuaweiCredentials, CredentialsError> {
        let mut tried = CredentialsError::empty();
        if let Some(c) = self.offline(&mut tried)? {
            return Ok(c);
        }
        let Some(base) = self.metadata_endpoint() else {
            tried.push(META, "disabled by HUAWEICLOUD_SDK_METADATA_DISABLED");
            return Err(tried);
        };
        match self.metadata_credentials(&base).await {
            Ok(c) => Ok(c),
            Err(e) => {
                tried.push(META, e);
                Err(tried)
            }
        }
    }

    async fn metadata_credentials(&self, base: &str) -> Result<HuaweiCredentials, String> {
        let get = |method: &'static str, path: &str, headers: Vec<(String, String)>| {
            let url = format!("{base}{path}");
            async move {
                let fetch = Fetch { method, url: &url, headers, body: Vec::new(), timeout: TIMEOUT, proxy: None };
                let r = fetch.send().await?;
                let text = String::from_utf8(r.body).map_err(|_| format!("{url}: the answer is not UTF-8"))?;
                Ok::<_, String>((r.status, text, url))
            }
        };
        // As the SDK: without a token when the token request is refused (404, 405, 503).
        let (status, token, url) =
            get("PUT", "/meta-data/latest/api/token", vec![("X-Metadata-Token-Ttl-Seconds".into(), TOKEN_TTL.into())])
                .await?;
        let token = match status {
            200 => {
                let t = token.trim().to_owned();
                if t.is_empty() || t.len() > 4096 || !t.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err(format!("{url}: the token is not a printable token"));
                }
                Some(t)
            }
            404 | 405 | 503 => None,
            other => return Err(format!("{url}: HTTP {other} for the metadata token")),
        };
        let headers: Vec<(String, String)> = token.iter().map(|t| ("X-Metadata-Token".to_owned(), t.clone())).collect();
        let (status, body, url) = get("GET", "/openstack/latest/securitykey", headers.clone()).await?;
        if status != 200 {
            let hint = if body.contains("Cloud Service Agency") { ": the instance has no agency" } else { "" };
            return Err(format!("{url}: HTTP {status}{hint}"));
        }
        let value = Document::from_json(body.as_bytes()).map_err(|_| format!("{url}: the answer is not JSON"))?;
        let c = value.get("credential").unwrap_or(&value);
        let field = |names: &[&str]| {
            names.iter().find_map(|n| c.get(n).and_then(Document::as_str)).filter(|v| !v.is_empty()).map(str::to_owned)
        };
        let ak = field(&["access", "accessKeyId", "access_key_id"])
            .ok_or_else(|| format!("{url}: no access key in the answer"))?;
        let sk = field(&["secret", "secretAccessKey", "secret_access_key"])
            .ok_or_else(|| format!("{url}: no secret key in the answer"))?;
        let token = field(&["securitytoken", "securityToken", "security_token"])
            .ok_or_else(|| format!("{url}: no security token in the answer"))?;
        let expires = field(&["expires_at", "expiration"]).ok_or_else(|| format!("{url}: no expiry in the answer"))?;
        let expires = parse_time(&expires).map_err(|e| format!("{url}: {e}"))?;
        let project = self.env.get("HUAWEICLOUD_SDK_PROJECT_ID").ok_or(NO_PROJECT)?;
        Ok(HuaweiCredentials::new(ak, sk, project).with_security_token(token).with_expiry(expires))
    }
}

impl ProvideHuaweiCredentials for HuaweiCredentialsChain {
    fn provide_huawei_credentials(&self) -> CredentialsFuture<'_, HuaweiCredentials> {
        Box::pin(self.resolve())
    }
}

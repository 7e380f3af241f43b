//! Fake credential services of our own on loopback: EC2 instance metadata
//! (IMDSv2), container credentials, STS (`AssumeRole`,
//! `AssumeRoleWithWebIdentity`) and Huawei ECS metadata, each on the
//! recording server of [`super::http`]; a temporary home with profile files;
//! and the guard that keeps every test away from the real metadata addresses.
//!
//! The guard: every environment a test hands to the runtime or to a child
//! process goes through [`loopback_env`] / [`assert_loopback_only`], which
//! panic unless instance metadata is disabled or pointed at 127.0.0.0/8, no
//! relative container URI (always `169.254.170.2`) is set, and any full
//! container URI, STS endpoint and proxy are on loopback too.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lifecycle_hooks_runtime::Env;

use super::http::{Received, Reply, Server};
use super::reference::form_pairs;

/// The real metadata addresses, which no test may reach.
pub const FORBIDDEN_HOSTS: &[&str] =
    &["169.254.169.254", "169.254.170.2", "169.254.170.23", "fd00:ec2::254", "fd00:ec2::23"];

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host =
        if let Some(v6) = authority.strip_prefix('[') { v6.split(']').next()? } else { authority.split(':').next()? };
    Some(host.to_ascii_lowercase())
}

fn is_loopback(url: &str) -> bool {
    match host_of(url) {
        Some(h) if h == "localhost" => true,
        Some(h) => h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()),
        None => false,
    }
}

/// Panics unless the variables keep every metadata, STS and proxy request on loopback.
#[track_caller]
pub fn assert_loopback_only(vars: &BTreeMap<String, String>) {
    let get = |k: &str| vars.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let true_ = |k: &str| get(k).is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if !true_("AWS_EC2_METADATA_DISABLED") {
        let endpoint = get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
        assert!(
            endpoint.is_some_and(is_loopback),
            "guard: instance metadata is enabled and not pointed at loopback ({endpoint:?}); set AWS_EC2_METADATA_DISABLED=true or a 127.0.0.1 endpoint"
        );
    }
    if !true_("HUAWEICLOUD_SDK_METADATA_DISABLED") {
        let endpoint = get("HUAWEICLOUD_SDK_METADATA_ENDPOINT");
        assert!(
            endpoint.is_some_and(is_loopback),
            "guard: Huawei ECS metadata is enabled and not on loopback ({endpoint:?})"
        );
    }
    assert!(
        get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").is_none(),
        "guard: a relative container URI always means 169.254.170.2"
    );
    // Roles and web identity call STS: it must be a loopback one.
    let files = ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"]
        .iter()
        .filter_map(|var| std::fs::read_to_string(get(var)?).ok())
        .collect::<String>();
    let calls_sts = get("AWS_WEB_IDENTITY_TOKEN_FILE").is_some()
        || files.contains("role_arn")
        || files.contains("web_identity_token_file");
    if calls_sts {
        let sts = get("AWS_ENDPOINT_URL_STS").or_else(|| get("AWS_ENDPOINT_URL"));
        assert!(
            sts.is_some() && !true_("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"),
            "guard: roles or web identity are configured without a loopback AWS_ENDPOINT_URL_STS"
        );
    }
    for var in [
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_ENDPOINT_URL_STS",
        "AWS_ENDPOINT_URL",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ] {
        if let Some(url) = get(var) {
            assert!(is_loopback(url), "guard: {var} is not on loopback: {url}");
        }
    }
    for (k, v) in vars {
        for forbidden in FORBIDDEN_HOSTS {
            assert!(!v.contains(forbidden), "guard: {k} names {forbidden}");
        }
    }
}

/// An environment of exactly these variables, checked by [`assert_loopback_only`].
#[track_caller]
pub fn loopback_env(pairs: &[(&str, &str)]) -> Env {
    let vars: BTreeMap<String, String> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    assert_loopback_only(&vars);
    Env::from_pairs(vars)
}

/// A fresh directory under the system's temporary one, removed when dropped.
pub struct TempHome {
    path: PathBuf,
}

impl TempHome {
    pub fn new() -> TempHome {
        static N: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos();
        let path = std::env::temp_dir().join(format!(
            "lh-home-{}-{nanos}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(path.join(".aws")).expect("create a temporary home");
        TempHome { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `rel` (e.g. `.aws/config`) and returns its path.
    pub fn write(&self, rel: &str, contents: &str) -> PathBuf {
        let path = self.path.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create a directory");
        }
        std::fs::write(&path, contents).expect("write a file");
        path
    }

    pub fn str(&self) -> String {
        self.path.display().to_string()
    }
}

impl Default for TempHome {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// RFC 3339 for `t` (whole seconds, UTC).
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// FNV-1a, for credentials derived from what a request says.
fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// Credentials a fake service hands out, derived from `seed`: the same seed gives the same keys.
pub fn derived(seed: &[&str]) -> (String, String, String) {
    let h = fnv(seed);
    (format!("ASIA{h:016X}"), format!("secret-{h:016x}"), format!("token-{h:016x}"))
}

/// One STS call as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StsCall {
    pub action: String,
    pub role_arn: String,
    pub session_name: String,
    pub external_id: Option<String>,
    pub duration_seconds: Option<String>,
    /// The access key id that signed it (`Credential=` of `Authorization`), if signed.
    pub signed_by: Option<String>,
    /// The credential scope's region.
    pub region: Option<String>,
    pub had_session_token: bool,
    pub web_identity_token: Option<String>,
}

/// A fake STS: `AssumeRole` answers keys derived from the role and the signer,
/// `AssumeRoleWithWebIdentity` keys derived from the role and the token.
pub struct FakeSts {
    pub server: Server,
    calls: Arc<Mutex<Vec<StsCall>>>,
}

impl FakeSts {
    /// Credentials valid for `lifetime` (from the moment of each answer).
    pub async fn start(lifetime: Duration) -> FakeSts {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&calls);
        let server = Server::start_with(move |r: &Received| {
            let form: BTreeMap<String, String> = form_pairs(&r.body).into_iter().collect();
            let auth = r.header("authorization").unwrap_or_default();
            let scope = auth.split("Credential=").nth(1).and_then(|c| c.split(',').next()).unwrap_or_default();
            let mut parts = scope.split('/');
            let signed_by = parts.next().filter(|s| !s.is_empty()).map(str::to_owned);
            let region = parts.nth(1).map(str::to_owned);
            let call = StsCall {
                action: form.get("Action").cloned().unwrap_or_default(),
                role_arn: form.get("RoleArn").cloned().unwrap_or_default(),
                session_name: form.get("RoleSessionName").cloned().unwrap_or_default(),
                external_id: form.get("ExternalId").cloned(),
                duration_seconds: form.get("DurationSeconds").cloned(),
                signed_by,
                region,
                had_session_token: r.header("x-amz-security-token").is_some(),
                web_identity_token: form.get("WebIdentityToken").cloned(),
            };
            log.lock().unwrap().push(call.clone());
            let seed_b = match call.action.as_str() {
                "AssumeRole" => match &call.signed_by {
                    Some(k) => k.clone(),
                    None => return sts_error(403, "MissingAuthenticationToken", "unsigned AssumeRole"),
                },
                "AssumeRoleWithWebIdentity" => call.web_identity_token.clone().unwrap_or_default(),
                other => return sts_error(400, "InvalidAction", other),
            };
            if call.role_arn.contains("denied") {
                return sts_error(403, "AccessDenied", "User is not authorized to perform: sts:AssumeRole");
            }
            let (id, secret, token) = derived(&[&call.role_arn, &seed_b]);
            let expiration = rfc3339(SystemTime::now() + lifetime);
            let action = &call.action;
            Reply::new(200).header("Content-Type", "text/xml").body(format!(
                "<{action}Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><{action}Result>\
                 <Credentials><AccessKeyId>{id}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>\
                 <SessionToken>{token}</SessionToken><Expiration>{expiration}</Expiration></Credentials>\
                 </{action}Result><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></{action}Response>"
            ))
        })
        .await;
        FakeSts { server, calls }
    }

    pub fn calls(&self) -> Vec<StsCall> {
        self.calls.lock().unwrap().clone()
    }

    pub fn clear(&self) {
        self.calls.lock().unwrap().clear();
    }
}

fn sts_error(status: u16, code: &str, message: &str) -> Reply {
    Reply::new(status).header("Content-Type", "text/xml").body(format!(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>{code}</Code>\
         <Message>{message}</Message></Error><RequestId>r-e</RequestId></ErrorResponse>"
    ))
}

/// How a fake instance metadata service behaves.
#[derive(Debug, Clone)]
pub struct ImdsScript {
    pub role: String,
    /// Answer the token request with this status (200 issues a token; 403/404/405 mean IMDSv1).
    pub token_status: u16,
    /// Credentials' lifetime from each answer.
    pub lifetime: Duration,
    pub region: String,
    /// Replace the credentials document with this text (hostile answers).
    pub credentials_body: Option<String>,
}

impl Default for ImdsScript {
    fn default() -> Self {
        ImdsScript {
            role: "instance-role".into(),
            token_status: 200,
            lifetime: Duration::from_secs(6 * 3600),
            region: "eu-central-1".into(),
            credentials_body: None,
        }
    }
}

/// A fake IMDS: IMDSv2 tokens required (when issued), credentials derived from
/// the role and a counter (each fetch gives new keys).
pub struct FakeImds {
    pub server: Server,
    fetches: Arc<AtomicU64>,
}

pub const IMDS_TOKEN: &str = "imds-session-token-1";

impl FakeImds {
    pub async fn start(script: ImdsScript) -> FakeImds {
        let fetches = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&fetches);
        let server = Server::start_with(move |r: &Received| {
            let token_ok = script.token_status != 200 || r.header("x-aws-ec2-metadata-token") == Some(IMDS_TOKEN);
            let base = "/latest/meta-data/iam/security-credentials/";
            match (r.method.as_str(), r.path()) {
                ("PUT", "/latest/api/token") => {
                    if r.header("x-aws-ec2-metadata-token-ttl-seconds").is_none() {
                        return Reply::new(400).body("missing ttl");
                    }
                    if script.token_status == 200 { Reply::new(200).body(IMDS_TOKEN) } else { Reply::new(script.token_status) }
                }
                (_, _) if !token_ok => Reply::new(401),
                ("GET", p) if p == base => Reply::new(200).body(format!("{}\n", script.role)),
                ("GET", p) if p.strip_prefix(base) == Some(script.role.as_str()) => {
                    let n = counter.fetch_add(1, Ordering::SeqCst);
                    if let Some(body) = &script.credentials_body {
                        return Reply::new(200).body(body.clone());
                    }
                    let (id, secret, token) = derived(&[&script.role, &n.to_string()]);
                    let expiration = rfc3339(SystemTime::now() + script.lifetime);
                    Reply::new(200).body(format!(
                        r#"{{"Code":"Success","LastUpdated":"2024-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"{id}","SecretAccessKey":"{secret}","Token":"{token}","Expiration":"{expiration}"}}"#
                    ))
                }
                ("GET", "/latest/meta-data/placement/region") => Reply::new(200).body(script.region.clone()),
                _ => Reply::new(404),
            }
        })
        .await;
        FakeImds { server, fetches }
    }

    /// How many credentials documents were served.
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::SeqCst)
    }

    /// The keys of the `n`-th credentials document (0-based).
    pub fn keys(&self, role: &str, n: u64) -> (String, String, String) {
        derived(&[role, &n.to_string()])
    }
}

/// A fake container credentials endpoint at `/creds`, which wants `Authorization: <token>`.
pub async fn fake_container(token: &str) -> Server {
    let token = token.to_owned();
    Server::start_with(move |r: &Received| {
        if r.path() != "/creds" {
            return Reply::new(404);
        }
        if r.header("authorization") != Some(token.as_str()) {
            return Reply::new(401).body("bad token");
        }
        let (id, secret, session) = derived(&["container", &token]);
        let expiration = rfc3339(SystemTime::now() + Duration::from_secs(3600));
        Reply::new(200).body(format!(
            r#"{{"AccessKeyId":"{id}","SecretAccessKey":"{secret}","Token":"{session}","Expiration":"{expiration}"}}"#
        ))
    })
    .await
}

/// A fake Huawei ECS metadata service: a token, then a security key.
pub struct FakeHuaweiMetadata {
    pub server: Server,
    fetches: Arc<AtomicU64>,
}

pub const HUAWEI_METADATA_TOKEN: &str = "hw-metadata-token";

impl FakeHuaweiMetadata {
    /// Temporary credentials valid for `lifetime`, new ones at each fetch.
    pub async fn start(lifetime: Duration) -> FakeHuaweiMetadata {
        let fetches = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&fetches);
        let server = Server::start_with(move |r: &Received| match (r.method.as_str(), r.path()) {
            ("PUT", "/meta-data/latest/api/token") => {
                if r.header("x-metadata-token-ttl-seconds").is_none() {
                    return Reply::new(400);
                }
                Reply::new(200).body(HUAWEI_METADATA_TOKEN)
            }
            ("GET", "/openstack/latest/securitykey") => {
                if r.header("x-metadata-token") != Some(HUAWEI_METADATA_TOKEN) {
                    return Reply::new(401).body("token required");
                }
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let (ak, sk, token) = FakeHuaweiMetadata::keys(n);
                let expires = rfc3339(SystemTime::now() + lifetime).replace('Z', ".000000Z");
                Reply::new(200).body(format!(
                    r#"{{"credential":{{"access":"{ak}","secret":"{sk}","securitytoken":"{token}","expires_at":"{expires}"}}}}"#
                ))
            }
            _ => Reply::new(404),
        })
        .await;
        FakeHuaweiMetadata { server, fetches }
    }

    /// The keys of the `n`-th answer (0-based).
    pub fn keys(n: u64) -> (String, String, String) {
        let (a, s, t) = derived(&["huawei", &n.to_string()]);
        (a.replacen("ASIA", "HWTMP", 1), s, t)
    }

    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::SeqCst)
    }
}

/// botocore's answer for this environment (and explicit profile): runs
/// `tests/oracle/botocore_credentials.py` with exactly these variables (plus
/// `PATH`), after the loopback guard.
pub fn botocore_resolve(vars: &BTreeMap<String, String>, profile: Option<&str>) -> serde_json::Value {
    use std::process::{Command, Stdio};
    assert_loopback_only(vars);
    let mut cmd = Command::new(super::python::python());
    cmd.env_clear().arg(super::python::oracle_script("botocore_credentials.py"));
    if let Some(p) = profile {
        cmd.arg(p);
    }
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd.env("PYTHONDONTWRITEBYTECODE", "1").envs(vars);
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start the botocore oracle");
    let (out, err) = (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(Vec::new())));
    super::python::drain(child.stdout.take().expect("stdout"), Arc::clone(&out));
    super::python::drain(child.stderr.take().expect("stderr"), Arc::clone(&err));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().expect("wait for the oracle").is_some() {
            break;
        }
        if std::time::Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the botocore oracle took over 60 s; stderr:\n{}", super::python::text(&err));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let settle = std::time::Instant::now() + Duration::from_secs(2);
    let stdout = loop {
        let s = super::python::text(&out);
        if s.ends_with('\n') || std::time::Instant::now() >= settle {
            break s;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("botocore oracle: not JSON ({e}): {stdout}\nstderr:\n{}", super::python::text(&err)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_of_known_instants() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_secs(1_704_164_645)), "2024-01-02T03:04:05Z");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_400)), "2000-02-29T00:00:00Z");
    }

    #[test]
    #[should_panic(expected = "guard: instance metadata is enabled")]
    fn the_guard_refuses_the_default_metadata_endpoint() {
        loopback_env(&[("AWS_ACCESS_KEY_ID", "a")]);
    }

    #[test]
    #[should_panic(expected = "guard: AWS_CONTAINER_CREDENTIALS_FULL_URI")]
    fn the_guard_refuses_remote_container_uris() {
        loopback_env(&[
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("HUAWEICLOUD_SDK_METADATA_DISABLED", "true"),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1"),
        ]);
    }

    #[test]
    fn the_guard_lets_loopback_through() {
        loopback_env(&[
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1"),
            ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", "http://[::1]:2"),
            ("HTTPS_PROXY", "http://u:p@localhost:3"),
        ]);
    }
}

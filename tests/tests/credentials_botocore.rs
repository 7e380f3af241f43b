//! botocore is the oracle of profile semantics: for generated config and
//! credentials files (profiles, precedence between the files and the
//! environment, role chains, credential sources, `credential_process`, web
//! identity, container and instance metadata), botocore's session
//! (`tests/oracle/botocore_credentials.py`, the pinned botocore in `.venv`)
//! and the runtime's `AwsCredentialsChain` must resolve the same credentials
//! and region, and make the same STS calls to our fake STS.
//!
//! Everything runs on loopback: the fake STS, IMDS and container endpoints
//! are servers of this test; every environment passes the loopback guard
//! (`support::metadata::assert_loopback_only`) first.

use std::collections::BTreeMap;
use std::time::Duration;

use lifecycle_hooks::runtime::{AwsCredentialsChain, Env};
use serde_json::Value;
use tests::support::metadata::{
    FakeImds, FakeSts, ImdsScript, StsCall, TempHome, assert_loopback_only, botocore_resolve, derived, fake_container,
};

/// One scenario: the files, the environment on top of the common one, and an explicit profile.
struct Case {
    name: &'static str,
    config: &'static str,
    credentials: &'static str,
    env: Vec<(&'static str, String)>,
    profile: Option<&'static str>,
}

impl Case {
    fn new(name: &'static str, config: &'static str, credentials: &'static str) -> Case {
        Case { name, config, credentials, env: Vec::new(), profile: None }
    }

    fn env(mut self, k: &'static str, v: impl Into<String>) -> Case {
        self.env.push((k, v.into()));
        self
    }

    fn profile(mut self, p: &'static str) -> Case {
        self.profile = Some(p);
        self
    }
}

/// What a resolution came to: the keys and region, or that it failed.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Credentials { access_key: String, secret_key: String, token: Option<String>, region: Option<String> },
    Failed,
}

fn from_botocore(v: &Value) -> Outcome {
    if v.get("error").is_some() {
        return Outcome::Failed;
    }
    Outcome::Credentials {
        access_key: v["access_key"].as_str().unwrap().to_owned(),
        secret_key: v["secret_key"].as_str().unwrap().to_owned(),
        token: v["token"].as_str().map(str::to_owned),
        region: v["region"].as_str().map(str::to_owned),
    }
}

/// What of an STS call both clients must agree on (session names default differently).
fn comparable(calls: Vec<StsCall>, keep_session_name: bool) -> Vec<StsCall> {
    calls
        .into_iter()
        .map(|mut c| {
            if !keep_session_name {
                c.session_name.clear();
            }
            c
        })
        .collect()
}

struct World {
    home: TempHome,
    sts: FakeSts,
    imds: FakeImds,
}

impl World {
    async fn new() -> World {
        World {
            home: TempHome::new(),
            sts: FakeSts::start(Duration::from_secs(3600)).await,
            imds: FakeImds::start(ImdsScript::default()).await,
        }
    }

    fn vars(&self, case: &Case) -> BTreeMap<String, String> {
        let config = self.home.write(".aws/config", case.config);
        let credentials = self.home.write(".aws/credentials", case.credentials);
        let mut vars = BTreeMap::from([
            ("HOME".to_owned(), self.home.str()),
            ("AWS_CONFIG_FILE".to_owned(), config.display().to_string()),
            ("AWS_SHARED_CREDENTIALS_FILE".to_owned(), credentials.display().to_string()),
            ("AWS_ENDPOINT_URL_STS".to_owned(), self.sts.server.url()),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT".to_owned(), self.imds.server.url()),
            ("HUAWEICLOUD_SDK_METADATA_DISABLED".to_owned(), "true".to_owned()),
        ]);
        for (k, v) in &case.env {
            vars.insert((*k).to_owned(), v.replace("{home}", &self.home.str()));
        }
        assert_loopback_only(&vars);
        vars
    }

    /// Both resolutions of `case`; panics, naming the case, when they differ.
    async fn compare(&self, case: Case) -> Outcome {
        let vars = self.vars(&case);
        self.sts.clear();
        let (boto_vars, profile) = (vars.clone(), case.profile);
        let boto = tokio::task::spawn_blocking(move || botocore_resolve(&boto_vars, profile)).await.unwrap();
        let boto_calls = self.sts.calls();
        self.sts.clear();

        let mut chain = AwsCredentialsChain::new(Env::from_pairs(vars));
        if let Some(p) = case.profile {
            chain = chain.with_profile(p);
        }
        let ours = match chain.resolve().await {
            Ok(c) => Outcome::Credentials {
                access_key: c.access_key_id().to_owned(),
                secret_key: c.expose_secret_access_key().to_owned(),
                token: c.expose_session_token().map(str::to_owned),
                region: chain.region().expect("the files were read once already"),
            },
            Err(e) => {
                eprintln!("{}: ours: {e}", case.name);
                Outcome::Failed
            }
        };
        let our_calls = self.sts.calls();
        let expected = from_botocore(&boto);
        assert_eq!(ours, expected, "{}: ours differs from botocore's {boto}", case.name);
        let named_session =
            case.config.contains("role_session_name") || case.env.iter().any(|(k, _)| *k == "AWS_ROLE_SESSION_NAME");
        assert_eq!(
            comparable(our_calls, named_session),
            comparable(boto_calls, named_session),
            "{}: STS calls differ",
            case.name
        );
        expected
    }
}

fn keys(outcome: &Outcome) -> &str {
    match outcome {
        Outcome::Credentials { access_key, .. } => access_key,
        Outcome::Failed => panic!("expected credentials"),
    }
}

fn region(outcome: &Outcome) -> Option<&str> {
    match outcome {
        Outcome::Credentials { region, .. } => region.as_deref(),
        Outcome::Failed => panic!("expected credentials"),
    }
}

const STATIC: &str = "[default]\naws_access_key_id = AKIDDEFAULTCONFIG\naws_secret_access_key = default-config-secret\nregion = us-west-2\n\n\
[profile dev]\naws_access_key_id = AKIDDEVCONFIG\naws_secret_access_key = dev-config-secret\nregion = eu-west-3\n";
const STATIC_CREDENTIALS: &str = "[default]\naws_access_key_id = AKIDDEFAULTCREDS\naws_secret_access_key = default-creds-secret\n\n\
[dev]\naws_access_key_id = AKIDDEVCREDS\naws_secret_access_key = dev-creds-secret\naws_session_token = dev-session\n";

#[tokio::test]
async fn static_keys_and_their_precedence_match_botocore() {
    let w = World::new().await;
    // The credentials file wins over the config file; the region comes from the config file.
    let o = w.compare(Case::new("default profile", STATIC, STATIC_CREDENTIALS)).await;
    assert_eq!((keys(&o), region(&o)), ("AKIDDEFAULTCREDS", Some("us-west-2")));
    let o = w.compare(Case::new("config file only", STATIC, "")).await;
    assert_eq!(keys(&o), "AKIDDEFAULTCONFIG");
    // AWS_PROFILE selects a profile; the environment's keys still come first.
    let o = w.compare(Case::new("AWS_PROFILE", STATIC, STATIC_CREDENTIALS).env("AWS_PROFILE", "dev")).await;
    assert_eq!((keys(&o), region(&o)), ("AKIDDEVCREDS", Some("eu-west-3")));
    let env_keys = |c: Case| {
        c.env("AWS_ACCESS_KEY_ID", "AKIDENV")
            .env("AWS_SECRET_ACCESS_KEY", "env-secret")
            .env("AWS_SESSION_TOKEN", "env-token")
    };
    let o = w
        .compare(env_keys(Case::new("env over AWS_PROFILE", STATIC, STATIC_CREDENTIALS).env("AWS_PROFILE", "dev")))
        .await;
    assert_eq!(keys(&o), "AKIDENV");
    // An explicit profile (`--profile`) skips the environment's keys.
    let o = w.compare(env_keys(Case::new("explicit profile", STATIC, STATIC_CREDENTIALS).profile("dev"))).await;
    assert_eq!(keys(&o), "AKIDDEVCREDS");
    // Region: AWS_DEFAULT_REGION over the profile's (botocore reads no AWS_REGION).
    let o = w
        .compare(Case::new("region from env", STATIC, STATIC_CREDENTIALS).env("AWS_DEFAULT_REGION", "ap-south-1"))
        .await;
    assert_eq!(region(&o), Some("ap-south-1"));
    // A named profile that does not exist fails; the default one may be absent.
    assert_eq!(w.compare(Case::new("missing profile", STATIC, "").env("AWS_PROFILE", "nope")).await, Outcome::Failed);
    // Sections and keys as configparser reads them: comments, `:` separators, case, continuation lines.
    let odd = "# a comment\n[profile dev]\n; another\nAWS_ACCESS_KEY_ID: AKIDODD\naws_secret_access_key=odd-secret\ns3 =\n  max_concurrent_requests = 2\nregion=  sa-east-1  \n[preview]\nregion = nope\n";
    let o = w.compare(Case::new("configparser syntax", odd, "").env("AWS_PROFILE", "dev")).await;
    assert_eq!((keys(&o), region(&o)), ("AKIDODD", Some("sa-east-1")));
    // A half-configured profile is an error for both.
    let half = "[default]\naws_access_key_id = AKIDHALF\n";
    assert_eq!(w.compare(Case::new("half keys", half, "")).await, Outcome::Failed);
}

const ROLES: &str = "[default]\nregion = us-east-2\n\n\
[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n\n\
[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\nexternal_id = ext-42\nrole_session_name = hookctl-admin\nduration_seconds = 1800\n\n\
[profile deploy]\nrole_arn = arn:aws:iam::210987654321:role/deploy\nsource_profile = admin\nrole_session_name = deploy-session\n\n\
[profile fromenv]\nrole_arn = arn:aws:iam::123456789012:role/from-env\ncredential_source = Environment\nrole_session_name = s-env\n\n\
[profile fromimds]\nrole_arn = arn:aws:iam::123456789012:role/from-imds\ncredential_source = Ec2InstanceMetadata\nrole_session_name = s-imds\n\n\
[profile fromecs]\nrole_arn = arn:aws:iam::123456789012:role/from-ecs\ncredential_source = EcsContainer\nrole_session_name = s-ecs\n\n\
[profile selfref]\naws_access_key_id = AKIDSELF\naws_secret_access_key = self-secret\nrole_arn = arn:aws:iam::123456789012:role/self\nsource_profile = selfref\nrole_session_name = s-self\n\n\
[profile loop1]\nrole_arn = arn:aws:iam::1:role/l1\nsource_profile = loop2\n\n\
[profile loop2]\nrole_arn = arn:aws:iam::1:role/l2\nsource_profile = loop1\n\n\
[profile both]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = base\ncredential_source = Environment\n\n\
[profile badsource]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Somewhere\n\n\
[profile denied]\nrole_arn = arn:aws:iam::1:role/denied\nsource_profile = base\nrole_session_name = s-denied\n\n\
[profile viaprocess]\nrole_arn = arn:aws:iam::123456789012:role/via-process\nsource_profile = proc\nrole_session_name = s-proc\n\n\
[profile proc]\ncredential_process = {home}/creds.sh \"quoted arg\"\n";

#[tokio::test]
async fn role_chains_and_credential_sources_match_botocore() {
    let w = World::new().await;
    let config = ROLES.replace("{home}", &w.home.str());
    let config: &'static str = Box::leak(config.into_boxed_str());
    w.home.write(
        "creds.sh",
        "#!/bin/sh\n[ \"$1\" = \"quoted arg\" ] || exit 3\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"proc-secret\", \"SessionToken\": \"proc-token\"}'\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(w.home.path().join("creds.sh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let o = w
        .compare(Case::new("one role", config, "").env("AWS_DEFAULT_REGION", "us-east-2").env("AWS_PROFILE", "admin"))
        .await;
    assert_eq!(keys(&o), derived(&["arn:aws:iam::123456789012:role/admin", "AKIDBASE"]).0);
    let call = &w.sts.calls()[0];
    assert_eq!(
        (
            call.external_id.as_deref(),
            call.duration_seconds.as_deref(),
            call.session_name.as_str(),
            call.signed_by.as_deref()
        ),
        (Some("ext-42"), Some("1800"), "hookctl-admin", Some("AKIDBASE"))
    );
    // A chain: deploy <- admin <- base, each role assumed with the one before.
    let o = w
        .compare(Case::new("two roles", config, "").env("AWS_DEFAULT_REGION", "us-east-2").env("AWS_PROFILE", "deploy"))
        .await;
    let admin = derived(&["arn:aws:iam::123456789012:role/admin", "AKIDBASE"]).0;
    assert_eq!(keys(&o), derived(&["arn:aws:iam::210987654321:role/deploy", &admin]).0);
    let calls = w.sts.calls();
    assert_eq!(calls.len(), 2);
    assert!(calls[1].had_session_token, "the second call is signed with the first role's session");
    // credential_source: the environment, instance metadata, the container.
    let env_keys = |c: Case| c.env("AWS_ACCESS_KEY_ID", "AKIDSRCENV").env("AWS_SECRET_ACCESS_KEY", "src-env-secret");
    w.compare(env_keys(
        Case::new("credential_source Environment", config, "")
            .env("AWS_DEFAULT_REGION", "us-east-2")
            .profile("fromenv"),
    ))
    .await;
    // Instance metadata gives new keys at each fetch: each client's role is assumed with the keys it fetched.
    let vars =
        w.vars(&Case::new("credential_source Ec2InstanceMetadata", config, "").env("AWS_DEFAULT_REGION", "us-east-2"));
    for botocore in [true, false] {
        w.sts.clear();
        let n = w.imds.fetches();
        let got = if botocore {
            let vars = vars.clone();
            let v = tokio::task::spawn_blocking(move || botocore_resolve(&vars, Some("fromimds"))).await.unwrap();
            v["access_key"].as_str().unwrap_or_else(|| panic!("{v}")).to_owned()
        } else {
            AwsCredentialsChain::new(Env::from_pairs(vars.clone()))
                .with_profile("fromimds")
                .resolve()
                .await
                .unwrap()
                .access_key_id()
                .to_owned()
        };
        let source = w.imds.keys("instance-role", n).0;
        assert_eq!(got, derived(&["arn:aws:iam::123456789012:role/from-imds", &source]).0, "botocore: {botocore}");
        assert_eq!(w.sts.calls()[0].signed_by.as_deref(), Some(source.as_str()));
    }
    let container = fake_container("ecs-token-1").await;
    let o = w
        .compare(
            Case::new("credential_source EcsContainer", config, "")
                .env("AWS_DEFAULT_REGION", "us-east-2")
                .profile("fromecs")
                .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/creds", container.url()))
                .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ecs-token-1"),
        )
        .await;
    assert_eq!(
        keys(&o),
        derived(&["arn:aws:iam::123456789012:role/from-ecs", &derived(&["container", "ecs-token-1"]).0]).0
    );
    // A profile that is its own source with static keys; a source profile with a credential_process.
    w.compare(
        Case::new("self-referencing source", config, "")
            .env("AWS_DEFAULT_REGION", "us-east-2")
            .env("AWS_PROFILE", "selfref"),
    )
    .await;
    w.compare(
        Case::new("source profile with credential_process", config, "")
            .env("AWS_DEFAULT_REGION", "us-east-2")
            .env("AWS_PROFILE", "viaprocess"),
    )
    .await;
    let o = w
        .compare(
            Case::new("credential_process", config, "")
                .env("AWS_DEFAULT_REGION", "us-east-2")
                .env("AWS_PROFILE", "proc"),
        )
        .await;
    assert_eq!(keys(&o), "AKIDPROC");
    // Role settings in the credentials file count too (botocore merges both files).
    let o = w
        .compare(Case::new("role in the credentials file", "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n", "[r]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\nrole_session_name = s-r\nregion = us-west-1\n").env("AWS_PROFILE", "r"))
        .await;
    assert_eq!(keys(&o), derived(&["arn:aws:iam::1:role/r", "AKIDBASE"]).0);
    // Broken configurations fail for both.
    for (name, profile) in [
        ("cycle", "loop1"),
        ("both sources", "both"),
        ("unknown credential_source", "badsource"),
        ("STS refuses", "denied"),
    ] {
        assert_eq!(
            w.compare(Case::new(name, config, "").env("AWS_DEFAULT_REGION", "us-east-2").env("AWS_PROFILE", profile))
                .await,
            Outcome::Failed,
            "{name}"
        );
    }
}

#[tokio::test]
async fn web_identity_container_and_instance_metadata_match_botocore() {
    let w = World::new().await;
    let token = w.home.write("token.jwt", "eyJhbGciOiJSUzI1NiJ9.web-identity-token.sig");
    let token = token.display().to_string();
    // From the environment (EKS IRSA).
    let o = w
        .compare(
            Case::new("web identity from env", "", "")
                .env("AWS_DEFAULT_REGION", "eu-north-1")
                .env("AWS_WEB_IDENTITY_TOKEN_FILE", token.clone())
                .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/irsa")
                .env("AWS_ROLE_SESSION_NAME", "pod-1"),
        )
        .await;
    assert_eq!(
        keys(&o),
        derived(&["arn:aws:iam::123456789012:role/irsa", "eyJhbGciOiJSUzI1NiJ9.web-identity-token.sig"]).0
    );
    let call = &w.sts.calls()[0];
    assert_eq!((call.action.as_str(), call.signed_by.as_deref()), ("AssumeRoleWithWebIdentity", None), "unsigned");
    // From the profile.
    let profile = format!(
        "[default]\nweb_identity_token_file = {token}\nrole_arn = arn:aws:iam::123456789012:role/web\nrole_session_name = from-profile\nregion = ca-central-1\n"
    );
    let profile: &'static str = Box::leak(profile.into_boxed_str());
    let o = w.compare(Case::new("web identity from the profile", profile, "")).await;
    assert_eq!(region(&o), Some("ca-central-1"));
    // Static keys in the profile come after the environment's web identity (botocore's order).
    let both = "[default]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = s\n";
    let o = w
        .compare(
            Case::new("web identity before static keys", both, "")
                .env("AWS_DEFAULT_REGION", "eu-north-1")
                .env("AWS_WEB_IDENTITY_TOKEN_FILE", token.clone())
                .env("AWS_ROLE_ARN", "arn:aws:iam::1:role/w")
                .env("AWS_ROLE_SESSION_NAME", "xx"),
        )
        .await;
    assert_ne!(keys(&o), "AKIDSTATIC");
    // A token file without a role ARN is an error.
    assert_eq!(
        w.compare(
            Case::new("web identity without a role", "", "")
                .env("AWS_DEFAULT_REGION", "eu-north-1")
                .env("AWS_WEB_IDENTITY_TOKEN_FILE", token.clone())
        )
        .await,
        Outcome::Failed
    );
    // Container credentials, with the token from a file (which wins over the variable).
    let container = fake_container("file-token").await;
    let token_file = w.home.write("ecs-token", "file-token");
    let o = w
        .compare(
            Case::new("container", "", "")
                .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", format!("{}/creds", container.url()))
                .env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file.display().to_string())
                .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", "variable-token"),
        )
        .await;
    assert_eq!(keys(&o), derived(&["container", "file-token"]).0);
    // Nothing else: instance metadata (IMDSv2), last. Each fetch gives new keys, so compare the roles' shape.
    let before = w.imds.fetches();
    let ours = AwsCredentialsChain::new(Env::from_pairs(w.vars(&Case::new("imds", "", "")))).resolve().await.unwrap();
    assert_eq!(ours.access_key_id(), w.imds.keys("instance-role", before).0);
    let vars = w.vars(&Case::new("imds", "", ""));
    let boto = tokio::task::spawn_blocking(move || botocore_resolve(&vars, None)).await.unwrap();
    assert_eq!(boto["access_key"], w.imds.keys("instance-role", before + 1).0, "{boto}");
    assert_eq!(boto["method"], "iam-role");
    // The token was asked for, and every read carried it (the fake refuses reads without it).
    let received = w.imds.server.received();
    assert!(received.iter().any(|r| r.method == "PUT" && r.path() == "/latest/api/token"));
    // With instance metadata disabled, nothing at all: both fail.
    let o = w.compare(Case::new("nothing", "", "").env("AWS_EC2_METADATA_DISABLED", "true")).await;
    assert_eq!(o, Outcome::Failed);
}

/// A deliberate difference: botocore refuses `AssumeRole` without a region
/// (`NoRegionError`); the runtime signs STS calls for us-east-1 then, as the
/// global endpoint expects (the AWS SDK for Rust does the same).
#[tokio::test]
async fn without_a_region_sts_is_called_for_us_east_1() {
    let w = World::new().await;
    let case = Case::new("no region", ROLES, "").env("AWS_PROFILE", "admin");
    let vars = w.vars(&case);
    let boto = tokio::task::spawn_blocking({
        let vars = vars.clone();
        move || botocore_resolve(&vars, None)
    })
    .await
    .unwrap();
    assert!(boto["error"].as_str().unwrap().contains("NoRegionError"), "{boto}");
    w.sts.clear();
    let chain = AwsCredentialsChain::new(Env::from_pairs(vars));
    let ours = chain.resolve().await.unwrap();
    assert_eq!(ours.access_key_id(), derived(&["arn:aws:iam::123456789012:role/admin", "AKIDBASE"]).0);
    assert_eq!(w.sts.calls()[0].region.as_deref(), Some("us-east-1"));
    assert_eq!(chain.region().unwrap(), None);
}

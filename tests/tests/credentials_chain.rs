//! The credentials chain under the generated clients: what a call signs
//! with, caching and refreshing ahead of expiry (one refresh at a time under
//! concurrent calls, never an expired credential), the error when no source
//! has any, hostile metadata answers, the region from instance metadata,
//! endpoint variables, and moto's server as a second STS.
//!
//! The service calls go to an `InMemoryTransport` (to see exactly what was
//! signed); the credentials come over loopback from the fakes of
//! `support::metadata`. Every environment passes the loopback guard.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use lifecycle_hooks::runtime::credentials::CredentialsFuture;
use lifecycle_hooks::runtime::testing::{InMemoryTransport, response};
use lifecycle_hooks::runtime::{
    AwsCredentials, AwsCredentialsChain, Config, ConfigError, CredentialsError, Env, Error, ProvideAwsCredentials,
    RetryConfig,
};
use lifecycle_hooks::transfer::{self, CustomStepStatus, SendWorkflowStepStateInput};
use tests::support::metadata::{FakeImds, FakeSts, ImdsScript, TempHome, derived, loopback_env};
use tests::support::moto::MotoServer;

fn input() -> SendWorkflowStepStateInput {
    SendWorkflowStepStateInput::new(
        "w-0123456789abcdefg",
        "0123abcd-0000-1111-2222-333344445555",
        "tok",
        CustomStepStatus::Success,
    )
}

fn ok() -> lifecycle_hooks::runtime::Response {
    response(200, &[("x-amzn-RequestId", "r")], "{}")
}

/// The access key id and session token a request was signed with.
fn signer(r: &lifecycle_hooks::runtime::PreparedRequest) -> (String, Option<String>) {
    let auth = r.header("Authorization").expect("signed");
    let key = auth.split("Credential=").nth(1).unwrap().split('/').next().unwrap().to_owned();
    (key, r.header("X-Amz-Security-Token").map(str::to_owned))
}

fn imds_env(imds: &FakeImds) -> Env {
    loopback_env(&[
        ("AWS_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", "/nonexistent/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.server.url()),
        ("HUAWEICLOUD_SDK_METADATA_DISABLED", "true"),
    ])
}

#[tokio::test]
async fn a_call_signs_with_instance_metadata_credentials_and_caches_them() {
    let imds = FakeImds::start(ImdsScript::default()).await;
    let transport = InMemoryTransport::from_fn(|_| Ok(ok()));
    let config =
        Config::from_env_in(&imds_env(&imds), None).unwrap().into_builder().transport(transport.clone()).build();
    let client = transfer::Client::new(config.clone()).unwrap();
    assert_eq!(imds.fetches(), 0, "Handle::new makes no request");
    client.send_workflow_step_state(input()).await.unwrap();
    client.send_workflow_step_state(input()).await.unwrap();
    // A second client of the same configuration shares the cache.
    transfer::Client::new(config).unwrap().send_workflow_step_state(input()).await.unwrap();
    assert_eq!(imds.fetches(), 1);
    let (key, secret, token) = imds.keys("instance-role", 0);
    for r in transport.requests() {
        assert_eq!(signer(&r), (key.clone(), Some(token.clone())));
    }
    let _ = secret;
    // IMDSv2: the token first, every read with it.
    let received = imds.server.received();
    assert_eq!(received[0].method, "PUT");
    assert!(received[1..].iter().all(|r| r.header("x-aws-ec2-metadata-token").is_some()));
}

#[tokio::test]
async fn concurrent_calls_refresh_once() {
    let imds = FakeImds::start(ImdsScript::default()).await;
    let transport = InMemoryTransport::from_fn(|_| Ok(ok()));
    let config =
        Config::from_env_in(&imds_env(&imds), None).unwrap().into_builder().transport(transport.clone()).build();
    let client = transfer::Client::new(config).unwrap();
    let calls: Vec<_> = (0..32)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.send_workflow_step_state(input()).await })
        })
        .collect();
    for c in calls {
        c.await.unwrap().unwrap();
    }
    assert_eq!(imds.fetches(), 1, "one refresh for 32 concurrent first calls");
    let signers: std::collections::BTreeSet<_> = transport.requests().iter().map(signer).collect();
    assert_eq!(signers.len(), 1);
}

#[tokio::test]
async fn credentials_are_refreshed_ahead_of_expiry_and_never_used_expired() {
    // Four minutes left: inside the five-minute window, so every call refreshes.
    let imds = FakeImds::start(ImdsScript { lifetime: Duration::from_secs(240), ..ImdsScript::default() }).await;
    let transport = InMemoryTransport::from_fn(|_| Ok(ok()));
    let config =
        Config::from_env_in(&imds_env(&imds), None).unwrap().into_builder().transport(transport.clone()).build();
    let client = transfer::Client::new(config).unwrap();
    client.send_workflow_step_state(input()).await.unwrap();
    client.send_workflow_step_state(input()).await.unwrap();
    assert_eq!(imds.fetches(), 2);
    let keys: Vec<_> = transport.requests().iter().map(|r| signer(r).0).collect();
    assert_eq!(keys, [imds.keys("instance-role", 0).0, imds.keys("instance-role", 1).0]);

    // Credentials that expire within seconds are refused, never signed with.
    let imds = FakeImds::start(ImdsScript { lifetime: Duration::from_secs(3), ..ImdsScript::default() }).await;
    let transport = InMemoryTransport::from_fn(|_| Ok(ok()));
    let config =
        Config::from_env_in(&imds_env(&imds), None).unwrap().into_builder().transport(transport.clone()).build();
    let err = transfer::Client::new(config).unwrap().send_workflow_step_state(input()).await.unwrap_err();
    match &err {
        Error::Build(m) => assert!(m.contains("expired or expire within seconds"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(transport.requests().is_empty(), "nothing is sent");
}

/// A provider of the test's own: answers in order.
struct Scripted {
    answers: std::sync::Mutex<Vec<Result<AwsCredentials, CredentialsError>>>,
    asked: AtomicU32,
}

impl ProvideAwsCredentials for Scripted {
    fn provide_aws_credentials(&self) -> CredentialsFuture<'_, AwsCredentials> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        let next = self.answers.lock().unwrap().remove(0);
        Box::pin(async move { next })
    }
}

#[tokio::test]
async fn a_failed_refresh_keeps_credentials_that_are_still_valid_and_a_custom_provider_works() {
    let soon = SystemTime::now() + Duration::from_secs(120);
    let provider = Arc::new(Scripted {
        answers: std::sync::Mutex::new(vec![
            Ok(AwsCredentials::new("AKIDFIRST", "s1", Some("t1".into())).with_expiry(soon)),
            Err(CredentialsError::new("scripted", "the service is down")),
            Ok(AwsCredentials::new("AKIDLATER", "s2", None)),
        ]),
        asked: AtomicU32::new(0),
    });
    let transport = InMemoryTransport::from_fn(|_| Ok(ok()));
    let config = Config::builder()
        .region("us-east-1")
        .aws_credentials_provider(Arc::clone(&provider))
        .transport(transport.clone())
        .build();
    let client = transfer::Client::new(config).unwrap();
    client.send_workflow_step_state(input()).await.unwrap();
    // Due for a refresh (two minutes left); the refresh fails; the valid credentials still sign.
    client.send_workflow_step_state(input()).await.unwrap();
    // Just after a failure the provider is not asked again at each call.
    client.send_workflow_step_state(input()).await.unwrap();
    assert_eq!(provider.asked.load(Ordering::SeqCst), 2);
    let keys: Vec<_> = transport.requests().iter().map(|r| signer(r).0).collect();
    assert_eq!(keys, ["AKIDFIRST"; 3]);
}

/// A provider that never answers (a credentials service that hangs).
struct Hanging;

impl ProvideAwsCredentials for Hanging {
    fn provide_aws_credentials(&self) -> CredentialsFuture<'_, AwsCredentials> {
        Box::pin(std::future::pending())
    }
}

#[tokio::test]
async fn the_total_timeout_bounds_fetching_credentials_too() {
    let total = Duration::from_millis(300);
    let transport = InMemoryTransport::from_fn(|_| Ok(ok()));
    let config = Config::builder()
        .region("us-east-1")
        .aws_credentials_provider(Arc::new(Hanging))
        .total_timeout(Some(total))
        .transport(transport.clone())
        .build();
    let started = std::time::Instant::now();
    let client = transfer::Client::new(config).unwrap();
    let call = client.send_workflow_step_state(input());
    let err = tokio::time::timeout(Duration::from_secs(5), call).await.expect("the call ends").unwrap_err();
    assert!(matches!(err, Error::Timeout { after } if after == total), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert!(transport.requests().is_empty(), "nothing is sent");
}

#[test]
fn with_no_source_the_error_names_each_one_and_no_secret() {
    let home = TempHome::new();
    let env = loopback_env(&[
        ("HOME", &home.str()),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("HUAWEICLOUD_SDK_METADATA_DISABLED", "true"),
        ("AWS_SESSION_TOKEN", "orphan-session-token-secret"),
    ]);
    let err = transfer::Client::new(Config::from_env_in(&env, None).unwrap()).unwrap_err();
    let ConfigError::Credentials { service: "transfer", error } = &err else { panic!("{err:?}") };
    let sources: Vec<&str> = error.tried().iter().map(|t| t.source.as_str()).collect();
    assert_eq!(sources, ["environment", "web identity", "profile \"default\"", "container", "instance metadata"]);
    let text = format!("{err} {err:?}");
    assert!(text.contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"), "{text}");
    assert!(text.contains("disabled by AWS_EC2_METADATA_DISABLED"), "{text}");
    assert!(!text.contains("orphan-session-token-secret"), "{text}");

    // A malformed credentials file is a clear error with its line, at configuration time.
    home.write(".aws/credentials", "[default]\naws_access_key_id = AKID\nthis line is not a setting\n");
    let err = Config::from_env_in(&env, None).unwrap_err();
    assert!(matches!(err, ConfigError::Profile(_)), "{err:?}");
    assert!(err.to_string().contains("credentials:3: expected `key = value`"), "{err}");
}

#[tokio::test]
async fn hostile_or_absent_metadata_services_give_clear_errors() {
    let transport = InMemoryTransport::from_fn(|_| Ok(ok()));
    for (script, expected) in [
        (ImdsScript { credentials_body: Some("{not json".into()), ..ImdsScript::default() }, "is not JSON"),
        (
            ImdsScript {
                credentials_body: Some(r#"{"Code":"AssumeRoleUnauthorizedAccess"}"#.into()),
                ..ImdsScript::default()
            },
            "answered Code",
        ),
        (
            ImdsScript { credentials_body: Some("x".repeat(3 * 1024 * 1024)), ..ImdsScript::default() },
            "larger than the limit",
        ),
        (ImdsScript { role: "../../etc".into(), ..ImdsScript::default() }, "not an IAM role name"),
        (ImdsScript { token_status: 500, ..ImdsScript::default() }, "HTTP 500 for the session token"),
    ] {
        let imds = FakeImds::start(script).await;
        let config =
            Config::from_env_in(&imds_env(&imds), None).unwrap().into_builder().transport(transport.clone()).build();
        let err = transfer::Client::new(config).unwrap().send_workflow_step_state(input()).await.unwrap_err();
        let text = err.to_string();
        assert!(text.contains("instance metadata") && text.contains(expected), "{expected}: {text}");
    }
    // IMDSv1 when the token request is refused as by an old service.
    let imds = FakeImds::start(ImdsScript { token_status: 404, ..ImdsScript::default() }).await;
    let config =
        Config::from_env_in(&imds_env(&imds), None).unwrap().into_builder().transport(transport.clone()).build();
    transfer::Client::new(config).unwrap().send_workflow_step_state(input()).await.unwrap();
    assert!(imds.server.received().iter().all(|r| r.header("x-aws-ec2-metadata-token").is_none()));
    // Unless IMDSv1 is disabled: then the refusal is the answer.
    let env = loopback_env(&[
        ("AWS_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", "/nonexistent"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.server.url()),
        ("AWS_EC2_METADATA_V1_DISABLED", "true"),
        ("HUAWEICLOUD_SDK_METADATA_DISABLED", "true"),
    ]);
    let config = Config::from_env_in(&env, None).unwrap().into_builder().transport(transport.clone()).build();
    let err = transfer::Client::new(config).unwrap().send_workflow_step_state(input()).await.unwrap_err();
    assert!(err.to_string().contains("HTTP 404 for the session token, and IMDSv1 is disabled"), "{err}");
    // Nothing listening: a bounded wait, then an error naming the source.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);
    let env = loopback_env(&[
        ("AWS_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", "/nonexistent"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &url),
        ("HUAWEICLOUD_SDK_METADATA_DISABLED", "true"),
    ]);
    let config = Config::from_env_in(&env, None)
        .unwrap()
        .into_builder()
        .transport(transport.clone())
        .retry(RetryConfig::disabled())
        .build();
    let started = std::time::Instant::now();
    let err = transfer::Client::new(config).unwrap().send_workflow_step_state(input()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(err.to_string().contains("instance metadata: transport error (Connect)"), "{err}");
}

#[tokio::test]
async fn the_region_comes_from_instance_metadata_last() {
    let imds = FakeImds::start(ImdsScript::default()).await;
    let env = loopback_env(&[
        ("AWS_CONFIG_FILE", "/nonexistent"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.server.url()),
        ("HUAWEICLOUD_SDK_METADATA_DISABLED", "true"),
    ]);
    let config = Config::from_env_in(&env, None).unwrap();
    assert!(transfer::Client::new(config.clone()).is_err(), "no region yet");
    let config = config.with_instance_metadata_region().await;
    assert_eq!(config.region(&transfer::SERVICE), Some("eu-central-1"));
    // The blocking form, from a thread of its own (as hookctl's set-up calls it).
    let config = tokio::task::spawn_blocking(move || {
        Config::from_env_in(&env, None).unwrap().with_instance_metadata_region_blocking()
    })
    .await
    .unwrap();
    assert_eq!(config.region(&transfer::SERVICE), Some("eu-central-1"));
    // An explicit region is kept; IMDS is not asked.
    let before = imds.server.received().len();
    let env = loopback_env(&[
        ("AWS_REGION", "sa-east-1"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds.server.url()),
        ("HUAWEICLOUD_SDK_METADATA_DISABLED", "true"),
    ]);
    let config = Config::from_env_in(&env, None).unwrap().with_instance_metadata_region().await;
    assert_eq!(config.region(&transfer::SERVICE), Some("sa-east-1"));
    assert_eq!(imds.server.received().len(), before);
}

#[test]
fn endpoint_variables_and_profile_endpoints_in_the_sdks_order() {
    let home = TempHome::new();
    home.write(
        ".aws/config",
        "[default]\nendpoint_url = http://127.0.0.1:4001\nservices = local\n\n[services local]\ntransfer =\n  endpoint_url = http://127.0.0.1:4002\nauto_scaling =\n  endpoint_url = http://127.0.0.1:4003\nelastic_load_balancing_v2 =\n  endpoint_url = http://127.0.0.1:4004\n",
    );
    let base = [
        ("HOME", home.str()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_ACCESS_KEY_ID", "AKID".into()),
        ("AWS_SECRET_ACCESS_KEY", "s".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ("HUAWEICLOUD_SDK_METADATA_DISABLED", "true".into()),
    ];
    let url = |extra: &[(&str, &str)]| {
        let mut pairs: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pairs.extend_from_slice(extra);
        let config = Config::from_env_in(&loopback_env(&pairs), None).unwrap();
        let t = transfer::Client::new(config.clone()).unwrap().prepare_send_workflow_step_state(&input()).unwrap().url;
        let a = lifecycle_hooks::autoscaling::Client::new(config.clone())
            .unwrap()
            .config()
            .endpoint_url(&lifecycle_hooks::autoscaling::SERVICE)
            .map(str::to_owned);
        let c = config.endpoint_url(&lifecycle_hooks::codedeploy::SERVICE).map(str::to_owned);
        (t, a, c)
    };
    // The profile: its services section per service, else its endpoint_url.
    assert_eq!(
        url(&[]),
        ("http://127.0.0.1:4002/".into(), Some("http://127.0.0.1:4003".into()), Some("http://127.0.0.1:4001".into()))
    );
    // AWS_ENDPOINT_URL over anything in the profile; the service's own variable over it.
    assert_eq!(url(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:5001")]).0, "http://127.0.0.1:5001/");
    let (t, a, _) = url(&[
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:5001"),
        ("AWS_ENDPOINT_URL_TRANSFER", "http://127.0.0.1:5002"),
        ("AWS_ENDPOINT_URL_AUTO_SCALING", "http://127.0.0.1:5003"),
    ]);
    assert_eq!((t.as_str(), a.as_deref()), ("http://127.0.0.1:5002/", Some("http://127.0.0.1:5003")));
    // A service of another crate (a user's own model) is found by its own service id,
    // in the environment and in the profile's services section alike.
    static ELB: lifecycle_hooks::runtime::ServiceMeta = lifecycle_hooks::runtime::ServiceMeta {
        name: "elasticloadbalancing",
        service_id: Some("Elastic Load Balancing v2"),
        ..lifecycle_hooks::autoscaling::SERVICE
    };
    let elb = |extra: &[(&str, &str)]| {
        let mut pairs: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pairs.extend_from_slice(extra);
        Config::from_env_in(&loopback_env(&pairs), None).unwrap().endpoint_url(&ELB).map(str::to_owned)
    };
    assert_eq!(elb(&[]).as_deref(), Some("http://127.0.0.1:4004"));
    assert_eq!(
        elb(&[("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", "http://127.0.0.1:5004")]).as_deref(),
        Some("http://127.0.0.1:5004")
    );
    // Ignored altogether when asked.
    assert_eq!(
        url(&[("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:5001")]).0,
        "https://transfer.us-east-1.amazonaws.com/"
    );
    // An explicit override on the builder (as --endpoint-url) wins over every configured one.
    let mut pairs: Vec<(&str, &str)> = base.iter().map(|(k, v)| (*k, v.as_str())).collect();
    pairs.push(("AWS_ENDPOINT_URL_TRANSFER", "http://127.0.0.1:5002"));
    let config = Config::from_env_in(&loopback_env(&pairs), None)
        .unwrap()
        .into_builder()
        .endpoint_url("http://127.0.0.1:6000")
        .build();
    assert_eq!(
        transfer::Client::new(config).unwrap().prepare_send_workflow_step_state(&input()).unwrap().url,
        "http://127.0.0.1:6000/"
    );
}

#[tokio::test]
async fn moto_serves_as_a_second_sts() {
    let moto = tokio::task::spawn_blocking(MotoServer::start).await.unwrap();
    let home = TempHome::new();
    home.write(".aws/config", "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n[profile role]\nrole_arn = arn:aws:iam::123456789012:role/hook\nsource_profile = base\nrole_session_name = moto-session\nduration_seconds = 900\n");
    let token = home.write("token", "moto-web-identity-token");
    let env = |profile: &str, extra: &[(&str, &str)]| {
        let mut pairs = vec![
            ("HOME", home.str()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_PROFILE", profile.into()),
            ("AWS_ENDPOINT_URL_STS", moto.endpoint()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
            ("HUAWEICLOUD_SDK_METADATA_DISABLED", "true".into()),
        ];
        pairs.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        loopback_env(&pairs)
    };
    let assumed =
        AwsCredentialsChain::new(env("role", &[])).resolve().await.unwrap_or_else(|e| panic!("{e}\n{}", moto.log()));
    assert!(assumed.access_key_id().starts_with("ASIA") && assumed.has_session_token(), "{assumed:?}");
    let expires = assumed.expires_at().unwrap().duration_since(SystemTime::now()).unwrap();
    assert!(expires <= Duration::from_secs(900) && expires > Duration::from_secs(800), "{expires:?}");
    let token = token.display().to_string();
    let web = AwsCredentialsChain::new(env(
        "default",
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", &token),
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web"),
            ("AWS_ROLE_SESSION_NAME", "w"),
        ],
    ))
    .resolve()
    .await
    .unwrap_or_else(|e| panic!("{e}\n{}", moto.log()));
    assert!(web.access_key_id().starts_with("ASIA") && web.has_session_token());
    assert!(moto.log().contains("POST / "), "moto saw the calls:\n{}", moto.log());
}

#[tokio::test]
async fn sts_errors_stop_the_chain_with_the_services_message() {
    let sts = FakeSts::start(Duration::from_secs(3600)).await;
    let home = TempHome::new();
    home.write(".aws/config", "[default]\nrole_arn = arn:aws:iam::1:role/denied\nsource_profile = base\n[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
    let env = loopback_env(&[
        ("HOME", &home.str()),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL_STS", &sts.server.url()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("HUAWEICLOUD_SDK_METADATA_DISABLED", "true"),
    ]);
    let err = AwsCredentialsChain::new(env).resolve().await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(
            "profile \"default\": assuming arn:aws:iam::1:role/denied: STS AssumeRole failed: AccessDenied (HTTP 403)"
        ),
        "{text}"
    );
    assert!(!text.contains("base-secret"));
    assert_eq!(sts.calls()[0].signed_by.as_deref(), Some("AKIDBASE"));
    let _ = derived;
}

//! Huawei Cloud credentials as `huaweicloudsdkcore` resolves them, checked
//! against the SDK (huaweicloudsdkcore 3.1.219 in `.venv`, through
//! `tests/oracle/huawei_credentials.py`): the environment with
//! `HUAWEICLOUD_SDK_SECURITY_TOKEN` and the credentials file resolve as the
//! SDK's provider chain resolves them; a request signed with temporary
//! credentials carries `X-Security-Token` and the signature the SDK's own
//! `sign_request` computes for the same request; ECS metadata credentials
//! (from a fake metadata service on loopback) are fetched with a token,
//! cached, and refreshed 40 minutes ahead of their expiry.

use std::time::Duration;

use lifecycle_hooks::huawei_as::{self, CallbackLifecycleHookInput, CallbackTarget, LifecycleActionResult};
use lifecycle_hooks::runtime::{Config, ConfigError, Env, HuaweiCredentialsChain, RetryConfig};
use serde_json::{Value, json};
use tests::support::base64;
use tests::support::http::{Received, Reply, Server};
use tests::support::metadata::{FakeHuaweiMetadata, HUAWEI_METADATA_TOKEN, TempHome, loopback_env};
use tests::support::python::JsonLines;

const AK: &str = "HWTEMPAK0000000001";
const SK: &str = "hw-temporary-secret-key-0123456789";
const TOKEN: &str = "hw-security-token-gQpMv6Hs0bTZ9X";
const PROJECT: &str = "0123456789abcdef0123456789abcdef";

fn input() -> CallbackLifecycleHookInput {
    CallbackLifecycleHookInput::new("g-1", LifecycleActionResult::Continue, CallbackTarget::by_action_key("k-1"))
}

fn env(extra: &[(&str, &str)]) -> Env {
    let mut pairs = vec![
        ("HUAWEICLOUD_SDK_REGION", "cn-north-4"),
        ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "/nonexistent/huawei-credentials"),
        ("HUAWEICLOUD_SDK_METADATA_DISABLED", "true"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    pairs.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    pairs.extend_from_slice(extra);
    loopback_env(&pairs)
}

fn client(env: &Env, server: &Server) -> huawei_as::Client {
    let config = Config::from_env_in(env, None)
        .unwrap()
        .into_builder()
        .endpoint_url(server.url())
        .retry(RetryConfig::disabled())
        .build();
    huawei_as::Client::new(config).unwrap()
}

fn no_content() -> Reply {
    Reply::new(204).header("X-Request-Id", "hw-1")
}

/// The SDK's `sign_request` with a security token, over the request as received.
fn sdk_sign(oracle: &mut JsonLines, server: &Server, r: &Received, ak: &str, sk: &str, token: &str) -> Value {
    let auth = r.header("authorization").expect("signed");
    let signed: Vec<&str> =
        auth.split("SignedHeaders=").nth(1).unwrap().split(',').next().unwrap().split(';').collect();
    assert!(signed.contains(&"x-security-token"), "the token is signed: {auth}");
    let headers: Vec<Value> = r
        .headers
        .iter()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            signed.contains(&k.as_str()) && k != "x-security-token"
        })
        .map(|(k, v)| json!([k, v]))
        .collect();
    let answer = oracle.ask(&json!({
        "op": "sign", "method": r.method, "host": format!("127.0.0.1:{}", server.port()), "path": r.path(), "query": [],
        "headers": headers, "body_b64": base64::encode(&r.body), "ak": ak, "sk": sk, "security_token": token,
    }));
    assert!(answer.get("error").is_none(), "{answer}");
    answer
}

#[tokio::test]
async fn the_environment_and_the_credentials_file_resolve_as_the_sdk_and_sign_with_the_token_as_it_does() {
    let mut oracle = JsonLines::spawn("huawei_credentials.py", Duration::from_secs(30));
    let home = TempHome::new();
    let file = home.write("hw/credentials", &format!("[basic]\nak = {AK}\nsk = {SK}\nproject_id = {PROJECT}\nsecurity_token = {TOKEN}\n\n[global]\nak = other\nsk = other\n"));
    let file = file.display().to_string();
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![
            ("HUAWEICLOUD_SDK_AK", AK),
            ("HUAWEICLOUD_SDK_SK", SK),
            ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", TOKEN),
        ],
        vec![("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &file)],
        // The environment wins over the file.
        vec![
            ("HUAWEICLOUD_SDK_AK", AK),
            ("HUAWEICLOUD_SDK_SK", SK),
            ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", TOKEN),
            ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", "/nonexistent/x"),
        ],
    ];
    for vars in cases {
        let env = env(&vars);
        // The SDK's provider chain, in the same variables.
        let sdk_env: serde_json::Map<String, Value> = vars.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect();
        let sdk = oracle.ask(&json!({"op": "resolve", "env": sdk_env}));
        let ours = HuaweiCredentialsChain::new(env.clone()).resolve().await.unwrap();
        assert_eq!(
            json!({"ak": ours.ak(), "sk": ours.expose_sk(), "project_id": ours.project_id(), "security_token": ours.expose_security_token()}),
            json!({"ak": sdk["ak"], "sk": sdk["sk"], "project_id": sdk["project_id"], "security_token": sdk["security_token"]}),
            "{vars:?}: {sdk}"
        );
        // A request signed with them: the token sent and signed, as the SDK's own signing does it.
        let server = Server::start(vec![no_content()]).await;
        client(&env, &server).callback_lifecycle_hook(input()).await.unwrap();
        let r = &server.received()[0];
        assert_eq!(r.header("x-security-token"), Some(TOKEN));
        let sdk = sdk_sign(&mut oracle, &server, r, AK, SK, TOKEN);
        assert_eq!(r.header("authorization"), sdk["authorization"].as_str(), "{vars:?}");
        assert_eq!(sdk["x_security_token"], TOKEN);
    }
    // Not a rubber stamp: another token gives another signature.
    let server = Server::start(vec![no_content()]).await;
    client(&env(&[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &file)]), &server)
        .callback_lifecycle_hook(input())
        .await
        .unwrap();
    let r = &server.received()[0];
    assert_ne!(
        r.header("authorization"),
        sdk_sign(&mut oracle, &server, r, AK, SK, "another-token")["authorization"].as_str()
    );
}

#[tokio::test]
async fn ecs_metadata_credentials_are_fetched_with_a_token_cached_and_refreshed_ahead() {
    let mut oracle = JsonLines::spawn("huawei_credentials.py", Duration::from_secs(30));
    // Two hours left: cached (the SDK refreshes 40 minutes ahead).
    let metadata = FakeHuaweiMetadata::start(Duration::from_secs(2 * 3600)).await;
    let env = env(&[
        ("HUAWEICLOUD_SDK_METADATA_DISABLED", ""),
        ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &metadata.server.url()),
        ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
    ]);
    let server = Server::start(vec![no_content(), no_content()]).await;
    let c = client(&env, &server);
    assert_eq!(metadata.fetches(), 0, "nothing is fetched before the first call");
    c.callback_lifecycle_hook(input()).await.unwrap();
    c.callback_lifecycle_hook(input()).await.unwrap();
    assert_eq!(metadata.fetches(), 1);
    let (ak, sk, token) = FakeHuaweiMetadata::keys(0);
    for r in server.received() {
        assert_eq!(r.header("x-security-token"), Some(token.as_str()));
        assert!(r.header("authorization").unwrap().contains(&format!("Access={ak},")));
        assert_eq!(r.header("x-project-id"), Some(PROJECT));
        let sdk = sdk_sign(&mut oracle, &server, &r, &ak, &sk, &token);
        assert_eq!(r.header("authorization"), sdk["authorization"].as_str());
    }
    let asked = metadata.server.received();
    assert_eq!((asked[0].method.as_str(), asked[0].path()), ("PUT", "/meta-data/latest/api/token"));
    assert_eq!(asked[1].header("x-metadata-token"), Some(HUAWEI_METADATA_TOKEN));

    // Thirty minutes left: inside the 40-minute window, so each call refreshes.
    let metadata = FakeHuaweiMetadata::start(Duration::from_secs(30 * 60)).await;
    let env = self::env(&[
        ("HUAWEICLOUD_SDK_METADATA_DISABLED", ""),
        ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", &metadata.server.url()),
        ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
    ]);
    let server = Server::start(vec![no_content(), no_content()]).await;
    let c = client(&env, &server);
    c.callback_lifecycle_hook(input()).await.unwrap();
    c.callback_lifecycle_hook(input()).await.unwrap();
    assert_eq!(metadata.fetches(), 2);
    let tokens: Vec<_> = server.received().iter().map(|r| r.header("x-security-token").unwrap().to_owned()).collect();
    assert_eq!(tokens, [FakeHuaweiMetadata::keys(0).2, FakeHuaweiMetadata::keys(1).2]);
}

#[test]
fn bad_huawei_configurations_are_clear_errors() {
    let home = TempHome::new();
    let new = |env: Env| huawei_as::Client::new(Config::from_env_in(&env, None).unwrap()).unwrap_err();
    // A malformed file: its path and line.
    let bad = home.write("bad", "[basic]\nak = A\nno separator here\n");
    let err = new(env(&[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &bad.display().to_string())]));
    assert!(matches!(err, ConfigError::Credentials { .. }), "{err:?}");
    assert!(err.to_string().contains(&format!("{}:3: expected `key = value`", bad.display())), "{err}");
    // No [basic] section; half a key pair.
    let global = home.write("global", "[global]\nak = A\nsk = hidden-sk-value\n");
    let err = new(env(&[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &global.display().to_string())]));
    assert!(err.to_string().contains("has no [basic] section"), "{err}");
    let half = home.write("half", "[basic]\nak = A\nproject_id = p\n");
    let err = new(env(&[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", &half.display().to_string())]));
    assert!(err.to_string().contains("needs both ak and sk"), "{err}");
    // ECS metadata gives no project id: it must be configured.
    let err = new(env(&[
        ("HUAWEICLOUD_SDK_METADATA_DISABLED", ""),
        ("HUAWEICLOUD_SDK_METADATA_ENDPOINT", "http://127.0.0.1:9"),
    ]));
    assert!(err.to_string().contains("HUAWEICLOUD_SDK_PROJECT_ID is not set"), "{err}");
    // Nothing at all: each source named, no secret shown.
    let err = new(env(&[]));
    let text = format!("{err} {err:?}");
    assert!(
        text.contains("environment: HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK are not set")
            && text.contains("ECS metadata: disabled"),
        "{text}"
    );
    assert!(!text.contains("hidden-sk-value"));
}

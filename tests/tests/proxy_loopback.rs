//! Proxies, against a loopback proxy of our own that records what reaches
//! it (`support::proxy`): absolute-form requests for http endpoints, CONNECT
//! tunnels for https ones, basic authentication from the proxy URL, curl's
//! `no_proxy` rules (loopback proxied unless listed), clear errors for a bad
//! proxy URL or a refusing proxy, and `hookctl` honouring the same variables.

use std::time::Duration;

use lifecycle_hooks::runtime::{Config, ConfigError, Env, Error, ProxyConfig, RetryConfig, TransportErrorKind};
use lifecycle_hooks::transfer::{self, CustomStepStatus, SendWorkflowStepStateInput};
use tests::support::cli::Run;
use tests::support::http::{Reply, Server};
use tests::support::metadata::loopback_env;
use tests::support::proxy::{RawRecorder, RecordingProxy};

fn input() -> SendWorkflowStepStateInput {
    SendWorkflowStepStateInput::new(
        "w-0123456789abcdefg",
        "0123abcd-0000-1111-2222-333344445555",
        "tok",
        CustomStepStatus::Success,
    )
}

fn env(extra: &[(&str, &str)]) -> Env {
    let mut pairs = vec![
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        ("AWS_SECRET_ACCESS_KEY", "proxy-test-secret"),
        ("AWS_CONFIG_FILE", "/nonexistent"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("HUAWEICLOUD_SDK_METADATA_DISABLED", "true"),
    ];
    pairs.extend_from_slice(extra);
    loopback_env(&pairs)
}

fn client(env: &Env, endpoint: &str) -> transfer::Client {
    let config = Config::from_env_in(env, None)
        .unwrap()
        .into_builder()
        .endpoint_url(endpoint)
        .retry(RetryConfig::disabled())
        .attempt_timeout(Some(Duration::from_secs(10)))
        .build();
    transfer::Client::new(config).unwrap()
}

fn ok() -> Reply {
    Reply::new(200).header("x-amzn-RequestId", "via-proxy").body("{}")
}

#[tokio::test]
async fn http_endpoints_go_through_the_proxy_in_absolute_form_with_basic_auth() {
    let server = Server::start(vec![ok()]).await;
    let proxy = RecordingProxy::start(Some("Basic YWxpY2U6cGEgc3M=")).await;
    let proxy_url = proxy.url(Some("alice:pa%20ss"));
    let env = env(&[("HTTP_PROXY", &proxy_url)]);
    let out = client(&env, &server.url()).send_workflow_step_state(input()).await.unwrap();
    assert_eq!(out.request_id(), Some("via-proxy"));
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].request_line, format!("POST {}/ HTTP/1.1", server.url()));
    assert_eq!(seen[0].header("proxy-authorization"), Some("Basic YWxpY2U6cGEgc3M="), "alice:pa ss");
    // The endpoint got the request as if direct: origin form, its own Host, no proxy credentials.
    let received = &server.received()[0];
    assert_eq!(received.target, "/");
    assert_eq!(received.header("host"), Some(format!("127.0.0.1:{}", server.port()).as_str()));
    assert!(received.header("proxy-authorization").is_none());
    assert!(received.header("authorization").unwrap().starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    // The lower-case variable wins over the upper-case one.
    let other = RecordingProxy::start(None).await;
    let server = Server::start(vec![ok()]).await;
    let env2 = self::env(&[("HTTP_PROXY", &other.url(None)), ("http_proxy", &proxy_url)]);
    client(&env2, &server.url()).send_workflow_step_state(input()).await.unwrap();
    assert!(other.seen().is_empty());
    assert_eq!(proxy.seen().len(), 2);
}

#[tokio::test]
async fn https_endpoints_are_tunnelled_with_connect() {
    let target = RawRecorder::start().await;
    let proxy = RecordingProxy::start(None).await;
    let env = env(&[("HTTPS_PROXY", &proxy.url(Some("bob:s3cr3t-proxy-pass")))]);
    let endpoint = format!("https://localhost:{}", target.port());
    let err = client(&env, &endpoint).send_workflow_step_state(input()).await.unwrap_err();
    // The recorder is no TLS server: the handshake fails, after the tunnel stood.
    assert!(matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::Connect), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("s3cr3t-proxy-pass"));
    let seen = proxy.seen();
    assert_eq!(seen[0].request_line, format!("CONNECT localhost:{} HTTP/1.1", target.port()));
    assert_eq!(seen[0].header("host"), Some(format!("localhost:{}", target.port()).as_str()));
    assert_eq!(seen[0].header("proxy-authorization"), Some("Basic Ym9iOnMzY3IzdC1wcm94eS1wYXNz"));
    let hello = &target.first_bytes()[0];
    assert_eq!(&hello[..2], &[0x16, 0x03], "a TLS handshake record came through the tunnel");
    // A proxy that refuses the credentials: a clear error, no password in it.
    let strict = RecordingProxy::start(Some("Basic other")).await;
    let env = self::env(&[("HTTPS_PROXY", &strict.url(Some("bob:s3cr3t-proxy-pass")))]);
    let err = client(&env, &endpoint).send_workflow_step_state(input()).await.unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("407 Proxy Authentication Required"), "{text}");
    assert!(!text.contains("s3cr3t-proxy-pass") && !text.contains("Ym9iOnMzY3Iz"), "{text}");
}

#[tokio::test]
async fn no_proxy_follows_curl_and_loopback_is_proxied_unless_listed() {
    let proxy = RecordingProxy::start(None).await;
    for (no_proxy, proxied) in [
        ("", true),
        ("example.com", true),
        ("127.0.0.1", false),
        ("127.0.0.0/8", false),
        ("*", false),
        (" other , 127.0.0.1:9999 ", false),
    ] {
        let server = Server::start(vec![ok()]).await;
        let before = proxy.seen().len();
        let env = env(&[("HTTP_PROXY", &proxy.url(None)), ("NO_PROXY", no_proxy)]);
        client(&env, &server.url()).send_workflow_step_state(input()).await.unwrap();
        assert_eq!(proxy.seen().len() - before, usize::from(proxied), "NO_PROXY={no_proxy:?}");
        assert_eq!(server.received().len(), 1);
    }
    // An explicit setting on the builder, without any variable.
    let server = Server::start(vec![ok()]).await;
    let config = Config::from_env_in(&env(&[]), None)
        .unwrap()
        .into_builder()
        .endpoint_url(server.url())
        .proxy(ProxyConfig::all(&proxy.url(None)).unwrap())
        .build();
    let before = proxy.seen().len();
    transfer::Client::new(config).unwrap().send_workflow_step_state(input()).await.unwrap();
    assert_eq!(proxy.seen().len(), before + 1);
}

#[test]
fn bad_proxy_urls_are_configuration_errors_that_never_show_the_password() {
    for (var, url) in [
        ("HTTPS_PROXY", "socks5://u:hunter2-pw@127.0.0.1:1"),
        ("http_proxy", "http://u:hunter2-pw@127.0.0.1:99999"),
        ("HTTP_PROXY", "http://u:hunter2-pw@127.0.0.1:1/path"),
    ] {
        let err = Config::from_env_in(&env(&[(var, url)]), None).unwrap_err();
        assert!(matches!(&err, ConfigError::InvalidEnv { var: v, .. } if *v == var), "{err:?}");
        assert!(!format!("{err} {err:?}").contains("hunter2-pw"), "{err}");
    }
    let config = Config::from_env_in(&env(&[("HTTPS_PROXY", "http://u:hunter2-pw@127.0.0.1:1")]), None).unwrap();
    let shown = format!("{config:?}");
    assert!(!shown.contains("hunter2-pw") && shown.contains("127.0.0.1"), "{shown}");
}

#[tokio::test]
async fn hookctl_honours_the_proxy_variables() {
    let server = Server::start(vec![ok()]).await;
    let proxy = RecordingProxy::start(None).await;
    let out = Run::hookctl([
        "transfer",
        "send-workflow-step-state",
        "--endpoint-url",
        &server.url(),
        "--workflow-id",
        "w-0123456789abcdefg",
        "--execution-id",
        "0123abcd-0000-1111-2222-333344445555",
        "--token",
        "t",
        "--status",
        "SUCCESS",
    ])
    .env("http_proxy", Some(&proxy.url(Some("carol:cli-proxy-pw"))))
    .run_async()
    .await;
    out.assert_code(0);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{out}");
    assert!(seen[0].request_line.starts_with(&format!("POST {}/", server.url())));
    assert!(seen[0].header("proxy-authorization").is_some());
    assert!(!out.stderr.contains("cli-proxy-pw"));
}

/// A "proxy" that answers `CONNECT` with `answer`, then closes.
async fn hostile_proxy(answer: Vec<u8>) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let _ = s.write_all(&answer).await;
            });
        }
    });
    port
}

#[tokio::test]
async fn hostile_connect_answers_are_clear_errors_and_never_hang() {
    for (answer, expected) in [
        (b"SSH-2.0-OpenSSH\r\n\r\n".to_vec(), "its answer to CONNECT is not HTTP"),
        (vec![b'x'; 40 * 1024], "longer than 16384 bytes"),
        (b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".to_vec(), "answered CONNECT localhost:9 with 502"),
        (b"HTTP/1.1 200 OK\r\n".to_vec(), "closed the connection before answering CONNECT"),
    ] {
        let port = hostile_proxy(answer).await;
        let env = env(&[("HTTPS_PROXY", &format!("http://127.0.0.1:{port}"))]);
        let started = std::time::Instant::now();
        let err = client(&env, "https://localhost:9").send_workflow_step_state(input()).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5), "{expected}");
        assert!(matches!(&err, Error::Transport(t) if t.kind == TransportErrorKind::Connect), "{err:?}");
        assert!(err.to_string().contains(expected), "{expected}: {err}");
    }
}

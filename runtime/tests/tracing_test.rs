//! The `tracing` feature: spans per call and attempt with their fields,
//! events for retries, credentials and proxies, captured as text; and no
//! secret in any of it (keys, session and security tokens, `Authorization`,
//! proxy credentials).

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use common::*;
use lifecycle_hooks_runtime::credentials::CredentialsFuture;
use lifecycle_hooks_runtime::protocol::{aws_json, huawei};
use lifecycle_hooks_runtime::testing::{InMemoryTransport, response};
use lifecycle_hooks_runtime::trace::StderrSubscriber;
use lifecycle_hooks_runtime::{
    AwsCredentials, Config, Handle, HuaweiCredentials, OperationMeta, ProvideAwsCredentials, ProxyConfig, Request,
    Response, RetryConfig, UnhandledError,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

static SEND: OperationMeta = OperationMeta::new("SendWorkflowStepState", "POST", 200);

const SECRET: &str = "trace-secret-key-Qw8Er7Ty6";
const SESSION: &str = "trace-session-token-Zx1Cv2Bn3";
const HW_SK: &str = "trace-huawei-sk-Lk9Jh8Gf7";
const HW_TOKEN: &str = "trace-huawei-token-Mn4Bv5Cx6";
const PROXY_PASSWORD: &str = "trace-proxy-pw-Po0Iu9Yt8";

fn body_text(r: &Response) -> Result<String, String> {
    String::from_utf8(r.body.clone()).map_err(|e| e.to_string())
}

fn huawei_err(r: &Response) -> TestError {
    TestError(UnhandledError::new(huawei::error_meta(r), &r.body))
}

struct Temporary;

impl ProvideAwsCredentials for Temporary {
    fn provide_aws_credentials(&self) -> CredentialsFuture<'_, AwsCredentials> {
        let c = AwsCredentials::new("ASIATRACEKEY", SECRET, Some(SESSION.into()))
            .with_expiry(SystemTime::now() + Duration::from_secs(3600));
        Box::pin(async move { Ok(c) })
    }
}

/// A "proxy" on loopback that answers any absolute-form request with 200.
async fn answering_proxy() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16384];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match s.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\nx-amzn-RequestId: via-proxy-1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}").await;
            });
        }
    });
    port
}

#[tokio::test]
async fn spans_and_events_carry_the_calls_facts_and_no_secret() {
    let sink = Arc::new(Mutex::new(String::new()));
    let _guard =
        tracing::subscriber::set_default(StderrSubscriber::new(tracing::Level::DEBUG).with_sink(Arc::clone(&sink)));

    // AWS: a provider's temporary credentials; a 503, then success.
    let transport = InMemoryTransport::new([
        response(503, &[("x-amzn-RequestId", "req-503")], ""),
        response(200, &[("x-amzn-RequestId", "req-ok")], "done"),
    ]);
    let retry = RetryConfig {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
    };
    let config = Config::builder()
        .region("us-east-1")
        .aws_credentials_provider(Temporary)
        .retry(retry)
        .transport(transport.clone())
        .build();
    let handle = Handle::new(&TRANSFER, config).unwrap();
    let req = aws_json::request(&TRANSFER, &SEND, b"{}".to_vec());
    assert_eq!(handle.call(&SEND, req, body_text, json_err).await.unwrap(), "done");
    let sent = transport.requests();
    let authorization = sent[1].header("Authorization").unwrap().to_owned();
    let signature = authorization.rsplit("Signature=").next().unwrap().to_owned();
    assert_eq!(sent[1].header("X-Amz-Security-Token"), Some(SESSION));

    // Huawei: temporary credentials with a security token.
    let transport = InMemoryTransport::new([response(204, &[("X-Request-Id", "hw-req-1")], "")]);
    let hw = HuaweiCredentials::new("HWTRACEAK", HW_SK, PROJECT).with_security_token(HW_TOKEN);
    let config = Config::builder().region("cn-north-4").huawei_credentials(hw).transport(transport.clone()).build();
    let handle = Handle::new(&HUAWEI_AS, config).unwrap();
    let req = Request::new(
        format!("/autoscaling-api/v1/{PROJECT}/scaling_instance_hook/g/callback"),
        vec![],
        vec![("Content-Type".into(), "application/json".into())],
        b"{}".to_vec(),
    );
    handle.call(&HUAWEI_CALLBACK, req, body_text, huawei_err).await.unwrap();
    assert_eq!(transport.requests()[0].header("X-Security-Token"), Some(HW_TOKEN));

    // Through a proxy with credentials.
    let port = answering_proxy().await;
    let proxy = ProxyConfig::all(&format!("http://user:{PROXY_PASSWORD}@127.0.0.1:{port}")).unwrap();
    let config = vector_config().endpoint_url("http://127.0.0.1:9").proxy(proxy).build();
    let handle = Handle::new(&TRANSFER, config).unwrap();
    let req = aws_json::request(&TRANSFER, &SEND, b"{}".to_vec());
    handle.call(&SEND, req, body_text, json_err).await.unwrap();
    drop(handle);

    let text = sink.lock().unwrap().clone();
    eprintln!("{text}");
    for expected in [
        "lifecycle_hooks.attempt: service=transfer operation=SendWorkflowStepState attempt=1 status=503 request_id=req-503",
        "lifecycle_hooks.attempt: service=transfer operation=SendWorkflowStepState attempt=2 status=200 request_id=req-ok",
        "lifecycle_hooks.call: service=transfer operation=SendWorkflowStepState attempts=2 outcome=ok",
        "retrying after back-off attempt=1",
        "credentials resolved source=the configured AWS credentials provider",
        "lifecycle_hooks.attempt: service=as operation=CallbackLifecycleHook attempt=1 status=204 request_id=hw-req-1",
        &format!("connecting through a proxy proxy_host=127.0.0.1 proxy_port={port} tunnel=false"),
        "request_id=via-proxy-1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(text.contains("elapsed_ms="), "{text}");
    for secret in [
        SECRET,
        SESSION,
        HW_SK,
        HW_TOKEN,
        PROXY_PASSWORD,
        &signature,
        "Authorization",
        "X-Amz-Security-Token",
        "X-Security-Token",
        "Basic ",
    ] {
        assert!(!text.contains(secret), "{secret:?} appears in:\n{text}");
    }
}

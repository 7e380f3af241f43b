//! `hookctl --debug`: the runtime's spans and events on stderr (each attempt
//! with its status, request id and timing, the retry, the call's outcome),
//! the JSON result on stdout as usual, and no secret anywhere in the output.

use tests::support::cli::Run;
use tests::support::http::{Reply, Server};

const SECRET: &str = "debug-secret-access-key-Aa1Bb2";
const SESSION: &str = "debug-session-token-Cc3Dd4";

#[tokio::test]
async fn debug_traces_each_attempt_on_stderr_without_secrets() {
    let server = Server::start(vec![
        Reply::new(503).header("x-amzn-RequestId", "rid-503").body("{}"),
        Reply::new(200).header("x-amzn-RequestId", "rid-200").body("{}"),
    ])
    .await;
    let run = |debug: bool| {
        let mut args = vec!["transfer", "send-workflow-step-state", "--endpoint-url"];
        let url = server.url();
        let url: &'static str = Box::leak(url.into_boxed_str());
        args.push(url);
        args.extend([
            "--workflow-id",
            "w-0123456789abcdefg",
            "--execution-id",
            "0123abcd-0000-1111-2222-333344445555",
            "--token",
            "t",
            "--status",
            "SUCCESS",
        ]);
        if debug {
            args.push("--debug");
        }
        Run::hookctl(args).env("AWS_SECRET_ACCESS_KEY", Some(SECRET)).env("AWS_SESSION_TOKEN", Some(SESSION))
    };
    let out = run(true).run_async().await;
    out.assert_code(0);
    assert_eq!(out.json(), serde_json::json!({}), "{out}");
    for expected in [
        "lifecycle_hooks.attempt: service=transfer operation=SendWorkflowStepState attempt=1 status=503 request_id=rid-503",
        "retrying after back-off attempt=1",
        "lifecycle_hooks.attempt: service=transfer operation=SendWorkflowStepState attempt=2 status=200 request_id=rid-200",
        "lifecycle_hooks.call: service=transfer operation=SendWorkflowStepState attempts=2 outcome=ok",
    ] {
        assert!(out.stderr.contains(expected), "missing {expected:?}:\n{out}");
    }
    let sent = &server.received()[1];
    let signature = sent.header("authorization").unwrap().rsplit("Signature=").next().unwrap().to_owned();
    for secret in [SECRET, SESSION, signature.as_str(), "Authorization", "X-Amz-Security-Token"] {
        assert!(!out.stderr.contains(secret) && !out.stdout.contains(secret), "{secret:?} in:\n{out}");
    }
    // Without --debug, stderr stays empty on success.
    let server2 = Server::start(vec![Reply::new(200).body("{}")]).await;
    let out = Run::hookctl([
        "transfer",
        "send-workflow-step-state",
        "--endpoint-url",
        &server2.url(),
        "--workflow-id",
        "w-0123456789abcdefg",
        "--execution-id",
        "0123abcd-0000-1111-2222-333344445555",
        "--token",
        "t",
        "--status",
        "SUCCESS",
    ])
    .run_async()
    .await;
    out.assert_code(0);
    assert!(out.stderr.is_empty(), "{out}");
}

//! The programs of `examples/`, one per service, run as a user runs them:
//! the endpoint of a loopback server as their argument, credentials and region
//! from the environment. Each must send its call and report the answer.

use tests::support::cli::{Run, example_path};
use tests::support::http::{Reply, Server};
use tests::support::reference::HUAWEI_PROJECT;

async fn run_example(name: &str, replies: Vec<Reply>) -> (tests::support::cli::Output, Server) {
    let server = Server::start(replies).await;
    let out = Run::program(&example_path(name), [server.url()]).run_async().await;
    (out, server)
}

#[tokio::test]
async fn autoscaling_puts_a_lifecycle_hook() {
    let ok = r#"<PutLifecycleHookResponse><PutLifecycleHookResult/><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></PutLifecycleHookResponse>"#;
    let (out, server) = run_example("autoscaling", vec![Reply::new(200).body(ok)]).await;
    out.assert_code(0);
    assert_eq!(out.stdout.trim(), "put lifecycle hook drain-before-launch on my-asg (request id req-1)");
    let body = String::from_utf8(server.received()[0].body.clone()).unwrap();
    assert!(body.starts_with("Action=PutLifecycleHook&Version=2011-01-01&AutoScalingGroupName=my-asg"), "{body}");

    let limit = r#"<ErrorResponse><Error><Type>Sender</Type><Code>LimitExceeded</Code><Message>max 50</Message></Error></ErrorResponse>"#;
    let (out, _) = run_example("autoscaling", vec![Reply::new(400).body(limit)]).await;
    out.assert_code(1);
    assert!(out.stderr.contains("my-asg has all the hooks it may have"), "{out}");
}

#[tokio::test]
async fn cloudformation_lists_every_hook_result() {
    let page = |items: &str, next: &str| {
        Reply::new(200).body(format!(
            "<ListHookResultsResponse><ListHookResultsResult><HookResults>{items}</HookResults>{next}</ListHookResultsResult></ListHookResultsResponse>"
        ))
    };
    let (out, server) = run_example(
        "cloudformation",
        vec![
            page("<member><TypeName>A::Hook</TypeName><Status>HOOK_COMPLETE_SUCCEEDED</Status></member>", "<NextToken>p2</NextToken>"),
            page("<member><TypeName>B::Hook</TypeName><Status>HOOK_FAILED</Status></member>", ""),
        ],
    )
    .await;
    out.assert_code(0);
    assert_eq!(out.stdout, "A::Hook: HOOK_COMPLETE_SUCCEEDED\nB::Hook: HOOK_FAILED\n2 hook results\n");
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn codedeploy_reports_succeeded() {
    let (out, server) =
        run_example("codedeploy", vec![Reply::new(200).body(r#"{"lifecycleEventHookExecutionId":"eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0="}"#)]).await;
    out.assert_code(0);
    assert_eq!(out.stdout.trim(), "reported Succeeded for hook execution eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0=");
    let body: serde_json::Value = serde_json::from_slice(&server.received()[0].body).unwrap();
    assert_eq!(body["status"], "Succeeded");
}

#[tokio::test]
async fn huawei_as_lets_the_instance_continue() {
    let (out, server) = run_example("huawei_as", vec![Reply::new(204)]).await;
    out.assert_code(0);
    assert_eq!(out.stdout.trim(), "instance of e5d27f5c-dd76-4a61-b4bc-a67c5686719a continues");
    let r = &server.received()[0];
    assert_eq!(r.method, "PUT");
    assert_eq!(
        r.path(),
        format!("/autoscaling-api/v1/{HUAWEI_PROJECT}/scaling_instance_hook/e5d27f5c-dd76-4a61-b4bc-a67c5686719a/callback")
    );
}

#[tokio::test]
async fn transfer_reports_success_and_says_when_throttled() {
    let (out, _) = run_example("transfer", vec![Reply::new(200).header("x-amzn-RequestId", "req-7").body("{}")]).await;
    out.assert_code(0);
    assert_eq!(out.stdout.trim(), "step reported SUCCESS (request id req-7)");

    // Throttling is retried; AWS_MAX_ATTEMPTS (read by Config::from_env) allows one attempt here.
    let throttled = Reply::new(400).body(r#"{"__type":"ThrottlingException","RetryAfterSeconds":"3"}"#);
    let server = Server::start(vec![throttled]).await;
    let out = Run::program(&example_path("transfer"), [server.url()]).env("AWS_MAX_ATTEMPTS", Some("1")).run_async().await;
    out.assert_code(1);
    assert!(out.stderr.contains("throttled; retry after Some(\"3\") s"), "{out}");
    assert_eq!(server.received().len(), 1);
}

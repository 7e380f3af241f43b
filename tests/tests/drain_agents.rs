//! The instance-draining agents of `examples/` run as a user runs them.
//!
//! Auto Scaling (`drain_agent`): against moto 5.2.1's server for what moto
//! implements (the hook is put there, and the agent reads its heartbeat
//! timeout with DescribeLifecycleHooks), behind a loopback server of ours
//! that answers the two calls moto lacks (RecordLifecycleActionHeartbeat,
//! CompleteLifecycleAction; their requests are botocore's, e2e_botocore.rs)
//! and forwards every other request to moto unchanged. Huawei
//! (`huawei_drain_agent`): against a loopback server that answers
//! ListHookInstances and the callbacks.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use lifecycle_hooks::autoscaling::{self, LifecycleActionResult, LifecycleTransition, PutLifecycleHookInput};
use lifecycle_hooks::runtime::{AwsCredentials, Config};
use tests::support::cli::{Output, Run, example_path};
use tests::support::http::{Received, Reply, Server};
use tests::support::moto::MotoServer;
use tests::support::reference::{HUAWEI_PROJECT, REGION, form_pairs};

/// Sends `r` to moto as it arrived and gives moto's answer back.
fn forward(moto_port: u16, r: &Received) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", moto_port)).expect("connect to moto");
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut head = format!("{} {} HTTP/1.1\r\n", r.method, r.target);
    for (k, v) in r.headers.iter().filter(|(k, _)| !k.eq_ignore_ascii_case("connection")) {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&r.body)).expect("send to moto");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("moto's answer");
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("an HTTP answer");
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("a status");
    let mut reply = Reply::new(status).body(answer[split + 4..].to_vec());
    for (k, v) in lines.filter_map(|l| l.split_once(": ")) {
        if !["content-length", "connection", "transfer-encoding"].iter().any(|h| k.eq_ignore_ascii_case(h)) {
            reply = reply.header(k, v);
        }
    }
    reply
}

fn action(r: &Received) -> String {
    form_pairs(&r.body).into_iter().find(|(k, _)| k == "Action").map(|(_, v)| v).unwrap_or_default()
}

fn answer(action: &str) -> Reply {
    Reply::new(200).header("Content-Type", "text/xml").body(format!(
        r#"<{action}Response xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><{action}Result/><ResponseMetadata><RequestId>rid-{action}</RequestId></ResponseMetadata></{action}Response>"#
    ))
}

/// moto, and in front of it our server for the calls moto lacks.
async fn moto_with_callbacks(heartbeat_timeout: i32) -> (MotoServer, Server) {
    let moto = MotoServer::start();
    let config = Config::builder()
        .region(REGION)
        .endpoint_url(moto.endpoint())
        .aws_credentials(AwsCredentials::new("AKIDEXAMPLE", "secret", None))
        .build();
    let hook = PutLifecycleHookInput::new("web-asg", "drain")
        .lifecycle_transition(LifecycleTransition::Ec2InstanceTerminating)
        .heartbeat_timeout(heartbeat_timeout)
        .default_result(LifecycleActionResult::Abandon);
    autoscaling::Client::new(config).unwrap().put_lifecycle_hook(hook).await.unwrap();
    let port: u16 = moto.endpoint().rsplit(':').next().unwrap().parse().unwrap();
    let front = Server::start_with(move |r| match action(r).as_str() {
        a @ ("RecordLifecycleActionHeartbeat" | "CompleteLifecycleAction") => answer(a),
        _ => forward(port, r),
    })
    .await;
    (moto, front)
}

async fn drain(front: &Server, command: &[&str]) -> Output {
    let args = [
        "--endpoint-url",
        &front.url(),
        "--group",
        "web-asg",
        "--hook",
        "drain",
        "--instance-id",
        "i-0123456789abcdef0",
    ];
    Run::program(&example_path("drain_agent"), args)
        .args(["--heartbeat-every", "0.2", "--"])
        .args(command.iter().copied())
        .run_async()
        .await
}

/// The calls of the agent, by action, in order.
fn actions(front: &Server) -> Vec<(String, Vec<(String, String)>)> {
    front.received().iter().map(|r| (action(r), form_pairs(&r.body))).collect()
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn the_agent_heartbeats_while_it_drains_then_continues() {
    let (_moto, front) = moto_with_callbacks(30).await;
    let out = drain(&front, &["sleep", "1.1"]).await;
    out.assert_code(0);
    // The timeout moto stored, read back by the agent through our server.
    assert!(out.stdout.contains("hook drain times out after 30 s; heartbeat every 200ms"), "{out}");
    let calls = actions(&front);
    let names: Vec<&str> = calls.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(names.first(), Some(&"DescribeLifecycleHooks"), "{names:?}");
    assert_eq!(names.last(), Some(&"CompleteLifecycleAction"), "{names:?}");
    let heartbeats = names.iter().filter(|a| **a == "RecordLifecycleActionHeartbeat").count();
    assert!((2..=6).contains(&heartbeats), "{heartbeats} heartbeats in {names:?}");
    assert_eq!(heartbeats + 2, names.len(), "{names:?}");
    for (_, pairs) in &calls[1..] {
        assert_eq!(param(pairs, "AutoScalingGroupName"), Some("web-asg"));
        assert_eq!(param(pairs, "LifecycleHookName"), Some("drain"));
        assert_eq!(param(pairs, "InstanceId"), Some("i-0123456789abcdef0"));
    }
    assert_eq!(param(&calls.last().unwrap().1, "LifecycleActionResult"), Some("CONTINUE"));
    assert!(out.stdout.contains(&format!("drain succeeded after {heartbeats} heartbeat(s); completed with CONTINUE (request id rid-CompleteLifecycleAction)")), "{out}");
}

#[tokio::test]
async fn a_failed_drain_abandons() {
    let (_moto, front) = moto_with_callbacks(60).await;
    let out = drain(&front, &["sh", "-c", "sleep 0.5; exit 7"]).await;
    out.assert_code(3);
    let calls = actions(&front);
    let (last, pairs) = calls.last().unwrap();
    assert_eq!(last, "CompleteLifecycleAction");
    assert_eq!(param(pairs, "LifecycleActionResult"), Some("ABANDON"));
    assert!(out.stdout.contains("drain failed after"), "{out}");
}

#[tokio::test]
async fn a_hook_moto_does_not_have_stops_the_agent_before_it_drains() {
    let (_moto, front) = moto_with_callbacks(30).await;
    let args = ["--endpoint-url", &front.url(), "--group", "web-asg", "--hook", "other", "--instance-id", "i-1"];
    let out = Run::program(&example_path("drain_agent"), args).args(["--", "true"]).run_async().await;
    out.assert_code(1);
    assert!(out.stderr.contains("web-asg has no lifecycle hook other"), "{out}");
    assert!(actions(&front).iter().all(|(a, _)| a == "DescribeLifecycleHooks"));
}

// ---------------------------------------------------------------- Huawei

const GROUP: &str = "e5d27f5c-dd76-4a61-b4bc-a67c5686719a";
const INSTANCE: &str = "f1e2d3c4-0000-4000-8000-0000000000aa";
const KEY: &str = "23880867-6288-4470-98a8-f8bda096b6c4";

fn huawei_front() -> impl FnMut(&Received) -> Reply + Send + 'static {
    |r| {
        if r.method == "GET" {
            let body = serde_json::json!({"instance_hanging_info": [
                {"instance_id": "other", "lifecycle_action_key": "not-this-one", "lifecycle_hook_status": "HANGING"},
                {"instance_id": INSTANCE, "lifecycle_hook_name": "drain", "lifecycle_action_key": KEY,
                 "scaling_group_id": GROUP, "lifecycle_hook_status": "HANGING", "timeout": "2024-01-02T04:04:05Z",
                 "default_result": "ABANDON"},
            ]});
            Reply::new(200)
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "rid-list")
                .body(body.to_string())
        } else {
            Reply::new(204).header("X-Request-Id", "rid-callback")
        }
    }
}

async fn huawei_drain(front: &Server, command: &[&str]) -> Output {
    let args =
        ["--endpoint-url", &front.url(), "--group", GROUP, "--instance-id", INSTANCE, "--extend-every", "0.3", "--"];
    Run::program(&example_path("huawei_drain_agent"), args).args(command.iter().copied()).run_async().await
}

fn callbacks(front: &Server) -> Vec<serde_json::Value> {
    front.received().iter().filter(|r| r.method == "PUT").map(|r| serde_json::from_slice(&r.body).unwrap()).collect()
}

#[tokio::test]
async fn the_huawei_agent_takes_the_key_extends_while_it_drains_then_continues() {
    let front = Server::start_with(huawei_front()).await;
    let out = huawei_drain(&front, &["sleep", "1"]).await;
    out.assert_code(0);
    let received = front.received();
    assert_eq!(received[0].method, "GET");
    assert_eq!(
        received[0].target,
        format!("/autoscaling-api/v1/{HUAWEI_PROJECT}/scaling_instance_hook/{GROUP}/list?instance_id={INSTANCE}")
    );
    let calls = callbacks(&front);
    let (last, extends) = calls.split_last().unwrap();
    assert!((1..=3).contains(&extends.len()), "{calls:?}");
    for c in extends {
        assert_eq!(c, &serde_json::json!({"lifecycle_action_key": KEY, "lifecycle_action_result": "EXTEND"}));
    }
    assert_eq!(last, &serde_json::json!({"lifecycle_action_key": KEY, "lifecycle_action_result": "CONTINUE"}));
    for r in received.iter().filter(|r| r.method == "PUT") {
        assert_eq!(r.path(), format!("/autoscaling-api/v1/{HUAWEI_PROJECT}/scaling_instance_hook/{GROUP}/callback"));
    }
    assert!(out.stdout.contains("instance f1e2d3c4-0000-4000-8000-0000000000aa is held by hook drain"), "{out}");
    assert!(out.stdout.contains("called back with CONTINUE (request id rid-callback)"), "{out}");
}

#[tokio::test]
async fn a_failed_huawei_drain_abandons() {
    let front = Server::start_with(huawei_front()).await;
    let out = huawei_drain(&front, &["false"]).await;
    out.assert_code(3);
    assert_eq!(
        callbacks(&front).last().unwrap(),
        &serde_json::json!({"lifecycle_action_key": KEY, "lifecycle_action_result": "ABANDON"})
    );
}

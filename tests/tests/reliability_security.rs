//! Security properties of the generated clients and the runtime under them:
//!
//! - path parameters cannot alter the path: the exact request line the server
//!   receives, or a `Build` error before anything is sent;
//! - header values with CR or LF (from credentials, project id, user agent)
//!   are refused before sending: the server sees no connection;
//! - credentials (AWS secret key, session token, Huawei SK) never appear in
//!   `Debug`/`Display` of configurations, clients, handles, prepared requests
//!   or errors (transport and timeout included), nor in anything logged
//!   through `log` or `tracing` while calls run;
//! - https by default, plain http only through an explicit endpoint override;
//! - `#![forbid(unsafe_code)]` in every crate of the project.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use lifecycle_hooks::runtime::{AwsCredentials, Config, ConfigBuilder, Error, HuaweiCredentials, RetryConfig};
use lifecycle_hooks::{autoscaling, cloudformation, codedeploy, huawei_as, transfer};
use tests::support::chaos_http::{ChaosServer, RawReply};
use tests::support::reference::{HUAWEI_PROJECT, REGION};

const AWS_KEY_ID: &str = "AKIDSECURITYTEST0001";
const AWS_SECRET: &str = "aws-secret-Zq8WvT3kLm0Pn5Rx9Ys2Ub7Hc4Jd6Fe1";
const SESSION_TOKEN: &str = "session-token-Gh2Kj4Lm6Np8Qr0St3Uv5Wx7Yz9Ab1Cd";
const HUAWEI_AK: &str = "HPUASECURITYTEST0001";
const HUAWEI_SK: &str = "huawei-sk-Mn3Bv5Cx7Zl9Kj2Hg4Fd6Sa8Qw0Er1Ty";
const SECRETS: [&str; 3] = [AWS_SECRET, SESSION_TOKEN, HUAWEI_SK];

fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        // Any long piece of a secret counts, not just the whole of it.
        for piece in secret.as_bytes().windows(12) {
            let piece = std::str::from_utf8(piece).unwrap();
            assert!(!text.contains(piece), "{what} shows part of a secret ({piece}):\n{text}");
        }
    }
}

fn builder(url: Option<&str>) -> ConfigBuilder {
    let b = Config::builder()
        .region(REGION)
        .aws_credentials(AwsCredentials::new(AWS_KEY_ID, AWS_SECRET, Some(SESSION_TOKEN.to_owned())))
        .huawei_credentials(HuaweiCredentials::new(HUAWEI_AK, HUAWEI_SK, HUAWEI_PROJECT))
        .retry(RetryConfig {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
        })
        .attempt_timeout(Some(Duration::from_secs(5)));
    match url {
        Some(url) => b.endpoint_url(url),
        None => b,
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn callback_input(group: &str) -> huawei_as::CallbackLifecycleHookInput {
    huawei_as::CallbackLifecycleHookInput::new(
        group,
        huawei_as::LifecycleActionResult::Continue,
        huawei_as::CallbackTarget::by_action_key("23880867-6288-4470-98a8-f8bda096b6c4"),
    )
}

fn transfer_input() -> transfer::SendWorkflowStepStateInput {
    transfer::SendWorkflowStepStateInput::new(
        "w-0123456789abcdefg",
        "0123abcd-0000-1111-2222-333344445555",
        "token_from_the_step",
        transfer::CustomStepStatus::Success,
    )
}

fn list_input() -> cloudformation::ListHookResultsInput {
    cloudformation::ListHookResultsInput::new()
        .target_type(cloudformation::ListHookResultsTargetType::ChangeSet)
        .target_id("arn:x")
}

fn hook_input() -> autoscaling::PutLifecycleHookInput {
    autoscaling::PutLifecycleHookInput::new("my-asg", "my-hook")
}

fn deploy_input() -> codedeploy::PutLifecycleEventHookExecutionStatusInput {
    codedeploy::PutLifecycleEventHookExecutionStatusInput::new()
        .deployment_id("d-A1B2C3D4E")
        .lifecycle_event_hook_execution_id("eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0=")
        .status(codedeploy::LifecycleEventStatus::Succeeded)
}

/// Every byte but RFC 3986 unreserved ones, percent-encoded: written here
/// independently of the runtime's encoder.
fn expected_segment(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            write!(out, "%{b:02X}").unwrap();
        }
    }
    out
}

#[test]
fn path_parameters_cannot_alter_the_path() {
    let rt = rt();
    let server = rt.block_on(ChaosServer::start());
    server.set_reply(RawReply { bytes: b"HTTP/1.1 204 No Content\r\n\r\n".to_vec(), close: false });
    let client = huawei_as::Client::new(builder(Some(&server.url())).build()).unwrap();
    let values = [
        "/",
        "a/b",
        "../x",
        "../../../../etc/passwd",
        "%2F",
        "%2e%2e",
        "..%2F",
        "?",
        "a?b=c",
        "#",
        "a#frag",
        " ",
        "\t",
        "é",
        "a;b",
        "a\\b",
        "..;",
        "...",
        "x/..",
        "%00",
        "\u{0}",
        "\u{202e}",
    ];
    for value in values {
        let before = server.requests();
        rt.block_on(client.callback_lifecycle_hook(callback_input(value))).unwrap_or_else(|e| panic!("{value:?}: {e}"));
        let seen = server.seen();
        assert_eq!(server.requests(), before + 1, "{value:?}");
        let expected = format!(
            "PUT /autoscaling-api/v1/{HUAWEI_PROJECT}/scaling_instance_hook/{}/callback HTTP/1.1",
            expected_segment(value)
        );
        assert_eq!(seen.last().unwrap().request_line, expected, "{value:?}");
    }
    // Values no encoding makes safe: refused before sending.
    let connections = server.connections();
    for value in ["", ".", ".."] {
        let err = rt.block_on(client.callback_lifecycle_hook(callback_input(value))).unwrap_err();
        assert!(matches!(err, Error::Build(_) | Error::Validation(_)), "{value:?}: {err}");
    }
    assert_eq!(server.connections(), connections, "a refused path reached the server");

    // The project id (from the credentials) goes into the path too.
    for project in ["../other-project", "p/q", "p?x=1", "p#f"] {
        let config = builder(Some(&server.url()))
            .huawei_credentials(HuaweiCredentials::new(HUAWEI_AK, HUAWEI_SK, project))
            .build();
        let client = huawei_as::Client::new(config).unwrap();
        rt.block_on(client.callback_lifecycle_hook(callback_input("g"))).unwrap();
        let line = server.seen().last().unwrap().request_line.clone();
        assert_eq!(
            line,
            format!("PUT /autoscaling-api/v1/{}/scaling_instance_hook/g/callback HTTP/1.1", expected_segment(project))
        );
    }
}

/// Every way a CR or LF can reach a header: each call must fail with
/// `Build` and the server must see no connection at all.
#[test]
fn header_values_with_cr_or_lf_never_leave_the_client() {
    let rt = rt();
    let server = rt.block_on(ChaosServer::start());
    let url = server.url();
    let injections = ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\r\n\r\nGET / HTTP/1.1", "nul\0byte"];
    for bad in injections {
        // (what, config, reaches the AWS calls, reaches the Huawei call)
        let configs = [
            ("user agent", builder(Some(&url)).user_agent(bad).build(), true, true),
            (
                "session token",
                builder(Some(&url))
                    .aws_credentials(AwsCredentials::new(AWS_KEY_ID, AWS_SECRET, Some(format!("{SESSION_TOKEN}{bad}"))))
                    .build(),
                true,
                false,
            ),
            (
                "access key id",
                builder(Some(&url))
                    .aws_credentials(AwsCredentials::new(format!("AKID{bad}"), AWS_SECRET, None))
                    .build(),
                true,
                false,
            ),
            (
                "huawei project id",
                builder(Some(&url))
                    .huawei_credentials(HuaweiCredentials::new(HUAWEI_AK, HUAWEI_SK, format!("p{bad}")))
                    .build(),
                false,
                true,
            ),
            (
                "huawei ak",
                builder(Some(&url))
                    .huawei_credentials(HuaweiCredentials::new(format!("AK{bad}"), HUAWEI_SK, HUAWEI_PROJECT))
                    .build(),
                false,
                true,
            ),
        ];
        for (what, config, aws, huawei) in configs {
            let label = format!("{what} {bad:?}");
            let errors: Vec<String> = rt.block_on(async {
                let mut out = Vec::new();
                if aws {
                    let t = transfer::Client::new(config.clone()).unwrap();
                    out.push(build_error(&label, t.send_workflow_step_state(transfer_input()).await));
                    let c = cloudformation::Client::new(config.clone()).unwrap();
                    out.push(build_error(&label, c.list_hook_results(list_input()).await));
                    let a = autoscaling::Client::new(config.clone()).unwrap();
                    out.push(build_error(&label, a.put_lifecycle_hook(hook_input()).await));
                    let d = codedeploy::Client::new(config.clone()).unwrap();
                    out.push(build_error(&label, d.put_lifecycle_event_hook_execution_status(deploy_input()).await));
                }
                if huawei {
                    let h = huawei_as::Client::new(config.clone()).unwrap();
                    out.push(build_error(&label, h.callback_lifecycle_hook(callback_input("g")).await));
                }
                out
            });
            for e in errors {
                assert_no_secret(&label, &e);
                assert!(!e.contains("X-Injected"), "{label}: the error echoes the value: {e}");
            }
        }
    }
    assert_eq!(server.connections(), 0, "a request with CR/LF/NUL in a header reached the server");
}

/// A `Build` error's text; anything else fails the test.
fn build_error<O: std::fmt::Debug, E: std::fmt::Debug>(label: &str, result: Result<O, Error<E>>) -> String {
    match result {
        Err(Error::Build(m)) => m,
        other => panic!("{label}: expected a Build error, got {other:?}"),
    }
}

/// An HTTP answer with a correct `Content-Length`.
fn http(status: &str, headers: &str, body: &str) -> Vec<u8> {
    format!("HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// A `log` logger and a `tracing` subscriber that keep everything, at every level.
struct Capture {
    text: Mutex<String>,
    records: AtomicU64,
    next_span: AtomicU64,
}

static CAPTURE: OnceLock<Arc<Capture>> = OnceLock::new();

fn capture() -> &'static Arc<Capture> {
    CAPTURE.get_or_init(|| {
        let c = Arc::new(Capture {
            text: Mutex::new(String::new()),
            records: AtomicU64::new(0),
            next_span: AtomicU64::new(1),
        });
        log::set_logger(Box::leak(Box::new(LogSink(Arc::clone(&c))))).expect("no logger yet");
        log::set_max_level(log::LevelFilter::Trace);
        tracing::subscriber::set_global_default(TraceSink(Arc::clone(&c))).expect("no subscriber yet");
        c
    })
}

impl Capture {
    fn push(&self, line: &str) {
        self.records.fetch_add(1, Ordering::SeqCst);
        let mut text = self.text.lock().unwrap_or_else(|e| e.into_inner());
        text.push_str(line);
        text.push('\n');
    }
}

struct LogSink(Arc<Capture>);

impl log::Log for LogSink {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        self.0.push(&format!("log {} {}: {}", record.level(), record.target(), record.args()));
    }
    fn flush(&self) {}
}

struct TraceSink(Arc<Capture>);

struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl tracing::Subscriber for TraceSink {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut line = format!("span {}", span.metadata().name());
        span.record(&mut Fields(&mut line));
        self.0.push(&line);
        tracing::span::Id::from_u64(self.0.next_span.fetch_add(1, Ordering::SeqCst))
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut line = String::from("record");
        values.record(&mut Fields(&mut line));
        self.0.push(&line);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut line = format!("event {} {}", event.metadata().level(), event.metadata().target());
        event.record(&mut Fields(&mut line));
        self.0.push(&line);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// Runs every kind of call (success, service error, refused, timeout, cut answer,
/// build error) of every client, printing configs, clients, handles, prepared
/// requests and errors with `{:?}`, `{:#?}` and `{}`: no secret anywhere, nor in the logs.
#[test]
fn secrets_never_appear_in_debug_display_errors_or_logs() {
    let capture = capture();
    let rt = rt();
    let server = rt.block_on(ChaosServer::start());
    let mut shown = String::new();
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", l.local_addr().unwrap());
        drop(l);
        url
    };
    let answers = [
        http("200 OK", "", "{}"),
        b"HTTP/1.1 204 No Content\r\n\r\n".to_vec(),
        http("400 Bad Request", "", r#"{"__type":"AccessDenied","code":"X.1","message":"no"}"#),
        http("429 Too Many Requests", "Retry-After: 0\r\n", ""),
        http("200 OK", "", "<not json>"),
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"a\"".to_vec(),
    ];
    let stall = rt.block_on(ChaosServer::start());
    stall.set_reply(RawReply { bytes: b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n".to_vec(), close: false });
    let configs = [
        ("loopback", builder(Some(&server.url())).build()),
        ("refused", builder(Some(&refused)).build()),
        ("stalled", builder(Some(&stall.url())).attempt_timeout(Some(Duration::from_millis(100))).build()),
        ("bad header", builder(Some(&server.url())).user_agent("x\ny").build()),
        ("default endpoint", builder(None).build()),
    ];
    for (what, config) in &configs {
        let _ = write!(shown, "{config:?}\n{config:#?}\n{:?}\n", config.clone().into_builder());
        let t = transfer::Client::new(config.clone()).unwrap();
        let c = cloudformation::Client::new(config.clone()).unwrap();
        let a = autoscaling::Client::new(config.clone()).unwrap();
        let d = codedeploy::Client::new(config.clone()).unwrap();
        let h = huawei_as::Client::new(config.clone()).unwrap();
        let _ = write!(shown, "{t:?}{c:?}{a:?}{d:?}{h:?}{t:#?}{h:#?}{:?}{:#?}", t.config(), h.config());
        let _ = write!(
            shown,
            "{:?}{:?}{:?}{:?}{:?}{:#?}",
            t.prepare_send_workflow_step_state(&transfer_input()),
            c.prepare_list_hook_results(&list_input()),
            a.prepare_put_lifecycle_hook(&hook_input()),
            d.prepare_put_lifecycle_event_hook_execution_status(&deploy_input()),
            h.prepare_callback_lifecycle_hook(&callback_input("g")),
            t.prepare_send_workflow_step_state(&transfer_input()),
        );
        if *what == "default endpoint" {
            continue; // never sent: it would leave this machine
        }
        // The answers matter only where the server is reached.
        let answers = if *what == "loopback" { &answers[..] } else { &answers[..1] };
        for answer in answers {
            server.set_reply(RawReply { bytes: answer.clone(), close: true });
            rt.block_on(async {
                let bound = Duration::from_secs(30);
                let r = tokio::time::timeout(bound, t.send_workflow_step_state(transfer_input())).await.unwrap();
                let _ = write!(shown, "{r:?}{r:#?}{}", r.as_ref().err().map(ToString::to_string).unwrap_or_default());
                let r = tokio::time::timeout(bound, c.list_hook_results(list_input())).await.unwrap();
                let _ = write!(shown, "{r:?}{}", r.as_ref().err().map(ToString::to_string).unwrap_or_default());
                let r = tokio::time::timeout(bound, a.put_lifecycle_hook(hook_input())).await.unwrap();
                let _ = write!(shown, "{r:?}{}", r.as_ref().err().map(ToString::to_string).unwrap_or_default());
                let r = tokio::time::timeout(bound, d.put_lifecycle_event_hook_execution_status(deploy_input()))
                    .await
                    .unwrap();
                let _ = write!(shown, "{r:?}{}", r.as_ref().err().map(ToString::to_string).unwrap_or_default());
                let r = tokio::time::timeout(bound, h.callback_lifecycle_hook(callback_input("g"))).await.unwrap();
                let _ = write!(shown, "{r:?}{r:#?}{}", r.as_ref().err().map(ToString::to_string).unwrap_or_default());
                if let Err(e) = &r {
                    let _ = write!(shown, "{:?}{:?}{:?}", e.message(), e.code(), std::error::Error::source(e));
                }
            });
        }
    }
    // Configuration errors from the environment, with secrets in the variables.
    for vars in [
        vec![("AWS_SECRET_ACCESS_KEY", AWS_SECRET)],
        vec![
            ("AWS_ACCESS_KEY_ID", AWS_KEY_ID),
            ("AWS_SECRET_ACCESS_KEY", AWS_SECRET),
            ("AWS_SESSION_TOKEN", SESSION_TOKEN),
            ("AWS_MAX_ATTEMPTS", "x"),
        ],
        vec![("HUAWEICLOUD_SDK_SK", HUAWEI_SK)],
        vec![("HUAWEICLOUD_SDK_AK", HUAWEI_AK), ("HUAWEICLOUD_SDK_SK", HUAWEI_SK)],
        vec![("AWS_ENDPOINT_URL", "http://user:aws-secret-Zq8WvT3kLm0Pn5Rx9Ys2Ub7Hc4Jd6Fe1@127.0.0.1:1")],
    ] {
        let env = |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
        match Config::from_env_with(env) {
            Ok(config) => {
                let _ = write!(shown, "{config:?}");
                let _ = write!(shown, "{:?}", transfer::Client::new(config).map(|_| ()));
            }
            Err(e) => {
                let _ = write!(shown, "{e}{e:?}");
            }
        }
    }
    assert_no_secret("Debug/Display output", &shown);
    assert!(shown.contains(AWS_KEY_ID) && shown.contains(HUAWEI_AK), "the output should show the key ids");
    let logged = capture.text.lock().unwrap().clone();
    assert_no_secret("the captured logs", &logged);
    // The capture works: the HTTP and signing stacks did log something at trace level.
    let records = capture.records.load(Ordering::SeqCst);
    eprintln!("checked {} bytes of Debug/Display output and {records} log records", shown.len());
    assert!(records > 0, "nothing was logged at all");
}

#[test]
fn https_by_default_and_http_only_through_an_explicit_override() {
    let default = builder(None).build();
    let urls = |config: &Config| -> Vec<String> {
        let t = transfer::Client::new(config.clone()).unwrap();
        let c = cloudformation::Client::new(config.clone()).unwrap();
        let a = autoscaling::Client::new(config.clone()).unwrap();
        let d = codedeploy::Client::new(config.clone()).unwrap();
        let h = huawei_as::Client::new(config.clone()).unwrap();
        vec![
            t.prepare_send_workflow_step_state(&transfer_input()).unwrap().url,
            c.prepare_list_hook_results(&list_input()).unwrap().url,
            a.prepare_put_lifecycle_hook(&hook_input()).unwrap().url,
            d.prepare_put_lifecycle_event_hook_execution_status(&deploy_input()).unwrap().url,
            h.prepare_callback_lifecycle_hook(&callback_input("g")).unwrap().url,
        ]
    };
    assert_eq!(
        urls(&default),
        [
            "https://transfer.us-east-1.amazonaws.com/".to_owned(),
            "https://cloudformation.us-east-1.amazonaws.com/".to_owned(),
            "https://autoscaling.us-east-1.amazonaws.com/".to_owned(),
            "https://codedeploy.us-east-1.amazonaws.com/".to_owned(),
            format!(
                "https://as.us-east-1.myhuaweicloud.com/autoscaling-api/v1/{HUAWEI_PROJECT}/scaling_instance_hook/g/callback"
            ),
        ]
    );
    for url in urls(&builder(None).region("cn-north-1").build()) {
        assert!(url.starts_with("https://"), "{url}");
    }
    // From the environment: https unless an endpoint variable says otherwise.
    let env = |name: &str| match name {
        "AWS_REGION" | "HUAWEICLOUD_SDK_REGION" => Some("eu-west-1".to_owned()),
        "AWS_ACCESS_KEY_ID" => Some(AWS_KEY_ID.to_owned()),
        "AWS_SECRET_ACCESS_KEY" => Some(AWS_SECRET.to_owned()),
        "HUAWEICLOUD_SDK_AK" => Some(HUAWEI_AK.to_owned()),
        "HUAWEICLOUD_SDK_SK" => Some(HUAWEI_SK.to_owned()),
        "HUAWEICLOUD_SDK_PROJECT_ID" => Some(HUAWEI_PROJECT.to_owned()),
        _ => None,
    };
    for url in urls(&Config::from_env_with(env).unwrap()) {
        assert!(url.starts_with("https://") && url.contains("eu-west-1"), "{url}");
    }
    // Plain http: only as an explicit override, and then exactly where it says.
    for url in urls(&builder(Some("http://127.0.0.1:9")).build()) {
        assert!(url.starts_with("http://127.0.0.1:9/"), "{url}");
    }
    let env_http = |name: &str| match name {
        "AWS_ENDPOINT_URL" => Some("http://127.0.0.1:9".to_owned()),
        other => env(other),
    };
    let from_env = urls(&Config::from_env_with(env_http).unwrap());
    assert!(from_env[..4].iter().all(|u| u.starts_with("http://127.0.0.1:9/")), "{from_env:?}");
    assert!(from_env[4].starts_with("https://as.eu-west-1.myhuaweicloud.com/"), "AWS_ENDPOINT_URL is not Huawei's");
    // Nothing else turns a default endpoint into http, not even a hostile region.
    for region in ["http://evil", "us-east-1/..", "us-east-1@evil", "us-east-1:80", "us-east-1.evil.com#"] {
        let err = transfer::Client::new(builder(None).region(region).build()).unwrap_err();
        assert!(err.to_string().contains("region"), "{region}: {err}");
    }
}

/// The crate roots of every package: the workspace members, plus `fuzz/` (outside the workspace):
/// libraries, binaries, examples and fuzz targets (integration-test files are left out).
fn crate_roots(root: &Path) -> Vec<std::path::PathBuf> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    // `members = [ "a", "b" ]`, on one line or several.
    let start = manifest.find("members").expect("workspace members");
    let list = &manifest[start..start + manifest[start..].find(']').expect("end of members")];
    let mut packages: Vec<String> = list.split('"').skip(1).step_by(2).map(str::to_owned).collect();
    if root.join("fuzz/Cargo.toml").exists() {
        packages.push("fuzz".to_owned());
    }
    // The service crates, members as the facade's path dependencies.
    let services = std::fs::read_dir(root.join("generated/services")).expect("generated/services");
    let mut services: Vec<String> = services.flatten().map(|e| format!("generated/services/{}", e.file_name().to_string_lossy())).collect();
    services.sort();
    packages.extend(services);
    assert!(packages.len() >= 5, "{packages:?}");
    let mut roots = Vec::new();
    for package in packages {
        let dir = root.join(&package);
        let package_manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        for candidate in ["src/lib.rs", "src/main.rs"] {
            if dir.join(candidate).exists() {
                roots.push(dir.join(candidate));
            }
        }
        for dir_of_roots in ["src/bin", "fuzz_targets"] {
            if let Ok(entries) = std::fs::read_dir(dir.join(dir_of_roots)) {
                roots.extend(entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "rs")));
            }
        }
        // `[[bin]]` and `[[example]]` targets with a `path = "..."`.
        let mut in_target = false;
        for line in package_manifest.lines().map(str::trim) {
            if line.starts_with('[') {
                in_target = line == "[[bin]]" || line == "[[example]]";
            } else if in_target && line.starts_with("path") {
                let path = line.split('"').nth(1).unwrap();
                roots.push(dir.join(path));
            }
        }
    }
    roots.sort();
    roots.dedup();
    roots
}

fn forbids_unsafe(path: &Path) -> bool {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines().any(|l| l.trim() == "#![forbid(unsafe_code)]")
}

#[test]
fn every_crate_forbids_unsafe_code() {
    let root = tests::repo_root();
    let roots = crate_roots(&root);
    let names: Vec<String> =
        roots.iter().map(|p| p.strip_prefix(&root).unwrap().display().to_string()).collect::<Vec<_>>();
    for required in [
        "codegen/src/lib.rs",
        "runtime/src/lib.rs",
        "xtask/src/lib.rs",
        "xtask/src/main.rs",
        "tests/src/lib.rs",
        "generated/src/lib.rs",
        "generated/services/autoscaling/src/lib.rs",
        "generated/services/huawei_as/src/lib.rs",
        "generated/cli/src/main.rs",
        "examples/transfer.rs",
        "fuzz/fuzz_targets/xml_result.rs",
    ] {
        assert!(names.iter().any(|n| n == required), "{required} not found among {names:?}");
    }
    let missing: Vec<&String> = roots.iter().zip(&names).filter(|(p, _)| !forbids_unsafe(p)).map(|(_, n)| n).collect();
    assert!(missing.is_empty(), "crate roots without #![forbid(unsafe_code)]: {missing:?}");
}

//! The generated answer parsers on any answer: an operation of each protocol
//! (awsJson 1.1, awsQuery, Huawei REST, and the bindings fixture's restJson1
//! operations with header, status-code, prefix-header, payload, union and
//! document members) reads any status, headers and body into its output or a
//! typed error, never a panic, and the error keeps the answer's status.
#![no_main]
#![forbid(unsafe_code)]

use std::future::Future;

use libfuzzer_sys::fuzz_target;
use lifecycle_hooks::runtime::testing::InMemoryTransport;
use lifecycle_hooks::runtime::{AwsCredentials, Config, Error, HuaweiCredentials, Response, RetryConfig, ServiceError};
use lifecycle_hooks::{autoscaling, cloudformation, huawei_as, transfer};
use tests::fixtures::bindings;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let resp = response(rest);
    let status = resp.status;
    let transport = InMemoryTransport::new([resp]);
    let cfg = Config::builder()
        .region("us-east-1")
        .aws_credentials(AwsCredentials::new("AKIDEXAMPLE", "secret", None))
        .huawei_credentials(HuaweiCredentials::new("AK", "SK", "0123456789abcdef0123456789abcdef"))
        .retry(RetryConfig::disabled())
        .validate(false)
        .transport(transport)
        .build();
    match which % 10 {
        0 => check(status, run(autoscaling::Client::new(cfg).unwrap().describe_lifecycle_hooks(
            autoscaling::DescribeLifecycleHooksInput::new("asg"),
        ))),
        1 => check(status, run(cloudformation::Client::new(cfg).unwrap().list_hook_results(
            cloudformation::ListHookResultsInput::new(),
        ))),
        2 => check(status, run(cloudformation::Client::new(cfg).unwrap().get_hook_result(
            cloudformation::GetHookResultInput::new(),
        ))),
        3 => check(status, run(transfer::Client::new(cfg).unwrap().describe_execution(
            transfer::DescribeExecutionInput::new("e", "w"),
        ))),
        4 => check(status, run(transfer::Client::new(cfg).unwrap().list_executions(
            transfer::ListExecutionsInput::new("w"),
        ))),
        5 => check(status, run(huawei_as::Client::new(cfg).unwrap().list_lifecycle_hooks(
            huawei_as::ListLifecycleHooksInput::new("g"),
        ))),
        6 => check(status, run(huawei_as::Client::new(cfg).unwrap().list_hook_instances(
            huawei_as::ListHookInstancesInput::new("g"),
        ))),
        7 => check(status, run(bindings::Client::new(cfg).unwrap().get_blob(bindings::GetBlobInput::new()))),
        8 => check(status, run(bindings::Client::new(cfg).unwrap().put_thing(
            bindings::PutThingInput::new("id", "k", "tenant-7"),
        ))),
        _ => check(status, run(bindings::Client::new(cfg).unwrap().ping(bindings::PingInput::new()))),
    }
});

fn run<T>(call: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(call)
}

/// An output, or an error that says something; a service error keeps the status.
fn check<O, E: ServiceError>(status: u16, result: Result<O, Error<E>>) {
    if let Err(e) = result {
        if let Error::Service(s) = &e {
            assert_eq!(s.meta().http_status, status);
            assert!(!s.meta().code.is_empty());
        }
        assert!(!e.to_string().is_empty());
    }
}

/// Two bytes of status, then header lines `name: value` up to a blank line, then the body.
fn response(data: &[u8]) -> Response {
    let status = u16::from_be_bytes([data.first().copied().unwrap_or(0), data.get(1).copied().unwrap_or(0)]);
    let rest = data.get(2..).unwrap_or_default();
    let (head, body) = match rest.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&rest[..i], &rest[i + 2..]),
        None => (&[][..], rest),
    };
    let headers = head
        .split(|b| *b == b'\n')
        .filter_map(|line| {
            let line = String::from_utf8_lossy(line);
            let (k, v) = line.split_once(':')?;
            Some((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect();
    Response { status, headers, body: body.to_vec() }
}

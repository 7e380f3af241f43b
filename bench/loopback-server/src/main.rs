//! A tiny HTTP/1.1 server on 127.0.0.1 answering every request with a canned
//! success for the operation it recognises (thread per connection, keep-alive,
//! std only). Both benchmark clients talk to this same process, so the client
//! process's CPU time is the client's alone.
//!
//! `loopback-server [PORT]` (0 = any free port); prints `listening on <port>`
//! on stdout once bound, then serves until killed.
//!
//! Two answers are large, for the parsing cost per MB (bench/large-answers.sh):
//! `DescribeLifecycleHooks` (Auto Scaling) and `ListHookResults` without a
//! `TargetId` (CloudFormation: every invocation of a hook, the form whose items
//! carry `InvokedAt` and `HookExecutionTarget`) are answered with 10,000
//! items, every member of the item shape set (botocore's `LifecycleHook` and
//! `HookResultSummary`), indented as AWS's awsQuery answers are. The answers
//! are made once, at the first request for them.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::OnceLock;

/// How many items the large answers hold (bench/common/harness.rs's `LARGE_ITEMS`).
const LARGE_ITEMS: usize = 10_000;

const ASG_OK: &str = "<PutLifecycleHookResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">\
<PutLifecycleHookResult/><ResponseMetadata><RequestId>8d4c2b4e-0000-4000-8000-000000000001</RequestId>\
</ResponseMetadata></PutLifecycleHookResponse>";

const CFN_OK: &str = "<ListHookResultsResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">\
<ListHookResultsResult><TargetType>CHANGE_SET</TargetType>\
<TargetId>arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/0a1b</TargetId><HookResults><member>\
<InvocationPoint>PRE_PROVISION</InvocationPoint><FailureMode>FAIL</FailureMode><TypeName>My::Hook::Type</TypeName>\
<TypeVersionId>00000001</TypeVersionId><TypeConfigurationVersionId>00000001</TypeConfigurationVersionId>\
<Status>HOOK_COMPLETE_SUCCEEDED</Status><HookStatusReason>ok</HookStatusReason></member></HookResults>\
</ListHookResultsResult><ResponseMetadata><RequestId>8d4c2b4e-0000-4000-8000-000000000002</RequestId>\
</ResponseMetadata></ListHookResultsResponse>";

const CODEDEPLOY_OK: &str = "{\"lifecycleEventHookExecutionId\":\"eyJlbmNyeXB0ZWREYXRhIjoiYWJjIn0=\"}";

/// `DescribeLifecycleHooks`: 10,000 hooks of one group, every field set.
fn describe_lifecycle_hooks() -> &'static str {
    static ANSWER: OnceLock<String> = OnceLock::new();
    ANSWER.get_or_init(|| {
        let mut x = String::with_capacity(LARGE_ITEMS * 700);
        x.push_str("<DescribeLifecycleHooksResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">\n");
        x.push_str("  <DescribeLifecycleHooksResult>\n    <LifecycleHooks>\n");
        for i in 0..LARGE_ITEMS {
            let (transition, result) =
                if i % 2 == 0 { ("LAUNCHING", "CONTINUE") } else { ("TERMINATING", "ABANDON") };
            let heartbeat = 30 + (i % 120) * 60;
            let global = (heartbeat * 100).min(172_800);
            let _ = write!(
                x,
                "      <member>\n\
                 \x20       <LifecycleHookName>hook-{i:05}</LifecycleHookName>\n\
                 \x20       <AutoScalingGroupName>my-asg</AutoScalingGroupName>\n\
                 \x20       <LifecycleTransition>autoscaling:EC2_INSTANCE_{transition}</LifecycleTransition>\n\
                 \x20       <NotificationTargetARN>arn:aws:sqs:us-east-1:123456789012:hooks-{q}</NotificationTargetARN>\n\
                 \x20       <RoleARN>arn:aws:iam::123456789012:role/asg-hooks</RoleARN>\n\
                 \x20       <NotificationMetadata>{{&quot;hook&quot;:{i},&quot;team&quot;:&quot;infra&quot;}}</NotificationMetadata>\n\
                 \x20       <HeartbeatTimeout>{heartbeat}</HeartbeatTimeout>\n\
                 \x20       <GlobalTimeout>{global}</GlobalTimeout>\n\
                 \x20       <DefaultResult>{result}</DefaultResult>\n\
                 \x20     </member>\n",
                q = i % 16
            );
        }
        x.push_str("    </LifecycleHooks>\n  </DescribeLifecycleHooksResult>\n");
        x.push_str("  <ResponseMetadata>\n    <RequestId>8d4c2b4e-0000-4000-8000-000000000003</RequestId>\n");
        x.push_str("  </ResponseMetadata>\n</DescribeLifecycleHooksResponse>\n");
        x
    })
}

/// `ListHookResults` by `TypeArn`: 10,000 invocations of one hook, every field set.
fn list_hook_results() -> &'static str {
    static ANSWER: OnceLock<String> = OnceLock::new();
    ANSWER.get_or_init(|| {
        const STATUS: [&str; 4] = ["HOOK_COMPLETE_SUCCEEDED", "HOOK_COMPLETE_FAILED", "HOOK_IN_PROGRESS", "HOOK_FAILED"];
        const REASON: [&str; 4] = [
            "Hook succeeded",
            "Template failed validation: S3 bucket must have encryption enabled",
            "Hook is running",
            "Hook handler timed out",
        ];
        let mut x = String::with_capacity(LARGE_ITEMS * 1100);
        x.push_str("<ListHookResultsResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">\n");
        x.push_str("  <ListHookResultsResult>\n    <HookResults>\n");
        for i in 0..LARGE_ITEMS {
            let (target_type, target) = match i % 3 {
                0 => ("STACK", format!("arn:aws:cloudformation:us-east-1:123456789012:stack/app-{i:05}/2f1c0a4e-5b6d-4e7f-8a9b-0c1d{i:08x}")),
                1 => ("RESOURCE", format!("AppBucket{i:05}")),
                _ => ("CHANGE_SET", format!("arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs-{i:05}/7e8f9a0b-1c2d-4e3f-9a5b-6c7d{i:08x}")),
            };
            let _ = write!(
                x,
                "      <member>\n\
                 \x20       <HookResultId>5b9c3d1e-0f2a-4b6c-8d7e-{i:012x}</HookResultId>\n\
                 \x20       <InvocationPoint>PRE_PROVISION</InvocationPoint>\n\
                 \x20       <FailureMode>{mode}</FailureMode>\n\
                 \x20       <TypeName>MyCompany::Security::S3Encryption</TypeName>\n\
                 \x20       <TypeVersionId>00000004</TypeVersionId>\n\
                 \x20       <TypeConfigurationVersionId>00000002</TypeConfigurationVersionId>\n\
                 \x20       <Status>{status}</Status>\n\
                 \x20       <HookStatusReason>{reason}</HookStatusReason>\n\
                 \x20       <InvokedAt>2026-11-{day:02}T{h:02}:{m:02}:{s:02}.{ms:03}Z</InvokedAt>\n\
                 \x20       <TargetType>{target_type}</TargetType>\n\
                 \x20       <TargetId>{target}</TargetId>\n\
                 \x20       <TypeArn>arn:aws:cloudformation:us-east-1:123456789012:type/hook/MyCompany-Security-S3Encryption</TypeArn>\n\
                 \x20       <HookExecutionTarget>{target}</HookExecutionTarget>\n\
                 \x20     </member>\n",
                mode = if i % 5 == 0 { "WARN" } else { "FAIL" },
                status = STATUS[i % 4],
                reason = REASON[i % 4],
                day = 1 + i / 1000 % 28,
                h = i / 60 % 24,
                m = i % 60,
                s = i * 7 % 60,
                ms = i % 1000,
            );
        }
        x.push_str("    </HookResults>\n  </ListHookResultsResult>\n");
        x.push_str("  <ResponseMetadata>\n    <RequestId>8d4c2b4e-0000-4000-8000-000000000004</RequestId>\n");
        x.push_str("  </ResponseMetadata>\n</ListHookResultsResponse>\n");
        x
    })
}

struct Canned {
    status: &'static str,
    content_type: &'static str,
    body: &'static str,
}

fn answer_for(method: &str, target: Option<&str>, body: &[u8]) -> Canned {
    let xml = |body| Canned { status: "200 OK", content_type: "text/xml", body };
    let json = |body| Canned { status: "200 OK", content_type: "application/x-amz-json-1.1", body };
    let has = |needle: &[u8]| body.windows(needle.len()).any(|w| w == needle);
    match target {
        Some(t) if t.contains("CodeDeploy") => json(CODEDEPLOY_OK),
        Some(_) => json("{}"),
        None if has(b"Action=PutLifecycleHook") => xml(ASG_OK),
        None if has(b"Action=DescribeLifecycleHooks&") => xml(describe_lifecycle_hooks()),
        None if has(b"Action=ListHookResults&") && !has(b"&TargetId=") => xml(list_hook_results()),
        None if has(b"Action=ListHookResults") => xml(CFN_OK),
        // Huawei Cloud AS: PUT .../scaling_instance_hook/{id}/callback answers 204.
        None if method == "PUT" => Canned { status: "204 No Content", content_type: "application/json", body: "" },
        None => Canned { status: "404 Not Found", content_type: "text/plain", body: "unknown operation" },
    }
}

fn serve(stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut body = Vec::new();
    let mut out = Vec::with_capacity(1024);
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let method = line.split(' ').next().unwrap_or("").to_owned();
        let (mut length, mut chunked, mut close, mut target) = (0usize, false, false, None);
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let Some((name, value)) = header.split_once(':') else { continue };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().unwrap_or(0);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            } else if name.eq_ignore_ascii_case("x-amz-target") {
                target = Some(value.to_owned());
            }
        }
        body.clear();
        if chunked {
            loop {
                line.clear();
                reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
                let start = body.len();
                body.resize(start + size + 2, 0);
                reader.read_exact(&mut body[start..])?;
                body.truncate(start + size);
                if size == 0 {
                    // trailers until the blank line
                    loop {
                        line.clear();
                        if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
                            break;
                        }
                    }
                    break;
                }
            }
        } else {
            body.resize(length, 0);
            reader.read_exact(&mut body)?;
        }
        let canned = answer_for(&method, target.as_deref(), &body);
        out.clear();
        write!(
            out,
            "HTTP/1.1 {}\r\nx-amzn-RequestId: 8d4c2b4e-0000-4000-8000-00000000000f\r\nContent-Type: {}\r\n",
            canned.status, canned.content_type
        )?;
        if !canned.status.starts_with("204") {
            write!(out, "Content-Length: {}\r\n", canned.body.len())?;
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(canned.body.as_bytes());
        writer.write_all(&out)?;
        if close {
            return Ok(());
        }
    }
}

fn main() {
    let port: u16 = std::env::args().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind 127.0.0.1");
    println!("listening on {}", listener.local_addr().expect("local addr").port());
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || {
            let _ = serve(stream);
        });
    }
}

//! A tiny HTTP/1.1 server on 127.0.0.1 answering every request with a canned
//! success for the operation it recognises (thread per connection, keep-alive,
//! std only). Both benchmark clients talk to this same process, so the client
//! process's CPU time is the client's alone.
//!
//! `loopback-server [PORT]` (0 = any free port); prints `listening on <port>`
//! on stdout once bound, then serves until killed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

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

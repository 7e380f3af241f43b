//! The per-call floor (see Cargo.toml): PutLifecycleHook as bench/ours sends
//! it, with nothing but what any client must do per call. The harness is
//! bench/ours's and bench/peer-aws-sdk's (bench/common/harness.rs); `once`
//! makes one call, there is no large mode.
//!
//! Per call: write the awsQuery form (percent-encoding the values), sign it
//! with SigV4 (aws-sigv4, at the current time, `Host` and `Content-Type`
//! signed, as ours signs), put the headers ours sends on a hyper request
//! (`Host`, `Content-Type`, `X-Amz-Date`, `Authorization`, `User-Agent` of
//! the same length, `Content-Length`, `Accept`: the request is ours byte for
//! byte but for the signature and the agent's name), take an idle connection
//! or open one, send, read the whole answer and check that its status is 200,
//! and put the connection back if hyper says it can carry another request. The calling task drives
//! the connection while its request is in flight (no task per connection),
//! the cheapest way hyper offers to reuse connections.

#[path = "../../common/harness.rs"]
mod harness;

use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::SystemTime;

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use harness::CallFuture;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderValue, USER_AGENT};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";

type Driver = http1::Connection<TokioIo<TcpStream>, Full<Bytes>>;
type Conn = (http1::SendRequest<Full<Bytes>>, Driver);

struct Floor {
    /// `host:port`, as connected to and sent in `Host`.
    authority: String,
    /// `http://host:port/`, as signed.
    url: String,
    identity: Identity,
    idle: Mutex<Vec<Conn>>,
}

#[derive(Clone)]
struct Client(Arc<Floor>);

/// `name=value&…`, encoded as Python's `urlencode` does (and ours).
fn form(pairs: &[(&str, &str)]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(256);
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        for (j, part) in [name, value].into_iter().enumerate() {
            if j > 0 {
                out.push('=');
            }
            for &b in part.as_bytes() {
                match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
                    b' ' => out.push('+'),
                    _ => {
                        out.push('%');
                        out.push(HEX[usize::from(b >> 4)] as char);
                        out.push(HEX[usize::from(b & 15)] as char);
                    }
                }
            }
        }
    }
    out
}

impl Client {
    async fn put_lifecycle_hook(&self) -> Result<(), String> {
        let floor = &*self.0;
        // The members in the order ours writes them: the same bytes on the wire.
        let heartbeat = 300.to_string();
        let body = form(&[
            ("Action", "PutLifecycleHook"),
            ("Version", "2011-01-01"),
            ("AutoScalingGroupName", "my-asg"),
            ("LifecycleHookName", "my-launch-hook"),
            ("DefaultResult", "CONTINUE"),
            ("HeartbeatTimeout", &heartbeat),
            ("LifecycleTransition", "autoscaling:EC2_INSTANCE_LAUNCHING"),
        ]);
        let params = v4::SigningParams::builder()
            .identity(&floor.identity)
            .region("us-east-1")
            .name("autoscaling")
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| e.to_string())?
            .into();
        let signed = [("host", floor.authority.as_str()), ("content-type", FORM)];
        let signable =
            SignableRequest::new("POST", &floor.url, signed.into_iter(), SignableBody::Bytes(body.as_bytes()))
                .map_err(|e| e.to_string())?;
        let (instructions, _) = sign(signable, &params).map_err(|e| e.to_string())?.into_parts();
        let length = body.len();
        let mut request = hyper::Request::post("/")
            .header(HOST, floor.authority.as_str())
            .header(CONTENT_TYPE, HeaderValue::from_static(FORM))
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        instructions.apply_to_request_http1x(&mut request);
        let headers = request.headers_mut();
        headers.insert(USER_AGENT, HeaderValue::from_static("lifecycle-floor/0.1.0"));
        headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
        headers.insert(ACCEPT, HeaderValue::from_static("*/*"));

        let pooled = floor.idle.lock().unwrap().pop();
        let (mut sender, driver) = match pooled {
            Some(conn) => conn,
            None => floor.connect().await?,
        };
        let mut driver = Some(driver);
        let answer = drive(&mut driver, sender.send_request(request)).await.map_err(|e| e.to_string())?;
        let status = answer.status();
        let body = drive(&mut driver, answer.into_body().collect()).await.map_err(|e| e.to_string())?.to_bytes();
        if status != hyper::StatusCode::OK {
            return Err(format!("PutLifecycleHook: status {status}: {}", String::from_utf8_lossy(&body)));
        }
        // One more turn lets hyper finish the exchange and mark the connection idle (or closed).
        if let Some(mut driver) = driver
            && Pin::new(&mut driver).poll(&mut Context::from_waker(Waker::noop())).is_pending()
            && sender.is_ready()
        {
            floor.idle.lock().unwrap().push((sender, driver));
        }
        Ok(())
    }
}

impl Floor {
    async fn connect(&self) -> Result<Conn, String> {
        let tcp = TcpStream::connect(&self.authority).await.map_err(|e| e.to_string())?;
        tcp.set_nodelay(true).map_err(|e| e.to_string())?;
        http1::handshake(TokioIo::new(tcp)).await.map_err(|e| e.to_string())
    }
}

/// Polls `work` and the connection together until `work` is done; should the
/// connection end first, it is dropped (settling whatever waits on it).
async fn drive<T>(driver: &mut Option<Driver>, work: impl Future<Output = T>) -> T {
    let mut work = pin!(work);
    let ended = poll_fn(|cx| {
        if let Poll::Ready(done) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(done));
        }
        match driver.as_mut().map(|d| Pin::new(d).poll(cx)) {
            Some(Poll::Ready(_)) => Poll::Ready(None),
            _ => Poll::Pending,
        }
    })
    .await;
    match ended {
        Some(done) => done,
        None => {
            *driver = None;
            work.await
        }
    }
}

fn put_lifecycle_hook(c: Client) -> CallFuture {
    Box::pin(async move { c.put_lifecycle_hook().await })
}

fn once(c: Client) -> CallFuture {
    Box::pin(async move {
        c.put_lifecycle_hook().await?;
        println!("floor PutLifecycleHook: ok");
        Ok(())
    })
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let endpoint = std::env::args().nth(1).ok_or("usage: bench-floor-call <endpoint-url> <mode> ...")?;
    let authority = endpoint.strip_prefix("http://").ok_or("the floor speaks plain http only")?;
    let authority = authority.trim_end_matches('/').to_owned();
    let credentials = aws_credential_types::Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "bench-floor-call",
    );
    let client = Client(Arc::new(Floor {
        url: format!("http://{authority}/"),
        authority,
        identity: credentials.into(),
        idle: Mutex::new(Vec::new()),
    }));
    harness::main("floor", client, put_lifecycle_hook, once, &[]).await
}

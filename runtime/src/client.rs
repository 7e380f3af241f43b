//! The handle generated clients hold: it signs, sends, retries, and hands
//! answers to the generated parsers.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::config::{Config, ConfigError};
use crate::credentials::cache::AwsIdentity;
use crate::credentials::{AwsSlot, CredentialsError};
#[cfg(feature = "huawei")]
use crate::credentials::{HuaweiCredentials, HuaweiSlot};
use crate::endpoint::Endpoint;
use crate::error::{Error, ServiceError};
use crate::service::{OperationMeta, ServiceMeta, SigningScheme};
#[cfg(feature = "huawei")]
use crate::sign::huawei;
use crate::sign::sigv4;
use crate::validate::ValidationError;
use crate::{path, protocol, retry, trace, transport};

/// A request as generated code describes it, before endpoint, signing and transport headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Already percent-encoded, labels through [`path::encode_segment`].
    pub path: String,
    /// Raw pairs, in order (a key without `=` has no value); encoded (RFC 3986)
    /// when sent, and sorted for Huawei Cloud, whose signature requires it.
    pub query: Vec<(String, Option<String>)>,
    /// HTTP headers the operation sets (`Content-Type`, `X-Amz-Target`, ...).
    pub headers: Vec<(String, String)>,
    /// The body, as sent.
    pub body: Vec<u8>,
    /// Put before the endpoint's host (`{label}.data.`), labels already checked.
    pub host_prefix: Option<String>,
}

impl Request {
    /// A request with these parts and no host prefix; query pairs all have values.
    pub fn new(path: String, query: Vec<(String, String)>, headers: Vec<(String, String)>, body: Vec<u8>) -> Self {
        let query = query.into_iter().map(|(k, v)| (k, Some(v))).collect();
        Self { path, query, headers, body, host_prefix: None }
    }
}

/// A signed request exactly as it goes on the wire: every header is listed.
#[derive(Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    /// HTTP method, upper case.
    pub method: String,
    /// The absolute URL: endpoint, path and the encoded, sorted query.
    pub url: String,
    /// Every header as sent, in order, `Host` first, the signature included.
    pub headers: Vec<(String, String)>,
    /// The body, as sent.
    pub body: Vec<u8>,
}

/// Headers whose values are credentials in their own right.
const SECRET_HEADERS: &[&str] = &["x-amz-security-token", "x-security-token"];

impl PreparedRequest {
    /// The first header of this name, any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The headers with session tokens masked: what to print for `--dry-run`.
    pub fn redacted_headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .map(|(k, v)| {
                let secret = SECRET_HEADERS.iter().any(|s| k.eq_ignore_ascii_case(s));
                (k.clone(), if secret { "** redacted **".to_owned() } else { v.clone() })
            })
            .collect()
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.redacted_headers())
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

/// A whole HTTP answer (its body read up to the configured cap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// Names in lower case as received; values lossily decoded.
    pub headers: Vec<(String, String)>,
    /// The body, read up to the configured cap.
    pub body: Vec<u8>,
}

impl Response {
    /// The first header of this name, any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// One per generated service client; clones share the connection pool.
#[derive(Clone, Debug)]
pub struct Handle {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    service: &'static ServiceMeta,
    config: Config,
    endpoint: Endpoint,
    region: Option<String>,
    sender: Sender,
    /// Connections to host-prefixed origins (`{label}.service.region.amazonaws.com`), by host.
    prefixed: std::sync::Mutex<Vec<(String, transport::Client)>>,
    /// The AWS credentials (SigV4 services), fixed or a provider's.
    aws: Option<AwsSlot>,
    /// The Huawei Cloud credentials (Huawei services), fixed or a provider's.
    #[cfg(feature = "huawei")]
    huawei: Option<HuaweiSlot>,
    /// The Huawei project id, known before any credentials are fetched (`None` for AWS).
    project_id: Option<String>,
    /// Attempts started by `call` through this handle and its clones.
    attempts: AtomicU64,
}

/// Where attempts go: the built-in HTTP/1.1 client, or the configured transport.
enum Sender {
    Http(transport::Client),
    Custom(Arc<dyn transport::Transport>),
}

impl fmt::Debug for Sender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sender::Http(http) => http.fmt(f),
            Sender::Custom(_) => f.write_str("Custom(dyn Transport)"),
        }
    }
}

impl Handle {
    /// Resolves the endpoint and checks that the service's credentials are
    /// there, or that a source is configured that can give them at the first
    /// call (a profile's role, web identity, container or instance metadata).
    /// Reads files but makes no request.
    pub fn new(service: &'static ServiceMeta, config: Config) -> Result<Handle, ConfigError> {
        let (endpoint, region) = Endpoint::resolve(service, &config)?;
        let credentials_error = |error| ConfigError::Credentials { service: service.name, error };
        #[cfg(feature = "huawei")]
        let mut huawei = None;
        let aws = match service.signing {
            SigningScheme::SigV4 { .. } => {
                if region.is_none() {
                    return Err(ConfigError::MissingRegion { service: service.name });
                }
                let Some(slot) = config.aws_slot() else {
                    let hint = "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
                    return Err(ConfigError::MissingCredentials { service: service.name, hint });
                };
                slot.precheck().map_err(credentials_error)?;
                Some(slot)
            }
            #[cfg(feature = "huawei")]
            SigningScheme::HuaweiSdkHmacSha256 => {
                let Some(slot) = config.huawei_slot() else {
                    let hint = "HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and HUAWEICLOUD_SDK_PROJECT_ID";
                    return Err(ConfigError::MissingCredentials { service: service.name, hint });
                };
                slot.precheck().map_err(credentials_error)?;
                huawei = Some(slot);
                None
            }
        };
        #[cfg(feature = "huawei")]
        let project_id = huawei
            .as_ref()
            .and_then(|slot| slot.current().map(|c| c.project_id().to_owned()))
            .or_else(|| config.huawei_project_hint().map(str::to_owned));
        #[cfg(not(feature = "huawei"))]
        let project_id = None;
        let sender = match config.transport() {
            Some(custom) => Sender::Custom(Arc::clone(custom)),
            None => Sender::Http(transport::client(&config, endpoint.uri())?),
        };
        let attempts = AtomicU64::new(0);
        let prefixed = std::sync::Mutex::new(Vec::new());
        let inner = Inner {
            service,
            config,
            endpoint,
            region,
            sender,
            prefixed,
            aws,
            #[cfg(feature = "huawei")]
            huawei,
            project_id,
            attempts,
        };
        Ok(Handle { inner: Arc::new(inner) })
    }

    /// The static facts of the service this handle calls.
    pub fn service(&self) -> &'static ServiceMeta {
        self.inner.service
    }

    /// The configuration the handle was made with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// How many attempts `call` has started through this handle and its clones
    /// since it was made: a call that was retried twice counts three. Read it
    /// before and after a call to see how often that call tried.
    pub fn attempts(&self) -> u64 {
        self.inner.attempts.load(Ordering::Relaxed)
    }

    /// Whether generated code validates inputs before sending them.
    pub fn validation_enabled(&self) -> bool {
        self.inner.config.validate()
    }

    /// Values generated code puts into requests: `project_id` (Huawei) and `region`.
    pub fn client_parameter(&self, name: &str) -> Option<&str> {
        match name {
            "project_id" => self.inner.project_id.as_deref(),
            "region" => self.inner.region.as_deref(),
            _ => None,
        }
    }

    /// Resolves the credentials now (from their provider if need be), as the
    /// first call would: after it, [`Self::prepare`] can sign with them.
    pub async fn resolve_credentials(&self) -> Result<(), CredentialsError> {
        if let Some(aws) = &self.inner.aws {
            aws.resolve().await?;
        }
        #[cfg(feature = "huawei")]
        if let Some(huawei) = &self.inner.huawei {
            huawei.resolve().await?;
        }
        Ok(())
    }

    /// The AWS credentials to sign with now: known and not expired.
    fn current_aws(&self) -> Result<Arc<AwsIdentity>, String> {
        let slot = self.inner.aws.as_ref().ok_or("no AWS credentials")?;
        slot.current().ok_or_else(|| not_resolved(slot.name()))
    }

    /// The Huawei credentials to sign with now: known and not expired.
    #[cfg(feature = "huawei")]
    fn current_huawei(&self) -> Result<Arc<HuaweiCredentials>, String> {
        let slot = self.inner.huawei.as_ref().ok_or("no Huawei Cloud credentials")?;
        slot.current().ok_or_else(|| not_resolved(slot.name()))
    }

    /// Builds and signs `request` exactly as `call` would send its first attempt; sends nothing.
    /// Credentials that come from a provider must be resolved first (by a call,
    /// or [`Self::resolve_credentials`]); static ones are known already.
    pub fn prepare(&self, op: &'static OperationMeta, request: &Request) -> Result<PreparedRequest, String> {
        self.build(op, request, self.signing_time())
    }

    /// The request an operation sends: `checked` is the input's validation
    /// (`Ok` when validation is off) and, once it passed, the built request.
    /// Not generic, so that each operation compiles a call and [`Error::widen`]
    /// instead of its own `Validation` and `Build` constructors.
    pub fn checked_request(
        &self,
        checked: Result<Result<Request, String>, ValidationError>,
    ) -> Result<Request, Error<Infallible>> {
        checked.map_err(Error::Validation)?.map_err(Error::Build)
    }

    /// An operation's `prepare_` method: [`Handle::checked_request`], then signed.
    pub fn prepare_input(
        &self,
        op: &'static OperationMeta,
        checked: Result<Result<Request, String>, ValidationError>,
    ) -> Result<PreparedRequest, Error<Infallible>> {
        let request = self.checked_request(checked)?;
        self.prepare(op, &request).map_err(Error::Build)
    }

    /// Signs and sends `request`, retrying per the configured policy. A success
    /// status goes to `parse_ok` (its `Err` becomes [`Error::Response`]), any
    /// other answer to `parse_err`. Each attempt is signed anew.
    ///
    /// Runs on a Tokio runtime with time and I/O enabled (as `#[tokio::main]` sets up).
    pub async fn call<O, E: ServiceError>(
        &self,
        op: &'static OperationMeta,
        request: Request,
        parse_ok: fn(&Response) -> Result<O, String>,
        parse_err: fn(&Response) -> E,
    ) -> Result<O, Error<E>> {
        let config = &self.inner.config;
        // A limit too far away to represent (`Duration::MAX`) is no limit.
        let deadline = config.total_timeout().and_then(|t| Some((Instant::now().checked_add(t)?, t)));
        let max_attempts = config.retry().max_attempts.max(1);
        let (span, started) = trace::call(self.inner.service.name, op.name);
        let mut attempt = 1;
        loop {
            // The exchange is the same code for every operation (compiled once, here);
            // only reading its answer depends on the operation.
            let err = match self.exchange_boxed(op, &request, deadline, &span, attempt).await {
                Ok(response) => match self.read(op, &response, parse_ok, parse_err) {
                    Ok(output) => {
                        trace::call_done(&span, started, attempt, "ok");
                        return Ok(output);
                    }
                    Err(err) => err,
                },
                Err(err) => err.widen(),
            };
            if attempt >= max_attempts || !retry::should_retry(&err, op.idempotent) {
                trace::call_done(&span, started, attempt, err.code());
                return Err(err);
            }
            let retry_after = match &err {
                Error::Service(e) => e.meta().retry_after,
                _ => None,
            };
            let delay = retry::delay(config.retry(), attempt, retry_after);
            if deadline.is_some_and(|(at, _)| Instant::now().checked_add(delay).is_none_or(|wake| wake >= at)) {
                trace::call_done(&span, started, attempt, err.code());
                return Err(err);
            }
            trace::retry(&span, attempt, delay, err.code());
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// [`Self::exchange`] behind a pointer made here: its state machine (hyper,
    /// rustls, tokio) is then compiled in this crate, once, rather than again in
    /// every crate that awaits an operation (one allocation per attempt).
    fn exchange_boxed<'a>(
        &'a self,
        op: &'static OperationMeta,
        request: &'a Request,
        deadline: Option<(Instant, Duration)>,
        call_span: &'a trace::Span,
        attempt: u32,
    ) -> Pin<Box<dyn Future<Output = Result<Response, Error<Infallible>>> + Send + 'a>> {
        Box::pin(async move {
            let service = self.inner.service;
            let span = trace::attempt(call_span, service.name, op.name, attempt);
            let started = Instant::now();
            let result = self.exchange(op, request, deadline).await;
            match &result {
                Ok(r) => trace::answered(&span, started, r.status, || protocol::request_id(service.protocol, r)),
                Err(e) => trace::failed(&span, started, failure_kind(e)),
            }
            result
        })
    }

    /// One attempt up to the whole answer: build, sign, send, read, within the time limits.
    async fn exchange(
        &self,
        op: &'static OperationMeta,
        request: &Request,
        deadline: Option<(Instant, Duration)>,
    ) -> Result<Response, Error<Infallible>> {
        let inner = &*self.inner;
        inner.attempts.fetch_add(1, Ordering::Relaxed);
        // Fresh credentials (refreshed ahead of expiry) before every attempt; `build` signs with them.
        // Each provider bounds its own fetches; the call's total limit bounds them too.
        let resolve = self.resolve_credentials();
        let resolved = match deadline {
            Some((at, total)) => tokio::time::timeout(at.saturating_duration_since(Instant::now()), resolve)
                .await
                .map_err(|_| Error::Timeout { after: total })?,
            None => resolve.await,
        };
        resolved.map_err(|e| Error::Build(e.to_string()))?;
        let prepared = self.build(op, request, self.signing_time()).map_err(Error::Build)?;
        let max_body = inner.config.max_response_bytes();
        let http;
        let outgoing = match &inner.sender {
            Sender::Http(default) => {
                http = self.http_for(default, request).map_err(Error::Build)?;
                transport::Outgoing::Http(&http, self.to_http(prepared).map_err(Error::Build)?)
            }
            Sender::Custom(custom) => transport::Outgoing::Custom(custom.as_ref(), prepared),
        };
        let send = outgoing.send(max_body);
        // The attempt limit, or what is left of the total one, whichever is shorter.
        let mut limit = inner.config.attempt_timeout().map(|t| (t, t));
        if let Some((at, total)) = deadline {
            let left = at.saturating_duration_since(Instant::now());
            if limit.is_none_or(|(t, _)| left < t) {
                limit = Some((left, total));
            }
        }
        match limit {
            Some((t, after)) => tokio::time::timeout(t, send).await.map_err(|_| Error::Timeout { after })?,
            None => send.await,
        }
    }

    /// The connections for `request`'s origin: the endpoint's (`default`), or its host-prefixed form's.
    fn http_for(&self, default: &transport::Client, request: &Request) -> Result<transport::Client, String> {
        let inner = &*self.inner;
        let endpoint = inner.endpoint.with_host_prefix(request.host_prefix.as_deref());
        if let std::borrow::Cow::Borrowed(_) = endpoint {
            return Ok(default.clone());
        }
        let mut prefixed = inner.prefixed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, client)) = prefixed.iter().find(|(host, _)| host == endpoint.host()) {
            return Ok(client.clone());
        }
        let client = transport::client(&inner.config, endpoint.uri()).map_err(|e| e.to_string())?;
        // A few prefixed hosts per client in practice; a bound keeps a hostile caller from growing it.
        if prefixed.len() >= 64 {
            prefixed.remove(0);
        }
        prefixed.push((endpoint.host().to_owned(), client.clone()));
        Ok(client)
    }

    /// A success status goes to `parse_ok`, any other to `parse_err`.
    fn read<O, E: ServiceError>(
        &self,
        op: &'static OperationMeta,
        response: &Response,
        parse_ok: fn(&Response) -> Result<O, String>,
        parse_err: fn(&Response) -> E,
    ) -> Result<O, Error<E>> {
        if self.is_success(op, response.status) {
            parse_ok(response).map_err(|message| Error::Response {
                http_status: response.status,
                request_id: protocol::request_id(self.inner.service.protocol, response),
                message,
            })
        } else {
            Err(Error::Service(Box::new(parse_err(response))))
        }
    }

    /// The modeled status, or any other 2xx: botocore and Huawei's SDK both take
    /// every 2xx answer as success, and a caller must not retry a callback that landed.
    fn is_success(&self, op: &OperationMeta, status: u16) -> bool {
        status == op.success_status || (200..300).contains(&status)
    }

    fn signing_time(&self) -> SystemTime {
        self.inner.config.signing_time().unwrap_or_else(SystemTime::now)
    }

    fn build(&self, op: &OperationMeta, request: &Request, time: SystemTime) -> Result<PreparedRequest, String> {
        let inner = &*self.inner;
        let config = &inner.config;
        path::check(&request.path)?;
        if let Some((name, _)) =
            request.headers.iter().find(|(k, _)| RESERVED.iter().any(|r| k.eq_ignore_ascii_case(r)))
        {
            return Err(format!("header {name} is set by the runtime, not by the request"));
        }
        let full_path = inner.endpoint.path(&request.path);
        let query = match inner.service.signing {
            SigningScheme::SigV4 { .. } => path::query_string(&request.query),
            #[cfg(feature = "huawei")]
            SigningScheme::HuaweiSdkHmacSha256 => huawei::canonical_query(&request.query),
        };
        let endpoint = inner.endpoint.with_host_prefix(request.host_prefix.as_deref());
        let url = endpoint.url(&full_path, &query);
        let mut headers = vec![("Host".to_owned(), endpoint.host().to_owned())];
        headers.extend(request.headers.iter().cloned());
        let user_agent = ("User-Agent".to_owned(), config.user_agent().to_owned());
        match inner.service.signing {
            SigningScheme::SigV4 { .. } if op.unsigned => {
                check_headers(&headers)?;
                headers.push(user_agent);
            }
            SigningScheme::SigV4 { name } => {
                let current = self.current_aws()?;
                let identity = &current.signing;
                let region = inner.region.as_deref().ok_or("no region")?;
                check_headers(&headers)?;
                // Signed: Host, Content-Type, X-Amz-Target and generated headers, as botocore signs them.
                let signature = sigv4::sign(identity, region, name, time, op.method, &url, &headers, &request.body)?;
                headers.extend(signature.headers);
                headers.push(user_agent);
            }
            #[cfg(feature = "huawei")]
            SigningScheme::HuaweiSdkHmacSha256 => {
                let credentials = self.current_huawei()?;
                if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("X-Project-Id")) {
                    headers.push(("X-Project-Id".to_owned(), credentials.project_id().to_owned()));
                }
                // Temporary credentials: the token is sent, and signed, as the SDK does.
                if let Some(token) = credentials.security_token() {
                    headers.push(("X-Security-Token".to_owned(), token.expose().to_owned()));
                }
                headers.push(user_agent);
                check_headers(&headers)?;
                let date = huawei::sdk_date(time)?;
                let signed = huawei::sign(&huawei::SignInput {
                    method: op.method,
                    host: inner.endpoint.host(),
                    path: &full_path,
                    query: &request.query,
                    headers: &headers,
                    body: &request.body,
                    ak: credentials.ak(),
                    sk: credentials.sk().expose(),
                    date: &date,
                });
                headers = signed.headers;
            }
        }
        if !request.body.is_empty() || !matches!(op.method, "GET" | "HEAD") {
            headers.push(("Content-Length".to_owned(), request.body.len().to_string()));
        }
        // Sent as HTTP clients usually send it; listing it keeps the prepared request complete.
        headers.push(("Accept".to_owned(), "*/*".to_owned()));
        Ok(PreparedRequest { method: op.method.to_owned(), url, headers, body: request.body.clone() })
    }

    /// The request as hyper sends it: method, origin-form target, the prepared headers, body.
    fn to_http(&self, prepared: PreparedRequest) -> Result<transport::HttpRequest, String> {
        let method = hyper::Method::from_bytes(prepared.method.as_bytes())
            .map_err(|_| format!("invalid method {:?}", prepared.method))?;
        // The origin is the endpoint's, or its host-prefixed form: what follows it is the target.
        let target = prepared
            .url
            .find("://")
            .and_then(|i| prepared.url[i + 3..].find('/').map(|j| &prepared.url[i + 3 + j..]))
            .ok_or_else(|| format!("invalid request: {:?} has no path", prepared.url))?;
        let uri = target.parse::<hyper::Uri>().map_err(|e| format!("invalid request: {e}"))?;
        let mut request = hyper::Request::new(prepared.body.into());
        *request.method_mut() = method;
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        headers.reserve(prepared.headers.len());
        for (name, value) in prepared.headers {
            let invalid = |e: &dyn fmt::Display| format!("invalid request: header {name}: {e}");
            let header = hyper::header::HeaderName::from_bytes(name.as_bytes()).map_err(|e| invalid(&e))?;
            // The value's own buffer becomes the header's (no copy).
            let value = hyper::header::HeaderValue::from_maybe_shared(hyper::body::Bytes::from(value))
                .map_err(|e| invalid(&e))?;
            headers.append(header, value);
        }
        Ok(request)
    }
}

/// What went wrong in an attempt, as a word for traces (never the message, which may quote data).
fn failure_kind(e: &Error<Infallible>) -> &'static str {
    match e {
        Error::Build(_) => "build",
        Error::Transport(t) => match t.kind {
            crate::TransportErrorKind::Connect => "connect",
            crate::TransportErrorKind::Io => "io",
            crate::TransportErrorKind::BodyTooLarge => "body_too_large",
            _ => "transport",
        },
        Error::Timeout { .. } => "timeout",
        _ => "other",
    }
}

fn not_resolved(source: &str) -> String {
    format!("the credentials from {source} are not resolved yet (a call, or Handle::resolve_credentials, resolves them)")
}

/// Headers the runtime sets itself: a request carrying its own would be signed or framed twice.
const RESERVED: &[&str] = &[
    "Host",
    "Authorization",
    "Content-Length",
    "Transfer-Encoding",
    "User-Agent",
    "X-Amz-Date",
    "X-Amz-Security-Token",
    "X-Sdk-Date",
    "X-Security-Token",
];

/// Header names must be tokens, and values free of CR, LF and NUL, which would
/// split or truncate the header block. The value itself is never echoed.
fn check_headers(headers: &[(String, String)]) -> Result<(), String> {
    for (name, value) in headers {
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if name.is_empty() || !name.bytes().all(token) {
            return Err(format!("invalid header name {name:?}"));
        }
        if value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
            return Err(format!("the value of header {name} contains CR, LF or NUL"));
        }
    }
    Ok(())
}

//! The HTTP client (reqwest over rustls with the ring provider) and reading
//! answers with a size cap.

use std::sync::Arc;
use std::time::Duration;

use rustls_platform_verifier::BuilderVerifierExt;

use crate::client::Response;
use crate::config::{Config, ConfigError};
use crate::error::{Error, TransportError, TransportErrorKind};

/// No redirects (a signed request must not wander), no proxies from the environment.
pub(crate) fn client(config: &Config) -> Result<reqwest::Client, ConfigError> {
    let tls_error = |e: rustls::Error| ConfigError::Tls(e.to_string());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_platform_verifier()
        .map_err(tls_error)?
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(config.connect_timeout())
        .build()
        .map_err(|e| ConfigError::Tls(chain(&e)))
}

/// Sends one request and reads the whole answer, at most `max_body` bytes of it.
pub(crate) async fn send<E>(
    client: &reqwest::Client,
    request: reqwest::Request,
    max_body: usize,
    connect_timeout: Duration,
) -> Result<Response, Error<E>> {
    let fail = |e: reqwest::Error| classify(&e, connect_timeout);
    let mut resp = client.execute(request).await.map_err(fail)?;
    let too_large = || {
        let message = format!("the answer is larger than the limit of {max_body} bytes");
        Error::Transport(TransportError { kind: TransportErrorKind::BodyTooLarge, message })
    };
    if resp.content_length().is_some_and(|n| n > max_body as u64) {
        return Err(too_large());
    }
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(fail)? {
        if body.len() + chunk.len() > max_body {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Response { status, headers, body })
}

fn classify<E>(e: &reqwest::Error, connect_timeout: Duration) -> Error<E> {
    if e.is_timeout() {
        return Error::Timeout { after: connect_timeout };
    }
    // A body cut short (FIN or RST before its announced end) surfaces as a
    // "decode" error from reading the body: the connection broke all the same.
    let kind = if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_request() || e.is_body() || e.is_decode() {
        TransportErrorKind::Io
    } else {
        TransportErrorKind::Other
    };
    Error::Transport(TransportError { kind, message: chain(e) })
}

/// The error and its causes, which hold the useful part ("connection refused").
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    text
}

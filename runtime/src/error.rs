//! Errors: what every service error carries ([`ErrorMeta`]), the catch-all for
//! errors a model does not describe ([`UnhandledError`]), and the error of a
//! whole call ([`Error`]), generic over the operation's generated error enum.

use std::fmt;
use std::time::Duration;

use crate::validate::ValidationError;

/// Facts every error answer carries, modeled or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorMeta {
    /// The service's error code (`ThrottlingException`, `AS.2017`, ...), or the
    /// HTTP status as text when the answer named none.
    pub code: String,
    /// The message the answer carried, if any.
    pub message: Option<String>,
    /// The HTTP status of the answer.
    pub http_status: u16,
    /// The request id the answer carried (header or body), if any.
    pub request_id: Option<String>,
    /// The server's `Retry-After`, when it sent one.
    pub retry_after: Option<Duration>,
}

impl ErrorMeta {
    /// Facts with this code and status, and nothing else yet.
    pub fn new(code: impl Into<String>, http_status: u16) -> Self {
        Self { code: code.into(), message: None, http_status, request_id: None, retry_after: None }
    }
}

impl fmt::Display for ErrorMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {}", self.code, self.http_status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

/// What the call loop needs to know about an operation's error enum.
pub trait ServiceError: std::error::Error + Send + Sync + 'static {
    /// The facts the error answer carried.
    fn meta(&self) -> &ErrorMeta;
    /// Worth sending the same request again (throttling, server faults, errors modeled as retryable).
    fn is_retryable(&self) -> bool;
    /// Whether the error is throttling (retried, with back-off).
    fn is_throttling(&self) -> bool;
    /// The model's name of the error this answer is (`InvalidRequestException`),
    /// or `None` for an error answer the operation's model does not list.
    fn shape_name(&self) -> Option<&'static str> {
        None
    }
}

/// Error codes AWS SDKs treat as throttling wherever they appear.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// An error answer the operation's model does not describe. Keeps everything
/// the answer said, so nothing is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnhandledError {
    meta: ErrorMeta,
    /// The raw body as text (lossy UTF-8), cut to a bounded size.
    body: String,
}

impl UnhandledError {
    /// Bodies longer than this are cut (with a marker) so a hostile answer cannot balloon an error.
    pub const MAX_BODY: usize = 4096;

    /// The error of an answer with these facts and body (cut to [`Self::MAX_BODY`]).
    pub fn new(meta: ErrorMeta, body: &[u8]) -> Self {
        let cut = body.len().min(Self::MAX_BODY);
        let mut text = String::from_utf8_lossy(&body[..cut]).into_owned();
        if body.len() > cut {
            text.push_str("…[truncated]");
        }
        Self { meta, body: text }
    }

    /// The facts the error answer carried.
    pub fn meta(&self) -> &ErrorMeta {
        &self.meta
    }

    /// The body as text (lossy UTF-8), cut to a bounded size.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Whether the answer is throttling (429, or a throttling code).
    pub fn is_throttling(&self) -> bool {
        self.meta.http_status == 429 || THROTTLING_CODES.contains(&self.meta.code.as_str())
    }

    /// Throttling and 5xx answers (but 501, which will not change) are worth retrying.
    pub fn is_retryable(&self) -> bool {
        let s = self.meta.http_status;
        self.is_throttling() || (s >= 500 && s != 501) || s == 408
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unmodeled service error {}", self.meta)
    }
}

impl std::error::Error for UnhandledError {}

/// Why a request could not be made or answered at the HTTP level.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Connecting failed (refused, DNS, TLS).
    Connect,
    /// The connection broke while sending or receiving.
    Io,
    /// The answer was larger than the configured cap.
    BodyTooLarge,
    /// Anything else the HTTP stack reported.
    Other,
}

/// A failure below the service: no usable HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// What happened, for people (never a secret).
    pub message: String,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport error ({:?}): {}", self.kind, self.message)
    }
}

/// The error of one call to an operation. `E` is the operation's error enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The input broke the model's constraints; nothing was sent.
    Validation(ValidationError),
    /// The request could not be built (configuration, credentials, a header
    /// value with CR or LF); nothing was sent.
    Build(String),
    /// The service answered with an error, modeled or not. Boxed: error
    /// answers are rare, and it keeps `Result<_, Error<E>>` small.
    Service(Box<E>),
    /// No usable answer: connection refused or reset, body over the cap.
    Transport(TransportError),
    /// The configured timeout fired.
    Timeout {
        /// The limit that fired.
        after: Duration,
    },
    /// The service answered success, but the body could not be understood.
    Response {
        /// The answer's status.
        http_status: u16,
        /// Its request id, if any.
        request_id: Option<String>,
        /// Why it could not be read.
        message: String,
    },
    /// A paginated operation answered with a token it had already given, which
    /// would loop forever; paging stops here.
    RepeatedToken {
        /// The repeated token.
        token: String,
    },
}

impl Error<std::convert::Infallible> {
    /// The same error as an operation's: what fails before an answer is read
    /// (validating, building, signing, sending) is the same for every operation,
    /// so that code is compiled once instead of once per operation.
    pub fn widen<E>(self) -> Error<E> {
        match self {
            Error::Validation(v) => Error::Validation(v),
            Error::Build(m) => Error::Build(m),
            Error::Service(never) => match *never {},
            Error::Transport(t) => Error::Transport(t),
            Error::Timeout { after } => Error::Timeout { after },
            Error::Response { http_status, request_id, message } => Error::Response { http_status, request_id, message },
            Error::RepeatedToken { token } => Error::RepeatedToken { token },
        }
    }
}

impl<E: ServiceError> Error<E> {
    /// The service's error code, or a fixed name for client-side failures.
    pub fn code(&self) -> &str {
        match self {
            Error::Validation(_) => "ValidationError",
            Error::Build(_) => "BuildError",
            Error::Service(e) => &e.meta().code,
            Error::Transport(_) => "TransportError",
            Error::Timeout { .. } => "Timeout",
            Error::Response { .. } => "ResponseError",
            Error::RepeatedToken { .. } => "RepeatedPaginationToken",
        }
    }

    /// The service's message, or a description of the failure.
    pub fn message(&self) -> Option<String> {
        match self {
            Error::Service(e) => e.meta().message.clone(),
            other => Some(other.to_string()),
        }
    }

    /// The HTTP status, when an answer came.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.meta().http_status),
            Error::Response { http_status, .. } => Some(*http_status),
            _ => None,
        }
    }

    /// The request id, when an answer carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.meta().request_id.as_deref(),
            Error::Response { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether the same call may succeed if sent again (as the retry policy decides).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Service(e) => e.is_retryable(),
            Error::Transport(t) => t.kind != TransportErrorKind::BodyTooLarge,
            Error::Timeout { .. } => true,
            Error::Validation(_) | Error::Build(_) | Error::Response { .. } | Error::RepeatedToken { .. } => false,
        }
    }

    /// The service error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The service error, if the service answered with one.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            Error::Service(e) => Some(*e),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(v) => write!(f, "invalid input: {v}"),
            Error::Build(m) => write!(f, "could not build the request: {m}"),
            Error::Service(e) => write!(f, "{e}"),
            Error::Transport(t) => write!(f, "{t}"),
            Error::Timeout { after } => write!(f, "timed out after {after:?}"),
            Error::Response { http_status, request_id, message } => {
                write!(f, "could not read the answer (HTTP {http_status}")?;
                if let Some(id) = request_id {
                    write!(f, ", request id {id}")?;
                }
                write!(f, "): {message}")
            }
            Error::RepeatedToken { token } => write!(f, "the service repeated the pagination token {token:?}; stopped paging"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Validation(v) => Some(v),
            Error::Service(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unhandled_retry_classification() {
        let e = |code: &str, status| UnhandledError::new(ErrorMeta::new(code, status), b"");
        assert!(e("Throttling", 400).is_retryable());
        assert!(e("500", 500).is_retryable());
        assert!(e("x", 429).is_throttling());
        assert!(!e("ValidationError", 400).is_retryable());
        assert!(!e("501", 501).is_retryable());
    }

    #[test]
    fn unhandled_keeps_a_bounded_body() {
        let big = vec![b'a'; UnhandledError::MAX_BODY * 3];
        let e = UnhandledError::new(ErrorMeta::new("500", 500), &big);
        assert!(e.body().len() < UnhandledError::MAX_BODY + 20);
        assert!(e.body().ends_with("[truncated]"));
    }
}

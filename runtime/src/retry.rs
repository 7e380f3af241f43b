//! When to try again and how long to wait first.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::time::{Duration, SystemTime};

use crate::config::RetryConfig;
use crate::error::{Error, ServiceError, TransportErrorKind, UnhandledError};

/// Worth another attempt of an operation (`idempotent`: its model says it is
/// safe to send again, `OperationMeta::idempotent`).
///
/// - Answers that refuse the request, so it was not applied: throttling (a
///   throttling error, 429) and 503 (the service did not handle it, RFC 9110),
///   and a connection that could not be made: retried for every operation.
/// - Errors the model marks retryable: retried for every operation (the model
///   says sending it again is safe).
/// - Answers that may mean the request was applied: any other 5xx but 501,
///   408, a connection broken during the exchange, a timeout: retried only for
///   an idempotent operation. A callback such as Huawei's `EXTEND` (one hour
///   more each time) is not sent twice because its answer was lost.
pub(crate) fn should_retry<E: ServiceError>(err: &Error<E>, idempotent: bool) -> bool {
    match err {
        Error::Service(e) => {
            let status = e.meta().http_status;
            if e.is_throttling() || status == 429 || status == 503 || modeled_retryable(e.as_ref()) {
                return true;
            }
            idempotent && (status == 408 || (status >= 500 && status != 501))
        }
        Error::Transport(t) => match t.kind {
            TransportErrorKind::Connect => true,
            TransportErrorKind::BodyTooLarge => false,
            _ => idempotent,
        },
        Error::Timeout { .. } => idempotent,
        Error::Validation(_) | Error::Build(_) | Error::Response { .. } | Error::RepeatedToken { .. } => false,
    }
}

/// A modeled error the model marks retryable. An unmodeled answer
/// ([`UnhandledError`], which every generated error enum gives as its
/// `source`) calls itself retryable by its status alone, which says nothing
/// about whether the request was applied.
fn modeled_retryable<E: ServiceError>(e: &E) -> bool {
    e.is_retryable() && std::error::Error::source(e).is_none_or(|inner| !inner.is::<UnhandledError>())
}

/// Delay before retry number `retry` (1 for the first retry): the server's
/// `Retry-After` if it sent one, else exponential back-off with full jitter;
/// never more than `max_backoff`.
pub(crate) fn delay(config: &RetryConfig, retry: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(wait) = retry_after {
        return wait.min(config.max_backoff);
    }
    let ceiling = config.initial_backoff.saturating_mul(1 << retry.saturating_sub(1).min(30)).min(config.max_backoff);
    ceiling.mul_f64(random_fraction())
}

/// Uniform in [0, 1). `RandomState` is seeded per instance: enough for jitter, no extra crate.
fn random_fraction() -> f64 {
    let bits = RandomState::new().hash_one(0u8) >> 11;
    bits as f64 / (1u64 << 53) as f64
}

/// `Retry-After`: delay-seconds or an IMF-fixdate HTTP-date (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    // The Smithy types' IMF-fixdate reader (aws-sigv4 builds it already), as the AWS SDKs read this header.
    // It reads the fields at fixed places and checks nothing else (the weekday, the separators, what
    // follows the seconds): the shape is checked here, so that anything but an IMF-fixdate is no wait.
    use aws_smithy_types::date_time::{DateTime, Format};
    let weekday = imf_fixdate_weekday(value.as_bytes())?;
    let parsed = DateTime::from_str(value, Format::HttpDate).ok()?;
    let date = time::OffsetDateTime::from_unix_timestamp(parsed.secs()).ok()?;
    if date.weekday().number_days_from_monday() != weekday {
        return None;
    }
    let at = SystemTime::try_from(parsed).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The weekday (0 for Monday) of a value shaped as an IMF-fixdate,
/// `Sun, 06 Nov 1994 08:49:37 GMT` (RFC 9110 section 5.6.7), with the Smithy
/// extension of up to three digits of a second's fraction; `None` for any other shape.
fn imf_fixdate_weekday(v: &[u8]) -> Option<u8> {
    const DAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
    const MONTHS: &[u8] = b"JanFebMarAprMayJunJulAugSepOctNovDec";
    let digits = |r: std::ops::Range<usize>| v.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let fraction = match v.get(25) {
        Some(b'.') => v.len().checked_sub(30).filter(|n| (1..=3).contains(n))?,
        _ => 0,
    };
    let shaped = v.len() == 29 + fraction + usize::from(fraction > 0)
        && &v[3..5] == b", "
        && digits(5..7)
        && v[7] == b' '
        && MONTHS.chunks(3).any(|m| m == &v[8..11])
        && v[11] == b' '
        && digits(12..16)
        && v[16] == b' '
        && digits(17..19)
        && v[19] == b':'
        && digits(20..22)
        && v[22] == b':'
        && digits(23..25)
        && (fraction == 0 || digits(26..26 + fraction))
        && v.ends_with(b" GMT");
    if !shaped {
        return None;
    }
    DAYS.iter().position(|d| *d == &v[..3]).map(|i| i as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorMeta, TransportError};

    /// A generated error enum in miniature: one modeled error, and `Unhandled`.
    #[derive(Debug)]
    enum OpError {
        Modeled { meta: ErrorMeta, retryable: bool },
        Unhandled(UnhandledError),
    }

    impl std::fmt::Display for OpError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{:?}", self)
        }
    }

    impl std::error::Error for OpError {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            match self {
                OpError::Modeled { .. } => None,
                OpError::Unhandled(e) => Some(e),
            }
        }
    }

    impl ServiceError for OpError {
        fn meta(&self) -> &ErrorMeta {
            match self {
                OpError::Modeled { meta, .. } => meta,
                OpError::Unhandled(e) => e.meta(),
            }
        }
        fn is_retryable(&self) -> bool {
            match self {
                OpError::Modeled { retryable, .. } => *retryable,
                OpError::Unhandled(e) => e.is_retryable(),
            }
        }
        fn is_throttling(&self) -> bool {
            matches!(self, OpError::Unhandled(e) if e.is_throttling())
        }
    }

    fn unhandled(status: u16, code: &str) -> Error<OpError> {
        Error::Service(Box::new(OpError::Unhandled(UnhandledError::new(ErrorMeta::new(code, status), b""))))
    }

    fn modeled(status: u16, retryable: bool) -> Error<OpError> {
        Error::Service(Box::new(OpError::Modeled { meta: ErrorMeta::new("Modeled", status), retryable }))
    }

    fn transport(kind: TransportErrorKind) -> Error<OpError> {
        Error::Transport(TransportError { kind, message: "x".to_owned() })
    }

    #[test]
    fn answers_that_may_mean_applied_are_retried_only_for_idempotent_operations() {
        let maybe_applied = [
            unhandled(500, "500"),
            unhandled(502, "502"),
            unhandled(504, "504"),
            unhandled(408, "408"),
            modeled(500, false),
            modeled(408, false),
            transport(TransportErrorKind::Io),
            transport(TransportErrorKind::Other),
            Error::Timeout { after: Duration::from_secs(1) },
        ];
        for err in &maybe_applied {
            assert!(should_retry(err, true), "idempotent: {err:?}");
            assert!(!should_retry(err, false), "not idempotent: {err:?}");
        }
    }

    #[test]
    fn refusals_and_errors_the_model_marks_retryable_are_retried_for_every_operation() {
        let safe = [
            unhandled(429, "429"),
            unhandled(400, "Throttling"),
            unhandled(503, "503"),
            modeled(503, false),
            modeled(500, true),
            modeled(400, true),
            transport(TransportErrorKind::Connect),
        ];
        for err in &safe {
            assert!(should_retry(err, false) && should_retry(err, true), "{err:?}");
        }
    }

    #[test]
    fn what_will_not_change_is_never_retried() {
        let never = [
            unhandled(501, "501"),
            unhandled(400, "ValidationError"),
            unhandled(404, "404"),
            modeled(400, false),
            modeled(501, false),
            transport(TransportErrorKind::BodyTooLarge),
            Error::Build("x".to_owned()),
            Error::Response { http_status: 200, request_id: None, message: "x".to_owned() },
        ];
        for err in &never {
            assert!(!should_retry(err, true) && !should_retry(err, false), "{err:?}");
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now), Some(Duration::from_secs(10)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("99999999999999999999999", now), Some(Duration::from_secs(u64::MAX)));
        // Dates in the past wait no time; fractions of a second are kept.
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37.5 GMT", now), Some(Duration::from_millis(500)));
        for bad in ["", "-1", "1.5", "soon", "Sun, 06 Nov 1994 08:49:47 PST", "Sun, 06 Nov 1994 25:49:47 GMT", "Sun, 31 Feb 1994 08:49:47 GMT",
            // What aws-smithy-types alone takes: any weekday (or a wrong one), other separators, a sign, junk after the seconds.
            "Xyz, 06 Nov 1994 08:49:47 GMT", "Mon, 06 Nov 1994 08:49:47 GMT", "Sun,,06 Nov 1994 08:49:47 GMT",
            "Sun, +6 Nov 1994 08:49:47 GMT", "Sun, 06 Nov 1994 08:49:47 xx GMT", "Sun, 06 Nov 1994 08:49:47  GMT",
            "Sun, 06 Nov 1994 08:49:47. GMT", "Sun, 06 Nov 1994 08:49:47.1234 GMT"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn backoff_is_jittered_exponential_and_capped() {
        let c = RetryConfig {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(350),
        };
        for _ in 0..50 {
            assert!(delay(&c, 1, None) < Duration::from_millis(100));
            assert!(delay(&c, 2, None) < Duration::from_millis(200));
            assert!(delay(&c, 40, None) < Duration::from_millis(350));
        }
        assert_eq!(delay(&c, 1, Some(Duration::from_secs(60))), Duration::from_millis(350));
        assert_eq!(delay(&c, 1, Some(Duration::from_millis(5))), Duration::from_millis(5));
        let spread: std::collections::HashSet<_> = (0..20).map(|_| delay(&c, 3, None)).collect();
        assert!(spread.len() > 1);
    }
}

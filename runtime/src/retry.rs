//! When to try again and how long to wait first.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::time::{Duration, SystemTime};

use crate::config::RetryConfig;
use crate::error::{Error, ServiceError};

/// Worth another attempt: transport failures and timeouts, and service errors
/// that are throttling, 5xx but 501, or modeled as retryable.
pub(crate) fn should_retry<E: ServiceError>(err: &Error<E>) -> bool {
    match err {
        Error::Service(e) => {
            let status = e.meta().http_status;
            e.is_retryable() || e.is_throttling() || status == 429 || (status >= 500 && status != 501)
        }
        other => other.is_retryable(),
    }
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
    use aws_smithy_types::date_time::{DateTime, Format};
    let at = SystemTime::try_from(DateTime::from_str(value, Format::HttpDate).ok()?).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now), Some(Duration::from_secs(10)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("99999999999999999999999", now), Some(Duration::from_secs(u64::MAX)));
        // Dates in the past wait no time; fractions of a second are kept.
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37.5 GMT", now), Some(Duration::from_millis(500)));
        for bad in ["", "-1", "1.5", "soon", "Sun, 06 Nov 1994 08:49:47 PST", "Sun, 06 Nov 1994 25:49:47 GMT", "Sun, 31 Feb 1994 08:49:47 GMT"] {
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

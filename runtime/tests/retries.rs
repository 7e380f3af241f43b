//! Back-off and the total timeout, observed through calls (the delay
//! function itself is private): exponential growth with full jitter, checked
//! statistically up to the cap, and `total_timeout` meeting a back-off or an
//! attempt. Back-off runs on tokio's paused clock (virtual, exact durations);
//! the total timeout is measured on the real clock (the call loop's deadline
//! is `std::time::Instant`), with small limits and hang guards only.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use lifecycle_hooks_runtime::protocol::aws_json;
use lifecycle_hooks_runtime::testing::{InMemoryTransport, response};
use lifecycle_hooks_runtime::{
    Error, Handle, OperationMeta, PreparedRequest, Request, Response, RetryConfig, Transport, TransportFuture,
};
use tokio::time::Instant;

static SEND: OperationMeta = OperationMeta::new("SendWorkflowStepState", "POST", 200);

fn request() -> Request {
    aws_json::request(&TRANSFER, &SEND, br#"{"WorkflowId":"w-0123456789abcdef0"}"#.to_vec())
}

fn body_len(r: &Response) -> Result<usize, String> {
    Ok(r.body.len())
}

async fn call(h: &Handle) -> Result<usize, Error<TestError>> {
    h.call(&SEND, request(), body_len, json_err).await
}

const TICK: Duration = Duration::from_millis(2);

/// Eight attempts, 100 ms base, 2 s cap: the ceilings of the seven retries
/// are 100, 200, 400, 800, 1600, 2000 and 2000 ms. Over 300 calls each
/// retry's delays stay under its ceiling, the largest comes within 5% of it
/// (a miss has probability 0.95^300, about 2e-7), and their mean is half the
/// ceiling within 10% (about 6 standard deviations): the ceiling doubles per
/// retry until the cap, and the jitter is full.
#[test]
fn back_off_doubles_per_retry_up_to_the_cap() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build().unwrap();
    rt.block_on(async {
        let starts = Arc::new(Mutex::new(Vec::new()));
        let seen = starts.clone();
        let transport = InMemoryTransport::from_fn(move |_| {
            seen.lock().unwrap().push(Instant::now());
            Ok(response(500, &[], "{}"))
        });
        let retry = RetryConfig {
            max_attempts: 8,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
        };
        let h = Handle::new(&TRANSFER, vector_config().retry(retry).transport(transport).build()).unwrap();
        const CALLS: usize = 300;
        let mut samples = vec![Vec::new(); 7];
        for _ in 0..CALLS {
            starts.lock().unwrap().clear();
            call(&h).await.unwrap_err();
            let s = starts.lock().unwrap();
            assert_eq!(s.len(), 8);
            for (n, w) in s.windows(2).enumerate() {
                samples[n].push(w[1] - w[0]);
            }
        }
        let ceilings = [100u64, 200, 400, 800, 1600, 2000, 2000].map(Duration::from_millis);
        let mut means = Vec::new();
        for (n, ceiling) in ceilings.into_iter().enumerate() {
            let s = &samples[n];
            assert_eq!(s.len(), CALLS);
            let max = *s.iter().max().unwrap();
            let mean = s.iter().sum::<Duration>() / CALLS as u32;
            assert!(max <= ceiling + TICK, "retry {}: {max:?} over {ceiling:?}", n + 1);
            assert!(max >= ceiling.mul_f64(0.95), "retry {}: the largest of {CALLS} is {max:?}", n + 1);
            let half = ceiling / 2;
            assert!(mean >= half.mul_f64(0.9) && mean <= half.mul_f64(1.1) + TICK, "retry {}: mean {mean:?}", n + 1);
            means.push(mean);
        }
        // Growth, said once more as ratios of the means: x2 per retry, then flat at the cap.
        for (n, pair) in means.windows(2).enumerate() {
            let ratio = pair[1].as_secs_f64() / pair[0].as_secs_f64();
            let expected = if n < 4 {
                2.0
            } else if n == 4 {
                1.25
            } else {
                1.0
            };
            assert!((ratio - expected).abs() < 0.3 * expected, "retry {} -> {}: ratio {ratio:.2}", n + 1, n + 2);
        }
    });
}

/// A transport that answers each attempt from a list, and never answers once it runs out.
struct Script(Mutex<Vec<Response>>);

impl Transport for Script {
    fn send<'a>(&'a self, _: &'a PreparedRequest) -> TransportFuture<'a> {
        let next = self.0.lock().unwrap().pop();
        Box::pin(async move {
            match next {
                Some(r) => Ok(r),
                None => std::future::pending().await,
            }
        })
    }
}

fn guarded<T>(what: &str, work: impl std::future::Future<Output = T>) -> T {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(10), work).await.unwrap_or_else(|_| panic!("{what}: hung"))
    })
}

/// A back-off that would end past the total deadline is not slept: the call
/// ends at once with the last answer's error (`Retry-After: 30` against a
/// total of 2 s: one attempt, no 20 s sleep).
#[test]
fn total_timeout_meeting_a_back_off_ends_the_call_with_the_last_error() {
    let transport = InMemoryTransport::new((0..5).map(|_| response(503, &[("Retry-After", "30")], "{}")));
    let config = vector_config()
        .retry(RetryConfig { max_attempts: 5, ..RetryConfig::default() })
        .total_timeout(Some(Duration::from_secs(2)))
        .transport(transport.clone())
        .build();
    let h = Handle::new(&TRANSFER, config).unwrap();
    // The hang guard (10 s) is below the 20 s the back-off would have slept.
    let err = guarded("back-off past the deadline", call(&h)).unwrap_err();
    assert_eq!(err.http_status(), Some(503), "{err}");
    assert_eq!((h.attempts(), transport.requests().len()), (1, 1));
}

/// Back-offs that fit are slept, and the attempt after them gets only what
/// is left of the total: a 503 with `Retry-After: 1`, then silence; the total
/// of 1.5 s fires during the second attempt, as `Timeout { after: total }`.
#[test]
fn total_timeout_firing_in_the_attempt_after_a_back_off() {
    let script = Script(Mutex::new(vec![response(503, &[("Retry-After", "1")], "{}")]));
    let total = Duration::from_millis(1500);
    let config = vector_config()
        .retry(RetryConfig { max_attempts: 3, ..RetryConfig::default() })
        .total_timeout(Some(total))
        .transport(script)
        .build();
    let h = Handle::new(&TRANSFER, config).unwrap();
    let started = std::time::Instant::now();
    let err = guarded("the attempt after a back-off", call(&h)).unwrap_err();
    assert!(matches!(err, Error::Timeout { after } if after == total), "{err}");
    assert_eq!(h.attempts(), 2);
    // It waited the second (the Retry-After), and the attempt ended with the total limit.
    assert!(started.elapsed() >= total, "{:?}", started.elapsed());
}

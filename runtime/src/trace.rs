//! What a call reports to [`tracing`](https://docs.rs/tracing) with the
//! `tracing` feature of this crate (off by default; without it every
//! function here is empty and compiles to nothing):
//!
//! - a span `lifecycle_hooks.call` per call (`service`, `operation`, and at
//!   its end `attempts`, `outcome`, `elapsed_ms`),
//! - inside it a span `lifecycle_hooks.attempt` per attempt (`service`,
//!   `operation`, `attempt`, `status`, `request_id`, `elapsed_ms`, `error`),
//! - events for retries (`attempt`, `delay_ms`, `error`), for credentials
//!   refreshed (`source`, `expires_in_s`) or failing to refresh, and for the
//!   proxy a connection goes through (host and port only).
//!
//! Nothing secret is recorded: no header values, no body, no credentials, no
//! proxy user info; errors are recorded by their kind and code.
//!
//! `StderrSubscriber` (with the feature) prints all of it to standard
//! error, one line each: what `hookctl --debug` uses.

use std::time::{Duration, Instant, SystemTime};

use crate::credentials::CredentialsError;

#[cfg(feature = "tracing")]
mod enabled {
    pub(crate) type Span = tracing::Span;
}

#[cfg(not(feature = "tracing"))]
mod enabled {
    /// No tracing: nothing to carry.
    #[derive(Clone, Copy)]
    pub(crate) struct Span;
}

pub(crate) use enabled::Span;

/// The span of one call.
pub(crate) fn call(service: &'static str, operation: &'static str) -> (Span, Instant) {
    #[cfg(feature = "tracing")]
    let span = tracing::info_span!(
        target: "lifecycle_hooks",
        "lifecycle_hooks.call",
        service,
        operation,
        attempts = tracing::field::Empty,
        outcome = tracing::field::Empty,
        elapsed_ms = tracing::field::Empty,
    );
    #[cfg(not(feature = "tracing"))]
    let span = {
        let _ = (service, operation);
        Span
    };
    (span, Instant::now())
}

/// The end of a call: how many attempts, and `ok` or the error's code.
pub(crate) fn call_done(span: &Span, started: Instant, attempts: u32, outcome: &str) {
    #[cfg(feature = "tracing")]
    {
        span.record("attempts", attempts);
        span.record("outcome", outcome);
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (span, started, attempts, outcome);
}

/// The span of one attempt, inside its call's.
pub(crate) fn attempt(parent: &Span, service: &'static str, operation: &'static str, attempt: u32) -> Span {
    #[cfg(feature = "tracing")]
    {
        tracing::info_span!(
            target: "lifecycle_hooks",
            parent: parent,
            "lifecycle_hooks.attempt",
            service,
            operation,
            attempt,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
            error = tracing::field::Empty,
        )
    }
    #[cfg(not(feature = "tracing"))]
    {
        let _ = (parent, service, operation, attempt);
        Span
    }
}

/// An attempt that got an answer.
pub(crate) fn answered(span: &Span, started: Instant, status: u16, request_id: impl FnOnce() -> Option<String>) {
    #[cfg(feature = "tracing")]
    {
        span.record("status", status);
        if let Some(id) = request_id() {
            span.record("request_id", id.as_str());
        }
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (span, started, status, request_id);
}

/// An attempt that got no answer (`error` is a kind, never a message with data in it).
pub(crate) fn failed(span: &Span, started: Instant, error: &str) {
    #[cfg(feature = "tracing")]
    {
        span.record("error", error);
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (span, started, error);
}

/// A retry is coming after `delay`.
pub(crate) fn retry(span: &Span, attempt: u32, delay: Duration, error: &str) {
    #[cfg(feature = "tracing")]
    tracing::info!(
        target: "lifecycle_hooks",
        parent: span,
        attempt,
        delay_ms = delay.as_millis() as u64,
        error,
        "retrying after back-off"
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (span, attempt, delay, error);
}

/// Credentials were fetched from `source`.
pub(crate) fn credentials_refreshed(source: &str, expires_at: Option<SystemTime>) {
    #[cfg(feature = "tracing")]
    {
        let expires_in_s = expires_at.and_then(|at| at.duration_since(SystemTime::now()).ok()).map(|d| d.as_secs());
        tracing::info!(target: "lifecycle_hooks", source, expires_in_s, "credentials resolved");
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (source, expires_at);
}

/// Fetching credentials from `source` failed; `kept` when the cached ones still serve.
pub(crate) fn credentials_refresh_failed(source: &str, error: &CredentialsError, kept: bool) {
    #[cfg(feature = "tracing")]
    {
        // The error names sources and reasons, never secrets.
        let error = error.to_string();
        tracing::warn!(target: "lifecycle_hooks", source, kept_cached = kept, error, "credentials refresh failed");
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (source, error, kept);
}

/// A connection goes through a proxy (host and port only: never its credentials).
pub(crate) fn via_proxy(host: &str, port: u16, tunnel: bool) {
    #[cfg(feature = "tracing")]
    tracing::debug!(target: "lifecycle_hooks", proxy_host = host, proxy_port = port, tunnel, "connecting through a proxy");
    #[cfg(not(feature = "tracing"))]
    let _ = (host, port, tunnel);
}

#[cfg(feature = "tracing")]
pub use stderr::StderrSubscriber;

/// Prints every span and event of this crate to standard error from now on
/// (what `hookctl --debug` does). `false` when a global subscriber was set
/// already, or without the `tracing` feature (then nothing is printed).
pub fn install_stderr_subscriber() -> bool {
    #[cfg(feature = "tracing")]
    {
        tracing::subscriber::set_global_default(StderrSubscriber::new(tracing::Level::DEBUG)).is_ok()
    }
    #[cfg(not(feature = "tracing"))]
    {
        false
    }
}

#[cfg(feature = "tracing")]
mod stderr {
    use std::fmt::Write as _;
    use std::io::Write as _;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Level, Metadata, Subscriber};

    /// A minimal subscriber that prints this crate's spans (when they close,
    /// with every field recorded) and events to standard error, one line each.
    /// Install it with `tracing::subscriber::set_global_default`.
    pub struct StderrSubscriber {
        next: AtomicU64,
        spans: Mutex<std::collections::HashMap<u64, (String, String, usize)>>,
        max_level: Level,
        /// Where lines go instead of stderr (tests).
        sink: Option<std::sync::Arc<Mutex<String>>>,
    }

    impl StderrSubscriber {
        /// Prints spans and events at `max_level` and above (`Level::DEBUG` for everything but trace).
        pub fn new(max_level: Level) -> Self {
            Self { next: AtomicU64::new(1), spans: Mutex::new(Default::default()), max_level, sink: None }
        }

        /// The same lines, appended to `sink` instead of printed.
        pub fn with_sink(mut self, sink: std::sync::Arc<Mutex<String>>) -> Self {
            self.sink = Some(sink);
            self
        }

        fn line(&self, text: &str) {
            match &self.sink {
                Some(sink) => {
                    let mut sink = sink.lock().unwrap_or_else(|e| e.into_inner());
                    sink.push_str(text);
                    sink.push('\n');
                }
                None => {
                    let _ = writeln!(std::io::stderr().lock(), "{text}");
                }
            }
        }
    }

    struct Fields(String);

    impl Visit for Fields {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let _ = if field.name() == "message" {
                write!(self.0, " {value:?}")
            } else {
                write!(self.0, " {}={value:?}", field.name())
            };
        }

        fn record_str(&mut self, field: &Field, value: &str) {
            let _ = if field.name() == "message" {
                write!(self.0, " {value}")
            } else {
                write!(self.0, " {}={value}", field.name())
            };
        }
    }

    impl Subscriber for StderrSubscriber {
        fn enabled(&self, metadata: &Metadata<'_>) -> bool {
            metadata.level() <= &self.max_level && metadata.target().starts_with("lifecycle_hooks")
        }

        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let id = self.next.fetch_add(1, Ordering::Relaxed);
            let mut fields = Fields(String::new());
            span.record(&mut fields);
            let mut spans = self.spans.lock().unwrap_or_else(|e| e.into_inner());
            spans.insert(id, (span.metadata().name().to_owned(), fields.0, 1));
            Id::from_u64(id)
        }

        fn record(&self, span: &Id, values: &Record<'_>) {
            let mut spans = self.spans.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, fields, _)) = spans.get_mut(&span.into_u64()) {
                let mut more = Fields(std::mem::take(fields));
                values.record(&mut more);
                *fields = more.0;
            }
        }

        fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

        fn event(&self, event: &Event<'_>) {
            let mut fields = Fields(String::new());
            event.record(&mut fields);
            self.line(&format!("[{}] {}:{}", event.metadata().level(), event.metadata().target(), fields.0));
        }

        fn enter(&self, _span: &Id) {}

        fn exit(&self, _span: &Id) {}

        fn clone_span(&self, id: &Id) -> Id {
            if let Some((_, _, refs)) = self.spans.lock().unwrap_or_else(|e| e.into_inner()).get_mut(&id.into_u64()) {
                *refs += 1;
            }
            id.clone()
        }

        fn try_close(&self, id: Id) -> bool {
            let closed = {
                let mut spans = self.spans.lock().unwrap_or_else(|e| e.into_inner());
                match spans.get_mut(&id.into_u64()) {
                    Some((_, _, refs)) if *refs > 1 => {
                        *refs -= 1;
                        None
                    }
                    Some(_) => spans.remove(&id.into_u64()),
                    None => None,
                }
            };
            match closed {
                Some((name, fields, _)) => {
                    self.line(&format!("[span] {name}:{fields}"));
                    true
                }
                None => false,
            }
        }
    }
}

//! Testing code that calls a generated client, with no server: an in-memory
//! [`Transport`] that answers canned responses and records every request.
//!
//! ```
//! use lifecycle_hooks_runtime::testing::{InMemoryTransport, response};
//! use lifecycle_hooks_runtime::{AwsCredentials, Config};
//!
//! let transport = InMemoryTransport::new([response(200, &[("x-amzn-RequestId", "r-1")], "{}")]);
//! let config = Config::builder()
//!     .region("us-east-1")
//!     .aws_credentials(AwsCredentials::new("AKIDEXAMPLE", "secret", None))
//!     .transport(transport.clone()) // clones share the answers and the record
//!     .build();
//! // ... make a client with `config`, call it, then look at what it sent:
//! assert!(transport.requests().is_empty());
//! ```
//!
//! Everything but the network runs as usual: validation, signing (each
//! attempt afresh), timeouts, retries with their back-off, the response size
//! cap and parsing. A retried call takes one canned answer per attempt.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::client::{PreparedRequest, Response};
use crate::error::{TransportError, TransportErrorKind};
use crate::transport::{Transport, TransportFuture};

/// What answers the next request.
type Handler = Box<dyn FnMut(&PreparedRequest) -> Result<Response, TransportError> + Send>;

enum Answers {
    /// Canned answers, first in first out.
    Queue(VecDeque<Result<Response, TransportError>>),
    /// Each request's answer made by a closure.
    Handler(Handler),
}

struct State {
    answers: Answers,
    requests: Vec<PreparedRequest>,
}

/// A [`Transport`] that answers from memory and records each request it is
/// given (method, absolute URL with host and query, every header, body),
/// exactly as it would have gone on the wire. Clones share both, so keep one
/// to look at after the code under test has run.
///
/// With canned answers, a request after the last one fails with a
/// [`TransportErrorKind::Other`] error naming the request (a transport
/// failure, which is retried like a connection failure).
#[derive(Clone)]
pub struct InMemoryTransport {
    state: Arc<Mutex<State>>,
}

impl InMemoryTransport {
    /// Answers the requests with `responses`, in order.
    pub fn new(responses: impl IntoIterator<Item = Response>) -> Self {
        Self::with_results(responses.into_iter().map(Ok))
    }

    /// Answers with these outcomes, in order: a response, or a transport
    /// failure (to test how code copes with a broken connection).
    pub fn with_results(results: impl IntoIterator<Item = Result<Response, TransportError>>) -> Self {
        Self::from_answers(Answers::Queue(results.into_iter().collect()))
    }

    /// Answers each request with what `handler` makes of it.
    pub fn from_fn(handler: impl FnMut(&PreparedRequest) -> Result<Response, TransportError> + Send + 'static) -> Self {
        Self::from_answers(Answers::Handler(Box::new(handler)))
    }

    fn from_answers(answers: Answers) -> Self {
        Self { state: Arc::new(Mutex::new(State { answers, requests: Vec::new() })) }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds an answer after the canned ones (no effect with [`Self::from_fn`]).
    pub fn push(&self, response: Response) {
        if let Answers::Queue(queue) = &mut self.state().answers {
            queue.push_back(Ok(response));
        }
    }

    /// Every request received so far, in order (one per attempt).
    pub fn requests(&self) -> Vec<PreparedRequest> {
        self.state().requests.clone()
    }

    /// The last request received, if any.
    pub fn last_request(&self) -> Option<PreparedRequest> {
        self.state().requests.last().cloned()
    }

    /// How many canned answers are left (0 with [`Self::from_fn`]).
    pub fn remaining(&self) -> usize {
        match &self.state().answers {
            Answers::Queue(queue) => queue.len(),
            Answers::Handler(_) => 0,
        }
    }

    fn answer(&self, request: &PreparedRequest) -> Result<Response, TransportError> {
        let mut state = self.state();
        state.requests.push(request.clone());
        match &mut state.answers {
            Answers::Queue(queue) => queue.pop_front().unwrap_or_else(|| {
                Err(TransportError {
                    kind: TransportErrorKind::Other,
                    message: format!("InMemoryTransport: no canned answer left for {} {}", request.method, request.url),
                })
            }),
            Answers::Handler(handler) => handler(request),
        }
    }
}

impl Transport for InMemoryTransport {
    fn send<'a>(&'a self, request: &'a PreparedRequest) -> TransportFuture<'a> {
        let answer = self.answer(request);
        Box::pin(async move { answer })
    }
}

impl fmt::Debug for InMemoryTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("InMemoryTransport")
            .field("requests", &state.requests.len())
            .field(
                "remaining",
                &match &state.answers {
                    Answers::Queue(queue) => Some(queue.len()),
                    Answers::Handler(_) => None,
                },
            )
            .finish()
    }
}

/// A response with this status, these headers (names as given) and body.
pub fn response(status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> Response {
    Response {
        status,
        headers: headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        body: body.into(),
    }
}

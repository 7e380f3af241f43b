//! The hand-written runtime under the generated lifecycle-hook clients.
//!
//! Generated code (in the `lifecycle-hooks` crate) calls into this crate; it
//! holds everything that does not depend on a model: validation helpers,
//! error types, timestamps, and (see the modules below) HTTP, signing,
//! retries and the wire protocols.
#![forbid(unsafe_code)]

pub mod datetime;
pub mod error;
pub mod validate;

pub use datetime::DateTime;
pub use error::{Error, ErrorMeta, ServiceError, TransportError, TransportErrorKind, UnhandledError};
pub use validate::{Constraint, FieldPath, Pattern, ValidationError, Validator, Violation};

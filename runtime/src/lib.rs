//! The hand-written runtime under the generated lifecycle-hook clients.
//!
//! Generated code (in the `lifecycle-hooks` crate) calls into this crate; it
//! holds everything that does not depend on a model: validation helpers,
//! error types, timestamps, and (see the modules below) HTTP, signing,
//! retries and the wire protocols.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod blob;
pub mod client;
pub mod config;
pub mod credentials;
pub mod datetime;
pub mod document;
pub mod enums;
mod endpoint;
pub mod error;
pub mod http;
pub mod json;
pub mod number;
pub mod path;
pub mod protocol;
pub mod proxy;
mod retry;
pub mod service;
pub mod sign;
pub mod testing;
pub mod trace;
pub mod transport;
pub mod validate;
pub mod xml;

pub use client::{Handle, PreparedRequest, Request, Response};
pub use config::{Config, ConfigBuilder, ConfigError, RetryConfig};
pub use blob::Blob;
pub use credentials::{AwsCredentials, AwsCredentialsChain, CredentialsError, Env, ProvideAwsCredentials};
#[cfg(feature = "huawei")]
pub use credentials::{HuaweiCredentials, HuaweiCredentialsChain, ProvideHuaweiCredentials};
pub use datetime::{DateTime, TimestampFormat};
pub use document::Document;
pub use number::{BigDecimal, BigInteger};
pub use proxy::ProxyConfig;
pub use enums::UnknownValue;
pub use error::{Error, ErrorMeta, ServiceError, TransportError, TransportErrorKind, UnhandledError};
pub use service::{OperationMeta, Protocol, ServiceMeta, SigningScheme};
pub use transport::{Transport, TransportFuture};
pub use validate::{Automaton, Constraint, FieldPath, Pattern, ValidationError, Validator, Violation};

//! Complete programs, one per service, each calling its service through the
//! generated client (`examples/<service>.rs`):
//!
//! ```sh
//! cargo run -p lifecycle-hooks-examples --example transfer -- http://127.0.0.1:4566
//! ```
//!
//! Each takes the endpoint as its only argument (else the environment's
//! `AWS_ENDPOINT_URL` / `HUAWEICLOUD_SDK_ENDPOINT`, else the service's own
//! https endpoint) and reads credentials and region from the environment, as
//! `Config::from_env()` does. This library itself is empty.
#![forbid(unsafe_code)]

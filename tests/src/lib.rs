//! Tests live in `tests/`; this library only holds helpers they share.
//!
//! The README's Rust examples are compiled as this crate's doctests.
#![doc = include_str!("../../README.md")]
#![forbid(unsafe_code)]

use std::path::PathBuf;

/// The runtime, under the name generated code expects (`crate::runtime`).
pub use lifecycle_hooks_runtime as runtime;

pub mod fixtures;
pub mod support;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap_or_default()
}

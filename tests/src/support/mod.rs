//! Helpers of the end-to-end tests (`tests/tests/e2e_*.rs`): a loopback HTTP
//! server of our own, the Python peers and oracles from `.venv` (moto's
//! server, botocore, Huawei Cloud's SDK), and the reference material's
//! credentials, clock and files.
//!
//! Everything here talks to 127.0.0.1 only, and every server and subprocess is
//! bounded in time and stopped when its handle is dropped.

pub mod reference;
pub mod chaos_http;
pub mod http;
pub mod moto;
pub mod python;
pub mod base64;
pub mod cli;
pub mod metadata;
pub mod proxy;

//! Complete programs, one per service, that call the generated clients
//! (`examples/*.rs`; run one with `cargo run -p lifecycle-hooks-examples --example <service>`).
//! This library is empty: the package exists for its examples.
#![forbid(unsafe_code)]

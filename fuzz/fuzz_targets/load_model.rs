//! `codegen::load_model` on any text: diagnostics or a service, never a panic.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = codegen::load_model(&text, "models/fuzzed.yaml");
});

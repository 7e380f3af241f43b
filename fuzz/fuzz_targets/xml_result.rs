//! `xml::parse_document` and `aws_query::parse_result` (with request ids and
//! element text) on any bytes: a document or an error, never a panic.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use lifecycle_hooks_runtime::protocol::aws_query;
use lifecycle_hooks_runtime::xml;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = xml::parse_document(data) else { return };
    let _ = aws_query::request_id_in(&doc);
    for wrapper in ["ListHookResultsResult", "PutLifecycleHookResult"] {
        if let Ok(node) = aws_query::parse_result(&doc, wrapper) {
            for n in node.descendants().filter(|n| n.is_element()) {
                let _ = xml::text(n);
                let _ = xml::child(n, "member");
                let _ = xml::children(n).count();
            }
        }
    }
});

//! `aws_query::read_answer` (the pull reader, element text and children) and
//! `aws_query::error_meta` on any bytes: a result or an error, never a panic.
#![no_main]
#![forbid(unsafe_code)]

use libfuzzer_sys::fuzz_target;
use lifecycle_hooks_runtime::protocol::aws_query;
use lifecycle_hooks_runtime::{Response, xml};

/// Reads every element: the text of some, the children of the others.
fn walk(e: &mut xml::Element<'_, '_>) -> Result<usize, String> {
    let mut total = 0;
    while let Some(mut child) = e.next_child()? {
        total += if child.name().len() % 2 == 0 { child.text()?.len() } else { walk(&mut child)? };
    }
    Ok(total)
}

fuzz_target!(|data: &[u8]| {
    for wrapper in [Some("ListHookResultsResult"), Some("PutLifecycleHookResult"), None] {
        if let Ok((total, _)) = aws_query::read_answer(data, wrapper, walk) {
            assert!(total <= data.len());
        }
    }
    let _ = aws_query::error_meta(&Response { status: 400, headers: Vec::new(), body: data.to_vec() });
});

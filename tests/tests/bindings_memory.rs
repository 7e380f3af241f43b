//! Memory held while answers are read, counted by a global allocator of this
//! test binary: error answers cost no more than the few members they carry
//! (the envelope and the error's members are read in place, never as a
//! tree), and success answers a small multiple of their size.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use lifecycle_hooks_runtime::testing::{InMemoryTransport, response};
use lifecycle_hooks_runtime::{AwsCredentials, Config, RetryConfig};
use tests::fixtures::bindings::{Client, PutThingInput};

/// Counts live bytes and their peak. A global allocator is an `unsafe`
/// trait: this test binary is the one place the project writes `unsafe`, two
/// forwarding calls to the system allocator, so that memory is measured
/// exactly instead of through the process's resident size.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak of live bytes above what was live before, while `answer` is read.
fn peak_while_reading(status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> (usize, usize) {
    let size = body.len();
    let transport = InMemoryTransport::new([response(status, headers, body)]);
    let config = Config::builder()
        .region("us-east-1")
        .aws_credentials(AwsCredentials::new("AKIDEXAMPLE", "secret", None))
        .signing_time(Some(UNIX_EPOCH + Duration::from_secs(1_704_164_645)))
        .retry(RetryConfig::disabled())
        .max_response_bytes(64 << 20)
        .transport(transport)
        .build();
    let client = Client::new(config).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = rt.block_on(client.put_thing(PutThingInput::new("id", "k", "t")));
    let peak = PEAK.load(Ordering::Relaxed) - before;
    drop(result);
    (peak, size)
}

#[test]
fn memory_while_reading_answers_is_bounded() {
    // A 9 MiB error body of a modeled error with one member (the issue's case was 17 times the body).
    let filler = "x".repeat(9 << 20);
    let body = format!(r#"{{"Message": "short", "Junk": ["{filler}", {{"deep": [1, 2, 3]}}]}}"#).into_bytes();
    let (peak, size) = peak_while_reading(409, &[("X-Amzn-Errortype", "ThingError")], body);
    // What is kept: the transport's copy of the body (the answer as received) and the bounded message.
    assert!(peak < 2 * size + (1 << 20), "a {size}-byte error answer held {peak} bytes at its peak");

    // The same body as an error the model does not list.
    let body = format!(r#"{{"__type": "Other", "message": "{filler}"}}"#).into_bytes();
    let (peak, size) = peak_while_reading(500, &[], body);
    assert!(peak < 3 * size + (1 << 20), "an unmodeled {size}-byte error held {peak} bytes");

    // Success: 200,000 list items and a big document.
    let items: Vec<String> = (0..200_000).map(|i| format!("\"item-{i:08}\"")).collect();
    let body = format!(r#"{{"Thing": {{"Items": [{}], "Any": {{"a": [{}]}}}}}}"#, items.join(","), items.join(",")).into_bytes();
    let (peak, size) = peak_while_reading(201, &[], body);
    assert!(peak < 4 * size, "a {size}-byte success answer held {peak} bytes at its peak");
}

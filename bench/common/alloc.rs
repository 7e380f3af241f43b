//! The global allocator of every benchmark program (bench/common/harness.rs
//! includes this file, so bench/ours, bench/peer-aws-sdk and bench/floor-call
//! share it byte for byte): the system allocator, counting the heap's live
//! bytes and their peak while [`Measure`] is held, doing nothing more
//! otherwise (one relaxed load per allocation) so that the per-call
//! measurements are not weighed down by the counting.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};

pub struct Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

static ON: AtomicBool = AtomicBool::new(false);
/// Live bytes allocated since counting started, less those freed since (possibly
/// negative: memory allocated before may be freed while counting).
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grew(bytes: isize) {
    if ON.load(Relaxed) {
        let live = LIVE.fetch_add(bytes, Relaxed) + bytes;
        PEAK.fetch_max(live, Relaxed);
    }
}

fn shrank(bytes: isize) {
    if ON.load(Relaxed) {
        LIVE.fetch_sub(bytes, Relaxed);
    }
}

// SAFETY: every call is passed to the system allocator unchanged; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size() as isize);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            let delta = new_size as isize - layout.size() as isize;
            if delta >= 0 { grew(delta) } else { shrank(-delta) }
        }
        p
    }
}

/// Counts from its start to [`Measure::peak`]: the most heap bytes live at
/// once above those live at the start, on every thread.
pub struct Measure(());

impl Measure {
    pub fn start() -> Self {
        LIVE.store(0, Relaxed);
        PEAK.store(0, Relaxed);
        ON.store(true, Relaxed);
        Measure(())
    }

    /// The peak so far; counting stops.
    pub fn peak(self) -> usize {
        ON.store(false, Relaxed);
        PEAK.load(Relaxed).max(0) as usize
    }
}

impl Drop for Measure {
    fn drop(&mut self) {
        ON.store(false, Relaxed);
    }
}

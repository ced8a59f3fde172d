//! Memory does not grow with the number of users: users stream into per-day
//! tallies and no per-user record outlives its simulation. Measured with a
//! counting allocator (peak bytes live during a run).
#![allow(unsafe_code, reason = "a GlobalAlloc wrapper must implement an unsafe trait; it only delegates to System")]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use journeylab::api::RunConfig;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call delegates to the system allocator with the caller's own arguments.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: same layout the caller gave us.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn peak_bytes_for(users: u32) -> usize {
    let scenario = common::load("cart_abandonment.toml");
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let before = LIVE.load(Ordering::Relaxed);
    let results = common::run_with(
        &scenario,
        RunConfig { users: Some(users), days: Some(30), threads: Some(2), ..RunConfig::default() },
    );
    assert_eq!(results.journeys[0].summary.users, u64::from(users));
    PEAK.load(Ordering::Relaxed) - before
}

#[test]
fn peak_memory_does_not_grow_with_users() {
    let small = peak_bytes_for(10_000);
    let large = peak_bytes_for(100_000);
    // Ten times the users may cost at most 10 % more peak memory (the target of the benchmark at 1M vs 10M),
    // plus 256 KiB for the work-stealing scheduler splitting into a few more tallies.
    assert!(large <= small + small / 10 + 256 * 1024, "peak {small} B at 10k users, {large} B at 100k users");
}

//! `SKEW_TIMINGS=1`: how long each stage of one run took, on stderr, for profiling on
//! machines without a profiler (see `docs/performance.md`).
//!
//! Owns the stage clock: [`stage`] prints the time since the previous stage (or since
//! the first call) and the total so far. Off unless the variable is set, and then costs
//! one relaxed atomic load per call. Must not: change what skew does or prints on stdout.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

/// 0: not yet read from the environment, 1: off, 2: on.
static STATE: AtomicU8 = AtomicU8::new(0);
static CLOCK: Mutex<Option<(Instant, Instant, u64)>> = Mutex::new(None);

/// Is `SKEW_TIMINGS` set (to anything but empty or `0`)?
pub fn enabled() -> bool {
    match STATE.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => {
            let on = std::env::var_os("SKEW_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0");
            STATE.store(if on { 2 } else { 1 }, Ordering::Relaxed);
            on
        }
    }
}

/// Start the clock (the first stage is measured from here; without a call, from the
/// first [`stage`]).
pub fn start() {
    if enabled() {
        let now = Instant::now();
        *CLOCK.lock().unwrap_or_else(|e| e.into_inner()) = Some((now, now, cpu_ns()));
    }
}

/// The stage `name` ended now: `skew timing: NAME 12.3 ms cpu 20.1 ms (total 45.6 ms)
/// rss 80 MB peak 95 MB` on stderr. CPU time is every thread's (Linux only; 0 elsewhere):
/// on a loaded machine it says more than wall time. The resident memory now and its
/// peak so far (Linux only) show which stage sets the peak.
pub fn stage(name: &str) {
    if !enabled() {
        return;
    }
    let now = Instant::now();
    let cpu = cpu_ns();
    let mut clock = CLOCK.lock().unwrap_or_else(|e| e.into_inner());
    let (first, last, last_cpu) = clock.get_or_insert((now, now, cpu));
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    let (rss, peak) = memory_kb();
    eprintln!(
        "skew timing: {name:<12} {:8.1} ms cpu {:8.1} ms (total {:.1} ms) rss {} MB peak {} MB",
        ms(now - *last),
        cpu.saturating_sub(*last_cpu) as f64 / 1e6,
        ms(now - *first),
        rss / 1024,
        peak / 1024
    );
    (*last, *last_cpu) = (now, cpu);
}

/// Resident memory now and its peak (`VmRSS`, `VmHWM` of `/proc/self/status`), in KB;
/// zeros where there is no such file.
fn memory_kb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU time of every thread of this process so far, in nanoseconds: the first field of
/// each thread's `schedstat`. Threads that ended are not counted (rayon's live on).
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

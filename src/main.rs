//! The `skew` binary: parse arguments, run, exit. All logic lives in the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    fixed_mmap_threshold();
    // a bug in skew must never print a panic trace at a user: say what happened, exit 2
    std::panic::set_hook(Box::new(|info| {
        // a dependency's parser panicking on hostile input is caught and reported as a
        // parse error by the library: nothing to say here
        if skew::diagnostic::in_guarded_parser() {
            return;
        }
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("error: internal error in skew{location}: {payload}");
        eprintln!("this is a bug; please report it with the command you ran");
    }));
    let cli = match skew::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // --help and --version are not errors
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match std::panic::catch_unwind(|| skew::run(cli)) {
        Ok(status) => ExitCode::from(status as u8),
        Err(_) => ExitCode::from(2),
    }
}

/// glibc raises its mmap threshold each time a mapped block is freed (up to 32 MiB on
/// 64-bit), after which skew's per-file component tables, freed once the scan has copied
/// them into the inventory's one table, stay in the worker threads' heaps instead of
/// going back to the system: the peak RSS of one run then swings by a third with nothing
/// changed in skew. Setting the threshold explicitly turns that adjustment off (mallopt(3):
/// "Dynamic adjustment of the mmap threshold is disabled if any of the M_TRIM_THRESHOLD,
/// M_TOP_PAD, M_MMAP_THRESHOLD, or M_MMAP_MAX parameters is set"); 128 KiB is glibc's own starting
/// value, so allocations are placed as a fresh process places them.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn fixed_mmap_threshold() {
    // SAFETY: mallopt only sets a parameter of the allocator, before any thread exists
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn fixed_mmap_threshold() {}

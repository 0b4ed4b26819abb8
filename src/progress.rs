//! A progress line on stderr for scans that take more than about a second.
//!
//! Owns one background thread that waits for a delay, then redraws one line
//! (`⠋ scanning and checking… 1,234 files, 5,678 components`, the counts the scanner
//! reports through [`count`]) until the guard is dropped, and then erases that line so
//! the report starts on a clean terminal. The caller decides whether to show it at all
//! ([`Spinner::wanted`]: stderr is a terminal, not under CI, and the output is for
//! people); machine formats (JSON, SARIF, …), pipes and CI logs never get a byte of it.
//! Must not: print anything but the progress line, or delay the work it watches (the
//! counters are two relaxed atomic additions per file).

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

/// Files read and components found so far in this process (all scans together).
static FILES: AtomicUsize = AtomicUsize::new(0);
static COMPONENTS: AtomicUsize = AtomicUsize::new(0);

/// The scanner read one more file holding `components` components.
pub fn count(components: usize) {
    FILES.fetch_add(1, Ordering::Relaxed);
    COMPONENTS.fetch_add(components, Ordering::Relaxed);
}

/// What [`count`] has added up: `(files, components)`.
pub fn counts() -> (usize, usize) {
    (
        FILES.load(Ordering::Relaxed),
        COMPONENTS.load(Ordering::Relaxed),
    )
}

/// The progress line for one frame: spinner, message, and the counts so far (none yet:
/// the message alone).
pub fn line(frame: usize, message: &str, (files, components): (usize, usize)) -> String {
    let spin = FRAMES[frame % FRAMES.len()];
    if files == 0 {
        return format!("{spin} {message}");
    }
    let plural = |n: usize, one: &str, many: &str| {
        format!("{} {}", thousands(n), if n == 1 { one } else { many })
    };
    format!(
        "{spin} {message} {}, {}",
        plural(files, "file", "files"),
        plural(components, "component", "components")
    )
}

/// `1234567` → `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How long a run may take before the spinner appears: quick runs stay silent.
pub const DELAY: Duration = Duration::from_secs(1);

const FRAMES: &[&str] = &["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const TICK: Duration = Duration::from_millis(100);

/// Shows the spinner while alive; dropping it stops and erases it.
pub struct Spinner {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    /// Show the line only where a person is watching: stderr is a terminal, the format is
    /// the human one, and no CI runner is recording the log (`CI` set, as GitHub Actions,
    /// GitLab CI and most others set it).
    pub fn wanted(stderr_is_terminal: bool, human_format: bool) -> bool {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        Spinner::wanted_in(stderr_is_terminal, human_format, ci)
    }

    /// [`Spinner::wanted`] with the environment given.
    pub fn wanted_in(stderr_is_terminal: bool, human_format: bool, ci: bool) -> bool {
        stderr_is_terminal && human_format && !ci
    }

    /// A spinner on stderr when `enabled`, else a guard that does nothing.
    pub fn start(enabled: bool, message: &str) -> Spinner {
        if !enabled {
            return Spinner {
                stop: None,
                thread: None,
            };
        }
        Spinner::with_writer(Box::new(std::io::stderr()), DELAY, message)
    }

    /// The spinner drawing to any writer after `delay` (tests use a buffer).
    pub fn with_writer(mut out: Box<dyn Write + Send>, delay: Duration, message: &str) -> Spinner {
        let (tx, rx) = mpsc::channel::<()>();
        let message = message.to_string();
        let thread = std::thread::spawn(move || {
            // stopped (or the guard dropped) before the delay: never draw anything
            if rx.recv_timeout(delay) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            let mut frame = 0usize;
            loop {
                // carriage return, the line, clear what a longer earlier frame left
                let _ = write!(out, "\r{}\x1b[K", line(frame, &message, counts()));
                let _ = out.flush();
                frame += 1;
                match rx.recv_timeout(TICK) {
                    Err(RecvTimeoutError::Timeout) => continue,
                    _ => break,
                }
            }
            // erase the line: carriage return, clear to end of line
            let _ = write!(out, "\r\x1b[2K");
            let _ = out.flush();
        });
        Spinner {
            stop: Some(tx),
            thread: Some(thread),
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);

    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn text(buf: &Buf) -> String {
        String::from_utf8(buf.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn quick_runs_print_nothing() {
        let buf = Buf::default();
        let s = Spinner::with_writer(Box::new(buf.clone()), Duration::from_secs(5), "scanning");
        drop(s);
        assert_eq!(text(&buf), "");
    }

    #[test]
    fn slow_runs_spin_then_erase_the_line() {
        let buf = Buf::default();
        let s = Spinner::with_writer(Box::new(buf.clone()), Duration::ZERO, "scanning");
        std::thread::sleep(Duration::from_millis(250));
        drop(s);
        let out = text(&buf);
        assert!(out.starts_with("\r⠋ scanning"), "{out:?}");
        assert!(out.contains("\x1b[K"), "{out:?}");
        assert!(out.ends_with("\r\x1b[2K"), "{out:?}");
    }

    #[test]
    fn only_for_people_at_a_terminal() {
        assert!(Spinner::wanted_in(true, true, false));
        assert!(!Spinner::wanted_in(false, true, false));
        assert!(!Spinner::wanted_in(true, false, false));
        assert!(!Spinner::wanted_in(true, true, true), "never in a CI log");
    }

    #[test]
    fn the_line_counts_files_and_components() {
        assert_eq!(line(0, "scanning…", (0, 0)), "⠋ scanning…");
        assert_eq!(
            line(1, "scanning…", (1, 1)),
            "⠙ scanning… 1 file, 1 component"
        );
        assert_eq!(
            line(10, "scanning and checking…", (12_345, 1_234_567)),
            "⠋ scanning and checking… 12,345 files, 1,234,567 components"
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }
}

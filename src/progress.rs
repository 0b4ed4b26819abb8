//! A spinner on stderr for scans that take more than about a second.
//!
//! Owns one background thread that waits for a delay, then redraws one line
//! (`⠋ scanning …`) until the guard is dropped, and then erases that line so the report
//! starts on a clean terminal. The caller decides whether to show it at all
//! ([`Spinner::wanted`]: stderr is a terminal and the output is for people); machine
//! formats (JSON, SARIF, …) and pipes never get a byte of it. Must not: print anything
//! but the spinner line, or delay the work it watches.

use std::io::Write;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

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
    /// Show a spinner only where a person is watching: stderr is a terminal and the
    /// format is the human one.
    pub fn wanted(stderr_is_terminal: bool, human_format: bool) -> bool {
        stderr_is_terminal && human_format
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
                let _ = write!(out, "\r{} {message}", FRAMES[frame % FRAMES.len()]);
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
        assert!(out.ends_with("\r\x1b[2K"), "{out:?}");
    }

    #[test]
    fn only_for_people_at_a_terminal() {
        assert!(Spinner::wanted(true, true));
        assert!(!Spinner::wanted(false, true));
        assert!(!Spinner::wanted(true, false));
    }
}

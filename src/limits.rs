//! Every bound skew puts on untrusted input, in one place, so the limits documented in
//! `docs/robustness.md` are the ones the code applies and one helper raising a parser's
//! budget does not silently undo another's.
//!
//! Must not: hold logic. Each constant says who applies it.

/// Default size limit for one scanned manifest or lockfile, in bytes (64 MiB: the biggest
/// real lockfiles measured were around 50 MB). A bigger file is reported as `skipped-file`
/// and not read; `max-file-size` in `skew.toml` raises or lowers it.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// Size limit for skew's own inputs: rule files and `skew.toml` (4 MiB; the biggest shipped
/// rule file is a few kilobytes). Not configurable: a bigger one is refused with exit 2.
pub const MAX_CONFIG_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// Longest piece of one source line the human output shows around a span, in characters,
/// on each side of it. Longer lines (minified JSON) are cut and marked with `…`.
pub const SNIPPET_CONTEXT_CHARS: usize = 60;

/// Biggest LSP message body skew accepts (`Content-Length`), in bytes. Editors send whole
/// documents; 64 MiB is far above any manifest, far below an allocation that hurts.
pub const MAX_LSP_MESSAGE: usize = 64 * 1024 * 1024;

/// Longest LSP header line, in bytes (`Content-Length: …` is about 30).
pub const MAX_LSP_HEADER_LINE: usize = 4096;

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

/// YAML (every YAML extractor, through `extract::yaml_tree::options`): deepest nesting
/// of mappings and sequences. Kubernetes CRD schemas nest a few dozen levels; the bound
/// keeps the recursive tree builders' stack small.
pub const YAML_MAX_DEPTH: usize = 128;

/// YAML: values (mappings, sequences, scalars) one manifest may write, aliases not
/// expanded. A compose file or a Helm chart has thousands.
pub const YAML_MAX_NODES: usize = 1_000_000;

/// YAML: values one lockfile (`pnpm-lock.yaml`) may write: a 13 MB lockfile of a large
/// monorepo has about two million.
pub const YAML_LOCKFILE_MAX_NODES: usize = 20_000_000;

/// YAML: values that aliases (`*name`) and merges (`<<: *name`) may add in total when they
/// are expanded: the expanded size, which is what an alias bomb ("billion laughs") blows
/// up. Real files reuse a few anchors many times (getsentry/self-hosted's compose file:
/// 142 merges of 10 anchors) and stay far below it. This replaces the parser's
/// alias-to-anchor ratio heuristic, which rejected such valid files.
pub const YAML_MAX_EXPANDED_VALUES: usize = 1_000_000;

/// Compose `extends:` (`scan::compose_extends`): services one chain of `extends:` across
/// files may go through. Real chains are two or three long; a longer one is refused with
/// a `parse-error`, as a cycle is.
pub const COMPOSE_EXTENDS_MAX_DEPTH: usize = 32;

/// MySQL option files (`scan::option_files`): `.cnf` files read from one folder a
/// compose service mounts as `/etc/mysql/conf.d`, in name order. Real folders hold one
/// to a handful; the rest of a bigger folder is not read.
pub const OPTION_FILES_MAX_PER_FOLDER: usize = 64;

/// Helm chart archives (`charts/*.tgz`, `extract::helm_archive`): entries read before the
/// chart's `Chart.yaml` is found. `helm package` writes `Chart.yaml` first; a chart has
/// tens to hundreds of files.
pub const HELM_ARCHIVE_MAX_ENTRIES: usize = 10_000;

/// Helm chart archives: bytes the archive may unpack to before its `Chart.yaml` is read
/// (64 MiB; a vendored chart unpacks to well under 1 MiB). Bounds a gzip bomb whatever
/// its compressed size.
pub const HELM_ARCHIVE_MAX_UNPACKED: u64 = 64 * 1024 * 1024;

/// Helm chart archives: size of the `Chart.yaml` inside (1 MiB; real ones are a few
/// kilobytes).
pub const HELM_ARCHIVE_MAX_CHART_YAML: u64 = 1024 * 1024;

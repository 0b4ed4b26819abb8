//! Every bound skew puts on untrusted input, in one place, so the limits a file meets are
//! the ones documented and one extractor raising a parser's budget cannot silently undo
//! another's.
//!
//! Must not: hold logic. Each constant says who applies it.

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

//! skew: catch version-compatibility mismatches between servers and the software that
//! talks to them, before anything is upgraded.
//!
//! Every front end (the CLI commands in `run`, `skew lsp`, the tests and benches) calls
//! one [`pipeline`]:
//!
//! ```text
//!  1 load ──► 2 scan ──► 3 plan ──► 4 evaluate ──► 5 filter ──► 6 report
//!  rule/*     scan       rehearse   check/*        run, staged  report/*
//!  config     extract/*  (env,      (one file      baseline     (one file per
//!             version/*  assume)    per kind)      since        format)
//!                                   graph
//! ```
//!
//! `rules/` is data, `src/rule/` is the model of that data, `src/check/` evaluates it.
//! Modules are listed below in that order: inputs, the pipeline's steps, its outputs, then
//! the front ends.

// 1 load: command line, skew.toml, rule files
pub mod cli;
pub mod config;
// every bound on untrusted input
pub mod limits;
pub mod read;
pub mod root;
pub mod rule;
// 2 scan: files, the components extracted from them, version semantics
pub mod component;
pub mod extract;
#[doc(hidden)]
pub mod fuzzing;
pub mod scan;
pub mod source;
pub mod version;
// 3 plan: deployment topology and finding families; scenarios (environments, declared
// and assumed servers, what-if, baselines)
pub mod plan;
pub mod rehearse;
// 4 evaluate: rule kinds and built-in checks, the compatibility graph
pub mod check;
pub mod graph;
// 5-6 findings, filters at the edge, reporters
pub mod diagnostic;
pub mod docs;
pub mod render_graph;
pub mod report;
pub mod staged;
pub mod suppress;
// the pipeline, and the front ends around it
pub mod init;
pub mod lsp;
pub mod pipeline;
pub mod progress;
pub mod run;
pub mod shell;
pub mod timing;

pub use cli::ExitStatus;
pub use run::run;

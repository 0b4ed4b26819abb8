//! skew: catch version-compatibility mismatches between servers and the software that
//! talks to them, before anything is upgraded.
//!
//! The pipeline, in module order:
//!
//! ```text
//!  scan ──► extract/* ──► components ──► graph ──► check/* ──► findings ──► report/*
//!  (walk once)  (one file      │        (petgraph)  (one file     (plain     (human, json,
//!               per format)    │                    per rule kind) data)      sarif, …)
//!                              └── version/* (per-ecosystem ranges)  rule/* (model of rules/*.toml)
//! ```
//!
//! `rules/` is data, `src/rule/` is the model of that data, `src/check/` evaluates it.

pub mod check;
pub mod cli;
pub mod component;
pub mod config;
pub mod diagnostic;
pub mod docs;
pub mod extract;
#[doc(hidden)]
pub mod fuzzing;
pub mod graph;
pub mod limits;
pub mod lsp;
pub mod progress;
pub mod read;
pub mod rehearse;
pub mod render_graph;
pub mod report;
pub mod rule;
pub mod run;
pub mod scan;
pub mod shell;
pub mod source;
pub mod staged;
pub mod version;

pub use run::{ExitStatus, run};

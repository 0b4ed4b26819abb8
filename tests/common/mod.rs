//! Helpers shared by the integration tests that run whole fixture projects.

use std::path::{Path, PathBuf};

use skew::check::CheckOptions;
use skew::diagnostic::Finding;
use skew::rule::RuleSet;
use skew::run::check_inventory_with;
use skew::scan::{ScanOptions, scan};

/// The repository root (where `fixtures/` lives).
#[allow(dead_code)] // not every test binary needs it
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The fixed "today" of every fixture test, so end-of-life rules do not change their
/// verdicts as the calendar moves.
pub const TODAY: &str = "2026-01-01";

/// Check a project with `rules`, and render its findings one per line as a user reads
/// them (with related locations and the fix), for snapshots.
pub fn check_project(dir: &Path, rules: &RuleSet) -> (Vec<Finding>, String) {
    let mut inv = scan(dir, &ScanOptions::default())
        .unwrap_or_else(|e| panic!("cannot scan {}: {e}", dir.display()));
    let options = CheckOptions {
        today: TODAY.parse().unwrap(),
        assume: Vec::new(),
    };
    let checked = check_inventory_with(&mut inv, rules, options);
    let mut text = String::new();
    for f in &checked.findings {
        let loc = inv.sources.location(f.primary.span);
        text.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            loc.path, loc.line, loc.column, f.severity, f.rule_id, f.message
        ));
        for r in &f.related {
            let l = inv.sources.location(r.span);
            text.push_str(&format!(
                "  related {}:{}:{}: {}\n",
                l.path, l.line, l.column, r.message
            ));
        }
        if let Some(fix) = &f.fix {
            text.push_str(&format!("  fix: {fix}\n"));
        }
    }
    (checked.findings, text)
}

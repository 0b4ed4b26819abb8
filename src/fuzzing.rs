//! Entry points for the fuzz targets in `fuzz/` (cargo-fuzz), kept in the library so
//! they build, lint and run in the ordinary test suite too. Not an API.
//!
//! Owns what one fuzz input means: for `extract`, the first byte picks a file name from
//! [`names`] (the first sample path of every extractor in the registry), the rest is the
//! file's bytes, decoded as the scanner decodes them, extracted, and rendered in every
//! output format (so snippet cutting and escaping meet odd text as well). Must not: touch
//! the file system.

use std::path::Path;

use crate::config::Config;
use crate::extract::{EXTRACTORS, Extraction};
use crate::read;
use crate::report::{self, Format, HumanOptions, Report};
use crate::rule::RuleSet;
use crate::source::Sources;

/// One file name per extractor: the first of its registry sample paths.
pub fn names() -> Vec<&'static str> {
    EXTRACTORS
        .iter()
        .filter_map(|e| e.sample_paths().first().copied())
        .collect()
}

/// Make panics inside [`crate::diagnostic::guard_parser`] (a third-party parser's bug that
/// skew turns into a `parse-error`) pass, as the binary's hook does: libFuzzer's hook
/// aborts on every panic, caught or not. Call once per process, after libFuzzer set its
/// hook (the first input is the time).
pub fn tolerate_guarded_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !crate::diagnostic::in_guarded_parser() {
                fuzzer_hook(info);
            }
        }));
    });
}

/// Extract `bytes` as the file [`names`]`()[pick % len]` and render what came out.
pub fn extract(pick: u8, bytes: &[u8]) {
    let names = names();
    let name = names[pick as usize % names.len()];
    let decoded = read::decode(bytes.to_vec());
    if decoded.problem.is_some() {
        return;
    }
    let mut sources = Sources::new();
    let id = sources.add(name, decoded.text);
    let file = sources.get(id);
    let mut out = Extraction::default();
    for ex in EXTRACTORS.iter().filter(|e| e.wants(Path::new(name))) {
        ex.extract(file, &mut out);
    }
    for c in &out.components {
        assert!(c.span.end <= file.text.len(), "component span out of range");
    }
    let view = sources.view();
    let components: Vec<_> = out.components.iter().collect();
    let report = Report {
        root: ".".into(),
        sources: &view,
        findings: &out.problems,
        components: &components,
        projects: &[],
        files_scanned: 1,
        rules: &[],
        hidden: Default::default(),
    };
    for format in [
        Format::Human,
        Format::Json,
        Format::Short,
        Format::Github,
        Format::Sarif,
    ] {
        let mut sink = Vec::new();
        report::render_inventory(format, &report, &HumanOptions::default(), &mut sink)
            .expect("rendering to memory cannot fail");
        if matches!(format, Format::Human | Format::Short | Format::Github) {
            let text = String::from_utf8_lossy(&sink);
            assert!(!text.contains('\u{1b}'), "raw ESC in {format:?} output");
        }
    }
}

/// Load `bytes` as a user rule file.
pub fn rules(bytes: &[u8]) {
    let decoded = read::decode(bytes.to_vec());
    if decoded.problem.is_some() {
        return;
    }
    let mut set = RuleSet::default();
    let _ = set.add_user_file("fuzz.toml", &decoded.text);
}

/// Parse and validate `bytes` as a `skew.toml` (rule paths are not looked up).
pub fn config(bytes: &[u8]) {
    let decoded = read::decode(bytes.to_vec());
    if decoded.problem.is_some() {
        return;
    }
    let _ = Config::parse("skew.toml", &decoded.text, Path::new(""));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_extractor_is_reachable_from_a_fuzz_name() {
        for ex in EXTRACTORS {
            assert!(
                names().iter().any(|n| ex.wants(Path::new(n))),
                "no fuzz name for extractor `{}`: give it sample_paths",
                ex.name()
            );
        }
    }

    #[test]
    fn the_targets_run_on_the_fixtures_and_on_noise() {
        fn each_file(dir: &Path, f: &mut dyn FnMut(&[u8])) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                if e.path().is_dir() {
                    each_file(&e.path(), f);
                } else {
                    f(&std::fs::read(e.path()).unwrap());
                }
            }
        }
        let mut seen = 0;
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/extract");
        each_file(&dir, &mut |bytes| {
            for pick in 0..names().len() as u8 {
                extract(pick, bytes);
            }
            seen += 1;
        });
        assert!(seen > 50, "{seen}");
        for text in [
            "",
            "\u{feff}[[rule]]",
            "rules = [1]\n[environments.a]\nservers = 3",
        ] {
            rules(text.as_bytes());
            config(text.as_bytes());
        }
    }
}

//! Bad input gets a diagnostic, never a panic: every extractor is run on every prefix of
//! every fixture file (a file cut off mid-write is the most common broken manifest) and on
//! deterministic byte mutations of them, under every file name the extractor wants.
//! Deterministic and bounded: about 200 cuts per file.

use std::path::{Path, PathBuf};

use skew::extract::{EXTRACTORS, Extraction};
use skew::source::{FileId, SourceFile};

fn fixture_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            fixture_files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The names this fixture is tried under: its own, and every sample path of the
/// extractor registry (the fixture cast names files freely, e.g. `several.json` for a
/// package-lock).
fn names_for(path: &Path) -> Vec<String> {
    let own = path.file_name().unwrap().to_string_lossy().into_owned();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let mut v = vec![own];
    // only the names of formats written in the same syntax family, to stay fast
    v.extend(
        skew::extract::sample_paths()
            .filter(|n| {
                let family = |e: &str| match e {
                    "yml" | "yaml" => "yaml",
                    "json" => "json",
                    "toml" | "lock" => "toml",
                    "xml" | "csproj" => "xml",
                    _ => "text",
                };
                let n_ext = Path::new(n)
                    .extension()
                    .and_then(|e| e.to_str())
                    .unwrap_or("");
                family(n_ext) == family(ext)
            })
            .map(|n| n.to_string()),
    );
    v
}

fn run_all(rel: &str, text: &str) {
    let file = SourceFile::new(FileId(0), rel, text);
    for ex in EXTRACTORS.iter().filter(|e| e.wants(Path::new(rel))) {
        let mut out = Extraction::default();
        ex.extract(&file, &mut out);
        // every span must lie inside the text it came from
        for c in &out.components {
            assert!(
                c.span.end <= text.len(),
                "{} on {rel}: span out of range",
                ex.name()
            );
        }
        for p in &out.problems {
            assert!(p.primary.span.end <= text.len(), "{} on {rel}", ex.name());
        }
    }
}

#[test]
fn truncated_and_mutated_fixtures_never_panic() {
    let mut files = Vec::new();
    fixture_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/extract"),
        &mut files,
    );
    files.sort();
    assert!(files.len() > 100);
    let mut runs = 0usize;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let step = (text.len() / 200).max(1);
        for name in names_for(path) {
            let mut cut = 0;
            while cut <= text.len() {
                if text.is_char_boundary(cut) {
                    let result = std::panic::catch_unwind(|| run_all(&name, &text[..cut]));
                    assert!(
                        result.is_ok(),
                        "panic on {} cut at byte {cut} as `{name}`",
                        path.display()
                    );
                    runs += 1;
                }
                cut += step;
            }
            // deterministic mutations: structural characters dropped in or doubled
            for (i, ch) in ['"', '{', '[', ':', '\n', '=', '\\', '\u{0}']
                .into_iter()
                .enumerate()
            {
                let at = (text.len() * (i + 1) / 9).min(text.len());
                let at = (0..=at)
                    .rev()
                    .find(|&a| text.is_char_boundary(a))
                    .unwrap_or(0);
                let mut mutated = text.clone();
                mutated.insert(at, ch);
                let result = std::panic::catch_unwind(|| run_all(&name, &mutated));
                assert!(
                    result.is_ok(),
                    "panic on {} with {ch:?} inserted at {at} as `{name}`",
                    path.display()
                );
                runs += 1;
            }
        }
    }
    assert!(runs > 10_000, "{runs}");
}

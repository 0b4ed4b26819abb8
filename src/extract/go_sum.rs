//! `go.sum`: the module versions a Go build downloaded, as a lockfile.
//!
//! A module whose `go.mod` says `go 1.16` or older lists only its direct requirements;
//! the modules it builds with indirectly are written nowhere but here. Each line is
//! `<module> <version>[/go.mod] <hash>`. A `/go.mod` line says the build read that
//! version's go.mod while walking the module graph (every version any requirement names);
//! a line without it is the hash of the module's source, which the go command records
//! only for modules whose code it downloaded to build, at the version MVS selected.
//!
//! Rule, so rules can rely on it: each module with a source line is one `lock`
//! `package`/`go` at that version, blamed on it; a module with several source lines (a
//! go.sum not tidied after a downgrade) takes the highest, as MVS selects the highest
//! version any requirement asks for. Modules with only `/go.mod` lines are part of the
//! graph but not of the build: no component. A `go.mod` require links to its entry like
//! any manifest to its lockfile (nearest folder, same name), so a requirement raised by
//! another module shows the version really built.
//!
//! Must not: compute MVS from go.mod files (they are not all in the repository), or read
//! hashes. A line that is not `module version hash` is a `parse-error` at that line; the
//! rest of the file is still read.

use std::collections::HashMap;
use std::path::Path;

use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::diagnostic::parse_error;
use crate::source::{SourceFile, Span};
use crate::version::{Scheme, parse_version};

pub struct GoSum;

impl Extractor for GoSum {
    fn name(&self) -> &'static str {
        "go-sum"
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["go.sum", "tools/go.sum"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path) == "go.sum"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        // module -> (version, span) of the highest source line, in first-seen order
        let mut order: Vec<String> = Vec::new();
        let mut best: HashMap<String, (String, Span)> = HashMap::new();
        let mut offset = 0;
        for line in file.text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let body = line.trim_end();
            if body.trim().is_empty() {
                continue;
            }
            let mut fields = Vec::new();
            let mut at = 0;
            for part in body.split(' ') {
                if !part.is_empty() {
                    fields.push((start + at, part));
                }
                at += part.len() + 1;
            }
            let [(_, module), (vstart, version), (_, hash)] = fields[..] else {
                let at = start + (body.len() - body.trim_start().len());
                out.problem(parse_error(
                    file.span(at, start + body.len()),
                    "go.sum",
                    "expected `<module> <version> <hash>`",
                ));
                continue;
            };
            if !hash.contains(':') || !version.starts_with('v') {
                out.problem(parse_error(
                    file.span(vstart, vstart + version.len()),
                    "go.sum",
                    "expected `<module> <version> <hash>`",
                ));
                continue;
            }
            if version.ends_with("/go.mod") {
                continue;
            }
            let span = file.span(vstart, vstart + version.len());
            match best.get_mut(module) {
                None => {
                    order.push(module.to_string());
                    best.insert(module.to_string(), (version.to_string(), span));
                }
                Some(b) if higher(version, &b.0) => *b = (version.to_string(), span),
                Some(_) => {}
            }
        }
        for module in order {
            let (version, span) = best.remove(&module).expect("recorded");
            out.push(
                Component::new(
                    ComponentKind::Package,
                    Ecosystem::Go,
                    module,
                    Some(version),
                    span,
                )
                .lockfile(),
            );
        }
    }
}

/// Is `a` a higher Go module version than `b`? (Unparsable versions never are.)
fn higher(a: &str, b: &str) -> bool {
    match (parse_version(Scheme::Go, a), parse_version(Scheme::Go, b)) {
        (Ok(a), Ok(b)) => a > b,
        (Ok(_), Err(_)) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/go-sum", "*.sum", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&GoSum, "go.sum", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }

    #[test]
    fn pseudo_versions_and_incompatible_order_as_go_does() {
        assert!(higher("v1.10.0", "v1.9.0"));
        assert!(higher("v2.0.0+incompatible", "v1.9.0"));
        assert!(higher(
            "v0.0.0-20240101000000-abcdefabcdef",
            "v0.0.0-20230101000000-abcdefabcdef"
        ));
        assert!(!higher("v1.0.0-rc.1", "v1.0.0"));
    }
}

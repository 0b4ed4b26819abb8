//! Dev Container configs (`.devcontainer/devcontainer.json`, `.devcontainer.json`,
//! `.devcontainer/<name>/devcontainer.json`): the image a development container runs and
//! the features installed into it.
//!
//! The file is JSON with comments (`//`, `/* */`) and trailing commas; both are blanked
//! to spaces before decoding, so every offset stays the file's own. `image` is a
//! `runtime` in `docker` (the environment runs on it, like a Dockerfile's base image),
//! version = the tag, blamed on it; no tag is version `None`, blamed on the name. Each
//! `features` key is an OCI reference (`ghcr.io/devcontainers/features/java:1`): a `tool`
//! in `docker`, version = its tag. The official node, python, go and ruby features'
//! (`<registry>/devcontainers/features/node`, as published or mirrored) `version` option is the runtime they install → `runtime`/`runtime` `node`, `python`,
//! `go`, `ruby`, blamed on the option's value (what Renovate's devcontainer manager reads;
//! `"lts"`, `"latest"`, `"none"` and `"os-provided"` name no version: no component).
//!
//! Must not: read `build.dockerfile` or `dockerComposeFile` (those files are scanned by
//! their own extractors), or features given by a local path (`./my-feature`) or a URL to
//! a tarball (no version in the reference).

use std::path::Path;

use serde::Deserialize;

use super::image_ref::{digest, split_image};
use super::json_str::Str;
use super::npm_manifest::json_error;
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::source::SourceFile;

pub struct Devcontainer;

impl Extractor for Devcontainer {
    fn name(&self) -> &'static str {
        "devcontainer"
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[
            ".devcontainer/devcontainer.json",
            ".devcontainer.json",
            ".devcontainer/python/devcontainer.json",
        ]
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Slash)
    }

    fn wants(&self, path: &Path) -> bool {
        let name = file_name(path);
        fn parent(p: &Path) -> &str {
            p.parent().map(file_name).unwrap_or("")
        }
        name == ".devcontainer.json"
            || (name == "devcontainer.json"
                && (parent(path) == ".devcontainer"
                    || path.parent().is_some_and(|p| parent(p) == ".devcontainer")))
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        if file.text.trim().is_empty() {
            return;
        }
        // same offsets, comments and trailing commas turned into spaces
        let clean = SourceFile::new(file.id, file.path.clone(), strip_jsonc(&file.text));
        let config: Config = match serde_json::from_str(&clean.text) {
            Ok(c) => c,
            Err(e) => return out.problem(json_error(file, "devcontainer.json", &e)),
        };
        if let Some(image) = &config.image {
            if let Some(c) = reference(&clean, image, ComponentKind::Runtime) {
                out.push(c);
            }
        }
        for (key, options) in config.features.map(|f| f.0).unwrap_or_default() {
            let Some(feature) = reference(&clean, &key, ComponentKind::Tool) else {
                continue;
            };
            let runtime = feature
                .name
                .split_once("/devcontainers/features/")
                .and_then(|(_, id)| {
                    ["node", "python", "go", "ruby"]
                        .into_iter()
                        .find(|r| *r == id)
                });
            let group = feature.name.clone();
            out.push(feature);
            let Some(runtime) = runtime else { continue };
            let Some(v) = options.and_then(|o| o.version) else {
                continue;
            };
            if !v.0.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let Some(span) = v.span(&clean) else { continue };
            out.push(
                Component::new(
                    ComponentKind::Runtime,
                    Ecosystem::Runtime,
                    runtime,
                    Some(v.0.to_string()),
                    span,
                )
                .group(group),
            );
        }
    }
}

/// The fields read: the rest of the file (customizations, mounts) is ignored.
#[derive(Deserialize)]
struct Config<'a> {
    #[serde(borrow, default)]
    image: Option<Str<'a>>,
    #[serde(borrow, default)]
    features: Option<Features<'a>>,
}

/// `features` in file order, each with its options (an object; `{}` or another value
/// for a feature without options).
struct Features<'a>(Vec<(Str<'a>, Option<FeatureOptions<'a>>)>);

impl<'de: 'a, 'a> Deserialize<'de> for Features<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs =
            super::composer_manifest::Pairs::<'a, &'a serde_json::value::RawValue>::deserialize(d)?;
        Ok(Features(
            pairs
                .0
                .into_iter()
                .map(|(k, raw)| (k, serde_json::from_str(raw.get()).ok()))
                .collect(),
        ))
    }
}

#[derive(Deserialize)]
struct FeatureOptions<'a> {
    #[serde(borrow, default)]
    version: Option<Str<'a>>,
}

/// An image or feature reference as a component of `kind`, or `None` for a local path,
/// a URL, or a string without a name.
fn reference(file: &SourceFile, text: &Str, kind: ComponentKind) -> Option<Component> {
    let s = text.0.trim();
    if s.is_empty() || s.starts_with(['.', '/']) || s.contains("://") {
        return None;
    }
    let span = text.span(file)?;
    let (name, tag) = split_image(s);
    let (version, span) = match tag {
        Some((from, to)) => (
            Some(s[from..to].to_string()),
            file.span(span.start + from, span.start + to),
        ),
        None => (None, file.span(span.start, span.start + name.len())),
    };
    Some(Component::new(kind, Ecosystem::Docker, name, version, span).digest(digest(s)))
}

/// `text` with `//` and `/* */` comments and the commas before a closing `}` or `]`
/// replaced by spaces (newlines kept), so a JSON decoder reads it at the same offsets.
fn strip_jsonc(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let mut last_comma: Option<usize> = None;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' && *c != b'\r' {
                *c = b' ';
            }
        }
    };
    while i < b.len() {
        match b[i] {
            b'"' => {
                last_comma = None;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |p| i + p);
                blank(&mut out, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 2);
                blank(&mut out, i, end);
                i = end;
            }
            b',' => {
                last_comma = Some(i);
                i += 1;
            }
            b'}' | b']' => {
                if let Some(c) = last_comma.take() {
                    out[c] = b' ';
                }
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                last_comma = None;
                i += 1;
            }
        }
    }
    // only ASCII bytes outside strings were replaced by ASCII spaces
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/devcontainer", "*.json", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&Devcontainer, ".devcontainer/devcontainer.json", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }

    #[test]
    fn comments_and_trailing_commas_keep_offsets() {
        let text = "{\n  // c\n  \"a\": [1, 2,], /* x */ \"b\": \"//\",\n}";
        let clean = strip_jsonc(text);
        assert_eq!(clean.len(), text.len());
        let v: serde_json::Value = serde_json::from_str(&clean).unwrap();
        assert_eq!(v["b"], "//");
    }

    #[test]
    fn wants_only_devcontainer_configs() {
        let w = |p: &str| Devcontainer.wants(Path::new(p));
        assert!(w(".devcontainer/devcontainer.json"));
        assert!(w(".devcontainer.json"));
        assert!(w("app/.devcontainer/go/devcontainer.json"));
        assert!(!w("devcontainer.json"));
        assert!(!w("src/devcontainer.json"));
    }
}

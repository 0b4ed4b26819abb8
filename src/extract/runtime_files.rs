//! Runtime version files: the language runtimes (and tools) a repository pins.
//!
//! Owns `.nvmrc`, `.node-version`, `.python-version`, `runtime.txt`, `.ruby-version`,
//! `.java-version`, goenv's `.go-version` ("an application-specific `.go-version` file",
//! <https://github.com/syndbg/goenv/blob/master/COMMANDS.md>), `rust-toolchain`,
//! `rust-toolchain.toml`, asdf/mise's `.tool-versions`, tfenv's `.terraform-version` ("If
//! you put a `.terraform-version` file on your project root … tfenv detects it and uses the
//! version written in it", <https://github.com/tfutils/tfenv#terraform-version-file>; a
//! `tool` named `terraform`, `latest:^0.8` and `min-required` kept as written) and SDKMAN!'s `.sdkmanrc`
//! (`java=17.0.9-tem`: the vendor suffix is left out of the version; other candidates
//! such as `maven` are tools). Every pin is a `runtime` (or a `tool`, for CLIs such as terraform in
//! `.tool-versions`) in ecosystem `runtime`, named canonically (`nodejs` -> `node`,
//! `golang` -> `go`) so rules meet one name. The version is kept as written, aliases
//! included (`lts/hydrogen`, `system`, `stable`, `latest`); only a distribution prefix
//! that is not part of the version (`python-3.11.4`, `ruby-3.2.2`, `temurin-17.0.2+8`) is
//! left out of it and out of the span, as is an rvm gemset (`3.2.2@app`); `jruby-…` and
//! `truffleruby-…` in `.ruby-version` are runtimes of those names. Must not: resolve aliases to versions (that needs
//! the network) or read files other than the one handed over.

use std::path::Path;

use serde::Deserialize;
use serde_spanned::Spanned;

use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::diagnostic::parse_error;
use crate::source::SourceFile;

pub struct RuntimeFiles;

impl Extractor for RuntimeFiles {
    fn name(&self) -> &'static str {
        "runtime-files"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Hash)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[
            ".nvmrc",
            ".node-version",
            ".python-version",
            "runtime.txt",
            ".ruby-version",
            ".java-version",
            ".go-version",
            "rust-toolchain",
            "rust-toolchain.toml",
            ".tool-versions",
            ".terraform-version",
            ".sdkmanrc",
        ]
    }

    fn wants(&self, path: &Path) -> bool {
        matches!(
            file_name(path),
            ".nvmrc"
                | ".node-version"
                | ".python-version"
                | "runtime.txt"
                | ".ruby-version"
                | ".java-version"
                | ".go-version"
                | "rust-toolchain"
                | "rust-toolchain.toml"
                | ".tool-versions"
                | ".terraform-version"
                | ".sdkmanrc"
        )
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let name = file_name(Path::new(&file.path));
        match name {
            ".nvmrc" | ".node-version" => first_value(file, out, "node", |v| v),
            // pyenv: one version per line, the first one wins but all are installed
            ".python-version" => {
                for v in values(file).flat_map(str::split_whitespace) {
                    push(file, out, ComponentKind::Runtime, "python", v);
                }
            }
            "runtime.txt" => first_value(file, out, "python", |v| {
                v.strip_prefix("python-").unwrap_or(v)
            }),
            ".ruby-version" => ruby_version(file, out),
            ".java-version" => first_value(file, out, "java", numeric_part),
            ".go-version" => first_value(file, out, "go", |v| v),
            "rust-toolchain.toml" => toolchain_toml(file, out),
            "rust-toolchain" if file.text.contains("[toolchain]") => toolchain_toml(file, out),
            "rust-toolchain" => first_value(file, out, "rust", |v| v),
            ".tool-versions" => tool_versions(file, out),
            ".terraform-version" => {
                // tfenv reads the first word: a version, `latest[:regex]`, `min-required`
                if let Some(v) = values(file).next() {
                    let word = v.split_whitespace().next().unwrap_or(v);
                    push(file, out, ComponentKind::Tool, "terraform", word);
                }
            }
            ".sdkmanrc" => sdkmanrc(file, out),
            _ => {}
        }
    }
}

/// `.ruby-version` in the forms rbenv, rvm and chruby write: `3.2.2`, `ruby-3.2.2`,
/// `ruby-3.2.2@gemset`/`3.2.2@gemset` (an rvm gemset is not part of the version), and
/// other implementations by name (`jruby-9.4.5.0`, `truffleruby-23.1.0`: runtimes of
/// their own name, not `ruby`).
fn ruby_version(file: &SourceFile, out: &mut Extraction) {
    let Some(v) = values(file).next() else { return };
    let word = v.split_whitespace().next().unwrap_or(v);
    let word = word.split('@').next().unwrap_or(word);
    let (runtime, version) = match word.split_once('-') {
        Some((engine @ ("jruby" | "truffleruby" | "mruby"), rest)) if !rest.is_empty() => {
            (engine, rest)
        }
        _ => ("ruby", word.strip_prefix("ruby-").unwrap_or(word)),
    };
    if !version.is_empty() {
        push(file, out, ComponentKind::Runtime, runtime, version);
    }
}

/// Non-blank lines that are not `#` comments, trimmed, as slices of the file.
fn values(file: &SourceFile) -> impl Iterator<Item = &str> {
    file.text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
}

fn first_value(file: &SourceFile, out: &mut Extraction, runtime: &str, version: fn(&str) -> &str) {
    if let Some(v) = values(file).next() {
        // a version file holds one word; anything after it is not the version
        let word = v.split_whitespace().next().unwrap_or(v);
        push(file, out, ComponentKind::Runtime, runtime, version(word));
    }
}

fn push(file: &SourceFile, out: &mut Extraction, kind: ComponentKind, name: &str, version: &str) {
    out.push(Component::new(
        kind,
        Ecosystem::Runtime,
        name,
        Some(version.to_string()),
        file.span_of(version),
    ));
}

/// `.sdkmanrc`: `candidate=version` lines; `java` is the runtime, other candidates
/// (`maven`, `gradle`) are tools. SDKMAN!'s Java identifiers end in a vendor
/// (`17.0.9-tem`, `21.0.1-graalce`), which is not part of the version.
fn sdkmanrc(file: &SourceFile, out: &mut Extraction) {
    for line in values(file) {
        let Some((name, version)) = line.split_once('=') else {
            continue;
        };
        let (name, version) = (name.trim(), version.trim());
        if name.is_empty() || version.is_empty() {
            continue;
        }
        if name == "java" {
            let version = match version.rsplit_once('-') {
                Some((v, vendor))
                    if !v.is_empty() && vendor.chars().all(|c| c.is_ascii_alphabetic()) =>
                {
                    v
                }
                _ => version,
            };
            push(file, out, ComponentKind::Runtime, "java", version);
        } else {
            push(file, out, ComponentKind::Tool, name, version);
        }
    }
}

/// `temurin-17.0.2+8` -> `17.0.2+8`: the version starts at the first digit after a
/// distribution prefix; aliases without digits stay as written.
fn numeric_part(v: &str) -> &str {
    match v.find(|c: char| c.is_ascii_digit()) {
        Some(i) if i == 0 || v[..i].ends_with('-') => &v[i..],
        _ => v,
    }
}

/// asdf plugin names -> canonical runtime names; anything else pinned there is a tool.
const RUNTIMES: &[(&str, &str)] = &[
    ("nodejs", "node"),
    ("node", "node"),
    ("golang", "go"),
    ("go", "go"),
    ("python", "python"),
    ("ruby", "ruby"),
    ("java", "java"),
    ("rust", "rust"),
    ("php", "php"),
    ("erlang", "erlang"),
    ("elixir", "elixir"),
    ("deno", "deno"),
    ("bun", "bun"),
    ("dotnet", "dotnet"),
    ("dotnet-core", "dotnet"),
    ("perl", "perl"),
    ("lua", "lua"),
    ("julia", "julia"),
    ("scala", "scala"),
    ("kotlin", "kotlin"),
    ("zig", "zig"),
    ("crystal", "crystal"),
    ("dart", "dart"),
    ("swift", "swift"),
];

/// `.tool-versions`: `name version [fallback versions…]  # comment` per line.
fn tool_versions(file: &SourceFile, out: &mut Extraction) {
    for line in file.text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        let Some(plugin) = words.next() else { continue };
        // asdf plugin names are lowercase words; anything else is not a pin
        if !plugin
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        {
            out.problem(parse_error(
                file.span_of(plugin),
                ".tool-versions",
                format!("`{plugin}` is not a plugin name"),
            ));
            continue;
        }
        let (kind, name) = match RUNTIMES.iter().find(|(p, _)| *p == plugin) {
            Some((_, canonical)) => (ComponentKind::Runtime, *canonical),
            None => (ComponentKind::Tool, plugin),
        };
        let mut any = false;
        for v in words {
            any = true;
            let v = if name == "java" { numeric_part(v) } else { v };
            push(file, out, kind, name, v);
        }
        if !any {
            out.problem(parse_error(
                file.span_of(plugin),
                ".tool-versions",
                format!("`{plugin}` has no version"),
            ));
        }
    }
}

#[derive(Deserialize)]
struct ToolchainFile {
    toolchain: Option<Toolchain>,
}

#[derive(Deserialize)]
struct Toolchain {
    channel: Option<Spanned<String>>,
}

/// `[toolchain] channel = "1.76.0"` (rust-toolchain.toml, or a TOML rust-toolchain).
fn toolchain_toml(file: &SourceFile, out: &mut Extraction) {
    let parsed: ToolchainFile = match toml::from_str(&file.text) {
        Ok(p) => p,
        Err(e) => {
            let at = e.span().map(|s| s.start).unwrap_or(0);
            out.problem(parse_error(
                file.span(at, at),
                "rust-toolchain.toml",
                e.message(),
            ));
            return;
        }
    };
    let Some(channel) = parsed.toolchain.and_then(|t| t.channel) else {
        return;
    };
    let span = channel.span();
    // the span covers the quotes; blame the text inside when it is written verbatim
    let raw = file.text.get(span.clone()).unwrap_or("");
    let inner = raw
        .get(1..raw.len().saturating_sub(1))
        .filter(|i| *i == channel.get_ref().as_str());
    let span = match inner {
        Some(i) => file.span_of(i),
        None => file.span(span.start, span.end),
    };
    out.push(Component::new(
        ComponentKind::Runtime,
        Ecosystem::Runtime,
        "rust",
        Some(channel.into_inner()),
        span,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn java_versions_drop_the_distribution() {
        assert_eq!(numeric_part("temurin-17.0.2+8"), "17.0.2+8");
        assert_eq!(numeric_part("17"), "17");
        assert_eq!(numeric_part("system"), "system");
        assert_eq!(
            numeric_part("graalvm-ce-java17-22.3.0"),
            "graalvm-ce-java17-22.3.0"
        );
    }

    /// Fixtures are `runtime-files/<case>/<file name>`: the file name picks the format.
    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract", "runtime-files/*/*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.file_name().unwrap().to_str().unwrap();
            let (file, out) = run(&RuntimeFiles, name, &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}

//! .NET project files: `*.csproj`, `*.fsproj`, `*.vbproj`, and the MSBuild files beside
//! them that declare packages (`Directory.Packages.props` for central package
//! management, `Directory.Build.props`).
//!
//! Reads the XML with `roxmltree` (byte ranges). Must not: evaluate MSBuild — imports,
//! conditions and targets are not followed; `$(Name)` is resolved only from
//! `PropertyGroup`s of the same file.
//!
//! Choices, so rules can rely on them:
//! - `PackageReference` (`Include` or `Update`), `PackageVersion` (central package
//!   management) and `GlobalPackageReference` are `package`/`nuget`. The version comes
//!   from the `Version` (or `VersionOverride`) attribute or child element, blamed on
//!   its text — or on the property's value when it is exactly `$(Name)`. A reference
//!   without a version (its version is central, in `Directory.Packages.props`) or with
//!   an unresolvable property has version `None`, blamed on the name.
//! - `TargetFramework`/`TargetFrameworks` is the runtime the project requires, one
//!   component per framework, blamed on that framework's text. TFMs are not versions, so
//!   they are read into a name and a version: `net8.0`, `net8.0-windows`,
//!   `netcoreapp3.1` -> `runtime`/`nuget`/`dotnet` `8.0`/`3.1`; `netstandard2.0` ->
//!   `netstandard` `2.0`; `net48`/`net472` -> `dotnet-framework` `4.8`/`4.7.2`.
//!   Anything else keeps the whole TFM as the name, version `None`.

use std::collections::HashMap;
use std::path::Path;

use roxmltree::Node;

use super::maven_pom::{child, parse_xml, text_of};
use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::source::{SourceFile, Span};

pub struct DotnetProject;

impl Extractor for DotnetProject {
    fn name(&self) -> &'static str {
        "dotnet-project"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Xml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[
            "src/App/App.csproj",
            "src/Lib/Lib.fsproj",
            "src/Old/Old.vbproj",
            "Directory.Packages.props",
            "Directory.Build.props",
        ]
    }

    fn wants(&self, path: &Path) -> bool {
        let name = file_name(path);
        name.ends_with(".csproj")
            || name.ends_with(".fsproj")
            || name.ends_with(".vbproj")
            || name == "Directory.Packages.props"
            || name == "Directory.Build.props"
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let Some(doc) = parse_xml(file, file_name(Path::new(&file.path)), out) else {
            return;
        };
        let mut props: HashMap<&str, (String, Span)> = HashMap::new();
        for group in doc
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "PropertyGroup")
        {
            for p in group.children().filter(|c| c.is_element()) {
                if let Some(v) = text_of(file, p) {
                    props.insert(p.tag_name().name(), v);
                }
            }
        }
        for n in doc.descendants().filter(|n| n.is_element()) {
            match n.tag_name().name() {
                "TargetFramework" | "TargetFrameworks"
                    if n.parent_element()
                        .is_some_and(|p| p.tag_name().name() == "PropertyGroup") =>
                {
                    frameworks(file, n, out);
                }
                "PackageReference" | "PackageVersion" | "GlobalPackageReference" => {
                    if let Some(c) = package(file, n, &props) {
                        out.push(c);
                    }
                }
                _ => {}
            }
        }
    }
}

fn package(file: &SourceFile, n: Node, props: &HashMap<&str, (String, Span)>) -> Option<Component> {
    let include = n
        .attribute_node("Include")
        .or_else(|| n.attribute_node("Update"))?;
    let name = include.value().trim();
    if name.is_empty() {
        return None;
    }
    let r = include.range_value();
    let name_span = file.span(r.start, r.end);
    let version = ["Version", "VersionOverride"].iter().find_map(|a| {
        n.attribute_node(*a)
            .map(|v| {
                let r = v.range_value();
                (v.value().trim().to_string(), file.span(r.start, r.end))
            })
            .or_else(|| child(n, a).and_then(|c| text_of(file, c)))
    });
    let (version, span) = match version {
        Some((v, vspan)) if !v.is_empty() => {
            match v.strip_prefix("$(").and_then(|r| r.strip_suffix(')')) {
                Some(prop) => match props.get(prop) {
                    Some((pv, pspan)) => (Some(pv.clone()), *pspan),
                    None => (None, vspan),
                },
                None if v.contains("$(") => (None, vspan),
                None => (Some(v), vspan),
            }
        }
        _ => (None, name_span),
    };
    Some(Component::new(
        ComponentKind::Package,
        Ecosystem::NuGet,
        name,
        version,
        span,
    ))
}

fn frameworks(file: &SourceFile, n: Node, out: &mut Extraction) {
    let Some((_, span)) = text_of(file, n) else {
        return;
    };
    let text = &file.text[span.start..span.end];
    for tfm in text.split(';') {
        let tfm = tfm.trim();
        if tfm.is_empty() || tfm.contains("$(") {
            continue;
        }
        let (name, version) = read_tfm(tfm);
        out.push(Component::new(
            ComponentKind::Runtime,
            Ecosystem::NuGet,
            name,
            version,
            file.span_of(tfm),
        ));
    }
}

/// A target framework moniker as `(runtime name, version)`.
fn read_tfm(tfm: &str) -> (String, Option<String>) {
    let lower = tfm.to_ascii_lowercase();
    let base = lower.split('-').next().unwrap_or(&lower);
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.');
    if let Some(v) = base.strip_prefix("netcoreapp")
        && digits(v)
    {
        return ("dotnet".into(), Some(v.into()));
    }
    if let Some(v) = base.strip_prefix("netstandard")
        && digits(v)
    {
        return ("netstandard".into(), Some(v.into()));
    }
    if let Some(v) = base.strip_prefix("net")
        && digits(v)
    {
        if v.contains('.') {
            return ("dotnet".into(), Some(v.into()));
        }
        // net48 / net472: .NET Framework, one digit per component
        let dotted: Vec<String> = v.chars().map(|c| c.to_string()).collect();
        return ("dotnet-framework".into(), Some(dotted.join(".")));
    }
    (tfm.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/dotnet-project", "*.*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.file_name().unwrap().to_str().unwrap();
            // fixtures named `*.props.xml` play `Directory.Packages.props`
            let rel = if name.ends_with(".props.xml") {
                "Directory.Packages.props".to_string()
            } else {
                name.to_string()
            };
            let (file, out) = run(&DotnetProject, &rel, &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }

    #[test]
    fn tfms() {
        let t = |s| read_tfm(s);
        assert_eq!(t("net8.0"), ("dotnet".into(), Some("8.0".into())));
        assert_eq!(t("net8.0-windows"), ("dotnet".into(), Some("8.0".into())));
        assert_eq!(t("netcoreapp3.1"), ("dotnet".into(), Some("3.1".into())));
        assert_eq!(
            t("netstandard2.0"),
            ("netstandard".into(), Some("2.0".into()))
        );
        assert_eq!(
            t("net472"),
            ("dotnet-framework".into(), Some("4.7.2".into()))
        );
        assert_eq!(t("uap10.0"), ("uap10.0".into(), None));
    }
}

//! `skew init`: a commented `skew.toml` written from what the scan finds.
//!
//! Owns guessing environments from file names (`docker-compose.prod.yml`,
//! `compose.staging.yaml`, `k8s/overlays/production/…`, `values-prod.yaml`), listing the
//! servers found in each as comments (with the `servers = { … }` line a managed server
//! would need), and writing the file without ever replacing one: an existing `skew.toml`
//! is exit 2. The text is a pure function of the inventory ([`render`]) and always loads
//! with [`crate::config::Config`]'s parser (checked before anything is written). Must not:
//! write anything but the new `skew.toml`, or guess an environment from a word that is
//! not in a file's name or folder names.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::path::Path;

use crate::cli::{ExitStatus, InitArgs};
use crate::component::{Component, ComponentKind, Ecosystem};
use crate::config::{Config, FILE_NAME};
use crate::pipeline::Error;
use crate::root::Scope;
use crate::rule::RuleSet;
use crate::scan::{self, Inventory, ScanOptions};

/// Environment names skew recognises in paths, in promotion order, with the words that
/// name each (a path segment split at `.`, `-`, `_`).
const ENVIRONMENTS: &[(&str, &[&str])] = &[
    ("dev", &["dev", "development", "develop"]),
    ("qa", &["qa"]),
    ("uat", &["uat"]),
    ("staging", &["staging", "stage", "stg"]),
    ("preprod", &["preprod", "pre-prod", "pre_prod"]),
    ("production", &["production", "prod", "prd"]),
];

/// Top-level folders that usually hold sample or deliberately broken projects.
const SAMPLE_DIRS: &[&str] = &[
    "fixtures",
    "testdata",
    "test-data",
    "examples",
    "samples",
    "example",
];

/// One guessed environment: its name and the globs of its files, each with the file
/// that suggested it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Guess {
    pub name: &'static str,
    pub paths: Vec<String>,
}

/// The environment a path belongs to, and the glob that covers it: the folder named
/// after the environment (`k8s/overlays/production/**`), else the file itself
/// (`docker-compose.prod.yml`, `values-prod.yaml`).
pub fn environment_of(path: &str) -> Option<(&'static str, String)> {
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let Some(env) = named_environment(seg) else {
            continue;
        };
        let glob = if i + 1 == segments.len() {
            path.to_string()
        } else {
            format!("{}/**", segments[..=i].join("/"))
        };
        return Some((env, glob));
    }
    None
}

/// The environment one path segment names: the whole segment (`pre-prod`) or one of its
/// words (`docker-compose.prod.yml` → `prod`).
fn named_environment(segment: &str) -> Option<&'static str> {
    let lower = segment.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(['.', '-', '_']).collect();
    ENVIRONMENTS.iter().find_map(|(env, names)| {
        names
            .iter()
            .any(|n| words.contains(n) || (n.contains(['-', '_']) && lower.contains(n)))
            .then_some(*env)
    })
}

/// Is the component a server a `skew.toml` can say something about?
fn is_server(c: &Component) -> bool {
    c.kind == ComponentKind::Server && matches!(c.ecosystem, Ecosystem::Docker | Ecosystem::Managed)
}

/// The commented `skew.toml` for an inventory.
pub fn render(inv: &Inventory, rules: &RuleSet) -> String {
    // environments in promotion order, each with its globs (first file that suggested each)
    let mut globs: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut env_of_file: BTreeMap<&str, &'static str> = BTreeMap::new();
    let mut files: Vec<&str> = inv
        .components
        .iter()
        .map(|c| inv.sources.get(c.span.file).path.as_str())
        .collect();
    files.sort();
    files.dedup();
    for path in &files {
        if SAMPLE_DIRS.contains(&path.split('/').next().unwrap_or("")) {
            continue;
        }
        if let Some((env, glob)) = environment_of(path) {
            let rank = ENVIRONMENTS.iter().position(|(e, _)| *e == env).unwrap();
            let list = globs.entry(rank).or_default();
            if !list.contains(&glob) {
                list.push(glob);
            }
            env_of_file.insert(path, env);
        }
    }
    // the servers the rules know: a deployment's own application image is not one
    let servers: Vec<&Component> = inv
        .components
        .iter()
        .filter(|c| is_server(c) && rules.products.iter().any(|p| p.matches(c)))
        .collect();

    let mut s = String::new();
    let _ = writeln!(
        s,
        "# skew.toml: written by `skew init` from what it found here ({} files, {} components).",
        inv.files_scanned,
        inv.components.len()
    );
    s.push_str(
        "# Every key is described in docs/config.md. The environments below are guesses from\n\
         # file and folder names: check each `paths`, and delete what does not fit.\n\n",
    );

    // sample and fixture folders, which a team usually keeps out of the verdict
    let samples: Vec<&str> = SAMPLE_DIRS
        .iter()
        .copied()
        .filter(|d| {
            inv.sources
                .iter()
                .any(|f| f.path.starts_with(&format!("{d}/")))
        })
        .collect();
    s.push_str("# Files neither scanned nor reported (globs relative to this file).\n");
    if samples.is_empty() {
        s.push_str("# exclude = [\"fixtures/**\"]\n\n");
    } else {
        let list: Vec<String> = samples.iter().map(|d| format!("\"{d}/**\"")).collect();
        let _ = writeln!(
            s,
            "# These folders hold sample projects; uncomment to leave them out:\n# exclude = [{}]\n",
            list.join(", ")
        );
    }

    if globs.is_empty() {
        s.push_str(
            "# No file or folder name here names an environment (dev, staging, production, …).\n\
             # Environments say which files are deployed together and in which order versions\n\
             # are promoted, for example:\n\
             #\n\
             # [environments]\n\
             # order = [\"staging\", \"production\"]\n\
             #\n\
             # [environments.staging]\n\
             # paths = [\"deploy/staging/**\"]\n\
             #\n\
             # [environments.production]\n\
             # paths = [\"deploy/production/**\"]\n\
             # servers = { mysql = \"8.0.36\" }   # managed servers the repository does not describe\n",
        );
        if !servers.is_empty() {
            s.push_str("#\n# Servers found (a client is checked against the servers of its own compose project,\n# chart or folder: docs/pairing.md; environments and declared servers override that):\n");
            for c in &servers {
                server_line(&mut s, inv, c);
            }
        }
        return s;
    }

    let names: Vec<String> = globs
        .keys()
        .map(|r| format!("\"{}\"", ENVIRONMENTS[*r].0))
        .collect();
    s.push_str(
        "[environments]\n\
         # The promotion order, earliest first: a version must run in an earlier environment\n\
         # before a later one (`untested-upgrade`).\n",
    );
    let _ = writeln!(s, "order = [{}]", names.join(", "));
    for (rank, paths) in &globs {
        let env = ENVIRONMENTS[*rank].0;
        let _ = writeln!(s, "\n[environments.{env}]");
        let list: Vec<String> = paths
            .iter()
            .map(|p| format!("\"{}\"", toml_escape(p)))
            .collect();
        let _ = writeln!(s, "paths = [{}]", list.join(", "));
        let here: Vec<&&Component> = servers
            .iter()
            .filter(|c| env_of_file.get(inv.sources.get(c.span.file).path.as_str()) == Some(&env))
            .collect();
        if here.is_empty() {
            s.push_str(
                "# No server found in these files. Managed servers the repository does not\n\
                        # describe, as product = \"exact version\":\n\
                        # servers = { mysql = \"8.0.36\" }\n",
            );
            continue;
        }
        s.push_str("# Servers found in these files:\n");
        for c in &here {
            server_line(&mut s, inv, c);
        }
        // the same servers as a declaration, for when these files are not what runs: one
        // version per product (TOML keys are unique), the first found
        let mut declared: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for c in &here {
            let Some(product) = rules.product_of(c) else {
                continue;
            };
            let Some(version) = c.effective_version() else {
                continue;
            };
            let versions = declared.entry(product.id.as_str()).or_default();
            if !versions.contains(&version) {
                versions.push(version);
            }
        }
        if !declared.is_empty() {
            s.push_str("# When what runs is managed elsewhere, declare it instead:\n");
            let pairs: Vec<String> = declared
                .iter()
                .map(|(p, v)| format!("{p} = \"{}\"", toml_escape(v[0])))
                .collect();
            let _ = writeln!(s, "# servers = {{ {} }}", pairs.join(", "));
            for (p, v) in declared.iter().filter(|(_, v)| v.len() > 1) {
                let _ = writeln!(
                    s,
                    "# (these files run several {p} versions: {}; a declaration names one)",
                    v.join(", ")
                );
            }
        }
    }
    let loose: Vec<&&Component> = servers
        .iter()
        .filter(|c| !env_of_file.contains_key(inv.sources.get(c.span.file).path.as_str()))
        .collect();
    if !loose.is_empty() {
        s.push_str("\n# Servers in files no environment names (deployed everywhere, so every\n# environment's clients are checked against them):\n");
        for c in loose {
            server_line(&mut s, inv, c);
        }
    }
    s
}

fn server_line(s: &mut String, inv: &Inventory, c: &Component) {
    let loc = inv.sources.location(c.span);
    let version = c.effective_version().unwrap_or("no version");
    let _ = writeln!(s, "#   {} {version} ({}:{})", c.name, loc.path, loc.line);
}

/// A string for a TOML basic string's quotes.
fn toml_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `skew init [PATH] [--root DIR]`.
pub fn run(args: InitArgs) -> Result<ExitStatus, Error> {
    let scope = Scope::discover(&args.path, args.root.as_deref())?;
    let dir = if scope.root.is_file() {
        scope.root.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        scope.root.clone()
    };
    let target = dir.join(FILE_NAME);
    if target.symlink_metadata().is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "`{}` already exists; `skew init` never replaces one (edit it, or remove it first)",
                target.display()
            ),
        )
        .into());
    }
    let inv = scan::scan(&scope.root, &ScanOptions::default())?;
    let rules = crate::pipeline::load_rules(&[], false)?;
    let text = render(&inv, &rules);
    // what is written must load: a failure here is a bug in `render`, reported, not written
    Config::parse_confined(FILE_NAME, &text, &dir)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target)
        .map_err(|e| Error::Output(target.clone(), e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::Output(target.clone(), e))?;
    let mut out = io::stdout().lock();
    let shown = format!("wrote {}:\n\n{text}", target.display());
    match out.write_all(shown.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(ExitStatus::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environments_from_names() {
        let cases = [
            (
                "docker-compose.prod.yml",
                Some(("production", "docker-compose.prod.yml")),
            ),
            (
                "compose.staging.yaml",
                Some(("staging", "compose.staging.yaml")),
            ),
            (
                "k8s/overlays/production/kustomization.yaml",
                Some(("production", "k8s/overlays/production/**")),
            ),
            (
                "charts/api/values-prod.yaml",
                Some(("production", "charts/api/values-prod.yaml")),
            ),
            ("deploy/stg/db.yaml", Some(("staging", "deploy/stg/**"))),
            ("env/pre-prod/main.tf", Some(("preprod", "env/pre-prod/**"))),
            (
                "docker-compose.dev.yml",
                Some(("dev", "docker-compose.dev.yml")),
            ),
            ("docker-compose.yml", None),
            ("products/api/package.json", None),
            ("services/reproduce/values.yaml", None),
        ];
        for (path, want) in cases {
            let got = environment_of(path);
            let got = got.as_ref().map(|(e, g)| (*e, g.as_str()));
            assert_eq!(got, want, "{path}");
        }
    }
}

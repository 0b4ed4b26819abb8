//! Compose variable interpolation from the `.env` beside a compose file, as docker
//! compose does it: `image: ${POSTGRES_IMAGE}` with `.env` `POSTGRES_IMAGE=postgres:18.4`
//! is a PostgreSQL 18.4 server, and the version is blamed on the `.env` line.
//!
//! The compose extractor already applied defaults (`${TAG:-16}`) and recorded each image
//! with variables as a [`UnitFact::ComposeImage`]; the `.env` extractor recorded the
//! variables. This step re-reads such images with the `.env` values and says, with an
//! `unknown-version` note, which images still name a variable nothing sets. Compose
//! services' connection strings with variables (`DB_URL: ${DB_URL}`) are interpolated
//! the same way, for the rules that read client-side URL options. Must not:
//! read the process environment (a run must not depend on the shell it was started
//! from) or show a `.env` value other than on the line a finding blames.

use std::collections::HashMap;

use super::{Inventory, dir_of};
use crate::component::{ComponentKind, Ecosystem, Setting, UnitFact};
use crate::diagnostic::{Code, Finding, Label, Subject};
use crate::extract::compose::{At, env_hosts, image_from_template, interpolate_value};
use crate::source::{FileId, Span};

pub(super) fn resolve(inv: &mut Inventory) {
    let mut env_vars: HashMap<FileId, &Vec<(String, String, Span)>> = HashMap::new();
    for fact in &inv.units {
        if let UnitFact::DotEnv { vars } = fact
            && let Some((_, _, first)) = vars.first()
        {
            env_vars.insert(first.file, vars);
        }
    }
    let mut notes = Vec::new();
    for fact in &inv.units {
        let UnitFact::ComposeImage(img) = fact else {
            continue;
        };
        let file = img.component.file;
        let dir = dir_of(&inv.sources.get(file).path);
        let env_path = if dir.is_empty() {
            ".env".to_string()
        } else {
            format!("{dir}/.env")
        };
        let vars = inv
            .sources
            .by_path(&env_path)
            .and_then(|f| env_vars.get(&f.id).copied());
        let Some(c) = inv.components.iter_mut().find(|c| {
            c.span == img.component
                && c.ecosystem == Ecosystem::Docker
                && c.kind == ComponentKind::Server
        }) else {
            continue;
        };
        if let Some(vars) = vars {
            let lookup = |name: &str| {
                // the last assignment wins, as in compose
                vars.iter()
                    .rev()
                    .find(|(n, _, _)| n == name)
                    .map(|(_, v, span)| {
                        (
                            v.clone(),
                            Some(At {
                                file: span.file,
                                offset: span.start,
                            }),
                        )
                    })
            };
            let start = img.start.map(|offset| At { file, offset });
            if let Some(r) = image_from_template(&img.template, start, img.whole, &lookup) {
                c.name = r.name;
                c.version = r.version;
                c.span = r.span;
                c.unresolved = r.unresolved;
            }
        }
        // two services of one anchored line (`oap2: *oap`) are one note
        let said = notes.iter().any(|n: &Finding| {
            n.primary.span == img.whole && n.subject.name == img.template.trim()
        });
        if let Some(var) = c.unresolved.as_ref().filter(|_| !said) {
            notes.push(Finding {
                rule_id: Code::UnknownVersion.as_str().into(),
                severity: Code::UnknownVersion.severity(),
                message: format!(
                    "`{}` takes its {} from `{var}`, which no `.env` beside the compose file sets: the version is unknown and no rule checks it",
                    img.template.trim(),
                    if c.version.is_none() && c.name.contains('$') {
                        "image"
                    } else {
                        "tag"
                    }
                ),
                primary: Label::new(img.whole, "set where the deploy runs"),
                related: Vec::new(),
                fix: Some(format!(
                    "set `{}` in `{env_path}` (or give it a default: `${{{}:-X.Y.Z}}`) so the version is in the repository",
                    var_name(var),
                    var_name(var)
                )),
                sources: vec!["https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/".into()],
                subject: Subject {
                    ecosystem: Some(Ecosystem::Docker),
                    name: img.template.trim().to_string(),
                    version: None,
                    counterpart: None,
                },
                components: Vec::new(),
            });
        }
    }
    inv.problems.extend(notes);
    connections(inv);
}

/// Interpolate the connection strings of compose services that hold variables, with the
/// `.env` beside their compose file (defaults apply without one): `${DB_URL}` becomes the
/// URL the `.env` sets, blamed on its `.env` line when all of it is written there. A value
/// with a variable nothing sets stays as written (it names no host); one that is no URL
/// once interpolated is dropped. The hosts of the URLs are the service's too.
fn connections(inv: &mut Inventory) {
    let any = inv.units.iter().any(|u| {
        matches!(u, UnitFact::ComposeService(svc) if svc.connections.iter().any(|s| s.value.contains('$')))
    });
    if !any {
        return;
    }
    let env_vars: HashMap<FileId, Vec<(String, String, Span)>> = inv
        .units
        .iter()
        .filter_map(|fact| match fact {
            UnitFact::DotEnv { vars } => Some((vars.first()?.2.file, vars.clone())),
            _ => None,
        })
        .collect();
    let vars_of = |file: FileId| {
        let dir = dir_of(&inv.sources.get(file).path);
        let env_path = if dir.is_empty() {
            ".env".to_string()
        } else {
            format!("{dir}/.env")
        };
        inv.sources
            .by_path(&env_path)
            .and_then(|f| env_vars.get(&f.id))
    };
    let mut updates: Vec<(usize, Vec<Setting>)> = Vec::new();
    for (ui, fact) in inv.units.iter().enumerate() {
        let UnitFact::ComposeService(svc) = fact else {
            continue;
        };
        if !svc.connections.iter().any(|s| s.value.contains('$')) {
            continue;
        }
        let mut out = Vec::with_capacity(svc.connections.len());
        for s in &svc.connections {
            if !s.value.contains('$') {
                out.push(s.clone());
                continue;
            }
            let file = s.span.file;
            let text = &inv.sources.get(file).text;
            let start = s
                .span
                .end
                .checked_sub(s.value.len())
                .filter(|&at| text.get(at..s.span.end) == Some(s.value.as_str()));
            let vars = vars_of(file);
            let lookup = |name: &str| {
                // the last assignment wins, as in compose
                vars?
                    .iter()
                    .rev()
                    .find(|(n, _, _)| n == name)
                    .map(|(_, v, span)| {
                        (
                            v.clone(),
                            Some(At {
                                file: span.file,
                                offset: span.start,
                            }),
                        )
                    })
            };
            let at = start.map(|offset| At { file, offset });
            match interpolate_value(&s.value, at, &lookup) {
                Some((value, _)) if !value.contains("://") => {}
                Some((value, span)) => out.push(Setting {
                    value,
                    // all of it written in one place (the `.env` value, a default):
                    // blame that; else the compose line
                    span: span.unwrap_or(s.span),
                    ..s.clone()
                }),
                None => out.push(s.clone()),
            }
        }
        updates.push((ui, out));
    }
    for (ui, settings) in updates {
        if let UnitFact::ComposeService(svc) = &mut inv.units[ui] {
            for s in &settings {
                for h in env_hosts(&s.name, &s.value) {
                    if !svc.hosts.iter().any(|(n, _)| *n == h) {
                        svc.hosts.push((h, s.span));
                    }
                }
            }
            svc.connections = settings;
        }
    }
}

/// `${PG_TAG:?}` / `$PG_TAG` -> `PG_TAG`.
fn var_name(var: &str) -> &str {
    let v = var.trim_start_matches('$').trim_start_matches('{');
    let end = v
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(v.len());
    &v[..end]
}

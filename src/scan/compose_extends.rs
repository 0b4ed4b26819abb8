//! Compose `extends:` across files, as docker compose merges it: `extends: { file:
//! common.yml, service: base }` gives the service the other file's image, build context,
//! command and environment (its own win), along a chain of such `extends:` that may go on
//! in a third file or within the other one.
//!
//! The compose extractor recorded each chain that leaves its file as a
//! [`UnitFact::ComposeExtends`]. This step finds the other file among the files read, or
//! reads it (it need not have a compose file's name: `common-services.yml`), confined to
//! the root and bounded like any scanned file, and follows the chain at most
//! [`limits::COMPOSE_EXTENDS_MAX_DEPTH`] steps. Paths are relative to the folder of the
//! file that writes them, and a build context to the folder of the file that declares it,
//! as compose-go resolves them. What it finds:
//! - an image: a server of its own for the extending service (group = its name), blamed
//!   on the image line in the other file, recorded as [`UnitFact::ComposeInherited`] so
//!   the topology puts it in the extending file's project, not the other file's;
//! - a build context: the service's `build:` for the topology (the code it runs);
//! - environment: connection strings and host variables name the services it talks to;
//! - bind mounts (`volumes:`), added to the service's [`UnitFact::ComposeMounts`] for
//!   `option_files`: compose merges them by container path, the extending service's
//!   entry winning (the merge rules' "Unique resources": "Applies to the ports,
//!   volumes, secrets and configs services attributes", unique by `target`; `extends`:
//!   "the local value replaces or extends the original value"); host paths stay
//!   relative to the file that declares them, as compose-go resolves them.
//!
//! `depends_on` and `links` are never inherited (compose does not share them). A missing
//! file is a `read-error` at the `file:` value, a service the file does not define or a
//! cycle a `parse-error` at the `service:` value: compose refuses both. A path leaving the
//! root is not read (the chain stops there, silently: it is outside the repository).
//! When the scan reads from memory (the index, a commit) a file it was not given is not
//! read from disk and the chain stops silently. Must not: read the process environment.
//!
//! Sources: https://docs.docker.com/reference/compose-file/merge/,
//! https://docs.docker.com/compose/how-tos/multiple-compose-files/extends/

use std::collections::{HashMap, HashSet};

use super::{Inventory, ReadExtra, dir_of, join_dir};
use crate::component::{
    ComposeExtends, ComposeMounts, Ecosystem, Mount, Setting, SettingKind, UnitFact,
};
use crate::diagnostic::{Code, Finding, Label, Subject, parse_error};
use crate::extract::compose::{ServiceDef, connections, env_hosts, is_compose_file, service_defs};
use crate::limits;
use crate::source::{FileId, SourceFile, Span};

/// What one chain gave the service.
#[derive(Default)]
struct Inherited {
    image: Option<(crate::component::Component, Vec<UnitFact>)>,
    /// The build context (relative to the root) and its span, and the Dockerfile.
    context: Option<(String, Span, Option<String>)>,
    env: Vec<Setting>,
    command: Option<Vec<Setting>>,
    /// Bind mounts of the chain's services whose container path the service (or a
    /// nearer service of the chain) does not mount; host paths stay relative to the
    /// file that writes them (their spans say which).
    mounts: Vec<Mount>,
}

pub(super) fn resolve(inv: &mut Inventory, read: Option<ReadExtra<'_>>) {
    let facts: Vec<ComposeExtends> = inv
        .units
        .iter()
        .filter_map(|u| match u {
            UnitFact::ComposeExtends(e) => Some(e.clone()),
            _ => None,
        })
        .collect();
    if facts.is_empty() {
        return;
    }
    let mut files = Files {
        defs: HashMap::new(),
        failed: HashSet::new(),
        read,
    };
    for fact in facts {
        let got = follow(inv, &mut files, &fact);
        apply(inv, &fact, got);
    }
}

/// The files the chains go through, parsed once each.
struct Files<'a> {
    defs: HashMap<FileId, Vec<ServiceDef>>,
    /// Files that do not parse (reported once, by the compose extractor or here).
    failed: HashSet<FileId>,
    read: Option<ReadExtra<'a>>,
}

impl Files<'_> {
    /// The file at `rel` (relative to the root), read if the walk did not; `Err(None)`
    /// when it cannot be known (not on disk to look at), `Err(Some(why))` when missing.
    fn load(&mut self, inv: &mut Inventory, rel: &str) -> Result<FileId, Option<String>> {
        if let Some(f) = inv.sources.by_path(rel) {
            return Ok(f.id);
        }
        let read = self.read.ok_or(None)?;
        let text = read.read(rel)?;
        let id = FileId(inv.sources.len() as u32);
        Ok(inv.sources.push(SourceFile::new(id, rel, text)))
    }

    /// The services of a file, or `None` when it does not parse (then a `parse-error`
    /// says so once: here, unless the compose extractor already read the file).
    fn services(&mut self, inv: &mut Inventory, id: FileId) -> Option<&Vec<ServiceDef>> {
        if self.failed.contains(&id) {
            return None;
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = self.defs.entry(id) {
            // a big file the scan released is read again, only if it is as scanned
            let Some(file) = inv.sources.get(id).with_text() else {
                self.failed.insert(id);
                return None;
            };
            match service_defs(&file) {
                Ok(defs) => {
                    slot.insert(defs);
                }
                Err(problem) => {
                    let name = file.path.rsplit('/').next().unwrap_or("");
                    if !is_compose_file(name) {
                        inv.problems.push(*problem);
                    }
                    self.failed.insert(id);
                    return None;
                }
            }
        }
        self.defs.get(&id)
    }
}

/// Follow one chain from the fact's `extends:` into the files it names.
fn follow(inv: &mut Inventory, files: &mut Files<'_>, fact: &ComposeExtends) -> Inherited {
    let mut got = Inherited::default();
    // the container paths the service mounts itself (its file's chain included)
    let own: Vec<String> = inv
        .units
        .iter()
        .filter_map(|u| match u {
            UnitFact::ComposeMounts(m) if m.span == fact.span && m.service == fact.service => {
                Some(m)
            }
            _ => None,
        })
        .flat_map(|m| m.mounts.iter().map(|x| same_target(&x.target)))
        .collect();
    let declaring = inv.sources.get(fact.span.file).path.clone();
    let mut seen = vec![(declaring.clone(), fact.service.clone())];
    let mut decided = !fact.wants_image;
    let mut wants_build = fact.wants_build;
    // the next step: the file as written and its span, from which folder, which service
    let mut next = Some((
        Some((fact.file.clone(), fact.file_span)),
        dir_of(&declaring).to_string(),
        (fact.base.clone(), fact.base_span),
        declaring,
    ));
    let mut steps = 0;
    while let Some((file, from_dir, (service, service_span), current)) = next.take() {
        steps += 1;
        let rel = match &file {
            None => current,
            Some((path, span)) => {
                let Some(rel) = join_dir(&from_dir, path) else {
                    // outside the repository: not read
                    break;
                };
                if inv.sources.by_path(&rel).is_none()
                    && let Err(Some(why)) = files.load(inv, &rel)
                {
                    inv.problems.push(missing(*span, path, &fact.service, &why));
                    break;
                }
                rel
            }
        };
        let Some(id) = inv.sources.by_path(&rel).map(|f| f.id) else {
            break;
        };
        if seen.iter().any(|(p, s)| *p == rel && *s == service)
            || steps > limits::COMPOSE_EXTENDS_MAX_DEPTH
        {
            inv.problems.push(parse_error(
                service_span,
                "compose file",
                format!(
                    "the `extends:` of service `{}` {} (docker compose refuses it)",
                    fact.service,
                    if steps > limits::COMPOSE_EXTENDS_MAX_DEPTH {
                        format!(
                            "goes deeper than {} services",
                            limits::COMPOSE_EXTENDS_MAX_DEPTH
                        )
                    } else {
                        format!("comes back to service `{service}` of `{rel}`: a cycle")
                    }
                ),
            ));
            break;
        }
        seen.push((rel.clone(), service.clone()));
        let Some(defs) = files.services(inv, id) else {
            break;
        };
        let Some(def) = defs.iter().find(|d| d.name == service) else {
            let problem = parse_error(
                service_span,
                "compose file",
                format!(
                    "service `{}` extends service `{service}`, which `{rel}` does not define (docker compose refuses it)",
                    fact.service
                ),
            );
            inv.problems.push(problem);
            break;
        };
        for e in &def.env {
            let overridden = fact
                .settings
                .iter()
                .chain(&got.env)
                .any(|s| s.kind == SettingKind::Env && s.name == e.name);
            if !overridden {
                got.env.push(e.clone());
            }
        }
        // compose merges `volumes:` by container path, the extending service winning
        for m in &def.mounts {
            let target = same_target(&m.target);
            let mounted = own.contains(&target)
                || got.mounts.iter().any(|o| same_target(&o.target) == target);
            if !mounted {
                got.mounts.push(m.clone());
            }
        }
        if got.command.is_none() && !fact.has_command {
            got.command = def.command.clone();
        }
        if !decided && (def.image.is_some() || def.context.is_some()) {
            decided = true;
            got.image = def.image.clone();
        }
        if wants_build && let Some((ctx, span)) = &def.context {
            wants_build = false;
            if !ctx.contains("://")
                && !ctx.starts_with("git@")
                && let Some(root_rel) = join_dir(dir_of(&rel), ctx)
            {
                let dockerfile = def.dockerfile.clone();
                got.context = Some((root_rel, *span, dockerfile));
            }
        }
        next = def.extends.clone().map(|(file, svc)| {
            let dir = dir_of(&rel).to_string();
            (file, dir, svc, rel.clone())
        });
    }
    got
}

/// A container path as compose compares them (`/etc/mysql/conf.d/` is `/etc/mysql/conf.d`).
fn same_target(target: &str) -> String {
    target.trim_end_matches('/').to_string()
}

/// Give the service what its chain inherited.
fn apply(inv: &mut Inventory, fact: &ComposeExtends, got: Inherited) {
    let declaring = fact.span.file;
    if !got.mounts.is_empty() {
        let own = inv.units.iter_mut().find_map(|u| match u {
            UnitFact::ComposeMounts(m) if m.span == fact.span && m.service == fact.service => {
                Some(m)
            }
            _ => None,
        });
        match own {
            Some(m) => m.mounts.extend(got.mounts),
            None => inv.units.push(UnitFact::ComposeMounts(ComposeMounts {
                service: fact.service.clone(),
                span: fact.span,
                mounts: got.mounts,
            })),
        }
    }
    let dir = dir_of(&inv.sources.get(declaring).path).to_string();
    if let Some(UnitFact::ComposeService(svc)) = inv.units.iter_mut().find(|u| {
        matches!(u, UnitFact::ComposeService(s) if s.span.file == declaring && s.name == fact.service)
    }) {
        for e in &got.env {
            svc.hosts
                .extend(env_hosts(&e.name, &e.value).into_iter().map(|h| (h, e.span)));
        }
        svc.connections.extend(connections(&got.env));
        if let Some((ctx, span, dockerfile)) = &got.context {
            // the topology joins a context with the declaring file's folder
            svc.context = Some((relative_to(&dir, ctx), *span));
            svc.dockerfile = dockerfile.clone();
        }
    }
    let Some((mut c, facts)) = got.image else {
        return;
    };
    c.group = Some(fact.service.clone());
    let mut settings: Vec<Setting> = Vec::new();
    let own_args = fact.settings.iter().filter(|s| s.kind == SettingKind::Arg);
    settings.extend(own_args.cloned());
    settings.extend(got.command.into_iter().flatten());
    settings.extend(
        fact.settings
            .iter()
            .filter(|s| s.kind == SettingKind::Env)
            .cloned(),
    );
    settings.extend(got.env);
    c.settings = settings;
    let span = c.span;
    // the other file's own service of that name runs the same line: one component
    let exists = inv.components.iter().any(|o| {
        o.span == c.span && o.group == c.group && o.name == c.name && o.version == c.version
    });
    if !exists {
        inv.components.push(c);
        // one `.env` step per component of the line (it resolves them one by one)
        inv.units.extend(facts);
    }
    inv.units.push(UnitFact::ComposeInherited {
        component: span,
        file: declaring,
        service: fact.service.clone(),
    });
}

/// `read-error` for an `extends.file` that is not there.
fn missing(span: Span, path: &str, service: &str, why: &str) -> Finding {
    Finding {
        rule_id: Code::ReadError.to_string(),
        severity: Code::ReadError.severity(),
        message: format!(
            "cannot read `{path}`, which service `{service}` extends: {why}; what the service runs is unknown"
        ),
        primary: Label::new(span, "`extends.file` names it"),
        related: Vec::new(),
        fix: Some(
            "fix the path (it is relative to this compose file's folder) or add the file".into(),
        ),
        sources: vec!["https://docs.docker.com/reference/compose-file/services/#extends".into()],
        subject: Subject {
            ecosystem: Some(Ecosystem::Docker),
            name: service.to_string(),
            version: None,
            counterpart: None,
        },
        components: Vec::new(),
    }
}

/// The root-relative path `target` written relative to the folder `dir`.
fn relative_to(dir: &str, target: &str) -> String {
    let d: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let t: Vec<&str> = target.split('/').filter(|p| !p.is_empty()).collect();
    let common = d.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; d.len() - common];
    parts.extend(&t[common..]);
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_round_trip() {
        for (dir, target) in [("a/b", "a/c/d"), ("", "x"), ("a", "a"), ("a/b", "c")] {
            let rel = relative_to(dir, target);
            assert_eq!(
                join_dir(dir, &rel).as_deref(),
                Some(target),
                "{dir} {target}"
            );
        }
        assert_eq!(join_dir("a", "../../x"), None);
        assert_eq!(join_dir("a", "/etc/x.yml"), None);
    }

    fn scan(files: &[(&str, &str)]) -> Inventory {
        crate::scan::scan_texts(
            std::path::Path::new("."),
            files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        )
    }

    #[test]
    fn a_chain_goes_through_several_files_each_relative_to_its_own_folder() {
        let inv = scan(&[
            (
                "app/compose.yaml",
                "services:\n  db:\n    extends:\n      file: ../shared/compose.yaml\n      service: pg\n    environment:\n      POSTGRES_DB: app\n",
            ),
            (
                "shared/compose.yaml",
                "services:\n  pg:\n    extends:\n      file: base/compose.yaml\n      service: pg-base\n    environment:\n      POSTGRES_DB: shared\n      POSTGRES_USER: shared\n",
            ),
            (
                "shared/base/compose.yaml",
                "services:\n  pg-base:\n    extends: pg-image\n  pg-image:\n    image: postgres:16.4\n    command: [\"postgres\", \"-c\", \"ssl=on\"]\n",
            ),
        ]);
        let c = inv
            .components
            .iter()
            .find(|c| c.group.as_deref() == Some("db"))
            .expect("db runs the image at the end of the chain");
        assert_eq!(
            (c.name.as_str(), c.version.as_deref()),
            ("postgres", Some("16.4"))
        );
        assert_eq!(
            inv.sources.get(c.span.file).path,
            "shared/base/compose.yaml"
        );
        let env: Vec<_> = c
            .settings
            .iter()
            .map(|s| format!("{}={}", s.name, s.value))
            .collect();
        assert_eq!(
            env,
            [
                "postgres=",
                "-c=",
                "ssl=on=on",
                "POSTGRES_DB=app",
                "POSTGRES_USER=shared"
            ]
        );
        assert!(inv.problems.is_empty(), "{:?}", inv.problems);
        assert!(inv.units.iter().any(|u| matches!(u,
            UnitFact::ComposeInherited { service, .. } if service == "db")));
    }

    /// A build-only service's connection strings are recorded, its own and those its
    /// `extends:` chain in another file gives it (a variable it sets itself wins).
    #[test]
    fn connection_strings_of_build_only_services_and_their_chains() {
        let inv = scan(&[
            (
                "app/compose.yaml",
                "services:\n  api:\n    build: .\n    extends:\n      file: ../shared/compose.yaml\n      service: java\n    environment:\n      DB_URL: jdbc:mysql://db/app?tlsVersions=TLSv1.2\n      LOG_LEVEL: debug\n",
            ),
            (
                "shared/compose.yaml",
                "services:\n  java:\n    environment:\n      DB_URL: jdbc:mysql://db/shared\n      AUDIT_URL: jdbc:mysql://audit/log?tlsVersions=TLSv1.1\n",
            ),
        ]);
        let svc = inv
            .units
            .iter()
            .find_map(|u| match u {
                UnitFact::ComposeService(s) if s.name == "api" => Some(s),
                _ => None,
            })
            .expect("api");
        let urls: Vec<_> = svc
            .connections
            .iter()
            .map(|s| format!("{}={}", s.name, s.value))
            .collect();
        assert_eq!(
            urls,
            [
                "DB_URL=jdbc:mysql://db/app?tlsVersions=TLSv1.2",
                "AUDIT_URL=jdbc:mysql://audit/log?tlsVersions=TLSv1.1"
            ]
        );
    }

    #[test]
    fn a_cycle_across_files_stops_with_a_parse_error() {
        let inv = scan(&[
            (
                "a/compose.yaml",
                "services:\n  web:\n    extends:\n      file: ../b/compose.yaml\n      service: web\n",
            ),
            (
                "b/compose.yaml",
                "services:\n  web:\n    extends:\n      file: ../a/compose.yaml\n      service: web\n",
            ),
        ]);
        assert!(inv.components.is_empty());
        let messages: Vec<&str> = inv.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages.iter().all(|m| m.contains("a cycle")),
            "{messages:?}"
        );
    }

    #[test]
    fn from_memory_a_file_not_given_is_not_looked_for() {
        let inv = scan(&[(
            "compose.yaml",
            "services:\n  web:\n    extends:\n      file: common.yml\n      service: web\n",
        )]);
        assert!(inv.problems.is_empty() && inv.components.is_empty());
    }
}

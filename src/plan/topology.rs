//! Deployment units and the servers each client can reach.
//!
//! A unit is a compose project (the compose files of one folder plus the files they
//! `include:`; a service that `extends:` another file's service runs what it inherits as
//! its own, [`UnitFact::ComposeInherited`]), a Helm chart (the folder of a `Chart.yaml`), a kustomization, a folder of
//! Kubernetes manifests, or a Terraform module (a folder of `.tf` files). Each compose
//! service's `build:` context, and its `dockerfile:`, belong to that service. A file
//! belongs to the innermost context holding it, else to the innermost unit folder
//! enclosing it, else to no unit.
//!
//! A client reaches a server when:
//! - both are in one unit: a client inside the build context of a service that names
//!   services (`depends_on`, `links`, connection strings such as
//!   `DATABASE_URL=mysql://db:3306/app` or `REDIS_HOST=cache`) reaches only those;
//! - the server's unit encloses the client's folder (a root compose file serves the
//!   repository below it), never a sibling unit;
//! - the server is in no unit and its folder encloses the client's (a root `.nvmrc`, CI
//!   configuration, servers declared in `skew.toml`);
//! - the client is in no unit and the server's unit holds no code of its own (a
//!   `docker/compose.yaml` that only runs the databases of the repository's one app);
//! - the server is a Kubernetes cluster (every manifest is deployed to one), or
//!   `skew.toml` puts both in one environment (the user's word overrides the topology).
//!
//! Must not: read files (facts come from the extractors) or decide what a component is.

use std::collections::HashMap;

use crate::component::{Component, ComposeService, Ecosystem, UnitFact};
use crate::diagnostic::Label;
use crate::scan::join_dir;
use crate::source::{FileId, SourceView, Span};

/// What kind of deployment unit a folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitKind {
    Compose,
    HelmChart,
    Kustomization,
    Kubernetes,
    Terraform,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Compose => "compose project",
            UnitKind::HelmChart => "Helm chart",
            UnitKind::Kustomization => "kustomization",
            UnitKind::Kubernetes => "Kubernetes manifests",
            UnitKind::Terraform => "Terraform module",
        }
    }
}

/// One deployment unit.
#[derive(Debug, Clone)]
pub struct Unit {
    pub kind: UnitKind,
    /// The unit's folder, relative to the scan root (`""` for the root).
    pub dir: String,
    /// The file that makes the folder a unit (the first compose file, `Chart.yaml`, …).
    pub file: FileId,
    /// The files whose declarations are the unit's own (compose files and the files
    /// they include, the chart's files, the manifests, the `.tf` files).
    pub files: Vec<FileId>,
    /// Compose services, with the folder of their build context when it is in the tree.
    pub services: Vec<Service>,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub fact: ComposeService,
    /// The compose file declaring it.
    pub file: FileId,
    /// The build context, relative to the scan root, when it is a folder of the tree.
    pub context: Option<String>,
    /// The Dockerfile's path relative to the scan root, when given.
    pub dockerfile: Option<String>,
}

/// How a component belongs to a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// Declared in one of the unit's own files.
    Declared,
    /// In the build context (or is the Dockerfile) of a service.
    Build,
    /// In a folder the unit's folder encloses.
    Folder,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Home {
    unit: usize,
    service: Option<usize>,
    via: Via,
}

/// The units of an inventory and where each component belongs.
#[derive(Debug, Default)]
pub struct Topology {
    pub units: Vec<Unit>,
    /// Per component: the units it belongs to (several when a file is shared).
    homes: Vec<Vec<Home>>,
    /// Per unit: does a component outside its own files belong to it (code it runs)?
    claimed: Vec<bool>,
}

/// Why a client and a server were paired: a sentence and the span that shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub span: Span,
    pub message: String,
}

impl Reason {
    /// The related label findings carry.
    pub fn label(&self) -> Label {
        Label::pairing(self.span, self.message.clone())
    }
}

impl Topology {
    pub fn build(
        components: &[&Component],
        sources: &SourceView<'_>,
        facts: &[UnitFact],
    ) -> Topology {
        let mut units = folder_units(components, sources);
        add_compose_units(&mut units, sources, facts);
        units.sort_by(|a, b| (&a.dir, a.kind, a.file).cmp(&(&b.dir, b.kind, b.file)));
        let mut own: HashMap<FileId, Vec<usize>> = HashMap::new();
        for (ui, u) in units.iter().enumerate() {
            for f in &u.files {
                own.entry(*f).or_default().push(ui);
            }
        }
        // servers a service runs through `extends.file`: that service's, in its project
        let mut inherited: HashMap<(Span, &str), Vec<Home>> = HashMap::new();
        for fact in facts {
            if let UnitFact::ComposeInherited {
                component,
                file,
                service,
            } = fact
            {
                for (ui, u) in units.iter().enumerate() {
                    if u.kind != UnitKind::Compose || !u.files.contains(file) {
                        continue;
                    }
                    if let Some(si) = u
                        .services
                        .iter()
                        .position(|s| s.file == *file && &s.fact.name == service)
                    {
                        inherited
                            .entry((*component, service.as_str()))
                            .or_default()
                            .push(Home {
                                unit: ui,
                                service: Some(si),
                                via: Via::Declared,
                            });
                    }
                }
            }
        }
        let mut by_file: HashMap<FileId, Vec<Home>> = HashMap::new();
        let mut homes = Vec::with_capacity(components.len());
        let mut claimed = vec![false; units.len()];
        for c in components {
            let file = c.span.file;
            let extended = c.group.as_deref().and_then(|g| inherited.get(&(c.span, g)));
            let h: Vec<Home> = match own.get(&file) {
                // an image inherited through `extends.file`: the extending service's,
                // and the other file's own service of that name, if it has one
                _ if extended.is_some() => {
                    let mut h = extended.cloned().unwrap_or_default();
                    for &ui in own.get(&file).into_iter().flatten() {
                        let own_service = c.group.as_ref().and_then(|g| {
                            units[ui]
                                .services
                                .iter()
                                .position(|s| s.file == file && &s.fact.name == g)
                        });
                        if let Some(si) = own_service {
                            h.push(Home {
                                unit: ui,
                                service: Some(si),
                                via: Via::Declared,
                            });
                        }
                    }
                    h
                }
                // an image whose reference came from the `.env` beside its compose file
                // (the span blames the `.env` line): declared by that project's service
                None if c.group.is_some() && is_dotenv(sources.get(file).path) => {
                    let dir = dir_of(sources.get(file).path);
                    units
                        .iter()
                        .enumerate()
                        .filter(|(_, u)| u.kind == UnitKind::Compose && u.dir == dir)
                        .flat_map(|(ui, u)| {
                            u.services
                                .iter()
                                .position(|s| Some(&s.fact.name) == c.group.as_ref())
                                .map(|si| Home {
                                    unit: ui,
                                    service: Some(si),
                                    via: Via::Declared,
                                })
                        })
                        .collect()
                }
                Some(list) => list
                    .iter()
                    .map(|&ui| Home {
                        unit: ui,
                        service: c.group.as_ref().and_then(|g| {
                            units[ui]
                                .services
                                .iter()
                                .position(|s| s.file == file && &s.fact.name == g)
                        }),
                        via: Via::Declared,
                    })
                    .collect(),
                None => by_file
                    .entry(file)
                    .or_insert_with(|| file_homes(&units, sources.get(file).path))
                    .clone(),
            };
            for home in &h {
                if home.via != Via::Declared {
                    claimed[home.unit] = true;
                }
            }
            homes.push(h);
        }
        Topology {
            units,
            homes,
            claimed,
        }
    }

    /// May `client` reach `server`? `Some(reason)` when it may (the reason is `None` when
    /// there is nothing to say: a component paired with itself), `None` when it may not.
    pub fn reaches(
        &self,
        components: &[&Component],
        sources: &SourceView<'_>,
        client: usize,
        server: usize,
    ) -> Option<Option<Reason>> {
        if client == server {
            return Some(None);
        }
        let (c, s) = (&components[client], &components[server]);
        let (cpath, spath) = (
            &sources.get(c.span.file).path,
            &sources.get(s.span.file).path,
        );
        if s.ecosystem == Ecosystem::Managed && s.name.eq_ignore_ascii_case("kubernetes") {
            return Some(Some(Reason {
                span: s.span,
                message: format!(
                    "`{spath}` declares a Kubernetes cluster: manifests anywhere in the repository are deployed to one"
                ),
            }));
        }
        let (hc, hs) = (&self.homes[client], &self.homes[server]);
        if hs.is_empty() {
            return crate::check::runtime_in_scope(spath, cpath).then(|| {
                Some(Reason {
                    span: s.span,
                    message: format!(
                        "`{spath}` is in no deployment unit and applies to its folder and every folder below it, `{cpath}` among them"
                    ),
                })
            });
        }
        for h_s in hs {
            for h_c in hc {
                if let Some(r) = self.same_unit(sources, cpath, h_c, h_s) {
                    return Some(Some(r));
                }
            }
            let unit = &self.units[h_s.unit];
            if is_within(dir_of(cpath), &unit.dir) && hc.iter().all(|h| h.unit != h_s.unit) {
                return Some(Some(Reason {
                    span: sources.get(unit.file).span(0, 0),
                    message: format!(
                        "the {} of `{}` encloses `{cpath}`",
                        unit.kind.as_str(),
                        display_dir(&unit.dir)
                    ),
                }));
            }
        }
        if hc.is_empty() {
            for h_s in hs {
                if !self.claimed[h_s.unit] {
                    let unit = &self.units[h_s.unit];
                    return Some(Some(Reason {
                        span: sources.get(unit.file).span(0, 0),
                        message: format!(
                            "`{cpath}` is in no deployment unit, and the {} of `{}` builds no code of its own: it serves the repository",
                            unit.kind.as_str(),
                            display_dir(&unit.dir)
                        ),
                    }));
                }
            }
        }
        None
    }

    /// Both in one unit: may they talk, and why.
    fn same_unit(
        &self,
        sources: &SourceView<'_>,
        cpath: &str,
        h_c: &Home,
        h_s: &Home,
    ) -> Option<Reason> {
        if h_c.unit != h_s.unit {
            return None;
        }
        let unit = &self.units[h_c.unit];
        let server_name = h_s.service.map(|i| unit.services[i].fact.name.as_str());
        let Some(ci) = h_c.service else {
            let what = match server_name {
                Some(name) => format!(", which runs service `{name}`"),
                None => String::new(),
            };
            let span = h_s.service.map_or(sources.get(unit.file).span(0, 0), |i| {
                unit.services[i].fact.span
            });
            return Some(Reason {
                span,
                message: format!(
                    "`{cpath}` is in the {} of `{}`{what}",
                    unit.kind.as_str(),
                    display_dir(&unit.dir)
                ),
            });
        };
        let svc = &unit.services[ci];
        let compose = &sources.get(svc.file).path;
        let built = match h_c.via {
            Via::Build => format!(
                "`{}` is the build context of service `{}` in `{compose}`",
                display_dir(svc.context.as_deref().unwrap_or("")),
                svc.fact.name
            ),
            _ => format!("`{cpath}` is service `{}` in `{compose}`", svc.fact.name),
        };
        if h_s.service == Some(ci) {
            return Some(Reason {
                span: svc
                    .context
                    .as_ref()
                    .map_or(svc.fact.span, |_| context_span(svc)),
                message: format!("{built}, which runs it"),
            });
        }
        let names: Vec<&(String, Span)> = svc
            .fact
            .depends_on
            .iter()
            .chain(
                svc.fact
                    .hosts
                    .iter()
                    .filter(|(h, _)| unit.services.iter().any(|o| &o.fact.name == h)),
            )
            .collect();
        if names.is_empty() {
            let runs = server_name.map_or(String::new(), |n| format!(", whose project runs `{n}`"));
            return Some(Reason {
                span: context_span(svc),
                message: format!("{built}{runs}"),
            });
        }
        let name = server_name?;
        let (_, span) = names.iter().find(|(n, _)| n == name)?;
        let how = if svc.fact.depends_on.iter().any(|(n, _)| n == name) {
            "depends on"
        } else {
            "connects to"
        };
        Some(Reason {
            span: *span,
            message: format!("{built}, which {how} `{name}`"),
        })
    }

    /// The compose services that run component `component` (an image it declares or
    /// inherits through `extends:`): `(unit index, service name)`.
    pub fn services_running(&self, component: usize) -> impl Iterator<Item = (usize, &str)> {
        self.homes
            .get(component)
            .into_iter()
            .flatten()
            .filter(|h| h.via == Via::Declared)
            .filter_map(|h| {
                let si = h.service?;
                Some((h.unit, self.units[h.unit].services[si].fact.name.as_str()))
            })
    }

    /// The deployment unit a component belongs to, for `skew graph`: `compose project
    /// shop`, `compose project shop, build context of api`, `Helm chart charts/db`;
    /// `None` outside every unit.
    pub fn unit_label(&self, component: usize) -> Option<String> {
        let h = self.homes.get(component)?.first()?;
        let u = &self.units[h.unit];
        let mut label = format!("{} {}", u.kind.as_str(), display_dir(&u.dir));
        if let (Via::Build, Some(si)) = (h.via, h.service) {
            label.push_str(&format!(", build context of {}", u.services[si].fact.name));
        }
        Some(label)
    }
}

/// Units that are folders: Helm charts, kustomizations, folders of Kubernetes manifests,
/// Terraform modules. Decided from file names and what the files declare.
fn folder_units(components: &[&Component], sources: &SourceView<'_>) -> Vec<Unit> {
    let mut by_dir: HashMap<(String, UnitKind), Vec<FileId>> = HashMap::new();
    for f in sources.iter() {
        let name = f.path.rsplit('/').next().unwrap_or("");
        let kind = match name {
            "Chart.yaml" => Some(UnitKind::HelmChart),
            "kustomization.yaml" | "kustomization.yml" | "Kustomization" => {
                Some(UnitKind::Kustomization)
            }
            n if n.ends_with(".tf") => Some(UnitKind::Terraform),
            _ => None,
        };
        if let Some(kind) = kind {
            by_dir
                .entry((dir_of(f.path).to_string(), kind))
                .or_default()
                .push(f.id);
        }
    }
    let charts: Vec<String> = by_dir
        .keys()
        .filter(|(_, k)| *k == UnitKind::HelmChart)
        .map(|(d, _)| d.clone())
        .collect();
    // a folder of manifests: files declaring Kubernetes objects, outside any chart (a
    // chart's files are the chart's)
    for c in components {
        if c.ecosystem != Ecosystem::Kubernetes {
            continue;
        }
        let path = &sources.get(c.span.file).path;
        let dir = dir_of(path);
        if charts.iter().any(|ch| is_within(dir, ch)) {
            continue;
        }
        let files = by_dir
            .entry((dir.to_string(), UnitKind::Kubernetes))
            .or_default();
        if !files.contains(&c.span.file) {
            files.push(c.span.file);
        }
    }
    // a chart owns every file below it: its values files, and its dependencies vendored
    // under `charts/` (a dependency is a server of the chart that pulls it in), so the
    // outermost chart holding a file is its unit
    for f in sources.iter() {
        let dir = dir_of(f.path);
        if let Some(ch) = charts
            .iter()
            .filter(|ch| is_within(dir, ch))
            .min_by_key(|ch| ch.len())
        {
            let files = by_dir
                .get_mut(&(ch.clone(), UnitKind::HelmChart))
                .expect("chart folder");
            if !files.contains(&f.id) {
                files.push(f.id);
            }
        }
    }
    let mut units: Vec<Unit> = by_dir
        .into_iter()
        .map(|((dir, kind), mut files)| {
            files.sort();
            Unit {
                kind,
                dir,
                file: files[0],
                files,
                services: Vec::new(),
            }
        })
        .collect();
    // a Chart.yaml's own file names the unit
    for u in &mut units {
        if u.kind == UnitKind::HelmChart
            && let Some(f) = u
                .files
                .iter()
                .find(|f| sources.get(**f).path.ends_with("Chart.yaml"))
        {
            u.file = *f;
        }
    }
    units
}

/// Compose projects: the compose files of one folder, the files they include, and their
/// services with build contexts resolved against the tree.
fn add_compose_units(units: &mut Vec<Unit>, sources: &SourceView<'_>, facts: &[UnitFact]) {
    let mut by_dir: HashMap<String, Vec<FileId>> = HashMap::new();
    for f in sources.iter() {
        let name = f.path.rsplit('/').next().unwrap_or("");
        if crate::extract::compose::is_compose_file(name) {
            by_dir
                .entry(dir_of(f.path).to_string())
                .or_default()
                .push(f.id);
        }
    }
    let mut services: HashMap<FileId, Vec<&ComposeService>> = HashMap::new();
    let mut includes: HashMap<FileId, Vec<&str>> = HashMap::new();
    for fact in facts {
        match fact {
            UnitFact::ComposeService(s) => services.entry(s.span.file).or_default().push(s),
            UnitFact::ComposeInclude { path, span } => {
                includes.entry(span.file).or_default().push(path)
            }
            _ => {}
        }
    }
    let mut dirs: Vec<_> = by_dir.into_iter().collect();
    dirs.sort();
    for (dir, mut files) in dirs {
        files.sort();
        let mut all = files.clone();
        for f in &files {
            for inc in includes.get(f).into_iter().flatten() {
                if let Some(p) = join_dir(&dir, inc)
                    && let Some(target) = sources.by_path(&p)
                    && !all.contains(&target.id)
                {
                    all.push(target.id);
                }
            }
        }
        let mut svcs = Vec::new();
        for f in &all {
            let fdir = dir_of(sources.get(*f).path).to_string();
            for s in services.get(f).into_iter().flatten() {
                let context = s
                    .context
                    .as_ref()
                    .and_then(|(c, _)| (!c.contains("://") && !c.starts_with("git@")).then_some(c))
                    .and_then(|c| join_dir(&fdir, c));
                let dockerfile = match (&context, &s.dockerfile) {
                    (Some(ctx), Some(d)) => join_dir(ctx, d),
                    _ => None,
                };
                svcs.push(Service {
                    fact: (*s).clone(),
                    file: *f,
                    context,
                    dockerfile,
                });
            }
        }
        units.push(Unit {
            kind: UnitKind::Compose,
            dir,
            file: files[0],
            files: all,
            services: svcs,
        });
    }
}

/// Where a file not declared by a unit belongs: the service whose Dockerfile it is, else
/// the innermost build context holding it, else the innermost unit folder enclosing it.
fn file_homes(units: &[Unit], path: &str) -> Vec<Home> {
    // servers declared in `skew.toml` belong to its environments, not to a unit
    if path == "skew.toml" || path.ends_with("/skew.toml") {
        return Vec::new();
    }
    let dir = dir_of(path);
    let mut best: Vec<Home> = Vec::new();
    let mut best_len = None;
    for (ui, u) in units.iter().enumerate() {
        for (si, s) in u.services.iter().enumerate() {
            let len = if s.dockerfile.as_deref() == Some(path) {
                usize::MAX
            } else {
                match &s.context {
                    Some(ctx) if is_within(dir, ctx) => ctx.len(),
                    _ => continue,
                }
            };
            let home = Home {
                unit: ui,
                service: Some(si),
                via: Via::Build,
            };
            match best_len {
                Some(l) if l > len => {}
                Some(l) if l == len => best.push(home),
                _ => {
                    best = vec![home];
                    best_len = Some(len);
                }
            }
        }
    }
    if !best.is_empty() {
        return best;
    }
    let innermost = units
        .iter()
        .filter(|u| is_within(dir, &u.dir))
        .map(|u| u.dir.len())
        .max();
    units
        .iter()
        .enumerate()
        .filter(|(_, u)| Some(u.dir.len()) == innermost && is_within(dir, &u.dir))
        .map(|(ui, _)| Home {
            unit: ui,
            service: None,
            via: Via::Folder,
        })
        .collect()
}

/// The span that shows a service's build context (its `build:` value).
fn context_span(s: &Service) -> Span {
    s.fact
        .context
        .as_ref()
        .map_or(s.fact.span, |(_, span)| *span)
}

fn is_dotenv(path: &str) -> bool {
    path == ".env" || path.ends_with("/.env")
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// `dir` is `ancestor` or below it (`""` is the root and holds everything).
fn is_within(dir: &str, ancestor: &str) -> bool {
    ancestor.is_empty()
        || dir == ancestor
        || (dir.starts_with(ancestor) && dir.as_bytes().get(ancestor.len()) == Some(&b'/'))
}

/// `.` for the root folder, the folder otherwise.
fn display_dir(dir: &str) -> &str {
    if dir.is_empty() { "." } else { dir }
}

/// Keep the evaluations whose client reaches its server, and give each finding the
/// reason it was paired (a related label). Without topology facts and without units
/// nothing changes; `skew.toml` environments that hold both override the topology.
pub fn pair(cx: &crate::check::Context<'_>, evaluations: &mut Vec<crate::check::Evaluation>) {
    let topology = Topology::build(&cx.components, &cx.sources, cx.units);
    evaluations.retain_mut(|e| {
        if let Some(env) = cx.declared_together(e.client, e.server) {
            if let Some(f) = e.finding.as_mut() {
                let server = &cx.components[e.server];
                f.related.push(Label::pairing(
                    server.span,
                    format!("`skew.toml` deploys both in environment `{env}`"),
                ));
            }
            return true;
        }
        match topology.reaches(&cx.components, &cx.sources, e.client, e.server) {
            None => false,
            Some(reason) => {
                if let (Some(r), Some(f)) = (reason, e.finding.as_mut()) {
                    f.related.push(r.label());
                }
                true
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan_texts;

    /// For each (client name, server name): may the client reach the server?
    fn pairs(files: &[(&str, &str)]) -> Vec<(String, String, bool)> {
        let inv = scan_texts(
            std::path::Path::new("."),
            files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        );
        let components: Vec<&Component> = inv.components.iter().collect();
        let t = Topology::build(&components, &inv.sources.view(), &inv.units);
        let mut out = Vec::new();
        for (ci, c) in inv.components.iter().enumerate() {
            for (si, s) in inv.components.iter().enumerate() {
                if ci == si || s.kind != crate::component::ComponentKind::Server {
                    continue;
                }
                let path = |x: &Component| inv.sources.get(x.span.file).path.clone();
                let reach = t
                    .reaches(&components, &inv.sources.view(), ci, si)
                    .is_some();
                out.push((
                    format!("{}:{}", path(c), c.name),
                    format!("{}:{}", path(s), s.name),
                    reach,
                ));
            }
        }
        out
    }

    fn reach(p: &[(String, String, bool)], client: &str, server: &str) -> bool {
        p.iter()
            .find(|(c, s, _)| c == client && s == server)
            .unwrap_or_else(|| panic!("no pair {client} -> {server}: {p:?}"))
            .2
    }

    const REQS: &str = "PyMySQL==0.8.1\n";

    #[test]
    fn sibling_units_never_pair_enclosing_ones_do() {
        let p = pairs(&[
            (
                "a/compose.yaml",
                "services:\n  db:\n    image: mysql:8.0.36\n",
            ),
            ("a/requirements.txt", REQS),
            (
                "b/compose.yaml",
                "services:\n  db:\n    image: mysql:5.7.44\n",
            ),
            ("b/requirements.txt", REQS),
            (
                "compose.yaml",
                "services:\n  cache:\n    image: redis:7.2.4\n",
            ),
        ]);
        assert!(reach(
            &p,
            "a/requirements.txt:PyMySQL",
            "a/compose.yaml:mysql"
        ));
        assert!(!reach(
            &p,
            "a/requirements.txt:PyMySQL",
            "b/compose.yaml:mysql"
        ));
        assert!(!reach(
            &p,
            "b/requirements.txt:PyMySQL",
            "a/compose.yaml:mysql"
        ));
        // the root project encloses both samples
        assert!(reach(
            &p,
            "b/requirements.txt:PyMySQL",
            "compose.yaml:redis"
        ));
    }

    #[test]
    fn a_unit_without_code_of_its_own_serves_a_client_in_no_unit() {
        let p = pairs(&[
            (
                "docker/compose.yaml",
                "services:\n  db:\n    image: mysql:8.0.36\n",
            ),
            ("requirements.txt", REQS),
        ]);
        assert!(reach(
            &p,
            "requirements.txt:PyMySQL",
            "docker/compose.yaml:mysql"
        ));
        // once a sample claims it (a manifest inside it), a client outside does not pair
        let p = pairs(&[
            (
                "docker/compose.yaml",
                "services:\n  db:\n    image: mysql:8.0.36\n",
            ),
            ("docker/app/requirements.txt", REQS),
            ("requirements.txt", REQS),
        ]);
        assert!(!reach(
            &p,
            "requirements.txt:PyMySQL",
            "docker/compose.yaml:mysql"
        ));
        assert!(reach(
            &p,
            "docker/app/requirements.txt:PyMySQL",
            "docker/compose.yaml:mysql"
        ));
    }

    #[test]
    fn kubernetes_folders_are_units_and_a_cluster_serves_them_all() {
        let deploy = |image: &str| {
            format!(
                "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: {image}\n"
            )
        };
        let p = pairs(&[
            ("guestbook/frontend.yaml", &deploy("php:8.2.0-apache")),
            ("guestbook/redis.yaml", &deploy("redis:7.2.4")),
            ("wordpress/mysql.yaml", &deploy("mysql:8.0.36")),
            (
                "infra/eks.tf",
                "resource \"aws_eks_cluster\" \"c\" {\n  version = \"1.29\"\n}\n",
            ),
        ]);
        assert!(reach(
            &p,
            "guestbook/frontend.yaml:php",
            "guestbook/redis.yaml:redis"
        ));
        assert!(!reach(
            &p,
            "guestbook/frontend.yaml:php",
            "wordpress/mysql.yaml:mysql"
        ));
        assert!(reach(
            &p,
            "guestbook/frontend.yaml:apps/v1/Deployment",
            "infra/eks.tf:kubernetes"
        ));
    }

    #[test]
    fn a_chart_and_its_vendored_dependencies_are_one_unit() {
        let chart = |name: &str| format!("apiVersion: v2\nname: {name}\nversion: 1.0.0\n");
        let values =
            |repo: &str, tag: &str| format!("image:\n  repository: {repo}\n  tag: {tag}\n");
        let p = pairs(&[
            ("shop/Chart.yaml", &chart("shop")),
            ("shop/values.yaml", &values("php", "8.2.0-apache")),
            ("shop/charts/db/Chart.yaml", &chart("db")),
            ("shop/charts/db/values.yaml", &values("mysql", "8.0.36")),
            ("blog/Chart.yaml", &chart("blog")),
            ("blog/values.yaml", &values("mysql", "5.7.44")),
        ]);
        assert!(reach(
            &p,
            "shop/values.yaml:php",
            "shop/charts/db/values.yaml:mysql"
        ));
        assert!(!reach(&p, "shop/values.yaml:php", "blog/values.yaml:mysql"));
    }

    #[test]
    fn included_files_join_the_project_an_extended_file_lends_one_service() {
        let p = pairs(&[
            (
                "app/compose.yaml",
                "include:\n  - ../shared/compose.yaml\nservices:\n  api:\n    build: ./api\n  cache:\n    extends:\n      file: ../base/docker-compose.yml\n      service: redis\n",
            ),
            ("app/api/requirements.txt", REQS),
            (
                "shared/compose.yaml",
                "services:\n  db:\n    image: mysql:8.0.36\n",
            ),
            (
                "base/docker-compose.yml",
                "services:\n  redis:\n    image: redis:7.2.4\n  legacy:\n    image: mysql:5.7.44\n",
            ),
            ("other/compose.yaml", "services:\n  web:\n    build: .\n"),
            ("other/requirements.txt", REQS),
        ]);
        assert!(reach(
            &p,
            "app/api/requirements.txt:PyMySQL",
            "shared/compose.yaml:mysql"
        ));
        // `cache` runs the image of `redis` in the other file: a server of `app`
        assert!(p.iter().any(|(c, s, r)| *r
            && c == "app/api/requirements.txt:PyMySQL"
            && s == "base/docker-compose.yml:redis"));
        // the other file's other services are not part of `app` (unlike an include)
        assert!(!reach(
            &p,
            "app/api/requirements.txt:PyMySQL",
            "base/docker-compose.yml:mysql"
        ));
        assert!(!reach(
            &p,
            "other/requirements.txt:PyMySQL",
            "shared/compose.yaml:mysql"
        ));
    }

    #[test]
    fn paths_join_inside_the_tree_only() {
        assert_eq!(join_dir("a/b", "../c").as_deref(), Some("a/c"));
        assert_eq!(join_dir("", "./api").as_deref(), Some("api"));
        assert_eq!(join_dir("", "../outside"), None);
        assert_eq!(join_dir("a", "/abs"), None);
        assert!(is_within("a/b", "a") && is_within("a", "") && !is_within("ab", "a"));
    }
}

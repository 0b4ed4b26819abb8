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

use rustc_hash::FxHashMap as HashMap;

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
        let mut own: HashMap<FileId, Vec<usize>> = HashMap::default();
        for (ui, u) in units.iter().enumerate() {
            for f in &u.files {
                own.entry(*f).or_default().push(ui);
            }
        }
        // servers a service runs through `extends.file`: that service's, in its project
        let mut inherited: HashMap<(Span, &str), Vec<Home>> = HashMap::default();
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
        let mut by_file: HashMap<FileId, Vec<Home>> = HashMap::default();
        let places = Places::new(&units);
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
                    .or_insert_with(|| places.file_homes(sources.get(file).path))
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
        let how = self.reach(components, sources, client, server)?;
        Some(self.reason(how, components, sources, client, server))
    }

    /// May `client` reach `server`, and by which clause: the decision alone, with no
    /// text (most pairs are ok and their reason is never shown, [`Topology::reason`]
    /// writes it for the pairs that have a finding).
    fn reach(
        &self,
        components: &[&Component],
        sources: &SourceView<'_>,
        client: usize,
        server: usize,
    ) -> Option<Reach> {
        if client == server {
            return Some(Reach::Itself);
        }
        let (c, s) = (&components[client], &components[server]);
        if is_cluster(s) {
            return Some(Reach::Cluster);
        }
        let (hc, hs) = (&self.homes[client], &self.homes[server]);
        if hs.is_empty() {
            let (cpath, spath) = (sources.get(c.span.file).path, sources.get(s.span.file).path);
            return crate::check::runtime_in_scope(spath, cpath).then_some(Reach::Scope);
        }
        let cdir = dir_of(sources.get(c.span.file).path);
        for h_s in hs {
            for h_c in hc {
                if self.same_unit(h_c, h_s) {
                    return Some(Reach::SameUnit(*h_c, *h_s));
                }
            }
            let unit = &self.units[h_s.unit];
            if is_within(cdir, &unit.dir) && hc.iter().all(|h| h.unit != h_s.unit) {
                return Some(Reach::Encloses(h_s.unit));
            }
        }
        if hc.is_empty() {
            for h_s in hs {
                if !self.claimed[h_s.unit] {
                    return Some(Reach::Serves(h_s.unit));
                }
            }
        }
        None
    }

    /// The sentence (and span) that says why `client` reaches `server` by `how`.
    fn reason(
        &self,
        how: Reach,
        components: &[&Component],
        sources: &SourceView<'_>,
        client: usize,
        server: usize,
    ) -> Option<Reason> {
        let (c, s) = (&components[client], &components[server]);
        let (cpath, spath) = (
            &sources.get(c.span.file).path,
            &sources.get(s.span.file).path,
        );
        let unit_reason = |ui: usize, message: String| Reason {
            span: sources.get(self.units[ui].file).span(0, 0),
            message,
        };
        match how {
            Reach::Itself => None,
            Reach::Cluster => Some(Reason {
                span: s.span,
                message: format!(
                    "`{spath}` declares a Kubernetes cluster: manifests anywhere in the repository are deployed to one"
                ),
            }),
            Reach::Scope => Some(Reason {
                span: s.span,
                message: format!(
                    "`{spath}` is in no deployment unit and applies to its folder and every folder below it, `{cpath}` among them"
                ),
            }),
            Reach::SameUnit(h_c, h_s) => Some(self.same_unit_reason(sources, cpath, &h_c, &h_s)),
            Reach::Encloses(ui) => {
                let unit = &self.units[ui];
                Some(unit_reason(
                    ui,
                    format!(
                        "the {} of `{}` encloses `{cpath}`",
                        unit.kind.as_str(),
                        display_dir(&unit.dir)
                    ),
                ))
            }
            Reach::Serves(ui) => {
                let unit = &self.units[ui];
                Some(unit_reason(
                    ui,
                    format!(
                        "`{cpath}` is in no deployment unit, and the {} of `{}` builds no code of its own: it serves the repository",
                        unit.kind.as_str(),
                        display_dir(&unit.dir)
                    ),
                ))
            }
        }
    }

    /// Both in one unit: may they talk? In one unit, a client outside every service
    /// reaches all of it; a service's code reaches what its service runs, and what it
    /// names (`depends_on`, hosts of its connection strings) when it names any.
    fn same_unit(&self, h_c: &Home, h_s: &Home) -> bool {
        if h_c.unit != h_s.unit {
            return false;
        }
        let unit = &self.units[h_c.unit];
        let Some(ci) = h_c.service else {
            return true;
        };
        if h_s.service == Some(ci) {
            return true;
        }
        let svc = &unit.services[ci];
        let mut names = named_services(unit, svc).peekable();
        if names.peek().is_none() {
            return true;
        }
        let Some(name) = h_s.service.map(|i| unit.services[i].fact.name.as_str()) else {
            return false;
        };
        names.any(|(n, _)| n == name)
    }

    /// Why two components of one unit talk ([`Topology::same_unit`] said they do).
    fn same_unit_reason(
        &self,
        sources: &SourceView<'_>,
        cpath: &str,
        h_c: &Home,
        h_s: &Home,
    ) -> Reason {
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
            return Reason {
                span,
                message: format!(
                    "`{cpath}` is in the {} of `{}`{what}",
                    unit.kind.as_str(),
                    display_dir(&unit.dir)
                ),
            };
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
            return Reason {
                span: svc
                    .context
                    .as_ref()
                    .map_or(svc.fact.span, |_| context_span(svc)),
                message: format!("{built}, which runs it"),
            };
        }
        let named = server_name.and_then(|name| {
            named_services(unit, svc)
                .find(|(n, _)| *n == name)
                .map(|(_, span)| (name, span))
        });
        let Some((name, span)) = named else {
            let runs = server_name.map_or(String::new(), |n| format!(", whose project runs `{n}`"));
            return Reason {
                span: context_span(svc),
                message: format!("{built}{runs}"),
            };
        };
        let how = if svc.fact.depends_on.iter().any(|(n, _)| n == name) {
            "depends on"
        } else {
            "connects to"
        };
        Reason {
            span,
            message: format!("{built}, which {how} `{name}`"),
        }
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
    let mut by_dir: HashMap<(String, UnitKind), Vec<FileId>> = HashMap::default();
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
    let mut by_dir: HashMap<String, Vec<FileId>> = HashMap::default();
    for f in sources.iter() {
        let name = f.path.rsplit('/').next().unwrap_or("");
        if crate::extract::compose::is_compose_file(name) {
            by_dir
                .entry(dir_of(f.path).to_string())
                .or_default()
                .push(f.id);
        }
    }
    let mut services: HashMap<FileId, Vec<&ComposeService>> = HashMap::default();
    let mut includes: HashMap<FileId, Vec<&str>> = HashMap::default();
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

/// How a client reaches a server: the clause of [`Topology::reaches`] that holds.
#[derive(Debug, Clone, Copy)]
enum Reach {
    /// A component paired with itself.
    Itself,
    /// The server is a Kubernetes cluster.
    Cluster,
    /// The server is in no unit and its folder encloses the client's.
    Scope,
    /// Both are in one unit (the client's home, the server's home).
    SameUnit(Home, Home),
    /// The server's unit (this one) encloses the client's folder.
    Encloses(usize),
    /// The client is in no unit; the server's unit (this one) holds no code of its own.
    Serves(usize),
}

/// A Kubernetes cluster: every manifest in the repository is deployed to one.
fn is_cluster(s: &Component) -> bool {
    s.ecosystem == Ecosystem::Managed && s.name.eq_ignore_ascii_case("kubernetes")
}

/// The services a service's code names: its `depends_on`, then the hosts of its
/// connection strings that are services of the unit; each with the span naming it.
fn named_services<'u>(unit: &'u Unit, svc: &'u Service) -> impl Iterator<Item = (&'u str, Span)> {
    svc.fact
        .depends_on
        .iter()
        .chain(
            svc.fact
                .hosts
                .iter()
                .filter(|(h, _)| unit.services.iter().any(|o| &o.fact.name == h)),
        )
        .map(|(n, span)| (n.as_str(), *span))
}

/// The units' folders, the services' build contexts and Dockerfiles by path, so that a
/// file's home is found by walking up its folders, not by testing every service of every
/// unit (a repository of N compose projects has N × files of those tests otherwise).
struct Places<'u> {
    /// Services by the Dockerfile path they name, in (unit, service) order.
    dockerfiles: HashMap<&'u str, Vec<(usize, usize)>>,
    /// Services by build context, in (unit, service) order.
    contexts: HashMap<&'u str, Vec<(usize, usize)>>,
    /// Units by folder, in unit order.
    dirs: HashMap<&'u str, Vec<usize>>,
}

impl<'u> Places<'u> {
    fn new(units: &'u [Unit]) -> Self {
        let mut places = Places {
            dockerfiles: HashMap::default(),
            contexts: HashMap::default(),
            dirs: HashMap::default(),
        };
        for (ui, u) in units.iter().enumerate() {
            places.dirs.entry(&u.dir).or_default().push(ui);
            for (si, s) in u.services.iter().enumerate() {
                if let Some(d) = &s.dockerfile {
                    places.dockerfiles.entry(d).or_default().push((ui, si));
                }
                if let Some(c) = &s.context {
                    places.contexts.entry(c).or_default().push((ui, si));
                }
            }
        }
        places
    }

    /// Where a file not declared by a unit belongs: the services whose Dockerfile it is,
    /// else the services of the innermost build context holding it, else the innermost
    /// unit folders enclosing it.
    fn file_homes(&self, path: &str) -> Vec<Home> {
        // servers declared in `skew.toml` belong to its environments, not to a unit
        if path == "skew.toml" || path.ends_with("/skew.toml") {
            return Vec::new();
        }
        let build = |list: &Vec<(usize, usize)>| {
            list.iter()
                .map(|&(unit, service)| Home {
                    unit,
                    service: Some(service),
                    via: Via::Build,
                })
                .collect()
        };
        if let Some(list) = self.dockerfiles.get(path) {
            return build(list);
        }
        let dir = dir_of(path);
        if let Some(list) = ancestors(dir).find_map(|d| self.contexts.get(d)) {
            return build(list);
        }
        ancestors(dir)
            .find_map(|d| self.dirs.get(d))
            .map(|list| {
                list.iter()
                    .map(|&unit| Home {
                        unit,
                        service: None,
                        via: Via::Folder,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// `dir`, then each folder enclosing it, innermost first, ending with the root `""`.
fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let d = next?;
        next = (!d.is_empty()).then(|| dir_of(d));
        Some(d)
    })
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

/// A list of clients indexed by where they are (folder, units, environments), so that
/// the clients a server may reach are found without testing every (server, client)
/// pair: a repository of N services each running its own server asks N small
/// questions, not N² (issue #13). Built once per rule by [`Context::reach_index`].
///
/// [`ReachIndex::of`] over-approximates [`Topology::reaches`]: it keeps every client the
/// server reaches (and perhaps some it does not); `pair` still decides each pair.
///
/// [`Context::reach_index`]: crate::check::Context::reach_index
#[derive(Debug)]
pub struct ReachIndex<'a> {
    len: usize,
    /// (folder of the client's file, position), sorted.
    by_dir: Vec<(&'a str, usize)>,
    /// Positions of the clients with a home in each unit.
    by_unit: HashMap<usize, Vec<usize>>,
    /// Positions of the clients in no unit.
    homeless: Vec<usize>,
    /// Positions of the clients `skew.toml` pins to environments.
    pinned: Vec<usize>,
    /// Position of each client component, when the server is one of them.
    position: HashMap<usize, usize>,
}

impl<'a> ReachIndex<'a> {
    /// Index `clients` (component indices) of `cx`.
    pub fn new(cx: &'a crate::check::Context<'_>, clients: &[usize]) -> Self {
        let topology = cx.topology();
        let mut index = ReachIndex {
            len: clients.len(),
            by_dir: Vec::with_capacity(clients.len()),
            by_unit: HashMap::default(),
            homeless: Vec::new(),
            pinned: Vec::new(),
            position: HashMap::with_capacity_and_hasher(clients.len(), Default::default()),
        };
        for (pos, &ci) in clients.iter().enumerate() {
            let c = cx.components[ci];
            index
                .by_dir
                .push((dir_of(cx.sources.get(c.span.file).path), pos));
            let homes = &topology.homes[ci];
            if homes.is_empty() {
                index.homeless.push(pos);
            }
            for h in homes {
                let list = index.by_unit.entry(h.unit).or_default();
                if list.last() != Some(&pos) {
                    list.push(pos);
                }
            }
            if !cx.environments[ci].is_empty() {
                index.pinned.push(pos);
            }
            index.position.insert(ci, pos);
        }
        index.by_dir.sort_unstable();
        index
    }

    /// The positions, ascending and each once, of the indexed clients that may reach
    /// component `server` of `cx`: every one [`Topology::reaches`] lets through, or
    /// `skew.toml` puts in one environment with it.
    pub fn of(&self, cx: &crate::check::Context<'_>, server: usize) -> Vec<usize> {
        let topology = cx.topology();
        let all = || (0..self.len).collect();
        let s = cx.components[server];
        if is_cluster(s) {
            return all();
        }
        let mut out = Vec::new();
        if let Some(&pos) = self.position.get(&server) {
            out.push(pos);
        }
        if !cx.environments[server].is_empty() {
            out.extend_from_slice(&self.pinned);
        }
        let homes = &topology.homes[server];
        if homes.is_empty() {
            // a file in no unit applies to its folder and below; CI configuration to all
            let spath = cx.sources.get(s.span.file).path;
            if crate::check::runtime_in_scope(spath, "") {
                return all();
            }
            self.below(dir_of(spath), &mut out);
        }
        for h in homes {
            let unit = &topology.units[h.unit];
            if unit.dir.is_empty() {
                return all();
            }
            if let Some(list) = self.by_unit.get(&h.unit) {
                out.extend_from_slice(list);
            }
            self.below(&unit.dir, &mut out);
            if !topology.claimed[h.unit] {
                out.extend_from_slice(&self.homeless);
            }
        }
        out.sort_unstable();
        out.dedup();
        // the index keeps every pair the topology lets through (debug builds, so every
        // test): a client it dropped would be a pair never judged
        #[cfg(debug_assertions)]
        for (&ci, &pos) in &self.position {
            let kept = topology
                .reach(&cx.components, &cx.sources, ci, server)
                .is_some()
                || cx.declared_together(ci, server).is_some();
            debug_assert!(
                !kept || out.binary_search(&pos).is_ok(),
                "the reach index dropped client {ci} of server {server}"
            );
        }
        out
    }

    /// Push the positions of the clients whose folder is `dir` or below it.
    fn below(&self, dir: &str, out: &mut Vec<usize>) {
        let start = self.by_dir.partition_point(|(d, _)| *d < dir);
        out.extend(
            self.by_dir[start..]
                .iter()
                .take_while(|(d, _)| *d == dir)
                .map(|(_, p)| *p),
        );
        let under = format!("{dir}/");
        let start = self.by_dir.partition_point(|(d, _)| *d < under.as_str());
        out.extend(
            self.by_dir[start..]
                .iter()
                .take_while(|(d, _)| d.starts_with(&under))
                .map(|(_, p)| *p),
        );
    }
}

/// Keep the evaluations whose client reaches its server, and give each finding the
/// reason it was paired (a related label). Without topology facts and without units
/// nothing changes; `skew.toml` environments that hold both override the topology.
pub fn pair(cx: &crate::check::Context<'_>, evaluations: &mut Vec<crate::check::Evaluation>) {
    let topology = cx.topology();
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
        let Some(how) = topology.reach(&cx.components, &cx.sources, e.client, e.server) else {
            return false;
        };
        // the sentence is written only for a finding: an ok pair shows no reason
        if let Some(f) = e.finding.as_mut()
            && let Some(r) = topology.reason(how, &cx.components, &cx.sources, e.client, e.server)
        {
            f.related.push(r.label());
        }
        true
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

    /// The reach index finds exactly the clients the pairwise test lets through, on a
    /// tree with every clause: sibling projects, a root project, a project with no code,
    /// build contexts, a folder unit, files in no unit and CI configuration.
    #[test]
    fn reach_index_finds_what_the_pairwise_test_finds() {
        let mut files: Vec<(String, String)> = Vec::new();
        for i in 0..6 {
            files.push((
                format!("svc{i}/compose.yaml"),
                format!(
                    "services:\n  app:\n    build: ./app\n    depends_on: [db]\n  db:\n    image: mysql:8.0.{i}\n  cache:\n    image: redis:7.{i}\n"
                ),
            ));
            files.push((format!("svc{i}/app/requirements.txt"), REQS.into()));
            files.push((format!("svc{i}/tools/requirements.txt"), REQS.into()));
            files.push((format!("svc{i}0/requirements.txt"), REQS.into()));
        }
        files.push((
            "compose.yaml".into(),
            "services:\n  pg:\n    image: postgres:16\n".into(),
        ));
        files.push((
            "infra/compose.yaml".into(),
            "services:\n  db:\n    image: mysql:5.7\n".into(),
        ));
        files.push(("requirements.txt".into(), REQS.into()));
        files.push(("lib/.nvmrc".into(), "20\n".into()));
        files.push(("lib/x/requirements.txt".into(), REQS.into()));
        files.push((
            ".github/workflows/ci.yml".into(),
            "jobs:\n  t:\n    runs-on: x\n    services:\n      db:\n        image: mysql:8.4\n"
                .into(),
        ));
        let inv = scan_texts(std::path::Path::new("."), files);
        let rules = crate::rule::RuleSet::default();
        let cx = crate::check::Context::new(&inv.components, &rules, inv.sources.view())
            .with_units(&inv.units);
        let clients: Vec<usize> = (0..cx.components.len()).collect();
        let index = cx.reach_index(&clients);
        let topology = cx.topology();
        let (mut reached, mut asked) = (0, 0);
        let servers = (0..cx.components.len())
            .filter(|&s| cx.components[s].kind == crate::component::ComponentKind::Server);
        let mut count = 0;
        for server in servers {
            count += 1;
            let exact: Vec<usize> = clients
                .iter()
                .copied()
                .filter(|&ci| {
                    topology
                        .reaches(&cx.components, &cx.sources, ci, server)
                        .is_some()
                })
                .collect();
            let found = index.of(&cx, server);
            // every pair the topology lets through, and a few it does not (a service
            // that names its servers, beside one it does not name)
            let missed: Vec<&usize> = exact.iter().filter(|c| !found.contains(c)).collect();
            assert!(missed.is_empty(), "server {server}: missed {missed:?}");
            reached += exact.len();
            asked += found.len();
        }
        // the tree is not trivial (many pairs), and the index asks about far fewer
        // pairs than every one, and not many more than the ones that reach
        let n = cx.components.len();
        assert!(
            count > 10 && reached > n,
            "{reached} pairs, {count} servers"
        );
        assert!(
            asked < count * n / 2 && asked < reached * 2,
            "{asked} asked, {reached} reach, {count} servers × {n} components"
        );
    }

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

//! Docker Compose files: each service's `image:` is a server the repository runs.
//!
//! Owns reading `services.*.image`, `command` and `environment` from compose files
//! (including override/variant files such as `docker-compose.prod.yml` and swarm stack
//! files), with anchors and `<<` merge keys applied by serde-saphyr, and the topology each
//! service states (`build:` context, `depends_on`, `links`, hosts in its environment, the
//! file's `include:`) as [`UnitFact`]s for `plan::topology`, and its bind mounts
//! (`volumes:`, short and long form) for the scanner, which reads the MySQL option files
//! among them (`scan::option_files`). `${VAR:-default}`
//! interpolation uses the default here; an image with variables is also recorded so the
//! scanner can interpolate it with the `.env` beside the file. A service that `extends:`
//! a service of the same file is merged with it as compose does (along a chain of such
//! `extends:`, nearest first): with neither `image:` nor `build:` of its own it runs the
//! base's image (a component of its own, blamed on the image line it inherits), it
//! builds the base's `build:` context, and its own command and environment win over the
//! base's. A chain that goes on in another file (`extends: { file: … }`) is recorded as a
//! [`UnitFact::ComposeExtends`]; the scanner follows it with [`service_defs`]. Must not:
//! read `.env` files, other files or the environment (extractors do no I/O), or decide
//! what an image *is* (rules do).
//!
//! A service with only `build:` produces no component: its image is built from a
//! Dockerfile in the repository, and that Dockerfile's `FROM` lines are extracted on their
//! own by the dockerfile extractor.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use super::image_ref::{self, split_image};
use super::{Extraction, Extractor, file_name, yaml_tree};
use crate::component::{
    Component, ComponentKind, ComposeExtends, ComposeImage, ComposeMounts, ComposeService,
    Ecosystem, Mount, Setting, SettingKind, UnitFact,
};
use crate::diagnostic::{Finding, parse_error};
use crate::limits;
use crate::source::{FileId, SourceFile, Span};

pub struct Compose;

impl Extractor for Compose {
    fn name(&self) -> &'static str {
        "compose"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Yaml)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &[
            "docker-compose.yml",
            "compose.yaml",
            "docker-compose.override.yml",
            "deploy/compose.prod.yaml",
            "docker-compose-dev.yml",
            "docker-stack.yml",
            "stack.yml",
        ]
    }

    fn wants(&self, path: &Path) -> bool {
        is_compose_file(file_name(path))
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let doc = match parse(file) {
            Ok(Some(doc)) => doc,
            Ok(None) => return,
            Err(problem) => {
                out.problem(*problem);
                return;
            }
        };
        for path in doc.include.map(|i| i.0).unwrap_or_default() {
            out.units.push(UnitFact::ComposeInclude {
                span: text_span(file, &path),
                path: path.value,
            });
        }
        let services = doc.services.map(|s| s.0).unwrap_or_default();
        for (key, service) in &services {
            let Some(service) = service else { continue };
            let name = key.value.clone();
            let (bases, other) = chain(&services, service, &name);
            let merged = || std::iter::once(service).chain(bases.iter().copied());
            // compose merges the chain nearest first: the first service with an image or
            // a build decides what runs (an inherited image unless it is built)
            let decides = merged().find(|s| s.image.is_some() || s.build.is_some());
            let build = merged().find_map(|s| s.build.as_ref());
            let command = merged().find_map(|s| s.command.as_ref());
            let mut env = Vec::new();
            for s in merged() {
                let mut own = Vec::new();
                if let Some(e) = &s.environment {
                    env_settings(file, e.clone(), &mut own);
                }
                own.retain(|e| !env.iter().any(|s: &Setting| s.name == e.name));
                env.extend(own);
            }
            out.units.push(UnitFact::ComposeService(service_facts(
                file,
                key,
                build,
                service.depends_on.clone(),
                service.links.clone(),
                &env,
            )));
            // compose merges `volumes:` along `extends:` by container path, own first
            let mut mounts: Vec<Mount> = Vec::new();
            for m in merged().flat_map(|s| s.volumes.iter().flat_map(|v| &v.0)) {
                let target = m.target.trim_end_matches('/');
                if !mounts
                    .iter()
                    .any(|o| o.target.trim_end_matches('/') == target)
                {
                    mounts.push(Mount {
                        source: m.source.value.clone(),
                        source_span: text_span(file, &m.source),
                        target: m.target.clone(),
                    });
                }
            }
            if !mounts.is_empty() {
                out.units.push(UnitFact::ComposeMounts(ComposeMounts {
                    service: name.clone(),
                    span: text_span(file, key),
                    mounts,
                }));
            }
            let mut settings = Vec::new();
            if let Some(cmd) = command {
                command_settings(file, cmd.clone(), &mut settings);
            }
            if let Some(e) = other
                && let (Some(path), Some(base)) = (&e.file, &e.service)
            {
                // the rest of the chain is in another file: the scanner reads it
                let mut inherited = settings.clone();
                inherited.extend(env.iter().cloned());
                out.units.push(UnitFact::ComposeExtends(ComposeExtends {
                    service: name.clone(),
                    span: text_span(file, key),
                    file: path.value.clone(),
                    file_span: text_span(file, path),
                    base: base.value.clone(),
                    base_span: text_span(file, base),
                    settings: inherited,
                    has_command: command.is_some(),
                    wants_image: decides.is_none(),
                    wants_build: build.is_none(),
                }));
            }
            let Some(image) = decides.and_then(|s| s.image.as_ref()) else {
                continue;
            };
            let Some(mut c) = image_component(file, image, out) else {
                continue;
            };
            c.group = Some(name);
            c.settings = settings;
            c.settings.extend(env);
            out.push(c);
        }
    }
}

/// The chain of same-file `extends:` below a service (nearest base first), and the
/// `extends:` into another file it ends at; a cycle inherits nothing.
fn chain<'a>(
    services: &'a [(Spanned<String>, Option<Service>)],
    start: &'a Service,
    name: &str,
) -> (Vec<&'a Service>, Option<&'a Extends>) {
    let mut seen = vec![name.to_string()];
    let mut bases = Vec::new();
    let mut at = start;
    loop {
        let Some(e) = &at.extends else {
            return (bases, None);
        };
        if e.file.is_some() {
            return (bases, Some(e));
        }
        let Some(base) = &e.service else {
            return (bases, None);
        };
        if seen.contains(&base.value) {
            return (Vec::new(), None);
        }
        seen.push(base.value.clone());
        let Some(next) = services
            .iter()
            .find(|(k, _)| k.value == base.value)
            .and_then(|(_, s)| s.as_ref())
        else {
            return (bases, None);
        };
        bases.push(next);
        at = next;
    }
}

/// Parse a compose file into the typed model; `None` for an empty file, a `parse-error`
/// finding for a file that is not valid YAML.
fn parse(file: &SourceFile) -> Result<Option<ComposeFile>, Box<Finding>> {
    if file.text.trim().is_empty() {
        return Ok(None);
    }
    serde_saphyr::from_str_with_options(&file.text, yaml_tree::options(limits::YAML_MAX_NODES))
        .map_err(|e| {
            let span = match e.location() {
                Some(loc) => {
                    let at = file.offset_of(loc.line() as usize, loc.column() as usize);
                    file.span(at, at)
                }
                None => file.span(0, 0),
            };
            Box::new(parse_error(
                span,
                "compose file",
                yaml_tree::error_message(&e),
            ))
        })
}

/// One service of a compose file as another file's `extends:` sees it: the scanner
/// follows `extends.file` chains with these (extractors read one file at a time).
pub(crate) struct ServiceDef {
    pub(crate) name: String,
    /// The server its `image:` names, and the facts that go with it (an image with
    /// variables for the `.env` step).
    pub(crate) image: Option<(Component, Vec<UnitFact>)>,
    /// `build:` context as written (relative to this file's folder) and its span.
    pub(crate) context: Option<(String, Span)>,
    pub(crate) dockerfile: Option<String>,
    pub(crate) env: Vec<Setting>,
    pub(crate) command: Option<Vec<Setting>>,
    /// `extends:`: the other file (as written, with the span of the value), if any, and
    /// the service, with the span of its name.
    pub(crate) extends: Option<(Option<Named>, Named)>,
    /// Its own bind mounts (`volumes:`), host paths relative to this file's folder.
    pub(crate) mounts: Vec<Mount>,
}

/// A text as written and its span.
pub(crate) type Named = (String, Span);

/// The services of a compose file, in file order, as [`ServiceDef`]s.
pub(crate) fn service_defs(file: &SourceFile) -> Result<Vec<ServiceDef>, Box<Finding>> {
    let Some(doc) = parse(file)? else {
        return Ok(Vec::new());
    };
    let mut defs = Vec::new();
    for (key, service) in doc.services.map(|s| s.0).unwrap_or_default() {
        let Some(service) = service else { continue };
        let mut out = Extraction::default();
        let image = service
            .image
            .as_ref()
            .and_then(|i| image_component(file, i, &mut out))
            .map(|c| (c, out.units));
        let facts = service_facts(file, &key, service.build.as_ref(), None, None, &[]);
        let mut env = Vec::new();
        if let Some(e) = service.environment {
            env_settings(file, e, &mut env);
        }
        let command = service.command.map(|c| {
            let mut args = Vec::new();
            command_settings(file, c, &mut args);
            args
        });
        let extends = service.extends.and_then(|e| {
            let base = e.service?;
            Some((
                e.file.map(|f| (f.value.clone(), text_span(file, &f))),
                (base.value.clone(), text_span(file, &base)),
            ))
        });
        let mounts = service
            .volumes
            .iter()
            .flat_map(|v| &v.0)
            .map(|m| Mount {
                source: m.source.value.clone(),
                source_span: text_span(file, &m.source),
                target: m.target.clone(),
            })
            .collect();
        defs.push(ServiceDef {
            name: key.value,
            mounts,
            image,
            context: facts.context,
            dockerfile: facts.dockerfile,
            env,
            command,
            extends,
        });
    }
    Ok(defs)
}

/// Where a string value is written (only the text inside quotes), else its whole node.
fn text_span(file: &SourceFile, v: &Spanned<String>) -> Span {
    match verbatim_start(file, &v.defined, &v.value) {
        Some(s) => file.span(s, s + v.value.len()),
        None => node_span(file, &v.defined),
    }
}

/// The topology a service states: what it builds, which services it names.
fn service_facts(
    file: &SourceFile,
    key: &Spanned<String>,
    build: Option<&Spanned<Build>>,
    depends_on: Option<Names>,
    links: Option<Names>,
    settings: &[Setting],
) -> ComposeService {
    let text_span = |v: &Spanned<String>| text_span(file, v);
    let (context, dockerfile) = match build.map(|b| &b.value) {
        Some(Build::Context(c)) => {
            let b = build.expect("matched");
            let span = match verbatim_start(file, &b.defined, c) {
                Some(s) => file.span(s, s + c.len()),
                None => node_span(file, &b.defined),
            };
            (Some((c.clone(), span)), None)
        }
        Some(Build::Map {
            context,
            dockerfile,
        }) => (
            Some(match context {
                Some(c) => (c.value.clone(), text_span(c)),
                // `build:` with only a `dockerfile:`: the context is the project folder,
                // and the service's name is the narrowest thing to point at
                None => (".".to_string(), text_span(key)),
            }),
            dockerfile.clone(),
        ),
        None => (None, None),
    };
    let mut named = Vec::new();
    for n in depends_on.into_iter().chain(links).flat_map(|n| n.0) {
        // `links: [db:database]` names the service `db`
        let service = n.value.split(':').next().unwrap_or("").trim().to_string();
        if !service.is_empty() {
            named.push((service, text_span(&n)));
        }
    }
    let hosts = settings
        .iter()
        .filter(|s| s.kind == SettingKind::Env)
        .flat_map(|s| {
            env_hosts(&s.name, &s.value)
                .into_iter()
                .map(move |h| (h, s.span))
        })
        .collect();
    ComposeService {
        name: key.value.clone(),
        span: text_span(key),
        context,
        dockerfile,
        depends_on: named,
        hosts,
        connections: connections(settings),
    }
}

/// The environment variables of `settings` whose value is a connection string, or may
/// be one once interpolated (`${DB_URL}`, set by the `.env` beside the compose file:
/// the scanner interpolates them, `scan::compose_env`).
pub(crate) fn connections(settings: &[Setting]) -> Vec<Setting> {
    settings
        .iter()
        .filter(|s| {
            s.kind == SettingKind::Env && (s.value.contains("://") || has_variable(&s.value))
        })
        .cloned()
        .collect()
}

/// A connection string's value interpolated as docker compose does, when no variable is
/// left unset: the text, and where it is written when all of it is written verbatim in
/// one place (the `.env` value of `${DB_URL}`); `start` is where the value is written in
/// the compose file, if it is written verbatim there.
pub(crate) fn interpolate_value(
    value: &str,
    start: Option<At>,
    lookup: Lookup<'_>,
) -> Option<(String, Option<Span>)> {
    let pieces = interpolate(value, start, lookup);
    if pieces.iter().any(|p| p.unresolved) {
        return None;
    }
    let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
    let span = match map_range(&pieces, 0, joined.len()) {
        Ok(Some((s, e))) if s.file == e.file && !joined.is_empty() => {
            Some(Span::new(s.file, s.offset, e.offset))
        }
        _ => None,
    };
    Some((joined, span))
}

/// Host names an environment variable points at: every host of a connection string
/// (`mysql://user:pw@db:3306/app`, `mongodb://a:27017,b:27017`) and the value of a
/// `*_HOST`/`*_HOSTNAME`/`*_SERVER`/`*_ADDR`/`*_ADDRESS` variable (`REDIS_HOST=cache`,
/// `KAFKA_ADDR=kafka:9092`). Values with variables nothing resolves name nothing.
pub(crate) fn env_hosts(name: &str, value: &str) -> Vec<String> {
    let value = value.trim();
    let is_host = |h: &str| {
        !h.is_empty()
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    let strip_port = |h: &str| h.split(':').next().unwrap_or("").to_string();
    if let Some((_, rest)) = value.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let hosts = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        return hosts
            .split(',')
            .map(strip_port)
            .filter(|h| is_host(h))
            .collect();
    }
    let upper = name.to_ascii_uppercase();
    let host_var = ["_HOST", "_HOSTNAME", "_SERVER", "_ADDR", "_ADDRESS"]
        .iter()
        .any(|suffix| upper.ends_with(suffix))
        || matches!(upper.as_str(), "HOST" | "HOSTNAME" | "SERVER");
    if host_var {
        return value
            .split(',')
            .map(|h| strip_port(h.trim()))
            .filter(|h| is_host(h))
            .collect();
    }
    Vec::new()
}

/// Is a file name one docker compose or `docker stack deploy` reads? `compose.yaml`,
/// `docker-compose.yml` and their variants (`compose.override.yaml`, `compose.prod.yaml`,
/// `docker-compose-dev.yml`, `docker-compose_test.yml`), swarm stack files
/// (`docker-stack.yml`, `docker-stack.prod.yml`, `stack.yml`).
pub(crate) fn is_compose_file(name: &str) -> bool {
    let Some(stem) = name
        .strip_suffix(".yml")
        .or_else(|| name.strip_suffix(".yaml"))
    else {
        return false;
    };
    stem == "stack"
        || ["docker-compose", "compose", "docker-stack"]
            .iter()
            .any(|base| {
                stem == *base
                    || stem
                        .strip_prefix(base)
                        .is_some_and(|rest| rest.len() > 1 && rest.starts_with(['.', '-', '_']))
            })
}

// ---- the typed model (only what skew reads; everything else is ignored) ----

#[derive(Deserialize)]
struct ComposeFile {
    #[serde(default)]
    services: Option<Services>,
    #[serde(default)]
    include: Option<Includes>,
}

/// `services:` in file order, each key with its span.
struct Services(Vec<(Spanned<String>, Option<Service>)>);

impl<'de> Deserialize<'de> for Services {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Services;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of services")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Services, E> {
                Ok(Services(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Services, A::Error> {
                let mut services = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    services.push((k, map.next_value::<Option<Service>>()?));
                }
                Ok(Services(services))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
struct Service {
    #[serde(default)]
    image: Option<Spanned<String>>,
    #[serde(default)]
    command: Option<Spanned<Command>>,
    #[serde(default)]
    environment: Option<Environment>,
    #[serde(default)]
    build: Option<Spanned<Build>>,
    #[serde(default)]
    depends_on: Option<Names>,
    #[serde(default)]
    links: Option<Names>,
    #[serde(default)]
    extends: Option<Extends>,
    #[serde(default)]
    volumes: Option<Volumes>,
}

/// A service's `volumes:`: the bind mounts among them, in the short form
/// (`./my.cnf:/etc/mysql/my.cnf:ro`) or the long one (`type: bind`, `source`,
/// `target`). Named and anonymous volumes, and entries of other shapes, are dropped
/// here: a `volumes:` skew does not understand never fails the file.
#[derive(Clone, Default)]
struct Volumes(Vec<BindMount>);

#[derive(Clone)]
struct BindMount {
    /// The host path, with the node it is written in (the short form writes it first
    /// in its scalar, so the scalar's start is the path's).
    source: Spanned<String>,
    /// The path inside the container.
    target: String,
}

impl<'de> Deserialize<'de> for Volumes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Volumes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of volumes")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Volumes, A::Error> {
                let mut mounts = Vec::new();
                while let Some(v) = seq.next_element::<Spanned<RawVolume>>()? {
                    let Spanned {
                        value,
                        referenced,
                        defined,
                    } = v;
                    match value {
                        RawVolume::Short(text) => {
                            if let Some((source, target)) = split_short_volume(&text) {
                                mounts.push(BindMount {
                                    source: Spanned::new(source, referenced, defined),
                                    target,
                                });
                            }
                        }
                        RawVolume::Long {
                            bind: true,
                            source: Some(source),
                            target: Some(target),
                        } => mounts.push(BindMount { source, target }),
                        _ => {}
                    }
                }
                Ok(Volumes(mounts))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Volumes, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Volumes::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Volumes, E> {
                Ok(Volumes::default())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Volumes, E> {
                Ok(Volumes::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Volumes, E> {
                Ok(Volumes::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Volumes, E> {
                Ok(Volumes::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Volumes, E> {
                Ok(Volumes::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Volumes, E> {
                Ok(Volumes::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// One entry of `volumes:` as written.
enum RawVolume {
    Short(String),
    Long {
        bind: bool,
        source: Option<Spanned<String>>,
        target: Option<String>,
    },
    Other,
}

impl<'de> Deserialize<'de> for RawVolume {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct LongVolume {
            #[serde(default, rename = "type")]
            kind: Option<Scalar>,
            #[serde(default)]
            source: Option<Spanned<Scalar>>,
            #[serde(default)]
            target: Option<Scalar>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawVolume;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a volume")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawVolume, E> {
                Ok(RawVolume::Short(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawVolume, A::Error> {
                let m = LongVolume::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawVolume::Long {
                    bind: m.kind.is_some_and(|k| k.0 == "bind"),
                    source: m
                        .source
                        .map(|s| Spanned::new(s.value.0, s.referenced, s.defined)),
                    target: m.target.map(|t| t.0),
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawVolume, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(RawVolume::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawVolume, E> {
                Ok(RawVolume::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<RawVolume, E> {
                Ok(RawVolume::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawVolume, E> {
                Ok(RawVolume::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawVolume, E> {
                Ok(RawVolume::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawVolume, E> {
                Ok(RawVolume::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// The host path and the container path of a short-form bind mount
/// (`SOURCE:TARGET[:MODE]`, compose-spec "Short syntax"): `None` for a named volume
/// (`data:/var/lib/mysql`: a source that is no path) or an anonymous one (no `:`).
/// A Windows drive (`C:\conf:/etc/mysql/conf.d`) stays part of the source.
fn split_short_volume(text: &str) -> Option<(String, String)> {
    let b = text.as_bytes();
    let drive =
        b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/');
    let skip = if drive { 2 } else { 0 };
    // a `:` inside `${VAR:-default}` is the variable's, not the separator
    let mut depth = 0usize;
    let colon = skip
        + text[skip..].char_indices().find_map(|(i, c)| {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                ':' if depth == 0 => return Some(i),
                _ => {}
            }
            None
        })?;
    let source = &text[..colon];
    let target = text[colon + 1..].split(':').next().unwrap_or("");
    let is_path = drive || source.starts_with(['.', '/', '~', '$']);
    (is_path && !target.is_empty()).then(|| (source.to_string(), target.to_string()))
}

/// `extends:` a service of this file (`extends: base`, `extends: { service: base }`) or
/// of another one (`extends: { file: common.yml, service: base }`). Unlike `include:`,
/// the other file's services do not join the project: only the one extended lends its
/// configuration.
struct Extends {
    file: Option<Spanned<String>>,
    service: Option<Spanned<String>>,
}

impl<'de> Deserialize<'de> for Extends {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // `extends: base` is blamed on its scalar, the map form on its `service:` value
        let raw = Spanned::<RawExtends>::deserialize(d)?;
        Ok(match raw.value {
            RawExtends::Name(n) => Extends {
                file: None,
                service: Some(Spanned::new(n, raw.referenced, raw.defined)),
            },
            RawExtends::Map { file, service } => Extends { file, service },
        })
    }
}

enum RawExtends {
    Name(String),
    Map {
        file: Option<Spanned<String>>,
        service: Option<Spanned<String>>,
    },
}

impl<'de> Deserialize<'de> for RawExtends {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct ExtendsMap {
            #[serde(default)]
            file: Option<Spanned<String>>,
            #[serde(default)]
            service: Option<Spanned<String>>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawExtends;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a service name or a map with `file` and `service`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawExtends, E> {
                Ok(RawExtends::Name(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawExtends, A::Error> {
                let m = ExtendsMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RawExtends::Map {
                    file: m.file,
                    service: m.service,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// `build:` is a context path or a map with `context` and `dockerfile`.
enum Build {
    /// `build: ./api` (the span is the outer node's).
    Context(String),
    Map {
        context: Option<Spanned<String>>,
        dockerfile: Option<String>,
    },
}

impl<'de> Deserialize<'de> for Build {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct BuildMap {
            #[serde(default)]
            context: Option<Spanned<String>>,
            #[serde(default)]
            dockerfile: Option<String>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Build;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a build context or a map with `context`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Build, E> {
                Ok(Build::Context(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Build, A::Error> {
                let m = BuildMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Build::Map {
                    context: m.context,
                    dockerfile: m.dockerfile,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Service names as `depends_on`/`links` list them: a list of names, or a map whose keys
/// are the names (`depends_on: { db: { condition: service_healthy } }`).
#[derive(Clone)]
struct Names(Vec<Spanned<String>>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of service names or a map keyed by them")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Names, E> {
                Ok(Names(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
                let mut names = Vec::new();
                while let Some(n) = seq.next_element::<Spanned<String>>()? {
                    names.push(n);
                }
                Ok(Names(names))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Names, A::Error> {
                let mut names = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    map.next_value::<de::IgnoredAny>()?;
                    names.push(k);
                }
                Ok(Names(names))
            }
        }
        d.deserialize_any(V)
    }
}

/// `include:` entries: a path, or a map whose `path` is a path or a list of them.
struct Includes(Vec<Spanned<String>>);

impl<'de> Deserialize<'de> for Includes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Includes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of compose files to include")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Includes, E> {
                Ok(Includes(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Includes, A::Error> {
                let mut paths = Vec::new();
                while let Some(e) = seq.next_element::<Spanned<Include>>()? {
                    match e.value {
                        Include::Path(p) => paths.push(Spanned::new(p, e.referenced, e.defined)),
                        Include::Paths(ps) => paths.extend(ps),
                    }
                }
                Ok(Includes(paths))
            }
        }
        d.deserialize_any(V)
    }
}

/// One `include:` entry, or the `path:` of one: a path or a list of paths.
enum Include {
    Path(String),
    Paths(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for Include {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Include;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a path, a list of paths, or a map with `path`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Include, E> {
                Ok(Include::Path(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Include, A::Error> {
                let mut paths = Vec::new();
                while let Some(p) = seq.next_element::<Spanned<String>>()? {
                    paths.push(p);
                }
                Ok(Include::Paths(paths))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Include, A::Error> {
                let mut paths = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    if k != "path" {
                        map.next_value::<de::IgnoredAny>()?;
                        continue;
                    }
                    let p = map.next_value::<Spanned<Include>>()?;
                    match p.value {
                        Include::Path(s) => paths.push(Spanned::new(s, p.referenced, p.defined)),
                        Include::Paths(ps) => paths.extend(ps),
                    }
                }
                Ok(Include::Paths(paths))
            }
        }
        d.deserialize_any(V)
    }
}

/// `command:` is a string (split like a shell) or a list of arguments.
#[derive(Clone)]
enum Command {
    Line(String),
    List(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for Command {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Command;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a command string or a list of arguments")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Command, E> {
                Ok(Command::Line(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Command, E> {
                Ok(Command::List(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Command, A::Error> {
                let mut args = Vec::new();
                while let Some(a) = seq.next_element::<Spanned<Scalar>>()? {
                    args.push(Spanned::new(a.value.0, a.referenced, a.defined));
                }
                Ok(Command::List(args))
            }
        }
        d.deserialize_any(V)
    }
}

/// `environment:` is a map (`KEY: value`) or a list of `KEY=VAL` strings.
#[derive(Clone)]
enum Environment {
    Map(Vec<(Spanned<String>, Option<Spanned<Scalar>>)>),
    List(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for Environment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Environment;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of variables or a list of KEY=VALUE strings")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Environment, E> {
                Ok(Environment::List(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Environment, A::Error> {
                let mut vars = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    let v = map.next_value::<Option<Spanned<Scalar>>>()?;
                    vars.push((k, v));
                }
                Ok(Environment::Map(vars))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Environment, A::Error> {
                let mut vars = Vec::new();
                while let Some(a) = seq.next_element::<Spanned<String>>()? {
                    vars.push(a);
                }
                Ok(Environment::List(vars))
            }
        }
        d.deserialize_any(V)
    }
}

/// Any YAML scalar as text: `MYSQL_PORT: 3306` and `DEBUG: true` are common in
/// `environment:`, and compose passes them on as strings.
#[derive(Clone)]
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

// ---- spans ----

/// Where a scalar's node starts in the file. `defined` is used rather than `referenced`:
/// for a value that came through an alias or a `<<` merge it is the anchored text, the
/// place a person edits.
fn node_start(loc: &Location) -> Option<usize> {
    loc.span().byte_offset().map(|b| b as usize)
}

/// The byte offset where `value` is written verbatim in the file (inside quotes if the
/// scalar is quoted), or `None` when the scalar's text differs from its value (escapes,
/// folded or block scalars): then only the node as a whole can be blamed.
fn verbatim_start(file: &SourceFile, loc: &Location, value: &str) -> Option<usize> {
    let mut start = node_start(loc)?;
    let rest = file.text.get(start..)?;
    if rest.starts_with('"') || rest.starts_with('\'') {
        start += 1;
    }
    file.text
        .get(start..)
        .is_some_and(|r| r.starts_with(value))
        .then_some(start)
}

/// The span of a whole scalar node when its text cannot be mapped piece by piece.
fn node_span(file: &SourceFile, loc: &Location) -> Span {
    let span = loc.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(s), Some(l)) => file.span(s as usize, (s + l) as usize),
        _ => {
            let at = file.offset_of(loc.line() as usize, loc.column() as usize);
            file.span(at, at)
        }
    }
}

// ---- image references ----

/// A position in some file: where a piece of an interpolated value is written (the
/// compose file itself, or the `.env` line a variable came from).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct At {
    pub(crate) file: FileId,
    pub(crate) offset: usize,
}

impl std::ops::Add<usize> for At {
    type Output = At;
    fn add(self, n: usize) -> At {
        At {
            file: self.file,
            offset: self.offset + n,
        }
    }
}

/// One piece of an interpolated string: its text, where that text is written (if it is
/// written verbatim), and whether it is a variable nothing gave a value.
pub(super) struct Piece<A = usize> {
    pub(super) text: String,
    pub(super) at: Option<A>,
    pub(super) unresolved: bool,
}

/// A variable's value from a `.env` file, with where the value is written.
pub(crate) type Lookup<'a> = &'a dyn Fn(&str) -> Option<(String, Option<At>)>;

/// Apply compose interpolation as docker compose does: `$$` -> `$`; `${VAR}` and `$VAR`
/// -> the value; `${VAR:-d}` -> the value unless unset or empty, else `d`; `${VAR-d}` ->
/// the value unless unset, else `d`; `${VAR:?e}` -> the value; `${VAR:+a}` -> `a` when
/// set. Each piece keeps the position it came from (a default's own text, the `.env`
/// value); a variable nothing sets stays as written and is marked unresolved.
fn interpolate(value: &str, base: Option<At>, lookup: Lookup<'_>) -> Vec<Piece<At>> {
    let mut pieces = Vec::new();
    let at = |i: usize| base.map(|b| b + i);
    let bytes = value.as_bytes();
    let mut lit_start = 0;
    let mut i = 0;
    let flush = |pieces: &mut Vec<Piece<At>>, from: usize, to: usize| {
        if to > from {
            pieces.push(Piece {
                text: value[from..to].to_string(),
                at: at(from),
                unresolved: false,
            });
        }
    };
    let unresolved = |text: &str, from: usize| Piece {
        text: text.to_string(),
        at: at(from),
        unresolved: true,
    };
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        flush(&mut pieces, lit_start, i);
        let name_len = |from: usize| {
            value[from..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(value.len() - from)
        };
        if bytes.get(i + 1) == Some(&b'$') {
            pieces.push(Piece {
                text: "$".into(),
                at: None,
                unresolved: false,
            });
            i += 2;
        } else if bytes.get(i + 1) == Some(&b'{') {
            let end = value[i..].find('}').map(|e| i + e).unwrap_or(bytes.len());
            let whole = &value[i..(end + 1).min(bytes.len())];
            let name_start = i + 2;
            let name_end = (name_start + name_len(name_start)).min(end);
            let name = &value[name_start..name_end];
            let op = &value[name_end..end];
            let word_at = |skip: usize| (name_end + skip, &value[(name_end + skip).min(end)..end]);
            let set = lookup(name);
            let word = |(w_at, w): (usize, &str)| Piece {
                text: w.to_string(),
                at: at(w_at),
                unresolved: false,
            };
            let found = |(v, v_at): (String, Option<At>)| Piece {
                text: v,
                at: v_at,
                unresolved: false,
            };
            let piece = match (op.get(..2), op.get(..1), set) {
                (_, _, _) if name.is_empty() => unresolved(whole, i),
                (Some(":-"), _, Some(v)) if !v.0.is_empty() => found(v),
                (Some(":-"), _, _) => word(word_at(2)),
                (_, Some("-"), Some(v)) => found(v),
                (_, Some("-"), None) => word(word_at(1)),
                (Some(":+"), _, Some(v)) if !v.0.is_empty() => word(word_at(2)),
                (_, Some("+"), Some(_)) => word(word_at(1)),
                (Some(":+"), _, _) | (_, Some("+"), None) => word((end, "")),
                (_, _, Some(v)) if op.is_empty() || op.starts_with(['?', ':']) => found(v),
                _ => unresolved(whole, i),
            };
            pieces.push(piece);
            i = (end + 1).min(bytes.len());
        } else {
            // `$VAR`: a bare variable name
            let len = name_len(i + 1);
            let end = i + 1 + len;
            let name = &value[i + 1..end];
            match (len, lookup(name)) {
                (0, _) => pieces.push(Piece {
                    text: "$".into(),
                    at: at(i),
                    unresolved: false,
                }),
                (_, Some((v, v_at))) => pieces.push(Piece {
                    text: v,
                    at: v_at,
                    unresolved: false,
                }),
                (_, None) => pieces.push(unresolved(&value[i..end], i)),
            }
            i = end;
        }
        lit_start = i;
    }
    flush(&mut pieces, lit_start, bytes.len());
    pieces
}

/// Map a byte range of the joined pieces back to where it is written: `Some` when the
/// range lies in one verbatim piece; `Err(())` when it touches an unresolved variable.
pub(super) fn map_range<A: Copy + std::ops::Add<usize, Output = A>>(
    pieces: &[Piece<A>],
    from: usize,
    to: usize,
) -> Result<Option<(A, A)>, ()> {
    let mut pos = 0;
    let mut found = None;
    for p in pieces {
        let (p_from, p_to) = (pos, pos + p.text.len());
        pos = p_to;
        let overlaps = p_from < to && from < p_to || (from == to && from == p_from);
        if !overlaps {
            continue;
        }
        if p.unresolved {
            return Err(());
        }
        if from >= p_from && to <= p_to {
            found = p.at.map(|a| (a + (from - p_from), a + (to - p_from)));
        }
    }
    Ok(found)
}

/// The server component an `image:` value names, interpolated with `lookup`, and the
/// first variable left unresolved (then the tag, or the whole reference, is unknown).
pub(crate) fn image_from_template(
    template: &str,
    start: Option<At>,
    whole: Span,
    lookup: Lookup<'_>,
) -> Option<Component> {
    let pieces = interpolate(template, start, lookup);
    let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
    let lead = joined.len() - joined.trim_start().len();
    let reference = joined.trim();
    if reference.is_empty() {
        return None;
    }
    let first_unresolved = pieces.iter().find(|p| p.unresolved).map(|p| p.text.clone());
    let (name, tag) = split_image(reference);
    let name_end = name.len();
    let span_of = |(s, e): (At, At)| Span::new(s.file, s.offset, e.offset);
    let to_span = |from: usize, to: usize| match map_range(&pieces, lead + from, lead + to) {
        Ok(Some(r)) if r.0.file == r.1.file => Some(span_of(r)),
        _ => None,
    };
    let name_span = to_span(0, name_end).unwrap_or(whole);
    let (version, span) = match tag {
        Some((from, to)) if to > from => {
            match map_range(&pieces, lead + from, lead + to) {
                // the tag comes from a variable nothing sets: unknown
                Err(()) => (None, name_span),
                Ok(mapped) => (
                    Some(reference[from..to].to_string()),
                    mapped.map(span_of).unwrap_or(whole),
                ),
            }
        }
        _ => (None, name_span),
    };
    let mut c = Component::new(
        ComponentKind::Server,
        Ecosystem::Docker,
        &reference[..name_end],
        version,
        span,
    );
    c.unresolved = first_unresolved;
    c.digest = image_ref::digest(reference).map(str::to_string);
    Some(c)
}

fn image_component(
    file: &SourceFile,
    image: &Spanned<String>,
    out: &mut Extraction,
) -> Option<Component> {
    if image.value.trim().is_empty() {
        return None;
    }
    let start = verbatim_start(file, &image.defined, &image.value).map(|offset| At {
        file: file.id,
        offset,
    });
    let whole = node_span(file, &image.defined);
    let c = image_from_template(&image.value, start, whole, &|_| None)?;
    if has_variable(&image.value) {
        // a `.env` beside the file may set it: the scanner decides
        out.units.push(UnitFact::ComposeImage(ComposeImage {
            component: c.span,
            template: image.value.clone(),
            start: start.map(|a| a.offset),
            whole,
        }));
    }
    Some(c)
}

/// Does a value name a compose variable (`$$` is an escaped dollar, not a variable)?
fn has_variable(value: &str) -> bool {
    value.replace("$$", "").contains('$')
}

// ---- command and environment ----

fn command_settings(file: &SourceFile, cmd: Spanned<Command>, settings: &mut Vec<Setting>) {
    match cmd.value {
        Command::List(args) => {
            for a in args {
                let span = match verbatim_start(file, &a.defined, &a.value) {
                    Some(s) => file.span(s, s + a.value.len()),
                    None => node_span(file, &a.defined),
                };
                settings.push(arg_setting(a.value, span));
            }
        }
        Command::Line(line) => {
            let start = verbatim_start(file, &cmd.defined, &line);
            let whole = node_span(file, &cmd.defined);
            for (arg, from, to) in shell_split(&line) {
                let span = start.map(|s| file.span(s + from, s + to)).unwrap_or(whole);
                settings.push(arg_setting(arg, span));
            }
        }
    }
}

fn arg_setting(arg: String, span: Span) -> Setting {
    let value = arg
        .split_once('=')
        .map(|(_, v)| v.to_string())
        .unwrap_or_default();
    Setting {
        from_file: None,
        kind: SettingKind::Arg,
        name: arg,
        value,
        span,
    }
}

/// Split a command line into words like a POSIX shell does (quotes and backslashes; no
/// expansion), keeping each word's byte range in `line`.
fn shell_split(line: &str) -> Vec<(String, usize, usize)> {
    let mut words = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        let mut end = start;
        let mut quote: Option<char> = None;
        while let Some(&(i, c)) = chars.peek() {
            match quote {
                None if c.is_whitespace() => break,
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c == '\\' => {
                    chars.next();
                    end = i + 1;
                    if let Some(&(j, n)) = chars.peek() {
                        word.push(n);
                        end = j + n.len_utf8();
                        chars.next();
                    }
                    continue;
                }
                Some(q) if c == q => quote = None,
                Some('"') if c == '\\' => {
                    chars.next();
                    end = i + 1;
                    if let Some(&(j, n)) = chars.peek() {
                        if !matches!(n, '"' | '\\' | '$' | '`') {
                            word.push('\\');
                        }
                        word.push(n);
                        end = j + n.len_utf8();
                        chars.next();
                    }
                    continue;
                }
                _ => word.push(c),
            }
            end = i + c.len_utf8();
            chars.next();
        }
        words.push((word, start, end));
    }
    words
}

fn env_settings(file: &SourceFile, env: Environment, settings: &mut Vec<Setting>) {
    match env {
        Environment::Map(vars) => {
            for (k, v) in vars {
                let key_span = match verbatim_start(file, &k.defined, &k.value) {
                    Some(s) => file.span(s, s + k.value.len()),
                    None => node_span(file, &k.defined),
                };
                // blame `KEY: value` as a whole when the value is on the same line
                let span = v
                    .as_ref()
                    .and_then(|v| {
                        let s = verbatim_start(file, &v.defined, &v.value.0)?;
                        let end = s + v.value.0.len();
                        let between = file.text.get(key_span.end..s)?;
                        (!between.contains('\n')).then(|| file.span(key_span.start, end))
                    })
                    .unwrap_or(key_span);
                settings.push(Setting {
                    from_file: None,
                    kind: SettingKind::Env,
                    name: k.value,
                    value: v.map(|v| v.value.0).unwrap_or_default(),
                    span,
                });
            }
        }
        Environment::List(items) => {
            for item in items {
                let span = match verbatim_start(file, &item.defined, &item.value) {
                    Some(s) => file.span(s, s + item.value.len()),
                    None => node_span(file, &item.defined),
                };
                let (name, value) = match item.value.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (item.value.clone(), String::new()),
                };
                settings.push(Setting {
                    from_file: None,
                    kind: SettingKind::Env,
                    name,
                    value,
                    span,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn wants_compose_names_only() {
        for p in [
            "docker-compose.yml",
            "a/docker-compose.yaml",
            "compose.yml",
            "compose.yaml",
            "docker-compose.override.yml",
            "compose.prod.yaml",
            "docker-compose-dev.yml",
            "docker-compose_test.yaml",
            "docker-stack.yml",
            "docker-stack.prod.yml",
            "deploy/stack.yml",
        ] {
            assert!(Compose.wants(Path::new(p)), "{p}");
        }
        for p in [
            "compose.json",
            "mycompose.yml",
            "compose.",
            "docker-compose..yml2",
            "composer.yml",
            "docker-compose-.yml",
            "stack-redis.yml",
        ] {
            assert!(!Compose.wants(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn services_state_their_topology() {
        let text = "include:\n  - ../shared/compose.yaml\n  - path: [a/compose.yml, b/compose.yml]\nservices:\n  db:\n    image: mysql:8.0.36\n    extends:\n      file: ../base/compose.yaml\n      service: mysql\n  cache:\n    extends: db\n  api:\n    build: ./api\n    depends_on:\n      db:\n        condition: service_healthy\n    links: [\"cache:redis\"]\n    environment:\n      DATABASE_URL: mysql://u:p@db:3306/app\n      REDIS_HOST: cache:6379\n      LOG_LEVEL: debug\n  worker:\n    build:\n      dockerfile: worker.Dockerfile\n";
        let (file, out) = run(&Compose, "deploy/compose.yaml", text);
        let mut got = Vec::new();
        for u in &out.units {
            match u {
                UnitFact::ComposeInclude { path, span } => {
                    got.push(format!("include {path} «{}»", file.slice(*span)))
                }
                UnitFact::ComposeService(s) => got.push(format!(
                    "service {} «{}» context={:?} dockerfile={:?} depends={:?} hosts={:?}",
                    s.name,
                    file.slice(s.span),
                    s.context
                        .as_ref()
                        .map(|(c, span)| (c.as_str(), file.slice(*span))),
                    s.dockerfile,
                    s.depends_on
                        .iter()
                        .map(|(n, _)| n.as_str())
                        .collect::<Vec<_>>(),
                    s.hosts.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
                )),
                UnitFact::ComposeExtends(e) => got.push(format!(
                    "extends {} «{}» file={} «{}» service={} «{}» image={} build={} settings={}",
                    e.service,
                    file.slice(e.span),
                    e.file,
                    file.slice(e.file_span),
                    e.base,
                    file.slice(e.base_span),
                    e.wants_image,
                    e.wants_build,
                    e.settings.len()
                )),
                _ => {}
            }
        }
        insta::assert_snapshot!(got.join("\n"));
    }

    /// Bind mounts in both forms become one fact per service; named and anonymous
    /// volumes, other shapes and a `volumes:` that is no list are dropped without
    /// failing the file; an own mount wins over a same-file base's for one target.
    #[test]
    fn services_state_their_bind_mounts() {
        let text = "services:\n  base:\n    image: mysql:8.0.36\n    volumes: [\"./base.cnf:/etc/mysql/conf.d/x.cnf\", \"./keep:/etc/mysql/conf.d/\"]\n  db:\n    extends: base\n    volumes:\n      - ./my.cnf:/etc/mysql/conf.d/x.cnf:ro\n      - data:/var/lib/mysql\n      - /var/lib/mysql\n      - 'C:\\conf:/etc/my.cnf'\n      - ${CONF:-./conf}:/etc/mysql/my.cnf\n      - type: bind\n        source: ./long\n        target: /etc/mysql/conf.d\n      - type: volume\n        source: data\n        target: /data\n      - 42\n      - [a, b]\n  odd:\n    image: redis:7\n    volumes: {a: b}\n  none:\n    image: redis:7\n    volumes:\n";
        let (file, out) = run(&Compose, "compose.yaml", text);
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let got: Vec<String> = out
            .units
            .iter()
            .filter_map(|u| match u {
                UnitFact::ComposeMounts(m) => Some(m),
                _ => None,
            })
            .flat_map(|m| {
                m.mounts.iter().map(|x| {
                    format!(
                        "{} «{}» -> {}",
                        m.service,
                        file.slice(x.source_span),
                        x.target
                    )
                })
            })
            .collect();
        assert_eq!(
            got,
            [
                "base «./base.cnf» -> /etc/mysql/conf.d/x.cnf",
                "base «./keep» -> /etc/mysql/conf.d/",
                "db «./my.cnf» -> /etc/mysql/conf.d/x.cnf",
                "db «C:\\conf» -> /etc/my.cnf",
                "db «${CONF:-./conf}» -> /etc/mysql/my.cnf",
                "db «./long» -> /etc/mysql/conf.d",
            ]
        );
        assert_eq!(out.components.len(), 4);
    }

    #[test]
    fn env_hosts_read_connection_strings_and_host_variables() {
        assert_eq!(env_hosts("DATABASE_URL", "mysql://u:p@db:3306/app"), ["db"]);
        assert_eq!(
            env_hosts("MONGO_URL", "mongodb://m1:27017,m2:27017/app?replicaSet=rs"),
            ["m1", "m2"]
        );
        assert_eq!(env_hosts("REDIS_HOST", "cache"), ["cache"]);
        assert_eq!(env_hosts("KAFKA_ADDR", "kafka:9092"), ["kafka"]);
        assert!(env_hosts("LOG_LEVEL", "debug").is_empty());
        assert!(env_hosts("DB_HOST", "${DB_HOST}").is_empty());
    }

    #[test]
    fn interpolation_follows_compose() {
        let env = |n: &str| match n {
            "SET" => Some(("7.2".to_string(), None)),
            "EMPTY" => Some((String::new(), None)),
            _ => None,
        };
        let text = |v: &str| {
            interpolate(v, None, &env)
                .iter()
                .map(|p| {
                    if p.unresolved {
                        format!("<{}>", p.text)
                    } else {
                        p.text.clone()
                    }
                })
                .collect::<String>()
        };
        assert_eq!(text("redis:${SET}"), "redis:7.2");
        assert_eq!(text("redis:$SET"), "redis:7.2");
        assert_eq!(text("redis:${EMPTY:-6}"), "redis:6");
        assert_eq!(text("redis:${EMPTY-6}"), "redis:");
        assert_eq!(text("redis:${UNSET-6}"), "redis:6");
        assert_eq!(text("redis:${UNSET:?need it}"), "redis:<${UNSET:?need it}>");
        assert_eq!(text("redis:${SET:+alt}"), "redis:alt");
        assert_eq!(text("redis:${UNSET:+alt}"), "redis:");
        assert_eq!(text("$$HOME:${UNSET}"), "$HOME:<${UNSET}>");
    }

    #[test]
    fn shell_words_keep_ranges() {
        let w = shell_split(r#"mysqld --a=1 "--b=two words" 'c'"#);
        let got: Vec<_> = w.iter().map(|(s, a, b)| (s.as_str(), *a, *b)).collect();
        assert_eq!(
            got,
            vec![
                ("mysqld", 0, 6),
                ("--a=1", 7, 12),
                ("--b=two words", 13, 28),
                ("c", 29, 32)
            ]
        );
    }

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract", "compose/*", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let (file, out) = run(&Compose, "docker-compose.yml", &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }
}

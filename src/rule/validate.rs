//! Raw rule file -> validated products and rules, collecting every problem at once.

use super::raw::{
    RawApi, RawClient, RawFile, RawImageOptionFiles, RawImageVersions, RawMitigation, RawPackage,
    RawRelease, RawRule, RawSettingMatch, S,
};
use super::{
    ClientRef, ClientRequirement, EolDate, ImageOptionFiles, ImageVersions, Mitigation,
    PackageRuntime, Problem, Product, Release, RemovedApi, Rule, RuleFileError, RuleKind,
    RuleOrigin, RuleSet, SettingMatch,
};
use super::{RemovedSetting, RemovedValue};
use crate::component::Ecosystem;
use crate::diagnostic::{Code, Severity};
use crate::version::{Scheme, VersionSet, parse_declared, parse_requirement};

struct Ctx {
    problems: Vec<Problem>,
}

impl Ctx {
    fn err<T>(&mut self, at: &S<T>, message: impl Into<String>) {
        let r = at.span();
        self.problems.push(Problem {
            start: r.start,
            end: r.end,
            message: message.into(),
        });
    }
}

pub(super) fn parse_file(
    path: &str,
    text: &str,
    origin: &RuleOrigin,
    existing: &RuleSet,
) -> Result<(Vec<Product>, Vec<Rule>), RuleFileError> {
    let fail = |problems| RuleFileError {
        path: path.to_string(),
        text: text.to_string(),
        problems,
    };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        fail(vec![Problem {
            start: span.start,
            end: span.end,
            message: e.message().trim().to_string(),
        }])
    })?;
    let mut cx = Ctx {
        problems: Vec::new(),
    };
    let mut products = Vec::new();
    if let Some(p) = &raw.product {
        let p_ref = p.get_ref();
        check_id(&mut cx, &p_ref.id, "product id");
        // without a `name`, the table adds image, engine and runtime names to a product
        // defined elsewhere (`registry.example.test/platform/mysql` is MySQL too)
        match (&p_ref.name, existing.product(p_ref.id.get_ref())) {
            (Some(_), Some(_)) => cx.err(
                &p_ref.id,
                format!(
                    "product `{}` is already defined (leave out `name` to add names to it)",
                    p_ref.id.get_ref()
                ),
            ),
            (None, None) => cx.err(
                &p_ref.id,
                format!(
                    "unknown product `{}`: a new product needs a `name`",
                    p_ref.id.get_ref()
                ),
            ),
            (Some(name), None) => non_empty(&mut cx, name, "product name"),
            (None, Some(_)) => {}
        }
        if p_ref.docker.is_empty() && p_ref.managed.is_empty() && p_ref.runtime.is_empty() {
            cx.err(
                p,
                "a product needs at least one of `docker`, `managed`, `runtime` to be recognised",
            );
        }
        for n in p_ref
            .docker
            .iter()
            .chain(&p_ref.managed)
            .chain(&p_ref.runtime)
            .chain(&p_ref.not_tags)
        {
            non_empty(&mut cx, n, "name");
        }
        products.push(Product {
            id: p_ref.id.get_ref().clone(),
            // an extension's name is the extended product's (see `RuleSet::add_file`)
            name: p_ref
                .name
                .as_ref()
                .map(|n| n.get_ref().clone())
                .unwrap_or_default(),
            docker: p_ref.docker.iter().map(|s| s.get_ref().clone()).collect(),
            managed: p_ref.managed.iter().map(|s| s.get_ref().clone()).collect(),
            runtime: p_ref.runtime.iter().map(|s| s.get_ref().clone()).collect(),
            image_versions: p_ref
                .image_versions
                .iter()
                .map(|m| image_versions(&mut cx, m))
                .collect(),
            not_tags: p_ref.not_tags.iter().map(|s| s.get_ref().clone()).collect(),
            option_groups: p_ref
                .option_groups
                .iter()
                .filter_map(|g| option_group(&mut cx, g))
                .collect(),
            option_files: p_ref
                .option_files
                .iter()
                .filter_map(|f| option_file(&mut cx, f))
                .collect(),
            image_option_files: p_ref
                .image_option_files
                .iter()
                .map(|i| image_option_files(&mut cx, i))
                .collect(),
        });
    }
    let mut rules = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for r in &raw.rule {
        if let Some(rule) = rule(&mut cx, r, &products, existing, &seen, origin) {
            seen.push(rule.id.clone());
            rules.push(rule);
        }
    }
    for m in &raw.mitigation {
        let Some(id) = &m.get_ref().rule else {
            cx.err(
                m,
                "a top-level `[[mitigation]]` needs `rule` (the id of the rule it mitigates)",
            );
            continue;
        };
        let Some(parsed) = mitigation(&mut cx, m) else {
            continue;
        };
        match rules.iter_mut().find(|r: &&mut Rule| &r.id == id.get_ref()) {
            Some(r) => r.mitigations.push(parsed),
            None if existing.rule(id.get_ref()).is_some() => cx.err(
                id,
                format!(
                    "rule `{}` is defined in another file: add the mitigation there",
                    id.get_ref()
                ),
            ),
            None => cx.err(id, format!("unknown rule `{}`", id.get_ref())),
        }
    }
    if raw.product.is_none() && raw.rule.is_empty() && raw.mitigation.is_empty() {
        cx.problems.push(Problem {
            start: 0,
            end: 0,
            message: "a rule file needs a `[product]` or at least one `[[rule]]`".into(),
        });
    }
    if cx.problems.is_empty() {
        Ok((products, rules))
    } else {
        cx.problems.sort_by_key(|p| (p.start, p.end));
        Err(fail(cx.problems))
    }
}

fn rule(
    cx: &mut Ctx,
    spanned: &S<RawRule>,
    local: &[Product],
    existing: &RuleSet,
    seen: &[String],
    origin: &RuleOrigin,
) -> Option<Rule> {
    let before = cx.problems.len();
    let r = spanned.get_ref();
    let id = r.id.get_ref();
    check_id(cx, &r.id, "rule id");
    if seen.contains(id) || existing.rule(id).is_some() {
        cx.err(&r.id, format!("rule id `{id}` is already used"));
    }
    if Code::from_name(id).is_some() {
        cx.err(&r.id, format!("`{id}` is a built-in code of skew"));
    }
    let product = match &r.product {
        Some(p) => {
            if local
                .iter()
                .chain(&existing.products)
                .all(|x| &x.id != p.get_ref())
            {
                cx.err(p, format!("unknown product `{}`", p.get_ref()));
            }
            p.get_ref().clone()
        }
        None => match local.first() {
            Some(p) => p.id.clone(),
            None => {
                cx.err(
                    &r.id,
                    "the rule names no `product` and the file has no `[product]`",
                );
                String::new()
            }
        },
    };
    let severity = Severity::from_name(r.severity.get_ref());
    if severity.is_none() {
        cx.err(
            &r.severity,
            format!(
                "unknown severity `{}`: expected `error`, `warning` or `info`",
                r.severity.get_ref()
            ),
        );
    }
    non_empty(cx, &r.summary, "summary");
    non_empty(cx, &r.why, "why");
    if r.sources.get_ref().is_empty() {
        cx.err(
            &r.sources,
            "a rule needs at least one source URL backing its facts",
        );
    }
    for s in r.sources.get_ref() {
        url(cx, s);
    }
    let kind_name = r
        .kind
        .as_ref()
        .map(|k| k.get_ref().as_str())
        .unwrap_or("client-requires");
    let kind = match KINDS.iter().find(|k| k.name == kind_name) {
        Some(spec) => {
            unexpected_fields(cx, r, spec);
            (spec.validate)(cx, spanned)
        }
        None => {
            if let Some(k) = &r.kind {
                let names: Vec<_> = KINDS.iter().map(|k| k.name).collect();
                cx.err(
                    k,
                    format!(
                        "unknown rule kind `{kind_name}`: expected one of {}",
                        names.join(", ")
                    ),
                );
            }
            None
        }
    };
    let mitigations: Vec<_> = r
        .mitigations
        .iter()
        .filter_map(|m| {
            if let Some(id) = &m.get_ref().rule {
                cx.err(id, "`rule` is only for top-level `[[mitigation]]` tables");
            }
            mitigation(cx, m)
        })
        .collect();
    let conditions: Vec<_> = r
        .conditions
        .iter()
        .filter_map(|c| setting_match(cx, c))
        .collect();
    if cx.problems.len() != before {
        return None;
    }
    let origin = match origin {
        RuleOrigin::User { path, .. } => RuleOrigin::User {
            path: path.clone(),
            start: r.id.span().start,
            end: r.id.span().end,
        },
        o => o.clone(),
    };
    Some(Rule {
        id: id.clone(),
        product,
        kind: kind?,
        severity: severity?,
        summary: r.summary.get_ref().trim().to_string(),
        why: r.why.get_ref().trim().to_string(),
        fix: r.fix.as_ref().map(|f| f.get_ref().trim().to_string()),
        sources: r
            .sources
            .get_ref()
            .iter()
            .map(|s| s.get_ref().clone())
            .collect(),
        origin,
        mitigations,
        conditions,
    })
}

fn client_requires(cx: &mut Ctx, spanned: &S<RawRule>) -> Option<RuleKind> {
    let r = spanned.get_ref();
    let server = match &r.server {
        Some(s) => match parse_requirement(Scheme::Dotted, s.get_ref()) {
            Ok(set) => Some((set, s.get_ref().clone())),
            Err(e) => {
                cx.err(s, format!("invalid server range: {e}"));
                None
            }
        },
        None => {
            cx.err(
                &r.id,
                "a `client-requires` rule needs `server` (the affected server versions)",
            );
            None
        }
    };
    if r.clients.is_empty() {
        cx.err(
            &r.id,
            "a `client-requires` rule needs at least one `[[rule.clients]]`",
        );
    }
    let clients: Vec<_> = r.clients.iter().filter_map(|c| client(cx, c)).collect();
    let (server, server_text) = server?;
    (clients.len() == r.clients.len()).then_some(RuleKind::ClientRequires {
        server,
        server_text,
        clients,
    })
}

fn client(cx: &mut Ctx, spanned: &S<RawClient>) -> Option<ClientRequirement> {
    let c = spanned.get_ref();
    let eco = Ecosystem::from_name(c.ecosystem.get_ref());
    if eco.is_none() {
        let names: Vec<_> = Ecosystem::ALL.iter().map(|e| e.as_str()).collect();
        cx.err(
            &c.ecosystem,
            format!(
                "unknown ecosystem `{}`: expected one of {}",
                c.ecosystem.get_ref(),
                names.join(", ")
            ),
        );
    }
    non_empty(cx, &c.name, "client name");
    url(cx, &c.source);
    if let Some(m) = &c.major {
        cx.err(m, "`major` is only for `skew` rules");
    }
    let Some(requires_raw) = &c.requires else {
        cx.err(
            &c.name,
            "a `client-requires` client needs `requires` (the versions that work)",
        );
        return None;
    };
    let eco = eco?;
    let requires = match parse_requirement(Scheme::of(eco), requires_raw.get_ref()) {
        Ok(r) => r,
        Err(e) => {
            cx.err(requires_raw, format!("invalid `requires` for {eco}: {e}"));
            return None;
        }
    };
    Some(ClientRequirement {
        ecosystem: eco,
        name: c.name.get_ref().clone(),
        requires,
        requires_text: requires_raw.get_ref().clone(),
        fix: c.fix.as_ref().map(|f| f.get_ref().trim().to_string()),
        source: c.source.get_ref().clone(),
    })
}

fn check_id(cx: &mut Ctx, id: &S<String>, what: &str) {
    let s = id.get_ref();
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--");
    if !ok {
        cx.err(
            id,
            format!("{what} `{s}` must be kebab-case (lowercase letters, digits, single `-`)"),
        );
    }
}

/// An `[[product.image_versions]]` table: every line on both sides a dotted version.
fn image_versions(cx: &mut Ctx, m: &S<RawImageVersions>) -> ImageVersions {
    let raw = m.get_ref();
    non_empty(cx, &raw.image, "image");
    url(cx, &raw.source);
    let lines: Vec<(String, String)> = raw
        .lines
        .get_ref()
        .iter()
        .map(|(a, b)| (a.clone(), b.clone()))
        .collect();
    for (a, b) in &lines {
        for v in [a, b] {
            if crate::version::parse_version(Scheme::Dotted, v).is_err() {
                cx.err(&raw.lines, format!("`{v}` is not a version line (`7.6`)"));
            }
        }
    }
    if lines.is_empty() {
        cx.err(&raw.lines, "`lines` maps no version line");
    }
    ImageVersions {
        image: raw.image.get_ref().clone(),
        source: raw.source.get_ref().clone(),
        lines,
    }
}

/// An `[[product.image_option_files]]` entry: an image and the option files it reads.
fn image_option_files(cx: &mut Ctx, i: &S<RawImageOptionFiles>) -> ImageOptionFiles {
    let raw = i.get_ref();
    non_empty(cx, &raw.image, "image");
    if raw.files.is_empty() {
        cx.err(i, "`files` names no option file");
    }
    ImageOptionFiles {
        image: raw.image.get_ref().clone(),
        files: raw
            .files
            .iter()
            .filter_map(|f| option_file(cx, f))
            .collect(),
    }
}

fn non_empty(cx: &mut Ctx, s: &S<String>, what: &str) {
    if s.get_ref().trim().is_empty() {
        cx.err(s, format!("{what} must not be empty"));
    }
}

/// An `option_groups` entry: a group name as mysqld compares it (lowercase letters,
/// digits, `-`, `_`, `.`), where a final `-X.Y` stands for the server's release series.
fn option_group(cx: &mut Ctx, s: &S<String>) -> Option<String> {
    let g = s.get_ref();
    let name = g.strip_suffix("-X.Y").unwrap_or(g);
    let ok = !name.is_empty()
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        });
    if !ok {
        cx.err(
            s,
            format!("`{g}` is not an option group: lowercase letters, digits, `-`, `_` and `.`, optionally ending in `-X.Y` (the server's release series)"),
        );
        return None;
    }
    Some(g.to_ascii_lowercase())
}

/// An `option_files` entry: one of the container paths `scan::option_files` reads.
fn option_file(cx: &mut Ctx, s: &S<String>) -> Option<String> {
    let f = s.get_ref().trim_end_matches('/');
    let known = crate::scan::option_files::PLACES;
    if known.contains(&f) {
        return Some(f.to_string());
    }
    cx.err(
        s,
        format!(
            "`{}` is not an option file skew reads; known: {}",
            s.get_ref(),
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    None
}

fn url(cx: &mut Ctx, s: &S<String>) {
    let u = s.get_ref();
    if !(u.starts_with("https://") || u.starts_with("http://")) || u.contains(char::is_whitespace) {
        cx.err(s, format!("`{u}` is not an http(s) URL"));
    }
}

/// A rule kind as rule files name it: the registry of kinds. Validation finds a kind
/// here by its `kind = "…"` name, rejects the fields it does not read, and builds its
/// [`RuleKind`] with `validate`; `check/` evaluates that variant (one file per kind).
pub struct KindSpec {
    /// The name in rule files (`client-requires`), as [`RuleKind::name`] returns it.
    pub name: &'static str,
    /// The kind-specific fields it reads; any other kind's field is an error.
    pub fields: &'static [&'static str],
    validate: fn(&mut Ctx, &S<RawRule>) -> Option<RuleKind>,
}

/// Every rule kind. Adding one: a variant of [`RuleKind`], its validator below, its
/// line here, its evaluation in `check/` (see CONTRIBUTING.md).
pub static KINDS: &[KindSpec] = &[
    KindSpec {
        name: "client-requires",
        fields: &["server", "clients"],
        validate: client_requires,
    },
    KindSpec {
        name: "same-major",
        fields: &["clients"],
        validate: same_major,
    },
    KindSpec {
        name: "skew",
        fields: &["clients", "max_skew", "max_newer"],
        validate: skew,
    },
    KindSpec {
        name: "removed-api",
        fields: &["apis"],
        validate: removed_api,
    },
    KindSpec {
        name: "runtime-range",
        fields: &["packages", "declared_in"],
        validate: runtime_range,
    },
    KindSpec {
        name: "eol",
        fields: &["releases"],
        validate: eol,
    },
    KindSpec {
        name: "removed-setting",
        fields: &["settings"],
        validate: removed_setting,
    },
    KindSpec {
        name: "removed-value",
        fields: &["removed_values"],
        validate: removed_value,
    },
];

/// Report fields that the rule's kind does not read: a field that is silently ignored
/// would look like it does something. The fields are the ones [`KINDS`] names.
fn unexpected_fields(cx: &mut Ctx, r: &RawRule, spec: &KindSpec) {
    let (allowed, kind) = (spec.fields, spec.name);
    let mut seen: Vec<&str> = Vec::new();
    for name in KINDS.iter().flat_map(|k| k.fields.iter().copied()) {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        if let Some(span) = kind_field(r, name).flatten()
            && !allowed.contains(&name)
        {
            cx.problems.push(Problem {
                start: span.start,
                end: span.end,
                message: format!("`{name}` is not read by `{kind}` rules"),
            });
        }
    }
}

/// Where the rule file sets the kind-specific field `name` (`Some(None)`: not set);
/// `None` for a name that is no field of [`RawRule`]. Every field a [`KINDS`] line
/// names must be here (`every_kind_field_is_known` fails until it is).
fn kind_field(r: &RawRule, name: &str) -> Option<Option<std::ops::Range<usize>>> {
    Some(match name {
        "server" => r.server.as_ref().map(|s| s.span()),
        "clients" => r.clients.first().map(|s| s.span()),
        "max_skew" => r.max_skew.as_ref().map(|s| s.span()),
        "max_newer" => r.max_newer.as_ref().map(|s| s.span()),
        "apis" => r.apis.first().map(|s| s.span()),
        "packages" => r.packages.first().map(|s| s.span()),
        "declared_in" => r.declared_in.as_ref().map(|s| s.span()),
        "releases" => r.releases.first().map(|s| s.span()),
        "settings" => r.settings.first().map(|s| s.span()),
        "removed_values" => r.removed_values.first().map(|s| s.span()),
        _ => return None,
    })
}

fn ecosystem(cx: &mut Ctx, e: &S<String>) -> Option<Ecosystem> {
    let eco = Ecosystem::from_name(e.get_ref());
    if eco.is_none() {
        let names: Vec<_> = Ecosystem::ALL.iter().map(|e| e.as_str()).collect();
        cx.err(
            e,
            format!(
                "unknown ecosystem `{}`: expected one of {}",
                e.get_ref(),
                names.join(", ")
            ),
        );
    }
    eco
}

fn requirement(cx: &mut Ctx, scheme: Scheme, s: &S<String>, what: &str) -> Option<VersionSet> {
    match parse_requirement(scheme, s.get_ref()) {
        Ok(set) => Some(set),
        Err(e) => {
            cx.err(s, format!("invalid {what}: {e}"));
            None
        }
    }
}

fn client_refs(cx: &mut Ctx, spanned: &S<RawRule>, kind: &str) -> Option<Vec<ClientRef>> {
    let r = spanned.get_ref();
    if r.clients.is_empty() {
        cx.err(
            &r.id,
            format!("a `{kind}` rule needs at least one `[[rule.clients]]`"),
        );
        return None;
    }
    let mut out = Vec::new();
    for c in &r.clients {
        let c = c.get_ref();
        let eco = ecosystem(cx, &c.ecosystem);
        non_empty(cx, &c.name, "client name");
        url(cx, &c.source);
        if let Some(req) = &c.requires {
            cx.err(req, format!("`requires` is not read by `{kind}` rules"));
        }
        let as_major = match &c.major {
            Some(m) if kind != "skew" => {
                cx.err(m, "`major` is only for `skew` rules");
                None
            }
            Some(m) => match u64::try_from(*m.get_ref()) {
                Ok(v) => Some(v),
                Err(_) => {
                    cx.err(m, "`major` must not be negative");
                    None
                }
            },
            None => None,
        };
        if let Some(eco) = eco {
            out.push(ClientRef {
                ecosystem: eco,
                name: c.name.get_ref().clone(),
                as_major,
                fix: c.fix.as_ref().map(|f| f.get_ref().trim().to_string()),
                source: c.source.get_ref().clone(),
            });
        }
    }
    (out.len() == r.clients.len()).then_some(out)
}

fn same_major(cx: &mut Ctx, spanned: &S<RawRule>) -> Option<RuleKind> {
    let clients = client_refs(cx, spanned, "same-major")?;
    Some(RuleKind::SameMajor { clients })
}

fn skew(cx: &mut Ctx, spanned: &S<RawRule>) -> Option<RuleKind> {
    let r = spanned.get_ref();
    let max_skew = match &r.max_skew {
        Some(m) => match u64::try_from(*m.get_ref()) {
            Ok(v) => Some(v),
            Err(_) => {
                cx.err(m, "`max_skew` must not be negative");
                None
            }
        },
        None => {
            cx.err(
                &r.id,
                "a `skew` rule needs `max_skew` (how many minor versions apart still work)",
            );
            None
        }
    };
    let max_newer = match &r.max_newer {
        Some(m) => match u64::try_from(*m.get_ref()) {
            Ok(v) => Some(Some(v)),
            Err(_) => {
                cx.err(m, "`max_newer` must not be negative");
                None
            }
        },
        None => Some(None),
    };
    let clients = client_refs(cx, spanned, "skew");
    Some(RuleKind::Skew {
        max_skew: max_skew?,
        max_newer: max_newer?,
        clients: clients?,
    })
}

fn removed_api(cx: &mut Ctx, spanned: &S<RawRule>) -> Option<RuleKind> {
    let r = spanned.get_ref();
    if r.apis.is_empty() {
        cx.err(
            &r.id,
            "a `removed-api` rule needs at least one `[[rule.apis]]`",
        );
        return None;
    }
    let apis: Vec<_> = r.apis.iter().filter_map(|a| api(cx, a)).collect();
    (apis.len() == r.apis.len()).then_some(RuleKind::RemovedApi { apis })
}

fn api(cx: &mut Ctx, spanned: &S<RawApi>) -> Option<RemovedApi> {
    let a = spanned.get_ref();
    non_empty(cx, &a.api_version, "api_version");
    non_empty(cx, &a.kind, "kind");
    url(cx, &a.source);
    if let Some(rep) = &a.replacement {
        non_empty(cx, rep, "replacement");
    }
    let removed = requirement(
        cx,
        Scheme::Dotted,
        &a.removed,
        "`removed` (a server version)",
    )?;
    let Some(first) = removed.min_version().cloned() else {
        cx.err(&a.removed, "`removed` must be one version, e.g. `1.22`");
        return None;
    };
    if removed != VersionSet::exact(first.clone()) {
        cx.err(&a.removed, "`removed` must be one version, e.g. `1.22`");
        return None;
    }
    Some(RemovedApi {
        api_version: a.api_version.get_ref().trim().to_string(),
        kind: a.kind.get_ref().trim().to_string(),
        removed_text: a.removed.get_ref().trim().to_string(),
        removed: VersionSet::at_least(first),
        replacement: a
            .replacement
            .as_ref()
            .map(|r| r.get_ref().trim().to_string()),
        source: a.source.get_ref().clone(),
    })
}

fn removed_setting(cx: &mut Ctx, spanned: &S<RawRule>) -> Option<RuleKind> {
    let r = spanned.get_ref();
    if r.settings.is_empty() {
        cx.err(
            &r.id,
            "a `removed-setting` rule needs at least one `[[rule.settings]]`",
        );
        return None;
    }
    let settings: Vec<_> = r
        .settings
        .iter()
        .filter_map(|s| {
            let x = s.get_ref();
            url(cx, &x.source);
            if let Some(f) = &x.fix {
                non_empty(cx, f, "fix");
            }
            let setting = setting_match(cx, &x.setting);
            let removed = requirement(
                cx,
                Scheme::Dotted,
                &x.removed,
                "`removed` (a server version)",
            )?;
            let first = removed
                .min_version()
                .cloned()
                .filter(|f| removed == VersionSet::exact(f.clone()));
            let Some(first) = first else {
                cx.err(&x.removed, "`removed` must be one version, e.g. `8.4.0`");
                return None;
            };
            Some(RemovedSetting {
                setting: setting?,
                removed_text: x.removed.get_ref().trim().to_string(),
                removed: VersionSet::at_least(first),
                fix: x.fix.as_ref().map(|f| f.get_ref().trim().to_string()),
                source: x.source.get_ref().clone(),
            })
        })
        .collect();
    (settings.len() == r.settings.len()).then_some(RuleKind::RemovedSetting { settings })
}

fn removed_value(cx: &mut Ctx, spanned: &S<RawRule>) -> Option<RuleKind> {
    let r = spanned.get_ref();
    if r.removed_values.is_empty() {
        cx.err(
            &r.id,
            "a `removed-value` rule needs at least one `[[rule.removed_values]]`",
        );
        return None;
    }
    let entries: Vec<_> = r
        .removed_values
        .iter()
        .filter_map(|s| {
            let x = s.get_ref();
            url(cx, &x.source);
            if let Some(f) = &x.fix {
                non_empty(cx, f, "fix");
            }
            let setting = setting_match(cx, &x.setting);
            let named_only = match &setting {
                Some(SettingMatch::Env { value, ignore, .. })
                | Some(SettingMatch::Arg { value, ignore, .. }) => {
                    value.is_none() && ignore.is_empty()
                }
                Some(SettingMatch::UrlParam { .. }) => true,
                Some(SettingMatch::UrlUser { .. }) | None => false,
            };
            if setting.is_some() && !named_only {
                cx.err(
                    &x.setting,
                    "a `removed-value` setting is an `env` or `arg` name alone, or a `url_param`: the values it checks are in `values`",
                );
            }
            if x.values.get_ref().is_empty() {
                cx.err(&x.values, "`values` needs at least one value");
            }
            for v in x.values.get_ref() {
                let t = v.get_ref();
                if t.trim().is_empty() || t.contains(',') {
                    cx.err(v, "each of `values` is one value, without commas");
                }
            }
            let removed = requirement(
                cx,
                Scheme::Dotted,
                &x.removed,
                "`removed` (a server version)",
            )?;
            let first = removed
                .min_version()
                .cloned()
                .filter(|f| removed == VersionSet::exact(f.clone()));
            let Some(first) = first else {
                cx.err(&x.removed, "`removed` must be one version, e.g. `8.0.28`");
                return None;
            };
            named_only.then_some(())?;
            Some(RemovedValue {
                setting: setting?,
                values: x
                    .values
                    .get_ref()
                    .iter()
                    .map(|v| v.get_ref().trim().to_string())
                    .collect(),
                removed_text: x.removed.get_ref().trim().to_string(),
                removed: VersionSet::at_least(first),
                fix: x.fix.as_ref().map(|f| f.get_ref().trim().to_string()),
                source: x.source.get_ref().clone(),
            })
        })
        .collect();
    (entries.len() == r.removed_values.len()).then_some(RuleKind::RemovedValue { values: entries })
}

fn runtime_range(cx: &mut Ctx, spanned: &S<RawRule>) -> Option<RuleKind> {
    let r = spanned.get_ref();
    if r.packages.is_empty() && r.declared_in.is_none() {
        cx.err(
            &r.id,
            "a `runtime-range` rule needs `[[rule.packages]]` or `declared_in`",
        );
        return None;
    }
    let packages: Vec<_> = r.packages.iter().filter_map(|p| package(cx, p)).collect();
    let mut declared_in = Vec::new();
    if let Some(list) = &r.declared_in {
        if list.get_ref().is_empty() {
            cx.err(list, "`declared_in` must name at least one ecosystem");
        }
        for e in list.get_ref() {
            if let Some(eco) = ecosystem(cx, e) {
                declared_in.push(eco);
            }
        }
    }
    (packages.len() == r.packages.len()).then_some(RuleKind::RuntimeRange {
        packages,
        declared_in,
    })
}

fn package(cx: &mut Ctx, spanned: &S<RawPackage>) -> Option<PackageRuntime> {
    let p = spanned.get_ref();
    let eco = ecosystem(cx, &p.ecosystem);
    non_empty(cx, &p.name, "package name");
    url(cx, &p.source);
    let runtime = requirement(cx, Scheme::Dotted, &p.runtime, "`runtime` range");
    let eco = eco?;
    let versions = requirement(
        cx,
        Scheme::of(eco),
        &p.versions,
        &format!("`versions` for {eco}"),
    )?;
    Some(PackageRuntime {
        ecosystem: eco,
        name: p.name.get_ref().clone(),
        versions,
        versions_text: p.versions.get_ref().clone(),
        runtime: runtime?,
        runtime_text: p.runtime.get_ref().clone(),
        fix: p.fix.as_ref().map(|f| f.get_ref().trim().to_string()),
        source: p.source.get_ref().clone(),
    })
}

fn eol(cx: &mut Ctx, spanned: &S<RawRule>) -> Option<RuleKind> {
    let r = spanned.get_ref();
    if r.releases.is_empty() {
        cx.err(
            &r.id,
            "an `eol` rule needs at least one `[[rule.releases]]`",
        );
        return None;
    }
    let releases: Vec<_> = r.releases.iter().filter_map(|x| release(cx, x)).collect();
    (releases.len() == r.releases.len()).then_some(RuleKind::Eol { releases })
}

fn release(cx: &mut Ctx, spanned: &S<RawRelease>) -> Option<Release> {
    let x = spanned.get_ref();
    url(cx, &x.source);
    let eol = match x.eol.get_ref().parse::<EolDate>() {
        Ok(d) => Some(d),
        Err(e) => {
            cx.err(&x.eol, e);
            None
        }
    };
    let versions = match parse_declared(Scheme::Dotted, x.line.get_ref()) {
        Ok(v) => Some(v),
        Err(e) => {
            cx.err(
                &x.line,
                format!("invalid `line` (a version prefix like `14` or `3.7`): {e}"),
            );
            None
        }
    };
    Some(Release {
        line: x.line.get_ref().trim().to_string(),
        versions: versions?,
        eol: eol?,
        source: x.source.get_ref().clone(),
    })
}

fn mitigation(cx: &mut Ctx, spanned: &S<RawMitigation>) -> Option<Mitigation> {
    let m = spanned.get_ref();
    non_empty(cx, &m.note, "note");
    url(cx, &m.source);
    if m.settings.get_ref().is_empty() {
        cx.err(&m.settings, "a mitigation needs at least one setting");
    }
    let settings: Vec<_> = m
        .settings
        .get_ref()
        .iter()
        .filter_map(|s| setting_match(cx, s))
        .collect();
    let works = match &m.until {
        Some(u) => {
            let set = requirement(cx, Scheme::Dotted, u, "`until` (a server version)")?;
            match set.min_version() {
                Some(v) if set == VersionSet::exact(v.clone()) => VersionSet::below(v.clone()),
                _ => {
                    cx.err(u, "`until` must be one version, e.g. `8.4.0`");
                    return None;
                }
            }
        }
        None => VersionSet::all(),
    };
    (settings.len() == m.settings.get_ref().len()).then(|| Mitigation {
        settings,
        until_text: m.until.as_ref().map(|u| u.get_ref().trim().to_string()),
        works,
        note: m.note.get_ref().trim().to_string(),
        source: m.source.get_ref().clone(),
    })
}

fn setting_match(cx: &mut Ctx, spanned: &S<RawSettingMatch>) -> Option<SettingMatch> {
    let s = spanned.get_ref();
    let ignore: Vec<String> = s.ignore.iter().map(|i| i.get_ref().clone()).collect();
    let value = s.value.as_ref().map(|v| v.get_ref().clone());
    if s.arg.is_none()
        && let Some(n) = &s.next_word
    {
        cx.err(n, "`next_word` applies only to `arg`");
    }
    if s.url_user.is_none() {
        for (key, q) in [("query", &s.query), ("no_query", &s.no_query)] {
            if let Some(q) = q {
                cx.err(q, format!("`{key}` applies only to `url_user`"));
            }
        }
    }
    if s.url_param.is_none() {
        if let Some(x) = &s.schemes {
            cx.err(x, "`schemes` applies only to `url_param`");
        }
        if let Some(x) = s.unless.first() {
            cx.err(x, "`unless` applies only to `url_param`");
        }
    }
    let query = |q: &Option<S<String>>, cx: &mut Ctx, key: &str| {
        q.as_ref().map(|q| {
            non_empty(cx, q, key);
            q.get_ref().clone()
        })
    };
    match (&s.env, &s.arg, &s.url_user, &s.url_param) {
        (None, None, None, Some(param)) => {
            non_empty(cx, param, "url_param");
            if let Some(v) = &s.value {
                cx.err(v, "`value` does not apply to `url_param`");
            }
            if let Some(i) = s.ignore.first() {
                cx.err(i, "`ignore` does not apply to `url_param`");
            }
            let schemes: Vec<String> = match &s.schemes {
                Some(x) if !x.get_ref().is_empty() => x
                    .get_ref()
                    .iter()
                    .map(|x| x.get_ref().trim().to_ascii_lowercase())
                    .collect(),
                Some(x) => {
                    cx.err(x, "`schemes` needs at least one URL scheme");
                    Vec::new()
                }
                None => {
                    cx.err(param, "`url_param` needs `schemes` (`[\"jdbc:mysql\"]`)");
                    Vec::new()
                }
            };
            let mut unless = Vec::new();
            for u in &s.unless {
                match u.get_ref().split_once('=') {
                    Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
                        unless.push((k.trim().to_string(), v.trim().to_string()))
                    }
                    _ => cx.err(u, "each of `unless` is `param=value`"),
                }
            }
            Some(SettingMatch::UrlParam {
                schemes,
                param: param.get_ref().trim().to_string(),
                unless,
            })
        }
        (Some(env), None, None, None) => {
            non_empty(cx, env, "env");
            Some(SettingMatch::Env {
                name: env.get_ref().clone(),
                value,
                ignore,
            })
        }
        (None, Some(arg), None, None) => {
            non_empty(cx, arg, "arg");
            Some(SettingMatch::Arg {
                name: arg.get_ref().clone(),
                value,
                ignore,
                next_word: s.next_word.as_ref().is_some_and(|n| *n.get_ref()),
            })
        }
        (None, None, Some(schemes), None) => {
            if let Some(v) = &s.value {
                cx.err(v, "`value` does not apply to `url_user`");
            }
            if schemes.get_ref().is_empty() {
                cx.err(schemes, "`url_user` needs at least one URL scheme");
            }
            Some(SettingMatch::UrlUser {
                schemes: schemes
                    .get_ref()
                    .iter()
                    .map(|x| x.get_ref().to_ascii_lowercase())
                    .collect(),
                ignore,
                query: query(&s.query, cx, "query"),
                no_query: query(&s.no_query, cx, "no_query"),
            })
        }
        _ => {
            cx.err(
                spanned,
                "a setting names exactly one of `env`, `arg`, `url_user` or `url_param`",
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{RuleKind, RuleSet};
    use super::KINDS;

    /// Every problem of a file, each with the TOML text it points at.
    fn problems(text: &str) -> String {
        let mut set = RuleSet::default();
        match set.add_user_file("rules.toml", text) {
            Ok(()) => "ok".into(),
            Err(e) => e
                .problems
                .iter()
                .map(|p| format!("`{}`: {}", &text[p.start..p.end], p.message))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    const HEAD: &str = r#"
[product]
id = "k"
name = "K"
managed = ["kubernetes"]
"#;

    #[test]
    fn option_groups_are_group_names() {
        let file = |groups: &str| {
            problems(&format!(
                "[product]\nid = \"db\"\nname = \"DB\"\ndocker = [\"db\"]\noption_groups = {groups}\n"
            ))
        };
        assert_eq!(
            file(r#"["mysqld", "server", "mysqld-X.Y", "client-server"]"#),
            "ok"
        );
        let files = |files: &str| {
            problems(&format!(
                "[product]\nid = \"db\"\nname = \"DB\"\ndocker = [\"db\"]\noption_files = {files}\n"
            ))
        };
        assert_eq!(files(r#"["/etc/my.cnf", "/etc/mysql/conf.d/"]"#), "ok");
        let unknown = files(r#"["/etc/my.cnf.d"]"#);
        assert!(
            unknown.starts_with("`\"/etc/my.cnf.d\"`: `/etc/my.cnf.d` is not an option file skew reads; known: `/etc/my.cnf`,"),
            "{unknown}"
        );
        let image = |entry: &str| {
            problems(&format!(
                "[product]\nid = \"db\"\nname = \"DB\"\ndocker = [\"db\", \"vendor/db\"]\n[[product.image_option_files]]\n{entry}\n"
            ))
        };
        assert_eq!(
            image("image = \"vendor/db\"\nfiles = [\"/opt/bitnami/mysql/conf/my.cnf\"]"),
            "ok"
        );
        let bad = image("image = \"\"\nfiles = [\"/etc/my.cnf.d\"]");
        assert!(bad.starts_with("`\"\"`: image must not be empty\n`\"/etc/my.cnf.d\"`: `/etc/my.cnf.d` is not an option file skew reads"), "{bad}");
        let none = image("image = \"vendor/db\"\nfiles = []");
        assert!(none.contains("`files` names no option file"), "{none}");
        assert_eq!(
            file(r#"["mysqld", "[mariadb]", "", "Server", "-X.Y"]"#),
            [
                "`\"[mariadb]\"`: `[mariadb]` is not an option group: lowercase letters, digits, `-`, `_` and `.`, optionally ending in `-X.Y` (the server's release series)",
                "`\"\"`: `` is not an option group: lowercase letters, digits, `-`, `_` and `.`, optionally ending in `-X.Y` (the server's release series)",
                "`\"Server\"`: `Server` is not an option group: lowercase letters, digits, `-`, `_` and `.`, optionally ending in `-X.Y` (the server's release series)",
                "`\"-X.Y\"`: `-X.Y` is not an option group: lowercase letters, digits, `-`, `_` and `.`, optionally ending in `-X.Y` (the server's release series)",
            ]
            .join("\n")
        );
    }

    /// A kind's field that `kind_field` does not know would be accepted on every other
    /// kind without a word.
    #[test]
    fn every_kind_field_is_known() {
        let raw: super::RawRule = toml::from_str(
            "id = \"x\"\nseverity = \"info\"\nsummary = \"s\"\nwhy = \"w\"\nsources = []\n",
        )
        .expect("a minimal raw rule");
        for k in KINDS {
            for f in k.fields {
                assert!(
                    super::kind_field(&raw, f).is_some(),
                    "`{f}` of `{}` is not in kind_field",
                    k.name
                );
            }
        }
    }

    /// `removed-value` reads a setting by name and its own `values`: a `value` on the
    /// setting, a value with a comma, no values, or the kind's field on another kind
    /// are errors at the offending text.
    #[test]
    fn removed_value_fields() {
        let rule = |entry: &str| {
            format!(
                "{HEAD}[[rule]]\nid = \"k-tls\"\nkind = \"removed-value\"\nseverity = \"error\"\nsummary = \"s\"\nwhy = \"w\"\nsources = [\"https://example.test/a\"]\n\n[[rule.removed_values]]\n{entry}removed = \"8.0.28\"\nsource = \"https://example.test/a\"\n"
            )
        };
        assert_eq!(
            problems(&rule(
                "setting = { arg = \"--tls-version\" }\nvalues = [\"TLSv1\", \"TLSv1.1\"]\n"
            )),
            "ok"
        );
        insta::assert_snapshot!(
            [
                problems(&rule(
                    "setting = { arg = \"--tls-version\", value = \"TLSv1\" }\nvalues = [\"TLSv1\"]\n"
                )),
                problems(&rule("setting = { env = \"TLS\" }\nvalues = [\"TLSv1,TLSv1.1\"]\n")),
                problems(&rule("setting = { env = \"TLS\" }\nvalues = []\n")),
                problems(&format!(
                    "{HEAD}[[rule]]\nid = \"k-x\"\nseverity = \"error\"\nsummary = \"s\"\nwhy = \"w\"\nsources = [\"https://example.test/a\"]\nserver = \">=1\"\n\n[[rule.clients]]\necosystem = \"npm\"\nname = \"x\"\nrequires = \">=1\"\nsource = \"https://example.test/a\"\n\n[[rule.removed_values]]\nsetting = {{ arg = \"--a\" }}\nvalues = [\"b\"]\nremoved = \"1\"\nsource = \"https://example.test/a\"\n"
                )),
            ]
            .join("\n---\n")
        );
    }

    /// `url_param` needs its schemes, takes `unless` as `param=value`, and no `value`
    /// or `ignore`; `schemes` and `unless` belong to it alone.
    #[test]
    fn url_param_fields() {
        let rule = |entry: &str| {
            format!(
                "{HEAD}[[rule]]\nid = \"k-tls\"\nkind = \"removed-value\"\nseverity = \"error\"\nsummary = \"s\"\nwhy = \"w\"\nsources = [\"https://example.test/a\"]\n\n[[rule.removed_values]]\n{entry}values = [\"TLSv1\"]\nremoved = \"8.0.28\"\nsource = \"https://example.test/a\"\n"
            )
        };
        assert_eq!(
            problems(&rule(
                "setting = { url_param = \"tlsVersions\", schemes = [\"jdbc:mysql\"], unless = [\"sslMode=DISABLED\"] }\n"
            )),
            "ok"
        );
        insta::assert_snapshot!(
            [
                problems(&rule("setting = { url_param = \"tlsVersions\" }\n")),
                problems(&rule(
                    "setting = { url_param = \"tlsVersions\", schemes = [], unless = [\"sslMode\"] }\n"
                )),
                problems(&rule(
                    "setting = { url_param = \"tlsVersions\", schemes = [\"jdbc:mysql\"], value = \"TLSv1\" }\n"
                )),
                problems(&rule(
                    "setting = { arg = \"--tls-version\", schemes = [\"jdbc:mysql\"], unless = [\"a=b\"] }\n"
                )),
                problems(&rule(
                    "setting = { url_param = \"tlsVersions\", arg = \"--tls-version\", schemes = [\"jdbc:mysql\"] }\n"
                )),
            ]
            .join("\n---\n")
        );
    }

    #[test]
    fn next_word_applies_to_arguments_only() {
        let rule = |entry: &str| {
            format!(
                "{HEAD}[[rule]]\nid = \"k-tls\"\nkind = \"removed-value\"\nseverity = \"error\"\nsummary = \"s\"\nwhy = \"w\"\nsources = [\"https://example.test/a\"]\n\n[[rule.removed_values]]\n{entry}values = [\"TLSv1\"]\nremoved = \"8.0.28\"\nsource = \"https://example.test/a\"\n"
            )
        };
        assert_eq!(
            problems(&rule(
                "setting = { arg = \"--tls-version\", next_word = true }\n"
            )),
            "ok"
        );
        let env = problems(&rule("setting = { env = \"TLS\", next_word = true }\n"));
        assert!(env.contains("`next_word` applies only to `arg`"), "{env}");
    }

    #[test]
    fn new_kinds_report_spanned_problems() {
        let text = format!(
            "{HEAD}{}",
            r#"
[[rule]]
id = "skewed"
kind = "skew"
severity = "warning"
summary = "s"
why = "w"
sources = ["https://example.test"]
apis = [{ api_version = "v1", kind = "Pod", removed = "1.0", source = "https://example.test" }]

[[rule.clients]]
ecosystem = "go"
name = "k8s.io/client-go"
requires = ">=1"
major = -1
source = "https://example.test"

[[rule]]
id = "old"
kind = "eol"
severity = "warning"
summary = "s"
why = "w"
sources = ["https://example.test"]
releases = [{ line = "lts", eol = "October 2024", source = "https://example.test" }]

[[rule]]
id = "gone"
kind = "removed-api"
severity = "error"
summary = "s"
why = "w"
sources = ["https://example.test"]
apis = [{ api_version = "extensions/v1beta1", kind = "Ingress", removed = ">=1.22", source = "https://example.test" }]
conditions = [{ env = "A", arg = "--b" }]

[[mitigation]]
rule = "nope"
settings = [{ url_user = ["redis"], value = "x" }]
until = "9.0"
note = "n"
source = "https://example.test"
"#
        );
        insta::assert_snapshot!(problems(&text));
    }

    #[test]
    fn mitigations_attach_to_rules_of_the_file() {
        let text = format!(
            "{HEAD}{}",
            r#"
[[rule]]
id = "eol-k"
kind = "eol"
severity = "warning"
summary = "s"
why = "w"
sources = ["https://example.test"]
releases = [{ line = "1.22", eol = "2022-10-28", source = "https://example.test" }]

[[mitigation]]
rule = "eol-k"
settings = [{ env = "X", value = "1" }]
note = "n"
source = "https://example.test"
"#
        );
        let mut set = RuleSet::default();
        set.add_user_file("rules.toml", &text).unwrap();
        let rule = set.rule("eol-k").unwrap();
        assert_eq!(rule.mitigations.len(), 1);
        assert!(matches!(&rule.kind, RuleKind::Eol { releases } if releases.len() == 1));
    }

    #[test]
    fn kind_registry_names_are_unique_and_cover_the_shipped_rules() {
        let mut names: Vec<_> = KINDS.iter().map(|k| k.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KINDS.len(), "duplicate kind name");
        let rules = RuleSet::builtin().unwrap();
        for r in &rules.rules {
            assert!(
                names.contains(&r.kind.name()),
                "{}: {}",
                r.id,
                r.kind.name()
            );
        }
    }
}

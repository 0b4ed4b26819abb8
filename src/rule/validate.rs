//! Raw rule file -> validated products and rules, collecting every problem at once.

use super::raw::{RawClient, RawFile, RawRule, S};
use super::{
    ClientRequirement, Problem, Product, Rule, RuleFileError, RuleKind, RuleOrigin, RuleSet,
};
use crate::component::Ecosystem;
use crate::diagnostic::{BUILTIN_CODES, Severity};
use crate::version::{Scheme, parse_requirement};

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
        if existing.product(p_ref.id.get_ref()).is_some() {
            cx.err(
                &p_ref.id,
                format!("product `{}` is already defined", p_ref.id.get_ref()),
            );
        }
        non_empty(&mut cx, &p_ref.name, "product name");
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
        {
            non_empty(&mut cx, n, "name");
        }
        products.push(Product {
            id: p_ref.id.get_ref().clone(),
            name: p_ref.name.get_ref().clone(),
            docker: p_ref.docker.iter().map(|s| s.get_ref().clone()).collect(),
            managed: p_ref.managed.iter().map(|s| s.get_ref().clone()).collect(),
            runtime: p_ref.runtime.iter().map(|s| s.get_ref().clone()).collect(),
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
    if raw.product.is_none() && raw.rule.is_empty() {
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
    if BUILTIN_CODES.iter().any(|(c, _)| c == id) {
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
    let kind = match kind_name {
        "client-requires" => client_requires(cx, spanned),
        other => {
            if let Some(k) = &r.kind {
                cx.err(
                    k,
                    format!(
                        "unknown rule kind `{other}`: expected one of {}",
                        RuleKind::NAMES.join(", ")
                    ),
                );
            }
            None
        }
    };
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
    let eco = eco?;
    let requires = match parse_requirement(Scheme::of(eco), c.requires.get_ref()) {
        Ok(r) => r,
        Err(e) => {
            cx.err(&c.requires, format!("invalid `requires` for {eco}: {e}"));
            return None;
        }
    };
    Some(ClientRequirement {
        ecosystem: eco,
        name: c.name.get_ref().clone(),
        requires,
        requires_text: c.requires.get_ref().clone(),
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

fn non_empty(cx: &mut Ctx, s: &S<String>, what: &str) {
    if s.get_ref().trim().is_empty() {
        cx.err(s, format!("{what} must not be empty"));
    }
}

fn url(cx: &mut Ctx, s: &S<String>) {
    let u = s.get_ref();
    if !(u.starts_with("https://") || u.starts_with("http://")) || u.contains(char::is_whitespace) {
        cx.err(s, format!("`{u}` is not an http(s) URL"));
    }
}

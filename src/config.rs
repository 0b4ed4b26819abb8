//! `skew.toml`: the repository's own settings — extra rule files, environments (promotion
//! order, which paths deploy where, managed servers the repository does not describe).
//!
//! Parsed from toml's fully spanned tree (`DeTable`) rather than typed serde, because
//! `[environments]` mixes a key (`order`) with one table per environment name, a shape
//! serde's `flatten` cannot keep spans through. Validation collects every problem into one
//! [`ConfigError`] rendered by miette with labels into the file. Must not: scan or check.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use miette::{Diagnostic, LabeledSpan, SourceSpan};
use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

/// The file name looked for at the scan root.
pub const FILE_NAME: &str = "skew.toml";

/// A validated `skew.toml`.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was read from, as shown in diagnostics (relative to the scan root when found
    /// there), and its text (declared servers point into it).
    pub path: String,
    pub text: String,
    /// Extra rule files or folders, resolved against the config file's folder.
    pub rules: Vec<PathBuf>,
    /// Environments in promotion order (`order`), then any not listed, by name.
    pub environments: Vec<Environment>,
    /// `max-file-size`: scanned files bigger than this (bytes) are skipped with a finding.
    pub max_file_size: Option<u64>,
    /// `[[ignore]]`: findings hidden on purpose, each with its reason.
    pub ignores: Vec<Ignore>,
    /// `select`: only findings of these rule ids or prefixes (`mysql-`) are reported;
    /// `None` when absent (every rule).
    pub select: Option<Vec<Selector>>,
    /// `ignore-rules`: findings of these rule ids or prefixes are not reported.
    pub ignore_rules: Vec<Selector>,
    /// `[severity]`: a rule id or prefix, and the severity its findings take.
    pub severity: Vec<(Selector, crate::diagnostic::Severity)>,
    /// `exclude`: globs (relative to the root) of files neither scanned nor reported.
    pub exclude: Vec<String>,
}

/// A rule id or a prefix ending in `-`, with the byte range of its text in the config
/// (empty for command-line selectors, which have no place in a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub text: String,
    pub span: (usize, usize),
}

impl Selector {
    pub fn new(text: impl Into<String>) -> Selector {
        Selector {
            text: text.into(),
            span: (0, 0),
        }
    }

    /// Does this selector name `rule_id`: the id itself, or a prefix of it ending in `-`?
    pub fn matches(&self, rule_id: &str) -> bool {
        rule_id == self.text || (self.text.ends_with('-') && rule_id.starts_with(&self.text))
    }
}

/// One `[[ignore]]` table.
#[derive(Debug, Clone)]
pub struct Ignore {
    pub rule: Selector,
    /// `path`: a glob relative to the root; `None` matches every file.
    pub path: Option<globset::GlobMatcher>,
    /// `package`: the client package the finding is about.
    pub package: Option<String>,
    pub reason: String,
    /// `until`: the last day the ignore holds, with the byte range of its value.
    pub until: Option<(crate::rule::Date, (usize, usize))>,
}

#[derive(Debug, Clone)]
pub struct Environment {
    pub name: String,
    /// Byte range of the environment's table header or key, for parity findings.
    pub span: (usize, usize),
    /// Position in the promotion order; `None` when `order` does not list it.
    pub rank: Option<usize>,
    pub paths: GlobSet,
    pub path_texts: Vec<String>,
    /// Managed servers declared for this environment: (product id, version, value span).
    pub servers: Vec<DeclaredServer>,
}

#[derive(Debug, Clone)]
pub struct DeclaredServer {
    pub product: String,
    pub version: String,
    /// Byte range of the version string in the config text.
    pub span: (usize, usize),
    /// Byte range of the product key, for "unknown product" errors found later.
    pub key_span: (usize, usize),
}

impl Config {
    /// Read `skew.toml` from `root` if present (`Ok(None)` when absent), or the file given
    /// with `--config`. A `skew.toml` found in the repository is the repository's word: it
    /// and every rule path it names must resolve inside the root; a `--config` file is the
    /// user's choice and is not confined. Either way only a regular file of bounded size
    /// is read.
    pub fn load(root: &Path, explicit: Option<&Path>) -> Result<Option<Config>, ConfigError> {
        let refuse = |shown: &str, e: &dyn std::fmt::Display| ConfigError {
            path: shown.to_string(),
            text: String::new(),
            problems: vec![(0, 0, format!("cannot read `{shown}`: {e}"))],
        };
        let (path, shown, within) = match explicit {
            Some(p) => (p.to_path_buf(), p.display().to_string(), None),
            None => {
                let dir = if root.is_dir() {
                    root.to_path_buf()
                } else {
                    root.parent().map(Path::to_path_buf).unwrap_or_default()
                };
                let p = dir.join(FILE_NAME);
                // anything by that name counts (a FIFO or a dangling link is reported,
                // not taken for "no config")
                if p.symlink_metadata().is_err() {
                    return Ok(None);
                }
                let dir = dir.canonicalize().map_err(|e| refuse(FILE_NAME, &e))?;
                crate::read::confine(&dir, &p).map_err(|e| refuse(FILE_NAME, &e))?;
                (p, FILE_NAME.to_string(), Some(dir))
            }
        };
        let bytes = crate::read::read_regular(&path, crate::limits::MAX_CONFIG_FILE_SIZE)
            .map_err(|e| refuse(&shown, &e))?;
        let decoded = crate::read::decode(bytes);
        if let Some((at, message)) = decoded.problem {
            return Err(ConfigError {
                path: shown,
                text: decoded.text,
                problems: vec![(at, at, message)],
            });
        }
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Config::parse_in(&shown, &decoded.text, &base, within.as_deref()).map(Some)
    }

    /// Parse and validate a config text. Relative rule paths resolve against `base`.
    /// Nothing is read: rule paths are not checked (see [`Config::parse_confined`]).
    pub fn parse(path: &str, text: &str, base: &Path) -> Result<Config, ConfigError> {
        Config::parse_in(path, text, base, None)
    }

    /// Parse a `skew.toml` that belongs to the repository at `root` (an editor's buffer):
    /// like [`Config::load`] on a file found there, every rule path must resolve inside
    /// the root.
    pub fn parse_confined(path: &str, text: &str, root: &Path) -> Result<Config, ConfigError> {
        let canonical = root.canonicalize().map_err(|e| ConfigError {
            path: path.to_string(),
            text: String::new(),
            problems: vec![(0, 0, format!("cannot resolve `{}`: {e}", root.display()))],
        })?;
        Config::parse_in(path, text, root, Some(&canonical))
    }

    /// `within`: the canonical root rule paths must stay inside, when confined.
    fn parse_in(
        path: &str,
        text: &str,
        base: &Path,
        within: Option<&Path>,
    ) -> Result<Config, ConfigError> {
        let mut cx = Cx {
            problems: Vec::new(),
        };
        let fail = |problems| ConfigError {
            path: path.to_string(),
            text: text.to_string(),
            problems,
        };
        let root = DeTable::parse(text).map_err(|e| {
            let r = e.span().unwrap_or(0..0);
            fail(vec![(r.start, r.end, e.message().trim().to_string())])
        })?;
        let mut config = Config {
            path: path.to_string(),
            text: text.to_string(),
            ..Config::default()
        };
        for (key, value) in root.get_ref().iter() {
            match key.get_ref().as_ref() {
                "rules" => {
                    for s in cx.strings(value, "`rules` must be a list of paths") {
                        let p = base.join(s.get_ref());
                        match within.map(|root| confined_rule_path(root, &p)) {
                            Some(Err(m)) => cx.at(&s, format!("`{}` {m}", s.get_ref())),
                            _ => config.rules.push(p),
                        }
                    }
                }
                "environments" => config.environments = environments(&mut cx, value),
                "max-file-size" => config.max_file_size = size(&mut cx, value),
                "ignore" => config.ignores = ignores(&mut cx, value),
                "select" => config.select = Some(selectors(&mut cx, value, "select")),
                "ignore-rules" => config.ignore_rules = selectors(&mut cx, value, "ignore-rules"),
                "severity" => config.severity = severities(&mut cx, value),
                "exclude" => {
                    for p in cx.strings(value, "`exclude` must be a list of glob patterns") {
                        if glob(&mut cx, &p).is_some() {
                            config.exclude.push(p.get_ref().clone());
                        }
                    }
                }
                other => cx.at(
                    key,
                    format!(
                        "unknown key `{other}`: expected `rules`, `environments`, `max-file-size`, `ignore`, `select`, `ignore-rules`, `severity` or `exclude`"
                    ),
                ),
            }
        }
        if cx.problems.is_empty() {
            Ok(config)
        } else {
            cx.problems.sort();
            Err(fail(cx.problems))
        }
    }

    /// The environments a file (path relative to the scan root) belongs to; empty when it
    /// belongs to none in particular (then it is deployed everywhere).
    pub fn environments_of(&self, path: &str) -> Vec<usize> {
        self.environments
            .iter()
            .enumerate()
            .filter(|(_, e)| e.paths.is_match(path))
            .map(|(i, _)| i)
            .collect()
    }

    pub fn environment(&self, name: &str) -> Option<usize> {
        self.environments.iter().position(|e| e.name == name)
    }
}

struct Cx {
    problems: Vec<(usize, usize, String)>,
}

impl Cx {
    fn at<T>(&mut self, at: &Spanned<T>, message: impl Into<String>) {
        let r = at.span();
        self.problems.push((r.start, r.end, message.into()));
    }

    /// A list of strings, or one problem per wrong element.
    fn strings<'a>(
        &mut self,
        value: &'a Spanned<DeValue<'a>>,
        message: &str,
    ) -> Vec<Spanned<String>> {
        let Some(items) = value.get_ref().as_array() else {
            self.at(value, message);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref().as_str() {
                Some(s) => out.push(Spanned::new(item.span(), s.to_string())),
                None => self.at(item, message),
            }
        }
        out
    }
}

/// A rule path from the repository's own `skew.toml`: it, and for a folder every `*.toml`
/// in it, must resolve inside `root` and be a regular file (the rule loader prints parts
/// of a file it cannot parse, so an outside file would leak). The error completes a
/// sentence that starts with the path.
fn confined_rule_path(root: &Path, path: &Path) -> Result<(), String> {
    use crate::read::{ReadError, confine};
    let explain = |e: ReadError| {
        match e {
        ReadError::Outside => {
            "resolves outside the repository: rule paths in the repository's `skew.toml` must stay inside it".to_string()
        }
        ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => "does not exist".into(),
        e => format!("cannot be used: {e}"),
    }
    };
    let canonical = confine(root, path).map_err(explain)?;
    let meta = std::fs::metadata(&canonical).map_err(|e| explain(ReadError::Io(e)))?;
    if meta.is_dir() {
        let entries = std::fs::read_dir(&canonical).map_err(|e| explain(ReadError::Io(e)))?;
        let mut names: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        names.sort();
        for p in names {
            let name = p
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let inside = confine(root, &p).and_then(|c| {
                let t = std::fs::metadata(&c).map_err(ReadError::Io)?;
                if t.is_file() {
                    Ok(())
                } else {
                    Err(ReadError::NotRegular("not a regular file"))
                }
            });
            inside.map_err(|e| match e {
                ReadError::NotRegular(_) => format!("holds `{name}`, which is not a regular file"),
                e => format!("holds `{name}`, which {}", explain(e)),
            })?;
        }
    } else if !meta.is_file() {
        return Err("is not a regular file or a folder".into());
    }
    Ok(())
}

/// `max-file-size`: bytes as an integer, or a string with a unit (`"256 MiB"`).
fn size(cx: &mut Cx, value: &Spanned<DeValue<'_>>) -> Option<u64> {
    const MESSAGE: &str =
        "`max-file-size` must be a positive number of bytes or a size such as \"256 MiB\"";
    let parsed = match value.get_ref() {
        DeValue::Integer(i) => i.to_string().parse::<u64>().ok(),
        DeValue::String(s) => parse_size(s),
        _ => None,
    };
    match parsed {
        Some(n) if n > 0 => Some(n),
        _ => {
            cx.at(value, MESSAGE);
            None
        }
    }
}

fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n: u64 = s[..digits].parse().ok()?;
    let unit: u64 = match s[digits..].trim() {
        "" | "B" => 1,
        "KiB" | "KB" | "K" => 1 << 10,
        "MiB" | "MB" | "M" => 1 << 20,
        "GiB" | "GB" | "G" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(unit)
}

fn environments(cx: &mut Cx, value: &Spanned<DeValue<'_>>) -> Vec<Environment> {
    let Some(table) = value.get_ref().as_table() else {
        cx.at(value, "`environments` must be a table");
        return Vec::new();
    };
    let mut order: Vec<Spanned<String>> = Vec::new();
    let mut envs = Vec::new();
    for (key, value) in table.iter() {
        let name = key.get_ref().as_ref();
        if name == "order" {
            order = cx.strings(value, "`order` must be a list of environment names");
            continue;
        }
        if let Some(env) = environment(cx, key, value) {
            envs.push(env);
        }
    }
    for (rank, o) in order.iter().enumerate() {
        match envs.iter_mut().find(|e| &e.name == o.get_ref()) {
            Some(e) if e.rank.is_none() => e.rank = Some(rank),
            Some(_) => cx.at(o, format!("`{}` appears twice in `order`", o.get_ref())),
            None => cx.at(
                o,
                format!(
                    "`order` names `{}`, but there is no `[environments.{}]`",
                    o.get_ref(),
                    o.get_ref()
                ),
            ),
        }
    }
    envs.sort_by(|a, b| {
        (a.rank.is_none(), a.rank, &a.name).cmp(&(b.rank.is_none(), b.rank, &b.name))
    });
    envs
}

fn environment(
    cx: &mut Cx,
    key: &Spanned<std::borrow::Cow<'_, str>>,
    value: &Spanned<DeValue<'_>>,
) -> Option<Environment> {
    let name = key.get_ref().to_string();
    let Some(table) = value.get_ref().as_table() else {
        cx.at(
            value,
            format!("`environments.{name}` must be a table with `paths` and/or `servers`"),
        );
        return None;
    };
    let mut globs = GlobSetBuilder::new();
    let mut path_texts = Vec::new();
    let mut servers = Vec::new();
    for (k, v) in table.iter() {
        match k.get_ref().as_ref() {
            "paths" => {
                for p in cx.strings(v, "`paths` must be a list of glob patterns") {
                    // patterns match paths relative to the root: one that starts at `/`
                    // or climbs out with `..` can never match, which would hide a typo
                    if p.get_ref().starts_with('/') || p.get_ref().split('/').any(|c| c == "..") {
                        cx.at(
                            &p,
                            "paths are relative to the repository root: no leading `/`, no `..`",
                        );
                        continue;
                    }
                    match Glob::new(p.get_ref()) {
                        Ok(g) => {
                            globs.add(g);
                            path_texts.push(p.get_ref().clone());
                        }
                        Err(e) => cx.at(&p, format!("invalid glob: {}", e.kind())),
                    }
                }
            }
            "servers" => {
                let Some(t) = v.get_ref().as_table() else {
                    cx.at(v, "`servers` must be a table of `product = \"version\"`");
                    continue;
                };
                for (pk, pv) in t.iter() {
                    let bad = |ver: &str| {
                        crate::version::parse_version(crate::version::Scheme::Dotted, ver).err()
                    };
                    match pv.get_ref().as_str() {
                        Some(ver) if !ver.trim().is_empty() && bad(ver).is_some() => cx.at(
                            pv,
                            format!(
                                "`{ver}` is not a server version: {}",
                                bad(ver).map(|e| e.to_string()).unwrap_or_default()
                            ),
                        ),
                        Some(ver) if !ver.trim().is_empty() => servers.push(DeclaredServer {
                            product: pk.get_ref().to_string(),
                            version: ver.to_string(),
                            span: (pv.span().start + 1, pv.span().end.saturating_sub(1)),
                            key_span: (pk.span().start, pk.span().end),
                        }),
                        _ => cx.at(pv, "a server version must be a non-empty string"),
                    }
                }
            }
            other => cx.at(
                k,
                format!("unknown key `{other}` in an environment: expected `paths` or `servers`"),
            ),
        }
    }
    let paths = globs.build().unwrap_or_else(|_| GlobSet::empty());
    Some(Environment {
        name,
        span: (key.span().start, key.span().end),
        rank: None,
        paths,
        path_texts,
        servers,
    })
}

/// A glob relative to the root, or a problem at its text.
fn glob(cx: &mut Cx, p: &Spanned<String>) -> Option<Glob> {
    // patterns match paths relative to the root: one that starts at `/` or climbs out
    // with `..` can never match, which would hide a typo
    if p.get_ref().starts_with('/') || p.get_ref().split('/').any(|c| c == "..") {
        cx.at(
            p,
            "paths are relative to the repository root: no leading `/`, no `..`",
        );
        return None;
    }
    match Glob::new(p.get_ref()) {
        Ok(g) => Some(g),
        Err(e) => {
            cx.at(p, format!("invalid glob: {}", e.kind()));
            None
        }
    }
}

/// `select` / `ignore-rules`: a list of rule ids or prefixes ending in `-`.
fn selectors(cx: &mut Cx, value: &Spanned<DeValue<'_>>, key: &str) -> Vec<Selector> {
    let message = format!("`{key}` must be a list of rule ids or prefixes such as `mysql-`");
    cx.strings(value, &message)
        .into_iter()
        .map(|s| Selector {
            span: (s.span().start, s.span().end),
            text: s.into_inner(),
        })
        .collect()
}

/// `[severity]`: `"rule-id-or-prefix" = "info" | "warning" | "error"`.
fn severities(
    cx: &mut Cx,
    value: &Spanned<DeValue<'_>>,
) -> Vec<(Selector, crate::diagnostic::Severity)> {
    let Some(table) = value.get_ref().as_table() else {
        cx.at(
            value,
            "`severity` must be a table of `\"rule-id\" = \"info\" | \"warning\" | \"error\"`",
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in table.iter() {
        let severity = v
            .get_ref()
            .as_str()
            .and_then(crate::diagnostic::Severity::from_name);
        match severity {
            Some(s) => out.push((
                Selector {
                    text: k.get_ref().to_string(),
                    span: (k.span().start, k.span().end),
                },
                s,
            )),
            None => cx.at(v, "a severity is `\"info\"`, `\"warning\"` or `\"error\"`"),
        }
    }
    out
}

/// `[[ignore]]` tables: `rule` and `reason` required, `path`, `package`, `until` optional.
fn ignores(cx: &mut Cx, value: &Spanned<DeValue<'_>>) -> Vec<Ignore> {
    const SHAPE: &str =
        "`ignore` must be an array of tables: `[[ignore]]` with `rule` and `reason`";
    let Some(items) = value.get_ref().as_array() else {
        cx.at(value, SHAPE);
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Some(table) = item.get_ref().as_table() else {
            cx.at(item, SHAPE);
            continue;
        };
        let mut rule = None;
        let mut path = None;
        let mut package = None;
        let mut reason = None;
        let mut until = None;
        let mut ok = true;
        for (k, v) in table.iter() {
            let key = k.get_ref().as_ref();
            let text = v.get_ref().as_str().map(str::to_string);
            let string = |cx: &mut Cx| {
                if text.is_none() {
                    cx.at(v, format!("`{key}` must be a string"));
                }
                text.clone()
            };
            match key {
                "rule" => {
                    rule = string(cx).map(|t| Selector {
                        text: t,
                        span: (v.span().start, v.span().end),
                    })
                }
                "path" => {
                    if let Some(t) = string(cx) {
                        match glob(cx, &Spanned::new(v.span(), t)) {
                            Some(g) => path = Some(g.compile_matcher()),
                            None => ok = false,
                        }
                    }
                }
                "package" => package = string(cx),
                "reason" => reason = string(cx).filter(|r| !r.trim().is_empty()),
                "until" => {
                    let raw = match v.get_ref() {
                        DeValue::Datetime(d) => Some(d.to_string()),
                        DeValue::String(s) => Some(s.to_string()),
                        _ => None,
                    };
                    match raw.and_then(|r| r.parse::<crate::rule::Date>().ok()) {
                        Some(d) => until = Some((d, (v.span().start, v.span().end))),
                        None => {
                            ok = false;
                            cx.at(v, "`until` must be a date: `until = 2027-03-31`");
                        }
                    }
                }
                other => {
                    ok = false;
                    cx.at(
                        k,
                        format!(
                            "unknown key `{other}` in `[[ignore]]`: expected `rule`, `path`, `package`, `reason` or `until`"
                        ),
                    )
                }
            }
        }
        if rule.is_none() {
            cx.at(
                item,
                "this `[[ignore]]` names no `rule`: add `rule = \"rule-id\"`",
            );
        }
        if reason.is_none() {
            cx.at(
                item,
                "this `[[ignore]]` has no `reason`: say why the finding is accepted (`reason = \"…\"`)",
            );
        }
        if let (Some(rule), Some(reason), true) = (rule, reason, ok) {
            out.push(Ignore {
                rule,
                path,
                package,
                reason,
                until,
            });
        }
    }
    out
}

/// Every problem of a config file, rendered by miette with labels into the TOML.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub path: String,
    pub text: String,
    pub problems: Vec<(usize, usize, String)>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.problems.as_slice() {
            [(_, _, m)] if self.text.is_empty() => f.write_str(m),
            p => write!(
                f,
                "invalid config `{}`: {} problem{}",
                self.path,
                p.len(),
                if p.len() == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

impl Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("invalid-config"))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        (!self.text.is_empty()).then_some(self as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.text.is_empty() {
            return None;
        }
        Some(Box::new(self.problems.iter().map(|(s, e, m)| {
            LabeledSpan::new_with_span(Some(m.clone()), SourceSpan::from(*s..(*e).max(*s)))
        })))
    }
}

impl miette::SourceCode for ConfigError {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        crate::rule::named_span(&self.path, &self.text, span, before, after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
rules = ["ci/rules"]

[environments]
order = ["dev", "staging", "production"]

[environments.staging]
paths = ["deploy/staging/**", "docker-compose.staging.yml"]

[environments.production]
paths = ["deploy/prod/**", "terraform/prod/**"]
servers = { mysql = "8.0.36", redis = "7.2" }

[environments.dev]
paths = ["docker-compose.yml"]
"#;

    #[test]
    fn parses_environments_in_promotion_order() {
        let c = Config::parse("skew.toml", GOOD, Path::new("/repo")).unwrap();
        assert_eq!(c.rules, vec![PathBuf::from("/repo/ci/rules")]);
        let names: Vec<_> = c.environments.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["dev", "staging", "production"]);
        assert_eq!(c.environments_of("deploy/prod/app/compose.yml"), vec![2]);
        assert_eq!(c.environments_of("docker-compose.staging.yml"), vec![1]);
        assert!(c.environments_of("services/api/package.json").is_empty());
        let prod = &c.environments[2];
        assert_eq!(prod.servers.len(), 2);
        let s = &prod.servers[0];
        assert_eq!(
            (s.product.as_str(), s.version.as_str()),
            ("mysql", "8.0.36")
        );
        assert_eq!(&GOOD[s.span.0..s.span.1], "8.0.36");
    }

    #[test]
    fn every_problem_is_reported() {
        let bad = r#"
rule = ["typo"]
[environments]
order = ["staging", "prod"]
[environments.staging]
paths = ["[unclosed"]
servers = { mysql = 8 }
colour = "blue"
"#;
        let e = Config::parse("skew.toml", bad, Path::new("")).unwrap_err();
        let msgs: Vec<_> = e.problems.iter().map(|p| p.2.as_str()).collect();
        assert_eq!(msgs.len(), 5, "{msgs:#?}");
        assert!(msgs[0].starts_with("unknown key `rule`"));
        assert!(msgs.iter().any(|m| m.contains("no `[environments.prod]`")));
        assert!(msgs.iter().any(|m| m.starts_with("invalid glob")));
        assert!(msgs.iter().any(|m| m.contains("non-empty string")));
        assert!(msgs.iter().any(|m| m.contains("unknown key `colour`")));
    }

    #[test]
    fn syntax_errors_point_at_the_parser_position() {
        let e = Config::parse("skew.toml", "[environments\n", Path::new("")).unwrap_err();
        assert_eq!(e.problems.len(), 1);
    }
}

//! Mitigations and conditions: rule behaviour that depends on how servers are configured
//! (`Component.settings`: container args and environment from compose/Kubernetes, and
//! the options of MySQL option files a compose service mounts).
//!
//! A *condition* gates a whole rule on something configured anywhere in the repository
//! (Redis ACL users only matter when someone configures one). A *mitigation* is a server
//! setting that makes a finding harmless up to some server version; the finding stays,
//! as `info`, so the user knows what to undo before upgrading. Must not: decide verdicts.

use super::Instance;
use std::borrow::Cow;

use crate::component::{Component, Setting, SettingKind};
use crate::diagnostic::{Finding, Label, Severity};
use crate::rule::{GroupRead, Rule, SettingMatch};
use crate::source::Span;
use crate::version::{Scheme, Verdict, VersionSet, parse_requirement, verdict};

/// The settings a server instance runs with, as its product reads them: the command
/// line and environment, and the options of the option-file groups its product reads
/// (`Product::option_groups`). A group of one release series (`[mysqld-8.4]`) counts
/// only when every version the instance may run is in that series, and is left out
/// when none is; when some are (`mysql:8` may run 8.0 or 8.4) or the versions are
/// unknown, skew does not guess: its options neither fire nor mitigate (`sure` leaves
/// them out), and [`ServerSettings::unsure_finds`] says where one would have mattered,
/// so the finding's message or a note can say so.
pub(super) struct ServerSettings<'s> {
    /// The settings in effect for certain, in order.
    pub sure: Cow<'s, [Setting]>,
    /// For each release series whose groups skew cannot place: the settings in effect
    /// if the server runs that series (`sure` with those groups' options, in order).
    scenarios: Vec<Scenario>,
}

/// What a server would read on one release series it may run.
struct Scenario {
    series: Series,
    settings: Vec<Setting>,
    /// The options of that series' groups among `settings`, by index.
    unsure: Vec<usize>,
}

/// A release series, `major.minor`, and every version in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Series {
    pub text: String,
    pub versions: VersionSet,
}

impl Series {
    fn new(major: u64, minor: u64) -> Series {
        let versions = parse_requirement(
            Scheme::Dotted,
            &format!(">={major}.{minor}.0, <{major}.{}.0", minor + 1),
        )
        .unwrap_or_else(|_| VersionSet::empty());
        Series {
            text: format!("{major}.{minor}"),
            versions,
        }
    }
}

/// An option of a release series' group skew cannot place, that a pattern would find
/// if the server ran that series.
pub(super) struct Unsure<'s> {
    pub setting: Cow<'s, Setting>,
    pub series: &'s Series,
    /// Everything in effect on that series.
    settings: &'s [Setting],
}

impl Unsure<'_> {
    /// Does `m` find something on that series too?
    pub fn also_finds(&self, m: &SettingMatch) -> bool {
        find(m, self.settings).is_some()
    }
}

impl<'s> ServerSettings<'s> {
    pub fn of(inst: &Instance<'s>) -> ServerSettings<'s> {
        let all = &inst.component.settings;
        if !all.iter().any(|s| s.kind == SettingKind::OptionFile) {
            return ServerSettings {
                sure: Cow::Borrowed(all),
                scenarios: Vec::new(),
            };
        }
        let placed: Vec<Placement> = all.iter().map(|s| placement(inst, s)).collect();
        let sure = all
            .iter()
            .zip(&placed)
            .filter(|(_, p)| matches!(p, Placement::In))
            .map(|(s, _)| s.clone())
            .collect();
        let mut scenarios: Vec<Scenario> = Vec::new();
        for p in &placed {
            if let Placement::Unsure(series) = p
                && !scenarios.iter().any(|sc| sc.series == *series)
            {
                let mut settings = Vec::new();
                let mut unsure = Vec::new();
                for (s, q) in all.iter().zip(&placed) {
                    match q {
                        Placement::In => settings.push(s.clone()),
                        Placement::Unsure(other) if other == series => {
                            unsure.push(settings.len());
                            settings.push(s.clone());
                        }
                        _ => {}
                    }
                }
                scenarios.push(Scenario {
                    series: series.clone(),
                    settings,
                    unsure,
                });
            }
        }
        ServerSettings {
            sure: Cow::Owned(sure),
            scenarios,
        }
    }

    /// What `m` finds in effect for certain.
    pub fn find(&self, m: &SettingMatch) -> Option<Cow<'_, Setting>> {
        find(m, &self.sure)
    }

    /// For each release series skew cannot place: the option of that series' groups
    /// `m` would find if the server ran it (and nothing where it would find a setting
    /// in effect anyway).
    pub fn unsure_finds<'a>(&'a self, m: &'a SettingMatch) -> impl Iterator<Item = Unsure<'a>> {
        self.scenarios.iter().filter_map(move |sc| {
            let found = find(m, &sc.settings)?;
            sc.unsure
                .iter()
                .any(|&i| sc.settings[i].span == found.span && sc.settings[i].name == found.name)
                .then_some(Unsure {
                    setting: found,
                    series: &sc.series,
                    settings: &sc.settings,
                })
        })
    }

    /// For each release series skew cannot place where what [`Self::find`] finds would
    /// be overridden, so that `m` finds nothing: the overriding option of that series'
    /// groups.
    pub fn unsure_overrides<'a>(&'a self, m: &'a SettingMatch) -> impl Iterator<Item = Unsure<'a>> {
        let name = self.find(m).map(|s| option_name(&s.name));
        self.scenarios.iter().filter_map(move |sc| {
            let name = name.as_ref()?;
            if find(m, &sc.settings).is_some() {
                return None;
            }
            sc.unsure
                .iter()
                .map(|&i| &sc.settings[i])
                .find(|s| option_name(&s.name) == *name)
                .map(|s| Unsure {
                    setting: Cow::Borrowed(s),
                    series: &sc.series,
                    settings: &sc.settings,
                })
        })
    }
}

enum Placement {
    In,
    Out,
    Unsure(Series),
}

/// Does the instance read setting `s`? Anything but an option-file option, yes; an
/// option of a group its product does not read, no; of a group of one release series,
/// when every version it may run is in the series.
fn placement(inst: &Instance<'_>, s: &Setting) -> Placement {
    if s.kind != SettingKind::OptionFile {
        return Placement::In;
    }
    // an option file's option always has its source; one made by hand reads as
    // `[mysqld]` of a file every server reads
    if let Some(from) = &s.from_file
        && !inst.product.reads_option_file(inst.component, from.place)
    {
        return Placement::Out;
    }
    let group = s.from_file.as_ref().map_or("mysqld", |f| f.group.as_str());
    match inst.product.reads_option_group(group) {
        None => Placement::Out,
        Some(GroupRead::Always) => Placement::In,
        Some(GroupRead::Series(major, minor)) => {
            let series = Series::new(major, minor);
            match inst.versions.as_ref().map(|v| verdict(v, &series.versions)) {
                Ok(Verdict::Always) => Placement::In,
                Ok(Verdict::Never) => Placement::Out,
                _ => Placement::Unsure(series),
            }
        }
    }
}

/// Does a mitigation work on some version of the series the server may run?
fn works_within(server: &Instance<'_>, u: &Unsure<'_>, works: &VersionSet) -> bool {
    server.versions.as_ref().is_ok_and(|v| {
        let within = v.intersect(&u.series.versions);
        !within.is_empty() && verdict(&within, works) != Verdict::Never
    })
}

/// Why an option of a release series' group is not counted: `` `x` in `[mysqld-8.4]`
/// is not taken into account: only MySQL 8.4 reads that group, and MySQL 8 may run
/// another series ``.
pub(super) fn unsure_note(inst: &Instance<'_>, u: &Unsure<'_>) -> String {
    format!(
        "`{}` in `[{}]` is not taken into account: only {} {} reads that group, and {} may run another series",
        display(&u.setting),
        u.setting
            .from_file
            .as_ref()
            .map_or("mysqld", |f| f.group.as_str()),
        inst.product.name,
        u.series.text,
        inst.describe()
    )
}

/// Does the rule apply to this repository? True when it has no conditions, or when one
/// of them is set on any component. An option-file option counts only when the rule's
/// product reads its group whatever release runs (`[mysqld]` for MySQL).
pub(super) fn conditions_hold(cx: &super::Context<'_>, rule: &Rule) -> bool {
    let product = cx.rules.product(&rule.product);
    let read = |c: &Component, s: &Setting| {
        s.kind != SettingKind::OptionFile
            || product.is_some_and(|p| {
                s.from_file.as_ref().is_none_or(|f| {
                    p.reads_option_file(c, f.place)
                        && p.reads_option_group(&f.group) == Some(GroupRead::Always)
                })
            })
    };
    rule.conditions.is_empty()
        || cx.components.iter().any(|c| {
            c.settings
                .iter()
                .any(|s| read(c, s) && rule.conditions.iter().any(|m| matches(m, s)))
        })
}

/// The first setting of `settings` that satisfies `m`. An option of a mounted option
/// file that a later option file or the command line sets again is not in effect
/// (mysqld reads option files first and "the last instance takes precedence"), so it
/// satisfies nothing.
///
/// An argument the pattern says may have its value in the next argument (`next_word`:
/// `--tls-version TLSv1`, as mysqld's option parser reads an option that requires a
/// value) is matched with that value, unless the next argument is an option itself
/// (`-…`): mysqld would take even that as the value, but skew does not guess which was
/// meant, and the option keeps no value.
pub(super) fn find<'s>(m: &SettingMatch, settings: &'s [Setting]) -> Option<Cow<'s, Setting>> {
    settings.iter().enumerate().find_map(|(i, s)| {
        let s = with_next_word(m, settings, i).map_or(Cow::Borrowed(s), Cow::Owned);
        (matches(m, &s) && !overridden(settings, i)).then_some(s)
    })
}

/// The argument at `i` joined with the next one as its value (name `--tls-version`,
/// value `TLSv1`, the span over both words), when `m` names it with `next_word` and it
/// is written without `=`.
fn with_next_word(m: &SettingMatch, settings: &[Setting], i: usize) -> Option<Setting> {
    let SettingMatch::Arg {
        name,
        next_word: true,
        ..
    } = m
    else {
        return None;
    };
    let s = &settings[i];
    let next = settings.get(i + 1)?;
    let joins = s.kind == SettingKind::Arg
        && !s.name.contains('=')
        && option_name(&s.name) == option_name(name)
        && next.kind == SettingKind::Arg
        && !next.name.starts_with('-');
    joins.then(|| Setting {
        from_file: None,
        kind: SettingKind::Arg,
        name: s.name.clone(),
        value: next.name.clone(),
        span: if next.span.file == s.span.file && next.span.end >= s.span.start {
            Span {
                end: next.span.end,
                ..s.span
            }
        } else {
            s.span
        },
    })
}

/// Is the option-file setting at `i` set again later (in a later option file or on the
/// command line)?
fn overridden(settings: &[Setting], i: usize) -> bool {
    let s = &settings[i];
    s.kind == SettingKind::OptionFile && {
        let name = option_name(&s.name);
        settings[i + 1..].iter().any(|later| {
            matches!(later.kind, SettingKind::Arg | SettingKind::OptionFile)
                && option_name(&later.name) == name
        })
    }
}

pub(super) fn apply_mitigations(rule: &Rule, server: &Instance<'_>, finding: &mut Finding) {
    if server.versions.is_err() {
        return;
    }
    let settings = ServerSettings::of(server);
    for m in &rule.mitigations {
        let found: Option<Vec<Cow<'_, Setting>>> =
            m.settings.iter().map(|want| settings.find(want)).collect();
        let Some(found) = found else { continue };
        let shown = found
            .iter()
            .map(|s| format!("`{}`", display(s)))
            .collect::<Vec<_>>()
            .join(" and ");
        let stops = m
            .until_text
            .as_ref()
            .map(|u| format!("; it stops working in {} {u}", server.product.name))
            .unwrap_or_default();
        // a release line is its newest release here too
        match server.verdict(&m.works).unwrap_or(Verdict::Never) {
            Verdict::Always => {
                finding.severity = Severity::Info;
                finding.message = format!(
                    "{} — mitigated by {shown} on the server ({}){stops}",
                    finding.message, m.note
                );
            }
            Verdict::May { .. } => {
                finding.message = format!(
                    "{} — {shown} on the server mitigates this only below {} {}",
                    finding.message,
                    server.product.name,
                    m.until_text.as_deref().unwrap_or("?")
                );
            }
            Verdict::Never => {
                finding.message = format!(
                    "{} — {shown} on the server no longer helps from {} {} on",
                    finding.message,
                    server.product.name,
                    m.until_text.as_deref().unwrap_or("?")
                );
            }
        }
        // an option of a release series' group that would override it where it still
        // works: said, not used
        let overridden = m.settings.iter().find_map(|want| {
            settings
                .unsure_overrides(want)
                .find(|u| works_within(server, u, &m.works))
        });
        if let Some(u) = overridden {
            finding.message = format!(
                "{}; {}: on {} {} it would override it",
                finding.message,
                unsure_note(server, &u),
                server.product.name,
                u.series.text
            );
        }
        for s in found {
            finding
                .related
                .push(Label::new(s.span, format!("`{}` is set here", display(&s))));
        }
        if !finding.sources.contains(&m.source) {
            finding.sources.push(m.source.clone());
        }
        return;
    }
    // an option of a release series' group that would mitigate: said, not used
    let unsure = rule.mitigations.iter().find_map(|m| {
        let first = m.settings.first()?;
        settings.unsure_finds(first).find(|u| {
            works_within(server, u, &m.works) && m.settings.iter().all(|want| u.also_finds(want))
        })
    });
    if let Some(u) = unsure {
        finding.message = format!(
            "{} — {}; on {} {} it would mitigate this",
            finding.message,
            unsure_note(server, &u),
            server.product.name,
            u.series.text
        );
        finding.related.push(Label::new(
            u.setting.span,
            format!("`{}` is set here", display(&u.setting)),
        ));
    }
}

pub(super) fn display(s: &Setting) -> String {
    match s.kind {
        // a value from the next argument: `--tls-version TLSv1`
        SettingKind::Arg if !s.name.contains('=') && !s.value.is_empty() => {
            format!("{} {}", s.name, s.value)
        }
        SettingKind::Arg => s.name.clone(),
        SettingKind::Env => format!("{}={}", s.name, s.value),
        // as the file writes it: `default_authentication_plugin=mysql_native_password`
        SettingKind::OptionFile => s.name.strip_prefix("--").unwrap_or(&s.name).to_string(),
    }
}

/// mysqld and many servers read `--a-b` and `--a_b` alike.
fn option_name(s: &str) -> String {
    s.split('=').next().unwrap_or(s).replace('_', "-")
}

pub(super) fn matches(m: &SettingMatch, s: &Setting) -> bool {
    match m {
        SettingMatch::Env {
            name,
            value,
            ignore,
        } => {
            s.kind == SettingKind::Env
                && s.name == *name
                && value_ok(&s.value, value.as_deref(), ignore)
        }
        SettingMatch::Arg {
            name,
            value,
            ignore,
            ..
        } => {
            matches!(s.kind, SettingKind::Arg | SettingKind::OptionFile)
                && option_name(&s.name) == option_name(name)
                && match value {
                    // `--user alice` has its value in the next word: presence is enough
                    None => !ignore.iter().any(|i| i.eq_ignore_ascii_case(&s.value)),
                    Some(_) => value_ok(&s.value, value.as_deref(), ignore),
                }
        }
        SettingMatch::UrlParam {
            schemes,
            param,
            unless,
        } => url_param(&s.value, schemes, param, unless).is_some(),
        SettingMatch::UrlUser {
            schemes,
            ignore,
            query,
            no_query,
        } => {
            url_user(&s.value, schemes).is_some_and(|u| !ignore.iter().any(|i| i == u))
                && query.as_ref().is_none_or(|q| sets_query(&s.value, q))
                && no_query.as_ref().is_none_or(|q| !sets_query(&s.value, q))
        }
    }
}

/// A parameter of a connection URL's query, where it is written in the setting's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct UrlParam {
    /// Byte range of `param=value` within the setting's value.
    pub start: usize,
    pub end: usize,
    /// `param=value` as written.
    pub written: String,
    /// The value, percent-decoded as the driver reads it (`TLSv1%2CTLSv1.1` is
    /// `TLSv1,TLSv1.1`).
    pub value: String,
}

/// The last `param=value` of the query of `url` (a URL of one of `schemes`), unless the
/// query's last value of a parameter of `unless` is that pair's value (ignoring ASCII
/// case): Connector/J reads the query into a map, so a later pair overrides an earlier
/// one. `None` when the URL is of another scheme, does not set the parameter, or sets
/// it empty.
pub(super) fn url_param(
    url: &str,
    schemes: &[String],
    param: &str,
    unless: &[(String, String)],
) -> Option<UrlParam> {
    let (scheme, _) = url.split_once("://")?;
    if !schemes
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme.trim()))
    {
        return None;
    }
    // the fragment (`#…`) is no part of the query, even when it holds a `?`
    let body = url.split('#').next().unwrap_or_default();
    let q_at = body.find('?')? + 1;
    let query = &body[q_at..];
    // every `key=value` pair with its offset in `url`
    let mut pairs: Vec<(usize, &str)> = Vec::new();
    let mut at = q_at;
    for pair in query.split('&') {
        pairs.push((at, pair));
        at += pair.len() + 1;
    }
    let last = |key: &str| {
        pairs
            .iter()
            .rev()
            .find(|(_, p)| p.split_once('=').map_or(p.trim(), |(k, _)| k.trim()) == key)
            .copied()
    };
    let off = unless.iter().any(|(k, v)| {
        last(k).is_some_and(|(_, p)| {
            p.split_once('=')
                .is_some_and(|(_, got)| percent_decode(got.trim()).eq_ignore_ascii_case(v))
        })
    });
    if off {
        return None;
    }
    let (start, pair) = last(param)?;
    let (_, raw) = pair.split_once('=')?;
    let value = percent_decode(raw.trim()).trim().to_string();
    if value.trim().is_empty() {
        return None;
    }
    let written = pair.trim_end();
    Some(UrlParam {
        start,
        end: start + written.len(),
        written: written.to_string(),
        value,
    })
}

/// `%XX` escapes decoded (and `+` as a space, as `java.net.URLDecoder` reads a query);
/// an escape that is not two hex digits, or bytes that are not UTF-8, stay as written.
fn percent_decode(s: &str) -> String {
    if !s.contains(['%', '+']) {
        return s.to_string();
    }
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let escaped = (b[i] == b'%')
            .then(|| Some(hex(*b.get(i + 1)?)? << 4 | hex(*b.get(i + 2)?)?))
            .flatten();
        match (b[i], escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (c, None) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn value_ok(actual: &str, want: Option<&str>, ignore: &[String]) -> bool {
    let actual = actual.trim();
    match want {
        Some(w) => actual.eq_ignore_ascii_case(w),
        None => !actual.is_empty() && !ignore.iter().any(|i| i.eq_ignore_ascii_case(actual)),
    }
}

/// Does the URL's query set parameter `name` (`?allowUsernameInURI=true`)? A parameter
/// given without a value, empty, or `false` does not count (ioredis reads it that way).
fn sets_query(url: &str, name: &str) -> bool {
    let Some((_, query)) = url.trim().split_once('?') else {
        return false;
    };
    let query = query.split('#').next().unwrap_or_default();
    query.split('&').any(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        k == name && !v.is_empty() && v != "false"
    })
}

/// The user name of `scheme://user:pass@host` (or `scheme://user@host`), when the value
/// is such a URL of one of `schemes`; `None` when it has no user name
/// (`redis://:pass@host` authenticates as the default user).
fn url_user<'v>(value: &'v str, schemes: &[String]) -> Option<&'v str> {
    let (scheme, rest) = value.trim().split_once("://")?;
    if !schemes.iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    let user = userinfo.split(':').next()?;
    (!user.is_empty()).then_some(user)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{component, docker, eval_rules, with_setting};
    use crate::component::{ComponentKind, Ecosystem};

    const MYSQL: &str = r#"
[product]
id = "mysql"
name = "MySQL"
docker = ["mysql"]

[[rule]]
id = "mysql-sha2"
severity = "error"
summary = "client lacks caching_sha2_password"
why = "default plugin changed"
sources = ["https://example.test/mysql"]
server = ">=8.0.4"

[[rule.clients]]
ecosystem = "npm"
name = "mysql"
requires = "none"
source = "https://example.test/mysqljs"

[[mitigation]]
rule = "mysql-sha2"
settings = [{ arg = "--default-authentication-plugin", value = "mysql_native_password" }]
until = "8.4.0"
note = "new accounts use mysql_native_password"
source = "https://example.test/removed"
"#;

    const REDIS: &str = r#"
[product]
id = "redis"
name = "Redis"
docker = ["redis"]

[[rule]]
id = "redis-acl"
severity = "error"
summary = "client cannot send AUTH with a user name"
why = "ACL users"
sources = ["https://example.test/auth"]
server = ">=6.0.0"
conditions = [
  { env = "REDIS_USERNAME", ignore = ["default"] },
  { url_user = ["redis", "rediss"], ignore = ["default"] },
]

[[rule.clients]]
ecosystem = "npm"
name = "old-redis-client"
requires = ">=2.0.0"
source = "https://example.test/client"
"#;

    fn mysql_client() -> crate::component::Component {
        component(ComponentKind::Package, Ecosystem::Npm, "mysql", "2.18.1")
    }

    #[test]
    fn mitigation_turns_finding_into_info_until_its_version() {
        let mitigated = with_setting(
            docker("mysql", "8.0.36"),
            SettingKind::Arg,
            "--default-authentication-plugin=mysql_native_password",
            "mysql_native_password",
        );
        let comps = vec![mitigated.clone(), mysql_client()];
        insta::assert_snapshot!("mitigated_8_0", eval_rules(MYSQL, &comps));
        // `mysql:8` admits 8.4, where the option is gone
        let mut wide = mitigated.clone();
        wide.version = Some("8".into());
        insta::assert_snapshot!(
            "mitigated_partly",
            eval_rules(MYSQL, &[wide, mysql_client()])
        );
        let mut late = mitigated;
        late.version = Some("8.4.2".into());
        insta::assert_snapshot!(
            "not_mitigated_8_4",
            eval_rules(MYSQL, &[late, mysql_client()])
        );
    }

    fn option_file(
        c: crate::component::Component,
        group: &str,
        option: &str,
    ) -> crate::component::Component {
        let mut c = with_setting(
            c,
            SettingKind::OptionFile,
            &format!("--{option}"),
            option.split_once('=').map_or("", |(_, v)| v),
        );
        c.settings.last_mut().unwrap().from_file = Some(crate::component::OptionSource {
            group: group.into(),
            place: "/etc/my.cnf",
        });
        c
    }

    /// A release series' group counts where every version is in the series, not where
    /// none is; where some are it neither mitigates nor overrides, and the message says
    /// so. A group the product does not read is nothing.
    #[test]
    fn release_series_groups_in_mitigations() {
        let rules = MYSQL.replace(
            "docker = [\"mysql\"]",
            "docker = [\"mysql\"]\noption_groups = [\"mysqld\", \"mysqld-X.Y\"]\noption_files = [\"/etc/my.cnf\"]",
        );
        let native = "default_authentication_plugin=mysql_native_password";
        let sha2 = "default_authentication_plugin=caching_sha2_password";
        let eval = |tag: &str, groups: &[(&str, &str)]| {
            let server = groups
                .iter()
                .fold(docker("mysql", tag), |c, (g, o)| option_file(c, g, o));
            eval_rules(&rules, &[server, mysql_client()])
        };
        assert!(eval("8.0.36", &[("mysqld-8.0", native)]).contains("info: "));
        assert!(eval("8.0.36", &[("mysqld-8.4", native)]).contains("error: "));
        assert!(eval("8.0.36", &[("client", native)]).contains("error: "));
        assert!(eval("8.0.36", &[("mariadb", native)]).contains("error: "));
        // a file the product does not read is nothing either
        let elsewhere = with_setting(
            docker("mysql", "8.0.36"),
            SettingKind::OptionFile,
            &format!("--{native}"),
            "mysql_native_password",
        );
        let mut elsewhere = elsewhere;
        elsewhere.settings[0].from_file = Some(crate::component::OptionSource {
            group: "mysqld".into(),
            place: "/etc/mysql/conf.d",
        });
        assert!(eval_rules(&rules, &[elsewhere, mysql_client()]).contains("error: "));
        // the series' group comes after `[mysqld]` and overrides it on 8.0
        let overridden = eval("8.0.36", &[("mysqld", native), ("mysqld-8.0", sha2)]);
        assert!(overridden.contains("error: "), "{overridden}");
        assert!(eval("8.0.36", &[("mysqld", native), ("mysqld-8.4", sha2)]).contains("info: "));
        // `8.0` is every 8.0 release: in the series
        assert!(eval("8.0", &[("mysqld-8.0", native)]).contains("info: "));
        // `8` may run 8.0 or 8.4
        let wide = eval("8", &[("mysqld", native), ("mysqld-8.0", sha2)]);
        assert!(
            wide.contains("mitigates this only below MySQL 8.4.0; `default_authentication_plugin=caching_sha2_password` in `[mysqld-8.0]` is not taken into account: only MySQL 8.0 reads that group, and MySQL 8 may run another series: on MySQL 8.0 it would override it"),
            "{wide}"
        );
        // on 8.4 the mitigation no longer works: nothing to say
        let late = eval("8", &[("mysqld-8.4", native)]);
        assert!(!late.contains("mysqld-8.4"), "{late}");
    }

    #[test]
    fn condition_gates_the_rule() {
        let client = component(
            ComponentKind::Package,
            Ecosystem::Npm,
            "old-redis-client",
            "1.0.0",
        );
        let plain = vec![docker("redis", "7.2"), client.clone()];
        assert_eq!(eval_rules(REDIS, &plain), "");
        let default_user = vec![
            docker("redis", "7.2"),
            with_setting(
                docker("app", "1"),
                SettingKind::Env,
                "REDIS_URL",
                "redis://default:pw@redis:6379",
            ),
            client.clone(),
        ];
        assert_eq!(eval_rules(REDIS, &default_user), "");
        let acl_user = vec![
            docker("redis", "7.2"),
            with_setting(
                docker("app", "1"),
                SettingKind::Env,
                "REDIS_URL",
                "redis://worker:pw@redis:6379",
            ),
            client,
        ];
        assert!(eval_rules(REDIS, &acl_user).starts_with("2 breaks"));
    }

    fn setting(kind: SettingKind, name: &str, value: &str) -> Setting {
        Setting {
            from_file: None,
            kind,
            name: name.into(),
            value: value.into(),
            span: Span::default(),
        }
    }

    #[test]
    fn arg_names_compare_dash_and_underscore_alike() {
        let m = SettingMatch::Arg {
            name: "--default-authentication-plugin".into(),
            value: Some("mysql_native_password".into()),
            ignore: vec![],
            next_word: false,
        };
        let s = setting(
            SettingKind::Arg,
            "--default_authentication_plugin=MYSQL_NATIVE_PASSWORD",
            "MYSQL_NATIVE_PASSWORD",
        );
        assert!(matches(&m, &s));
        let other = setting(
            SettingKind::Arg,
            "--default-authentication-plugin=caching_sha2_password",
            "caching_sha2_password",
        );
        assert!(!matches(&m, &other));
    }

    /// An option-file setting is in effect unless a later file or the command line
    /// sets the option again; command-line arguments keep the first match.
    #[test]
    fn option_files_yield_to_later_settings_of_the_same_option() {
        let m = SettingMatch::Arg {
            name: "--default-authentication-plugin".into(),
            value: Some("mysql_native_password".into()),
            ignore: vec![],
            next_word: false,
        };
        let file = setting(
            SettingKind::OptionFile,
            "--default_authentication_plugin=mysql_native_password",
            "mysql_native_password",
        );
        let other_option = setting(SettingKind::Arg, "--port=3307", "3307");
        assert!(find(&m, &[file.clone(), other_option.clone()]).is_some());
        let later = setting(
            SettingKind::Arg,
            "--default-authentication-plugin=caching_sha2_password",
            "caching_sha2_password",
        );
        assert!(find(&m, &[file.clone(), later.clone()]).is_none());
        let later_file = setting(
            SettingKind::OptionFile,
            "--default-authentication-plugin=caching_sha2_password",
            "caching_sha2_password",
        );
        assert!(find(&m, &[file.clone(), later_file]).is_none());
        // the environment is no option of mysqld's
        let env = setting(SettingKind::Env, "--default-authentication-plugin", "x");
        assert!(find(&m, &[file.clone(), env]).is_some());
        assert_eq!(
            display(&file),
            "default_authentication_plugin=mysql_native_password"
        );
    }

    /// `next_word` joins `--opt value` in two arguments, never an option as the value,
    /// and only where the pattern says so.
    #[test]
    fn values_in_the_next_argument() {
        let pattern = |next_word| SettingMatch::Arg {
            name: "--default-authentication-plugin".into(),
            value: Some("mysql_native_password".into()),
            ignore: vec![],
            next_word,
        };
        let arg = |name: &str, start: usize| Setting {
            span: Span {
                file: crate::source::FileId(0),
                start,
                end: start + name.len(),
            },
            ..setting(SettingKind::Arg, name, "")
        };
        let two = [
            arg("--default_authentication_plugin", 0),
            arg("mysql_native_password", 32),
        ];
        let found = find(&pattern(true), &two).expect("joined");
        assert_eq!(found.value, "mysql_native_password");
        assert_eq!((found.span.start, found.span.end), (0, 53));
        assert_eq!(
            display(&found),
            "--default_authentication_plugin mysql_native_password"
        );
        assert!(find(&pattern(false), &two).is_none());
        let option_next = [
            arg("--default-authentication-plugin", 0),
            arg("--mysql_native_password", 32),
        ];
        assert!(find(&pattern(true), &option_next).is_none());
        // presence alone still matches the option without its value
        let presence = SettingMatch::Arg {
            name: "--default-authentication-plugin".into(),
            value: None,
            ignore: vec![],
            next_word: true,
        };
        let found = find(&presence, &option_next).expect("present");
        assert_eq!(found.name, "--default-authentication-plugin");
        assert_eq!(found.value, "");
    }

    /// The last `param=value` of a URL's query, where it is written, decoded; none when
    /// the last value of an `unless` parameter turns it off.
    #[test]
    fn url_params() {
        let schemes = vec![
            "jdbc:mysql".to_string(),
            "jdbc:mysql:loadbalance".to_string(),
        ];
        let unless = vec![("sslMode".to_string(), "DISABLED".to_string())];
        let get = |url: &str| url_param(url, &schemes, "tlsVersions", &unless);
        let url = "jdbc:mysql://db:3306/app?x=1&tlsVersions=TLSv1%2CTLSv1.1+&y=2";
        let found = get(url).expect("found");
        assert_eq!(&url[found.start..found.end], "tlsVersions=TLSv1%2CTLSv1.1+");
        assert_eq!(found.written, "tlsVersions=TLSv1%2CTLSv1.1+");
        assert_eq!(found.value, "TLSv1,TLSv1.1");
        let last = get("jdbc:mysql:loadbalance://a,b/app?tlsVersions=TLSv1&tlsVersions=TLSv1.2")
            .expect("found");
        assert_eq!(last.value, "TLSv1.2");
        for none in [
            "jdbc:mysql://db/app?tlsVersions=TLSv1&sslMode=disabled",
            "jdbc:mysql://db/app?tlsVersions=",
            "jdbc:mysql://db/app?tlsVersions",
            "jdbc:mysql://db/app",
            "jdbc:mysql://db/app#?tlsVersions=TLSv1",
            "jdbc:mysql:replication://db/app?tlsVersions=TLSv1",
            "jdbc:mysql:db/app?tlsVersions=TLSv1",
        ] {
            assert_eq!(get(none), None, "{none}");
        }
        // a later sslMode turns TLS back on
        assert!(
            get("jdbc:mysql://db/app?sslMode=DISABLED&sslMode=REQUIRED&tlsVersions=TLSv1")
                .is_some()
        );
        // escapes that are not two hex digits, or not UTF-8, stay as written
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("a%zz%41"), "a%zzA");
        assert_eq!(percent_decode("%ff"), "%ff");
    }

    #[test]
    fn url_users() {
        let schemes = vec!["redis".to_string(), "rediss".to_string()];
        assert_eq!(
            url_user("redis://app:pw@cache:6379/0", &schemes),
            Some("app")
        );
        assert_eq!(url_user("rediss://app@cache", &schemes), Some("app"));
        assert_eq!(url_user("redis://:pw@cache:6379", &schemes), None);
        assert_eq!(url_user("redis://cache:6379", &schemes), None);
        assert_eq!(url_user("postgres://app:pw@db/x", &schemes), None);
        let m = SettingMatch::UrlUser {
            schemes,
            ignore: vec!["default".into()],
            query: None,
            no_query: None,
        };
        assert!(!matches(
            &m,
            &setting(SettingKind::Env, "REDIS_URL", "redis://default:pw@cache")
        ));
        assert!(matches(
            &m,
            &setting(SettingKind::Env, "REDIS_URL", "redis://worker:pw@cache")
        ));
    }

    #[test]
    fn url_users_with_and_without_a_query_parameter() {
        let with = |query: Option<&str>, no_query: Option<&str>| SettingMatch::UrlUser {
            schemes: vec!["redis".into()],
            ignore: vec![],
            query: query.map(str::to_string),
            no_query: no_query.map(str::to_string),
        };
        let url = |v: &str| setting(SettingKind::Env, "REDIS_URL", v);
        let flagged = url("redis://app:pw@cache:6379/4?allowUsernameInURI=true");
        let plain = url("redis://app:pw@cache:6379/4");
        let off = url("redis://app:pw@cache/4?db=1&allowUsernameInURI=false");
        let empty = url("redis://app:pw@cache/4?allowUsernameInURI=");
        let q = Some("allowUsernameInURI");
        assert!(matches(&with(q, None), &flagged));
        assert!(!matches(&with(q, None), &plain));
        assert!(!matches(&with(q, None), &off));
        assert!(!matches(&with(q, None), &empty));
        assert!(!matches(&with(None, q), &flagged));
        assert!(matches(&with(None, q), &plain));
        assert!(matches(&with(None, q), &off));
        // no user name: neither form matches
        assert!(!matches(
            &with(q, None),
            &url("redis://:pw@cache?allowUsernameInURI=true")
        ));
    }

    #[test]
    fn env_values_and_ignores() {
        let m = SettingMatch::Env {
            name: "REDIS_USERNAME".into(),
            value: None,
            ignore: vec!["default".into()],
        };
        assert!(matches(
            &m,
            &setting(SettingKind::Env, "REDIS_USERNAME", "app")
        ));
        assert!(!matches(
            &m,
            &setting(SettingKind::Env, "REDIS_USERNAME", "default")
        ));
        assert!(!matches(
            &m,
            &setting(SettingKind::Env, "REDIS_USERNAME", "")
        ));
    }
}

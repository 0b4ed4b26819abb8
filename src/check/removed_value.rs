//! `removed-value`: a server is started with a setting whose every listed value its
//! version no longer supports. MySQL 8.0.28 removed the TLSv1 and TLSv1.1 protocols, so a
//! server started with `--tls-version=TLSv1,TLSv1.1` from 8.0.28 on permits no protocol
//! it still speaks, and no client can make an encrypted connection to it.
//!
//! The setting keeps existing (unlike `removed-setting`, where the option itself is
//! gone): what is removed are some of its values. The value is read as a comma-separated
//! list (`TLSv1, TLSv1.1`; values compare ignoring ASCII case, as settings do
//! elsewhere); the finding is made only when every listed value is a removed one. The
//! settings are the ones mitigations read (`Component.settings`: container arguments and
//! environment from compose and Kubernetes, and the options of MySQL option files a
//! compose service mounts, `scan::option_files`, of the groups the server reads; one of
//! a release series the server may or may not run is an `info` note); a value in the next argument
//! (`--tls-version TLSv1`) counts where the rule's pattern says `next_word`. Must not: flag a list
//! that still names a supported value (what the server does with the removed ones is
//! not stated by the sources this kind is written from), or guess a version (an unknown
//! one is skipped).

use super::removed_setting::{Removal, may_remove, push_removal, push_unsure};
use super::settings::{ServerSettings, UrlParam, url_param};
use super::{Context, Evaluation, Instance};
use crate::component::{Setting, SettingKind, UnitFact};
use crate::diagnostic::Label;
use crate::extract::compose::env_hosts;
use crate::rule::{RemovedValue, Rule, SettingMatch};
use crate::source::Span;
use crate::version::VersionSet;

pub(super) fn evaluate(
    cx: &Context<'_>,
    rule_index: usize,
    rule: &Rule,
    entries: &[RemovedValue],
    out: &mut Vec<Evaluation>,
) {
    let (client_side, server_side): (Vec<&RemovedValue>, Vec<&RemovedValue>) = entries
        .iter()
        .partition(|e| matches!(e.setting, SettingMatch::UrlParam { .. }));
    if !client_side.is_empty() {
        client_urls(cx, rule_index, rule, &client_side, out);
    }
    for (inst, versions) in cx.known_instances_of(&rule.product) {
        let settings = ServerSettings::of(inst);
        for entry in &server_side {
            let product = &inst.product.name;
            let removal = Removal {
                removed: &entry.removed,
                removed_text: &entry.removed_text,
                fix: entry.fix.as_deref(),
                source: &entry.source,
            };
            let default_fix = |shown: &str| {
                format!(
                    "name a value {product} {} still supports in `{shown}`",
                    entry.removed_text
                )
            };
            if let Some(setting) = settings.find(&entry.setting) {
                let Some(listed) = only_removed(&setting, &entry.values) else {
                    continue;
                };
                push_removal(
                    out,
                    (rule_index, rule),
                    (inst, versions),
                    &setting,
                    removal,
                    |shown, when| {
                        format!(
                            "`{shown}` permits only {listed}, which {product} no longer supports from {} on, and {when}: {}",
                            entry.removed_text, rule.summary
                        )
                    },
                    default_fix,
                );
            } else if let Some((u, listed)) = settings
                .unsure_finds(&entry.setting)
                .filter(|u| may_remove(versions, u, &entry.removed))
                .find_map(|u| only_removed(&u.setting, &entry.values).map(|l| (u, l)))
            {
                push_unsure(
                    out,
                    (rule_index, rule),
                    inst,
                    &u,
                    removal,
                    &format!(
                        "it permits only {listed}, no longer supported from {} on: {}",
                        entry.removed_text, rule.summary
                    ),
                    default_fix,
                );
            }
        }
    }
}

/// Connection URLs in compose services' environment that name a server instance of the
/// product by its service name (`jdbc:mysql://db:3306/app?tlsVersions=TLSv1.1` beside
/// service `db`, in the same compose project): the URL's parameter is judged against
/// that instance's version, and the finding points at `param=value` inside the URL.
fn client_urls(
    cx: &Context<'_>,
    rule_index: usize,
    rule: &Rule,
    entries: &[&RemovedValue],
    out: &mut Vec<Evaluation>,
) {
    // the URLs of every compose service that set a parameter of these entries
    let any = cx.units.iter().any(|u| match u {
        UnitFact::ComposeService(svc) => svc.connections.iter().any(|s| {
            entries
                .iter()
                .any(|e| super::settings::matches(&e.setting, s))
        }),
        _ => false,
    });
    if !any {
        return;
    }
    let topology = cx.topology();
    // every (URL, server) pair, in file order: the graph keeps one finding per server
    // and rule, so the pairs of one server become one finding that points at each
    let mut hits: Vec<Hit<'_, '_>> = Vec::new();
    for (ui, unit) in topology.units.iter().enumerate() {
        for svc in &unit.services {
            for conn in &svc.fact.connections {
                for entry in entries {
                    let SettingMatch::UrlParam {
                        schemes,
                        param,
                        unless,
                    } = &entry.setting
                    else {
                        continue;
                    };
                    let Some(found) = url_param(&conn.value, schemes, param, unless) else {
                        continue;
                    };
                    let Some(listed) = only_removed_list(&found.value, &entry.values) else {
                        continue;
                    };
                    let hosts = env_hosts(&conn.name, &conn.value);
                    // shown as written: `tlsVersions=TLSv1.1`
                    let setting = Setting {
                        kind: SettingKind::Arg,
                        name: found.written.clone(),
                        value: String::new(),
                        span: param_span(cx, conn, &found),
                        from_file: None,
                    };
                    for (inst, versions) in cx.known_instances_of(&rule.product) {
                        let Some(host) = topology
                            .services_running(inst.index)
                            .filter(|(u, _)| *u == ui)
                            .find_map(|(_, name)| hosts.iter().find(|h| *h == name))
                        else {
                            continue;
                        };
                        let seen = hits
                            .iter()
                            .any(|h| h.setting.span == setting.span && h.inst.index == inst.index);
                        if !seen {
                            hits.push(Hit {
                                inst,
                                versions,
                                entry,
                                service: svc.fact.name.clone(),
                                conn,
                                setting: setting.clone(),
                                listed: listed.clone(),
                                host: host.clone(),
                            });
                        }
                    }
                }
            }
        }
    }
    let mut done: Vec<usize> = Vec::new();
    for (i, first) in hits.iter().enumerate() {
        if done.contains(&first.inst.index) {
            continue;
        }
        done.push(first.inst.index);
        let more: Vec<&Hit<'_, '_>> = hits[i + 1..]
            .iter()
            .filter(|h| h.inst.index == first.inst.index)
            .collect();
        let product = &first.inst.product.name;
        let entry = first.entry;
        let before = out.len();
        push_removal(
            out,
            (rule_index, rule),
            (first.inst, first.versions),
            &first.setting,
            Removal {
                removed: &entry.removed,
                removed_text: &entry.removed_text,
                fix: entry.fix.as_deref(),
                source: &entry.source,
            },
            |shown, when| {
                let others = match more.len() {
                    0 => String::new(),
                    1 => " (and 1 more connection URL naming it, below)".to_string(),
                    n => format!(" (and {n} more connection URLs naming it, below)"),
                };
                format!(
                    "`{shown}` in the `{}` of service `{}` permits only {}, which {product} no longer supports from {} on{others}, and {when}: {}",
                    first.conn.name, first.service, first.listed, entry.removed_text, rule.summary
                )
            },
            |shown| {
                format!(
                    "name a protocol {product} {} still supports in `{shown}`",
                    entry.removed_text
                )
            },
        );
        let Some(f) = out[before..].first_mut().and_then(|e| e.finding.as_mut()) else {
            continue;
        };
        f.related.push(first.pairing());
        for h in more {
            f.related.push(Label::new(
                h.setting.span,
                format!(
                    "`{}` is set here too, in the `{}` of service `{}`: it permits only {}",
                    h.setting.name, h.conn.name, h.service, h.listed
                ),
            ));
            f.related.push(h.pairing());
            if !f.sources.contains(&h.entry.source) {
                f.sources.push(h.entry.source.clone());
            }
        }
    }
}

/// One connection URL that permits only removed values, and the server it names.
struct Hit<'c, 'e> {
    inst: &'c Instance<'c>,
    versions: &'c VersionSet,
    entry: &'e RemovedValue,
    service: String,
    conn: &'c Setting,
    /// `param=value`, where it is written.
    setting: Setting,
    listed: String,
    host: String,
}

impl Hit<'_, '_> {
    fn pairing(&self) -> Label {
        Label::pairing(
            self.conn.span,
            format!(
                "service `{}` connects to `{}`, which runs {}",
                self.service,
                self.host,
                self.inst.describe()
            ),
        )
    }
}

/// The span of `param=value` inside the URL when the setting's value is written
/// verbatim at the end of its span (`KEY: value`, `- KEY=value`), else the setting's.
fn param_span(cx: &Context<'_>, conn: &Setting, found: &UrlParam) -> Span {
    let text = &cx.sources.get(conn.span.file).text;
    let value_start = conn.span.end.checked_sub(conn.value.len());
    match value_start {
        Some(at) if text.get(at..conn.span.end) == Some(conn.value.as_str()) => Span {
            start: at + found.start,
            end: at + found.end,
            ..conn.span
        },
        _ => conn.span,
    }
}

/// The setting's listed values, shown for the message (`TLSv1, TLSv1.1`), when there is
/// at least one and every one is among `removed`; `None` otherwise (nothing visible, or
/// a value the server still supports).
fn only_removed(setting: &Setting, removed: &[String]) -> Option<String> {
    let value = match setting.kind {
        // `--tls-version TLSv1` has its value in the next argument
        SettingKind::Arg | SettingKind::OptionFile => setting
            .name
            .split_once('=')
            .map_or(setting.value.as_str(), |(_, v)| v),
        SettingKind::Env => setting.value.as_str(),
    };
    only_removed_list(value, removed)
}

/// A comma-separated list, shown for the message (`TLSv1, TLSv1.1`), when it names at
/// least one value and only values among `removed`.
fn only_removed_list(value: &str, removed: &[String]) -> Option<String> {
    let listed: Vec<&str> = value
        .trim()
        .trim_matches(|c| c == '\'' || c == '"')
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    let all_removed = !listed.is_empty()
        && listed
            .iter()
            .all(|v| removed.iter().any(|r| r.eq_ignore_ascii_case(v)));
    all_removed.then(|| listed.join(", "))
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{docker, eval_in, with_setting};
    use crate::component::{Component, SettingKind};

    const RULE: &str = r#"
[product]
id = "mysql"
name = "MySQL"
docker = ["mysql"]

[[rule]]
id = "mysql-tls-removed"
kind = "removed-value"
severity = "error"
summary = "no client can connect over TLS"
why = "removed"
sources = ["https://example.test/tls"]

[[rule.removed_values]]
setting = { arg = "--tls-version" }
values = ["TLSv1", "TLSv1.1"]
removed = "8.0.28"
source = "https://example.test/tls"
"#;

    fn mysql(tag: &str, arg: &str) -> Component {
        let value = arg.split_once('=').map_or("", |(_, v)| v);
        with_setting(docker("mysql", tag), SettingKind::Arg, arg, value)
    }

    fn eval(comps: &[Component]) -> String {
        eval_in(RULE, &["docker-compose.yml"], comps, &[], "2026-01-01")
    }

    #[test]
    fn only_removed_values_from_the_removal_on() {
        let old = "--tls-version=TLSv1,TLSv1.1";
        assert_eq!(eval(&[mysql("8.0.27", old)]), "");
        let exact = eval(&[mysql("8.0.28", old)]);
        assert!(
            exact.starts_with("0 breaks error: `--tls-version=TLSv1,TLSv1.1` permits only TLSv1, TLSv1.1, which MySQL no longer supports from 8.0.28 on, and MySQL 8.0.28 runs: no client can connect over TLS"),
            "{exact}"
        );
        // underscores compare like dashes, values ignore case and spaces
        let one = eval(&[mysql("8.4.0", "--tls_version= tlsv1.1 ")]);
        assert!(one.starts_with("0 breaks error: "), "{one}");
        // a line spanning the removal may break
        let line = eval(&[mysql("8.0", "--tls-version=TLSv1.1")]);
        assert!(
            line.starts_with("0 may-break warning: ")
                && line.contains("MySQL 8.0 may run MySQL 8.0.28 or later"),
            "{line}"
        );
    }

    const CLIENT_RULE: &str = r#"
[product]
id = "mysql"
name = "MySQL"
docker = ["mysql"]

[[rule]]
id = "mysql-client-tls"
kind = "removed-value"
severity = "error"
summary = "the client cannot connect over TLS"
why = "removed"
sources = ["https://example.test/tls"]

[[rule.removed_values]]
setting = { url_param = "tlsVersions", schemes = ["jdbc:mysql"], unless = ["sslMode=DISABLED", "useSSL=false"] }
values = ["TLSv1", "TLSv1.1"]
removed = "8.0.28"
source = "https://example.test/tls"
"#;

    /// Scan compose files and judge them by `CLIENT_RULE`: per finding, its message, the
    /// text its primary label points at, and each related label's text.
    fn client(files: &[(&str, &str)]) -> Vec<(String, String, Vec<String>)> {
        use crate::check::{CheckOptions, Context, evaluate};
        use crate::rule::RuleSet;
        let inv = crate::scan::scan_texts(
            std::path::Path::new("."),
            files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        );
        let mut set = RuleSet::default();
        set.add_user_file("rules.toml", CLIENT_RULE).unwrap();
        let options = CheckOptions {
            today: "2026-01-01".parse().unwrap(),
            selection: Default::default(),
        };
        let sources = inv.sources.view();
        let cx =
            Context::with_options(&inv.components, &set, sources, options).with_units(&inv.units);
        let text = |span: crate::source::Span| {
            inv.sources.get(span.file).text[span.start..span.end].to_string()
        };
        evaluate(&cx)
            .into_iter()
            .filter_map(|e| e.finding)
            .map(|f| {
                (
                    f.message.clone(),
                    text(f.primary.span),
                    f.related.iter().map(|l| text(l.span)).collect(),
                )
            })
            .collect()
    }

    const DB: &str = "services:\n  db:\n    image: mysql:8.0.28\n";

    #[test]
    fn a_client_url_naming_the_server_is_judged_at_the_property() {
        let compose = format!(
            "{DB}  api:\n    build: ./api\n    environment:\n      DB_URL: jdbc:mysql://db:3306/app?a=1&tlsVersions=TLSv1.1\n"
        );
        let got = client(&[("docker-compose.yml", &compose)]);
        assert_eq!(got.len(), 1, "{got:#?}");
        let (message, primary, related) = &got[0];
        assert!(
            message.starts_with("`tlsVersions=TLSv1.1` in the `DB_URL` of service `api` permits only TLSv1.1, which MySQL no longer supports from 8.0.28 on, and MySQL 8.0.28 runs"),
            "{message}"
        );
        assert_eq!(primary, "tlsVersions=TLSv1.1");
        assert_eq!(
            related,
            &[
                "8.0.28".to_string(),
                "DB_URL: jdbc:mysql://db:3306/app?a=1&tlsVersions=TLSv1.1".to_string()
            ]
        );
        // the list form, a quoted value and a percent-encoded list
        let compose = format!(
            "{DB}  api:\n    image: registry.example.test/api:1\n    environment:\n      - \"DB_URL=jdbc:mysql://db/app?tlsVersions=TLSv1%2CTLSv1.1#x\"\n"
        );
        let got = client(&[("docker-compose.yml", &compose)]);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert_eq!(got[0].1, "tlsVersions=TLSv1%2CTLSv1.1");
        assert!(
            got[0].0.contains("permits only TLSv1, TLSv1.1"),
            "{}",
            got[0].0
        );
    }

    #[test]
    fn client_urls_that_are_not_reported() {
        let with = |server: &str, url: &str| {
            let compose = format!(
                "services:\n  db:\n    image: mysql:{server}\n  api:\n    build: .\n    environment:\n      DB_URL: {url}\n"
            );
            client(&[("docker-compose.yml", &compose)])
        };
        for url in [
            // TLS is off, or a supported protocol is still listed
            "jdbc:mysql://db/app?tlsVersions=TLSv1.1&useSSL=FALSE",
            "jdbc:mysql://db/app?sslMode=disabled&tlsVersions=TLSv1.1",
            "jdbc:mysql://db/app?tlsVersions=TLSv1.1,TLSv1.2",
            "jdbc:mysql://db/app?tlsVersions=",
            // a later pair overrides an earlier one
            "jdbc:mysql://db/app?tlsVersions=TLSv1.1&tlsVersions=TLSv1.3",
            // another host, another scheme, a parameter name in another case
            "jdbc:mysql://other/app?tlsVersions=TLSv1.1",
            "jdbc:mariadb://db/app?tlsVersions=TLSv1.1",
            "mysql://db/app?tlsVersions=TLSv1.1",
            "jdbc:mysql://db/app?tlsversions=TLSv1.1",
            // the fragment is no part of the query
            "jdbc:mysql://db/app#tlsVersions=TLSv1.1",
        ] {
            assert_eq!(with("8.4.0", url), Vec::new(), "{url}");
        }
        assert_eq!(
            with("8.0.27", "jdbc:mysql://db/app?tlsVersions=TLSv1.1"),
            Vec::new()
        );
        let later = with(
            "8.0.27",
            "jdbc:mysql://db/app?sslMode=DISABLED&sslMode=REQUIRED&tlsVersions=TLSv1",
        );
        assert_eq!(later, Vec::new(), "8.0.27 still supports TLSv1");
        let later = with(
            "8.4",
            "jdbc:mysql://db/app?sslMode=DISABLED&sslMode=REQUIRED&tlsVersions=TLSv1",
        );
        assert_eq!(
            later.len(),
            1,
            "the last sslMode is the one in force: {later:#?}"
        );
        // a line spanning the removal may break
        let line = with("8.0", "jdbc:mysql://db/app?tlsVersions=TLSv1.1");
        assert!(
            line.len() == 1
                && line[0]
                    .0
                    .contains("MySQL 8.0 may run MySQL 8.0.28 or later"),
            "{line:#?}"
        );
    }

    /// `${DB_URL}` is the URL the `.env` beside the compose file sets (blamed at the
    /// property on its `.env` line), a default applies without one, and a variable nothing
    /// sets names no server.
    #[test]
    fn a_client_url_from_the_env_file() {
        let compose = format!(
            "{DB}  api:\n    build: .\n    environment:\n      DB_URL: ${{DB_URL}}\n      AUDIT_URL: \"${{AUDIT_URL:-jdbc:mysql://db/audit?tlsVersions=TLSv1}}\"\n      OTHER_URL: jdbc:mysql://${{DB_HOST}}/x?tlsVersions=TLSv1\n"
        );
        let env = "DB_URL=jdbc:mysql://db:3306/app?tlsVersions=TLSv1.1 # legacy\n";
        let got = client(&[("docker-compose.yml", &compose), (".env", env)]);
        // one finding per server: the first URL, and the others as related locations
        assert_eq!(got.len(), 1, "{got:#?}");
        let (message, primary, related) = &got[0];
        assert_eq!(primary, "tlsVersions=TLSv1.1");
        assert!(
            message.starts_with("`tlsVersions=TLSv1.1` in the `DB_URL` of service `api` permits only TLSv1.1, which MySQL no longer supports from 8.0.28 on (and 1 more connection URL naming it, below)"),
            "{message}"
        );
        // the `.env` value, and the default written in the compose file
        assert_eq!(
            related,
            &[
                "8.0.28",
                "jdbc:mysql://db:3306/app?tlsVersions=TLSv1.1",
                "tlsVersions=TLSv1",
                "jdbc:mysql://db/audit?tlsVersions=TLSv1",
            ],
            "{got:#?}"
        );
        // the `.env` sets a URL to TLSv1.2: nothing
        let env =
            "DB_URL=jdbc:mysql://db:3306/app?tlsVersions=TLSv1.2\nAUDIT_URL=jdbc:mysql://db/a\n";
        assert_eq!(
            client(&[("docker-compose.yml", &compose), (".env", env)]),
            Vec::new()
        );
    }

    /// A URL pairs only with the service its host names in its own compose project.
    #[test]
    fn a_client_url_pairs_with_its_own_project_only() {
        let api = "  api:\n    build: .\n    environment:\n      DB_URL: jdbc:mysql://db/app?tlsVersions=TLSv1.1\n";
        let got = client(&[
            ("a/docker-compose.yml", &format!("{DB}{api}")),
            ("b/docker-compose.yml", DB),
        ]);
        assert_eq!(got.len(), 1, "{got:#?}");
        // two hosts: each that runs MySQL is judged once
        let compose = "services:\n  db:\n    image: mysql:8.4.0\n  db2:\n    image: mysql:8.0.27\n  api:\n    build: .\n    environment:\n      DB_URL: jdbc:mysql://db,db2/app?tlsVersions=TLSv1.1\n";
        let got = client(&[("docker-compose.yml", compose)]);
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(got[0].0.contains("MySQL 8.4.0 runs"), "{}", got[0].0);
    }

    #[test]
    fn a_supported_value_or_no_visible_value_is_not_reported() {
        for arg in [
            "--tls-version=TLSv1.1,TLSv1.2",
            "--tls-version=TLSv1.2",
            "--tls-version",
            "--tls-version=",
            "--ssl-cipher=TLSv1",
        ] {
            assert_eq!(eval(&[mysql("8.4.0", arg)]), "", "{arg}");
        }
        // an assumed version is the version checked
        let assumed = eval_in(
            RULE,
            &["docker-compose.yml"],
            &[mysql("8.0.27", "--tls-version=TLSv1")],
            &[("mysql", "8.0.28")],
            "2026-01-01",
        );
        assert!(assumed.starts_with("0 breaks error: "), "{assumed}");
    }
}

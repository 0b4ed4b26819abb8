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
use super::settings::ServerSettings;
use super::{Context, Evaluation};
use crate::component::{Setting, SettingKind};
use crate::rule::{RemovedValue, Rule};

pub(super) fn evaluate(
    cx: &Context<'_>,
    rule_index: usize,
    rule: &Rule,
    entries: &[RemovedValue],
    out: &mut Vec<Evaluation>,
) {
    for (inst, versions) in cx.known_instances_of(&rule.product) {
        let settings = ServerSettings::of(inst);
        for entry in entries {
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

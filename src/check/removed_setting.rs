//! `removed-setting`: a server is started with an option (or environment variable) that
//! its version no longer has. `--default-authentication-plugin=mysql_native_password`
//! left in a compose `command:` stops MySQL 8.4 from starting: `default_authentication_plugin`
//! was removed in 8.4.0, and mysqld exits with an error on an option it does not know.
//!
//! The settings are the ones mitigations read (`Component.settings`: container arguments
//! and environment from compose and Kubernetes, and the options of MySQL option files a
//! compose service mounts, `scan::option_files`, of the groups the server reads:
//! `check::settings::ServerSettings`). An option in a group of one release series the
//! server may or may not run (`[mysqld-8.4]` on `mysql:8`) is not a break but an `info`
//! note. The finding is on the setting, with the
//! server's declaration as related location; a server tag that admits versions on both
//! sides of the removal (`mysql:8`) makes it a possible break. Must not: flag a setting
//! on a server version that still has it, or guess a version (an unknown one is skipped).

use super::settings::{ServerSettings, Unsure, display, unsure_note};
use super::{Context, Evaluation, Instance, Outcome, server_label, severity_for, sources_with};
use crate::component::Setting;
use crate::diagnostic::{Finding, Label, Severity, Subject};
use crate::rule::{RemovedSetting, Rule};
use crate::version::{Verdict, VersionSet, verdict};

pub(super) fn evaluate(
    cx: &Context<'_>,
    rule_index: usize,
    rule: &Rule,
    entries: &[RemovedSetting],
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
                    "remove `{shown}` before moving to {product} {}",
                    entry.removed_text
                )
            };
            if let Some(setting) = settings.find(&entry.setting) {
                push_removal(
                    out,
                    (rule_index, rule),
                    (inst, versions),
                    &setting,
                    removal,
                    |shown, when| {
                        format!(
                            "`{shown}` was removed in {product} {}, and {when}: {}",
                            entry.removed_text, rule.summary
                        )
                    },
                    default_fix,
                );
            } else if let Some(u) = settings
                .unsure_finds(&entry.setting)
                .find(|u| may_remove(versions, u, &entry.removed))
            {
                push_unsure(
                    out,
                    (rule_index, rule),
                    inst,
                    &u,
                    removal,
                    &format!("it was removed ({}): {}", entry.removed_text, rule.summary),
                    default_fix,
                );
            }
        }
    }
}

/// What a rule says a server version no longer takes: the option itself
/// (`removed-setting`) or some of its values (`removed-value`).
pub(super) struct Removal<'e> {
    /// Every server version from the removal on.
    pub removed: &'e VersionSet,
    /// The first of them, as written (`8.4.0`).
    pub removed_text: &'e str,
    pub fix: Option<&'e str>,
    pub source: &'e str,
}

/// Judge a setting a known server instance is started with against a removal, and
/// report it on the setting with the server as related location, as both removal kinds
/// do: `message(shown, when)` words the finding, `default_fix(shown)` is the fix when
/// neither the entry nor the rule has one.
pub(super) fn push_removal(
    out: &mut Vec<Evaluation>,
    (rule_index, rule): (usize, &Rule),
    (inst, versions): (&Instance<'_>, &VersionSet),
    setting: &Setting,
    removal: Removal<'_>,
    message: impl FnOnce(&str, &str) -> String,
    default_fix: impl FnOnce(&str) -> String,
) {
    let outcome = match verdict(versions, removal.removed) {
        Verdict::Always => Outcome::Breaks,
        Verdict::May { .. } => Outcome::MayBreak,
        Verdict::Never => return,
    };
    let c = inst.component;
    out.push(Evaluation::new(
        inst.index,
        inst.index,
        rule_index,
        outcome,
        || {
            let shown = super::settings::display(setting);
            let when = match outcome {
                Outcome::Breaks => format!("{} runs", inst.describe()),
                _ => format!(
                    "{} may run {} {} or later",
                    inst.describe(),
                    inst.product.name,
                    removal.removed_text
                ),
            };
            Finding {
                rule_id: rule.id.clone(),
                severity: severity_for(rule, outcome),
                message: message(&shown, &when),
                primary: Label::new(setting.span, format!("`{shown}` is set here")),
                related: vec![server_label(inst)],
                fix: Some(
                    removal
                        .fix
                        .or(rule.fix.as_deref())
                        .map_or_else(|| default_fix(&shown), str::to_string),
                ),
                sources: sources_with(rule, Some(removal.source)),
                subject: Subject {
                    ecosystem: Some(c.ecosystem),
                    name: c.name.clone(),
                    version: c.version.clone(),
                    counterpart: Some(format!("`{shown}`")),
                },
                components: Vec::new(),
            }
        },
    ));
}

/// May the server run a version of `u`'s series that `removed` covers? Only then is an
/// option of that series' groups worth a note.
pub(super) fn may_remove(versions: &VersionSet, u: &Unsure<'_>, removed: &VersionSet) -> bool {
    let within = versions.intersect(&u.series.versions);
    !within.is_empty() && verdict(&within, removed) != Verdict::Never
}

/// A setting that would be removed, written in a group of one release series that the
/// server may or may not run (`[mysqld-8.4]` on `mysql:8`): not a break, since skew
/// does not guess the series, but an `info` note (the caller checks [`may_remove`]).
pub(super) fn push_unsure(
    out: &mut Vec<Evaluation>,
    (rule_index, rule): (usize, &Rule),
    inst: &Instance<'_>,
    u: &Unsure<'_>,
    removal: Removal<'_>,
    consequence: &str,
    default_fix: impl FnOnce(&str) -> String,
) {
    let c = inst.component;
    out.push(Evaluation::new(
        inst.index,
        inst.index,
        rule_index,
        Outcome::MayBreak,
        || {
            let shown = display(&u.setting);
            Finding {
                rule_id: rule.id.clone(),
                severity: Severity::Info,
                message: format!(
                    "{}; on {} {} {consequence}",
                    unsure_note(inst, u),
                    inst.product.name,
                    u.series.text
                ),
                primary: Label::new(u.setting.span, format!("`{shown}` is set here")),
                related: vec![server_label(inst)],
                fix: Some(
                    removal
                        .fix
                        .or(rule.fix.as_deref())
                        .map_or_else(|| default_fix(&shown), str::to_string),
                ),
                sources: sources_with(rule, Some(removal.source)),
                subject: Subject {
                    ecosystem: Some(c.ecosystem),
                    name: c.name.clone(),
                    version: c.version.clone(),
                    counterpart: Some(format!("`{shown}`")),
                },
                components: Vec::new(),
            }
        },
    ));
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{docker, eval_in, with_setting};
    use crate::component::SettingKind;

    const RULE: &str = r#"
[product]
id = "mysql"
name = "MySQL"
docker = ["mysql"]

[[rule]]
id = "mysql-removed-server-option"
kind = "removed-setting"
severity = "error"
summary = "the server does not start"
why = "removed"
sources = ["https://example.test/optvars"]

[[rule.settings]]
setting = { arg = "--default-authentication-plugin" }
removed = "8.4.0"
source = "https://example.test/optvars"
"#;

    fn mysql(tag: &str) -> crate::component::Component {
        with_setting(
            docker("mysql", tag),
            SettingKind::Arg,
            "--default-authentication-plugin=mysql_native_password",
            "mysql_native_password",
        )
    }

    #[test]
    fn from_the_removal_on_only() {
        let eval = |comps: &[crate::component::Component]| {
            eval_in(RULE, &["docker-compose.yml"], comps, &[], "2026-01-01")
        };
        assert_eq!(eval(&[mysql("8.3.0")]), "");
        assert_eq!(eval(&[docker("mysql", "8.4.0")]), "");
        let exact = eval(&[mysql("8.4.0")]);
        assert!(
            exact.starts_with("0 breaks error: `--default-authentication-plugin=mysql_native_password` was removed in MySQL 8.4.0, and MySQL 8.4.0 runs"),
            "{exact}"
        );
        let floating = eval(&[mysql("8")]);
        assert!(
            floating.starts_with("0 may-break warning: ")
                && floating.contains("MySQL 8 may run MySQL 8.4.0 or later"),
            "{floating}"
        );
    }
}

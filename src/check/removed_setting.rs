//! `removed-setting`: a server is started with an option (or environment variable) that
//! its version no longer has. `--default-authentication-plugin=mysql_native_password`
//! left in a compose `command:` stops MySQL 8.4 from starting: `default_authentication_plugin`
//! was removed in 8.4.0, and mysqld exits with an error on an option it does not know.
//!
//! The settings are the ones mitigations read (`Component.settings`: container arguments
//! and environment from compose and Kubernetes). The finding is on the setting, with the
//! server's declaration as related location; a server tag that admits versions on both
//! sides of the removal (`mysql:8`) makes it a possible break. Must not: flag a setting
//! on a server version that still has it, or guess a version (an unknown one is skipped).

use super::{Context, Evaluation, Outcome, server_label, severity_for, sources_with};
use crate::diagnostic::{Finding, Label, Subject};
use crate::rule::{RemovedSetting, Rule};
use crate::version::{Verdict, verdict};

pub(super) fn evaluate(
    cx: &Context<'_>,
    rule_index: usize,
    rule: &Rule,
    entries: &[RemovedSetting],
    out: &mut Vec<Evaluation>,
) {
    for (inst, versions) in cx.known_instances_of(&rule.product) {
        let c = inst.component;
        for entry in entries {
            let Some(setting) = super::settings::find(&entry.setting, &c.settings) else {
                continue;
            };
            let outcome = match verdict(versions, &entry.removed) {
                Verdict::Always => Outcome::Breaks,
                Verdict::May { .. } => Outcome::MayBreak,
                Verdict::Never => continue,
            };
            let shown = super::settings::display(setting);
            let product = &inst.product.name;
            out.push(Evaluation::new(
                inst.index,
                inst.index,
                rule_index,
                outcome,
                || {
                    let when = match outcome {
                        Outcome::Breaks => format!("{} runs", inst.describe()),
                        _ => format!(
                            "{} may run {product} {} or later",
                            inst.describe(),
                            entry.removed_text
                        ),
                    };
                    Finding {
                        rule_id: rule.id.clone(),
                        severity: severity_for(rule, outcome),
                        message: format!(
                            "`{shown}` was removed in {product} {}, and {when}: {}",
                            entry.removed_text, rule.summary
                        ),
                        primary: Label::new(setting.span, format!("`{shown}` is set here")),
                        related: vec![server_label(inst)],
                        fix: Some(
                            entry
                                .fix
                                .clone()
                                .or_else(|| rule.fix.clone())
                                .unwrap_or_else(|| {
                                    format!(
                                        "remove `{shown}` before moving to {product} {}",
                                        entry.removed_text
                                    )
                                }),
                        ),
                        sources: sources_with(rule, Some(&entry.source)),
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
    }
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

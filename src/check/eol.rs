//! `eol`: servers and runtimes past their vendor's end-of-life date.
//!
//! An instance of the product whose versions all fall in one release line (`node:14`,
//! `python:3.7-slim`) is compared with that line's end-of-life date; on or after it, the
//! finding names the date and the vendor's page. "Today" is [`super::CheckOptions`]'s
//! date (`skew check --today`), so output is reproducible. The finding has no other end:
//! its evaluation points from the component to itself. Must not: warn ahead of the date,
//! or use a date the rule file does not state.

use super::{Context, Evaluation, Outcome};
use crate::diagnostic::{Finding, Label, Subject};
use crate::rule::{Release, Rule};

pub(super) fn evaluate(
    cx: &Context<'_>,
    rule_index: usize,
    rule: &Rule,
    releases: &[Release],
    out: &mut Vec<Evaluation>,
) {
    let today = cx.options.today;
    for (inst, versions) in cx.known_instances_of(&rule.product) {
        let Some(release) = releases
            .iter()
            .find(|r| !versions.is_empty() && versions.is_subset(&r.versions))
        else {
            continue;
        };
        if !release.eol.reached(today) {
            continue;
        }
        let c = inst.component;
        let mut sources = vec![release.source.clone()];
        for s in &rule.sources {
            if !sources.contains(s) {
                sources.push(s.clone());
            }
        }
        let finding = || Finding {
            rule_id: rule.id.clone(),
            severity: rule.severity,
            message: format!(
                "{} {} reached end of life {} ({}); {}",
                inst.product.name,
                release.line,
                release.eol.phrase(),
                release.source,
                rule.summary
            ),
            primary: Label::new(c.span, inst.declared_here()),
            related: Vec::new(),
            fix: Some(rule.fix.clone().unwrap_or_else(|| {
                format!(
                    "move to a {} release line that is still supported",
                    inst.product.name
                )
            })),
            sources,
            subject: Subject {
                ecosystem: Some(c.ecosystem),
                name: c.name.clone(),
                version: c.version.clone(),
                counterpart: Some(format!("end of life {}", release.eol)),
            },
            components: Vec::new(),
        };
        out.push(Evaluation::new(
            inst.index,
            inst.index,
            rule_index,
            Outcome::Breaks,
            finding,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{component, docker, eval_in};
    use crate::component::{ComponentKind, Ecosystem};

    const RULE: &str = r#"
[product]
id = "node"
name = "Node.js"
docker = ["node"]
runtime = ["node"]

[[rule]]
id = "node-eol"
kind = "eol"
severity = "warning"
summary = "no more security releases"
why = "eol"
sources = ["https://example.test/schedule"]

[[rule.releases]]
line = "14"
eol = "2023-04-30"
source = "https://example.test/schedule"
"#;

    #[test]
    fn on_and_after_the_date_only() {
        let comps = vec![
            docker("node", "14-alpine"),
            component(
                ComponentKind::Runtime,
                Ecosystem::Runtime,
                "node",
                "14.21.3",
            ),
            docker("node", "18"),
            docker("node", "latest"),
        ];
        assert_eq!(
            eval_in(RULE, &["Dockerfile"], &comps, &[], "2023-04-29"),
            ""
        );
        insta::assert_snapshot!(eval_in(RULE, &["Dockerfile"], &comps, &[], "2023-04-30"));
    }
}

//! `unpinned-server`: a server image whose tag names no version (none, `latest`, a tag
//! without a number such as `alpine`) can run any version after the next deploy, without
//! a rehearsal — exactly how the 2023-06-03 outage reached production. Rules are still
//! evaluated against every version ("may break"); this check says why that is.
//!
//! A numbered tag is not flagged by itself, a major-pinned one (`postgres:16-alpine`)
//! included: pinning the major is a policy teams choose on purpose, and the rules
//! already evaluate the line it admits (as its newest release). A digest
//! (`nginx@sha256:…`) pins the image whatever its tag.
//!
//! Only servers of known products: a floating base image (`FROM node:18`) is the usual
//! way to receive patch releases and is not flagged.

use super::Context;
use crate::component::ComponentKind;
use crate::diagnostic::{Code, Finding, Label, Subject};

pub(super) fn lint(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for inst in cx.instances.iter().filter(|i| i.floating) {
        let c = inst.component;
        if c.kind != ComponentKind::Server || inst.assumed.is_some() {
            continue;
        }
        let written = match c.version.as_deref() {
            None | Some("") => format!("`{}` (no tag)", c.name),
            Some(tag) => format!("`{}:{tag}`", c.name),
        };
        out.push(Finding {
            rule_id: Code::UnpinnedServer.to_string(),
            severity: Code::UnpinnedServer.severity(),
            message: format!(
                "{written} names no {} version: any deploy may run a different one without a rehearsal",
                inst.product.name
            ),
            primary: Label::new(c.span, "admits any version"),
            related: Vec::new(),
            fix: Some(format!(
                "pin the {} version the environments were tested with (e.g. `{}:X.Y.Z`, or at least its major) and upgrade it deliberately",
                inst.product.name, c.name
            )),
            sources: Vec::new(),
            subject: Subject {
                ecosystem: Some(c.ecosystem),
                name: c.name.clone(),
                version: c.version.clone(),
                counterpart: None,
            },
            components: vec![c.id],
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::docker;
    use crate::check::{Context, lint};
    use crate::rule::RuleSet;
    use crate::source::Sources;

    /// What is flagged: no tag, `latest`, a tag without a number; never a numbered tag
    /// (a major only included) or a digest.
    #[test]
    fn only_tags_naming_no_version_are_flagged() {
        let mut rules = RuleSet::default();
        rules
            .add_user_file(
                "rules.toml",
                "[product]\nid = \"mysql\"\nname = \"MySQL\"\ndocker = [\"mysql\"]\n",
            )
            .unwrap();
        let mut sources = Sources::new();
        sources.add("compose.yaml", "");
        let mut pinned_by_digest = docker("mysql", "");
        pinned_by_digest.digest = Some("sha256:0f".into());
        let mut latest_by_digest = docker("mysql", "latest");
        latest_by_digest.digest = Some("sha256:0f".into());
        let comps = vec![
            docker("mysql", ""),
            docker("mysql", "latest"),
            docker("mysql", "oracle"),
            docker("mysql", "8"),
            docker("mysql", "8.0-oracle"),
            docker("mysql", "8.0.36"),
            pinned_by_digest,
            latest_by_digest,
        ];
        let cx = Context::new(&comps, &rules, &sources);
        let flagged: Vec<_> = lint(&cx).into_iter().map(|f| f.message).collect();
        insta::assert_snapshot!(flagged.join("\n"), @r"
        `mysql` (no tag) names no MySQL version: any deploy may run a different one without a rehearsal
        `mysql:latest` names no MySQL version: any deploy may run a different one without a rehearsal
        `mysql:oracle` names no MySQL version: any deploy may run a different one without a rehearsal
        ");
    }
}

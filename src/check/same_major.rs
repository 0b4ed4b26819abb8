//! `same-major`: a client library must have the server's major version (Elastic's
//! clients: "forward compatible within a major, not backward compatible").
//!
//! The server's major comes from its tag (`elasticsearch:8.11.1`, or `8` alone); a tag
//! spanning several majors, or none, says nothing. The client side is tri-state like
//! `client-requires`: a declared range admitting both the right and a wrong major is
//! "may break". Must not: compare minors (the policy's "client minor <= server minor"
//! is a softer rule this kind does not claim).

use super::{
    Context, Evaluation, Instance, Outcome, client_finding, client_versions,
    describe_client_version, major_line, server_label, single_major,
};
use crate::component::{Component, Ecosystem};
use crate::diagnostic::Finding;
use crate::rule::{ClientRef, Rule};
use crate::version::{Scheme, VersionSet, verdict};

pub(super) fn evaluate(
    cx: &Context<'_>,
    rule_index: usize,
    rule: &Rule,
    clients: &[ClientRef],
    out: &mut Vec<Evaluation>,
) {
    // the clients, their rule entry and versions, found once per rule; each server is
    // paired only with the ones that may reach it (the topology's index)
    let mut matched = None;
    for (inst, versions) in cx.known_instances_of(&rule.product) {
        let Some(major) = single_major(versions, Scheme::Dotted) else {
            continue;
        };
        let (matched, reach) = matched.get_or_insert_with(|| {
            let matched: Vec<(usize, &ClientRef, VersionSet)> = cx
                .candidates(clients.iter().map(|r| (r.ecosystem, r.name.as_str())))
                .into_iter()
                .filter_map(|ci| {
                    let c = &cx.components[ci];
                    let client = clients.iter().find(|r| r.matches(c))?;
                    Some((ci, client, client_versions(c).ok()?))
                })
                .collect();
            let indices: Vec<usize> = matched.iter().map(|m| m.0).collect();
            let reach = cx.reach_index(&indices);
            (matched, reach)
        });
        for pos in reach.of(cx, inst.index) {
            let (ci, client, set) = &matched[pos];
            let (ci, client) = (*ci, *client);
            let c = &cx.components[ci];
            let Ok(same) = major_line(Scheme::of(c.ecosystem), major) else {
                continue;
            };
            let outcome = Outcome::within(&verdict(set, &same));
            out.push(Evaluation::new(ci, inst.index, rule_index, outcome, || {
                let mut f = finding(rule, client, c, inst, major, outcome);
                super::apply_mitigations(rule, inst, &mut f);
                f
            }));
        }
    }
}

fn finding(
    rule: &Rule,
    client: &ClientRef,
    c: &Component,
    inst: &Instance<'_>,
    major: u64,
    outcome: Outcome,
) -> Finding {
    let server = inst.describe();
    let version = describe_client_version(c);
    let what = match outcome {
        Outcome::MayBreak => format!("admits majors other than {major}"),
        _ => format!("is not major {major}"),
    };
    let message = format!(
        "{} package `{}` {version} vs {server}: the client {what}; {}",
        c.ecosystem, c.name, rule.summary
    );
    let fix = client.fix.clone().or_else(|| {
        // a Go module's major lives in its path: v8 is a different module
        let go_path = (c.ecosystem == Ecosystem::Go)
            .then(|| c.name.rsplit_once("/v"))
            .flatten()
            .filter(|(_, n)| n.bytes().all(|b| b.is_ascii_digit()));
        Some(match go_path {
            Some((base, _)) => format!(
                "use module `{base}/v{major}`, the server's major version (or change the server to the client's major)"
            ),
            None => format!(
                "use `{}` {major}.x, the server's major version (or change the server to the client's major)",
                c.name
            ),
        })
    });
    Finding {
        related: vec![server_label(inst)],
        fix,
        ..client_finding(rule, c, outcome, message, server, Some(&client.source))
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{component, docker, eval_rules};
    use crate::component::{ComponentKind, Ecosystem};

    const RULE: &str = r#"
[product]
id = "es"
name = "Elasticsearch"
docker = ["elasticsearch"]

[[rule]]
id = "es-client-major"
kind = "same-major"
severity = "error"
summary = "client major must equal server major"
why = "policy"
sources = ["https://example.test/policy"]

[[rule.clients]]
ecosystem = "npm"
name = "@elastic/elasticsearch"
source = "https://example.test/js"

[[rule.clients]]
ecosystem = "go"
name = "github.com/elastic/go-elasticsearch"
source = "https://example.test/go"
"#;

    #[test]
    fn majors_compared() {
        let comps = vec![
            docker("elasticsearch", "8.11.1"),
            component(
                ComponentKind::Package,
                Ecosystem::Npm,
                "@elastic/elasticsearch",
                "7.17.0",
            ),
            component(
                ComponentKind::Package,
                Ecosystem::Npm,
                "@elastic/elasticsearch",
                "^8.1.0",
            ),
            component(
                ComponentKind::Package,
                Ecosystem::Npm,
                "@elastic/elasticsearch",
                ">=7.10.0",
            ),
            component(
                ComponentKind::Package,
                Ecosystem::Go,
                "github.com/elastic/go-elasticsearch/v7",
                "v7.17.10",
            ),
        ];
        let out = eval_rules(RULE, &comps);
        insta::assert_snapshot!(out);
    }

    #[test]
    fn server_tag_without_one_major_is_skipped() {
        let comps = vec![
            docker("elasticsearch", "latest"),
            component(
                ComponentKind::Package,
                Ecosystem::Npm,
                "@elastic/elasticsearch",
                "7.17.0",
            ),
        ];
        assert_eq!(eval_rules(RULE, &comps), "");
    }
}

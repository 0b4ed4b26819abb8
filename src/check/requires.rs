//! `client-requires`: when a server runs an affected version, each listed client package
//! must be in its range (or, with `requires = "none"`, must be replaced).
//!
//! Tri-state on both sides: a server tag that admits affected and unaffected versions
//! (`mysql:8` admits 8.0.0..8.0.3 too) and a client range that admits working and failing
//! versions both lower the verdict to "may break" (a warning naming what still fails).

use super::{
    Context, Evaluation, Instance, Outcome, client_finding, client_verdict, client_versions,
    describe_client_version, is_named, server_label,
};
use crate::diagnostic::{Finding, Label};
use crate::rule::{ClientRequirement, Rule};
use crate::version::{Verdict, VersionError, VersionSet};

pub(super) fn evaluate(
    cx: &Context<'_>,
    rule_index: usize,
    rule: &Rule,
    server: &VersionSet,
    clients: &[ClientRequirement],
    out: &mut Vec<Evaluation>,
) {
    // a client's verdict depends on the client and the rule, not on the server: judged
    // once per rule (on the first server that needs it), not once per (server, client)
    // pair, so a repository of N services each running its own server costs N client
    // judgements here, not N² (issue #13: own-200 made 80,200 verdicts, now 400)
    // and only the clients that may reach a server are paired with it (the topology's
    // index), so N services each with their own server make N pairs, not N²
    let mut judged = None;
    for (inst, _) in cx.known_instances_of(&rule.product) {
        let Some(server_verdict) = inst.verdict(server) else {
            continue;
        };
        if server_verdict == Verdict::Never {
            continue;
        }
        let (judged, reach) = judged.get_or_insert_with(|| {
            let judged = judge_clients(cx, clients);
            let indices: Vec<usize> = judged.iter().map(|j| j.0).collect();
            let reach = cx.reach_index(&indices);
            (judged, reach)
        });
        for pos in reach.of(cx, inst.index) {
            let (ci, req, client_verdict) = &judged[pos];
            let (ci, req) = (*ci, *req);
            let outcome = match (&server_verdict, client_verdict) {
                (_, Verdict::Always) => Outcome::Ok,
                (Verdict::Always, Verdict::Never) => Outcome::Breaks,
                _ => Outcome::MayBreak,
            };
            out.push(Evaluation::new(ci, inst.index, rule_index, outcome, || {
                let mut f = finding(
                    cx,
                    rule,
                    req,
                    ci,
                    inst,
                    outcome,
                    &server_verdict,
                    client_verdict,
                );
                super::apply_mitigations(rule, inst, &mut f);
                f
            }));
        }
    }
}

/// Every component named by one of `clients`, with the requirement that names it and how
/// its versions relate to that requirement; components whose version cannot be judged
/// (git URLs, workspace links, invalid text) are left out, as before, unless no release
/// satisfies the requirement at all (then whatever the component is, it fails).
fn judge_clients<'r>(
    cx: &Context<'_>,
    clients: &'r [ClientRequirement],
) -> Vec<(usize, &'r ClientRequirement, Verdict)> {
    let mut judged = Vec::new();
    for ci in cx.candidates(clients.iter().map(|r| (r.ecosystem, r.name.as_str()))) {
        let c = &cx.components[ci];
        let Some(req) = clients.iter().find(|r| is_named(c, r.ecosystem, &r.name)) else {
            continue;
        };
        let verdict = match client_versions(c) {
            Ok(set) => client_verdict(c, &set, &req.requires),
            Err(_) if req.requires.is_empty() => Verdict::Never,
            Err(VersionError::Unknown(_)) | Err(VersionError::Invalid(_)) => continue,
        };
        judged.push((ci, req, verdict));
    }
    judged
}

#[allow(clippy::too_many_arguments)]
fn finding(
    cx: &Context<'_>,
    rule: &Rule,
    req: &ClientRequirement,
    ci: usize,
    inst: &Instance<'_>,
    outcome: Outcome,
    server_verdict: &Verdict,
    client_verdict: &Verdict,
) -> Finding {
    let c = &cx.components[ci];
    let server = inst.describe();
    let version = describe_client_version(c);
    // what the client is: a package of its ecosystem, an image, a pinned runtime
    let what = match c.ecosystem {
        crate::component::Ecosystem::Docker => "docker image".to_string(),
        crate::component::Ecosystem::Runtime => "runtime".to_string(),
        e => format!("{e} package"),
    };
    let mut message = format!(
        "{what} `{}` {version} vs {server}: {}",
        c.name, rule.summary
    );
    if let Verdict::May { failing } = client_verdict {
        message.push_str(&format!(" (the declared range still admits {failing})"));
    }
    if let Verdict::May { failing } = server_verdict {
        let tag = inst.component.version.as_deref().unwrap_or_default();
        message.push_str(&if tag.is_empty() {
            " (the image has no tag: it admits affected versions)".to_string()
        } else if inst.newest {
            let from = failing
                .min_version()
                .map_or_else(|| failing.to_string(), ToString::to_string);
            format!(" (`{tag}` runs the newest release of its line, affected only below {from})")
        } else {
            format!(" (the server tag `{tag}` admits affected versions)")
        });
    }
    let fix = req.fix.clone().or_else(|| {
        if req.requires.is_empty() {
            Some(format!("replace `{}`: no release supports this", c.name))
        } else {
            Some(format!("upgrade `{}` to {}", c.name, req.requires_text))
        }
    });
    let mut related = vec![server_label(inst)];
    if let Some(span) = c.resolved_span
        && span.file != c.span.file
    {
        related.push(Label::new(
            span,
            format!(
                "`{}` is locked at {}",
                c.name,
                c.resolved.as_deref().unwrap_or("?")
            ),
        ));
    }
    Finding {
        related,
        fix,
        ..client_finding(rule, c, outcome, message, server, Some(&req.source))
    }
}

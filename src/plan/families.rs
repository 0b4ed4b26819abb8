//! One finding per real problem: the findings of one rule family for one client
//! collapse into one that lists the server versions the client fails on, and a finding
//! repeated word for word at one place (two compose services running one anchored image
//! line) is reported once.
//!
//! A family is a set of rules of one product whose ids differ only in a trailing version
//! (`mongodb-driver-compat-6-0`, `-7-0`, `-8-0`: one vendor table, one rule per server
//! series). An untagged `mongo` admits every series, so without this one driver line
//! would get one warning per series. Must not: drop a finding's labels or sources, or
//! merge findings of different clients or different families.

use crate::check::single_minor;
use crate::diagnostic::Finding;
use crate::rule::{RuleKind, RuleSet};
use crate::version::Scheme;

/// A family name and the `(rule id, server series)` merged into one finding.
type Merged = (String, Vec<(String, String)>);

/// Collapse each family's findings on one client line into the most severe of them, with
/// the other members' server series, labels and sources added. Order is kept.
pub fn collapse(findings: Vec<Finding>, rules: &RuleSet) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    // per kept finding: (family, rule ids merged into it with their series)
    let mut merged: Vec<Option<Merged>> = Vec::new();
    for f in findings {
        // the same finding twice (two services running one anchored image line, `b: *a`):
        // one finding, with the related locations of both
        if let Some(kept) = out.iter_mut().find(|o| {
            o.rule_id == f.rule_id && o.primary.span == f.primary.span && o.message == f.message
        }) {
            for l in f.related {
                if !kept.related.contains(&l) {
                    kept.related.push(l);
                }
            }
            continue;
        }
        let Some((family, series)) = family_of(&f.rule_id, rules) else {
            out.push(f);
            merged.push(None);
            continue;
        };
        let same = out.iter().zip(&merged).position(|(o, m)| {
            m.as_ref().is_some_and(|(fam, _)| *fam == family) && same_client(o, &f)
        });
        match same {
            Some(i) => {
                let (_, members) = merged[i].as_mut().expect("family");
                members.push((f.rule_id.clone(), series));
                let kept = &mut out[i];
                let f = if f.severity > kept.severity {
                    std::mem::replace(kept, f)
                } else {
                    f
                };
                for l in f.related {
                    if !kept.related.contains(&l) {
                        kept.related.push(l);
                    }
                }
                for s in f.sources {
                    if !kept.sources.contains(&s) {
                        kept.sources.push(s);
                    }
                }
                for id in f.components {
                    if !kept.components.contains(&id) {
                        kept.components.push(id);
                    }
                }
            }
            None => {
                merged.push(Some((family, vec![(f.rule_id.clone(), series)])));
                out.push(f);
            }
        }
    }
    for (f, m) in out.iter_mut().zip(merged) {
        let Some((_, mut members)) = m else { continue };
        if members.len() < 2 {
            continue;
        }
        members.sort_by_key(|a| version_key(&a.1));
        let product = rules
            .rule(&f.rule_id)
            .and_then(|r| rules.product(&r.product))
            .map_or(String::new(), |p| format!("{} ", p.name));
        let series: Vec<&str> = members.iter().map(|(_, s)| s.as_str()).collect();
        let ids: Vec<String> = members.iter().map(|(id, _)| format!("`{id}`")).collect();
        f.message.push_str(&format!(
            "; the same holds for every server series it may run: fails on {product}{} ({})",
            series.join(", "),
            ids.join(", ")
        ));
    }
    out
}

/// Are two findings about one client? The component each names first (the client) by
/// id; where the point of a finding is when neither names one.
fn same_client(a: &Finding, b: &Finding) -> bool {
    match (a.components.first(), b.components.first()) {
        (Some(x), Some(y)) => x == y,
        (None, None) => a.primary.span == b.primary.span && a.subject.name == b.subject.name,
        _ => false,
    }
}

/// The family of a rule and the server series it checks (`8.0`), when the rule is a
/// `client-requires` rule of a family with at least two members in the rule set.
fn family_of(id: &str, rules: &RuleSet) -> Option<(String, String)> {
    let family = stem(id)?;
    let rule = rules.rule(id)?;
    let RuleKind::ClientRequires { server, .. } = &rule.kind else {
        return None;
    };
    let members = rules
        .rules
        .iter()
        .filter(|r| r.product == rule.product && stem(&r.id) == Some(family))
        .count();
    if members < 2 {
        return None;
    }
    let series = match single_minor(server, Scheme::Dotted) {
        Some((major, minor)) => format!("{major}.{minor}"),
        None => server.to_string(),
    };
    Some((family.to_string(), series))
}

/// `mongodb-driver-compat-8-0` -> `mongodb-driver-compat`; `None` without a trailing
/// version.
fn stem(id: &str) -> Option<&str> {
    let mut end = id.len();
    while let Some((head, tail)) = id[..end].rsplit_once('-') {
        if tail.is_empty() || !tail.bytes().all(|b| b.is_ascii_digit()) {
            break;
        }
        end = head.len();
    }
    let stem = &id[..end];
    (end < id.len() && !stem.bytes().all(|b| b.is_ascii_digit())).then_some(stem)
}

/// Sort `6.0` before `10.0`.
fn version_key(series: &str) -> Vec<u64> {
    series
        .split('.')
        .map(|p| p.parse().unwrap_or(u64::MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_strip_trailing_versions_only() {
        assert_eq!(
            stem("mongodb-driver-compat-8-0"),
            Some("mongodb-driver-compat")
        );
        assert_eq!(stem("postgres-scram-sha-256"), Some("postgres-scram-sha"));
        assert_eq!(stem("mysql-caching-sha2-password"), None);
        assert_eq!(stem("8-0"), None);
    }
}

//! `untested-upgrade`: the golden rule of the 2023-06-03 postmortem — validate every change
//! in a test environment first. When an environment later in the promotion order runs a
//! product at a version above every version the earlier environments run, that version
//! reaches it untested. Being *behind* (staging already on the next version) is the normal
//! state of a promotion and is not flagged.

use crate::check::{Context, Scenario};
use crate::config::Config;
use crate::diagnostic::{Finding, Label, Severity, Subject};
use crate::rule::RuleSet;
use crate::scan::Inventory;
use crate::version::VersionSet;

pub const CODE: &str = "untested-upgrade";

pub fn check(
    inv: &Inventory,
    rules: &RuleSet,
    config: &Config,
    scenario: &Scenario,
) -> Vec<Finding> {
    let cx = Context::with_scenario(&inv.components, rules, &inv.sources, scenario);
    let ranked: Vec<(usize, usize)> = config
        .environments
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.rank.map(|r| (i, r)))
        .collect();
    let rank_of = |env: usize| ranked.iter().find(|(i, _)| *i == env).map(|(_, r)| *r);
    let mut out = Vec::new();
    for inst in &cx.instances {
        let Ok(versions) = &inst.versions else {
            continue;
        };
        for &env in &cx.environments[inst.index] {
            let Some(rank) = rank_of(env) else { continue };
            // what the earlier environments run of the same product
            let earlier: Vec<_> = cx
                .instances
                .iter()
                .filter(|o| o.product.id == inst.product.id)
                .filter(|o| {
                    cx.environments[o.index]
                        .iter()
                        .any(|e| rank_of(*e).is_some_and(|r| r < rank))
                })
                .filter_map(|o| o.versions.as_ref().ok().map(|v| (o, v)))
                .collect();
            if earlier.is_empty() {
                continue;
            }
            let tested = earlier
                .iter()
                .fold(VersionSet::empty(), |acc, (_, v)| acc.union(v));
            if versions.intersect(&tested.above_all()).is_empty() {
                continue;
            }
            let name = &config.environments[env].name;
            let earlier_names: Vec<String> = earlier
                .iter()
                .flat_map(|(o, _)| cx.environments[o.index].iter())
                .filter(|e| rank_of(**e).is_some_and(|r| r < rank))
                .map(|e| config.environments[*e].name.clone())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            out.push(Finding {
                rule_id: CODE.into(),
                severity: Severity::Error,
                message: format!(
                    "{name} runs {}, newer than anything {} runs ({tested}): the upgrade would reach {name} without a rehearsal",
                    inst.describe(),
                    earlier_names.join(" or ")
                ),
                primary: Label::new(inst.component.span, format!("{name} runs this")),
                related: earlier
                    .iter()
                    .map(|(o, _)| {
                        Label::new(o.component.span, format!("{} runs this", env_names(config, &cx.environments[o.index])))
                    })
                    .collect(),
                fix: Some(format!(
                    "roll the new {} version out to {} first, or keep {name} on a tested version",
                    inst.product.name,
                    earlier_names.join(" and ")
                )),
                sources: Vec::new(),
                subject: Subject {
                    ecosystem: Some(inst.component.ecosystem),
                    name: inst.product.id.clone(),
                    version: inst.component.version.clone(),
                    counterpart: Some(name.clone()),
                },
            });
        }
    }
    out
}

fn env_names(config: &Config, envs: &[usize]) -> String {
    envs.iter()
        .map(|e| config.environments[*e].name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

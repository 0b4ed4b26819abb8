//! `untested-upgrade`: the golden rule of the 2023-06-03 postmortem — validate every change
//! in a test environment first. When an environment later in the promotion order runs a
//! product at a version above every version the earlier environments run, that version
//! reaches it untested. Being *behind* (staging already on the next version) is the normal
//! state of a promotion and is not flagged.

//!
//! Evaluated in the same pass as the rule kinds, over the same instances; a no-op unless
//! `skew.toml` ranks its environments (the plan puts them in [`Scenario::environment_names`]
//! and [`Scenario::ranks`]).

use super::Context;
#[cfg(doc)]
use super::Scenario;
use crate::diagnostic::{Code, Finding, Label, Subject};
use crate::version::VersionSet;

pub(super) fn lint(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let rank_of = |env: usize| cx.ranks.get(env).copied().flatten();
    let env_name = |env: usize| cx.environment_names[env].as_str();
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
            let name = env_name(env);
            let earlier_names: Vec<String> = earlier
                .iter()
                .flat_map(|(o, _)| cx.environments[o.index].iter())
                .filter(|e| rank_of(**e).is_some_and(|r| r < rank))
                .map(|e| env_name(*e).to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            out.push(Finding {
                rule_id: Code::UntestedUpgrade.to_string(),
                severity: Code::UntestedUpgrade.severity(),
                message: format!(
                    "{name} runs {}, newer than anything {} runs ({tested}): the upgrade would reach {name} without a rehearsal",
                    inst.describe(),
                    earlier_names.join(" or ")
                ),
                primary: Label::new(inst.component.span, format!("{name} runs this")),
                related: earlier
                    .iter()
                    .map(|(o, _)| {
                        Label::new(o.component.span, format!("{} runs this", env_names(cx, &cx.environments[o.index])))
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
                    counterpart: Some(name.to_string()),
                },
                components: std::iter::once(inst.component.id)
                    .chain(earlier.iter().map(|(o, _)| o.component.id))
                    .collect(),
            });
        }
    }
}

fn env_names(cx: &Context<'_>, envs: &[usize]) -> String {
    envs.iter()
        .map(|e| cx.environment_names[*e].as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

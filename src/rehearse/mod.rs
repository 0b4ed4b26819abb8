//! Rehearsal: check the repository as it *would* be — with upgraded servers (`what-if`,
//! `--assume`), per environment, against a baseline or an earlier revision — so the
//! upgrade that caused the 2023-06-03 outage is caught before it reaches production.
//!
//! This module prepares scenarios (declared and assumed servers, environment membership)
//! and compares finding sets; the checks themselves stay in `check/`. Must not render.

pub mod baseline;
pub mod since;
pub mod whatif;

use std::collections::HashMap;

use crate::check::{Assumption, Scenario};
use crate::component::{Component, ComponentId, ComponentKind, Ecosystem};
use crate::config::Config;
use crate::rule::RuleSet;
use crate::scan::Inventory;

/// Why a scenario cannot be set up (exit code 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    UnknownProduct { product: String, known: Vec<String> },
    UnknownEnvironment { name: String, known: Vec<String> },
    BadAssumption(String),
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::UnknownProduct { product, known } => write!(
                f,
                "unknown product `{product}` (known products: {})",
                known.join(", ")
            ),
            PlanError::UnknownEnvironment { name, known } if known.is_empty() => write!(
                f,
                "unknown environment `{name}`: no environments are configured (see skew.toml)"
            ),
            PlanError::UnknownEnvironment { name, known } => write!(
                f,
                "unknown environment `{name}` (configured: {})",
                known.join(", ")
            ),
            PlanError::BadAssumption(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for PlanError {}

/// `PRODUCT=VERSION`, as `--assume` and `--upgrade` take it.
pub fn parse_assumption(s: &str) -> Result<Assumption, String> {
    let (product, version) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not PRODUCT=VERSION (e.g. mysql=8.4.0)"))?;
    let (product, version) = (product.trim(), version.trim());
    if product.is_empty() || version.is_empty() {
        return Err(format!("`{s}` is not PRODUCT=VERSION (e.g. mysql=8.4.0)"));
    }
    crate::version::parse_version(crate::version::Scheme::Dotted, version)
        .map_err(|e| format!("`{version}`: {e}"))?;
    Ok(Assumption {
        product: product.to_string(),
        version: version.to_string(),
    })
}

/// The scenario over an inventory, which stays untouched: the servers `skew.toml`
/// declares, a stand-in for each assumed product the repository does not mention (both
/// in files of the scenario's own), environment membership by component id, and, when
/// `env` is given, the components outside that environment.
pub fn prepare(
    inv: &Inventory,
    rules: &RuleSet,
    config: Option<&Config>,
    env: Option<&str>,
    assumptions: &[Assumption],
) -> Result<Scenario, PlanError> {
    let known = || rules.products.iter().map(|p| p.id.clone()).collect();
    for a in assumptions {
        if rules.product(&a.product).is_none() {
            return Err(PlanError::UnknownProduct {
                product: a.product.clone(),
                known: known(),
            });
        }
    }
    let mut scenario = Scenario::bare(inv, rules);
    // declared servers, each pinned to its environment (by index into `extra`)
    let mut declared_env: Vec<(usize, usize)> = Vec::new();
    if let Some(config) = config {
        let declares = config.environments.iter().any(|e| !e.servers.is_empty());
        if declares {
            let file = match inv.sources.by_path(&config.path) {
                Some(f) => f.id,
                None => scenario
                    .sources
                    .add(config.path.clone(), config.text.clone()),
            };
            for (ei, e) in config.environments.iter().enumerate() {
                for s in &e.servers {
                    if rules.product(&s.product).is_none() {
                        return Err(PlanError::UnknownProduct {
                            product: s.product.clone(),
                            known: known(),
                        });
                    }
                    let span = scenario.sources(inv).file(file).span(s.span.0, s.span.1);
                    let c = Component::new(
                        ComponentKind::Server,
                        Ecosystem::Managed,
                        s.product.clone(),
                        Some(s.version.clone()),
                        span,
                    )
                    .group(e.name.clone());
                    declared_env.push((scenario.extra.len(), ei));
                    scenario.extra.push(c);
                }
            }
        }
    }
    // assumed products nothing in the repository runs yet: a stand-in to check against
    let missing: Vec<_> = assumptions
        .iter()
        .filter(|a| {
            let p = rules.product(&a.product).expect("validated above");
            !inv.components
                .iter()
                .chain(&scenario.extra)
                .any(|c| p.matches(c))
        })
        .collect();
    if !missing.is_empty() {
        let text: String = missing
            .iter()
            .map(|a| format!("{}={}\n", a.product, a.version))
            .collect();
        let file = scenario.sources.add("(assumed)", text);
        let mut at = 0;
        for a in missing {
            let start = at + a.product.len() + 1;
            let span = scenario
                .sources
                .get(file)
                .span(start, start + a.version.len());
            scenario.extra.push(Component::new(
                ComponentKind::Server,
                Ecosystem::Managed,
                a.product.clone(),
                Some(a.version.clone()),
                span,
            ));
            at = start + a.version.len() + 1;
        }
    }
    crate::component::number(&mut scenario.extra);
    // the assumed versions, by the id of every instance they replace (stand-ins too)
    let mut substituted = Scenario::default();
    substituted.substitute(
        inv.components.iter().chain(&scenario.extra),
        rules,
        assumptions,
    );
    scenario.substitutions = substituted.substitutions;
    scenario.assumptions = substituted.assumptions;
    let mut environments: HashMap<ComponentId, Vec<usize>> = HashMap::new();
    if let Some(cfg) = config.filter(|c| !c.environments.is_empty()) {
        let view = scenario.sources(inv);
        for c in inv.components.iter().chain(&scenario.extra) {
            let envs = cfg.environments_of(view.path(c.span.file));
            if !envs.is_empty() {
                environments.insert(c.id, envs);
            }
        }
    }
    for (i, ei) in declared_env {
        environments.insert(scenario.extra[i].id, vec![ei]);
    }
    if let Some(name) = env {
        let cfg_envs: Vec<String> = config
            .map(|c| c.environments.iter().map(|e| e.name.clone()).collect())
            .unwrap_or_default();
        let Some(wanted) = config.and_then(|c| c.environment(name)) else {
            return Err(PlanError::UnknownEnvironment {
                name: name.to_string(),
                known: cfg_envs,
            });
        };
        scenario.left_out = environments
            .iter()
            .filter(|(_, e)| !e.contains(&wanted))
            .map(|(id, _)| *id)
            .collect();
        environments.retain(|id, _| !scenario.left_out.contains(id));
    }
    scenario.environments = environments;
    scenario.environment_names = config
        .map(|c| c.environments.iter().map(|e| e.name.clone()).collect())
        .unwrap_or_default();
    scenario.ranks = config
        .map(|c| c.environments.iter().map(|e| e.rank).collect())
        .unwrap_or_default();
    Ok(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assumptions_parse() {
        assert_eq!(
            parse_assumption("mysql=8.4.0").unwrap(),
            Assumption {
                product: "mysql".into(),
                version: "8.4.0".into()
            }
        );
        assert!(parse_assumption("mysql").is_err());
        assert!(parse_assumption("=8").is_err());
        assert!(parse_assumption("mysql=eight").is_err());
    }

    /// `--assume` and what-if are substitutions by component id over the untouched
    /// inventory: every instance of the product (and the stand-in for a product the
    /// repository does not run) is listed by id, and the check reads the version through
    /// that id only, so a scenario may move one instance and leave its twin.
    #[test]
    fn assumptions_are_substitutions_by_component_id() {
        let inv = crate::scan::scan_texts(
            std::path::Path::new("."),
            vec![
                (
                    "a/docker-compose.yml".into(),
                    "services:\n  db:\n    image: mysql:8.0.36\n".into(),
                ),
                (
                    "b/docker-compose.yml".into(),
                    "services:\n  db:\n    image: mysql:8.0.36\n".into(),
                ),
            ],
        );
        let rules = RuleSet::builtin().unwrap();
        let assume = |s: &str| parse_assumption(s).unwrap();
        let assumptions = [assume("mysql=8.4.0"), assume("postgres=16.2")];
        let mut scenario = prepare(&inv, &rules, None, None, &assumptions).unwrap();
        let dbs: Vec<ComponentId> = inv
            .components
            .iter()
            .filter(|c| c.name == "mysql")
            .map(|c| c.id)
            .collect();
        assert_eq!(dbs.len(), 2);
        // the stand-in for postgres, in the scenario's own `(assumed)` file
        assert_eq!(scenario.extra.len(), 1);
        let stand_in = scenario.extra[0].id;
        let mut expected: Vec<(ComponentId, &str)> =
            vec![(dbs[0], "8.4.0"), (dbs[1], "8.4.0"), (stand_in, "16.2")];
        expected.sort();
        let mut got: Vec<(ComponentId, &str)> = scenario
            .substitutions
            .iter()
            .map(|(id, v)| (*id, v.as_str()))
            .collect();
        got.sort();
        assert_eq!(got, expected);
        // the inventory still declares what the scan read
        assert!(
            inv.components
                .iter()
                .filter(|c| c.name == "mysql")
                .all(|c| c.version.as_deref() == Some("8.0.36"))
        );

        // one instance moved, its twin left as declared: read by id, not by product
        scenario.substitutions.remove(&dbs[1]);
        let components = scenario.components(&inv);
        let cx = crate::check::Context::with_scenario(
            components.iter().copied(),
            &rules,
            scenario.sources(&inv),
            &scenario,
        );
        let assumed = |id: ComponentId| {
            cx.instances
                .iter()
                .find(|i| i.component.id == id)
                .map(|i| i.assumed.clone())
        };
        assert_eq!(assumed(dbs[0]), Some(Some("8.4.0".to_string())));
        assert_eq!(assumed(dbs[1]), Some(None));
        assert_eq!(assumed(stand_in), Some(Some("16.2".to_string())));
    }
}

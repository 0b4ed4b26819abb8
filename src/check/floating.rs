//! `unpinned-server`: a server image whose tag does not pin a version (none, `latest`, a
//! major only such as `mysql:8`) can be upgraded by any deploy, without a rehearsal —
//! exactly how the 2023-06-03 outage reached production. Rules are still evaluated
//! against every version the tag admits ("may break"); this check says why that is.
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
        let tag = c.version.as_deref().unwrap_or("");
        let admits = match &inst.versions {
            Ok(set) => set.to_string(),
            Err(_) => "any version".to_string(),
        };
        let written = if tag.is_empty() {
            format!("`{}` (no tag)", c.name)
        } else {
            format!("`{}:{tag}`", c.name)
        };
        out.push(Finding {
            rule_id: Code::UnpinnedServer.to_string(),
            severity: Code::UnpinnedServer.severity(),
            message: format!(
                "{written} does not pin a {} version: any deploy may run a different one without a rehearsal (the tag admits {admits})",
                inst.product.name
            ),
            primary: Label::new(c.span, format!("admits {admits}")),
            related: Vec::new(),
            fix: Some(format!(
                "pin the exact {} version the environments were tested with (e.g. `{}:X.Y.Z`) and upgrade it deliberately",
                inst.product.name, c.name
            )),
            sources: Vec::new(),
            subject: Subject {
                ecosystem: Some(c.ecosystem),
                name: c.name.clone(),
                version: c.version.clone(),
                counterpart: None,
            },
        });
    }
}

//! `unknown-version` for a Helm chart dependency that deploys a product skew knows
//! (`postgresql` from a chart repository) at a version the repository does not say: the
//! dependency is not vendored under `charts/` (where its `appVersion` would say) and the
//! parent's `values.yaml` pins no numbered image tag for it (`scan::helm_deps`). The
//! dependency's `version` is the chart's, not PostgreSQL's, so no rule is checked
//! against it; this note says so and how to make the version known. Dependencies no
//! rule file names (a library chart such as `common`) say nothing.

use super::Context;
use crate::component::{ComponentKind, Ecosystem};
use crate::diagnostic::{Code, Finding, Label, Subject};

pub(super) fn lint(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for inst in &cx.instances {
        let c = inst.component;
        // a chart's own `appVersion` always has a version: only a dependency has none
        if c.ecosystem != Ecosystem::Helm
            || c.kind != ComponentKind::Server
            || c.version.is_some()
            || inst.assumed.is_some()
        {
            continue;
        }
        let key = c.group.as_deref().unwrap_or(&c.name);
        let product = &inst.product.name;
        out.push(Finding {
            rule_id: Code::UnknownVersion.to_string(),
            severity: Code::UnknownVersion.severity(),
            message: format!(
                "chart dependency `{}` deploys {product}, at a version the repository does not say: it is not vendored under `charts/` and `values.yaml` pins no `{key}.image.tag`; its `version` is the chart's, not {product}'s, so no rule checks it",
                c.name
            ),
            primary: Label::new(c.span, format!("runs {product} of unknown version")),
            related: Vec::new(),
            fix: Some(format!(
                "run `helm dependency build` and commit `charts/` (the archive's `appVersion` is the {product} version that runs), or pin `{key}.image.tag` in `values.yaml`"
            )),
            sources: vec![
                "https://helm.sh/docs/topics/charts/#chart-dependencies".into(),
                "https://helm.sh/docs/helm/helm_dependency_build/".into(),
            ],
            subject: Subject {
                ecosystem: Some(c.ecosystem),
                name: c.name.clone(),
                version: None,
                counterpart: None,
            },
            components: vec![c.id],
        });
    }
}

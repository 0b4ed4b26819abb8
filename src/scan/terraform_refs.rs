//! Terraform `local.x` and `var.x` across the files of one module: Terraform reads every
//! `.tf` file of a folder as one module, so `kubernetes_version = local.kubernetes_version`
//! in `main.tf` takes the literal a `locals` block of `versions.tf` sets (or a
//! `variable`'s `default`), and the version is blamed on that literal.
//!
//! The Terraform extractor resolved what one file says and recorded each reference it
//! could not resolve as a [`UnitFact::TerraformRef`], and each file's literal locals and
//! defaults as a [`UnitFact::TerraformValues`]. This step looks each reference up in the
//! other `.tf` files of the folder. A `var.x` the module leaves open is set by its
//! callers: each `module` block of the tree whose `source` is that folder (recorded as a
//! [`UnitFact::TerraformModuleCall`]) and passes `x` makes one more component, at the
//! call's input (the eks module's own examples call it as `source = "../.."`). One still
//! unresolved gets an `unknown-version` note (a variable without a literal default is
//! set by a caller outside the tree or a `.tfvars` file, which skew does not read).
//! Must not: read `.tfvars` files, follow registry modules, or evaluate expressions.

use std::collections::HashMap;

use super::{Inventory, dir_of, join_dir};
use crate::component::{Component, TerraformModuleCall, UnitFact};
use crate::diagnostic::{Code, Finding, Label, Subject};
use crate::extract::terraform::reshape;
use crate::source::{FileId, Span};

pub(super) fn resolve(inv: &mut Inventory) {
    if !inv
        .units
        .iter()
        .any(|f| matches!(f, UnitFact::TerraformRef { .. }))
    {
        return;
    }
    // per module folder: (file, locals, variables)
    let mut by_dir: HashMap<&str, Vec<(FileId, Literals<'_>, Literals<'_>)>> = HashMap::new();
    // per called folder: (calling folder, the call)
    let mut calls: HashMap<String, Vec<(&str, &TerraformModuleCall)>> = HashMap::new();
    for fact in &inv.units {
        match fact {
            UnitFact::TerraformValues {
                file,
                locals,
                variables,
            } => by_dir
                .entry(dir_of(&inv.sources.get(*file).path))
                .or_default()
                .push((*file, locals, variables)),
            UnitFact::TerraformModuleCall(call) => {
                let from = dir_of(&inv.sources.get(call.span.file).path);
                if let Some(target) = join_dir(from, &call.source) {
                    calls.entry(target).or_default().push((from, call));
                }
            }
            _ => {}
        }
    }
    let lookup = |dir: &str, file: FileId, reference: &str| -> Option<(String, Span)> {
        let (root, name) = reference.split_once('.')?;
        by_dir.get(dir).into_iter().flatten().find_map(|(f, l, v)| {
            if *f == file {
                return None;
            }
            let list = if root == "local" { l } else { v };
            list.iter()
                .find(|(n, _, _)| n == name)
                .map(|(_, t, s)| reshape(t, *s))
        })
    };
    // the component each reference was pushed for: the first without a version at its span
    let mut unversioned: HashMap<Span, usize> = HashMap::new();
    for (i, c) in inv.components.iter().enumerate() {
        if c.version.is_none() {
            unversioned.entry(c.span).or_insert(i);
        }
    }
    let mut notes = Vec::new();
    let mut added = Vec::new();
    for fact in &inv.units {
        let UnitFact::TerraformRef {
            component,
            reference,
        } = fact
        else {
            continue;
        };
        let dir = dir_of(&inv.sources.get(component.file).path);
        let found = lookup(dir, component.file, reference);
        let Some(c) = unversioned
            .get(component)
            .map(|&i| &mut inv.components[i])
            .filter(|c| c.version.is_none())
        else {
            continue;
        };
        if let Some((text, span)) = found {
            c.version = Some(text);
            c.span = span;
            continue;
        }
        // a variable its callers in the tree set: one server per call, blamed there
        let callers: Vec<_> = reference
            .strip_prefix("var.")
            .map(|name| {
                calls
                    .get(dir)
                    .into_iter()
                    .flatten()
                    .filter_map(|(from, call)| {
                        let input = call.inputs.iter().find(|(n, ..)| n == name)?;
                        Some((*from, *call, input))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if callers.is_empty() {
            notes.push(unknown(c, *component, reference, dir));
            continue;
        }
        for (from, call, (_, text, span, input_ref)) in callers {
            let value = match (text, input_ref) {
                (Some(t), _) => Some(reshape(t, *span)),
                (None, Some(r)) => lookup(from, span.file, r),
                (None, None) => None,
            };
            match (value, input_ref) {
                (Some((text, span)), _) => {
                    let mut instance = c.clone();
                    instance.version = Some(text);
                    instance.span = span;
                    instance.group = Some(call.group.clone());
                    added.push(instance);
                }
                (None, Some(r)) => notes.push(unknown(c, *span, r, from)),
                (None, None) => {}
            }
        }
    }
    inv.components.extend(added);
    inv.problems.extend(notes);
}

type Literals<'a> = &'a [(String, String, Span)];

/// The `unknown-version` note for component `c` whose version is `reference` (written
/// at `at`) in module folder `dir`.
fn unknown(c: &Component, at: Span, reference: &str, dir: &str) -> Finding {
    let (root, name) = reference.split_once('.').unwrap_or(("var", reference));
    let what = format!("the `{}` version", c.name);
    let folder = if dir.is_empty() { "." } else { dir };
    let (why, fix) = if root == "local" {
        (
            format!("which no `.tf` file of `{folder}` sets to a literal"),
            format!(
                "write the version as a literal (`{name} = \"X.Y\"` in `locals`) so it is in the repository"
            ),
        )
    } else {
        (
            format!(
                "whose `variable \"{name}\"` has no literal `default` in the `.tf` files of `{folder}` (the module's caller or a `.tfvars` file sets it, which skew does not read)"
            ),
            format!(
                "give `variable \"{name}\"` a literal `default`, or check the configuration that sets it"
            ),
        )
    };
    Finding {
        rule_id: Code::UnknownVersion.as_str().into(),
        severity: Code::UnknownVersion.severity(),
        message: format!(
            "{what} is `{reference}`, {why}: the version is unknown and no rule checks it"
        ),
        primary: Label::new(at, "not a literal in this module"),
        related: Vec::new(),
        fix: Some(fix),
        sources: vec![
            "https://developer.hashicorp.com/terraform/language/values/locals".into(),
            "https://developer.hashicorp.com/terraform/language/values/variables".into(),
        ],
        subject: Subject {
            ecosystem: Some(c.ecosystem),
            name: c.name.clone(),
            version: None,
            counterpart: None,
        },
        components: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::scan::scan_texts;

    /// `(name, version, path:line)` of every component, and the notes' messages.
    fn scan(files: &[(&str, &str)]) -> (Vec<String>, Vec<String>) {
        let inv = scan_texts(
            std::path::Path::new("."),
            files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect(),
        );
        let components = inv
            .components
            .iter()
            .map(|c| {
                let at = inv.sources.location(c.span);
                format!(
                    "{} {} {}:{}",
                    c.name,
                    c.version.as_deref().unwrap_or("-"),
                    inv.sources.get(c.span.file).path,
                    at.line
                )
            })
            .collect();
        (
            components,
            inv.problems.iter().map(|p| p.message.clone()).collect(),
        )
    }

    const EKS: &str = "module \"eks\" {\n  source             = \"terraform-aws-modules/eks/aws\"\n  kubernetes_version = local.kubernetes_version\n}\n";

    #[test]
    fn a_local_of_the_same_file_resolves_and_is_blamed_where_it_is_written() {
        let main = format!("locals {{\n  kubernetes_version = \"1.33\"\n}}\n\n{EKS}");
        let (components, notes) = scan(&[("infra/main.tf", &main)]);
        assert_eq!(components, vec!["kubernetes 1.33 infra/main.tf:2"]);
        assert!(notes.is_empty(), "{notes:?}");
        // through another local and a variable default
        let main = format!(
            "variable \"k8s\" {{\n  default = \"1.31\"\n}}\nlocals {{\n  kubernetes_version = local.v\n  v = var.k8s\n}}\n{EKS}"
        );
        let (components, _) = scan(&[("infra/main.tf", &main)]);
        assert_eq!(components, vec!["kubernetes 1.31 infra/main.tf:2"]);
    }

    #[test]
    fn another_file_of_the_module_folder_sets_it() {
        let (components, notes) = scan(&[
            ("infra/main.tf", EKS),
            (
                "infra/versions.tf",
                "locals {\n  kubernetes_version = \"1.33\"\n}\n",
            ),
            // another module folder's local is not this module's
            (
                "other/versions.tf",
                "locals {\n  kubernetes_version = \"1.20\"\n}\n",
            ),
        ]);
        assert_eq!(components, vec!["kubernetes 1.33 infra/versions.tf:2"]);
        assert!(notes.is_empty(), "{notes:?}");
        // Aurora's MySQL prefix is read as in place
        let (components, _) = scan(&[
            (
                "db/main.tf",
                "resource \"aws_rds_cluster\" \"a\" {\n  engine         = \"aurora-mysql\"\n  engine_version = var.engine_version\n}\n",
            ),
            (
                "db/variables.tf",
                "variable \"engine_version\" {\n  default = \"8.0.mysql_aurora.3.04.0\"\n}\n",
            ),
        ]);
        assert_eq!(components, vec!["aurora-mysql 8.0 db/variables.tf:2"]);
    }

    #[test]
    fn a_module_of_the_tree_takes_its_version_from_each_call() {
        let module = "resource \"aws_eks_cluster\" \"this\" {\n  version = var.kubernetes_version\n}\nvariable \"kubernetes_version\" {\n  default = null\n}\n";
        let (components, notes) = scan(&[
            ("main.tf", module),
            (
                "examples/auto/main.tf",
                "locals {\n  kubernetes_version = \"1.33\"\n}\nmodule \"eks\" {\n  source             = \"../..\"\n  kubernetes_version = local.kubernetes_version\n}\n",
            ),
            (
                "examples/hybrid/main.tf",
                "module \"eks\" {\n  source             = \"../../\"\n  kubernetes_version = local.v\n}\n",
            ),
            ("examples/hybrid/locals.tf", "locals {\n  v = \"1.34\"\n}\n"),
            (
                "examples/caller/main.tf",
                "module \"eks\" {\n  source             = \"../..\"\n  kubernetes_version = var.k8s\n}\n",
            ),
        ]);
        assert_eq!(
            components,
            vec![
                "kubernetes 1.33 examples/auto/main.tf:2",
                "kubernetes 1.34 examples/hybrid/locals.tf:2",
                "kubernetes - main.tf:2",
            ]
        );
        // the module itself says nothing (its callers do); a call whose own input is
        // unknown says so at the input
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("`var.k8s`"), "{notes:?}");
    }

    #[test]
    fn an_unresolved_reference_is_an_unknown_version_note() {
        let (components, notes) = scan(&[("infra/main.tf", EKS)]);
        assert_eq!(components, vec!["kubernetes - infra/main.tf:3"]);
        assert_eq!(
            notes,
            vec![
                "the `kubernetes` version is `local.kubernetes_version`, which no `.tf` file of `infra` sets to a literal: the version is unknown and no rule checks it"
            ]
        );
        let (_, notes) = scan(&[
            (
                "main.tf",
                "resource \"aws_eks_cluster\" \"c\" {\n  version = var.kubernetes_version\n}\n",
            ),
            (
                "variables.tf",
                "variable \"kubernetes_version\" {\n  default = null\n}\n",
            ),
        ]);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("has no literal `default` in the `.tf` files of `.`"),
            "{notes:?}"
        );
        // a cycle ends
        let (components, notes) = scan(&[(
            "main.tf",
            "locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_eks_cluster\" \"c\" {\n  version = local.a\n}\n",
        )]);
        assert_eq!(components, vec!["kubernetes - main.tf:6"]);
        assert_eq!(notes.len(), 1);
    }
}

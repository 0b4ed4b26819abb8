//! Raw serde types of a rule file, exactly as written, with spans.
//!
//! `deny_unknown_fields` everywhere so a typo is an error, not a silently ignored key.
//! Nothing here interprets a value: `validate.rs` turns these into [`super::Rule`]s and
//! reports every problem at once.

use serde::Deserialize;
use serde_spanned::Spanned;

pub type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub product: Option<S<RawProduct>>,
    #[serde(default)]
    pub rule: Vec<S<RawRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProduct {
    pub id: S<String>,
    pub name: S<String>,
    /// Docker image names (registry prefixes of Docker Hub are normalised away).
    #[serde(default)]
    pub docker: Vec<S<String>>,
    /// Managed-service engine names from infrastructure code (`mysql`, `aurora-mysql`).
    #[serde(default)]
    pub managed: Vec<S<String>>,
    /// Runtime names from version files and CI (`node`, `python`).
    #[serde(default)]
    pub runtime: Vec<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub id: S<String>,
    /// The rule kind; `client-requires` when absent.
    pub kind: Option<S<String>>,
    /// The product the rule is about; defaults to the file's `[product]`.
    pub product: Option<S<String>>,
    pub severity: S<String>,
    pub summary: S<String>,
    pub why: S<String>,
    pub fix: Option<S<String>>,
    pub sources: S<Vec<S<String>>>,
    /// Server versions the rule applies to (comparator syntax).
    pub server: Option<S<String>>,
    #[serde(default)]
    pub clients: Vec<S<RawClient>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClient {
    pub ecosystem: S<String>,
    pub name: S<String>,
    /// Client versions that work with the affected servers; `none` when no release does.
    pub requires: S<String>,
    /// What to do instead, when more specific than "upgrade to the minimum".
    pub fix: Option<S<String>>,
    /// The URL backing `requires`.
    pub source: S<String>,
}

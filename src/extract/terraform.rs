//! Terraform (`*.tf`): the Terraform version and providers a configuration requires,
//! registry modules it pins, and the managed services it creates (RDS, Aurora, Cloud SQL,
//! Azure flexible servers and Azure Cache for Redis, ElastiCache, Memorystore for Redis,
//! OpenSearch, MSK) with their engine versions, directly or through a module's inputs
//! (`engine`/`engine_version`, `kafka_version`), plus the Kubernetes version of managed
//! clusters (EKS, GKE: `min_master_version` is a floor, `>=X`) and of node groups'
//! kubelets (`aws_eks_node_group` `version`, and `google_container_node_pool` `version`
//! when `management { auto_upgrade = false }`, as runtime `kubelet`).
//!
//! Values come straight from `hcl-edit`, which keeps the byte span of every expression.
//! A value that is not a literal (a function call, a template) has no known version and
//! is blamed as a whole — except `local.x` and `var.x`, which resolve to the literal a
//! `locals` block or a `variable "x"` `default` of the same file sets (following
//! `local.a = local.b` a few steps), blamed there, since that is where the version is
//! written. A reference the file does not resolve is recorded as a
//! [`UnitFact::TerraformRef`], and every file's literal locals and defaults as a
//! [`UnitFact::TerraformValues`]: the scanner resolves it across the module's folder
//! (`scan::terraform_refs`). Must not: evaluate expressions, follow modules, or read
//! other files (`terraform.tfvars`, other `.tf` files).

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, Body};

use super::{Extraction, Extractor, file_name};
use crate::component::{Component, ComponentKind, Ecosystem, TerraformModuleCall, UnitFact};
use crate::diagnostic::parse_error;
use crate::source::{SourceFile, Span};

pub struct Terraform;

impl Extractor for Terraform {
    fn name(&self) -> &'static str {
        "terraform"
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Hcl)
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["infra/main.tf"]
    }

    fn wants(&self, path: &Path) -> bool {
        file_name(path).ends_with(".tf")
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        let body = match hcl_edit::parser::parse_body(&file.text) {
            Ok(body) => body,
            Err(e) => {
                let loc = e.location();
                let start = file.offset_of(loc.line(), loc.column());
                let end = file.text[start..]
                    .char_indices()
                    .nth(1)
                    .map_or(file.text.len(), |(i, _)| start + i);
                let message = e.message().replace('\n', " ");
                return out.problem(parse_error(file.span(start, end), "Terraform", message));
            }
        };
        let mut cx = Context {
            file,
            variables: variables(&body),
            locals: locals(&body),
            clusters: HashMap::new(),
            references: RefCell::new(Vec::new()),
        };
        cx.clusters = cx.cluster_names(&body);
        out.units.push(cx.literal_values());
        for block in body.blocks() {
            match (block.ident.as_str(), labels(block).as_slice()) {
                ("terraform", []) => cx.terraform_block(block, out),
                ("module", [name]) => cx.module(block, name, out),
                ("resource", [kind, name]) => cx.resource(block, kind, name, out),
                _ => {}
            }
        }
        out.units.extend(cx.references.take());
    }
}

/// A value as far as the file says: literal text and its span, or just the span of an
/// expression whose value is not known without evaluating it.
struct Value {
    text: Option<String>,
    span: Span,
    /// `local.x` / `var.x` when the value is such a reference this file leaves unresolved.
    reference: Option<String>,
}

impl Value {
    /// The span of `text[start..end]` (literals are written verbatim between quotes).
    fn sub_span(&self, start: usize, end: usize) -> Span {
        match &self.text {
            Some(t) if end <= t.len() && self.span.len() == t.len() => Span::new(
                self.span.file,
                self.span.start + start,
                self.span.start + end,
            ),
            _ => self.span,
        }
    }
}

struct Context<'a> {
    file: &'a SourceFile,
    /// `variable "x" { default = <expr> }` in this file.
    variables: HashMap<String, &'a Expression>,
    /// `locals { x = <expr> }` in this file.
    locals: HashMap<String, &'a Expression>,
    /// The references components were pushed with that this file does not resolve.
    references: RefCell<Vec<UnitFact>>,
    /// `(resource type, literal name)` → `TYPE.NAME` of the EKS clusters in this file,
    /// so a node group naming its cluster by a literal is grouped with it.
    clusters: HashMap<(String, String), String>,
}

impl Context<'_> {
    /// The literal `name` of every `aws_eks_cluster`.
    fn cluster_names(&self, body: &Body) -> HashMap<(String, String), String> {
        body.get_blocks("resource")
            .filter_map(|b| {
                let labels = labels(b);
                let [
                    kind @ ("aws_eks_cluster" | "google_container_cluster"),
                    name,
                ] = labels.as_slice()
                else {
                    return None;
                };
                let literal = self.attr(&b.body, "name")?.text?;
                Some(((kind.to_string(), literal), format!("{kind}.{name}")))
            })
            .collect()
    }

    /// `terraform { required_version, required_providers { … } }`
    fn terraform_block(&self, block: &Block, out: &mut Extraction) {
        if let Some(v) = self.attr(&block.body, "required_version") {
            out.push(self.component(
                ComponentKind::Tool,
                Ecosystem::Terraform,
                "terraform",
                v,
                "terraform",
            ));
        }
        for providers in block.body.get_blocks("required_providers") {
            for attr in providers.body.attributes() {
                let local = attr.key.as_str();
                let group = format!("required_providers.{local}");
                match &attr.value {
                    Expression::Object(obj) => {
                        let field = |name: &str| {
                            obj.iter()
                                .find(|(k, _)| key_str(k) == Some(name))
                                .map(|(_, v)| self.value(v.expr()))
                        };
                        // no `source` means the default namespace
                        let source = field("source")
                            .and_then(|s| s.text)
                            .unwrap_or_else(|| format!("hashicorp/{local}"));
                        let span_default = || self.span(attr.key.span());
                        let v = field("version").unwrap_or_else(|| Value {
                            text: None,
                            span: span_default(),
                            reference: None,
                        });
                        out.push(self.component(
                            ComponentKind::Package,
                            Ecosystem::Terraform,
                            &source,
                            v,
                            &group,
                        ));
                    }
                    // Terraform 0.12 shorthand: `aws = "~> 3.0"`
                    other => out.push(self.component(
                        ComponentKind::Package,
                        Ecosystem::Terraform,
                        &format!("hashicorp/{local}"),
                        self.value(other),
                        &group,
                    )),
                }
            }
        }
    }

    /// `module "x" { source = "ns/name/provider", version = "~> 5.0" }`: only registry
    /// modules have a `version`; git and path sources pin nothing we can compare.
    ///
    /// A module's inputs also declare the engine it creates, whatever its source
    /// (terraform-aws-modules/rds: `engine = "mysql"`, `engine_version = "8.0"`; the
    /// msk-kafka-cluster module: `kafka_version`; the opensearch module:
    /// `engine_version = "OpenSearch_2.11"`), read as the resource of that engine is, and
    /// terraform-aws-modules/eks's `kubernetes_version` (`cluster_version` before v21) is
    /// a managed Kubernetes cluster like `aws_eks_cluster`.
    fn module(&self, block: &Block, name: &str, out: &mut Extraction) {
        let group = format!("module.{name}");
        let body = &block.body;
        if let Some(engine) = self.attr(body, "engine")
            && let Some(engine_name) = engine.text.clone()
        {
            let version = match self.attr(body, "engine_version") {
                Some(v) => aurora_prefix(v),
                None => Value {
                    text: None,
                    span: engine.span,
                    reference: None,
                },
            };
            out.push(self.managed(&engine_name, version, &group));
        } else if let Some(v) = self.attr(body, "kafka_version") {
            out.push(self.managed("kafka", v, &group));
        } else if let Some(v) = self.attr(body, "engine_version")
            && let Ok((engine, v)) = engine_prefixed(v)
        {
            out.push(self.managed(&engine, v, &group));
        }
        // terraform-aws-modules/eks: the cluster's Kubernetes version is the
        // `kubernetes_version` input (v21), `cluster_version` before it (v20 and older)
        let source = self.attr(body, "source").and_then(|s| s.text);
        if source.as_deref().is_some_and(|s| {
            s.strip_prefix("registry.terraform.io/").unwrap_or(s) == "terraform-aws-modules/eks/aws"
        }) && let Some(v) = self
            .attr(body, "kubernetes_version")
            .or_else(|| self.attr(body, "cluster_version"))
        {
            out.push(self.managed("kubernetes", v, &group));
        }
        // a module of the repository (`source = "../.."`): its inputs are the variables
        // of its `.tf` files for this call (the scanner looks them up)
        if let Some(src) = source
            .as_deref()
            .filter(|s| s.starts_with("./") || s.starts_with("../"))
        {
            let inputs = body
                .attributes()
                .filter(|a| {
                    !matches!(
                        a.key.as_str(),
                        "source" | "version" | "providers" | "count" | "for_each" | "depends_on"
                    )
                })
                .map(|a| {
                    let v = self.value(&a.value);
                    (a.key.as_str().to_string(), v.text, v.span, v.reference)
                })
                .filter(|(_, text, _, reference)| text.is_some() || reference.is_some())
                .collect();
            let span = self
                .attr(body, "source")
                .map_or_else(|| self.span(block.ident.span()), |s| s.span);
            out.units
                .push(UnitFact::TerraformModuleCall(TerraformModuleCall {
                    group: group.clone(),
                    source: src.to_string(),
                    span,
                    inputs,
                }));
        }
        let (Some(source), Some(version)) = (source, self.attr(body, "version")) else {
            return;
        };
        out.push(self.component(
            ComponentKind::Package,
            Ecosystem::Terraform,
            &source,
            version,
            &group,
        ));
    }

    /// A managed server of `engine` in `group`.
    fn managed(&self, engine: &str, v: Value, group: &str) -> Component {
        self.component(ComponentKind::Server, Ecosystem::Managed, engine, v, group)
    }

    fn resource(&self, block: &Block, kind: &str, name: &str, out: &mut Extraction) {
        let group = format!("{kind}.{name}");
        let body = &block.body;
        let managed = |engine: &str, v: Value| self.managed(engine, v, &group);
        match kind {
            "aws_db_instance"
            | "aws_rds_cluster"
            | "aws_elasticache_cluster"
            | "aws_elasticache_replication_group" => {
                let default_engine = match kind {
                    "aws_elasticache_replication_group" => Some("redis"),
                    _ => None,
                };
                let engine = self.attr(body, "engine");
                let Some(engine_name) = engine
                    .as_ref()
                    .and_then(|e| e.text.clone())
                    .or(default_engine.map(String::from))
                else {
                    // read replicas and snapshot restores inherit an engine we cannot see
                    return;
                };
                let version = match self.attr(body, "engine_version") {
                    Some(v) => aurora_prefix(v),
                    None => Value {
                        text: None,
                        span: engine
                            .map(|e| e.span)
                            .unwrap_or_else(|| self.span(block.ident.span())),
                        reference: None,
                    },
                };
                out.push(managed(&engine_name, version));
            }
            "google_sql_database_instance" => {
                // the engine is part of the value: without a literal there is no name
                let v = self.attr(body, "database_version");
                if let Some((v, (engine, version))) = v
                    .and_then(|v| Some((cloud_sql_version(v.text.as_deref()?)?, v)))
                    .map(|(ev, v)| (v, ev))
                {
                    out.push(managed(
                        &engine,
                        Value {
                            text: Some(version),
                            span: v.span,
                            reference: None,
                        },
                    ));
                }
            }
            "azurerm_mysql_flexible_server"
            | "azurerm_mysql_server"
            | "azurerm_postgresql_flexible_server"
            | "azurerm_postgresql_server" => {
                if let Some(v) = self.attr(body, "version") {
                    let engine = if kind.contains("mysql") {
                        "mysql"
                    } else {
                        "postgres"
                    };
                    out.push(managed(engine, v));
                }
            }
            "aws_opensearch_domain" => {
                if let Some(v) = self.attr(body, "engine_version") {
                    match engine_prefixed(v) {
                        Ok((engine, v)) => out.push(managed(&engine, v)),
                        Err(v) => out.push(managed("opensearch", v)),
                    }
                }
            }
            "google_redis_instance" => {
                // `REDIS_7_0`; without it Memorystore picks its current default version
                if let Some(v) = self.attr(body, "redis_version") {
                    out.push(managed("redis", underscored_version(v, "REDIS_")));
                }
            }
            "azurerm_redis_cache" => {
                if let Some(v) = self.attr(body, "redis_version") {
                    out.push(managed("redis", v));
                }
            }
            "aws_elasticsearch_domain" => {
                if let Some(v) = self.attr(body, "elasticsearch_version") {
                    out.push(managed("elasticsearch", v));
                }
            }
            "aws_msk_cluster" => {
                if let Some(v) = self.attr(body, "kafka_version") {
                    out.push(managed("kafka", v));
                }
            }
            "aws_eks_cluster" | "google_container_cluster" => {
                let key = match kind {
                    "aws_eks_cluster" => "version",
                    _ => "min_master_version",
                };
                // the cluster is a managed `kubernetes` server that resources and clients
                // (kubectl, client-go) are checked against, like any managed engine
                if let Some(mut v) = self.attr(body, key) {
                    // GKE's `min_master_version` is a floor: "The minimum version of the
                    // master. GKE will auto-update the master to new versions, so this
                    // does not guarantee the current master version" (the provider's
                    // docs). The cluster runs it or a later version: `>=1.27.3-gke.100`,
                    // still blamed on the literal. An alias (`latest`) stays as written.
                    if kind == "google_container_cluster" {
                        v.text = v.text.map(|t| match t.trim() {
                            n if n.starts_with(|c: char| c.is_ascii_digit()) => format!(">={n}"),
                            _ => t,
                        });
                    }
                    out.push(self.component(
                        ComponentKind::Server,
                        Ecosystem::Managed,
                        "kubernetes",
                        v,
                        &group,
                    ));
                }
            }
            "aws_eks_node_group" => {
                // the nodes' kubelet version, checked against the cluster's (the version
                // skew policy); without `version` the nodes take the cluster's version.
                // (GKE node pools: below, only those GKE does not auto-upgrade.)
                // A node group that references its cluster resource
                // (`cluster_name = aws_eks_cluster.main.name`), or names one of this
                // file's clusters by its literal `name`, is grouped with it, so it is
                // compared with that cluster only.
                let (cluster_kind, key) = ("aws_eks_cluster", "cluster_name");
                // A node group whose cluster is neither is not read: which cluster
                // it joins (and so its skew) is unknown.
                let cluster = body.get_attribute(key).and_then(|a| {
                    resource_ref(&a.value, cluster_kind).or_else(|| {
                        let name = self.value(&a.value).text?;
                        self.clusters
                            .get(&(cluster_kind.to_string(), name))
                            .cloned()
                    })
                });
                if let (Some(group), Some(v)) = (cluster, self.attr(body, "version")) {
                    out.push(self.component(
                        ComponentKind::Runtime,
                        Ecosystem::Runtime,
                        "kubelet",
                        v,
                        &group,
                    ));
                }
            }
            "google_container_node_pool" => {
                // A GKE node pool's `version` is what its nodes run only when GKE does
                // not upgrade them: `management { auto_upgrade }` is "Enabled by
                // default", and the provider warns that `version` and `auto_upgrade`
                // "will fight each other for what the node version should be". So a
                // pool is read only with a literal `auto_upgrade = false`, grouped with
                // the cluster its `cluster` references
                // (`google_container_cluster.gke.id`) or names by its literal `name`;
                // the master it is compared with is that cluster's floor.
                let pinned = body.get_blocks("management").any(|m| {
                    m.body
                        .get_attribute("auto_upgrade")
                        .is_some_and(|a| matches!(&a.value, Expression::Bool(b) if !*b.value()))
                });
                let cluster_kind = "google_container_cluster";
                let cluster = body.get_attribute("cluster").and_then(|a| {
                    resource_ref(&a.value, cluster_kind).or_else(|| {
                        let name = self.value(&a.value).text?;
                        self.clusters
                            .get(&(cluster_kind.to_string(), name))
                            .cloned()
                    })
                });
                if let (true, Some(group), Some(v)) = (pinned, cluster, self.attr(body, "version"))
                {
                    out.push(self.component(
                        ComponentKind::Runtime,
                        Ecosystem::Runtime,
                        "kubelet",
                        v,
                        &group,
                    ));
                }
            }
            _ => {}
        }
    }

    fn component(
        &self,
        kind: ComponentKind,
        ecosystem: Ecosystem,
        name: &str,
        v: Value,
        group: &str,
    ) -> Component {
        if let (None, Some(reference)) = (&v.text, v.reference) {
            self.references.borrow_mut().push(UnitFact::TerraformRef {
                component: v.span,
                reference,
            });
        }
        Component::new(kind, ecosystem, name, v.text, v.span).group(group)
    }

    /// The literal locals and variable defaults of this file, for the other files of
    /// the module.
    fn literal_values(&self) -> UnitFact {
        let literal = |map: &HashMap<String, &Expression>| {
            let mut out: Vec<(String, String, Span)> = map
                .iter()
                .filter_map(|(name, expr)| {
                    let v = self.value(expr);
                    Some((name.clone(), v.text?, v.span))
                })
                .collect();
            out.sort_by(|a, b| (a.2, &a.0).cmp(&(b.2, &b.0)));
            out
        };
        UnitFact::TerraformValues {
            file: self.file.id,
            locals: literal(&self.locals),
            variables: literal(&self.variables),
        }
    }

    fn attr(&self, body: &Body, key: &str) -> Option<Value> {
        body.get_attribute(key).map(|a| self.value(&a.value))
    }

    /// A literal string or number with the span of its text (inside the quotes), a
    /// `var.x` with a literal default in this file, or an unknown value.
    fn value(&self, expr: &Expression) -> Value {
        self.value_depth(expr, 0)
    }

    fn value_depth(&self, expr: &Expression, depth: u8) -> Value {
        let span = self.span(expr.span());
        let unknown = |reference: Option<String>| Value {
            text: None,
            span,
            reference,
        };
        match expr {
            Expression::String(s) => {
                let raw = self.file.slice(span);
                let inner = raw
                    .strip_prefix('"')
                    .and_then(|r| r.strip_suffix('"'))
                    .filter(|i| *i == s.as_str());
                Value {
                    text: Some(s.to_string()),
                    span: inner.map_or(span, |i| self.file.span_of(i)),
                    reference: None,
                }
            }
            Expression::Number(_) => Value {
                text: Some(self.file.slice(span).to_string()),
                span,
                reference: None,
            },
            Expression::Traversal(t) => {
                let (root, name) = match (&t.expr, t.operators.as_slice()) {
                    (Expression::Variable(v), [op]) => match &**op {
                        TraversalOperator::GetAttr(name) => (v.as_str(), name.as_str()),
                        _ => return unknown(None),
                    },
                    _ => return unknown(None),
                };
                let defined = match root {
                    "var" => self.variables.get(name),
                    "local" => self.locals.get(name),
                    _ => return unknown(None),
                };
                let reference = Some(format!("{root}.{name}"));
                // `local.a = local.b`: a few steps, never round a cycle
                match defined.filter(|_| depth < MAX_REFERENCE_STEPS) {
                    Some(expr) => {
                        let v = self.value_depth(expr, depth + 1);
                        if v.text.is_some() {
                            v
                        } else {
                            unknown(reference)
                        }
                    }
                    None => unknown(reference),
                }
            }
            _ => unknown(None),
        }
    }

    fn span(&self, range: Option<Range<usize>>) -> Span {
        range.map_or(self.file.span(0, 0), |r| self.file.span(r.start, r.end))
    }
}

/// `TYPE.NAME` of a reference to a resource of `kind` (`aws_eks_cluster.main.name`).
fn resource_ref(expr: &Expression, kind: &str) -> Option<String> {
    let Expression::Traversal(t) = expr else {
        return None;
    };
    let Expression::Variable(v) = &t.expr else {
        return None;
    };
    if v.as_str() != kind {
        return None;
    }
    match t.operators.first().map(|op| &**op) {
        Some(TraversalOperator::GetAttr(name)) => Some(format!("{kind}.{}", name.as_str())),
        _ => None,
    }
}

fn labels(block: &Block) -> Vec<&str> {
    block.labels.iter().map(|l| l.as_str()).collect()
}

fn key_str(key: &ObjectKey) -> Option<&str> {
    match key {
        ObjectKey::Ident(i) => Some(i.as_str()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.as_str()),
        ObjectKey::Expression(_) => None,
    }
}

/// How many `local.a = local.b` steps a value is followed.
const MAX_REFERENCE_STEPS: u8 = 4;

/// `locals { x = … }` entries of the file (Terraform allows several `locals` blocks).
fn locals(body: &Body) -> HashMap<String, &Expression> {
    body.get_blocks("locals")
        .flat_map(|b| b.body.attributes())
        .map(|a| (a.key.as_str().to_string(), &a.value))
        .collect()
}

/// What a version a module's other file sets reads as, as this file would read it in
/// place: Aurora's MySQL prefix (`8.0.mysql_aurora.3.04.0` is 8.0), Memorystore's
/// `REDIS_7_0` (7.0); any other text as written. `span` is the literal's text.
pub(crate) fn reshape(text: &str, span: Span) -> (String, Span) {
    let v = Value {
        text: Some(text.to_string()),
        span,
        reference: None,
    };
    let v = underscored_version(aurora_prefix(v), "REDIS_");
    (v.text.unwrap_or_default(), v.span)
}

/// `variable "x" { default = … }` declarations of the file.
fn variables(body: &Body) -> HashMap<String, &Expression> {
    body.get_blocks("variable")
        .filter_map(|b| {
            let labels = labels(b);
            let [name] = labels.as_slice() else {
                return None;
            };
            let default = b.body.get_attribute("default")?;
            Some((name.to_string(), &default.value))
        })
        .collect()
}

/// Aurora MySQL versions carry the MySQL version they are compatible with in front:
/// `8.0.mysql_aurora.3.04.0` is MySQL 8.0, which is what clients must speak.
fn aurora_prefix(v: Value) -> Value {
    let Some(text) = v.text.as_deref() else {
        return v;
    };
    match text.find(".mysql_aurora.") {
        Some(end) => Value {
            span: v.sub_span(0, end),
            text: Some(text[..end].to_string()),
            reference: None,
        },
        None => v,
    }
}

/// OpenSearch Service's `OpenSearch_2.11` / `Elasticsearch_7.10` as (engine, version
/// blamed on the version part); the value back when it has no such prefix.
fn engine_prefixed(v: Value) -> Result<(String, Value), Value> {
    let Some((engine, version)) = v.text.as_deref().and_then(|t| t.split_once('_')) else {
        return Err(v);
    };
    let engine = engine.to_ascii_lowercase();
    if engine != "opensearch" && engine != "elasticsearch" {
        return Err(v);
    }
    let start = engine.len() + 1;
    let span = v.sub_span(start, start + version.len());
    Ok((
        engine,
        Value {
            text: Some(version.to_string()),
            span,
            reference: None,
        },
    ))
}

/// `REDIS_7_0` (with `prefix` `REDIS_`) as `7.0`, blamed on the numbers; other text as
/// written.
fn underscored_version(v: Value, prefix: &str) -> Value {
    let Some(numbers) = v.text.as_deref().and_then(|t| t.strip_prefix(prefix)) else {
        return v;
    };
    if numbers.is_empty()
        || !numbers
            .split('_')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return v;
    }
    Value {
        text: Some(numbers.replace('_', ".")),
        span: v.sub_span(prefix.len(), prefix.len() + numbers.len()),
        reference: None,
    }
}

/// Cloud SQL's `MYSQL_8_0` / `MYSQL_8_0_31` / `POSTGRES_15` / `SQLSERVER_2019_STANDARD`
/// as (engine, version).
fn cloud_sql_version(text: &str) -> Option<(String, String)> {
    let mut parts = text.split('_');
    let engine = match parts.next()? {
        "MYSQL" => "mysql",
        "POSTGRES" => "postgres",
        "SQLSERVER" => "sqlserver",
        _ => return None,
    };
    let numbers: Vec<&str> = parts
        .take_while(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    if numbers.is_empty() {
        return None;
    }
    Some((engine.to_string(), numbers.join(".")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::testing::{render, run};

    #[test]
    fn fixtures() {
        insta::glob!("../../fixtures/extract/terraform", "*.tf", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = format!("infra/{}", path.file_name().unwrap().to_str().unwrap());
            let (file, out) = run(&Terraform, &name, &text);
            insta::assert_snapshot!(render(&file, &out));
        });
    }

    #[test]
    fn cloud_sql_versions() {
        let v = |t: &str| cloud_sql_version(t).map(|(e, v)| format!("{e} {v}"));
        assert_eq!(v("MYSQL_8_0").as_deref(), Some("mysql 8.0"));
        assert_eq!(v("MYSQL_8_0_31").as_deref(), Some("mysql 8.0.31"));
        assert_eq!(v("POSTGRES_15").as_deref(), Some("postgres 15"));
        assert_eq!(
            v("SQLSERVER_2019_STANDARD").as_deref(),
            Some("sqlserver 2019")
        );
        assert_eq!(v("ORACLE_19"), None);
        assert_eq!(v("MYSQL"), None);
    }
}

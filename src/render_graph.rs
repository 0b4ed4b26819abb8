//! `skew graph`: the compatibility graph drawn as Graphviz DOT, a Mermaid flowchart or JSON.
//!
//! Owns the picture: which components become nodes (servers, runtimes and tools always;
//! packages and resources only when a rule relates them to something — a lockfile's
//! hundreds of unrelated packages would bury the few edges that matter), how nodes are
//! grouped (with a `skew.toml`, one outer box per environment in promotion order; then one
//! box per file, and inside it one per [`Component::group`], e.g. a compose service), and
//! how edges look (client -> server, labelled with the rule id, coloured by
//! outcome: ok green, may-break amber and dashed, breaks red). Every string a user wrote
//! is escaped for the target syntax. Output is deterministic: nodes in (path, position)
//! order, edges sorted. Must not: evaluate rules or decide findings (`graph.rs`, `check/`).

use std::fmt::Write as _;

use serde::Serialize;

use crate::check::{Outcome, Scenario};
use crate::component::{Component, ComponentId, ComponentKind};
use crate::config::Config;
use crate::graph::Graph;
use crate::rule::RuleSet;
use crate::source::{Location, SourceView};

/// The drawable graph: nodes in display order and edges between their indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View<'a> {
    /// Configured environment names in promotion order; empty without a `skew.toml`
    /// (or one without environments), and then the picture is exactly the file view.
    pub environments: Vec<String>,
    pub nodes: Vec<Node<'a>>,
    pub edges: Vec<ViewEdge>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node<'a> {
    pub component: &'a Component,
    pub location: Location,
    /// Indices into [`View::environments`], the one the node is drawn in first; empty
    /// for a component deployed everywhere.
    pub environments: Vec<usize>,
    /// The deployment unit it belongs to (`compose project shop`), from
    /// [`View::with_units`]; `None` outside every unit.
    pub unit: Option<String>,
}

/// Where each component is deployed, as the picture needs it: the scenario knows the
/// environment indices per component, the config their names and promotion order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deployment {
    /// Environment names in promotion order.
    pub names: Vec<String>,
    /// Per component (by id; missing = everywhere): its environments, the one to draw
    /// it in first, the others in promotion order.
    pub of: std::collections::HashMap<ComponentId, Vec<usize>>,
}

impl Deployment {
    /// From a planned scenario. `focus` is the `--env` the scenario was restricted to: a
    /// component also deployed elsewhere (overlapping globs) is drawn in the focused
    /// environment, not in an earlier one the picture is not about.
    pub fn new(config: Option<&Config>, scenario: &Scenario, focus: Option<&str>) -> Self {
        let Some(config) = config else {
            return Deployment::default();
        };
        let focus = focus.and_then(|name| config.environment(name));
        let of = scenario
            .environments
            .iter()
            .map(|(id, envs)| {
                let mut envs = envs.clone();
                envs.sort_unstable();
                envs.dedup();
                envs.sort_by_key(|e| Some(*e) != focus);
                (*id, envs)
            })
            .collect();
        Deployment {
            names: config.environments.iter().map(|e| e.name.clone()).collect(),
            of,
        }
    }
}

/// A chart dependency of unknown version that no rule file names (a library chart such
/// as `common`): a node that says nothing, so it is drawn only when a rule relates it.
fn unknown_chart_dependency(c: &Component, rules: &RuleSet) -> bool {
    c.ecosystem == crate::component::Ecosystem::Helm
        && c.kind == ComponentKind::Server
        && c.version.is_none()
        && !rules.products.iter().any(|p| p.matches(c))
}

/// `from` (the client) talks to `to` (the server) under `rule_id`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ViewEdge {
    pub from: usize,
    pub to: usize,
    pub rule_id: String,
    pub outcome: Outcome,
}

/// Pick the nodes and edges to draw from the checked graph.
pub fn view<'a>(
    components: &[&'a Component],
    sources: &SourceView<'_>,
    graph: &Graph,
    rules: &RuleSet,
    deployment: &Deployment,
) -> View<'a> {
    let envs_of = |i: usize| {
        deployment
            .of
            .get(&components[i].id)
            .cloned()
            .unwrap_or_default()
    };
    let g = &graph.graph;
    let mut raw_edges = Vec::new();
    for e in g.edge_indices() {
        let (client, server) = g.edge_endpoints(e).expect("edge exists");
        let edge = &g[e];
        let rule_id = rules
            .rules
            .get(edge.rule)
            .map(|r| r.id.clone())
            .unwrap_or_else(|| format!("rule-{}", edge.rule));
        raw_edges.push((g[client], g[server], rule_id, edge.outcome));
    }
    let mut wanted = vec![false; components.len()];
    for (i, c) in components.iter().enumerate() {
        wanted[i] = matches!(
            c.kind,
            ComponentKind::Server | ComponentKind::Runtime | ComponentKind::Tool
        ) && !unknown_chart_dependency(c, rules);
    }
    for (c, s, _, _) in &raw_edges {
        wanted[*c] = true;
        wanted[*s] = true;
    }
    // deployed-everywhere nodes first (`None`), then by the environment they are drawn in:
    // each box (environment, file, group) is one run of consecutive nodes
    let mut order: Vec<(Option<usize>, Location, usize)> = (0..components.len())
        .filter(|&i| wanted[i])
        .map(|i| {
            let first = envs_of(i).first().copied();
            (first, sources.location(components[i].span), i)
        })
        .collect();
    order.sort_by(|(ea, la, a), (eb, lb, b)| {
        (ea, &la.path, la.line, la.column, &components[*a].name).cmp(&(
            eb,
            &lb.path,
            lb.line,
            lb.column,
            &components[*b].name,
        ))
    });
    let mut position = vec![usize::MAX; components.len()];
    for (pos, (_, _, i)) in order.iter().enumerate() {
        position[*i] = pos;
    }
    let nodes = order
        .into_iter()
        .map(|(_, location, i)| Node {
            component: components[i],
            location,
            environments: envs_of(i),
            unit: None,
        })
        .collect();
    let mut edges: Vec<ViewEdge> = raw_edges
        .into_iter()
        .map(|(c, s, rule_id, outcome)| ViewEdge {
            from: position[c],
            to: position[s],
            rule_id,
            outcome,
        })
        .collect();
    edges.sort();
    edges.dedup();
    View {
        environments: deployment.names.clone(),
        nodes,
        edges,
    }
}

impl View<'_> {
    /// Keep only the edges whose outcome `keep` accepts, and the nodes they join
    /// (`skew graph --only breaks`): in a repository of many ecosystems the few red edges
    /// are not lost among the green ones. Node order, and so every box, is kept.
    pub fn only(mut self, keep: impl Fn(Outcome) -> bool) -> Self {
        self.edges.retain(|e| keep(e.outcome));
        let mut used = vec![false; self.nodes.len()];
        for e in &self.edges {
            used[e.from] = true;
            used[e.to] = true;
        }
        self.keep_nodes(&used)
    }

    /// Keep the nodes `inside` accepts (`skew graph PATH`: the components declared under
    /// PATH), the edges that touch one, and the nodes at their other ends (a server
    /// outside PATH that a client under it is paired with, as `skew check PATH` reports
    /// that pair). Node order, and so every box, is kept.
    pub fn within(mut self, inside: impl Fn(&Node<'_>) -> bool) -> Self {
        let inner: Vec<bool> = self.nodes.iter().map(&inside).collect();
        self.edges.retain(|e| inner[e.from] || inner[e.to]);
        let mut used = inner;
        for e in &self.edges {
            used[e.from] = true;
            used[e.to] = true;
        }
        self.keep_nodes(&used)
    }

    /// Keep the nodes marked in `used`, renumbering the edges (which must join kept
    /// nodes only).
    fn keep_nodes(mut self, used: &[bool]) -> Self {
        let mut index = vec![usize::MAX; self.nodes.len()];
        let mut next = 0;
        for (i, &u) in used.iter().enumerate() {
            if u {
                index[i] = next;
                next += 1;
            }
        }
        let mut i = 0;
        self.nodes.retain(|_| {
            i += 1;
            used[i - 1]
        });
        for e in &mut self.edges {
            e.from = index[e.from];
            e.to = index[e.to];
        }
        self
    }

    /// Name each node's deployment unit (`plan::topology`): file boxes are labelled with
    /// the unit their file belongs to, JSON nodes carry it as `unit`.
    pub fn with_units(
        mut self,
        topology: &crate::plan::topology::Topology,
        components: &[&Component],
    ) -> Self {
        // the topology was built from `components`: its indices are positions there
        let index: std::collections::HashMap<ComponentId, usize> = components
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect();
        for n in &mut self.nodes {
            if let Some(&i) = index.get(&n.component.id) {
                n.unit = topology.unit_label(i);
            }
        }
        self
    }
}

/// Graphviz DOT: `skew graph | dot -Tsvg > graph.svg`.
pub fn dot(view: &View) -> String {
    let mut s = String::new();
    s.push_str("digraph skew {\n");
    s.push_str("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, labeljust=l];\n");
    s.push_str(
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n",
    );
    s.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    let mut f = 0;
    for env_box in boxes(view) {
        let pad = match env_box.env {
            Some(e) => {
                let _ = writeln!(s, "  subgraph cluster_e{e} {{");
                let _ = writeln!(s, "    label={};", dot_str(&view.environments[e]));
                s.push_str("    style=\"rounded,bold\"; color=\"#475569\";\n");
                "  "
            }
            None => "",
        };
        for file in &env_box.files {
            let _ = writeln!(s, "{pad}  subgraph cluster_{f} {{");
            let _ = writeln!(s, "{pad}    label={};", dot_str(&file.label()));
            let _ = writeln!(s, "{pad}    style=\"rounded\"; color=\"#94a3b8\";");
            for (g, group) in file.groups.iter().enumerate() {
                let indent = if group.name.is_some() {
                    "      "
                } else {
                    "    "
                };
                if let Some(name) = &group.name {
                    let _ = writeln!(s, "{pad}    subgraph cluster_{f}_{g} {{");
                    let _ = writeln!(s, "{pad}      label={};", dot_str(name));
                    let _ = writeln!(s, "{pad}      style=\"rounded,dashed\"; color=\"#cbd5e1\";");
                }
                for &n in &group.nodes {
                    let c = view.nodes[n].component;
                    let mut label = format!("{}\n{}", title(c), subtitle(c));
                    if let Some(also) = also_in(view, n) {
                        label.push('\n');
                        label.push_str(&also);
                    }
                    let _ = writeln!(
                        s,
                        "{pad}{indent}n{n} [label={}, fillcolor=\"{}\"];",
                        dot_str(&label),
                        kind_fill(c.kind)
                    );
                }
                if group.name.is_some() {
                    let _ = writeln!(s, "{pad}    }}");
                }
            }
            let _ = writeln!(s, "{pad}  }}");
            f += 1;
        }
        if env_box.env.is_some() {
            s.push_str("  }\n");
        }
    }
    for e in &view.edges {
        let colour = outcome_colour(e.outcome);
        let style = if e.outcome == Outcome::MayBreak {
            "dashed"
        } else {
            "solid"
        };
        let _ = writeln!(
            s,
            "  n{} -> n{} [label={}, color=\"{colour}\", fontcolor=\"{colour}\", style={style}, penwidth={}];",
            e.from,
            e.to,
            dot_str(&format!("{} ({})", e.rule_id, e.outcome.as_str())),
            if e.outcome == Outcome::Ok { 1 } else { 2 }
        );
    }
    s.push_str("}\n");
    s
}

/// A Mermaid `flowchart LR`, for Markdown renderers (GitHub, GitLab).
pub fn mermaid(view: &View) -> String {
    let mut s = String::from("flowchart LR\n");
    let mut f = 0;
    for env_box in boxes(view) {
        let pad = match env_box.env {
            Some(e) => {
                let _ = writeln!(
                    s,
                    "  subgraph e{e}[\"{}\"]",
                    mermaid_text(&view.environments[e])
                );
                "  "
            }
            None => "",
        };
        for file in &env_box.files {
            let _ = writeln!(
                s,
                "{pad}  subgraph f{f}[\"{}\"]",
                mermaid_text(&file.label())
            );
            for (g, group) in file.groups.iter().enumerate() {
                let indent = if group.name.is_some() {
                    "      "
                } else {
                    "    "
                };
                if let Some(name) = &group.name {
                    let _ = writeln!(s, "{pad}    subgraph f{f}g{g}[\"{}\"]", mermaid_text(name));
                }
                for &n in &group.nodes {
                    let c = view.nodes[n].component;
                    let also = also_in(view, n)
                        .map(|a| format!("<br/>{}", mermaid_text(&a)))
                        .unwrap_or_default();
                    let _ = writeln!(
                        s,
                        "{pad}{indent}n{n}[\"{}<br/>{}{also}\"]",
                        mermaid_text(&title(c)),
                        mermaid_text(&subtitle(c))
                    );
                }
                if group.name.is_some() {
                    let _ = writeln!(s, "{pad}    end");
                }
            }
            let _ = writeln!(s, "{pad}  end");
            f += 1;
        }
        if env_box.env.is_some() {
            s.push_str("  end\n");
        }
    }
    for e in &view.edges {
        let arrow = if e.outcome == Outcome::MayBreak {
            "-.->"
        } else {
            "-->"
        };
        let _ = writeln!(
            s,
            "  n{} {arrow}|\"{}\"| n{}",
            e.from,
            mermaid_text(&format!("{} ({})", e.rule_id, e.outcome.as_str())),
            e.to
        );
    }
    for (i, e) in view.edges.iter().enumerate() {
        let colour = outcome_colour(e.outcome);
        let _ = writeln!(
            s,
            "  linkStyle {i} stroke:{colour},color:{colour},stroke-width:{}px",
            if e.outcome == Outcome::Ok { 1 } else { 2 }
        );
    }
    for kind in [
        ComponentKind::Server,
        ComponentKind::Runtime,
        ComponentKind::Package,
        ComponentKind::Tool,
        ComponentKind::Resource,
    ] {
        let members: Vec<String> = view
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.component.kind == kind)
            .map(|(i, _)| format!("n{i}"))
            .collect();
        if members.is_empty() {
            continue;
        }
        let name = crate::report::kind_name(kind);
        let _ = writeln!(
            s,
            "  classDef {name} fill:{},stroke:#475569",
            kind_fill(kind)
        );
        let _ = writeln!(s, "  class {} {name}", members.join(","));
    }
    s
}

/// The graph as JSON (`schema_version` 1): nodes with their location, edges by node id.
pub fn json(view: &View) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        schema_version: u32,
        /// Promotion order; absent without configured environments (additive field).
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        environments: &'a [String],
        nodes: Vec<JsonNode<'a>>,
        edges: Vec<JsonEdge<'a>>,
    }
    #[derive(Serialize)]
    struct JsonNode<'a> {
        id: String,
        kind: &'static str,
        ecosystem: &'static str,
        name: &'a str,
        version: Option<&'a str>,
        resolved: Option<&'a str>,
        group: Option<&'a str>,
        /// The deployment unit (additive field; absent outside every unit).
        #[serde(skip_serializing_if = "Option::is_none")]
        unit: Option<&'a str>,
        /// Promotion order; `[]` = deployed everywhere. Absent without configured
        /// environments, so the output stays what it was before environments existed.
        #[serde(skip_serializing_if = "Option::is_none")]
        environments: Option<Vec<&'a str>>,
        location: &'a Location,
    }
    #[derive(Serialize)]
    struct JsonEdge<'a> {
        from: String,
        to: String,
        rule_id: &'a str,
        outcome: &'static str,
    }
    let doc = Doc {
        schema_version: 1,
        environments: &view.environments,
        nodes: view
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| JsonNode {
                id: format!("n{i}"),
                kind: crate::report::kind_name(n.component.kind),
                ecosystem: n.component.ecosystem.as_str(),
                name: &n.component.name,
                version: n.component.version.as_deref(),
                resolved: n.component.resolved.as_deref(),
                group: n.component.group.as_deref(),
                unit: n.unit.as_deref(),
                environments: (!view.environments.is_empty()).then(|| {
                    let mut envs = n.environments.clone();
                    envs.sort_unstable();
                    envs.iter()
                        .map(|&e| view.environments[e].as_str())
                        .collect()
                }),
                location: &n.location,
            })
            .collect(),
        edges: view
            .edges
            .iter()
            .map(|e| JsonEdge {
                from: format!("n{}", e.from),
                to: format!("n{}", e.to),
                rule_id: &e.rule_id,
                outcome: e.outcome.as_str(),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("plain data serialises");
    s.push('\n');
    s
}

/// Nodes drawn in one environment (`None`: deployed everywhere, drawn outside any
/// environment box), split by file.
struct EnvBox {
    env: Option<usize>,
    files: Vec<FileBox>,
}

/// Nodes of one file, split by group (ungrouped first, then groups by name).
struct FileBox {
    path: String,
    /// The deployment unit of the file's first node.
    unit: Option<String>,
    groups: Vec<GroupBox>,
}

impl FileBox {
    /// `legacy/api/package.json (compose project legacy, build context of api)`.
    fn label(&self) -> String {
        match &self.unit {
            Some(u) => format!("{} ({u})", self.path),
            None => self.path.clone(),
        }
    }
}

struct GroupBox {
    name: Option<String>,
    nodes: Vec<usize>,
}

/// The boxes, from runs of consecutive nodes ([`view`] sorts by environment, then file).
/// A group named like the environment box around it (a declared server's group is its
/// environment) is not boxed again: the label would only repeat one level down.
fn boxes(view: &View) -> Vec<EnvBox> {
    let mut out: Vec<EnvBox> = Vec::new();
    for (i, n) in view.nodes.iter().enumerate() {
        let env = n.environments.first().copied();
        if out.last().is_none_or(|b| b.env != env) {
            out.push(EnvBox {
                env,
                files: Vec::new(),
            });
        }
        let env_box = out.last_mut().expect("pushed above");
        if env_box
            .files
            .last()
            .is_none_or(|f| f.path != n.location.path)
        {
            env_box.files.push(FileBox {
                path: n.location.path.clone(),
                unit: n.unit.clone(),
                groups: Vec::new(),
            });
        }
        let file = env_box.files.last_mut().expect("pushed above");
        let name = n
            .component
            .group
            .clone()
            .filter(|g| env.is_none_or(|e| view.environments[e] != *g));
        match file.groups.iter_mut().find(|g| g.name == name) {
            Some(g) => g.nodes.push(i),
            None => file.groups.push(GroupBox {
                name,
                nodes: vec![i],
            }),
        }
    }
    for b in &mut out {
        for f in &mut b.files {
            f.groups.sort_by(|a, b| a.name.cmp(&b.name));
        }
    }
    out
}

/// `also in production, qa`: the other environments of a node drawn in its first one.
fn also_in(view: &View, n: usize) -> Option<String> {
    let envs = &view.nodes[n].environments;
    (envs.len() > 1).then(|| {
        let names: Vec<&str> = envs[1..]
            .iter()
            .map(|&e| view.environments[e].as_str())
            .collect();
        format!("also in {}", names.join(", "))
    })
}

/// `mysql 8.0.36`, `mysql ^2.18.0 (locked 2.18.1)`, `node` when there is no version.
fn title(c: &Component) -> String {
    let mut t = c.name.clone();
    if let Some(v) = &c.version {
        t.push(' ');
        t.push_str(v);
    }
    if let Some(r) = &c.resolved
        && c.version.as_deref() != Some(r.as_str())
    {
        let _ = write!(t, " (locked {r})");
    }
    t
}

/// `docker server`, `npm package`.
fn subtitle(c: &Component) -> String {
    format!(
        "{} {}",
        c.ecosystem.as_str(),
        crate::report::kind_name(c.kind)
    )
}

fn kind_fill(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Server => "#dbeafe",
        ComponentKind::Runtime => "#dcfce7",
        ComponentKind::Package => "#ffffff",
        ComponentKind::Tool => "#f1f5f9",
        ComponentKind::Resource => "#fef9c3",
    }
}

fn outcome_colour(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Ok => "#16a34a",
        Outcome::MayBreak => "#d97706",
        Outcome::Breaks => "#dc2626",
    }
}

/// A DOT double-quoted string: `"` and `\` escaped, newlines as DOT's centred `\n`.
fn dot_str(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for ch in text.chars() {
        match ch {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => {}
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Text inside a Mermaid `["…"]` label or `|"…"|` edge label: Mermaid reads `#name;`
/// entity codes there, so the characters its parser or the HTML renderer would take as
/// syntax are written as codes (`#` first, so the codes themselves survive). Mermaid also
/// rewrites the whole diagram text before parsing, ignoring quotes, and three of those
/// passes would eat a name (found by rendering with the real library, tests/mermaid.rs):
/// `%%` starts a comment or a `%%{init}%%` directive anywhere on a line; a label that
/// opens and closes with a backtick is a Markdown string; and a line with `style`, then
/// a `:` and a `#`, loses its last `;` (meant for `style n0 fill:#f00;`), which would cut
/// an entity code in half. So `%`, `` ` `` and `:` are written as codes too.
fn mermaid_text(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '#' => s.push_str("#35;"),
            '"' => s.push_str("#quot;"),
            '<' => s.push_str("#lt;"),
            '>' => s.push_str("#gt;"),
            '|' => s.push_str("#124;"),
            '&' => s.push_str("#amp;"),
            '%' => s.push_str("#37;"),
            '`' => s.push_str("#96;"),
            ':' => s.push_str("#58;"),
            '\n' | '\r' => s.push(' '),
            c => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_strings_escape_quotes_backslashes_and_newlines() {
        assert_eq!(dot_str(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(dot_str("x\ny"), r#""x\ny""#);
    }

    #[test]
    fn mermaid_text_escapes_syntax() {
        assert_eq!(
            mermaid_text(r#">=8.0 <9 "x" | C# & y"#),
            "#gt;=8.0 #lt;9 #quot;x#quot; #124; C#35; #amp; y"
        );
        assert_eq!(
            mermaid_text("%%{init}%% `md` style:a"),
            "#37;#37;{init}#37;#37; #96;md#96; style#58;a"
        );
    }
}

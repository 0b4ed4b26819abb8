//! `skew graph`: the compatibility graph drawn as Graphviz DOT, a Mermaid flowchart or JSON.
//!
//! Owns the picture: which components become nodes (servers, runtimes and tools always;
//! packages and resources only when a rule relates them to something — a lockfile's
//! hundreds of unrelated packages would bury the few edges that matter), how nodes are
//! grouped (one box per file, and inside it one per [`Component::group`], e.g. a compose
//! service), and how edges look (client -> server, labelled with the rule id, coloured by
//! outcome: ok green, may-break amber and dashed, breaks red). Every string a user wrote
//! is escaped for the target syntax. Output is deterministic: nodes in (path, position)
//! order, edges sorted. Must not: evaluate rules or decide findings (`graph.rs`, `check/`).

use std::fmt::Write as _;

use serde::Serialize;

use crate::check::Outcome;
use crate::component::{Component, ComponentKind};
use crate::graph::Graph;
use crate::rule::RuleSet;
use crate::source::{Location, Sources};

/// The drawable graph: nodes in display order and edges between their indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View<'a> {
    pub nodes: Vec<Node<'a>>,
    pub edges: Vec<ViewEdge>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node<'a> {
    pub component: &'a Component,
    pub location: Location,
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
    components: &'a [Component],
    sources: &Sources,
    graph: &Graph,
    rules: &RuleSet,
) -> View<'a> {
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
        );
    }
    for (c, s, _, _) in &raw_edges {
        wanted[*c] = true;
        wanted[*s] = true;
    }
    let mut order: Vec<(Location, usize)> = (0..components.len())
        .filter(|&i| wanted[i])
        .map(|i| (sources.location(components[i].span), i))
        .collect();
    order.sort_by(|(la, a), (lb, b)| {
        (&la.path, la.line, la.column, &components[*a].name).cmp(&(
            &lb.path,
            lb.line,
            lb.column,
            &components[*b].name,
        ))
    });
    let mut position = vec![usize::MAX; components.len()];
    for (pos, (_, i)) in order.iter().enumerate() {
        position[*i] = pos;
    }
    let nodes = order
        .into_iter()
        .map(|(location, i)| Node {
            component: &components[i],
            location,
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
    View { nodes, edges }
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
    for (f, file) in files(view).iter().enumerate() {
        let _ = writeln!(s, "  subgraph cluster_{f} {{");
        let _ = writeln!(s, "    label={};", dot_str(&file.path));
        s.push_str("    style=\"rounded\"; color=\"#94a3b8\";\n");
        for (g, group) in file.groups.iter().enumerate() {
            let indent = if group.name.is_some() {
                "      "
            } else {
                "    "
            };
            if let Some(name) = &group.name {
                let _ = writeln!(s, "    subgraph cluster_{f}_{g} {{");
                let _ = writeln!(s, "      label={};", dot_str(name));
                s.push_str("      style=\"rounded,dashed\"; color=\"#cbd5e1\";\n");
            }
            for &n in &group.nodes {
                let c = view.nodes[n].component;
                let _ = writeln!(
                    s,
                    "{indent}n{n} [label={}, fillcolor=\"{}\"];",
                    dot_str(&format!("{}\n{}", title(c), subtitle(c))),
                    kind_fill(c.kind)
                );
            }
            if group.name.is_some() {
                s.push_str("    }\n");
            }
        }
        s.push_str("  }\n");
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
    for (f, file) in files(view).iter().enumerate() {
        let _ = writeln!(s, "  subgraph f{f}[\"{}\"]", mermaid_text(&file.path));
        for (g, group) in file.groups.iter().enumerate() {
            let indent = if group.name.is_some() {
                "      "
            } else {
                "    "
            };
            if let Some(name) = &group.name {
                let _ = writeln!(s, "    subgraph f{f}g{g}[\"{}\"]", mermaid_text(name));
            }
            for &n in &group.nodes {
                let c = view.nodes[n].component;
                let _ = writeln!(
                    s,
                    "{indent}n{n}[\"{}<br/>{}\"]",
                    mermaid_text(&title(c)),
                    mermaid_text(&subtitle(c))
                );
            }
            if group.name.is_some() {
                s.push_str("    end\n");
            }
        }
        s.push_str("  end\n");
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

/// Nodes of one file, split by group (ungrouped first, then groups by name).
struct FileBox {
    path: String,
    groups: Vec<GroupBox>,
}

struct GroupBox {
    name: Option<String>,
    nodes: Vec<usize>,
}

fn files(view: &View) -> Vec<FileBox> {
    let mut out: Vec<FileBox> = Vec::new();
    for (i, n) in view.nodes.iter().enumerate() {
        if out.last().is_none_or(|f| f.path != n.location.path) {
            out.push(FileBox {
                path: n.location.path.clone(),
                groups: Vec::new(),
            });
        }
        let file = out.last_mut().expect("pushed above");
        let name = n.component.group.clone();
        match file.groups.iter_mut().find(|g| g.name == name) {
            Some(g) => g.nodes.push(i),
            None => file.groups.push(GroupBox {
                name,
                nodes: vec![i],
            }),
        }
    }
    for f in &mut out {
        f.groups.sort_by(|a, b| a.name.cmp(&b.name));
    }
    out
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

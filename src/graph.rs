//! The compatibility graph: components are nodes, evaluated rule relations are edges.
//!
//! Built from the inventory and the evaluations of `check/`; findings are read off the
//! edges, merged so that one client line gets one finding per rule even when it talks to
//! several servers (each server becomes a related label). `skew graph` renders it.
//! Must not: evaluate rules itself.

use petgraph::stable_graph::{NodeIndex, StableDiGraph};

use crate::check::{Evaluation, Outcome};
use crate::component::Component;
use crate::diagnostic::Finding;

/// An edge: `client -> server` under one rule.
#[derive(Debug, Clone)]
pub struct Edge {
    /// Index into the rule set's rules.
    pub rule: usize,
    pub outcome: Outcome,
    pub finding: Option<Finding>,
}

#[derive(Debug, Default)]
pub struct Graph {
    /// Node weights are indices into the inventory's components.
    pub graph: StableDiGraph<usize, Edge>,
    nodes: Vec<NodeIndex>,
}

impl Graph {
    /// One node per component, one edge per evaluation. Each finding names the client
    /// and the server it relates by id.
    pub fn build(components: &[&Component], evaluations: Vec<Evaluation>) -> Graph {
        let mut graph = StableDiGraph::with_capacity(components.len(), evaluations.len());
        let nodes: Vec<_> = (0..components.len()).map(|i| graph.add_node(i)).collect();
        for mut e in evaluations {
            if let Some(f) = &mut e.finding {
                for id in [components[e.client].id, components[e.server].id] {
                    if !f.components.contains(&id) {
                        f.components.push(id);
                    }
                }
            }
            graph.add_edge(
                nodes[e.client],
                nodes[e.server],
                Edge {
                    rule: e.rule,
                    outcome: e.outcome,
                    finding: e.finding,
                },
            );
        }
        Graph { graph, nodes }
    }

    pub fn node(&self, component: usize) -> NodeIndex {
        self.nodes[component]
    }

    /// Findings off every edge, one per (client, rule): the worst outcome's finding,
    /// with the other servers' labels added as related.
    pub fn findings(&self) -> Vec<Finding> {
        let mut merged: Vec<(usize, usize, Outcome, Finding)> = Vec::new();
        for e in self.graph.edge_indices() {
            let (client, _) = self.graph.edge_endpoints(e).expect("edge exists");
            let client = self.graph[client];
            let edge = &self.graph[e];
            let Some(f) = &edge.finding else { continue };
            match merged
                .iter_mut()
                .find(|(c, r, _, _)| *c == client && *r == edge.rule)
            {
                Some((_, _, outcome, existing)) => {
                    if edge.outcome > *outcome {
                        let mut f = f.clone();
                        for l in existing.related.drain(..) {
                            if !f.related.contains(&l) {
                                f.related.push(l);
                            }
                        }
                        for id in existing.components.drain(..) {
                            if !f.components.contains(&id) {
                                f.components.push(id);
                            }
                        }
                        *existing = f;
                        *outcome = edge.outcome;
                    } else {
                        for l in &f.related {
                            if !existing.related.contains(l) {
                                existing.related.push(l.clone());
                            }
                        }
                        for id in &f.components {
                            if !existing.components.contains(id) {
                                existing.components.push(*id);
                            }
                        }
                    }
                }
                None => merged.push((client, edge.rule, edge.outcome, f.clone())),
            }
        }
        merged.into_iter().map(|(_, _, _, f)| f).collect()
    }
}

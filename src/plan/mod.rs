//! Planning: who talks to whom, as views over the immutable inventory.
//!
//! [`topology`] builds deployment units (compose projects and their build contexts, Helm
//! charts, kustomizations, folders of Kubernetes manifests, Terraform modules) and answers
//! "may client C reach server S, and why"; [`families`] collapses the findings of one rule
//! family for one client into one. Must not: parse files, evaluate rules, or change the
//! inventory.

pub mod families;
pub mod topology;

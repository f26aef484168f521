//! NGINX Ingress canary annotations (`nginx.ingress.kubernetes.io/canary*`) and
//! the host, path and Service of each Ingress rule.

use crate::doc::Resource;
use crate::util::{entries, entry, path, text};
use canary_lint_config::yaml::Node;
use canary_lint_core::Span;

pub const PREFIX: &str = "nginx.ingress.kubernetes.io/";

/// An annotation of an object: (key node, value node).
pub fn annotation<'r>(r: &'r Resource, name: &str) -> Option<(&'r Node, &'r Node)> {
    entry(path(&r.root, &["metadata", "annotations"])?, name)
}

/// The NGINX canary annotations other than `canary` itself.
pub fn canary_annotations(r: &Resource) -> Vec<(&Node, &Node)> {
    path(&r.root, &["metadata", "annotations"])
        .map(entries)
        .unwrap_or_default()
        .iter()
        .filter(|(k, _)| {
            k.as_str()
                .and_then(|k| k.strip_prefix(PREFIX))
                .is_some_and(|k| k.starts_with("canary-"))
        })
        .map(|(k, v)| (k, v))
        .collect()
}

/// Whether an Ingress is an NGINX canary (`canary: "true"`).
pub fn is_canary(r: &Resource) -> bool {
    r.kind == "Ingress"
        && annotation(r, &format!("{PREFIX}canary"))
            .and_then(|(_, v)| v.as_str())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// One host and path of an Ingress and the Service behind it.
#[derive(Debug, Clone)]
pub struct IngressPath {
    pub host: String,
    /// Where the host is written (the rule's node when it has no host).
    pub host_span: Span,
    pub path: String,
    pub service: String,
}

/// The (host, path, Service) of every rule of an Ingress.
pub fn paths(r: &Resource) -> Vec<IngressPath> {
    let mut out = Vec::new();
    let Some(rules) = path(&r.root, &["spec", "rules"]) else {
        return out;
    };
    for rule in rules.items() {
        let host_node = rule.get("host");
        let host = text(host_node).unwrap_or("*").to_string();
        let host_span = host_node.map_or(rule.span(), Node::span);
        for p in path(rule, &["http", "paths"])
            .map(Node::items)
            .unwrap_or_default()
        {
            let svc = path(p, &["backend", "service", "name"])
                .or_else(|| path(p, &["backend", "serviceName"]));
            let service = svc.and_then(Node::as_str).unwrap_or_default().to_string();
            out.push(IngressPath {
                host: host.clone(),
                host_span,
                path: text(p.get("path")).unwrap_or("/").to_string(),
                service,
            });
        }
    }
    out
}

/// (host, Service, path) of every backend.
pub fn backends(r: &Resource) -> Vec<(String, String, String)> {
    paths(r)
        .into_iter()
        .map(|p| (p.host, p.service, p.path))
        .collect()
}

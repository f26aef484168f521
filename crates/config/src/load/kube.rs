//! Kubernetes manifests: ConfigMap `data` entries and the container `env` lists of
//! workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod, Argo
//! Rollout), plus `spec.replicas`.
//!
//! A ConfigMap entry holding a whole file (`application.properties`, `application.yml`,
//! `*.env`, or content that reads as one) is parsed as that file; its lines are located
//! inside the ConfigMap (block scalars keep them verbatim), so every position points at
//! the right line of the manifest. Any other entry is one key (usually an env name).
//! An `env` item with `valueFrom` gets a value describing the reference.

use super::yaml::{parse_nodes, Node};
use super::{dotenv, flat_kind, properties, yaml, Flat, LoadedText, OffsetMap, Raw, SyntaxError};
use canary_lint_core::Span;

/// Whether a YAML text is a Kubernetes manifest (top-level `apiVersion:` and `kind:`).
pub(crate) fn looks_like_kubernetes(text: &str) -> bool {
    let mut api = false;
    let mut kind = false;
    for line in text.lines() {
        api |= line.starts_with("apiVersion:");
        kind |= line.starts_with("kind:");
    }
    api && kind
}

const WORKLOADS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "Pod",
    "CronJob",
    "Rollout",
];

pub(crate) fn parse(text: &str) -> Result<LoadedText, SyntaxError> {
    let mut loaded = LoadedText::default();
    for doc in parse_nodes(text)? {
        let kind = doc
            .get("kind")
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_string();
        if kind == "ConfigMap" {
            if let Some(Node::Map { items, .. }) = doc.get("data") {
                for (k, v) in items {
                    data_entry(text, k, v, &mut loaded)?;
                }
            }
        } else if WORKLOADS.contains(&kind.as_str()) {
            workload(&doc, &kind, &mut loaded);
        }
    }
    Ok(loaded)
}

enum Embedded {
    Properties,
    Yaml,
    Env,
}

fn embedded_kind(name: &str, content: &str) -> Option<Embedded> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".properties") {
        return Some(Embedded::Properties);
    }
    if lower.ends_with(".yml") || lower.ends_with(".yaml") {
        return Some(Embedded::Yaml);
    }
    if lower.ends_with(".env") || lower == ".env" {
        return Some(Embedded::Env);
    }
    if !content.trim_end().contains('\n') {
        return None;
    }
    match flat_kind(content) {
        Flat::Empty => return None,
        Flat::Env => return Some(Embedded::Env),
        Flat::Properties => return Some(Embedded::Properties),
        Flat::Other => {}
    }
    match parse_nodes(content) {
        Ok(docs) if docs.iter().any(|d| matches!(d, Node::Map { .. })) => Some(Embedded::Yaml),
        _ => None,
    }
}

fn data_entry(text: &str, k: &Node, v: &Node, loaded: &mut LoadedText) -> Result<(), SyntaxError> {
    let Some(name) = k.as_str() else {
        return Ok(());
    };
    let Some(content) = v.as_str() else {
        return Err(SyntaxError::new(
            v.span().start,
            format!("ConfigMap data `{name}` is not a string"),
        ));
    };
    let Some(kind) = embedded_kind(name, content) else {
        loaded.entries.push(Raw {
            key: name.to_string(),
            value: content.to_string(),
            key_span: k.span(),
            value_span: v.span(),
            profile: None,
            env: true,
            value_from: None,
        });
        return Ok(());
    };
    let map = OffsetMap::locate(content, text, v.span().start, text.len());
    let inner = match kind {
        Embedded::Properties => properties::parse(content),
        Embedded::Yaml => yaml::parse_spring(content),
        Embedded::Env => dotenv::parse(content),
    }
    .map_err(|e| {
        SyntaxError::new(
            map.map(e.offset),
            format!("in ConfigMap data `{name}`: {}", e.message),
        )
    })?;
    loaded.absorb(inner, &map);
    Ok(())
}

fn workload(doc: &Node, kind: &str, loaded: &mut LoadedText) {
    let spec = doc.get("spec");
    if let Some(r) = spec.and_then(|s| s.get("replicas")) {
        if let Some(n) = r.as_str().and_then(|s| s.trim().parse::<u64>().ok()) {
            loaded.replicas = Some((n, r.span()));
        }
    }
    let pod = match kind {
        "Pod" => spec,
        "CronJob" => spec
            .and_then(|s| s.get("jobTemplate"))
            .and_then(|s| s.get("spec"))
            .and_then(|s| s.get("template"))
            .and_then(|s| s.get("spec")),
        _ => spec
            .and_then(|s| s.get("template"))
            .and_then(|s| s.get("spec")),
    };
    let Some(pod) = pod else { return };
    for container in pod.get("containers").map(Node::items).unwrap_or_default() {
        for item in container.get("env").map(Node::items).unwrap_or_default() {
            env_item(item, loaded);
        }
    }
}

fn env_item(item: &Node, loaded: &mut LoadedText) {
    let Some(name_node) = item.get("name") else {
        return;
    };
    let Some(name) = name_node.as_str() else {
        return;
    };
    let (value, value_span, value_from) = if let Some((_, v)) = item.get_entry("value") {
        (v.as_str().unwrap_or_default().to_string(), v.span(), None)
    } else if let Some(from) = item.get("valueFrom") {
        let d = describe_value_from(from);
        (d.clone(), from.span(), Some(d))
    } else {
        let end = name_node.span().end;
        (String::new(), Span::new(end, end), None)
    };
    loaded.entries.push(Raw {
        key: name.to_string(),
        value,
        key_span: name_node.span(),
        value_span,
        profile: None,
        env: true,
        value_from,
    });
}

/// Where a container env item's value comes from (`valueFrom secretKeyRef NAME/KEY`,
/// `configMapKeyRef`, `fieldRef`, `resourceFieldRef`): the value shown and compared
/// for an env item without a literal value.
pub fn describe_value_from(from: &Node) -> String {
    let field = |n: &Node, k: &str| {
        n.get(k)
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_string()
    };
    for kind in ["secretKeyRef", "configMapKeyRef"] {
        if let Some(r) = from.get(kind) {
            return format!("valueFrom {kind} {}/{}", field(r, "name"), field(r, "key"));
        }
    }
    if let Some(r) = from.get("fieldRef") {
        return format!("valueFrom fieldRef {}", field(r, "fieldPath"));
    }
    if let Some(r) = from.get("resourceFieldRef") {
        return format!("valueFrom resourceFieldRef {}", field(r, "resource"));
    }
    "valueFrom".to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(text: &str, s: Span) -> &str {
        &text[s.start..s.end]
    }

    #[test]
    fn configmap_plain_and_embedded_entries() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  LOG_FORMAT: json\n  application.properties: |\n    # c\n    server.port=8080\n    spring.datasource.url=jdbc:pg://db/x\n  application.yml: |-\n    spring:\n      redis:\n        host: redis-a\n";
        let l = parse(text).unwrap();
        let kv: Vec<_> = l
            .entries
            .iter()
            .map(|r| (r.key.as_str(), r.value.as_str(), at(text, r.value_span)))
            .collect();
        assert_eq!(
            kv,
            [
                ("LOG_FORMAT", "json", "json"),
                ("server.port", "8080", "8080"),
                ("spring.datasource.url", "jdbc:pg://db/x", "jdbc:pg://db/x"),
                ("spring.redis.host", "redis-a", "redis-a"),
            ]
        );
        assert_eq!(at(text, l.entries[2].key_span), "spring.datasource.url");
    }

    #[test]
    fn sniffed_embedded_properties() {
        let text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  config: |\n    a.b=1\n    c.d=2\n";
        let l = parse(text).unwrap();
        assert_eq!(l.entries.len(), 2);
        assert_eq!(at(text, l.entries[1].value_span), "2");
    }

    #[test]
    fn embedded_error_points_into_the_configmap() {
        let text = "apiVersion: v1\nkind: ConfigMap\ndata:\n  application.properties: |\n    a=1\n    b=\\uZZZZ\n";
        let e = parse(text).unwrap_err();
        assert_eq!(&text[e.offset..e.offset + 2], "\\u");
        assert!(e.message.contains("application.properties"));
    }

    #[test]
    fn deployment_env_and_replicas() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: app\n          env:\n            - name: DATABASE_URL\n              value: postgres://db/x\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: db\n                  key: password\n";
        let l = parse(text).unwrap();
        assert_eq!(l.replicas.map(|r| r.0), Some(3));
        assert_eq!(l.entries[0].key, "DATABASE_URL");
        assert_eq!(at(text, l.entries[0].value_span), "postgres://db/x");
        assert_eq!(
            l.entries[1].value_from.as_deref(),
            Some("valueFrom secretKeyRef db/password")
        );
    }
}

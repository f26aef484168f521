//! Small helpers over the YAML tree: paths, numbers, labels, durations, hosts.

use canary_lint_config::yaml::Node;
use std::collections::BTreeMap;

/// The node at a path of mapping keys.
pub fn path<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    keys.iter().try_fold(node, |n, k| n.get(k))
}

/// The (key, value) pairs of a mapping (empty for anything else).
pub fn entries(node: &Node) -> &[(Node, Node)] {
    match node {
        Node::Map { items, .. } => items,
        _ => &[],
    }
}

/// The first mapping entry whose key is `key`: (key node, value node).
pub fn entry<'n>(node: &'n Node, key: &str) -> Option<(&'n Node, &'n Node)> {
    entries(node)
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(k, v)| (k, v))
}

/// A scalar's text.
pub fn text(node: Option<&Node>) -> Option<&str> {
    node.and_then(Node::as_str)
}

/// A scalar read as a whole number.
pub fn int(node: &Node) -> Option<i64> {
    node.as_str()?.trim().parse().ok()
}

/// A mapping of string labels (`matchLabels`, `metadata.labels`).
pub fn labels(node: Option<&Node>) -> BTreeMap<String, String> {
    node.map(entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
        .collect()
}

/// A Go or Prometheus duration (`90s`, `1m30s`, `5m`, `1h`, `500ms`, `1d`) in
/// milliseconds; `None` when it is not one.
pub fn duration_ms(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let b = s.as_bytes();
    let mut i = 0;
    let mut total: u64 = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if start == i {
            return None;
        }
        let n: u64 = s[start..i].parse().ok()?;
        let u = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let unit: u64 = match &s[u..i] {
            "ms" => 1,
            "s" | "" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            "y" => 31_536_000_000,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    Some(total)
}

/// A duration for a message: `5m`, `90s`, `1h30m`.
pub fn show_ms(ms: u64) -> String {
    if !ms.is_multiple_of(1000) {
        return format!("{ms}ms");
    }
    let mut s = ms / 1000;
    let mut out = String::new();
    for (unit, len) in [("h", 3600), ("m", 60), ("s", 1)] {
        if s >= len {
            out.push_str(&format!("{}{unit}", s / len));
            s %= len;
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

/// The Service a mesh host names: `reviews` of `reviews.prod.svc.cluster.local`.
pub fn short_host(host: &str) -> &str {
    host.split('.').next().unwrap_or(host)
}

/// A version label value such as `v1`, `v2`, `1.4.0`: the numbers, for ordering.
pub fn version_key(v: &str) -> Option<Vec<u64>> {
    let v = v.strip_prefix(['v', 'V']).unwrap_or(v);
    if v.is_empty() || !v.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    v.split('.').map(|p| p.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_ms("1m30s"), Some(90_000));
        assert_eq!(duration_ms("500ms"), Some(500));
        assert_eq!(duration_ms("2h"), Some(7_200_000));
        assert_eq!(duration_ms("30"), Some(30_000));
        assert_eq!(duration_ms("{{ interval }}"), None);
        assert_eq!(show_ms(90_000), "1m30s");
    }

    #[test]
    fn versions_order_numerically() {
        assert!(version_key("v10") > version_key("v9"));
        assert_eq!(version_key("canary"), None);
    }
}

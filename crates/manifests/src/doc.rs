//! Reading manifest files: every YAML document with byte spans (through the config
//! crate's YAML reader), one document at a time so that a malformed document is
//! reported with its line and the documents after it are still read.

use canary_lint_config::yaml::{parse_nodes, Node};
use canary_lint_core::{SourceFile, Span};

/// One Kubernetes object found in a file.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Index of the file in the run.
    pub file: usize,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    /// The span of `metadata.name`'s value (or of `kind` when there is no name).
    pub name_span: Span,
    pub root: Node,
}

impl Resource {
    /// `kind/name`, the way kubectl names an object.
    pub fn id(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }

    /// The group of `apiVersion` (`networking.istio.io` of `networking.istio.io/v1`).
    pub fn group(&self) -> &str {
        self.api_version.rsplit_once('/').map_or("", |(g, _)| g)
    }
}

/// Byte offsets where the documents of a YAML stream start: the start of the text
/// and every line that opens with a `---` marker at column 0.
fn document_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset > 0 && line.starts_with("---") {
            let rest = &line[3..];
            if rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']) {
                starts.push(offset);
            }
        }
        offset += line.len();
    }
    starts
}

fn shifted(node: Node, by: usize) -> Node {
    match node {
        Node::Scalar { value, style, span } => Node::Scalar {
            value,
            style,
            span: span.shifted(by),
        },
        Node::Map { items, span } => Node::Map {
            items: items
                .into_iter()
                .map(|(k, v)| (shifted(k, by), shifted(v, by)))
                .collect(),
            span: span.shifted(by),
        },
        Node::Seq { items, span } => Node::Seq {
            items: items.into_iter().map(|n| shifted(n, by)).collect(),
            span: span.shifted(by),
        },
    }
}

/// Whether a text looks like Kubernetes YAML: some line starts with `apiVersion:`
/// and some with `kind:` (cheap test used when searching a repository).
pub fn looks_like_manifest(text: &str) -> bool {
    let mut api = false;
    let mut kind = false;
    for line in text.lines() {
        let l = line.trim_start_matches(['-', ' ']);
        api |= l.starts_with("apiVersion:");
        kind |= l.starts_with("kind:");
        if api && kind {
            return true;
        }
    }
    false
}

/// The objects of one file, and an error (`path:line:column: message`) for each
/// document that could not be read. Lists (`kind: List`, `items:`) are opened.
pub fn read(index: usize, file: &SourceFile) -> (Vec<Resource>, Vec<String>) {
    let text: &str = &file.text;
    let mut out = Vec::new();
    // The whole stream at once when it reads (no spans to move); else one
    // document at a time, so that the documents around a bad one are still read.
    if let Ok(docs) = parse_nodes(text) {
        for doc in docs {
            collect(index, doc, &mut out);
        }
        return (out, Vec::new());
    }
    let starts = document_starts(text);
    let mut errors = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let chunk = &text[start..end];
        if !chunk.contains(':') {
            continue;
        }
        match parse_nodes(chunk) {
            Ok(docs) => {
                for doc in docs {
                    collect(index, shifted(doc, start), &mut out);
                }
            }
            Err(e) => {
                let pos = file.position(start + e.offset);
                errors.push(format!(
                    "{}:{}:{}: {} (the other documents of the file are still checked)",
                    file.path, pos.line, pos.column, e.message
                ));
            }
        }
    }
    (out, errors)
}

fn collect(index: usize, doc: Node, out: &mut Vec<Resource>) {
    let (Some(kind), Some(api)) = (
        doc.get("kind").and_then(Node::as_str),
        doc.get("apiVersion").and_then(Node::as_str),
    ) else {
        return;
    };
    let (kind, api) = (kind.to_string(), api.to_string());
    if kind.ends_with("List") {
        if let Some(items) = doc.get("items") {
            for item in items.items() {
                collect(index, item.clone(), out);
            }
        }
        return;
    }
    let meta = doc.get("metadata");
    let name_node = meta.and_then(|m| m.get("name"));
    let name = name_node
        .and_then(Node::as_str)
        .unwrap_or_default()
        .to_string();
    let name_span = name_node
        .or_else(|| doc.get("kind"))
        .map(Node::span)
        .unwrap_or_default();
    let namespace = meta
        .and_then(|m| m.get("namespace"))
        .and_then(Node::as_str)
        .unwrap_or_default()
        .to_string();
    out.push(Resource {
        file: index,
        api_version: api,
        kind,
        name,
        namespace,
        name_span,
        root: doc,
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_bad_document_is_reported_and_the_next_still_read() {
        let f = SourceFile::new(
            "m.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\nkind: [\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n",
        );
        let (res, errors) = read(0, &f);
        assert_eq!(
            res.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("m.yaml:"), "{}", errors[0]);
        let line: u32 = errors[0].split(':').nth(1).unwrap().parse().unwrap();
        assert!((5..=7).contains(&line), "{}", errors[0]);
        // Spans are positions in the whole file.
        assert_eq!(&f.text[res[1].name_span.start..res[1].name_span.end], "b");
    }

    #[test]
    fn manifests_are_told_from_other_yaml() {
        assert!(looks_like_manifest("apiVersion: v1\nkind: Service\n"));
        assert!(!looks_like_manifest("spring:\n  datasource: x\n"));
    }
}

//! YAML (and JSON, which YAML 1.2 reads) into a small tree with byte spans, built from
//! saphyr-parser's events so that each scalar keeps its source span and style; then Spring's
//! flattening: nested maps joined with `.`, list items as `key[i]`, one profile per document.
//!
//! Input is hostile, so the tree is bounded: nesting deeper than [`MAX_DEPTH`] levels
//! (also through an alias) and alias expansion beyond [`MAX_ALIAS_NODES`] nodes (the
//! "billion laughs" bomb) are errors at the offending position, never a stack overflow or
//! unbounded memory. Merge keys (`<<: *defaults`, `<<: [*a, *b]`) are resolved as YAML 1.1
//! defines them: the mapping's own keys win, then the merged mappings in order. This module
//! is public ([`crate::yaml`]) so other YAML readers get the same guarantees.

use super::{document_profile, LoadedText, Raw, SyntaxError};
use canary_lint_core::{LineIndex, Position, Span};
use saphyr_parser::{Event, Marker, Parser, ScalarStyle};
use std::collections::HashMap;

/// Deepest nesting of collections accepted (a document's root is level 1).
pub const MAX_DEPTH: usize = 256;
/// Most nodes that aliases may add to a stream in all (each alias adds the size of the
/// node it repeats).
pub const MAX_ALIAS_NODES: usize = 250_000;

/// A YAML node with the byte span of its text.
#[derive(Debug, Clone)]
pub enum Node {
    Scalar {
        value: String,
        style: ScalarStyle,
        span: Span,
    },
    Map {
        items: Vec<(Node, Node)>,
        span: Span,
    },
    Seq {
        items: Vec<Node>,
        span: Span,
    },
}

impl Node {
    pub fn span(&self) -> Span {
        match self {
            Node::Scalar { span, .. } | Node::Map { span, .. } | Node::Seq { span, .. } => *span,
        }
    }

    /// A scalar's text (`null`, `~` and empty plain scalars are the empty string).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar {
                value,
                style: ScalarStyle::Plain,
                ..
            } if matches!(value.as_str(), "~" | "null" | "Null" | "NULL") => Some(""),
            Node::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map { items, .. } => items
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entry (key node, value node) under `key` of a mapping.
    pub fn get_entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match self {
            Node::Map { items, .. } => items
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn items(&self) -> &[Node] {
        match self {
            Node::Seq { items, .. } => items,
            _ => &[],
        }
    }
}

enum YamlFrame {
    Map {
        items: Vec<(Node, Node)>,
        key: Option<Node>,
        start: usize,
        anchor: usize,
        /// Nodes below this one, and the height of its tallest child.
        size: usize,
        height: usize,
    },
    Seq {
        items: Vec<Node>,
        start: usize,
        anchor: usize,
        size: usize,
        height: usize,
    },
}

/// An anchored node with its size (nodes) and height (levels).
struct Anchored {
    node: Node,
    size: usize,
    height: usize,
}

struct Builder<'t> {
    text: &'t str,
    /// Line starts, for a text that is not plain ASCII (where the scanner's character
    /// index is not the byte offset).
    index: Option<LineIndex>,
    stack: Vec<YamlFrame>,
    anchors: HashMap<usize, Anchored>,
    docs: Vec<Node>,
    root: Option<Node>,
    /// Nodes added by aliases so far.
    expanded: usize,
}

impl Builder<'_> {
    fn offset(&self, m: &Marker) -> usize {
        let Some(index) = &self.index else {
            // ASCII: the scanner's character index is the byte offset.
            return m.index().min(self.text.len());
        };
        let pos = Position {
            line: m.line().max(1) as u32,
            column: m.col() as u32 + 1,
        };
        index.offset(self.text, pos)
    }

    fn push(&mut self, node: Node, node_size: usize, node_height: usize) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(YamlFrame::Seq {
                items,
                size,
                height,
                ..
            }) => {
                items.push(node);
                *size += node_size;
                *height = (*height).max(node_height);
            }
            Some(YamlFrame::Map {
                items,
                key,
                size,
                height,
                ..
            }) => {
                *size += node_size;
                *height = (*height).max(node_height);
                match key.take() {
                    None => *key = Some(node),
                    Some(k) => items.push((k, node)),
                }
            }
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node, size: usize, height: usize) {
        if anchor > 0 {
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    size,
                    height,
                },
            );
        }
    }
}

fn is_merge_key(k: &Node) -> bool {
    matches!(k, Node::Scalar { value, style: ScalarStyle::Plain, .. } if value == "<<")
}

/// Resolves merge keys (`<<`) of one mapping: its own keys first, then the keys of each
/// merged mapping (a mapping, or a sequence of mappings, earlier ones winning) that the
/// mapping does not already have.
fn resolve_merges(items: Vec<(Node, Node)>) -> Result<Vec<(Node, Node)>, SyntaxError> {
    if !items.iter().any(|(k, _)| is_merge_key(k)) {
        return Ok(items);
    }
    let mut own = Vec::with_capacity(items.len());
    let mut merged: Vec<Vec<(Node, Node)>> = Vec::new();
    for (k, v) in items {
        if !is_merge_key(&k) {
            own.push((k, v));
            continue;
        }
        match v {
            Node::Map { items, .. } => merged.push(items),
            Node::Seq { items, .. } => {
                for item in items {
                    match item {
                        Node::Map { items, .. } => merged.push(items),
                        other => {
                            return Err(SyntaxError::new(
                                other.span().start,
                                "invalid YAML: a merge key (`<<`) takes mappings only",
                            ))
                        }
                    }
                }
            }
            other => {
                return Err(SyntaxError::new(
                    other.span().start,
                    "invalid YAML: a merge key (`<<`) takes a mapping or a list of mappings",
                ))
            }
        }
    }
    let mut seen: std::collections::HashSet<String> = own
        .iter()
        .filter_map(|(k, _)| k.as_str().map(str::to_string))
        .collect();
    for items in merged {
        for (k, v) in items {
            let Some(name) = k.as_str() else { continue };
            if seen.insert(name.to_string()) {
                own.push((k, v));
            }
        }
    }
    Ok(own)
}

/// Parses every document of a YAML stream, within [`MAX_DEPTH`] and [`MAX_ALIAS_NODES`],
/// merge keys resolved.
pub fn parse_nodes(text: &str) -> Result<Vec<Node>, SyntaxError> {
    let mut b = Builder {
        text,
        index: (!text.is_ascii()).then(|| LineIndex::new(text)),
        stack: Vec::new(),
        anchors: HashMap::new(),
        docs: Vec::new(),
        root: None,
        expanded: 0,
    };
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| {
            let m = e.marker();
            SyntaxError::new(b.offset(m), format!("invalid YAML: {}", e.info()))
        })?;
        let start = b.offset(&span.start);
        let end = b.offset(&span.end).max(start);
        match event {
            Event::DocumentStart(_) => b.root = None,
            Event::DocumentEnd => {
                if let Some(root) = b.root.take() {
                    b.docs.push(root);
                }
            }
            Event::Scalar(value, style, anchor, _) => {
                let node = Node::Scalar {
                    value: value.into_owned(),
                    style,
                    span: Span::new(start, end),
                };
                b.remember(anchor, &node, 1, 0);
                b.push(node, 1, 0);
            }
            Event::Alias(id) => {
                let Some(a) = b.anchors.get(&id) else {
                    return Err(SyntaxError::new(start, "alias to an unknown anchor"));
                };
                let (size, height) = (a.size, a.height);
                b.expanded = b.expanded.saturating_add(size);
                if b.expanded > MAX_ALIAS_NODES {
                    return Err(SyntaxError::new(
                        start,
                        format!("invalid YAML: aliases expand to more than {MAX_ALIAS_NODES} nodes (an alias bomb?)"),
                    ));
                }
                if b.stack.len() + height > MAX_DEPTH {
                    return Err(too_deep(start));
                }
                let node = a.node.clone();
                b.push(node, size, height);
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _)
                if b.stack.len() >= MAX_DEPTH =>
            {
                let _ = anchor;
                return Err(too_deep(start));
            }
            Event::MappingStart(anchor, _) => b.stack.push(YamlFrame::Map {
                items: Vec::new(),
                key: None,
                start,
                anchor,
                size: 0,
                height: 0,
            }),
            Event::SequenceStart(anchor, _) => b.stack.push(YamlFrame::Seq {
                items: Vec::new(),
                start,
                anchor,
                size: 0,
                height: 0,
            }),
            Event::MappingEnd | Event::SequenceEnd => {
                let (node, anchor, size, height) = match b.stack.pop() {
                    Some(YamlFrame::Map {
                        items,
                        start: s,
                        anchor,
                        size,
                        height,
                        ..
                    }) => (
                        Node::Map {
                            items: resolve_merges(items)?,
                            span: Span::new(s, end),
                        },
                        anchor,
                        size + 1,
                        height + 1,
                    ),
                    Some(YamlFrame::Seq {
                        items,
                        start: s,
                        anchor,
                        size,
                        height,
                    }) => (
                        Node::Seq {
                            items,
                            span: Span::new(s, end),
                        },
                        anchor,
                        size + 1,
                        height + 1,
                    ),
                    None => {
                        return Err(SyntaxError::new(
                            start,
                            "invalid YAML: unbalanced collection",
                        ))
                    }
                };
                b.remember(anchor, &node, size, height);
                b.push(node, size, height);
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
    }
    Ok(b.docs)
}

fn too_deep(at: usize) -> SyntaxError {
    SyntaxError::new(
        at,
        format!("invalid YAML: nested deeper than {MAX_DEPTH} levels"),
    )
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() || key.starts_with('[') {
        // Spring's bracket notation (`"[org.acme]": debug`) attaches without a dot.
        format!("{prefix}{key}")
    } else {
        format!("{prefix}.{key}")
    }
}

/// Flattens a node into Spring keys: `a.b.c`, lists as `a[0]`.
pub(crate) fn flatten(node: &Node, prefix: &str, key_span: Span, out: &mut Vec<Raw>) {
    match node {
        Node::Scalar { .. } => {
            if prefix.is_empty() {
                return;
            }
            out.push(Raw {
                key: prefix.to_string(),
                value: node.as_str().unwrap_or_default().to_string(),
                key_span,
                value_span: node.span(),
                profile: None,
                env: false,
                value_from: None,
            });
        }
        Node::Map { items, span } => {
            if items.is_empty() && !prefix.is_empty() {
                out.push(empty(prefix, key_span, *span));
            }
            for (k, v) in items {
                let Some(name) = k.as_str() else { continue };
                flatten(v, &join(prefix, name), k.span(), out);
            }
        }
        Node::Seq { items, span } => {
            if items.is_empty() && !prefix.is_empty() {
                out.push(empty(prefix, key_span, *span));
            }
            for (i, v) in items.iter().enumerate() {
                let s = v.span();
                flatten(
                    v,
                    &format!("{prefix}[{i}]"),
                    Span::new(s.start, s.start),
                    out,
                );
            }
        }
    }
}

fn empty(key: &str, key_span: Span, span: Span) -> Raw {
    Raw {
        key: key.to_string(),
        value: String::new(),
        key_span,
        value_span: span,
        profile: None,
        env: false,
        value_from: None,
    }
}

/// Spring `application.yml`: every document flattened, documents bound to a profile by
/// `spring.config.activate.on-profile` (or the older `spring.profiles`).
pub(crate) fn parse_spring(text: &str) -> Result<LoadedText, SyntaxError> {
    let mut loaded = LoadedText::default();
    for doc in parse_nodes(text)? {
        if !matches!(doc, Node::Map { .. }) {
            if let Node::Scalar { value, .. } = &doc {
                if value.trim().is_empty() {
                    continue;
                }
            }
            return Err(SyntaxError::new(
                doc.span().start,
                "expected a mapping of configuration keys",
            ));
        }
        let mut entries = Vec::new();
        flatten(&doc, "", Span::default(), &mut entries);
        let profile = document_profile(&entries);
        for mut raw in entries {
            raw.profile = profile.clone();
            loaded.entries.push(raw);
        }
    }
    Ok(loaded)
}

/// JSON (or profile-less YAML): every document flattened.
pub(crate) fn parse_plain(text: &str) -> Result<LoadedText, SyntaxError> {
    let mut loaded = LoadedText::default();
    for doc in parse_nodes(text)? {
        flatten(&doc, "", Span::default(), &mut loaded.entries);
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn flat(text: &str) -> Vec<(String, String, String, Option<String>)> {
        parse_spring(text)
            .unwrap()
            .entries
            .into_iter()
            .map(|r| {
                (
                    r.key,
                    r.value,
                    text[r.value_span.start..r.value_span.end].to_string(),
                    r.profile,
                )
            })
            .collect()
    }

    #[test]
    fn nested_maps_and_lists_flatten() {
        let got =
            flat("spring:\n  datasource:\n    url: jdbc:x\n  list:\n    - a\n    - b: 1\nz: ~\n");
        let keys: Vec<_> = got
            .iter()
            .map(|g| (g.0.as_str(), g.1.as_str(), g.2.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("spring.datasource.url", "jdbc:x", "jdbc:x"),
                ("spring.list[0]", "a", "a"),
                ("spring.list[1].b", "1", "1"),
                ("z", "", "~"),
            ]
        );
    }

    #[test]
    fn quoted_and_unicode_spans() {
        let text = "é: \"x y\"\nb: 'q'\n";
        let got = flat(text);
        assert_eq!(got[0].1, "x y");
        assert_eq!(got[0].2, "\"x y\"");
        assert_eq!(got[1].2, "'q'");
    }

    #[test]
    fn documents_with_profiles() {
        let got =
            flat("a: 1\n---\nspring:\n  config:\n    activate:\n      on-profile: canary\na: 2\n");
        assert_eq!(got[0].3, None);
        assert_eq!(got.last().unwrap().3.as_deref(), Some("canary"));
    }

    #[test]
    fn bracketed_map_keys_attach_without_a_dot() {
        let got = flat("logging:\n  level:\n    \"[org.acme.Service]\": debug\n");
        assert_eq!(got[0].0, "logging.level[org.acme.Service]");
    }

    #[test]
    fn anchors_resolve() {
        let got = flat("base: &b\n  x: 1\nother: *b\n");
        assert_eq!(got[1].0, "other.x");
    }

    #[test]
    fn errors_carry_offsets() {
        let e = parse_spring("a: 1\nb: [1, 2\n").unwrap_err();
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
        assert!(e.offset > 4);
    }
}

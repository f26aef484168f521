//! Secret values masked in the text a report may show: container `env` values whose
//! name is a secret's (the config crate's judgement, [`is_secret_key`]), every
//! value of a `Secret`, and ConfigMap values under secret keys. Masks keep the byte
//! length, so spans stay valid.

use crate::doc::Resource;
use crate::util::{entries, path};
use canary_lint_config::yaml::Node;
use canary_lint_config::{embedded_secret_ranges, is_secret_key};
use canary_lint_core::{SourceFile, Span};

/// The secret parts of a scalar's value (embedded credentials), as spans of the
/// source when the value is written as it reads (plain or simply quoted).
fn embedded(source: &str, v: &Node, out: &mut Vec<Span>) {
    let (Some(value), span) = (v.as_str(), v.span()) else {
        return;
    };
    let ranges = embedded_secret_ranges(value);
    if ranges.is_empty() {
        return;
    }
    let written = source.get(span.start..span.end).unwrap_or_default();
    match written.find(value) {
        Some(at) => {
            for r in ranges {
                out.push(Span::new(
                    span.start + at + r.start,
                    span.start + at + r.end,
                ));
            }
        }
        // Written differently (escapes, folded lines): the whole value is masked.
        None => out.push(span),
    }
}

fn secret_spans(source: &str, r: &Resource, out: &mut Vec<Span>) {
    match r.kind.as_str() {
        "Secret" => {
            for key in ["data", "stringData"] {
                for (_, v) in path(&r.root, &[key]).map(entries).unwrap_or_default() {
                    out.push(v.span());
                }
            }
        }
        "ConfigMap" => {
            for (k, v) in path(&r.root, &["data"]).map(entries).unwrap_or_default() {
                if k.as_str().is_some_and(is_secret_key) {
                    out.push(v.span());
                }
            }
        }
        _ => {}
    }
    let spec = path(&r.root, &["spec", "template", "spec"]);
    for list in ["containers", "initContainers"] {
        for c in spec
            .and_then(|s| s.get(list))
            .map(Node::items)
            .unwrap_or_default()
        {
            for e in c.get("env").map(Node::items).unwrap_or_default() {
                let secret = e
                    .get("name")
                    .and_then(Node::as_str)
                    .is_some_and(is_secret_key);
                match (secret, e.get("value")) {
                    (true, Some(v)) => out.push(v.span()),
                    // A password inside a URL (`postgres://u:pw@db/x`) under any name.
                    (false, Some(v)) => embedded(source, v, out),
                    _ => {}
                }
            }
        }
    }
}

/// The file as a report may show it: secret values replaced by `*` (same length).
pub fn masked(file: &SourceFile, resources: &[&Resource]) -> SourceFile {
    let mut spans = Vec::new();
    for r in resources {
        secret_spans(&file.text, r, &mut spans);
    }
    if spans.is_empty() {
        return file.clone();
    }
    let mut bytes = file.text.as_bytes().to_vec();
    for s in spans {
        for b in bytes
            .iter_mut()
            .take(s.end.min(file.text.len()))
            .skip(s.start)
        {
            *b = b'*';
        }
    }
    // Whole characters were replaced by ASCII: the text stays UTF-8.
    let text = String::from_utf8(bytes).unwrap_or_else(|_| "*".repeat(file.text.len()));
    SourceFile::new(file.path.to_string(), text)
}

//! SARIF 2.1.0 (a contract): one run whose driver lists every rule that
//! fired, one result per finding. Code-scanning services (GitHub's upload-sarif,
//! GitLab, IDE viewers) read this format.
//!
//! Choices worth knowing:
//! - `columnKind` is `unicodeCodePoints`: our columns count characters, and SARIF's
//!   default (UTF-16 code units) would misplace columns after non-BMP characters.
//! - `endColumn` is exclusive in SARIF, as our end positions are: the end position
//!   is the position of the byte just past the span.
//! - Paths become URI references: `\` turned into `/`, a leading `./` dropped, and
//!   every byte outside the unreserved set, `/` and a few harmless sub-delimiters
//!   percent-encoded. Absolute paths become `file://` URIs.
//! - The help text (the safe recipe) is appended to `message.text`, so viewers that
//!   show only the message still show what to do.

use crate::Report;
use canary_lint_core::{Diagnostic, Severity};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The URI of the official 2.1.0 schema (OASIS errata 01), stated as `$schema`.
pub(crate) const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

pub(crate) fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

pub(crate) fn render(report: &Report<'_>) -> String {
    // Rules that fired, by name (BTreeMap: sorted, so ruleIndex is deterministic).
    let mut fired: BTreeMap<&str, usize> = BTreeMap::new();
    for d in report.diagnostics {
        fired.insert(&d.rule, 0);
    }
    for (i, idx) in fired.values_mut().enumerate() {
        *idx = i;
    }
    let rules: Vec<Value> = fired
        .keys()
        .map(|name| rule_descriptor(report, name))
        .collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| result(d, fired.get(d.rule.as_str()).copied().unwrap_or(0)))
        .collect();
    let doc = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "canary-lint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn rule_descriptor(report: &Report<'_>, name: &str) -> Value {
    let mut rule = Map::new();
    rule.insert("id".into(), json!(name));
    if let Some(meta) = report.rules.iter().find(|r| r.name == name) {
        rule.insert("shortDescription".into(), json!({ "text": meta.summary }));
        let doc = meta.doc.trim();
        let full = if doc.is_empty() {
            meta.summary.as_str()
        } else {
            doc
        };
        rule.insert("fullDescription".into(), json!({ "text": full }));
        rule.insert(
            "defaultConfiguration".into(),
            json!({ "level": level(meta.severity) }),
        );
        rule.insert(
            "properties".into(),
            json!({ "tags": [meta.family.as_str()] }),
        );
    }
    Value::Object(rule)
}

fn result(d: &Diagnostic, rule_index: usize) -> Value {
    let mut text = d.message.clone();
    if d.found_by_scan {
        text.push_str(" (found by token scan of a statement the parser rejected)");
    }
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut physical = Map::new();
    physical.insert(
        "artifactLocation".into(),
        json!({ "uri": path_to_uri(&d.file) }),
    );
    if d.start.line >= 1 {
        let (end_line, end_column) = if d.end.line >= d.start.line && d.end.line >= 1 {
            (d.end.line, d.end.column.max(1))
        } else {
            (d.start.line, d.start.column.max(1))
        };
        physical.insert(
            "region".into(),
            json!({
                "startLine": d.start.line,
                "startColumn": d.start.column.max(1),
                "endLine": end_line,
                "endColumn": end_column,
            }),
        );
    }
    let related: Vec<Value> = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut loc = Map::new();
            loc.insert(
                "artifactLocation".into(),
                json!({ "uri": path_to_uri(&r.file) }),
            );
            if r.line >= 1 {
                loc.insert(
                    "region".into(),
                    json!({ "startLine": r.line, "startColumn": r.column.max(1) }),
                );
            }
            json!({
                "id": i,
                "physicalLocation": Value::Object(loc),
                "message": { "text": r.message },
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("ruleId".into(), json!(d.rule));
    out.insert("ruleIndex".into(), json!(rule_index));
    out.insert("level".into(), json!(level(d.severity)));
    out.insert("message".into(), json!({ "text": text }));
    out.insert(
        "locations".into(),
        json!([{ "physicalLocation": Value::Object(physical) }]),
    );
    if !related.is_empty() {
        out.insert("relatedLocations".into(), Value::Array(related));
    }
    let mut props = Map::new();
    if d.found_by_scan {
        props.insert("foundByScan".into(), json!(true));
    }
    if d.related_total > d.related.len() {
        props.insert("relatedTotal".into(), json!(d.related_total));
    }
    if !props.is_empty() {
        out.insert("properties".into(), Value::Object(props));
    }
    Value::Object(out)
}

/// A display path as a URI reference (relative stays relative).
pub(crate) fn path_to_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut rest = path.as_str();
    while let Some(r) = rest.strip_prefix("./") {
        rest = r;
    }
    let bytes = rest.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if drive {
        // `C:/x` -> `file:///C:/x` (the drive colon stays literal).
        return format!("file:///{}:{}", &rest[..1], escape(&rest[2..]));
    }
    if rest.starts_with('/') {
        return format!("file://{}", escape(rest));
    }
    escape(rest)
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::path_to_uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            path_to_uri("db/migrations/001_init.sql"),
            "db/migrations/001_init.sql"
        );
        assert_eq!(path_to_uri("./db/a b.sql"), "db/a%20b.sql");
        assert_eq!(path_to_uri("db\\win\\x.sql"), "db/win/x.sql");
        assert_eq!(path_to_uri("100%#?:x.sql"), "100%25%23%3F%3Ax.sql");
        assert_eq!(path_to_uri("é.sql"), "%C3%A9.sql");
        assert_eq!(path_to_uri("/abs/x.sql"), "file:///abs/x.sql");
        assert_eq!(path_to_uri("C:\\repo\\x.sql"), "file:///C:/repo/x.sql");
    }
}
